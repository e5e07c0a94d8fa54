"""Ingest: read a file, validate every record, land it as a new vintage, all or nothing (or the valid rows).

    >>> result = ingest_file(settings, "regional.csv", "regional-industry")   # doctest: +SKIP

The steps are :mod:`pipeline.reading` (format, encoding, sheets, row numbers), :mod:`pipeline.normalise` (header,
aliases, units, cells, totals and footnotes), :mod:`pipeline.codes` (names and damaged codes through the landed
dictionaries), :mod:`pipeline.checking` (pandera, ``lazy=True``), :mod:`pipeline.plausibility` (warnings against
landed data) and :mod:`pipeline.landing` (immutable Parquet plus manifest row, warnings and flagged cells). A large
UTF-8 CSV is read block by block (:mod:`pipeline.streaming`), with the same report.

A file with any error raises :class:`UploadInvalid` carrying the whole report and lands nothing, unless
``accept_valid_rows``: then the rows without errors land (re-checked on their own, so that no landed row refers to
a rejected one) and the others are set aside with their reasons in ``data/rejected/<upload id>.csv`` and the
``rejections`` table. Problems of the whole file (headers, units, encoding) always reject it all. Warnings and
notices never block; they are kept with the manifest row (``upload_notes``). The same file landed twice is
recognised by its content and options and not duplicated. Files over the size limit are refused before they are
read (:func:`upload_limits`: 200 MB unless configured).
"""

from __future__ import annotations

import dataclasses
import getpass
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from pipeline.checking import known_for, validate
from pipeline.codes import repair_codes
from pipeline.errors import StorageFull, UploadInvalid, UploadTooLarge, UploadUnreadable
from pipeline.landing import disk_full, known_codes, land, write_rejected_rows
from pipeline.messages import Msg
from pipeline.normalise import Prepared, prepare
from pipeline.ops import OpsStore, Upload
from pipeline.plausibility import plausibility
from pipeline.reading import SOURCE_ROW, RawTable, read_table
from pipeline.safety import clean_file_name
from pipeline.settings import Settings
from pipeline.sheets import MAX_UNPACKED_BYTES, column_letter
from pipeline.streaming import block_size, prepare_streamed
from pipeline.validation import Failure, ValidationReport
from schemas import KINDS, Kind, get_kind

DEFAULT_MAX_UPLOAD_MB = 200.0
ENV_MAX_UPLOAD_MB = "CLUSTERSTATS_MAX_UPLOAD_MB"
ENV_MAX_UNPACKED_MB = "CLUSTERSTATS_MAX_UNPACKED_MB"


@dataclass(frozen=True)
class Limits:
    """How large an upload may be, and what a workbook may unpack to."""

    max_bytes: int
    max_unpacked: int

    @property
    def max_text(self) -> str:
        return _size(self.max_bytes)


def _size(n: float) -> str:
    mb = n / (1024 * 1024)
    if mb >= 10:
        return f"{mb:,.0f} MB"
    if mb >= 1:
        return f"{mb:,.1f} MB"
    return f"{n / 1024:,.0f} KB" if n >= 1024 else Msg("size.bytes", n=n)


def upload_limits(settings: Settings, *, max_bytes: int | None = None) -> Limits:
    """The upload size limit: ``max_bytes``, else ``Settings.extra["max_upload_mb"]``, else the environment
    variable ``CLUSTERSTATS_MAX_UPLOAD_MB``, else 200 MB. Workbooks may unpack to 5 times that, at least 1 GB
    (``Settings.extra["max_unpacked_mb"]`` or ``CLUSTERSTATS_MAX_UNPACKED_MB`` to set it)."""
    if max_bytes is None:
        mb = settings.extra.get("max_upload_mb") or os.environ.get(ENV_MAX_UPLOAD_MB) or DEFAULT_MAX_UPLOAD_MB
        max_bytes = int(float(mb) * 1024 * 1024)
    unpacked = settings.extra.get("max_unpacked_mb") or os.environ.get(ENV_MAX_UNPACKED_MB)
    max_unpacked = int(float(unpacked) * 1024 * 1024) if unpacked else max(MAX_UNPACKED_BYTES, 5 * max_bytes)
    return Limits(max_bytes=max_bytes, max_unpacked=max_unpacked)


def check_size(size: int, file_name: str, limits: Limits) -> None:
    """Refuse a file over the limit before reading it, saying the limit."""
    if size > limits.max_bytes:
        raise UploadTooLarge(Msg("read.too_large", file=file_name, size=_size(size), limit=limits.max_text,
                                 env=ENV_MAX_UPLOAD_MB))


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
        from pipeline.safety import neutralise_frame

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


def upload_identity(data: bytes, kind: str, *, sheet: str | None, units: dict[str, str] | None,
                    accept_valid_rows: bool = False) -> tuple[str, str]:
    """(sha256 of the bytes, upload id): the id covers the bytes and every option that changes what lands."""
    sha = hashlib.sha256(data).hexdigest()
    options: dict[str, object] = {"kind": kind, "sheet": sheet, "units": sorted((units or {}).items())}
    if accept_valid_rows:
        options["accept_valid_rows"] = True
    upload_id = hashlib.sha256(f"{sha}\n{json.dumps(options, sort_keys=True)}".encode()).hexdigest()[:16]
    return sha, upload_id


