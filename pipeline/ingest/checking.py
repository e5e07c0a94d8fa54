"""Run a kind's pandera schema (lazy: every failure) and turn each failure into a row-and-column report line."""

from __future__ import annotations

import copy
import difflib
import json
import re

import pandera.polars as pa
import polars as pl

from pipeline.core.messages import Msg
from pipeline.core.safety import looks_like_formula
from pipeline.ingest.cells import is_share_column
from pipeline.ingest.codes import known_for
from pipeline.ingest.records import Prepared
from pipeline.ingest.report import SOURCE_ROW, Failure
from schemas import KINDS, Kind
from schemas.base import MAX_YEAR, MIN_YEAR
from schemas.checks import KNOWN_CODE, KNOWN_GROUPS, YEAR_ENDED, contextual_schema


def validate(
    kind: Kind, prepared: Prepared, landed: dict[str, dict[str, str]], *, this_year: int
) -> list[Failure]:
    """Every schema failure of ``prepared`` as report lines (cells the parser already reported are skipped)."""
    known = known_for(kind, prepared, landed)
    schema = contextual_schema(kind, {k: set(v) for k, v in known.items()}, this_year)
    # Columns missing from the file are reported once by the header check; do not report them per row too.
    missing = [n for n, c in kind.columns.items() if c.required and n not in prepared.headers]
    if missing:
        schema = copy.deepcopy(schema.remove_columns(missing))
        if schema.unique and set(schema.unique) & set(missing):  # a key column is missing: no key to compare
            schema.unique = None
    dropped = {SOURCE_ROW, *missing}  # the columns as they are (DataFrame.drop copies a frame of many chunks)
    frame = pl.DataFrame([prepared.frame.get_column(c) for c in prepared.frame.columns if c not in dropped])
    heights = getattr(prepared.source, "heights", None)
    cases = _cases(schema, frame) if not heights else _cases_by_block(schema, frame, heights)
    return [] if cases is None else _translate(kind, prepared, cases, known, this_year)


def _cases(schema: pa.DataFrameSchema, frame: pl.DataFrame) -> pl.DataFrame | None:
    """pandera's failure cases (None: no failure)."""
    try:
        schema.validate(frame, lazy=True)
        return None
    except pa.errors.SchemaErrors as exc:
        return exc.failure_cases


def _cases_by_block(schema: pa.DataFrameSchema, frame: pl.DataFrame, heights: list[int]) -> pl.DataFrame | None:
    """The failure cases of a streamed file: pandera on each block's records (a slice, not a copy), then the one
    check across rows, the unique key, on the whole frame, in the form pandera gives it (a row's key as JSON
    under the schema's name and ``multiple_fields_uniqueness``, every row of a repeated key)."""
    keys = list(schema.unique or [])
    per_block = copy.deepcopy(schema)
    per_block.unique = None
    found: list[pl.DataFrame] = []
    start = 0
    for height in heights:
        cases = _cases(per_block, frame.slice(start, height))
        if cases is not None:
            found.append(cases.with_columns(pl.col("index").cast(pl.Int64) + start))
        start += height
    # Keys are compared by their hashes first: marking repeated keys directly took 4.5 GB for 25 M firm-years,
    # counting distinct hashes a few MB. Equal keys have equal hashes, so distinct hashes mean distinct keys; rows
    # whose hash repeats are then compared by their keys (a collision is not a repeat).
    hashed = pl.struct(keys).hash() if keys else None
    if hashed is not None and frame.select(hashed.n_unique()).item() < frame.height:
        candidates = frame.select(hashed.is_duplicated().arg_true().alias("index")).get_column("index")
        subset = frame.select(keys)[candidates]
        repeated = subset.select(pl.struct(keys).is_duplicated()).to_series()
        if repeated.any():
            found.append(pl.DataFrame({
                "failure_case": subset.filter(repeated).select(pl.struct(keys).struct.json_encode()).to_series(),
                "schema_context": "DataFrameSchema", "column": schema.name, "check": "multiple_fields_uniqueness",
                "index": candidates.filter(repeated).cast(pl.Int64),
            }))
    return pl.concat(found, how="diagonal_relaxed") if found else None


