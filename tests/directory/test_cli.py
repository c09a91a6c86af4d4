"""The command line: every command has help; the sample loads into a fresh database."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from directory.cli import app

runner = CliRunner()
COMMANDS = ["migrate", "load-sample", "import-hsds", "export-hsds", "serve", "run"]


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)])
def test_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_migrate_creates_the_sqlite_folder(tmp_path):
    """A fresh clone has no var/: the first `make run` creates it."""
    url = f"sqlite:///{tmp_path / 'var' / 'directory.db'}"
    result = runner.invoke(app, ["migrate", "--database-url", url])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "var" / "directory.db").exists()


def test_migrate_load_sample_export_import(tmp_path):
    source = f"sqlite:///{tmp_path / 'a.db'}"
    target = f"sqlite:///{tmp_path / 'b.db'}"
    assert runner.invoke(app, ["migrate", "--database-url", source]).exit_code == 0
    result = runner.invoke(app, ["load-sample", "--database-url", source])
    assert result.exit_code == 0, result.output
    assert "sample" in result.output.lower()
    again = runner.invoke(app, ["load-sample", "--if-empty", "--database-url", source])
    assert again.exit_code == 0 and "already" in again.output
    exported = tmp_path / "directory.json"
    result = runner.invoke(app, ["export-hsds", str(exported), "--database-url", source])
    assert result.exit_code == 0, result.output
    assert json.loads(exported.read_text(encoding="utf-8"))
    assert runner.invoke(app, ["migrate", "--database-url", target]).exit_code == 0
    result = runner.invoke(app, ["import-hsds", str(exported), "--database-url", target])
    assert result.exit_code == 0, result.output


def test_import_of_a_malformed_file_fails_cleanly(tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    assert runner.invoke(app, ["migrate", "--database-url", url]).exit_code == 0
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json", encoding="utf-8")
    result = runner.invoke(app, ["import-hsds", str(bad), "--database-url", url])
    assert result.exit_code == 1
    assert "nothing was changed" in result.output
