"""Accounts and roles, through the CLI and the app: viewer < uploader < admin; nothing readable without a login
once accounts exist; every login and change in the audit log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import acknowledge
from streamlit.testing.v1 import AppTest

from pipeline.access.users import (
    LOCAL,
    AccessDenied,
    LoginFailed,
    User,
    add_user,
    auth_enabled,
    login,
    remove_user,
    set_role,
)
from pipeline.cli import cli
from pipeline.core.errors import ClusterstatsError

APP = str(Path(__file__).resolve().parents[1] / "ui" / "app.py")
PASSWORDS = {"ada": "admin-pass-1", "ulla": "upload-pass-2", "vic": "viewer-pass-3"}


@pytest.fixture
def accounts(built):
    """The tiny set built, then three accounts: ada (admin), ulla (uploader), vic (viewer)."""
    admin = add_user(built, "ada", "admin", password=PASSWORDS["ada"], by=LOCAL)
    add_user(built, "ulla", "uploader", password=PASSWORDS["ulla"], by=admin)
    add_user(built, "vic", "viewer", password=PASSWORDS["vic"], by=admin)
    return built


def _cli(settings, *args, user=None, password=None, input=None):
    env = {"CLUSTERSTATS_USER": user, "CLUSTERSTATS_PASSWORD": password} if user else {}
    return CliRunner().invoke(cli, ["--data-dir", str(settings.data_dir), *args], env=env, input=input)


def test_without_accounts_everyone_is_the_local_admin(built):
    assert not auth_enabled(built)
    assert _cli(built, "status").exit_code == 0
    with pytest.raises(ClusterstatsError, match="first account must be an admin"):
        add_user(built, "ulla", "uploader", password="long-enough", by=LOCAL)


def test_passwords_are_salted_argon2_hashes(accounts):
    add_user(accounts, "vic2", "viewer", password=PASSWORDS["vic"], by=login(accounts, "ada", PASSWORDS["ada"]))
    with sqlite3.connect(accounts.ops_path) as con:
        hashes = dict(con.execute("select username, password_hash from users where username like 'vic%'"))
    assert hashes["vic"].startswith("$argon2id$") and hashes["vic"] != hashes["vic2"]  # same password, own salt
    with pytest.raises(LoginFailed):
        login(accounts, "vic", "wrong password")


@pytest.mark.parametrize(
    ("user", "args", "allowed"),
    [
        ("vic", ["status"], True),
        ("vic", ["recompute"], False),
        ("ulla", ["recompute"], True),
        ("ulla", ["schedule", "add", "30 2 * * *", "--name", "nightly"], False),
        ("ada", ["schedule", "add", "30 2 * * *", "--name", "nightly"], True),
        ("ulla", ["users", "list"], False),
        ("ada", ["users", "list"], True),
        ("ulla", ["audit"], False),
        ("ada", ["audit"], True),
    ],
)
def test_cli_roles(accounts, user, args, allowed):
    result = _cli(accounts, *args, user=user, password=PASSWORDS[user])
    if allowed:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1
        assert "may not" in result.output and "Ask an administrator" in result.output


def test_cli_needs_a_login_and_refuses_a_wrong_password(accounts, tiny_files):
    kind, path = tiny_files[4]
    anonymous = _cli(accounts, "ingest", str(path), "--kind", kind, input="\n")
    assert anonymous.exit_code != 0  # asked for a user name, got none
    wrong = _cli(accounts, "ingest", str(path), "--kind", kind, user="ulla", password="nope")
    assert wrong.exit_code == 1 and "Unknown user name or wrong password" in wrong.output
    viewer = _cli(accounts, "ingest", str(path), "--kind", kind, user="vic", password=PASSWORDS["vic"])
    assert viewer.exit_code == 1 and "needs the submitter role" in viewer.output


def test_admins_keep_the_system_administrable(accounts):
    ada = login(accounts, "ada", PASSWORDS["ada"])
    with pytest.raises(ClusterstatsError, match="no administrator"):
        set_role(accounts, "ada", "viewer", by=ada)
    with pytest.raises(AccessDenied):
        remove_user(accounts, "vic", by=login(accounts, "ulla", PASSWORDS["ulla"]))
    set_role(accounts, "ulla", "admin", by=ada)
    remove_user(accounts, "vic", by=ada)


def test_audit_log_records_logins_and_changes(accounts):
    _cli(accounts, "status", user="vic", password=PASSWORDS["vic"])
    _cli(accounts, "status", user="vic", password="bad")
    result = _cli(accounts, "audit", "--json", user="ada", password=PASSWORDS["ada"])
    import json

    entries = json.loads(result.output)
    actions = [(e["who"], e["action"]) for e in entries]
    assert ("vic", "login") in actions and ("vic", "login_failed") in actions
    assert ("ada", "user_added") in actions and ("tester", "upload") in actions  # the tiny set's uploads


def _app(settings, monkeypatch) -> AppTest:
    monkeypatch.setenv("CLUSTERSTATS_DATA_DIR", str(settings.data_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "en"
    return at.run()


def _log_in(at: AppTest, name: str) -> AppTest:
    at.text_input(key="login_name").set_value(name)
    at.text_input(key="login_password").set_value(PASSWORDS[name])
    return at.button[0].click().run()


def test_app_shows_nothing_before_a_login(accounts, monkeypatch):
    at = _app(accounts, monkeypatch)
    assert [h.value for h in at.title] == ["Log in to clusterstats"]
    assert not at.metric and not at.dataframe  # no number leaks before the login
    at.text_input(key="login_name").set_value("vic")
    at.text_input(key="login_password").set_value("wrong")
    at = at.button[0].click().run()
    assert at.error[0].value == "Unknown user name or wrong password."


def test_app_roles(accounts, monkeypatch):
    viewer = _log_in(_app(accounts, monkeypatch), "vic")
    # a viewer reads published releases only: none yet, no figure
    assert not viewer.exception and not viewer.metric
    assert any("No release has been published yet" in i.value for i in viewer.info)
    from datetime import UTC, datetime

    from pipeline.core.ops import OpsStore
    from pipeline.core.publication import publish_due
    from pipeline.publishing import approve_release, create_release

    create_release(accounts, title="2022", reference_year=2022, publish_at="2024-06-30 09:30", who="ada")
    acknowledge(accounts, 1)  # the named clusters' indicators: not assessed for disclosure (test_release_disclosure)
    with pytest.raises(ClusterstatsError, match="ulla \\(uploader\\) may not approve releases"):
        approve_release(accounts, 1, who="ulla")  # an uploader may not approve: the library checks, not only the app
    add_user(accounts, "rex", "reviewer", password="review-pass-9", by=User("ada", "admin"))
    approve_release(accounts, 1, who="rex")
    publish_due(OpsStore(accounts.ops_path), datetime.now(UTC))
    viewer = _log_in(_app(accounts, monkeypatch), "vic")
    assert not viewer.exception and viewer.metric  # the overview's KPIs, of release 1
    assert any("Signed in as vic (viewer)" in c.value for c in viewer.sidebar.caption)
    viewer.switch_page("views/upload.py").run()
    assert not viewer.file_uploader  # a viewer gets no upload form
    viewer.switch_page("views/methodology.py").run()
    assert "Edit" not in " ".join(tab.label for tab in viewer.tabs)

    admin = _log_in(_app(accounts, monkeypatch), "ada")
    admin.switch_page("views/methodology.py").run()
    assert any("Edit" in tab.label or "edit" in tab.label for tab in admin.tabs)
    admin.switch_page("views/jobs.py").run()
    assert any(e.label == "Audit log" for e in admin.expander)


def test_serving_beyond_this_machine_needs_accounts(built, monkeypatch):
    from pipeline.cli import app as cli_module

    served = []
    monkeypatch.setattr(cli_module.os, "execve", lambda exe, args, env: served.append(args))
    refused = _cli(built, "serve", "--host", "0.0.0.0", "--no-worker", "--no-api")
    assert refused.exit_code == 1 and "Refusing to serve on 0.0.0.0 without accounts" in refused.output
    assert served == []
    add_user(built, "ada", "admin", password=PASSWORDS["ada"], by=LOCAL)
    assert _cli(built, "serve", "--host", "0.0.0.0", "--no-worker", "--no-api").exit_code == 0 and served
