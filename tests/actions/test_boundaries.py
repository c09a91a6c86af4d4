"""The actions reach the directory only through its HTTP API: nothing imports `directory`."""

from __future__ import annotations

import ast
from pathlib import Path

ACTIONS = Path(__file__).resolve().parents[2] / "actions"


def test_actions_never_import_the_directory_package():
    offenders = []
    for path in ACTIONS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.name}: {n}" for n in names if n == "directory" or n.startswith("directory.")]
    assert offenders == []


def test_only_the_client_speaks_http():
    users = [p.name for p in ACTIONS.glob("*.py") if "import httpx" in p.read_text(encoding="utf-8")]
    assert users == ["directory_client.py"]
