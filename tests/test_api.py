"""The open-data API (pipeline.api) on the demo's published releases: what it serves, what it never serves (an
embargoed release; a withheld figure as a number), caching (ETag round trip), paging, and problem details."""

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


def test_an_embargoed_release_is_not_served(demo, tmp_path):
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


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_and_no_response_off_its_schema(demo, tmp_path):
    # the live OpenAPI document of `clusterstats api`, every operation fuzzed and its links followed (stateful),
    # every check (status codes, content types and bodies as documented; no 5xx; 405 with Allow ...)
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    port = _free_port()
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen([str(bin_dir / "clusterstats"), "--data-dir", str(demo.data_dir), "api", "--port",
                               str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/openapi.json"
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        run = subprocess.run([str(bin_dir / "schemathesis"), "run", url, "--checks", "all", "--max-examples", "25",
                              "--generation-deterministic", "--no-color"],
                             capture_output=True, text=True, timeout=600, cwd=tmp_path)
        assert run.returncode == 0, run.stdout[-4000:]
        assert "passed" in run.stdout and "failures" not in run.stdout.split("SUMMARY")[-1]
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
