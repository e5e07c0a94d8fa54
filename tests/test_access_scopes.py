"""Region-scoped accounts (issue 16, first part): a city's submitter lands rows of its city and the regions under
it only, through the CLI and the app; a file with another city's row is refused with the rows named, nothing
landed. Roles: viewer < submitter < uploader < reviewer < admin."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TINY, app_as, land_all

from pipeline.access.users import (
    LOCAL,
    add_user,
    audit_log,
    current_account,
    list_users,
    set_regions,
    set_role,
)
from pipeline.cli import cli
from pipeline.core.errors import ClusterstatsError
from pipeline.core.ops import OpsStore
from pipeline.core.publication import submission
from pipeline.core.settings import Settings

PASSWORDS = {"ada": "admin-pass-1", "li": "submit-pass-4"}
# a county under Shenyang (the tiny set has cities only): Shenyang's submitter may submit its rows too
COUNTY = "210102,和平区,Heping,210100,county,\n"
SHENYANG_AND_DALIAN = "地区代码,行业代码,年份,从业人员(人)\n210100,13,2021,90\n210200,13,2021,190\n210102,13,2021,40\n"
SHENYANG_ONLY = "地区代码,行业代码,年份,从业人员(人)\n210100,13,2021,90\n210102,13,2021,40\n"


@pytest.fixture
def scoped(tmp_path: Path) -> Settings:
    """The tiny set's dictionaries (plus a county of Shenyang), an admin and a Shenyang submitter."""
    settings = Settings.from_env(tmp_path / "data")
    files = []
    for kind, name, text in TINY[:4]:
        path = tmp_path / name
        path.write_text(text + (COUNTY if kind == "regions" else ""), encoding="utf-8")
        files.append((kind, path))
    land_all(settings, files)
    admin = add_user(settings, "ada", "admin", password=PASSWORDS["ada"], by=LOCAL)
    add_user(settings, "li", "submitter", password=PASSWORDS["li"], by=admin, regions=["210100"])
    return settings


def _cli(settings, *args, user="li"):
    env = {"CLUSTERSTATS_USER": user, "CLUSTERSTATS_PASSWORD": PASSWORDS[user]}
    return CliRunner().invoke(cli, ["--data-dir", str(settings.data_dir), *args], env=env)


def test_a_submitter_cannot_land_another_citys_row_through_the_cli(scoped, tmp_path):
    before = len(OpsStore(scoped.ops_path).uploads("regional-industry"))
    path = tmp_path / "mixed.csv"
    path.write_text(SHENYANG_AND_DALIAN, encoding="utf-8")
    result = _cli(scoped, "ingest", str(path), "--kind", "regional-industry")
    assert result.exit_code == 1
    # row 3 (as the spreadsheet shows it) holds Dalian 210200: named with the code, the name and the account's regions
    assert "outside_scope" in result.output and "210200 (大连市)" in result.output and "210100" in result.output
    assert "1 problem(s) in 1 row(s) of 3 (1 outside_scope); nothing was landed" in result.output
    (line,) = [line for line in result.output.splitlines() if "outside_scope" in line and "210200" in line]
    assert line.split()[0] == "3"
    assert len(OpsStore(scoped.ops_path).uploads("regional-industry")) == before  # nothing landed
    # --accept-valid-rows does not land the Shenyang rows beside another city's: the file is refused whole
    again = _cli(scoped, "ingest", str(path), "--kind", "regional-industry", "--accept-valid-rows")
    assert again.exit_code == 1 and len(OpsStore(scoped.ops_path).uploads("regional-industry")) == before
    # its own city and the county under it land
    own = tmp_path / "shenyang.csv"
    own.write_text(SHENYANG_ONLY, encoding="utf-8")
    landed = _cli(scoped, "ingest", str(own), "--kind", "regional-industry")
    assert landed.exit_code == 0, landed.output
    (upload,) = OpsStore(scoped.ops_path).uploads("regional-industry")
    assert (upload.rows, upload.who) == (2, "li")


