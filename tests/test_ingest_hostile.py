"""Tiny hostile files (issue 14, findings 1 and 2): a workbook with one value far away, and tables thousands of
columns wide, fail their own upload with a message naming the limit; they never take the process down, and the
memory ingest takes grows with the cells, not with the square of the columns.

Each upload is checked in a child process under a memory cap (RLIMIT_AS), so that a regression fails the test
instead of aborting the test run. The files are generated here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest

CHILD = textwrap.dedent("""
    import json, resource, sys
    from pathlib import Path
    cap = int(float(sys.argv[3]) * 1024 ** 3)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    from pipeline.core.errors import ClusterstatsError
    from pipeline.core.settings import Settings
    from pipeline.ingest import check_upload
    path = Path(sys.argv[2])
    try:
        checked = check_upload(Settings.from_env(sys.argv[1]), path.read_bytes(), path.name, "regional-industry",
                               this_year=2026)
        out = {"rows": checked.report.rows, "errors": [f.rule for f in checked.report.failures]}
    except ClusterstatsError as exc:
        out = {"refused": str(exc), "zh": exc.message_zh}
    print(json.dumps(out, ensure_ascii=False))
""")
HEADER = ["地区代码", "行业代码", "年份", "从业人员"]


def _checked(settings, path: Path, *, cap_gb: float, env: dict[str, str] | None = None) -> dict:
    """check_upload of ``path`` in a child process whose address space is capped at ``cap_gb``."""
    import os

    out = subprocess.run([sys.executable, "-c", CHILD, str(settings.data_dir), str(path), str(cap_gb)],
                         capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})})
    assert out.returncode == 0, f"the process ended with {out.returncode}: {out.stderr[-800:]}"
    return json.loads(out.stdout)


def _wide_csv(path: Path, columns: int) -> Path:
    """A header naming the kind's 4 columns and ``columns - 4`` more, and one record: a couple of KB."""
    head = HEADER + [f"x{i}" for i in range(4, columns)]
    row = ["210100", "13", "2022", "100"] + [""] * (columns - 4)
    path.write_text(",".join(head) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    return path


def test_a_workbook_with_one_value_in_xfd1048576_is_refused_without_harm(dictionaries, tmp_path):
    """Before: fastexcel laid the sheet out from A1 to XFD1048576 (2^34 cells of 32 bytes) and the process aborted
    ("memory allocation of 549755813888 bytes failed"). Now the sheet's cells are located while the archive is
    checked, and the workbook is refused before the reader sees it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "2022"
    sheet.append(HEADER)
    sheet.append(["210100", "13", 2022, 100])
    sheet["XFD1048576"] = "x"
    path = tmp_path / "far.xlsx"
    book.save(path)
    assert path.stat().st_size < 8_000
    out = _checked(dictionaries, path, cap_gb=3)
    # 16,384 columns A..XFD: over the 1,024 allowed (the column limit is checked before the cell limit)
    assert out["refused"].startswith("far.xlsx, sheet '2022': its cells spread over A1:XFD1048576, 16,384 columns;")
    assert "at most 1,024 columns (setting CLUSTERSTATS_MAX_COLUMNS)" in out["refused"]
    assert "Ctrl+End" in out["refused"] and "CLUSTERSTATS_MAX_COLUMNS" in out["zh"]


def test_a_sheet_over_the_cell_limit_is_refused_and_the_limit_is_a_setting(dictionaries, tmp_path):
    """A value in D300000 under a 4-column header: 4 x 300,000 = 1,200,000 cells from A1, refused with a limit of
    one million cells (CLUSTERSTATS_MAX_CELLS); the default (20 million) reads it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["210100", "13", 2022, 100])
    sheet["D300000"] = 5
    path = tmp_path / "long.xlsx"
    book.save(path)
    out = _checked(dictionaries, path, cap_gb=3, env={"CLUSTERSTATS_MAX_CELLS": "1000000"})
    assert "A1:D300000, 1,200,000 cells from the first to the last" in out["refused"]
    assert "at most 1,000,000 cells (setting CLUSTERSTATS_MAX_CELLS)" in out["refused"]
    read = _checked(dictionaries, path, cap_gb=3)
    assert "refused" not in read


@pytest.mark.parametrize("columns", [1_024, 1_025, 16_384])
def test_wide_csv_files_are_read_in_linear_memory_or_refused_at_the_column_limit(dictionaries, tmp_path, columns):
    """Before: the row-role expression compared every cell with a coalesce of all cells, so memory grew with the
    square of the columns (measured: 100 columns 955 MiB, 1,024 columns over a 12 GiB cap). Now 1,024 columns
    (the limit) read under a 3 GiB cap of address space (about 1.5 GiB of it is reserved by the threads of
    polars before a file is read), and wider files are refused at once, naming the limit."""
    out = _checked(dictionaries, _wide_csv(tmp_path / f"wide{columns}.csv", columns), cap_gb=3)
    if columns <= 1_024:
        assert out["rows"] == 1 and "refused" not in out
    else:
        assert out["refused"] == (f"wide{columns}.csv: a row has {columns:,} columns; clusterstats reads at most "
                                  "1,024 columns (setting CLUSTERSTATS_MAX_COLUMNS). An upload holds one table with "
                                  "a column per field: check the separator, and delete the columns beyond the table.")


