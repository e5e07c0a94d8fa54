"""A changed role or a removed account takes effect at the session's next interaction (issue 14, finding 3).

Before: after ``users role ulla viewer`` and ``users remove ulla``, ulla's open tab kept its old rights, and a
removed uploader's tab landed a dictionary. Now every run of the app reads the session's account from the store
(:func:`pipeline.access.users.current_account`); the CLI logs in on every command.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ACCOUNTS, add_accounts
from streamlit.testing.v1 import AppTest

from pipeline.access.users import User, remove_user, set_role
from pipeline.cli import cli

APP = str(Path(__file__).resolve().parents[1] / "ui" / "app.py")
PASSWORDS = {name: password for name, (_, password) in ACCOUNTS.items()}


@pytest.fixture
def accounts(built):
    return add_accounts(built, "ada", "ulla"), User("ada", "admin")


def _logged_in(settings, monkeypatch, name: str) -> AppTest:
    monkeypatch.setenv("CLUSTERSTATS_DATA_DIR", str(settings.data_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    at.text_input(key="login_name").set_value(name)
    at.text_input(key="login_password").set_value(PASSWORDS[name])
    return at.button[0].click().run()


def test_a_changed_role_applies_at_the_next_interaction(accounts, monkeypatch):
    settings, admin = accounts
    at = _logged_in(settings, monkeypatch, "ulla")
    at.switch_page("views/upload.py").run()
    assert at.file_uploader  # an uploader gets the upload form
    set_role(settings, "ulla", "viewer", by=admin)  # in another session, by an administrator
    at.run()
    assert not at.file_uploader
    assert [i.value for i in at.info][:1] == ["An administrator changed the role of ulla from uploader to viewer; "
                                              "the pages now show what viewer may do."]
    assert any("Signed in as ulla (viewer)" in c.value for c in at.sidebar.caption)


def test_a_removed_account_ends_its_session_before_anything_runs(accounts, monkeypatch):
    settings, admin = accounts
    at = _logged_in(settings, monkeypatch, "ulla")
    at.switch_page("views/upload.py").run()
    assert at.file_uploader
    remove_user(settings, "ulla", by=admin)
    at.run()
    assert [h.value for h in at.title] == ["Log in to clusterstats"]
    assert [w.value for w in at.warning] == ["Your session has ended: the account ulla no longer exists. Ask an "
                                             "administrator if you still need access."]
    assert not at.file_uploader and not at.metric  # nothing of the page ran
    at.run()
    assert not at.warning  # said once


def test_the_cli_checks_the_account_on_every_command(accounts, tiny_files):
    settings, admin = accounts
    regions = next(path for kind, path in tiny_files if kind == "regions")
    env = {"CLUSTERSTATS_USER": "ulla", "CLUSTERSTATS_PASSWORD": PASSWORDS["ulla"]}
    args = ["--data-dir", str(settings.data_dir), "ingest", str(regions), "--kind", "regions"]
    set_role(settings, "ulla", "viewer", by=admin)
    refused = CliRunner().invoke(cli, args, env=env)
    assert refused.exit_code == 1
    assert "ulla (viewer) may not land uploads: that needs the submitter role." in refused.output
    remove_user(settings, "ulla", by=admin)
    gone = CliRunner().invoke(cli, args, env=env)
    assert gone.exit_code == 1 and "Unknown user name or wrong password." in gone.output
