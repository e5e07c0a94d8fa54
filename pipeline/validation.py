"""Validation reports: every failure of an upload, by the row and column the user sees, with a fix.

A :class:`ValidationReport` collects failures from three places: the header (unknown, missing or repeated columns,
unknown units), the cell parser (text where a number belongs) and pandera (``lazy=True``: every failing check of
every row at once). Row numbers are those of the user's file, header = row 1; ``row`` is None for a failure of the
whole file or of a column.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl

#: rule id -> what it means, in one line (the fix is specific to each failure).
RULES: dict[str, str] = {
    "unknown_column": "column is not part of this upload kind",
    "missing_column": "a required column is missing",
    "repeated_column": "two columns hold the same field",
    "unknown_unit": "the unit is not recognised",
    "wrong_unit": "the unit does not fit the column",
    "not_a_number": "a number was expected",
    "not_a_year": "a four-digit year was expected",
    "empty_cell": "a required cell is empty",
    "code_format": "the code is not well-formed",
    "unknown_code": "the code is in no landed dictionary",
    "negative_value": "measures cannot be negative",
    "year_out_of_range": "the year is outside the accepted range",
    "future_year": "the year has not ended yet",
    "out_of_range": "the value is outside its allowed range",
    "not_in_list": "the value is not one of the allowed values",
    "too_long": "the text is too long",
    "duplicate_key": "the same key appears on more than one row",
    "no_measure": "the row reports no measure",
    "invalid_period": "valid_from is later than valid_to",
    "check_failed": "a check failed",
}


@dataclass(frozen=True)
class Failure:
    """One problem in an upload."""

    row: int | None  # row number in the user's file (header = 1); None: the whole file or column
    column: str  # the header as the user wrote it (or the expected header when missing)
    value: str | None  # the cell as typed
    rule: str  # key of RULES
    fix: str  # one line: what to do
    field: str | None = None  # the canonical column name

    @property
    def message(self) -> str:
        return RULES.get(self.rule, self.rule)


@dataclass
class ValidationReport:
    """Everything wrong with one upload; ``ok`` when nothing is."""

    file_name: str
    kind: str
    rows: int = 0
    failures: list[Failure] = field(default_factory=list)

    def add(self, failure: Failure) -> None:
        self.failures.append(failure)

    def extend(self, failures: list[Failure]) -> None:
        self.failures.extend(failures)

    @property
    def ok(self) -> bool:
        return not self.failures

    def sorted_failures(self) -> list[Failure]:
        return sorted(self.failures, key=lambda f: (f.row if f.row is not None else 0, f.column, f.rule))

    def counts(self) -> dict[str, int]:
        """Failures per rule, most frequent first."""
        return dict(Counter(f.rule for f in self.failures).most_common())

    @property
    def bad_rows(self) -> list[int]:
        return sorted({f.row for f in self.failures if f.row is not None and f.row > 1})

    def summary(self) -> str:
        if self.ok:
            return f"{self.file_name}: {self.rows} rows of {self.kind}, all valid."
        per_rule = ", ".join(f"{n} {rule}" for rule, n in self.counts().items())
        return (
            f"{self.file_name}: {len(self.failures)} problem(s) in {len(self.bad_rows)} row(s) of {self.rows} "
            f"({per_rule}); nothing was landed. Fix them and upload the file again."
        )

    def to_frame(self) -> pl.DataFrame:
        """One row per failure: row, column, value, rule, message, fix."""
        rows = [
            {
                "row": f.row,
                "column": f.column,
                "value": f.value,
                "rule": f.rule,
                "message": f.message,
                "fix": f.fix,
            }
            for f in self.sorted_failures()
        ]
        schema = {
            "row": pl.Int64, "column": pl.String, "value": pl.String,
            "rule": pl.String, "message": pl.String, "fix": pl.String,
        }
        return pl.DataFrame(rows, schema=schema)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file_name,
            "kind": self.kind,
            "rows": self.rows,
            "valid": self.ok,
            "counts": self.counts(),
            "failures": [asdict(f) | {"message": f.message} for f in self.sorted_failures()],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def format_table(self, limit: int | None = 200) -> str:
        """A plain-text table for the terminal: the failures, then the counts per rule."""
        lines = [self.summary()]
        if self.ok:
            return lines[0]
        shown = self.sorted_failures()[: limit or None]
        head = ("row", "column", "value", "rule", "fix")
        body = [
            (
                "-" if f.row is None else str(f.row),
                f.column,
                "" if f.value is None else _clip(f.value, 30),
                f.rule,
                f.fix,
            )
            for f in shown
        ]
        widths = [max(_width(r[i]) for r in [head, *body]) for i in range(4)]
        lines.append("")
        for r in [head, *body]:
            cells = [_pad(r[i], widths[i]) for i in range(4)] + [r[4]]
            lines.append("  ".join(cells).rstrip())
        if limit and len(self.failures) > limit:
            lines.append(f"... and {len(self.failures) - limit} more (use --json for all of them)")
        lines.append("")
        lines.append("Counts per rule:")
        for rule, n in self.counts().items():
            lines.append(f"  {rule:<20} {n:>6}  {RULES.get(rule, '')}")
        return "\n".join(lines)


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _width(text: str) -> int:
    """Display width: CJK characters take two terminal cells."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
