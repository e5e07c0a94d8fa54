"""The audit log is complete and cannot be forged (issue 14, finding 5).

Before: a viewer's 13 refused commands appeared only as logins, and user names were written as typed, so a failed
login as "wang\\nuser_role {mallory: admin}" printed a second, forged line, and terminal control codes passed.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import ACCOUNTS, add_accounts

from pipeline.access.users import User, add_user
from pipeline.cli import cli
from pipeline.core.errors import ClusterstatsError

PASSWORDS = {name: password for name, (_, password) in ACCOUNTS.items()}


@pytest.fixture
def accounts(built):
    return add_accounts(built, "ada", "vic")


def _cli(settings, *args, user: str, password: str):
    env = {"CLUSTERSTATS_USER": user, "CLUSTERSTATS_PASSWORD": password}
    return CliRunner().invoke(cli, ["--data-dir", str(settings.data_dir), *args], env=env)


def test_refused_commands_are_in_the_audit_log(accounts, tiny_files):
    regions = next(path for kind, path in tiny_files if kind == "regions")
    attempts = [["ingest", str(regions), "--kind", "regions"], ["recompute"], ["schedule", "add", "0 2 * * *"],
                ["users", "add", "eve", "--role", "admin", "--openid"]]
    for args in attempts:
        assert _cli(accounts, *args, user="vic", password=PASSWORDS["vic"]).exit_code == 1
    log = json.loads(_cli(accounts, "audit", "--json", user="ada", password=PASSWORDS["ada"]).output)
    refused = [(e["who"], e["detail"]["action"], e["detail"]["needs"], e["detail"]["role"])
               for e in reversed(log) if e["action"] == "refused"]
    assert refused == [("vic", "land uploads", "submitter", "viewer"), ("vic", "rebuild the warehouse", "uploader",
                                                                         "viewer"),
                       ("vic", "add schedules", "admin", "viewer"), ("vic", "add users", "admin", "viewer")]


def test_a_name_typed_at_the_login_cannot_forge_a_line_of_the_audit_log(accounts):
    forged = "wang\nuser_role {mallory: admin}\x1b[2J"
    assert _cli(accounts, "status", user=forged, password="x").exit_code == 1  # a failed login, recorded
    text = _cli(accounts, "audit", user="ada", password=PASSWORDS["ada"]).output
    lines = [line for line in text.splitlines() if "login_failed" in line]
    assert len(lines) == 1 and "wang\\nuser_role {mallory: admin}\\x1b[2J" in lines[0]
    assert not any(line.startswith("user_role") for line in text.splitlines())  # no forged record
    assert "\x1b" not in text
    entries = json.loads(_cli(accounts, "audit", "--json", user="ada", password=PASSWORDS["ada"]).output)
    assert any(e["who"] == forged and e["action"] == "login_failed" for e in entries)  # the data, as typed


def test_user_names_with_control_characters_are_refused(accounts):
    with pytest.raises(ClusterstatsError, match=r"may not hold control characters .*'eve\\\\nadmin'"):
        add_user(accounts, "eve\nadmin", "viewer", password="long-enough", by=User("ada", "admin"))
