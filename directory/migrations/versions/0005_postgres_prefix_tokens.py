"""postgres prefix tokens: the full-text index also indexes each word's prefixes of 4 to 8 letters

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 14:45:00

PostgreSQL's analogue of 0004. A prefix query (``'jezyk':*``) makes GIN collect the posting
lists of every indexed word that starts with it into a bitmap before anything else; for common
stems that is most of a free-text search's index work (50k entries for ``jezyk``* at 100k
services). The GIN index ``ix_service_search_tsv`` is now on ``tsv || search_prefixes(tsv)``:
the words and, for every word of 4 letters or more, the tokens ``zxp`` + its first 4, 5, ... 8
letters (never for the ``zx`` tokens of categories and municipalities). The search matches that
expression and a stem of 4 to 8 letters by its token: one posting list. An index expression, not
a stored column: ``tsv`` itself (read by ``ts_rank`` for every ranked match) keeps its size; stored
in the row, the tokens pushed it out of line (TOAST) and made ranking several times slower.
Measured at 100k services: see docs/search_latency.md. SQLite: nothing to do (0004).
"""
from __future__ import annotations

from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

PREFIXES_FUNCTION = """
CREATE FUNCTION search_prefixes(tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_to_tsvector(array_agg(DISTINCT 'zxp' || left(lexeme, n))), ''::tsvector)
    FROM unnest(tsvector_to_array($1)) AS lexeme, generate_series(4, 8) AS n
    WHERE char_length(lexeme) >= n AND left(lexeme, 2) <> 'zx'
$$"""


def _index(expression: str) -> list[str]:
    return [
        "DROP INDEX IF EXISTS ix_service_search_tsv",
        f"CREATE INDEX ix_service_search_tsv ON service_search USING gin (({expression}))",
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(PREFIXES_FUNCTION)
    for statement in _index("tsv || search_prefixes(tsv)"):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in _index("tsv"):
        op.execute(statement)
    op.execute("DROP FUNCTION IF EXISTS search_prefixes(tsvector)")
