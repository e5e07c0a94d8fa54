"""Run a kind's pandera schema (lazy: every failure) and turn each failure into a row-and-column report line."""

from __future__ import annotations

import copy
import difflib
import json
import re

import pandera.polars as pa
import polars as pl

from pipeline.normalise import Prepared, is_share_column
from pipeline.reading import SOURCE_ROW
from pipeline.safety import looks_like_formula
from pipeline.validation import Failure
from schemas import Kind
from schemas.base import MAX_YEAR, MIN_YEAR
from schemas.checks import KNOWN_CODE, KNOWN_GROUPS, YEAR_ENDED, contextual_schema


def known_for(kind: Kind, prepared: Prepared, landed: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Landed dictionary codes, plus this file's own codes where the kind refers to itself."""
    known = {k: dict(v) for k, v in landed.items()}
    if kind.is_dictionary and "code" in prepared.frame.columns:
        own = prepared.frame.select("code", pl.col("name") if "name" in prepared.frame.columns else pl.lit(None))
        mine = {c: n for c, n in own.iter_rows() if c is not None}
        known[kind.name] = {**known.get(kind.name, {}), **mine}
    return known


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
    frame = prepared.frame.drop(SOURCE_ROW, *missing)
    try:
        schema.validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    return _translate(kind, prepared, cases, known, this_year)


def _translate(
    kind: Kind, prepared: Prepared, cases: pl.DataFrame, known: dict[str, dict[str, str]], this_year: int
) -> list[Failure]:
    rows = prepared.frame.get_column(SOURCE_ROW).to_list()
    already = {(f.row, f.field) for f in prepared.failures if f.severity == "error"} | prepared.reported
    measure_rows = {f.row for f in prepared.failures if f.field in kind.measures and f.severity == "error"}
    measure_rows |= {row for row, field in prepared.reported if field in kind.measures}
    headers = prepared.headers
    out: list[Failure] = []
    duplicates = _duplicate_groups(kind, prepared)
    for case in cases.iter_rows(named=True):
        index = case["index"]
        row = rows[index] if index is not None else None
        column, check = case["column"], str(case["check"])
        if column in kind.columns:  # a column check
            if (row, column) in already:
                continue
            value = prepared.raw.get_column(column)[index] if (index is not None and column in prepared.raw.columns) \
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

    def failure(rule: str, fix: str) -> Failure:
        return Failure(row=row, column=shown, value=text, rule=rule, fix=fix, field=column)

    if check == "not_nullable":
        return failure("empty_cell", f"Fill in {shown} ({col.description.rstrip('.')}); it is required on every row.")
    if check.startswith("str_matches"):
        if text and looks_like_formula(text):
            return failure("code_format", f"'{text}' looks like a spreadsheet formula, not a code (it is not "
                           f"calculated): type the code itself, e.g. {col.example}.")
        if text and len(text) > 32:
            return failure("code_format", f"A code has at most 32 characters; this one has {len(text):,}. Put the "
                           f"code itself here, e.g. {col.example}.")
        return failure("code_format", f"Codes are letters and digits without spaces or symbols, e.g. {col.example}.")
    if check == KNOWN_CODE:
        return failure("unknown_code", _unknown_code_fix(col.references or "", text or "", known))
    if check == KNOWN_GROUPS:
        return failure("unknown_code", "Each ';'-separated code must be a region of level 'zone' in this file or "
                       "already landed: " + _listing(known.get("regions", {}), text or ""))
    if check == YEAR_ENDED:
        return failure("future_year", f"Records are for years that have ended (up to {this_year}); plan targets "
                       "belong in a targets upload.")
    if column == "year" or col.dtype == "int":
        return failure("year_out_of_range", f"Use a year from {MIN_YEAR} to {MAX_YEAR}.")
    if check.startswith("greater_than_or_equal_to(0)") and col.role == "measure":
        return failure("negative_value", "Measures cannot be negative: correct the sign, or leave the cell empty "
                       "if the value was not reported.")
    if check.startswith("isin"):
        allowed = _allowed_values(kind, column)
        return failure("not_in_list", f"Use one of: {', '.join(allowed)}.")
    if check.startswith("str_length"):
        size = f" (it has {len(str(value)):,})" if value is not None else ""
        return failure("too_long", f"Shorten the text to at most 2,000 characters{size}.")
    if is_share_column(kind, column) and check.startswith(("greater_than", "less_than", "in_range")):
        return failure("not_a_share", f"{shown} is a share of the industry, more than 0 and at most 1 (100%): "
                       f"{text} is impossible. Write e.g. 0.5 or 50%; if {text} is a percentage, write it with the "
                       f"sign: {text}%.")
    if check.startswith(("greater_than", "less_than", "in_range")):
        return failure("out_of_range", f"{shown}: {col.description}")
    return failure("check_failed", f"{shown} failed the check {check}: {col.description}")


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
        where = f"rows {', '.join(map(str, group))}" if len(group) > 1 else "several rows"
        return Failure(row=row, column=shown, value=value, rule="duplicate_key", field=None,
                       fix=f"The key ({value}) is on {where}: keep one row per key (merge or delete the others).")
    if check == "at_least_one_measure":
        measures = [headers.get(m, kind.columns[m].title_zh + "/" + m) for m in kind.measures]
        return Failure(row=row, column="(measures)", value=None, rule="no_measure",
                       fix=f"Fill in at least one of: {', '.join(measures)}; or delete the row.")
    if check == "valid_from_not_after_valid_to":
        value = f"{record.get('valid_from')} > {record.get('valid_to')}"
        return Failure(row=row, column=headers.get("valid_from", "valid_from"), value=value, rule="invalid_period",
                       fix="Make valid_from the first year and valid_to the last year the mapping applies.")
    return Failure(row=row, column="(row)", value=None, rule="check_failed", fix=f"The row fails the check {check}.")


def _record(case: object) -> dict[str, object]:
    try:
        parsed = json.loads(str(case))
        return parsed if isinstance(parsed, dict) else {}
    except (TypeError, ValueError):
        return {}


def _duplicate_groups(kind: Kind, prepared: Prepared) -> dict[int, list[int]]:
    """Source row -> every source row sharing its key (only for duplicated keys)."""
    keys = [k for k in kind.keys if k in prepared.frame.columns]
    if not keys:
        return {}
    groups = (
        prepared.frame.group_by(keys)
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


def _listing(codes: dict[str, str], value: str, limit: int = 12) -> str:
    if not codes:
        return "none are landed yet."
    close = difflib.get_close_matches(value, list(codes), n=3, cutoff=0.5)
    shown = close + [c for c in sorted(codes) if c not in close][: max(0, limit - len(close))]
    parts = [f"{c} {codes[c]}" if codes[c] else c for c in shown]
    more = f" … and {len(codes) - len(shown)} more" if len(codes) > len(shown) else ""
    hint = f"did you mean {close[0]}? " if close else ""
    return f"{hint}known ({len(codes)}): {', '.join(parts)}{more}."


def _unknown_code_fix(dictionary: str, value: str, known: dict[str, dict[str, str]]) -> str:
    codes = known.get(dictionary, {})
    singular = re.sub(r"ies$", "y", dictionary).rstrip("s")
    if not codes:
        return (f"No {dictionary} have been landed yet: upload the {dictionary} dictionary first "
                f"(clusterstats ingest FILE --kind {dictionary}), then this file.")
    return (f"Use a landed {singular} code or add {value!r} to the {dictionary} dictionary first; "
            + _listing(codes, value))
