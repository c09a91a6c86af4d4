"""Natural-language generation: the assistant's curated responses in every language."""

from directory.nlg.catalog import Rendered, ResponseCatalog, UnknownResponse, default_catalog

__all__ = ["Rendered", "ResponseCatalog", "UnknownResponse", "default_catalog"]
