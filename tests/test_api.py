"""The open-data API (pipeline.api) on the demo's releases: what it serves, what it never serves (an embargoed
release or a build without a staff token; a withheld figure as a number), caching (ETag round trip), paging, index
families and SDMX-CSV, revisions and change reports, tokens, and problem details."""

from __future__ import annotations

import io
import shutil
import sqlite3

import duckdb
import polars as pl
import pytest
from fastapi.testclient import TestClient
from test_ui_demo import demo_data_dir

from pipeline.api import create_app
from pipeline.core.ops import OpsStore
from pipeline.core.publication import release
from pipeline.core.settings import Settings
from pipeline.publishing.releases import release_path
from warehouse import queries


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Settings:
    return Settings.from_env(demo_data_dir(tmp_path_factory))


@pytest.fixture(scope="module")
def client(demo) -> TestClient:
    return TestClient(create_app(demo))


def test_published_releases_newest_first(client):
    got = client.get("/v1/releases")
    assert got.status_code == 200 and got.headers["cache-control"] == "no-store"  # the list grows
    rows = got.json()["data"]
    assert [r["number"] for r in rows] == [2, 1] and rows[0]["revises"] == 1
    one = client.get("/v1/releases/2").json()
    assert one["disclosure"]["rules"]["min_contributors"] == 3 and one["disclosure"]["withheld_cells"] > 0


