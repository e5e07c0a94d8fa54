"""Issue 16 in a real browser (Debian's chromium through Playwright), against `clusterstats serve` and its worker:
a reviewer accepts a city's submission and approves a release another administrator created; a viewer sees no
figure before the embargo ends and the release after it, published by the worker at its time."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from conftest import BUREAU_PASSWORDS as PASSWORDS
from conftest import TINY, acknowledge, land_all
from test_browser_app import ARGS, CHROMIUM, serving, settle, shoot

from pipeline.core.ops import OpsStore
from pipeline.core.publication import release, submission
from pipeline.core.settings import Settings

playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
EMBARGO_SECONDS = 75  # from the release's creation: time for the reviewer's clicks, then the worker publishes


@pytest.fixture(scope="module")
def bureau_server(tmp_path_factory: pytest.TempPathFactory):
    """The tiny set built; ada (admin) created release 1, embargoed for EMBARGO_SECONDS; li (Shenyang) submitted a
    correction. Yields (base URL, settings, the embargo's end, li's upload id)."""
    from pipeline.access.users import LOCAL, add_user
    from pipeline.ingest import ingest_file
    from pipeline.jobs import recompute
    from pipeline.publishing import create_release

    folder = tmp_path_factory.mktemp("bureau")
    settings = Settings.from_env(folder / "data")
    files = []
    for kind, name, text in TINY:
        (folder / name).write_text(text, encoding="utf-8")
        files.append((kind, folder / name))
    land_all(settings, files)
    recompute(settings, who="tester")
    ada = add_user(settings, "ada", "admin", password=PASSWORDS["ada"], by=LOCAL)
    for name, role, regions in (("rita", "reviewer", ()), ("li", "submitter", ["210100"]), ("vic", "viewer", ())):
        add_user(settings, name, role, password=PASSWORDS[name], by=ada, regions=regions)
    correction = folder / "shenyang-2022.csv"
    correction.write_text("地区代码,行业代码,年份,从业人员(人)\n210100,13,2022,120\n", encoding="utf-8")
    upload_id = ingest_file(settings, correction, "regional-industry", who="li", scope=["210100"],
                            submission=True).upload.upload_id
    ends = (datetime.now(UTC) + timedelta(seconds=EMBARGO_SECONDS)).replace(microsecond=0)
    create_release(settings, title="2022年度产业集群评价", reference_year=2022, publish_at=ends.isoformat(),
                   who="ada")
    acknowledge(settings, 1)  # the named clusters' indicators, not assessed for disclosure (test_release_disclosure)
    with serving(settings.data_dir) as base:
        yield base, settings, ends, upload_id


@pytest.fixture(scope="module")
def chromium():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def log_in(browser, base: str, name: str, path: str = ""):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{base}/?lang=en")
    page.get_by_role("textbox", name="User name").fill(name)
    page.get_by_role("textbox", name="Password").fill(PASSWORDS[name])
    page.get_by_role("button", name="Log in").click()
    page.get_by_text(f"Signed in as {name}").wait_for()
    settle(page)
    if path:  # (the login form comes before the navigation: a page's address is opened after it)
        page.get_by_role("link", name=path).click()
        settle(page)
    return page


def test_a_reviewer_accepts_and_approves_and_a_viewer_reads_the_release_after_its_embargo(bureau_server, chromium,
                                                                                          tmp_path):
    base, settings, ends, upload_id = bureau_server
    shots = tmp_path / "screenshots"
    store = OpsStore(settings.ops_path)
    # the reviewer: the submission waits; accept it
    rita = log_in(chromium, base, "rita", "Submissions")
    rita.get_by_text("Waiting for review (1)").wait_for()
    rita.get_by_text("shenyang-2022.csv").first.wait_for()
    rita.get_by_role("button", name="Accept").click()
    rita.get_by_text(re.compile(r"shenyang-2022\.csv accepted; the official build is queued")).wait_for()
    assert submission(store, upload_id)["state"] == "accepted"
    # ... and approve release 1, which ada created (four eyes)
    rita.get_by_role("link", name="Release calendar").click()
    settle(rita)
    rita.get_by_role("button", name="Approve").click()
    rita.get_by_text(re.compile(r"Release 1 approved; it is published at")).wait_for()
    shoot(rita, shots, "release-approved", tall=False)
    assert (release(store, 1)["status"], release(store, 1)["approved_by"]) == ("approved", "rita")
    rita.context.close()
    # the viewer, before the embargo ends: no figure
    assert datetime.now(UTC) < ends, "the reviewer's steps took longer than the embargo; raise EMBARGO_SECONDS"
    vic = log_in(chromium, base, "vic")
    vic.get_by_text("No release has been published yet").wait_for()
    assert vic.locator("[data-testid='stMetric']").count() == 0
    # after it: the worker publishes at its time; the viewer reads release 1 with its banner and its figures
    time.sleep(max(0.0, (ends - datetime.now(UTC)).total_seconds()))
    deadline = time.monotonic() + 60
    while release(store, 1)["status"] != "published":
        assert time.monotonic() < deadline, "the worker did not publish release 1 within a minute of its time"
        time.sleep(1)
    assert release(store, 1)["published_at"] >= ends.isoformat()
    vic.get_by_role("link", name="Overview").click()  # (in the same session: a new address would log out)
    settle(vic)
    vic.get_by_text(re.compile(r"Release 1: 2022年度产业集群评价 \(reference year 2022\)")).wait_for()
    vic.locator("[data-testid='stMetric']").first.wait_for()
    shoot(vic, shots, "release-viewer", tall=False)
    vic.context.close()

