"""Step 3 of ingest, its core: a table's cells read by the type of their column, every problem a report line.

Each column of the kind is read from the text under its header: most columns take the plain path (every cell is
already a number, a four-digit year or a code: one cast), the others the careful one, cell by cell through
:mod:`pipeline.ingest.values` (separators, full-width digits, years as dates, codes stored as numbers, markers of
missing and suppressed values). What was read on the user's behalf is counted in a notice, what cannot be read is
an error and a null, so that the schema checks still run on everything else. Measures are converted to canonical
units (the header's unit, or ``--unit``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from pipeline.core.messages import Msg
from pipeline.core.safety import FORMULA_START, MARKUP
from pipeline.ingest.report import EXAMPLES, SOURCE_ROW, Failure, example_text, rows_msg
from pipeline.ingest.units import CANONICAL, LARGEST
from pipeline.ingest.values import (
    CONTROL,
    EXCEL_ERROR_TEXTS,
    MISSING_MARKERS,
    NUMBER,
    SUPPRESSED_MARKERS,
    canonical_text,
    clean_code,
    is_date_serial,
    is_percent,
    is_scientific,
    marker_flag,
    parse_number,
    parse_year,
    serial_date,
)
from schemas import Kind


def _checks(kind: Kind, name: str) -> list[str]:
    return [str(c.name) for c in kind.schema.columns[name].checks]


def is_code_column(kind: Kind, name: str) -> bool:
    """A column of codes (its schema checks the code pattern)."""
    return any(c.startswith("str_matches") for c in _checks(kind, name))


def is_share_column(kind: Kind, name: str) -> bool:
    """A share (at most 1): percentages are allowed in it."""
    for check in kind.schema.columns[name].checks:
        stats = check.statistics or {}
        if str(check.name).startswith("less_than_or_equal_to") and stats.get("max_value") == 1:
            return True
    return False


_UNIT_EXAMPLE = {"money": "万元", "persons": "万人", "energy": "万吨标准煤"}
_PLAIN_YEAR = r"^\d{4}$"
_PLAIN_CODE = r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,31}$|^[A-Za-z0-9][A-Za-z0-9._\-]{0,31}[A-Za-z_\-]$"


def unit_hint(title_zh: str, dimension: str | None) -> Msg:
    unit = _UNIT_EXAMPLE.get(dimension or "")
    if unit is None:
        return Msg("cells.plain_hint")
    return Msg("cells.unit_hint", title=title_zh, unit=unit)


@dataclass
class CellsRead:
    """A table's cells read by column type, with every line of the report they gave."""

    frame: pl.DataFrame  # SOURCE_ROW + the kind's columns, typed
    failures: list[Failure] = field(default_factory=list)
    flags: pl.DataFrame | None = None  # source_row, field, value, flag
    reported: set[tuple[int, str]] = field(default_factory=set)  # (row, field) already reported as errors