def _translate(
    kind: Kind, prepared: Prepared, cases: pl.DataFrame, known: dict[str, dict[str, str]], this_year: int
) -> list[Failure]:
    rows = prepared.frame.get_column(SOURCE_ROW)  # by index: a list of every row would be 25 M Python ints
    already = {(f.row, f.field) for f in prepared.failures if f.severity == "error"} | prepared.reported
    measure_rows = {f.row for f in prepared.failures if f.field in kind.measures and f.severity == "error"}
    measure_rows |= {row for row, field in prepared.reported if field in kind.measures}
    headers = prepared.headers
    out: list[Failure] = []
    repeats = cases.filter(pl.col("check").str.contains("uniqueness") | (pl.col("check") == "unique"))
    duplicates = _duplicate_groups(kind, prepared, repeats.get_column("index").drop_nulls()) if repeats.height else {}
    typed = set(prepared.raw_names)
    wanted = {rows[i] for i, c in zip(cases.get_column("index"), cases.get_column("column"), strict=True)
              if i is not None and c in kind.columns and c in typed}
    texts = {r[SOURCE_ROW]: r for r in prepared.raw_rows(wanted).iter_rows(named=True)} if wanted else {}
    for case in cases.iter_rows(named=True):
        index = case["index"]
        row = rows[index] if index is not None else None
        column, check = case["column"], str(case["check"])
        if column in kind.columns:  # a column check
            if (row, column) in already:
                continue
            value = texts.get(row, {}).get(column) if (index is not None and column in typed) \
                else case["failure_case"]
            out.append(_column_failure(kind, column, check, row, value, headers, known, this_year))
        else:  # a whole-row check
            if check == "at_least_one_measure" and row in measure_rows:
                continue  # a measure was given but unreadable: already reported as such
            out.append(_row_failure(kind, check, row, case["failure_case"], headers, duplicates))
    return out


def _column_failure(
    kind: Kind, column: str, check: str, row: int | None, value: object, headers: dict[str, str],
    known: dict[str, dict[str, str]], this_year: int,
) -> Failure:
    col = kind.columns[column]
    shown = headers.get(column, column)
    text = None if value is None else str(value)

    def failure(rule: str, fix: Msg) -> Failure:
        return Failure(row=row, column=shown, value=text, rule=rule, fix=fix, field=column)

    if check == "not_nullable":
        return failure("empty_cell", Msg("checking.empty_cell", column=shown, description=col.description.rstrip(".")))
    if check.startswith("str_matches"):
        if text and looks_like_formula(text):
            return failure("code_format", Msg("checking.code_formula", value=text, example=col.example))
        if text and len(text) > 32:
            return failure("code_format", Msg("checking.code_too_long", n=len(text), example=col.example))
        return failure("code_format", Msg("checking.code_format", example=col.example))
    if check == KNOWN_CODE:
        return failure("unknown_code", _unknown_code_fix(col.references or "", text or "", known))
    if check == KNOWN_GROUPS and column == "member_regions":
        return failure("unknown_code", Msg("checking.unknown_members",
                                           listing=_listing(known.get("regions", {}), text or "")))
    if check == KNOWN_GROUPS:
        return failure("unknown_code", Msg("checking.unknown_groups",
                                           listing=_listing(known.get("regions", {}), text or "")))
    if check == YEAR_ENDED:
        return failure("future_year", Msg("checking.future_year", year=this_year))
    if column == "year" or col.dtype == "int":
        return failure("year_out_of_range", Msg("checking.year_out_of_range", min=MIN_YEAR, max=MAX_YEAR))
    if check.startswith("greater_than_or_equal_to(0)") and col.role == "measure":
        return failure("negative_value", Msg("checking.negative_value"))
    if check.startswith("isin"):
        allowed = _allowed_values(kind, column)
        return failure("not_in_list", Msg("checking.not_in_list", allowed=allowed))
    if check.startswith("str_length"):
        size = Msg("checking.too_long.size", n=len(str(value))) if value is not None else ""
        return failure("too_long", Msg("checking.too_long", size=size))
    if is_share_column(kind, column) and check.startswith(("greater_than", "less_than", "in_range")):
        return failure("not_a_share", Msg("checking.not_a_share", column=shown, value=text))
    if check.startswith(("greater_than", "less_than", "in_range")):
        return failure("out_of_range", Msg("checking.out_of_range", column=shown, description=col.description))
    return failure("check_failed", Msg("checking.check_failed", column=shown, check=check,
                                       description=col.description))