def check_upload(
    settings: Settings,
    data: bytes,
    file_name: str,
    kind: str,
    *,
    sheet: str | None = None,
    units: dict[str, str] | None = None,
    this_year: int | None = None,
    accept_valid_rows: bool = False,
    max_bytes: int | None = None,
    jump_factor: float | None = None,
    identity: tuple[str, str] | None = None,
) -> CheckedUpload:
    """Read and validate without landing: the report (errors, warnings, notices), and the records that would land.
    ``identity``: the :func:`upload_identity` of these bytes and options, when the caller has it already (hashing
    a census file takes a fifth of a second each time).

    Raises :class:`UploadUnreadable` (or :class:`UploadTooLarge`) when the file cannot be read as a table at all.
    """
    spec = get_kind(kind)
    name, renamed = clean_file_name(file_name)
    limits = upload_limits(settings, max_bytes=max_bytes)
    check_size(len(data), name, limits)
    sha, upload_id = identity or upload_identity(data, kind, sheet=sheet, units=units,
                                                 accept_valid_rows=accept_valid_rows)
    streamed = prepare_streamed(data, name, spec, units, size=block_size(settings)) if sheet is None else None
    if streamed is not None:  # a large CSV, read block by block (pipeline.streaming)
        table, prepared = streamed
    else:
        table = read_table(data, name, sheet=sheet, kind=spec, max_unpacked=limits.max_unpacked)
        prepared = prepare(table, spec, units)
    report = ValidationReport(file_name=name, kind=kind, rows=prepared.frame.height,
                              header_row=prepared.header_rows[-1])
    if renamed:
        report.add(Failure(row=None, column="(file)", value=file_name, rule="file_name_cleaned",
                           fix=Msg("note.file_name_cleaned", name=name)))
    report.extend(prepared.failures)
    landed = {ref: known_codes(settings, ref) for ref in _references(spec)}
    report.extend(repair_codes(spec, prepared, known_for(spec, prepared, landed)))
    year = this_year or date.today().year
    report.extend(validate(spec, prepared, landed, this_year=year))
    header_row = prepared.header_rows[-1]
    if prepared.frame.height == 0 and not any(f.rule == "missing_header" for f in report.failures):
        report.add(Failure(row=None, column="(rows)", value=None, rule="no_rows",
                           fix=Msg("ingest.no_rows", row=header_row)))
    checked = CheckedUpload(spec, name, sha, upload_id, table, prepared, report)
    if accept_valid_rows and not report.ok:
        _accept_valid_rows(checked, landed, year)
    if checked.landable:
        subset = _subset(prepared, checked.accepted) if checked.accepted is not None else prepared
        report.extend(plausibility(settings, spec, subset, jump_factor=jump_factor))
    return checked


def _subset(prepared: Prepared, rows: list[int]) -> Prepared:
    keep = pl.col(SOURCE_ROW).is_in(rows)
    return dataclasses.replace(prepared, frame=prepared.frame.filter(keep), raw=prepared.raw.filter(keep),
                               failures=[], reported=set())


def _accept_valid_rows(checked: CheckedUpload, landed: dict[str, dict[str, str]], this_year: int) -> None:
    """The rows that can land on their own: without errors, and still valid without the rejected rows."""
    header_row = checked.prepared.header_rows[-1]
    report = checked.report
    if any(f.row is None or f.row <= header_row for f in report.failures):
        return  # a problem of the whole file (a header, a unit, no rows): nothing can land
    all_rows = checked.prepared.frame.get_column(SOURCE_ROW).to_list()
    bad = {f.row for f in report.failures if f.row is not None}
    for _ in range(10):
        good = [r for r in all_rows if r not in bad]
        if not good:
            break
        again = [f for f in validate(checked.kind, _subset(checked.prepared, good), landed, this_year=this_year)
                 if f.row is not None]
        if not again:
            break
        report.extend(again)
        bad |= {f.row for f in again}
    good = [r for r in all_rows if r not in bad]
    checked.accepted = good or None
    checked.rejected = sorted(bad)
    if good:
        report.add(Failure(row=None, column="(rows)", value=None, rule="rows_rejected",
                           fix=Msg("ingest.rows_rejected", good=len(good), bad=len(bad))))


def _problems_in_one_column(rows: pl.DataFrame) -> pl.DataFrame:
    """The rejected rows as ``data/rejected/<upload id>.csv`` keeps them: its columns are those of the user's file
    plus ``row`` and ``problems``, which holds the English and, on a line of its own, the Chinese."""
    both = pl.when(pl.col("problems_zh").is_null()).then(pl.col("problems")) \
        .otherwise(pl.concat_str([pl.col("problems"), pl.col("problems_zh")], separator="\n"))
    return rows.with_columns(both.alias("problems")).drop("problems_zh")


