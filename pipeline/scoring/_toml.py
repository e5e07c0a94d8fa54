"""What parsing a methodology file needs of TOML: the line of a key (tomllib reports no positions), problems named by
line and field, and the values of a table checked against a spec."""

from __future__ import annotations

import re
from typing import Any


class Lines:
    """Finds the line of a key inside a table or the n-th array-of-tables entry (tomllib reports no positions)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def header(self, table: str, index: int | None = None) -> int | None:
        name = re.escape(table)
        pattern = re.compile(rf"^\s*\[\[\s*{name}\s*\]\]" if index is not None else rf"^\s*\[\s*{name}\s*\]")
        seen = -1
        for n, line in enumerate(self.lines, start=1):
            if pattern.match(line):
                seen += 1
                if index is None or seen == index:
                    return n
        return None

    def key(self, table: str, index: int | None, key: str) -> int | None:
        start = self.header(table, index)
        if start is None:
            return None
        for n in range(start, len(self.lines)):
            line = self.lines[n].strip()
            if line.startswith("["):
                break
            if re.match(rf"^{re.escape(key)}\s*=", line):
                return n + 1
        return start


class Problems(list):
    def __init__(self, lines: Lines) -> None:
        super().__init__()
        self.where = lines

    def add(self, table: str, index: int | None, key: str | None, label: str, message: str) -> None:
        line = self.where.key(table, index, key) if key else self.where.header(table, index)
        field = f" {key}" if key else ""
        self.append(f"line {line or '?'}: {label}{field}: {message}")


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check(table: dict, spec: dict[str, Any], probs: Problems, tname: str, index: int | None, label: str) -> dict:
    """Values of ``table`` per ``spec`` (key -> default, a tuple of choices, or a type); unknown keys are problems."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key not in spec:
            probs.add(tname, index, key, label, "unknown field")
            continue
        rule = spec[key]
        if isinstance(rule, tuple) and rule and isinstance(rule[0], str):
            if value not in rule:
                probs.add(tname, index, key, label, f"{value!r} is not one of {', '.join(rule)}")
                continue
        elif isinstance(rule, bool) or rule is bool:
            if not isinstance(value, bool):
                probs.add(tname, index, key, label, f"expected true or false, found {value!r}")
                continue
        elif rule is list:
            if not isinstance(value, list):
                probs.add(tname, index, key, label, f"expected a list, found {value!r}")
                continue
        elif is_number(rule) or rule is float:
            if not is_number(value):
                probs.add(tname, index, key, label, f"expected a number, found {value!r}")
                continue
        elif (rule is str or isinstance(rule, str)) and not isinstance(value, str):
            probs.add(tname, index, key, label, f"expected text, found {value!r}")
            continue
        out[key] = value
    return out


def table_of(doc: dict, name: str, probs: Problems) -> dict:
    value = doc.get(name, {})
    if not isinstance(value, dict):
        probs.add(name, None, None, f"[{name}]", "expected a table")
        return {}
    return value


__all__ = ["Lines", "Problems", "check", "is_number", "table_of"]