def test_etag_round_trip_gives_304(client):
    first = client.get("/v1/releases/2/ranking", params={"year": 2022, "page_size": 5})
    assert first.status_code == 200 and first.headers["etag"].startswith('"')
    assert first.headers["cache-control"] == "public, max-age=31536000, immutable"
    again = client.get("/v1/releases/2/ranking", params={"year": 2022, "page_size": 5},
                       headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == first.headers["etag"]
    other = client.get("/v1/releases/2/ranking", params={"year": 2022, "page_size": 6})
    assert other.headers["etag"] != first.headers["etag"]  # another question, another answer


def test_a_withheld_figure_is_never_served_as_a_number(client, demo):
    rel = release(OpsStore(demo.ops_path), 2)
    path = release_path(demo, rel)
    with duckdb.connect(str(path), read_only=True) as con:
        ((withheld,),) = con.sql("select count(*) from mart_location_quotient where suppressed and year = 2022 "
                                 "and measure = 'employment' and region_level = 'city' and industry_level = 'division'"
                                 ).fetchall()
    assert withheld > 0
    got = client.get("/v1/releases/2/indices/lq", params={"measure": "employment", "year": 2022, "format": "parquet"})
    frame = pl.read_parquet(io.BytesIO(got.content))
    hidden = frame.filter(pl.col("suppressed"))
    assert hidden.height == withheld
    assert hidden.get_column("value").null_count() == withheld and hidden.get_column("lq").null_count() == withheld
    # and in JSON, page by page: null, with its flag
    page = client.get("/v1/releases/2/indices/lq", params={"measure": "employment", "year": 2022,
                                                           "page_size": 1000}).json()
    assert page["total"] == frame.height
    assert all(r["lq"] is None and r["value"] is None for r in page["data"] if r["suppressed"])


def test_paging_links_and_formats(client, demo):
    rel = release(OpsStore(demo.ops_path), 2)
    ranking = queries.ranking(release_path(demo, rel), 2022)
    second = client.get("/v1/releases/2/ranking", params={"page": 2, "page_size": 50}).json()
    assert second["total"] == ranking.height == 120 and len(second["data"]) == 50
    assert set(second["links"]) == {"self", "first", "last", "prev", "next"}
    assert second["data"][0]["rank"] == 51  # the ranking in rank order
    csv = client.get("/v1/releases/2/ranking", params={"format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert pl.read_csv(io.BytesIO(csv.content)).height == 120
    best = client.get(f"/v1/releases/2/clusters/{ranking.sort('rank').item(0, 'cluster_code')}/scorecard").json()
    assert best["header"]["score"] == pytest.approx(ranking.get_column("score").max())
    # the demo's methodology: 7 pillars under the index, 19 indicators
    assert [p["level"] for p in best["pillars"]].count("pillar") == 7 and best["pillars"][-1]["code"] == "index"
    assert len(best["indicators"]) == 19


def test_bad_requests_get_problem_details(client):
    unknown = client.get("/v1/releases/2/clusters/LN-NE-04/scorecard")
    assert unknown.status_code == 404 and unknown.headers["content-type"] == "application/problem+json"
    body = unknown.json()
    assert body["type"].endswith("/unknown-cluster") and body["nearest"][0] == "LN-NE-004"
    year = client.get("/v1/releases/2/ranking", params={"year": 1999}).json()
    assert year["status"] == 404 and year["years"][0] == 2013 and "2013-2022" in year["detail"]
    assert client.get("/v1/releases/2/ranking", params={"page_size": 5000}).status_code == 400
    too_many = client.get("/v1/releases/2/indices/lq", params=[("region", str(i)) for i in range(201)])
    assert too_many.status_code == 400 and too_many.json()["type"].endswith("/invalid-request")
    measure = client.get("/v1/releases/2/indices/lq", params={"measure": "employmnt"}).json()
    assert measure["nearest"][0] == "employment"
    missing = client.get("/v1/releases/9").json()
    assert missing["status"] == 404 and missing["published"] == [2, 1]
    # a parameter the operation does not take is refused, not ignored (a misspelt filter would serve everything)
    typo = client.get("/v1/releases/2/indices/lq", params={"regoin": "210100"}).json()
    assert typo["status"] == 400 and typo["type"].endswith("/unknown-parameter") and typo["nearest"][0] == "region"
    assert client.get("/v1/releases/2/indices/growth", params={"year": 2022}).json()["nearest"][:2] == [
        "end_year", "start_year"]
    assert client.get("/v1/releases/2/indices/balance", params={"region": "210100"}).status_code == 400


def test_an_embargoed_release_is_not_served_without_a_token(demo, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(demo.data_dir, copy)
    with sqlite3.connect(copy / "ops.sqlite") as con:  # release 2 approved, its embargo not over
        con.execute("update releases set status = 'approved', published_at = null where number = 2")
    client = TestClient(create_app(Settings.from_env(copy)))
    assert [r["number"] for r in client.get("/v1/releases").json()["data"]] == [1]
    for url in ("/v1/releases/2", "/v1/releases/2/ranking", "/v1/releases/2/indices/lq"):
        got = client.get(url)
        assert got.status_code == 404 and got.json()["published"] == [1], url


def test_a_broken_release_answers_500_without_a_traceback(demo, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(demo.data_dir, copy)
    rel = release(OpsStore(copy / "ops.sqlite"), 2)
    (copy / rel["file"]).write_bytes(b"not a database")
    client = TestClient(create_app(Settings.from_env(copy)), raise_server_exceptions=False)
    got = client.get("/v1/releases/2/ranking")
    assert got.status_code == 500 and got.headers["content-type"] == "application/problem+json"
    assert "Traceback" not in got.text and "duckdb" not in got.text.lower()


def test_head_and_byte_ranges_as_readers_of_urls_expect(client):
    url = "/v1/releases/2/ranking"
    full = client.get(url, params={"format": "csv"})
    head = client.head(url, params={"format": "csv"})
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == full.headers["etag"]
    assert int(head.headers["content-length"]) == len(full.content) and full.headers["accept-ranges"] == "bytes"
    part = client.get(url, params={"format": "csv"}, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == full.content[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(full.content)}"
    tail = client.get(url, params={"format": "csv"}, headers={"Range": "bytes=-10"})
    assert tail.content == full.content[-10:]
    beyond = client.get(url, params={"format": "csv"}, headers={"Range": f"bytes={len(full.content)}-"})
    assert beyond.status_code == 416 and beyond.headers["content-range"] == f"bytes */{len(full.content)}"
    stale = client.get(url, params={"format": "csv"}, headers={"Range": "bytes=0-9", "If-Range": '"other"'})
    assert stale.status_code == 200 and stale.content == full.content  # another version: the whole answer
    assert client.head("/v1/releases/2/clusters/LN-NE-04/scorecard").status_code == 404


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_and_no_response_off_its_schema(demo, tmp_path):
    # the live OpenAPI document of `clusterstats api`, every operation fuzzed and its links followed (stateful),
    # every check (status codes, content types, headers and bodies as documented; no 5xx; 405 with Allow; a
    # required token really required: `ignored_auth` retries without it and with a wrong one). Twice: anonymous,
    # over every operation; and with a staff token, over the builds' operations (which need one).
    import json
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    from pipeline.access.tokens import create_token
    from pipeline.access.users import LOCAL, add_user

    copy = tmp_path / "data"
    shutil.copytree(demo.data_dir, copy)
    settings = Settings.from_env(copy)
    admin = add_user(settings, "wang", "admin", password="admin-password", by=LOCAL)
    add_user(settings, "zhao", "uploader", password="uploader-password", by=admin)
    _, token = create_token(settings, "zhao", by=admin, name="schemathesis")
    port = _free_port()
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen([str(bin_dir / "clusterstats"), "--data-dir", str(copy), "api", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/openapi.json"
        for _ in range(100):
            try:
                document = json.loads(urllib.request.urlopen(url, timeout=1).read())
                break
            except OSError:
                time.sleep(0.2)
        base = [str(bin_dir / "schemathesis"), "run", url, "--checks", "all", "--generation-deterministic",
                "--no-color"]
        for staff, extra in ((False, ["--max-examples", "25"]),
                             (True, ["--max-examples", "10", "--include-path-regex", "^/v1/builds/", "-H",
                                     f"Authorization: Bearer {token}"])):
            run = subprocess.run(base + extra, capture_output=True, text=True, timeout=900, cwd=tmp_path)
            assert run.returncode == 0, run.stdout[-4000:]
            summary = run.stdout.split("SUMMARY")[-1]
            assert "passed" in summary and "failures" not in summary
            # anonymous, every build operation answers 401 only; with the staff token, none does
            builds = sum(p.startswith("/v1/builds/") for p in document["paths"])
            assert (f"Authentication failed: {builds} operations" in run.stdout) is not staff, run.stdout[-4000:]
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_answers_about_a_release_are_kept_and_served_again(demo, tmp_path):
    # a release never changes, so the server keeps its answers: asked again, it answers without the warehouse
    copy = tmp_path / "data"
    shutil.copytree(demo.data_dir, copy)
    client = TestClient(create_app(Settings.from_env(copy)), raise_server_exceptions=False)
    first = client.get("/v1/releases/2/ranking", params={"page_size": 3})
    rel = release(OpsStore(copy / "ops.sqlite"), 2)
    (copy / rel["file"]).write_bytes(b"not a database")  # the warehouse file is gone: only the kept answer remains
    again = client.get("/v1/releases/2/ranking", params={"page_size": 3})
    assert again.status_code == 200 and again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    assert client.get("/v1/releases/2/ranking", params={"page_size": 3},
                      headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    assert client.get("/v1/releases/2/ranking", params={"page_size": 4}).status_code == 500  # a new question


# -- tokens: embargoed releases and builds for staff only ------------------------------------------------------------

@pytest.fixture
def staffed(demo, tmp_path):
    """A copy of the demo with release 2 embargoed and three accounts: an admin, a viewer and an uploader (staff),
    the last two with a token each."""
    from pipeline.access.tokens import create_token
    from pipeline.access.users import LOCAL, add_user

    copy = tmp_path / "data"
    shutil.copytree(demo.data_dir, copy)
    with sqlite3.connect(copy / "ops.sqlite") as con:
        con.execute("update releases set status = 'approved', published_at = null where number = 2")
    settings = Settings.from_env(copy)
    admin = add_user(settings, "wang", "admin", password="admin-password", by=LOCAL)
    add_user(settings, "li", "viewer", password="viewer-password", by=admin)
    add_user(settings, "zhao", "uploader", password="uploader-password", by=admin)
    _, viewer = create_token(settings, "li", by=admin, name="li's notebook")
    _, staff = create_token(settings, "zhao", by=admin, name="portal build server")
    return settings, {"Authorization": f"Bearer {viewer}"}, {"Authorization": f"Bearer {staff}"}, staff


def test_embargoed_data_is_invisible_without_a_token_and_with_a_viewers_visible_with_staffs(staffed):
    settings, viewer, staff, _ = staffed
    client = TestClient(create_app(settings))
    for headers in ({}, viewer):  # anonymous, then a viewer's token: release 2 does not exist for them
        assert [r["number"] for r in client.get("/v1/releases", headers=headers).json()["data"]] == [1]
        for url in ("/v1/releases/2", "/v1/releases/2/ranking", "/v1/releases/2/indices/lq",
                    "/v1/releases/2/clusters/LN-NE-004/scorecard", "/v1/releases/2/changes?since=1"):
            got = client.get(url, headers=headers)
            assert got.status_code == 404 and got.json()["published"] == [1], (url, headers)
    listed = client.get("/v1/releases", headers=staff).json()["data"]
    assert [(r["number"], r["status"]) for r in listed] == [(2, "approved"), (1, "published")]
    ranking = client.get("/v1/releases/2/ranking", params={"page_size": 5}, headers=staff)
    assert ranking.status_code == 200 and len(ranking.json()["data"]) == 5
    # immutable, so it has an ETag, but private: no shared cache keeps it, and the server's cache did not either
    assert ranking.headers["cache-control"] == "private, no-cache" and ranking.headers["etag"]
    assert client.get("/v1/releases/2/ranking", params={"page_size": 5}).status_code == 404
    again = client.get("/v1/releases/2/ranking", params={"page_size": 5},
                       headers=staff | {"If-None-Match": ranking.headers["etag"]})
    assert again.status_code == 304 and again.headers["cache-control"] == "private, no-cache"


def test_builds_need_a_staff_token_and_are_never_cached(staffed):
    settings, viewer, staff, token = staffed
    client = TestClient(create_app(settings))
    anonymous = client.get("/v1/builds/official/ranking")
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"].startswith("Bearer")
    refused = client.get("/v1/builds/official/ranking", headers=viewer)
    assert refused.status_code == 403 and "li (viewer)" in refused.json()["detail"]
    got = client.get("/v1/builds/official/indices/lq", params={"region": "210100", "page_size": 3}, headers=staff)
    assert got.status_code == 200 and got.headers["cache-control"] == "no-store" and "etag" not in got.headers
    # the official build is not protected: staff see every figure, no row withheld
    assert got.json()["total"] == 38 and not any(r["suppressed"] for r in got.json()["data"])
    working = client.get("/v1/builds/working/ranking", headers=staff)
    if (settings.data_dir / "working.duckdb").exists():
        assert working.status_code == 200 and working.headers["cache-control"] == "no-store"
    else:  # the demo has no submission under review, so no working build: a problem naming it, not a crash
        assert working.status_code == 404 and working.json()["type"].endswith("/no-build")
    # every read of data not yet public is in the audit log, with the token that made it
    from pipeline.access.users import audit_log

    reads = [e for e in audit_log(settings) if e["action"] == "api_read"]
    assert reads and all(e["who"] == "zhao" and token.startswith(f"cst_{e['detail']['token']}_") for e in reads)
    assert {e["detail"]["what"] for e in reads} == {"official build"}


def test_a_token_is_hashed_at_rest_revocable_and_follows_its_accounts_role(staffed):
    from datetime import UTC, datetime

    from pipeline.access.tokens import create_token, list_tokens, revoke_token
    from pipeline.access.users import current_account, set_role

    settings, _, staff, token = staffed
    client = TestClient(create_app(settings))
    with sqlite3.connect(settings.ops_path) as con:  # the secret is nowhere in the store, only its SHA-256
        rows = con.execute("select * from api_tokens").fetchall()
        dump = "\n".join(con.iterdump())
    secret = token[len("cst_") + 16 + 1:]  # cst_<16 hex digits>_<secret>
    assert len(secret) == 43
    assert len(rows) == 2 and secret not in dump
    import hashlib

    assert hashlib.sha256(secret.encode()).hexdigest() in dump
    assert client.get("/v1/releases/2", headers=staff).status_code == 200
    admin = current_account(settings, "wang")
    set_role(settings, "zhao", "viewer", by=admin)  # demoted: the token reads what a viewer reads, at once
    assert client.get("/v1/releases/2", headers=staff).status_code == 404
    set_role(settings, "zhao", "uploader", by=admin)
    token_id = next(t.token_id for t in list_tokens(settings, username="zhao"))
    revoke_token(settings, token_id, by=admin)
    refused = client.get("/v1/releases/1", headers=staff)  # a refused token is refused, even for public data
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    _, old = create_token(settings, "zhao", by=admin, name="old", days=1, now=datetime(2024, 1, 1, tzinfo=UTC))
    assert "expired" in client.get("/v1/releases/1", headers={"Authorization": f"Bearer {old}"}).json()["detail"]
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert client.get("/v1/releases/1", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    assert client.get("/v1/releases/1", headers={"Authorization": "Basic d2FuZzp4"}).status_code == 401
    from pipeline.access.users import audit_log

    actions = [e["action"] for e in audit_log(settings)]
    assert actions.count("token_created") == 3 and "token_revoked" in actions and actions.count("token_refused") >= 3


# -- index families, SDMX-CSV, region profiles, revisions and change reports ------------------------------------------

def test_every_index_family_serves_its_marts_rows_and_withholds_what_the_release_withholds(client, demo):
    from pipeline.api.index_routes import row_schema
    from pipeline.api.indices import FAMILIES

    path = release_path(demo, release(OpsStore(demo.ops_path), 2))
    families = client.get("/v1/releases/2/indices").json()["families"]
    assert [f["name"] for f in families] == list(FAMILIES)
    with duckdb.connect(str(path), read_only=True) as con:
        for name, family in FAMILIES.items():
            got = client.get(f"/v1/releases/2/indices/{name}", params={"format": "parquet"})
            assert got.status_code == 200, (name, got.text)
            served = pl.read_parquet(io.BytesIO(got.content))
            # the columns the OpenAPI document declares for this table (from the DDL), in their order
            assert served.columns == list(row_schema(name)["properties"]), name
            where = " and ".join(
                (["measure = 'employment'"] if family.measure else []) +
                (["region_level = 'city'", "industry_level = 'division'"] if family.levels else []) +
                (["start_year = 2021", "end_year = 2022"] if family.pair else ["year = 2022"]))
            stored = con.sql(f"select * from {family.mart} where {where}").pl()
            assert served.height == stored.height > 0, name
            # the same figures, null where the release withheld them: never a number in their place
            key = [*family.keys, *family.period]
            both = served.join(stored, on=key, suffix="_stored") if key else served.hstack(stored.select(
                pl.all().name.suffix("_stored")))
            for column, dtype in stored.schema.items():
                if dtype.is_numeric() and column not in key:
                    assert (both.get_column(column).is_null() == both.get_column(f"{column}_stored").is_null()).all()
            if "suppressed" in stored.columns:
                assert served.get_column("suppressed").sum() == stored.get_column("suppressed").sum()


def test_sdmx_csv_marks_a_withheld_figure_confidential_and_leaves_it_empty(client, demo):
    path = release_path(demo, release(OpsStore(demo.ops_path), 2))
    got = client.get("/v1/releases/2/indices/lq", params={"format": "sdmx-csv", "region": ["210100", "210200"]})
    assert got.headers["content-type"].startswith("application/vnd.sdmx.data+csv; version=2.0.0")
    sdmx = pl.read_csv(io.BytesIO(got.content), schema_overrides={"REF_AREA": pl.String, "INDUSTRY": pl.String,
                                                                  "TIME_PERIOD": pl.String})
    assert sdmx.columns[:3] == ["STRUCTURE", "STRUCTURE_ID", "ACTION"] and sdmx.item(0, "STRUCTURE_ID") == \
        "CLUSTERSTATS:DF_LQ(1.0)"
    with duckdb.connect(str(path), read_only=True) as con:
        cells = con.sql("select * from mart_location_quotient where year = 2022 and measure = 'employment' and "
                        "region_level = 'city' and industry_level = 'division' and region_code in "
                        "('210100', '210200')").pl()
    figures = ["value", "region_total", "industry_total", "total", "lq", "lq_additive", "threshold"]
    # one observation per cell and figure; a withheld one (null in a flagged row) is empty and confidential
    assert sdmx.height == cells.height * len(figures)
    withheld = sum(cells.filter(pl.col("suppressed") & pl.col(f).is_null()).height for f in figures)
    confidential = sdmx.filter(pl.col("CONF_STATUS") == "C")
    assert withheld > 0 and confidential.height == withheld and confidential.get_column("OBS_VALUE").null_count() \
        == withheld
    one = cells.filter(pl.col("lq").is_not_null()).row(0, named=True)
    row = sdmx.filter((pl.col("REF_AREA") == one["region_code"]) & (pl.col("INDUSTRY") == one["industry_code"])
                      & (pl.col("INDICATOR") == "LQ"))
    assert row.item(0, "OBS_VALUE") == pytest.approx(one["lq"], rel=1e-15) and row.item(0, "CONF_STATUS") == "F"


def test_region_profile_revisions_and_the_change_report_between_two_releases(client, demo):
    profile = client.get("/v1/releases/2/regions/210100/profile").json()
    assert profile["year"] == 2022 and profile["measure"] == "employment" and profile["indices"]["name"] == "沈阳市"
    assert len(profile["lq"]) == 38 and {c["role"] for c in profile["located"]} <= {"lead", "member"}
    assert profile["shift_share"] and all(r["industry_code"] for r in profile["shift_share"])
    wrong = client.get("/v1/releases/2/regions/21010/profile").json()
    assert wrong["status"] == 404 and "210100" in wrong["nearest"]
    revisions = client.get("/v1/releases/1/revisions").json()
    assert revisions["revises"] is None and [r["number"] for r in revisions["revised_by"]] == [2]
    two = client.get("/v1/releases/2/revisions").json()
    assert two["revises"] == 1 and two["revision_note"]
    # the change report compares the published tables of the two frozen files; its count is the figure list's
    changes = client.get("/v1/releases/2/changes").json()
    assert changes["since"] == 1 and changes["figures_changed"] == sum(t["figures"] for t in changes["tables"].values())
    assert changes["figures_changed"] == two["figures_changed"]  # the same comparison the release recorded
    assert not any(t.startswith(("fact_", "stg_", "disclosure_")) for t in changes["tables"])
    figures = pl.read_csv(io.BytesIO(client.get("/v1/releases/2/changes/figures", params={"format": "csv"}).content),
                          infer_schema_length=None)
    assert figures.height == changes["figures_changed"]
    lq = figures.filter((pl.col("table") == "mart_location_quotient") & (pl.col("column") == "lq")).row(0, named=True)
    import json

    key = json.loads(lq["key"])
    path = release_path(demo, release(OpsStore(demo.ops_path), 2))
    with duckdb.connect(str(path), read_only=True) as con:
        ((now,),) = con.sql("select lq from mart_location_quotient where year = ? and measure = ? and region_code = ? "
                            "and industry_code = ? and region_level = ? and industry_level = ?",
                            params=[key["year"], key["measure"], key["region_code"], key["industry_code"],
                                    key["region_level"], key["industry_level"]]).fetchall()
    assert lq["new"] == pytest.approx(now, rel=1e-12) if now is not None else lq["new"] is None
    assert client.get("/v1/releases/1/changes").json()["type"].endswith("/no-earlier-release")


@pytest.mark.slow
def test_serve_starts_the_api_on_its_own_port_and_stops_it_with_the_app(demo, tmp_path):
    import json
    import subprocess
    import sys
    import time
    import urllib.request

    copy = tmp_path / "data"
    shutil.copytree(demo.data_dir, copy)
    app_port, api_port = _free_port(), _free_port()
    api = f"http://127.0.0.1:{api_port}/v1/releases"
    serve = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "--data-dir", str(copy), "serve", "--port",
                              str(app_port), "--api-port", str(api_port), "--no-worker"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(api, timeout=2) as answer:  # noqa: S310 - localhost
                    numbers = [r["number"] for r in json.load(answer)["data"]]
                break
            except OSError:
                assert time.monotonic() < deadline, (copy / "api.log").read_text(errors="replace")
                time.sleep(0.3)
        assert numbers == [2, 1]
        # the README's readers: polars reads a URL with HEAD and byte ranges, pandas with one GET
        import pandas as pd

        base = f"http://127.0.0.1:{api_port}/v1/releases/2"
        lq = pl.read_csv(f"{base}/indices/lq?measure=employment&year=2022&format=csv",
                         schema_overrides={"region_code": pl.String, "industry_code": pl.String})
        assert lq.height == 532 and lq.get_column("region_code").n_unique() == 14  # 14 cities x 38 divisions
        assert pl.scan_parquet(f"{base}/indices/growth?format=parquet").select(pl.len()).collect().item() == 532
        assert pd.read_csv(f"{base}/ranking?year=2022&format=csv").shape[0] == 120
    finally:
        serve.terminate()
        serve.wait(timeout=30)
    # the app stopped: the API follows it within a few seconds, its port closed
    deadline = time.monotonic() + 15
    while True:
        try:
            urllib.request.urlopen(api, timeout=1)  # noqa: S310 - localhost
        except OSError:
            break
        assert time.monotonic() < deadline, "the API outlived the app"
        time.sleep(0.3)