def _references(kind: Kind) -> set[str]:
    refs = {c.references for c in kind.columns.values() if c.references}
    if kind.name == "regions":
        refs.add("regions")
    return {r for r in refs if r is not None}


def ingest_bytes(
    settings: Settings,
    data: bytes,
    file_name: str,
    kind: str,
    *,
    sheet: str | None = None,
    units: dict[str, str] | None = None,
    who: str | None = None,
    this_year: int | None = None,
    accept_valid_rows: bool = False,
    max_bytes: int | None = None,
    jump_factor: float | None = None,
) -> IngestResult:
    """Validate ``data`` and land it as a new vintage of ``kind``.

    Raises :class:`UploadInvalid` (with the report) on any error, unless ``accept_valid_rows`` and some rows are
    valid; :class:`UploadUnreadable` when it is not a readable table; :class:`StorageFull` when the disk is full.
    """
    try:
        return _ingest(settings, data, file_name, kind, sheet=sheet, units=units, who=who, this_year=this_year,
                       accept_valid_rows=accept_valid_rows, max_bytes=max_bytes, jump_factor=jump_factor)
    except (OSError, sqlite3.Error) as exc:
        if disk_full(exc, settings.data_dir if settings.data_dir.exists() else None):
            raise StorageFull(Msg("land.disk_full_ingest", folder=str(settings.data_dir), error=exc)) from None
        raise


def _ingest(
    settings: Settings,
    data: bytes,
    file_name: str,
    kind: str,
    *,
    sheet: str | None,
    units: dict[str, str] | None,
    who: str | None,
    this_year: int | None,
    accept_valid_rows: bool,
    max_bytes: int | None,
    jump_factor: float | None,
) -> IngestResult:
    from pipeline.recovery import recover_landing

    settings.ensure_dirs()
    store = OpsStore(settings.ops_path)
    store.migrate()
    recover_landing(settings)
    who = who or _current_user()
    get_kind(kind)
    name, _ = clean_file_name(file_name)
    check_size(len(data), name, upload_limits(settings, max_bytes=max_bytes))
    identity = upload_identity(data, kind, sheet=sheet, units=units, accept_valid_rows=accept_valid_rows)
    existing = store.find_upload(identity[1])
    if existing is not None:
        return IngestResult("already_landed", existing, ValidationReport(existing.file_name, kind, existing.rows))
    checked = check_upload(settings, data, file_name, kind, sheet=sheet, units=units, this_year=this_year,
                           accept_valid_rows=accept_valid_rows, max_bytes=max_bytes, jump_factor=jump_factor,
                           identity=identity)
    report = checked.report
    if not checked.landable:
        store.record_rejection(kind=kind, file_name=checked.file_name, sha256=checked.sha256,
                               report=report.to_dict(), who=who)
        raise UploadInvalid(report)
    rejected_path = None
    if checked.rejected:
        rejected_path = write_rejected_rows(settings, _problems_in_one_column(checked.rejected_rows()),
                                            checked.upload_id)
    flags = checked.prepared.flags
    upload, created = land(
        settings,
        checked.records(),
        upload_id=checked.upload_id,
        kind=kind,
        file_name=checked.file_name,
        sha256=checked.sha256,
        source_format=checked.table.file_format,
        encoding=checked.table.encoding,
        sheet=checked.table.sheet,
        headers=checked.prepared.headers,
        units=checked.prepared.units,
        who=who,
        notes=[dataclasses.asdict(f) for f in report.sorted_warnings()],
        flags=list(flags.select("source_row", "field", "value", "flag").iter_rows()),
    )
    if created and checked.rejected:
        store.record_rejection(kind=kind, file_name=checked.file_name, sha256=checked.sha256,
                               report=report.to_dict(), who=who, upload_id=upload.upload_id,
                               rows_path=str(rejected_path.relative_to(settings.data_dir)) if rejected_path else None)
    return IngestResult("landed" if created else "already_landed", upload, report,
                        rejected=len(checked.rejected), rejected_path=rejected_path)


def ingest_file(
    settings: Settings,
    path: str | Path,
    kind: str,
    *,
    sheet: str | None = None,
    units: dict[str, str] | None = None,
    who: str | None = None,
    this_year: int | None = None,
    accept_valid_rows: bool = False,
    max_bytes: int | None = None,
    jump_factor: float | None = None,
) -> IngestResult:
    """Ingest the file at ``path`` (see :func:`ingest_bytes`); its size is checked before it is read."""
    path = Path(path)
    try:
        size = path.stat().st_size
        check_size(size, path.name, upload_limits(settings, max_bytes=max_bytes))
        data = path.read_bytes()
    except OSError as exc:
        raise UploadUnreadable(Msg("read.cannot_read", path=str(path), reason=exc.strerror)) from None
    return ingest_bytes(settings, data, path.name, kind, sheet=sheet, units=units, who=who, this_year=this_year,
                        accept_valid_rows=accept_valid_rows, max_bytes=max_bytes, jump_factor=jump_factor)


def _current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


__all__ = ["KINDS", "CheckedUpload", "IngestResult", "Limits", "check_upload", "ingest_bytes", "ingest_file",
           "upload_limits"]
