"""Ingest, top to bottom: an upload's bytes through every step, in order, called from here alone.

    >>> result = ingest_file(settings, "regional.csv", "regional-industry")   # doctest: +SKIP

=====  ==================================================  =========================================
step   what it makes of the step before's result            function
=====  ==================================================  =========================================
0      bytes: size limit, identity (already landed?)        :func:`~pipeline.ingest.limits.check_size`
1      bytes -> raw table (format, encoding, sheet, rows)   :func:`~pipeline.ingest.sandbox.read_in_child`
2      raw table -> located header (columns, units)         :func:`~pipeline.ingest.layout.layout`
3      header + rows -> typed records (cells, totals ...)   :func:`~pipeline.ingest.records.typed_records`
4      records: codes read through the landed dictionaries  :func:`~pipeline.ingest.codes.repair_codes`
5      records -> validated (pandera, ``lazy=True``)         :func:`~pipeline.ingest.checking.validate`
6      validated records -> warnings against landed data    :func:`~pipeline.ingest.plausibility.plausibility`
7      -> landed (immutable Parquet + manifest row)         :func:`~pipeline.ingest.landing.land`
=====  ==================================================  =========================================

Step 1 runs :func:`~pipeline.ingest.reading.read_table` in a child process under limits
(:mod:`pipeline.ingest.sandbox`): a hostile file fails its own upload, never this process. Steps 1 to 3 are fed
by :mod:`pipeline.ingest.streaming`: the whole file, or a large UTF-8 CSV in blocks of lines
(step 1 reads the first block, step 3 runs on each block); the steps and their report are the same.

A file with any error raises :class:`UploadInvalid` carrying the whole report and lands nothing, unless
``accept_valid_rows``: then the rows without errors land (re-checked on their own, so that no landed row refers to
a rejected one) and the others are set aside with their reasons in ``data/rejected/<upload id>.csv`` and the
``rejections`` table. Problems of the whole file (headers, units, encoding) always reject it all. Warnings and
notices never block; they are kept with the manifest row (``upload_notes``). The same file landed twice is
recognised by its content and options and not duplicated.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import polars as pl

from pipeline.core.errors import StorageFull, UploadInvalid, UploadUnreadable
from pipeline.core.files import disk_full
from pipeline.core.messages import Msg
from pipeline.core.ops import OpsStore
from pipeline.core.safety import clean_file_name
from pipeline.core.settings import Settings, os_user
from pipeline.ingest.checking import validate
from pipeline.ingest.codes import known_for, repair_codes
from pipeline.ingest.landing import known_codes, land, recover_landing, write_rejected_rows
from pipeline.ingest.layout import layout
from pipeline.ingest.limits import Limits, check_size, upload_identity, upload_limits
from pipeline.ingest.plausibility import plausibility
from pipeline.ingest.raw import RawTable
from pipeline.ingest.records import Prepared, typed_records
from pipeline.ingest.report import SOURCE_ROW, Failure, ValidationReport
from pipeline.ingest.results import CheckedUpload, IngestResult, problems_in_one_column
from pipeline.ingest.sandbox import read_in_child
from pipeline.ingest.scope import scope_failures
from pipeline.ingest.streaming import Blocks, NotStreamable, WholeFile, block_size
from schemas import KINDS, Kind, get_kind


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
    scope: Sequence[str] | None = None,
) -> CheckedUpload:
    """Steps 0 to 6, without landing: the report (errors, warnings, notices), and the records that would land.
    ``identity``: the :func:`upload_identity` of these bytes and options, when the caller has it already (hashing
    a census file takes a fifth of a second each time). ``scope``: the regions of an account limited to regions
    (:mod:`pipeline.ingest.scope`); a row of another region is an error.

    Raises :class:`UploadUnreadable` (or :class:`UploadTooLarge`) when the file cannot be read as a table at all.
    """
    spec = get_kind(kind)
    name, renamed = clean_file_name(file_name)
    limits = upload_limits(settings, max_bytes=max_bytes)
    check_size(len(data), name, limits)  # 0
    sha, upload_id = identity or upload_identity(data, kind, sheet=sheet, units=units,
                                                 accept_valid_rows=accept_valid_rows)
    table, prepared = typed(data, name, spec, sheet=sheet, units=units, limits=limits,  # 1, 2, 3
                            block_bytes=block_size(settings))
    report = ValidationReport(file_name=name, kind=kind, rows=prepared.frame.height,
                              header_row=prepared.header_rows[-1])
    if renamed:
        report.add(Failure(row=None, column="(file)", value=file_name, rule="file_name_cleaned",
                           fix=Msg("note.file_name_cleaned", name=name)))
    report.extend(prepared.failures)
    landed = {ref: known_codes(settings, ref) for ref in _references(spec)}
    report.extend(repair_codes(spec, prepared, known_for(spec, prepared, landed)))  # 4
    year = this_year or date.today().year
    report.extend(validate(spec, prepared, landed, this_year=year))  # 5
    outside = scope_failures(settings, spec, prepared, scope)  # 5: a region-scoped account's own rows only
    report.extend(outside)
    if prepared.frame.height == 0 and not any(f.rule == "missing_header" for f in report.failures):
        report.add(Failure(row=None, column="(rows)", value=None, rule="no_rows",
                           fix=Msg("ingest.no_rows", row=prepared.header_rows[-1])))
    checked = CheckedUpload(spec, name, sha, upload_id, table, prepared, report)
    if accept_valid_rows and not report.ok and not outside:  # another region's row: the file lands nothing
        _accept_valid_rows(checked, landed, year)
    if checked.landable:
        subset = _subset(prepared, checked.accepted) if checked.accepted is not None else prepared
        report.extend(plausibility(settings, spec, subset, jump_factor=jump_factor))  # 6
    return checked


def typed(data: bytes, file_name: str, kind: Kind, *, sheet: str | None, units: dict[str, str] | None,
          limits: Limits, block_bytes: int) -> tuple[RawTable, Prepared]:
    """Steps 1 to 3: the bytes read as a raw table, its header located, its rows typed. A large UTF-8 CSV is fed in
    blocks (:class:`~pipeline.ingest.streaming.Blocks`); when a block could change what the whole file says, or
    its first block alone does not read, the same steps are fed the whole file."""
    blocks = Blocks.of(data, file_name, kind, size=block_bytes) if sheet is None else None
    if blocks is not None:
        try:
            return _first_steps(blocks, file_name, kind, sheet=sheet, units=units, limits=limits)
        except (NotStreamable, UploadUnreadable):
            pass  # the whole file says what it is
    return _first_steps(WholeFile(data), file_name, kind, sheet=sheet, units=units, limits=limits)


def _first_steps(feed: WholeFile | Blocks, file_name: str, kind: Kind, *, sheet: str | None,
                 units: dict[str, str] | None, limits: Limits) -> tuple[RawTable, Prepared]:
    table = read_in_child(feed.head, file_name, sheet=sheet, kind=kind, limits=limits)  # 1, in a child process
    header = layout(table, kind, units)  # 2
    prepared = feed.map(typed_records, table, header, kind)  # 3, on each block of rows
    return feed.kept(table), prepared


def _subset(prepared: Prepared, rows: list[int]) -> Prepared:
    keep = pl.col(SOURCE_ROW).is_in(rows)
    return dataclasses.replace(prepared, frame=prepared.frame.filter(keep), raw=prepared.raw.filter(keep),
                               failures=[], reported=set())


def _accept_valid_rows(checked: CheckedUpload, landed: dict[str, dict[str, str]], this_year: int) -> None:
    """Step 5 again, for the rows that can land on their own: without errors, and still valid without the
    rejected rows."""
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
    scope: Sequence[str] | None = None,
    submission: bool = False,
) -> IngestResult:
    """Validate ``data`` and land it as a new vintage of ``kind`` (steps 0 to 7). ``scope``: the regions of an
    account limited to regions (a row of another region is an error; see :func:`check_upload`). ``submission``: a
    city submitter's upload, which lands as 'submitted' and enters official builds only once a reviewer accepts it
    (:mod:`pipeline.publishing.submissions`); provincial staff's uploads are official as they land.

    Raises :class:`UploadInvalid` (with the report) on any error, unless ``accept_valid_rows`` and some rows are
    valid; :class:`UploadUnreadable` when it is not a readable table; :class:`StorageFull` when the disk is full.
    """
    try:
        return _ingest(settings, data, file_name, kind, sheet=sheet, units=units, who=who, this_year=this_year,
                       accept_valid_rows=accept_valid_rows, max_bytes=max_bytes, jump_factor=jump_factor,
                       scope=scope, submission=submission)
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
    scope: Sequence[str] | None = None,
    submission: bool = False,
) -> IngestResult:
    settings.ensure_dirs()
    store = OpsStore(settings.ops_path)
    store.migrate()
    recover_landing(settings)
    who = who or os_user()
    get_kind(kind)
    name, _ = clean_file_name(file_name)
    check_size(len(data), name, upload_limits(settings, max_bytes=max_bytes))  # 0
    identity = upload_identity(data, kind, sheet=sheet, units=units, accept_valid_rows=accept_valid_rows)
    existing = store.find_upload(identity[1])
    if existing is not None:
        return IngestResult("already_landed", existing, ValidationReport(existing.file_name, kind, existing.rows))
    checked = check_upload(settings, data, file_name, kind, sheet=sheet, units=units, this_year=this_year,  # 1-6
                           accept_valid_rows=accept_valid_rows, max_bytes=max_bytes, jump_factor=jump_factor,
                           identity=identity, scope=scope)
    report = checked.report
    if not checked.landable:
        store.record_rejection(kind=kind, file_name=checked.file_name, sha256=checked.sha256,
                               report=report.to_dict(), who=who)
        raise UploadInvalid(report)
    rejected_path = None
    if checked.rejected:
        rejected_path = write_rejected_rows(settings, problems_in_one_column(checked.rejected_rows()),
                                            checked.upload_id)
    flags = checked.prepared.flags
    upload, created = land(  # 7
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
        flags=list(flags.select("source_row", "field", "value", "flag", "keys").iter_rows()),
        submitted=submission,
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
    scope: Sequence[str] | None = None,
    submission: bool = False,
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
                        accept_valid_rows=accept_valid_rows, max_bytes=max_bytes, jump_factor=jump_factor,
                        scope=scope, submission=submission)



__all__ = ["KINDS", "CheckedUpload", "IngestResult", "Limits", "check_upload", "ingest_bytes", "ingest_file",
           "upload_limits"]