class _Reader:
    """Reads one table's cells; most cells take the plain path, only the others the careful one."""

    def __init__(self, kind: Kind, raw: pl.DataFrame, headers: dict[str, str], decimal_comma: bool) -> None:
        self.kind, self.raw, self.headers, self.decimal_comma = kind, raw, headers, decimal_comma
        self.rows = raw.get_column(SOURCE_ROW)
        self.failures: list[Failure] = []
        self.reported: set[tuple[int, str]] = set()
        self.flags: list[pl.DataFrame] = []

    # report lines
    def error(self, rule: str, name: str, cells: pl.DataFrame, fix: Any) -> None:
        for row, value, *rest in cells.iter_rows():
            if (row, name) in self.reported:
                continue
            self.reported.add((row, name))
            self.failures.append(Failure(row=row, column=self.headers.get(name, name), value=value, rule=rule,
                                         field=name, fix=fix(value, *rest) if callable(fix) else fix))

    def note(self, rule: str, name: str, cells: pl.DataFrame, fix: Msg) -> None:
        if cells.height == 0:
            return
        examples = cells.get_column("raw").unique(maintain_order=True).head(EXAMPLES).to_list()
        rows = cells.get_column(SOURCE_ROW).to_list()
        self.failures.append(Failure(row=rows[0], column=self.headers.get(name, name), value=example_text(examples),
                                     rule=rule, field=name,
                                     fix=Msg("cells.note", n=cells.height, rows=rows_msg(rows), what=fix,
                                             examples=examples)))

    # cells that are problems in any column
    def blocked(self, name: str, text: pl.Series) -> pl.Series:
        col = self.kind.columns.get(name)
        required = col is not None and not col.nullable and col.default is None
        raw = pl.col("raw")
        frame = pl.DataFrame({SOURCE_ROW: self.rows, "raw": text}).with_columns(
            raw.str.contains(CONTROL).fill_null(False).alias("control"),
            (raw.str.contains("#", literal=True) & raw.is_in(list(EXCEL_ERROR_TEXTS))).fill_null(False).alias("err"),
            (pl.lit(required) & marker_flag(raw).is_not_null()).alias("marked"),
        )
        bad = frame.select(pl.col("control") | pl.col("err") | pl.col("marked")).to_series()
        if not bad.any():
            return bad
        self.error("control_character", name, frame.filter("control").select(SOURCE_ROW, "raw"),
                   Msg("cells.control_character"))
        self.error("formula_error", name, frame.filter("err").select(SOURCE_ROW, "raw"),
                   lambda v: Msg("cells.formula_error", value=v))
        if col is not None and required:
            label = self.headers.get(name, name)
            self.error("empty_cell", name, frame.filter("marked").select(SOURCE_ROW, "raw"),
                       lambda v: Msg("cells.marked_required", value=v, column=label,
                                     description=col.description.rstrip(".")))
        return bad

    def _plain(self, name: str, text: pl.Series) -> pl.Series | None:
        """The column read in one pass when every cell is plain for its type (a number, a four-digit year, a code
        that is no marker): such cells hold no control character, formula error or marker and need no repair, so
        the careful path would find nothing and read the same values. None when any cell is not plain."""
        col = self.kind.columns[name]
        if col.dtype in ("float", "int"):
            pattern, dtype = (NUMBER, pl.Float64) if col.dtype == "float" else (_PLAIN_YEAR, pl.Int64)
            if not text.str.contains(pattern).fill_null(True).all():
                return None
            values = text.cast(dtype, strict=False)
            return values if values.null_count() == text.null_count() else None  # else the careful path says why
        if is_code_column(self.kind, name):
            plain = text.str.contains(_PLAIN_CODE) & ~text.is_in(list(MISSING_MARKERS | SUPPRESSED_MARKERS))
            return text if plain.fill_null(True).all() else None
        return None

    def read(self, name: str) -> pl.Series:
        col = self.kind.columns[name]
        dtype = {"int": pl.Int64, "float": pl.Float64}.get(col.dtype, pl.String)
        text = self.raw.get_column(name)
        fast = self._plain(name, text)  # plain cells hold no space and are never "": stripping would change nothing
        if fast is None:
            text = text.str.strip_chars().replace("", None)
            fast = self._plain(name, text)
        if fast is not None:  # a machine-written column: nothing to flag, repair or report
            out = fast
            if col.default is not None:
                out = pl.select(pl.when(text.is_null()).then(pl.lit(col.default, dtype=dtype)).otherwise(out)
                                ).to_series()
            return out.cast(dtype).alias(name)
        text = pl.select(pl.when(self.blocked(name, text)).then(None).otherwise(text)).to_series()
        frame = pl.DataFrame({SOURCE_ROW: self.rows, "raw": text}).with_columns(
            marker_flag(pl.col("raw"), suppressed=col.role == "measure").alias("flag"))
        flagged = frame.filter(pl.col("flag").is_not_null())
        if flagged.height:
            self.flags.append(flagged.select(pl.col(SOURCE_ROW).alias("source_row"), pl.lit(name).alias("field"),
                                             pl.col("raw").alias("value"), "flag"))
            for which in ("missing", "suppressed"):
                self.note(f"{which}_marker", name, flagged.filter(pl.col("flag") == which),
                          Msg(f"cells.{which}_marker"))
        value = frame.select(pl.when(pl.col("flag").is_null()).then(pl.col("raw"))).to_series().alias("raw")
        cells = pl.DataFrame({SOURCE_ROW: self.rows, "raw": value})
        if col.dtype == "float":
            out = self.numbers(name, cells)
        elif col.dtype == "int":
            out = self.years(name, cells)
        elif is_code_column(self.kind, name):
            out = self.codes(name, cells)
        else:
            out = self.texts(name, cells)
        if col.default is not None:
            out = pl.select(pl.when(value.is_null()).then(pl.lit(col.default, dtype=dtype)).otherwise(out)).to_series()
        return out.cast(dtype).alias(name)

    def bounded(self, name: str, values: pl.Series, limit: float, unit: str) -> pl.Series:
        """``values`` (canonical units) with the infinite ones (``1e400`` reads as infinity) and those above
        ``limit`` in size reported as errors, by their text, and read as nulls."""
        bad = (~values.is_finite() | (values.abs() > limit)).fill_null(False)
        if not bad.any():
            return values
        cells = pl.DataFrame({SOURCE_ROW: self.rows, "raw": self.raw.get_column(name), "value": values}).filter(bad)
        label, shown = self.headers.get(name, name), Msg(f"unit.{unit}")
        self.error("number_out_of_bounds", name, cells, lambda _text, value: Msg(
            "cells.infinite", unit=shown, column=label, limit=limit) if math.isinf(value) else Msg(
            "cells.out_of_bounds", unit=shown, column=label, limit=limit, value=value))
        return pl.select(pl.when(bad).then(None).otherwise(values)).to_series().alias(name)

    @staticmethod
    def _careful(cells: pl.DataFrame, plain: pl.Series) -> pl.DataFrame:
        """The cells the plain path could not read (with their positions)."""
        return cells.with_row_index("i").with_columns(plain.alias("plain")).filter(
            pl.col("raw").is_not_null() & pl.col("plain").is_null()).drop("plain")

    def numbers(self, name: str, cells: pl.DataFrame) -> pl.Series:
        col = self.kind.columns[name]
        share = is_share_column(self.kind, name)
        plain = cells.select(pl.when(pl.col("raw").str.contains(NUMBER)).then(
            pl.col("raw").cast(pl.Float64, strict=False))).to_series()
        rest = self._careful(cells, plain)
        if rest.height:
            rest = rest.with_columns(
                parse_number(pl.col("raw"), decimal_comma=self.decimal_comma, percent=share).alias("value"),
                is_percent(pl.col("raw")).alias("pct"))
            good = rest.filter(pl.col("value").is_not_null())
            plain = plain.scatter(good.get_column("i"), good.get_column("value"))
            self.note("number_format", name, good.select(SOURCE_ROW, "raw"), Msg("cells.number_format"))
            bad = rest.filter(pl.col("value").is_null())
            self.error("percent_not_allowed", name, bad.filter(pl.col("pct")).select(SOURCE_ROW, "raw"),
                       Msg("cells.percent_not_allowed", column=self.headers[name],
                           hint=unit_hint(col.title_zh, col.dimension)))
            self.error("not_a_number", name, bad.filter(~pl.col("pct")).select(SOURCE_ROW, "raw"),
                       Msg("cells.share_not_a_number") if share else
                       Msg("cells.not_a_number", hint=unit_hint(col.title_zh, col.dimension)))
        return plain

    def years(self, name: str, cells: pl.DataFrame) -> pl.Series:
        plain = cells.select(pl.when(pl.col("raw").str.contains(_PLAIN_YEAR)).then(
            pl.col("raw").cast(pl.Int64, strict=False))).to_series()
        rest = self._careful(cells, plain)
        if rest.height:
            rest = rest.with_columns(parse_year(pl.col("raw")).alias("value"))
            good = rest.filter(pl.col("value").is_not_null())
            plain = plain.scatter(good.get_column("i"), good.get_column("value"))
            self.note("year_format", name, good.select(SOURCE_ROW, "raw"), Msg("cells.year_format"))
            bad = rest.filter(pl.col("value").is_null())
            serial = bad.filter(is_date_serial(pl.col("raw"))).select(SOURCE_ROW, "raw",
                                                                      serial_date(pl.col("raw")).alias("date"))
            self.error("date_serial", name, serial,
                       lambda v, date: Msg("cells.date_serial", value=v, date=date, year=date[:4]))
            self.error("not_a_year", name, bad.filter(~is_date_serial(pl.col("raw"))).select(SOURCE_ROW, "raw"),
                       Msg("cells.not_a_year"))
        return plain

    def codes(self, name: str, cells: pl.DataFrame) -> pl.Series:
        plain = cells.select(pl.when(pl.col("raw").str.contains(_PLAIN_CODE)).then(pl.col("raw"))).to_series()
        rest = self._careful(cells, plain)
        if rest.height:
            rest = rest.with_columns(clean_code(pl.col("raw")).alias("value"))
            plain = plain.scatter(rest.get_column("i"), rest.get_column("value"))
            self.error("scientific_code", name, rest.filter(is_scientific(pl.col("raw"))).select(SOURCE_ROW, "raw"),
                       Msg("cells.scientific_code"))
            changed = rest.filter(pl.col("value") != canonical_text(pl.col("raw")))
            self.note("code_repaired", name, changed.select(SOURCE_ROW, "raw"), Msg("cells.code_repaired"))
        return plain

    def texts(self, name: str, cells: pl.DataFrame) -> pl.Series:
        formula = cells.filter(pl.col("raw").str.contains(FORMULA_START) & ~pl.col("raw").str.contains(NUMBER))
        for row, value in formula.head(50).iter_rows():
            self.failures.append(Failure(row=row, column=self.headers[name], value=value, rule="formula_text",
                                         field=name, fix=Msg("cells.formula_text")))
        markup = cells.filter(pl.col("raw").str.contains(MARKUP))
        for row, value in markup.head(50).iter_rows():
            self.failures.append(Failure(row=row, column=self.headers[name], value=value, rule="markup_text",
                                         field=name, fix=Msg("cells.markup_text")))
        return cells.get_column("raw")


