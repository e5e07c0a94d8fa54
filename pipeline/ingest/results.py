"""What an upload gives: the checked upload (read and validated, not yet landed), its rejected rows as the user
typed them with the reasons in English and Chinese, and the result of landing it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipeline.core.ops import Upload
from pipeline.core.safety import neutralise_frame
from pipeline.ingest.raw import RawTable
from pipeline.ingest.records import Prepared
from pipeline.ingest.report import SOURCE_ROW, ValidationReport
from pipeline.ingest.sheets import column_letter
from schemas import Kind


@dataclass
class CheckedUpload:
    """A file read and validated, not yet landed."""

    kind: Kind
    file_name: str
    sha256: str
    upload_id: str
    table: RawTable
    prepared: Prepared
    report: ValidationReport
    accepted: list[int] | None = None  # with accept_valid_rows: the source rows that can land
    rejected: list[int] = field(default_factory=list)  # with accept_valid_rows: the rows set aside

    @property
    def landable(self) -> bool:
        """Whether anything can land: no error at all, or (accepting valid rows) some valid rows."""
        return self.report.ok or bool(self.accepted)

    def records(self) -> pl.DataFrame:
        """The records as they would land: canonical columns in canonical units, plus their source rows."""
        frame = self.prepared.frame
        if self.accepted is not None:
            frame = frame.filter(pl.col(SOURCE_ROW).is_in(self.accepted))
        return frame.rename({SOURCE_ROW: "source_row"}).select(*self.kind.columns, "source_row")

    def rejected_rows(self) -> pl.DataFrame:
        """The rows set aside (without ``accept_valid_rows``: every row with an error), as the user typed them
        (their own headers), with the row number and the reasons in English (``problems``) and Chinese
        (``problems_zh``): for a download, to fix and upload again."""
        wanted = self.rejected or self.report.bad_rows
        rows = self.prepared.body_rows(wanted) if wanted else None
        if rows is None:
            return pl.DataFrame(schema={"row": pl.Int64, "problems": pl.String, "problems_zh": pl.String})
        names: list[str] = []
        for i in range(len(rows.columns) - 1):
            label = self.prepared.labels[i] if i < len(self.prepared.labels) and self.prepared.labels[i] else ""
            label = label or f"({column_letter(self.table.first_col + i)})"
            while label in names or label in ("row", "problems", "problems_zh"):
                label += "'"
            names.append(label)
        positional = [c for c in rows.columns if c != SOURCE_ROW]
        out = rows.select(pl.col(SOURCE_ROW).alias("row"),
                          *[pl.col(c).alias(n) for c, n in zip(positional, names, strict=True)])
        reasons: dict[int, list[str]] = {}
        for f in self.report.sorted_failures():
            if f.row in wanted:
                value = "" if f.value is None else f" '{f.value}'"
                reasons.setdefault(f.row, []).append(f"{f.column}{value}: {f.message}. {f.fix}")
        chinese = problems_zh(self.report)
        problems = pl.DataFrame({"row": list(reasons), "problems": [" | ".join(v) for v in reasons.values()],
                                 "problems_zh": [chinese.get(r) for r in reasons]},
                                schema={"row": pl.Int64, "problems": pl.String, "problems_zh": pl.String})
        return out.join(problems, on="row", how="left").sort("row")

    def rejected_rows_csv(self) -> bytes:
        """:meth:`rejected_rows` as CSV bytes for a download (UTF-8 with BOM; formulas neutralised)."""
        return b"\xef\xbb\xbf" + neutralise_frame(self.rejected_rows()).write_csv().encode("utf-8")


def problems_zh(report: ValidationReport) -> dict[int, str]:
    """Row -> its errors in Chinese, one line each as the rejected-rows file writes them (列“值”：修改方法)."""
    out: dict[int, list[str]] = {}
    for f in report.sorted_failures():
        if f.row is not None:
            value = "" if f.value is None else f" “{f.value}”"
            out.setdefault(f.row, []).append(f"{f.column}{value}：{f.fix_in('zh')}")
    return {row: "；".join(lines) for row, lines in out.items()}


@dataclass
class IngestResult:
    """What happened to an upload."""

    status: str  # "landed" or "already_landed"
    upload: Upload
    report: ValidationReport
    rejected: int = 0  # rows set aside (accept_valid_rows)
    rejected_path: Path | None = None  # their file, with the reasons

    @property
    def message(self) -> str:
        u = self.upload
        if self.status == "already_landed":
            return (f"{u.file_name} was already landed on {u.landed_at} by {u.who} as {u.kind} vintage "
                    f"{u.vintage} (upload {u.upload_id}); nothing new was written.")
        units = ", ".join(f"{c} from {v['unit']}" for c, v in u.units.items())
        text = (f"Landed {u.rows} {u.kind} rows from {u.file_name} as vintage {u.vintage} (upload "
                f"{u.upload_id})." + (f" Converted {units}." if units else ""))
        if self.rejected:
            text += (f" {self.rejected} row(s) with errors were set aside, with their reasons, in "
                     f"{self.rejected_path}.")
        warnings, notices = len(self.report.notes("warning")), len(self.report.notes("notice"))
        if warnings or notices:
            text += f" {warnings} warning(s), {notices} notice(s): kept with the upload."
        return text + " Run `clusterstats recompute` to update the warehouse."


def problems_in_one_column(rows: pl.DataFrame) -> pl.DataFrame:
    """The rejected rows as ``data/rejected/<upload id>.csv`` keeps them: its columns are those of the user's file
    plus ``row`` and ``problems``, which holds the English and, on a line of its own, the Chinese."""
    both = pl.when(pl.col("problems_zh").is_null()).then(pl.col("problems")) \
        .otherwise(pl.concat_str([pl.col("problems"), pl.col("problems_zh")], separator="\n"))
    return rows.with_columns(both.alias("problems")).drop("problems_zh")
