"""Login throttling and private files (issue 14, finding 6).

Before: the right password was accepted after 12 failures, and `init` made the data folder 0755 and ops.sqlite
0644, so every local account of the server read the password hashes and the audit log.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import ACCOUNTS, add_accounts
from streamlit.testing.v1 import AppTest

from pipeline.access.users import LoginFailed, LoginLocked, audit_log, login

APP = str(Path(__file__).resolve().parents[1] / "ui" / "app.py")
PASSWORDS = {name: password for name, (_, password) in ACCOUNTS.items()}
T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def accounts(settings):
    return add_accounts(settings, "ada", "vic", "ulla")


def _fail(settings, name: str, n: int, *, client: str, start: datetime) -> None:
    for i in range(n):
        with pytest.raises(LoginFailed):
            login(settings, name, "wrong-password", client=client, now=start + timedelta(minutes=i))


def test_five_failures_lock_the_account_for_fifteen_minutes_the_right_password_included(accounts):
    """Defaults: 5 failures within 15 minutes lock the account until 15 minutes after the last failure. Failures
    at 08:00, 08:01 ... 08:04 lock vic until 08:19."""
    _fail(accounts, "vic", 5, client="cli:a", start=T0)
    with pytest.raises(LoginLocked, match=r"locked until 2026-12-01T08:19\+00:00 UTC \(in 4 min\)"):
        login(accounts, "vic", PASSWORDS["vic"], client="cli:b", now=T0 + timedelta(minutes=15))
    assert login(accounts, "vic", PASSWORDS["vic"], client="cli:b", now=T0 + timedelta(minutes=19, seconds=1))
    actions = [(e["who"], e["action"]) for e in reversed(audit_log(accounts))]
    assert actions[-7:] == [("vic", "login_failed")] * 5 + [("vic", "login_locked"), ("vic", "login")]
    # a successful login clears the account's count: one more failure does not lock it again
    _fail(accounts, "vic", 1, client="cli:a", start=T0 + timedelta(minutes=20))
    assert login(accounts, "vic", PASSWORDS["vic"], client="cli:a", now=T0 + timedelta(minutes=21))


def test_five_failures_from_one_client_lock_that_client_for_every_account(accounts):
    """Password spraying: one failure on each of five names from one address locks the address, not the other
    clients."""
    for i, name in enumerate(["ada", "vic", "ulla", "nobody", "root"]):
        _fail(accounts, name, 1, client="app:10.0.0.9", start=T0 + timedelta(minutes=i))
    with pytest.raises(LoginLocked):
        login(accounts, "ulla", PASSWORDS["ulla"], client="app:10.0.0.9", now=T0 + timedelta(minutes=6))
    assert login(accounts, "ulla", PASSWORDS["ulla"], client="app:10.0.0.7", now=T0 + timedelta(minutes=6))


def test_the_limits_are_settings(accounts, monkeypatch):
    monkeypatch.setenv("CLUSTERSTATS_LOGIN_MAX_FAILURES", "2")
    monkeypatch.setenv("CLUSTERSTATS_LOGIN_LOCKOUT_MINUTES", "60")
    _fail(accounts, "vic", 2, client="cli:a", start=T0)
    with pytest.raises(LoginLocked, match=r"locked until 2026-12-01T09:01\+00:00"):
        login(accounts, "vic", PASSWORDS["vic"], client="cli:a", now=T0 + timedelta(minutes=30))


def test_the_app_says_the_account_is_locked(accounts, monkeypatch):
    monkeypatch.setenv("CLUSTERSTATS_DATA_DIR", str(accounts.data_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    for password in ["w1", "w2", "w3", "w4", "w5", PASSWORDS["vic"]]:
        at.text_input(key="login_name").set_value("vic")
        at.text_input(key="login_password").set_value(password)
        at = at.button[0].click().run()
    assert at.error[0].value.startswith("Too many failed logins for this account or from this computer: try again "
                                        "in 15 min")
    assert [h.value for h in at.title] == ["Log in to clusterstats"]  # still not in


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.slow
def test_the_data_directory_is_the_owners_alone_and_looser_modes_are_named(tmp_path):
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if k != "CLUSTERSTATS_DATA_DIR"}
    cli = [sys.executable, "-m", "pipeline.cli", "--data-dir", str(data)]
    subprocess.run([*cli, "init"], env=env, check=True, capture_output=True)
    assert _mode(data) == 0o700 and _mode(data / "ops.sqlite") == 0o600 and _mode(data / "warehouse.duckdb") == 0o600
    out = json.loads(subprocess.run([*cli, "status", "--json"], env=env, check=True, capture_output=True,
                                    text=True).stdout)
    assert out["permissions"] == []
    os.chmod(data, 0o755)
    os.chmod(data / "ops.sqlite", 0o644)
    text = subprocess.run([*cli, "status"], env=env, check=True, capture_output=True, text=True).stdout
    warnings = [line for line in text.splitlines() if line.startswith("Warning:")]
    assert warnings == [
        f"Warning: {data} is open to other accounts of this machine (mode 0755): chmod 700 {data}",
        f"Warning: {data / 'ops.sqlite'} is open to other accounts of this machine (mode 0644): chmod 600 "
        f"{data / 'ops.sqlite'}"]