def test_a_submitter_cannot_upload_a_dictionary(scoped, tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text(TINY[0][2], encoding="utf-8")
    result = _cli(scoped, "ingest", str(path), "--kind", "regions")
    assert result.exit_code == 1 and "outside_scope" in result.output
    assert "dictionary is the province's" in result.output


def test_roles_and_regions_of_accounts(scoped):
    # viewer < submitter < uploader < reviewer < admin; a submitter always has regions
    li = current_account(scoped, "li")
    assert li.scope == ("210100",) and li.can("submitter") and not li.can("uploader")
    admin = current_account(scoped, "ada")
    with pytest.raises(ClusterstatsError, match="A submitter is limited to regions"):
        add_user(scoped, "wu", "submitter", password="submit-pass-5", by=admin)
    with pytest.raises(ClusterstatsError, match="A submitter is limited to regions"):
        set_regions(scoped, "li", [], by=admin)
    add_user(scoped, "zhou", "reviewer", password="review-pass-6", by=admin)
    zhou = current_account(scoped, "zhou")
    assert zhou.can("uploader") and zhou.can("reviewer") and not zhou.can("admin") and zhou.scope is None
    set_regions(scoped, "li", ["210100", "210200"], by=admin)
    assert current_account(scoped, "li").scope == ("210100", "210200")
    set_role(scoped, "li", "uploader", by=admin)  # an uploader may keep regions; without them: every region
    assert {u.username: u.regions for u in list_users(scoped)}["li"] == ("210100", "210200")
    listed = CliRunner().invoke(cli, ["--data-dir", str(scoped.data_dir), "users", "list"],
                                env={"CLUSTERSTATS_USER": "ada", "CLUSTERSTATS_PASSWORD": PASSWORDS["ada"]})
    assert "regions 210100,210200" in listed.output
    changes = [r["detail"] for r in audit_log(scoped) if r["action"] == "user_regions"]
    assert changes and "210200" in str(changes[0])  # audited, with the regions


def test_a_submitter_cannot_land_another_citys_row_in_the_app(scoped, monkeypatch):
    at = app_as(scoped, monkeypatch, "li", page="upload", passwords=PASSWORDS)
    assert any("Your account submits rows of 210100" in c.value for c in at.caption)
    # the file with a Dalian row, through the upload widget: refused, the row named, no button to land it
    before = len(OpsStore(scoped.ops_path).uploads("regional-industry"))
    at.selectbox(key="upload_kind_en").set_value("regional-industry").run()
    at.file_uploader(key="upload_file").upload("mixed.csv", SHENYANG_AND_DALIAN.encode(), "text/csv").run()
    assert not at.exception
    report = next(d.value for d in at.dataframe if "Rule" in d.value.columns)
    (row,) = report[report["Rule"] == "outside_scope"].to_dict("records")
    assert (row["Row"], row["Value"]) == (3, "210200")
    assert not [b for b in at.button if b.key == "upload_land"]
    assert len(OpsStore(scoped.ops_path).uploads("regional-industry")) == before
    # its own rows land as a submission, waiting for review
    at.file_uploader(key="upload_file").upload("shenyang.csv", SHENYANG_ONLY.encode(), "text/csv").run()
    at = at.button(key="upload_land").click().run()
    assert any("submitted for review as" in s.value for s in at.success)
    (landed,) = OpsStore(scoped.ops_path).uploads("regional-industry")
    assert submission(OpsStore(scoped.ops_path), landed.upload_id)["state"] == "submitted"


def test_an_administrator_gives_roles_and_regions_in_the_app(scoped, monkeypatch):
    at = app_as(scoped, monkeypatch, "ada", page="accounts", passwords=PASSWORDS)
    table = at.dataframe[0].value
    assert dict(zip(table["User name"], table["Regions (codes, comma-separated)"], strict=True))["li"] == "210100"
    # a submitter without regions is refused, as in the CLI
    at.text_input(key="account_name").set_value("wu")
    at.selectbox(key="account_role").set_value("submitter")
    at.text_input(key="account_password").set_value("submit-pass-5")
    at = at.button(key="FormSubmitter:account_add-Add an account").click().run()
    assert any("A submitter is limited to regions" in e.value for e in at.error)
    at.text_input(key="account_regions").set_value("210200")
    at = at.button(key="FormSubmitter:account_add-Add an account").click().run()
    assert any("Account wu (submitter) added." in s.value for s in at.success)
    assert current_account(scoped, "wu").scope == ("210200",)
    # li gets Dalian too
    at.selectbox(key="account_change_name").set_value("li")
    at.text_input(key="account_change_regions").set_value("210100, 210200")
    at = at.button(key="FormSubmitter:account_change-Change role or regions").click().run()
    assert current_account(scoped, "li").scope == ("210100", "210200")
    assert [r["action"] for r in audit_log(scoped)].count("user_regions") >= 1