def _row_failure(
    kind: Kind, check: str, row: int | None, case: object, headers: dict[str, str],
    duplicates: dict[int, list[int]],
) -> Failure:
    record = _record(case)
    if "uniqueness" in check or check == "unique":
        keys = kind.keys
        shown = " + ".join(headers.get(k, k) for k in keys)
        value = ", ".join(f"{k}={record.get(k)}" for k in keys)
        group = duplicates.get(row or -1, [])
        where = Msg("checking.duplicate_rows", rows=[str(r) for r in group]) if len(group) > 1 \
            else Msg("checking.duplicate_several")
        return Failure(row=row, column=shown, value=value, rule="duplicate_key", field=None,
                       fix=Msg("checking.duplicate_key", value=value, where=where))
    if check == "at_least_one_measure":
        measures = [headers.get(m, kind.columns[m].title_zh + "/" + m) for m in kind.measures]
        return Failure(row=row, column="(measures)", value=None, rule="no_measure",
                       fix=Msg("checking.no_measure", measures=measures))
    if check == "valid_from_not_after_valid_to":
        value = f"{record.get('valid_from')} > {record.get('valid_to')}"
        return Failure(row=row, column=headers.get("valid_from", "valid_from"), value=value, rule="invalid_period",
                       fix=Msg("checking.invalid_period"))
    if check == "category_or_cluster":
        value = f"category_code={record.get('category_code')}, cluster_code={record.get('cluster_code')}"
        return Failure(row=row, column=headers.get("category_code", "category_code"), value=value,
                       rule="category_or_cluster", fix=Msg("checking.category_or_cluster", value=value))
    return Failure(row=row, column="(row)", value=None, rule="check_failed",
                   fix=Msg("checking.row_check_failed", check=check))


def _record(case: object) -> dict[str, object]:
    try:
        parsed = json.loads(str(case))
        return parsed if isinstance(parsed, dict) else {}
    except (TypeError, ValueError):
        return {}


def _duplicate_groups(kind: Kind, prepared: Prepared, indexes: pl.Series) -> dict[int, list[int]]:
    """Source row -> every source row sharing its key, among the records at ``indexes`` (those pandera found
    repeating a key: every row of each repeated key)."""
    keys = [k for k in kind.keys if k in prepared.frame.columns]
    if not keys:
        return {}
    groups = (
        prepared.frame[indexes.cast(pl.Int64)].group_by(keys)
        .agg(pl.col(SOURCE_ROW).sort().alias("rows"))
        .filter(pl.col("rows").list.len() > 1)
    )
    out: dict[int, list[int]] = {}
    for rows in groups.get_column("rows").to_list():
        for r in rows:
            out[r] = rows
    return out


def _allowed_values(kind: Kind, column: str) -> list[str]:
    for check in kind.schema.columns[column].checks:
        allowed = (check.statistics or {}).get("allowed_values")
        if allowed is not None:
            return [str(a) for a in allowed]
    return []


def _listing(codes: dict[str, str], value: str, limit: int = 12) -> Msg:
    if not codes:
        return Msg("checking.listing_none")
    close = difflib.get_close_matches(value, list(codes), n=3, cutoff=0.5)
    shown = close + [c for c in sorted(codes) if c not in close][: max(0, limit - len(close))]
    parts = [f"{c} {codes[c]}" if codes[c] else c for c in shown]
    more = Msg("checking.listing_more", n=len(codes) - len(shown)) if len(codes) > len(shown) else ""
    hint = Msg("checking.listing_hint", code=close[0]) if close else ""
    return Msg("checking.listing", hint=hint, n=len(codes), codes=parts, more=more)


def _unknown_code_fix(dictionary: str, value: str, known: dict[str, dict[str, str]]) -> Msg:
    codes = known.get(dictionary, {})
    singular = re.sub(r"ies$", "y", dictionary).rstrip("s")
    title = KINDS[dictionary].title_zh if dictionary in KINDS else dictionary
    if not codes:
        return Msg("checking.no_dictionary", dictionary=dictionary, title=title)
    return Msg("checking.unknown_code", singular=singular, value=value, dictionary=dictionary, title=title,
               listing=_listing(codes, value))
