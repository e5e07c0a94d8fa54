"""Property-based fuzzing of ingest with malformed CSVs (hypothesis).

Whatever the bytes: no crash (only UploadInvalid with a report, or UploadUnreadable with a message naming the
file), and never a partial landing: the manifest and the landing zone change together (one new row, one new
complete file with as many rows as the manifest says) or not at all.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
from conftest import TINY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.core.errors import UploadInvalid, UploadUnreadable
from pipeline.core.ops import OpsStore
from pipeline.core.settings import Settings
from pipeline.ingest import ingest_bytes
from pipeline.ingest.report import RULES

HEADERS = ["地区代码", "region_code", "行业代码", "industry", "年份", "year", "从业人员", "employment(万人)",
           "工业总产值(万元)", "output_value", "出口交货值", "备注", "", "产值（亿元）", "从业人员(万元)", "合计"]
CELLS = ["210100", "210200", "37", "13", "06", "沈阳市", "210100.0", '="210200"', "2021", "2022", "2022年",
         "20x2", "1905-07-14 00:00:00", "44562", "1,234", "1.234,5", "１２３", "-5", "12%", "1e3", "(7)", "…", "-",
         "NA", "x", "", " ", "合计", "注：快报数", "=1+2", "<b>x</b>", "#DIV/0!", "\x00", "9.9E+14", "1" * 40]
DELIMITERS = [",", ";", "\t", "|"]
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16"]

cell = st.one_of(st.sampled_from(CELLS), st.text(max_size=12))


@st.composite
def malformed_csv(draw) -> bytes:
    delimiter = draw(st.sampled_from(DELIMITERS))
    width = draw(st.integers(1, 7))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=width + 2), max_size=8))
    lines = []
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["2022年各市数据（单位：万元）", "", "Title"])))
    for record in [header, *rows]:
        quoted = [f'"{c}"' if draw(st.booleans()) and '"' not in c else c for c in record]
        lines.append(delimiter.join(quoted))
    text = draw(st.sampled_from(["\n", "\r\n"])).join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors="replace")
    for _ in range(draw(st.integers(0, 2))):  # stray bytes: damage, binary noise, a lone quote
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\x00", b'"', b"\x81", b"\xe4\xb8"])) + data[at:]
    return data


def _state(s: Settings) -> tuple[dict[str, int], set[str]]:
    manifest = {u.path: u.rows for u in OpsStore(s.ops_path).uploads()}
    files = {str(p.relative_to(s.data_dir)) for p in s.landing_dir.rglob("*") if p.is_file()}
    return manifest, files


@pytest.fixture(scope="module")
def fuzz_settings(tmp_path_factory) -> Settings:
    s = Settings.from_env(tmp_path_factory.mktemp("fuzz") / "data")
    for kind, name, text in TINY[:2]:
        ingest_bytes(s, text.encode(), name, kind, who="tester")
    yield s
    shutil.rmtree(s.data_dir, ignore_errors=True)


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=malformed_csv(), accept=st.booleans())
def test_malformed_csv_is_reported_or_landed_whole(fuzz_settings, data, accept):
    s = fuzz_settings
    before_manifest, before_files = _state(s)
    try:
        result = ingest_bytes(s, data, "fuzz.csv", "regional-industry", who="fuzz", accept_valid_rows=accept,
                              this_year=2025)
    except UploadInvalid as exc:
        report = exc.report
        assert report.failures and not report.ok
        for f in report.failures + report.warnings:
            assert f.rule in RULES and f.fix, f
        assert _state(s) == (before_manifest, before_files)
        return
    except UploadUnreadable as exc:
        assert str(exc).startswith("fuzz.csv") and len(str(exc)) > 30
        assert _state(s) == (before_manifest, before_files)
        return
    after_manifest, after_files = _state(s)
    if result.status == "already_landed":
        assert (after_manifest, after_files) == (before_manifest, before_files)
        return
    new = set(after_manifest) - set(before_manifest)
    assert new == {result.upload.path} and after_files - before_files == new
    path = Path(s.data_dir / result.upload.path)
    assert pl.read_parquet(path).height == result.upload.rows == after_manifest[result.upload.path] > 0
    assert accept or result.report.ok
