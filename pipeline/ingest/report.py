"""Validation reports: every problem of an upload, by the row and column the user sees, with a fix.

A :class:`ValidationReport` collects :class:`Failure` lines from the reader (encoding, shape, sheets), the header
(unknown, missing or repeated columns, units), the cell parser (text where a number belongs), the code lookup
(names and damaged codes read through the landed dictionaries), pandera (``lazy=True``: every failing check of
every row at once) and the plausibility checks against landed data. Row numbers are those of the user's file as a
spreadsheet shows them (row 1 = the first row of the file or sheet); ``row`` is None for the whole file or a column.

Each line has a severity:

- ``error``: the upload cannot land as it is (``report.ok`` is False); with ``accept_valid_rows`` the rows with
  errors are set aside and the others land;
- ``warning``: something looks wrong but may be right (a year-on-year jump, values replacing a landed vintage); it
  does not block landing and is kept with the upload;
- ``notice``: what the reader did on the user's behalf (a title row skipped, a total row dropped, '…' read as a
  suppressed value, a name read as its code), so that nothing is changed silently.

Every fix is written in English (``fix``) and Simplified Chinese (``fix_zh``): the modules that find a problem
give a :class:`pipeline.core.messages.Msg` as the fix, which carries both (see :mod:`pipeline.core.messages`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl

from pipeline.core.formatting import display_width
from pipeline.core.messages import Msg, joined

SEVERITIES = ("error", "warning", "notice")
#: The column that carries each record's row as the user's spreadsheet shows it (row 1 = the first row of the file
#: or sheet): every step keeps it, and every report line names its row by it.
SOURCE_ROW = "__source_row__"
EXAMPLES = 5  # examples of cells a note lists

#: rule id -> (severity, what it means in one line); the fix is specific to each failure.
RULE_INFO: dict[str, tuple[str, str]] = {
    # file and shape
    "no_rows": ("error", "the file has no data rows"),
    "missing_header": ("error", "the file has no header row"),
    "ragged_row": ("error", "the row has more cells than the header"),
    "control_character": ("error", "the cell holds control characters (e.g. NUL bytes)"),
    "formula_error": ("error", "a formula's saved value is an Excel error"),
    "hidden_sheet": ("error", "the matching sheet is hidden"),
    # headers and units
    "unknown_column": ("error", "column is not part of this upload kind"),
    "missing_column": ("error", "a required column is missing"),
    "repeated_column": ("error", "two columns hold the same field"),
    "unknown_unit": ("error", "the unit is not recognised"),
    "wrong_unit": ("error", "the unit does not fit the column"),
    "unit_not_in_header": ("error", "a unit is stated above the table but not in the header"),
    # cells
    "not_a_number": ("error", "a number was expected"),
    "number_out_of_bounds": ("error", "the number is infinite or beyond anything the column can hold"),
    "percent_not_allowed": ("error", "a percentage where an amount belongs"),
    "ambiguous_number": ("error", "the number can be read two ways"),
    "not_a_year": ("error", "a four-digit year was expected"),
    "date_serial": ("error", "an Excel date serial number where a year belongs"),
    "scientific_code": ("error", "a code shortened by Excel into scientific notation"),
    "empty_cell": ("error", "a required cell is empty"),
    "code_format": ("error", "the code is not well-formed"),
    "unknown_code": ("error", "the code is in no landed dictionary"),
    "ambiguous_name": ("error", "the name matches several codes"),
    "negative_value": ("error", "measures cannot be negative"),
    "year_out_of_range": ("error", "the year is outside the accepted range"),
    "future_year": ("error", "the year has not ended yet"),
    "out_of_range": ("error", "the value is outside its allowed range"),
    "not_a_share": ("error", "a share must lie in (0, 1]"),
    "not_in_list": ("error", "the value is not one of the allowed values"),
    "too_long": ("error", "the text is too long"),
    "duplicate_key": ("error", "the same key appears on more than one row"),
    "no_measure": ("error", "the row reports no measure"),
    "invalid_period": ("error", "valid_from is later than valid_to"),
    "mixed_currency": ("error", "the file's money columns are in more than one currency"),
    "outside_scope": ("error", "a row of a region outside the regions the account may submit"),
    "category_or_cluster": ("error", "a category-industry row names both or neither of a category and a cluster"),
    "check_failed": ("error", "a check failed"),
    # warnings: may be right, do not block landing
    "replaces_landed": ("warning", "keys already landed: this upload becomes a new vintage that replaces them"),
    "year_on_year_jump": ("warning", "the value changes more than the allowed factor from the year before"),
    "exceeds_industries": ("warning", "a cluster's value is larger than its industries' total"),
    "keyed_by_cluster": ("warning", "the category-industry map is keyed by named cluster (deprecated layout)"),
    # a part larger than its whole in one record (pipeline.ingest.consistency)
    "value_added_over_output_value": ("warning", "value added is larger than gross output value"),
    "exports_over_output_value": ("warning", "exports are larger than gross output value"),
    "exports_over_revenue": ("warning", "exports are larger than revenue"),
    "profit_over_revenue": ("warning", "profit is larger than revenue"),
    "profit_over_output_value": ("warning", "profit is larger than output value"),
    "rd_spending_over_revenue": ("warning", "R&D spending is larger than revenue"),
    "rd_spending_over_output_value": ("warning", "R&D spending is larger than output value"),
    "new_product_sales_over_revenue": ("warning", "new-product sales are larger than revenue"),
    "new_product_sales_over_output_value": ("warning", "new-product sales are larger than output value"),
    "sme_output_over_output_value": ("warning", "SMEs' output is larger than the whole output value"),
    "new_firms_over_firms": ("warning", "new firms are more than all firms"),
    "rd_staff_over_employment": ("warning", "R&D staff are more than all persons employed"),
    "formula_text": ("warning", "text starting with =, +, - or @ (kept as text, never calculated)"),
    "markup_text": ("warning", "text containing HTML markup (kept as text, escaped when shown)"),
    "name_mismatch": ("warning", "the name column does not match the code's landed name"),
    "needs_recalculation": ("warning", "the workbook's formulas may have no saved values"),
    "hidden_sheet_used": ("warning", "the sheet read is hidden in the workbook"),
    # notices: what the reader did on the user's behalf
    "sheet_chosen": ("notice", "which sheet of the workbook was read"),
    "encoding": ("notice", "the text encoding the file was read in"),
    "delimiter": ("notice", "the column separator the file was read with"),
    "file_type": ("notice", "the file is not what its name says; it was read as what it is"),
    "decimal_comma": ("notice", "',' read as the decimal mark"),
    "file_name_cleaned": ("notice", "folder parts or control characters removed from the file name"),
    "title_rows": ("notice", "rows above the header were skipped"),
    "two_row_header": ("notice", "the header takes two rows (names and units, or a group label above the names)"),
    "blank_rows": ("notice", "empty rows were skipped"),
    "total_row": ("notice", "a total row was dropped (totals are computed, not uploaded)"),
    "footnote_row": ("notice", "a footnote row was dropped"),
    "merged_cells": ("notice", "merged cells were read as their value on every row and column they span"),
    "empty_column": ("notice", "an empty column that is not part of this kind was ignored"),
    "extra_column": ("notice", "a name column was used to check the codes and not landed"),
    "missing_marker": ("notice", "cells marked missing ('-', 'NA' ...) were kept empty and flagged, never zero"),
    "suppressed_marker": ("notice", "cells marked suppressed ('…', 'x' ...) were kept empty and flagged, never zero"),
    "all_measures_missing": ("notice", "rows whose every measure is marked missing were not landed"),
    "number_format": ("notice", "numbers written with separators, full-width digits or percent signs were read"),
    "year_format": ("notice", "years written as '2019年', '2019.0' or a date were read as the year"),
    "code_repaired": ("notice", "codes stored as numbers (210100.0, a lost leading zero, =\"...\") were restored"),
    "name_as_code": ("notice", "names were read as their code through the landed dictionary"),
    "rows_rejected": ("notice", "rows with errors were set aside; the other rows landed"),
}

#: rule id -> what it means, in one line (kept for callers that only need the meaning).
RULES: dict[str, str] = {rule: meaning for rule, (_, meaning) in RULE_INFO.items()}

MAX_VALUE_CHARS = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def shown_value(value: object) -> str | None:
    """A cell as it goes into a report: control characters made visible (\\x00), long text clipped."""
    if value is None:
        return None
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))
    if len(text) > MAX_VALUE_CHARS:
        text = f"{text[:MAX_VALUE_CHARS - 1]}… ({len(str(value)):,} characters)"
    return text



def rows_msg(rows: list[int]) -> Msg:
    """Row numbers for a message: the first 12, then how many there are (``2, 4, 5`` / ``2、4、5``)."""
    return Msg("rows", rows=[str(r) for r in rows[:12]], more=Msg("rows.more", n=len(rows)) if len(rows) > 12 else "")


def rows_msg_of(shown: list[str], n: int) -> Msg:
    """:func:`rows_msg` from the first rows (as text) and how many there are (a streamed file's blocks merged)."""
    return Msg("rows", rows=shown[:12], more=Msg("rows.more", n=n) if n > 12 else "")


def example_text(examples: list[str]) -> str:
    """Examples of cells as a report line's value: ``'1,234', '5 678'``."""
    return ", ".join(f"'{v}'" for v in examples)


def rows_text(rows: list[int]) -> str:
    return rows_msg(rows).en


@dataclass(frozen=True)
class Failure:
    """One line of a report: an error, a warning or a notice."""

    row: int | None  # row number in the user's file (as a spreadsheet shows it); None: the whole file or column
    column: str  # the header as the user wrote it (or the expected header when missing)
    value: str | None  # the cell as typed (control characters made visible, clipped)
    rule: str  # key of RULES
    fix: str  # one line: what to do (for notices: what was done); a pipeline.core.messages.Msg sets fix_zh too
    field: str | None = None  # the canonical column name
    severity: str = ""  # error, warning or notice; empty: the rule's own severity
    fix_zh: str = ""  # the fix in Simplified Chinese ("": none, show the English)

    def __post_init__(self) -> None:
        if isinstance(self.fix, Msg):
            if not self.fix_zh:
                object.__setattr__(self, "fix_zh", self.fix.zh)
            object.__setattr__(self, "msg", self.fix)  # not a field: its parameters, for pipeline.ingest.streaming
            object.__setattr__(self, "fix", self.fix.en)
        object.__setattr__(self, "value", shown_value(self.value))
        if not self.severity:
            object.__setattr__(self, "severity", RULE_INFO.get(self.rule, ("error", ""))[0])
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")

    @property
    def message(self) -> str:
        return RULES.get(self.rule, self.rule)

    def fix_in(self, lang: str) -> str:
        """The fix in ``lang`` ("zh" or "en"); the English when there is no Chinese."""
        return self.fix_zh if lang == "zh" and self.fix_zh else self.fix


def _order(f: Failure) -> tuple[int, str, str]:
    return (f.row if f.row is not None else 0, f.column, f.rule)


@dataclass
class ValidationReport:
    """Everything found in one upload; ``ok`` when there is no error (warnings and notices do not block)."""

    file_name: str
    kind: str
    rows: int = 0
    failures: list[Failure] = field(default_factory=list)  # errors
    warnings: list[Failure] = field(default_factory=list)  # warnings and notices
    header_row: int = 1  # the (last) row of the header: rows after it are records

    def add(self, failure: Failure) -> None:
        (self.failures if failure.severity == "error" else self.warnings).append(failure)

    def extend(self, failures: list[Failure]) -> None:
        for f in failures:
            self.add(f)

    @property
    def ok(self) -> bool:
        return not self.failures

    def sorted_failures(self) -> list[Failure]:
        return sorted(self.failures, key=_order)

    def sorted_warnings(self) -> list[Failure]:
        """Warnings first, then notices, each by row."""
        return sorted(self.warnings, key=lambda f: (SEVERITIES.index(f.severity), *_order(f)))

    def counts(self) -> dict[str, int]:
        """Errors per rule, most frequent first."""
        return dict(Counter(f.rule for f in self.failures).most_common())

    def warning_counts(self) -> dict[str, int]:
        """Warnings and notices per rule, most frequent first."""
        return dict(Counter(f.rule for f in self.warnings).most_common())

    def notes(self, severity: str) -> list[Failure]:
        return [f for f in self.sorted_warnings() if f.severity == severity]

    @property
    def bad_rows(self) -> list[int]:
        return sorted({f.row for f in self.failures if f.row is not None and f.row > self.header_row})

    def summary(self) -> str:
        return self.summary_msg().en

    def summary_msg(self) -> Msg:
        """:meth:`summary` in English and Chinese."""
        n_warn, n_note = len(self.notes("warning")), len(self.notes("notice"))
        extra: str | Msg = ""
        if n_warn or n_note:
            extra = Msg("report.extra", warnings=n_warn, notices=n_note)
        if self.ok:
            return Msg("report.ok", file=self.file_name, rows=self.rows, kind=self.kind, extra=extra)
        per_rule = joined(Msg("report.per_rule", n=n, rule=rule) for rule, n in self.counts().items())
        return Msg("report.invalid", file=self.file_name, n=len(self.failures), bad=len(self.bad_rows),
                   rows=self.rows, per_rule=per_rule, extra=extra)

    def to_frame(self, *, include_warnings: bool = False) -> pl.DataFrame:
        """One row per error (and, with ``include_warnings``, per warning and notice)."""
        lines = self.sorted_failures() + (self.sorted_warnings() if include_warnings else [])
        rows = [
            {"row": f.row, "column": f.column, "value": f.value, "rule": f.rule, "message": f.message,
             "fix": f.fix, "fix_zh": f.fix_zh, "severity": f.severity}
            for f in lines
        ]
        schema = {
            "row": pl.Int64, "column": pl.String, "value": pl.String, "rule": pl.String,
            "message": pl.String, "fix": pl.String, "fix_zh": pl.String, "severity": pl.String,
        }
        frame = pl.DataFrame(rows, schema=schema)
        return frame if include_warnings else frame.drop("severity")

    def warnings_frame(self) -> pl.DataFrame:
        """One row per warning and notice: severity, row, column, value, rule, message, fix, fix_zh."""
        return self.to_frame(include_warnings=True).filter(pl.col("severity") != "error")

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file_name,
            "kind": self.kind,
            "rows": self.rows,
            "valid": self.ok,
            "counts": self.counts(),
            "failures": [asdict(f) | {"message": f.message} for f in self.sorted_failures()],
            "warning_counts": self.warning_counts(),
            "warnings": [asdict(f) | {"message": f.message} for f in self.sorted_warnings()],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def format_table(self, limit: int | None = 200, *, lang: str = "en") -> str:
        """A plain-text table for the terminal: the errors, their counts per rule, then warnings and notices
        (``lang="zh"``: the summary, headings and fixes in Chinese; rule ids and cells as they are)."""
        lines = [self.summary_msg().text(lang)]
        if not self.ok:
            lines += [""] + _table(self.sorted_failures(), limit, lang=lang)
            lines.append("")
            lines.append(Msg("report.counts_per_rule").text(lang))
            for rule, n in self.counts().items():
                lines.append(f"  {rule:<20} {n:>6}  {RULES.get(rule, '')}")
        if self.warnings:
            lines += ["", Msg("report.warnings_heading").text(lang)]
            lines += _table(self.sorted_warnings(), limit, severity=True, lang=lang)
        return "\n".join(lines)

    def format_warnings(self, limit: int | None = 50, *, lang: str = "en") -> str:
        """Only the warnings and notices, for a landed upload."""
        if not self.warnings:
            return ""
        return "\n".join([Msg("report.warnings_only").text(lang),
                          *_table(self.sorted_warnings(), limit, severity=True, lang=lang)])


def _table(lines: list[Failure], limit: int | None, *, severity: bool = False, lang: str = "en") -> list[str]:
    shown = lines[: limit or None]
    head = tuple(Msg("report.table_head").text(lang).split("|"))
    body = [
        (
            "-" if f.row is None else str(f.row),
            f.column,
            "" if f.value is None else _clip(f.value, 30),
            (f"{f.severity}: " if severity else "") + f.rule,
            f.fix_in(lang),
        )
        for f in shown
    ]
    widths = [max(display_width(r[i]) for r in [head, *body]) for i in range(4)]
    out = []
    for r in [head, *body]:
        cells = [_pad(r[i], widths[i]) for i in range(4)] + [r[4]]
        out.append("  ".join(cells).rstrip())
    if limit and len(lines) > limit:
        out.append(Msg("report.more", n=len(lines) - limit).text(lang))
    return out


def _clip(text: str, n: int) -> str:
    text = text.replace("\n", "⏎").replace("\r", "")
    return text if len(text) <= n else text[: n - 1] + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))