def test_the_column_limit_is_a_setting(dictionaries, tmp_path):
    out = _checked(dictionaries, _wide_csv(tmp_path / "wide.csv", 2_000), cap_gb=3,
                   env={"CLUSTERSTATS_MAX_COLUMNS": "2048"})
    assert out["rows"] == 1 and "refused" not in out


def test_a_16384_column_workbook_is_refused_before_it_is_read(dictionaries, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER + [f"x{i}" for i in range(4, 16_384)])
    path = tmp_path / "wide.xlsx"
    book.save(path)
    out = _checked(dictionaries, path, cap_gb=3)
    assert "its cells spread over A1:XFD1, 16,384 columns" in out["refused"]


def test_numbers_are_finite_and_within_what_their_column_can_hold(dictionaries):
    """Issue 14, finding 4: '1e400' read as +inf landed, and every later build failed its audits. Now a measure is
    finite and at most the largest value of its dimension (pipeline.ingest.units.LARGEST: 1e18 yuan, 1e10
    persons), checked in canonical units, so after the header's unit (万元 = 1e4 yuan):

    - row 2: 1e400 万元 -> infinite (no float holds 1e400); row 3: 1e308 万元 = 1e312 yuan -> infinite too;
    - row 4: 1e11 persons > 1e10; row 5: -1e400 -> minus infinity;
    - row 6: 9.9e13 万元 = 9.9e17 yuan <= 1e18: accepted; row 7: 1.1e14 万元 = 1.1e18 yuan > 1e18.
    """
    from pipeline.core.errors import UploadInvalid
    from pipeline.ingest import ingest_bytes

    csv = ("地区代码,行业代码,年份,从业人员(人),工业总产值(万元)\n"
           "210100,13,2022,100,1e400\n210100,37,2022,100,1e308\n210200,13,2022,1e11,100\n"
           "210200,37,2022,200,-1e400\n210100,13,2021,100,9.9e13\n210100,37,2021,100,1.1e14\n")
    with pytest.raises(UploadInvalid) as caught:
        ingest_bytes(dictionaries, csv.encode("utf-8"), "bounds.csv", "regional-industry", this_year=2026)
    lines = sorted((f.row, f.column, f.value, f.rule) for f in caught.value.report.failures)
    assert lines == [(2, "工业总产值(万元)", "1e400", "number_out_of_bounds"),
                     (3, "工业总产值(万元)", "1e308", "number_out_of_bounds"),
                     (4, "从业人员(人)", "1e11", "number_out_of_bounds"),
                     (5, "工业总产值(万元)", "-1e400", "number_out_of_bounds"),
                     (7, "工业总产值(万元)", "1.1e14", "number_out_of_bounds")]
    fixes = {f.row: f.fix for f in caught.value.report.failures}
    assert fixes[2].startswith("工业总产值(万元) holds at most 1e+18 yuan, far above any real figure; this is more "
                               "than a computer can store (infinite).")
    assert "this is 1e+11 persons." in fixes[4] and "this is 1.1e+18 yuan." in fixes[7]


def _far_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["210100", "13", 2022, 100])
    sheet["XFD1048576"] = "x"
    book.save(path)
    return path


def test_a_file_that_kills_its_reader_fails_its_own_upload_only(dictionaries, tmp_path, monkeypatch):
    """The last line of defence (pipeline.ingest.sandbox): with the spread limits raised out of the way, the
    workbook with a value in XFD1048576 reaches fastexcel, which tries to allocate 512 GiB and aborts. It does so
    in the child process that reads the file: this process gets a message naming the memory limit, and goes on to
    read the next file."""
    from pipeline.core.errors import UploadUnreadable
    from pipeline.ingest import check_upload

    monkeypatch.setenv("CLUSTERSTATS_MAX_COLUMNS", "20000")
    monkeypatch.setenv("CLUSTERSTATS_MAX_CELLS", str(10 ** 12))
    data = _far_workbook(tmp_path / "far.xlsx").read_bytes()
    with pytest.raises(UploadUnreadable) as caught:
        check_upload(dictionaries, data, "far.xlsx", "regional-industry", this_year=2026)
    assert str(caught.value).startswith("far.xlsx: reading this file needs more than 4.0 GB of memory, the most an "
                                        "upload may take (setting CLUSTERSTATS_READ_MEMORY_MB); it was not read.")
    assert "CLUSTERSTATS_READ_MEMORY_MB" in caught.value.message_zh
    fine = _wide_csv(tmp_path / "fine.csv", 5).read_bytes()
    assert check_upload(dictionaries, fine, "fine.csv", "regional-industry", this_year=2026).report.rows == 1


def test_a_table_larger_than_the_output_limit_is_refused(dictionaries, tmp_path, monkeypatch):
    """80,000 rows of 4 cells against an output limit of 1 MB: polars estimates the grid (the row numbers and the
    cells as text) at 2 MB (measured: 40,001 rows, 0.99 MB)."""
    from pipeline.core.errors import UploadUnreadable
    from pipeline.ingest import check_upload

    lines = [",".join(HEADER)] + [f"210100,13,{1980 + i % 40},{i}" for i in range(80_000)]
    monkeypatch.setenv("CLUSTERSTATS_READ_OUTPUT_MB", "1")
    with pytest.raises(UploadUnreadable, match=r"^big.csv: its cells come to 2 MB as text, more than the 1 MB "
                                                 r"an upload may hand on \(setting CLUSTERSTATS_READ_OUTPUT_MB\)"):
        check_upload(dictionaries, ("\n".join(lines) + "\n").encode(), "big.csv", "regional-industry",
                     this_year=2026)