def _with_keys(flags: pl.DataFrame, dropped: pl.DataFrame, kind: Kind) -> pl.DataFrame:
    """The flags of rows not landed (``dropped``: every measure marked) with their keys as JSON, so that a
    confidential mark still finds its cell (:func:`pipeline.publishing.disclosure.flagged_cells`)."""
    keys = [k for k in kind.keys if k in dropped.columns]
    where = {int(row[0]): json.dumps(dict(zip(keys, row[1:], strict=True)), ensure_ascii=False, default=str)
             for row in dropped.select(SOURCE_ROW, *keys).iter_rows()}
    return flags.with_columns(pl.col("source_row").replace_strict(where, default=None, return_dtype=pl.String)
                              .alias("keys"))


def read_cells(kind: Kind, raw: pl.DataFrame, headers: dict[str, str], units: dict[str, dict[str, object]], *,
               decimal_comma: bool = False) -> CellsRead:
    """Every column of ``kind`` read from the text frame ``raw`` (canonical column names + SOURCE_ROW)."""
    reader = _Reader(kind, raw, headers, decimal_comma)
    for name in raw.columns:
        if name != SOURCE_ROW and name not in kind.columns:  # name columns beside the codes
            reader.blocked(name, raw.get_column(name).str.strip_chars().replace("", None))
    columns: dict[str, pl.Series] = {SOURCE_ROW: reader.rows}
    for name, col in kind.columns.items():
        dtype = {"int": pl.Int64, "float": pl.Float64}.get(col.dtype, pl.String)
        if name not in raw.columns:
            columns[name] = pl.repeat(col.default, raw.height, dtype=dtype, eager=True).alias(name)
            continue
        series = reader.read(name)
        factor = float(units.get(name, {}).get("factor", 1.0))  # type: ignore[arg-type]
        if factor != 1.0:
            series = (series * factor).round(6)
        if col.dimension in LARGEST:
            series = reader.bounded(name, series, LARGEST[col.dimension], CANONICAL[col.dimension])
        columns[name] = series
    frame = pl.DataFrame(columns)
    flags = (pl.concat(reader.flags) if reader.flags else pl.DataFrame(
        schema={"source_row": pl.Int64, "field": pl.String, "value": pl.String, "flag": pl.String})
             ).with_columns(keys=pl.lit(None, dtype=pl.String))
    failures = reader.failures
    # rows whose every measure is marked missing or suppressed: nothing to land, but not an error
    measures = [m for m in kind.measures if m in raw.columns]
    if measures and not kind.is_dictionary:
        flagged = flags.filter(pl.col("field").is_in(measures)).get_column("source_row").unique()
        empty = frame.filter(pl.all_horizontal([pl.col(m).is_null() for m in measures])
                             & pl.col(SOURCE_ROW).is_in(flagged.implode()))
        rows = [r for r in empty.get_column(SOURCE_ROW).to_list()
                if not any((r, m) in reader.reported for m in measures)]
        if rows:
            failures.append(Failure(row=rows[0], column="(measures)", value=None, rule="all_measures_missing",
                                    fix=Msg("cells.all_measures_missing", rows=rows_msg(rows))))
            flags = _with_keys(flags, frame.filter(pl.col(SOURCE_ROW).is_in(rows)), kind)
            frame = frame.filter(~pl.col(SOURCE_ROW).is_in(rows))
    return CellsRead(frame=frame, failures=failures, flags=flags, reported=reader.reported)
