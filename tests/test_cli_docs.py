"""Every CLI command explains itself with an example (sqlite-utils' test_docs.py habit)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pipeline.cli import cli

COMMANDS = sorted(cli.commands)


def test_the_commands_the_issue_asks_for_exist():
    assert {"ingest", "init", "recompute", "status", "demo", "serve"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output
    assert f"clusterstats {name}" in result.output


def test_top_level_help_shows_the_way_in():
    result = CliRunner().invoke(cli, ["--help"])
    assert "clusterstats demo" in result.output and "--data-dir" in result.output


def test_kinds_lists_headers_and_units():
    result = CliRunner().invoke(cli, ["kinds", "regional-industry"])
    assert result.exit_code == 0
    assert "从业人员" in result.output and "工业总产值" in result.output and "万元" in result.output


def test_domain_errors_are_one_line_and_exit_1(tmp_path):
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "d"), "uploads"])
    assert result.exit_code == 0 and "No uploads landed yet." in result.output
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF-1.4")
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "d"), "ingest", str(bad), "--kind", "regions"])
    assert result.exit_code == 1
    assert "unsupported file type '.pdf'" in result.output and "Traceback" not in result.output
