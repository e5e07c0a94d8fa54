"""Ingest: read a file, validate every record, land it as a new vintage, all or nothing.

    >>> result = ingest_file(settings, "regional.csv", "regional-industry")   # doctest: +SKIP

The steps are :mod:`pipeline.reading` (encoding, format, row numbers), :mod:`pipeline.normalise` (header aliases,
units, cell types), :mod:`pipeline.checking` (pandera, ``lazy=True``) and :mod:`pipeline.landing` (immutable
Parquet plus manifest row). A file with any failure raises :class:`UploadInvalid` carrying the whole report and
lands nothing; the same file landed twice is recognised by its content and not duplicated.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from pipeline.checking import validate
from pipeline.errors import UploadInvalid, UploadUnreadable
from pipeline.landing import known_codes, land
from pipeline.normalise import Prepared, prepare
from pipeline.ops import OpsStore, Upload
from pipeline.reading import SOURCE_ROW, RawTable, read_table
from pipeline.settings import Settings
from pipeline.validation import ValidationReport
from schemas import KINDS, Kind, get_kind


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

    def records(self) -> pl.DataFrame:
        """The records as they would land: canonical columns in canonical units, plus their source rows."""
        return self.prepared.frame.rename({SOURCE_ROW: "source_row"}).select(
            *self.kind.columns, "source_row"
        )


@dataclass
class IngestResult:
    """What happened to an upload."""

    status: str  # "landed" or "already_landed"
    upload: Upload
    report: ValidationReport

    @property
    def message(self) -> str:
        u = self.upload
        if self.status == "already_landed":
            return (f"{u.file_name} was already landed on {u.landed_at} by {u.who} as {u.kind} vintage "
                    f"{u.vintage} (upload {u.upload_id}); nothing new was written.")
        units = ", ".join(f"{c} from {v['unit']}" for c, v in u.units.items())
        return (f"Landed {u.rows} {u.kind} rows from {u.file_name} as vintage {u.vintage} (upload "
                f"{u.upload_id})." + (f" Converted {units}." if units else "")
                + " Run `clusterstats recompute` to update the warehouse.")


def upload_identity(data: bytes, kind: str, *, sheet: str | None, units: dict[str, str] | None) -> tuple[str, str]:
    """(sha256 of the bytes, upload id): the id covers the bytes and every option that changes what lands."""
    sha = hashlib.sha256(data).hexdigest()
    options = json.dumps({"kind": kind, "sheet": sheet, "units": sorted((units or {}).items())}, sort_keys=True)
    upload_id = hashlib.sha256(f"{sha}\n{options}".encode()).hexdigest()[:16]
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
) -> CheckedUpload:
    """Read and validate without landing: the report, and the records that would land."""
    spec = get_kind(kind)
    name = Path(file_name).name or "upload"
    sha, upload_id = upload_identity(data, kind, sheet=sheet, units=units)
    table = read_table(data, name, sheet=sheet)
    prepared = prepare(table, spec, units)
    report = ValidationReport(file_name=name, kind=kind, rows=prepared.frame.height)
    report.extend(prepared.failures)
    landed = {ref: known_codes(settings, ref) for ref in _references(spec)}
    report.extend(validate(spec, prepared, landed, this_year=this_year or date.today().year))
    return CheckedUpload(spec, name, sha, upload_id, table, prepared, report)


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
) -> IngestResult:
    """Validate ``data`` and land it as a new vintage of ``kind``; raises :class:`UploadInvalid` on any failure."""
    settings.ensure_dirs()
    store = OpsStore(settings.ops_path)
    store.migrate()
    who = who or _current_user()
    get_kind(kind)
    _, upload_id = upload_identity(data, kind, sheet=sheet, units=units)
    existing = store.find_upload(upload_id)
    if existing is not None:
        return IngestResult("already_landed", existing, ValidationReport(existing.file_name, kind, existing.rows))
    checked = check_upload(settings, data, file_name, kind, sheet=sheet, units=units, this_year=this_year)
    if not checked.report.ok:
        store.record_rejection(kind=kind, file_name=checked.file_name, sha256=checked.sha256,
                               report=checked.report.to_dict(), who=who)
        raise UploadInvalid(checked.report)
    if checked.prepared.frame.height == 0:
        raise UploadUnreadable(f"{checked.file_name}: the file has a header but no data rows; nothing to land.")
    upload, created = land(
        settings,
        checked.records(),
        upload_id=upload_id,
        kind=kind,
        file_name=checked.file_name,
        sha256=checked.sha256,
        source_format=checked.table.file_format,
        encoding=checked.table.encoding,
        sheet=checked.table.sheet,
        headers=checked.prepared.headers,
        units=checked.prepared.units,
        who=who,
    )
    return IngestResult("landed" if created else "already_landed", upload, checked.report)


def ingest_file(
    settings: Settings,
    path: str | Path,
    kind: str,
    *,
    sheet: str | None = None,
    units: dict[str, str] | None = None,
    who: str | None = None,
    this_year: int | None = None,
) -> IngestResult:
    """Ingest the file at ``path`` (see :func:`ingest_bytes`)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UploadUnreadable(f"{path}: cannot be read ({exc.strerror}).") from None
    return ingest_bytes(settings, data, path.name, kind, sheet=sheet, units=units, who=who, this_year=this_year)


def _current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


__all__ = ["KINDS", "CheckedUpload", "IngestResult", "check_upload", "ingest_bytes", "ingest_file"]
