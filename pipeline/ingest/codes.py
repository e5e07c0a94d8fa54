"""Codes as officers write them, read through the landed dictionaries.

A code that is not in its dictionary is often still unmistakable:

- a code that lost its leading zero on the way through Excel (industry ``6`` for ``06``): restored when exactly
  one landed code is the same number with the zeros;
- a name where the code belongs (``沈阳市`` in 地区代码, or a 地区名称 column instead of codes): read as the code
  when exactly one entry of the dictionary has that name (case, width and spaces ignored; then also without a
  suffix such as 市, 省, 地区); a name shared by several entries is an error that lists them.

Each replacement is reported in a notice (value -> code, rows). A name column beside a code column checks it: a
name that does not match its code's landed name is a warning.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

import polars as pl

from pipeline.core.messages import Msg, joined, pair
from pipeline.ingest.layout import NAME_PREFIX
from pipeline.ingest.records import Prepared
from pipeline.ingest.report import SOURCE_ROW, Failure
from schemas import KINDS, Kind

_SUFFIX = re.compile(r"(特别行政区|自治区|自治州|自治县|地区|产业集群|集群|省|市|县|区|盟|旗|州)$")


def name_key(text: str) -> str:
    """A name for matching: NFKC, no spaces, case folded."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text)).casefold()


def short_key(text: str) -> str:
    return _SUFFIX.sub("", name_key(text))


def _rows_of(frame: pl.DataFrame, column: str, value: str) -> list[int]:
    return frame.filter(pl.col(column) == value).get_column(SOURCE_ROW).to_list()


def _indexes(codes: dict[str, str]) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, list[str]]]:
    by_name: dict[str, list[str]] = defaultdict(list)
    by_short: dict[str, list[str]] = defaultdict(list)
    by_digits: dict[str, list[str]] = defaultdict(list)
    for code, name in codes.items():
        if name:
            by_name[name_key(name)].append(code)
            by_short[short_key(name)].append(code)
        if code.isdigit():
            by_digits[code.lstrip("0")].append(code)
    return by_name, by_short, by_digits


def known_for(kind: Kind, prepared: Prepared, landed: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Landed dictionary codes, plus this file's own codes where the kind refers to itself."""
    known = {k: dict(v) for k, v in landed.items()}
    if kind.is_dictionary and "code" in prepared.frame.columns:
        own = prepared.frame.select("code", pl.col("name") if "name" in prepared.frame.columns else pl.lit(None))
        mine = {c: n for c, n in own.iter_rows() if c is not None}
        known[kind.name] = {**known.get(kind.name, {}), **mine}
    return known


def repair_codes(kind: Kind, prepared: Prepared, known: dict[str, dict[str, str]]) -> list[Failure]:
    """Replace damaged codes and names by their codes in ``prepared.frame``; returns notices and errors."""
    lines: list[Failure] = []
    frame = prepared.frame
    for column, col in kind.columns.items():
        codes = known.get(col.references or "", {})
        if not codes or column not in frame.columns:
            continue
        shown = prepared.headers.get(column, column)
        ref = col.references or ""
        dictionary = pair(ref, KINDS[ref].title_zh if ref in KINDS else ref)
        by_name, by_short, by_digits = _indexes(codes)
        values = frame.get_column(column).drop_nulls().unique().to_list()
        restored: dict[str, str] = {}
        named: dict[str, str] = {}
        for value in values:
            if value in codes:
                continue
            if value.isdigit():
                padded = [c for c in by_digits.get(value.lstrip("0"), []) if len(c) > len(value)]
                if len(padded) == 1:
                    restored[value] = padded[0]
                    continue
            matches = by_name.get(name_key(value)) or by_short.get(short_key(value)) or []
            matches = sorted(set(matches))
            if len(matches) == 1:
                named[value] = matches[0]
            elif len(matches) > 1:
                listing = [f"{c} {codes[c]}" for c in matches[:8]]
                for row in _rows_of(frame, column, value):
                    if (row, column) in prepared.reported:
                        continue
                    prepared.reported.add((row, column))
                    lines.append(Failure(row=row, column=shown, value=value, rule="ambiguous_name", field=column,
                                         fix=Msg("codes.ambiguous_name", value=value, n=len(matches),
                                                 dictionary=dictionary, listing=listing)))
        for replaced, rule, how in ((restored, "code_repaired", Msg("codes.zeros_restored")),
                                    (named, "name_as_code", Msg("codes.names_read", dictionary=dictionary))):
            if not replaced:
                continue
            examples = joined((Msg("codes.example", value=v, code=c,
                                   rows=[str(r) for r in _rows_of(frame, column, v)[:5]])
                               for v, c in list(replaced.items())[:5]), "; ", "；")
            more = Msg("codes.more", n=len(replaced) - 5) if len(replaced) > 5 else ""
            first = frame.filter(pl.col(column).is_in(list(replaced))).get_column(SOURCE_ROW).min()
            lines.append(Failure(row=first, column=shown, value=None, rule=rule, field=column,
                                 fix=Msg("codes.replaced", how=how, examples=examples, more=more)))
            frame = frame.with_columns(pl.col(column).replace(replaced))
    prepared.frame = frame
    lines += _name_mismatches(kind, prepared, known)
    return lines


def _name_mismatches(kind: Kind, prepared: Prepared, known: dict[str, dict[str, str]]) -> list[Failure]:
    """A name column beside a code column: each name should be the code's landed name."""
    out: list[Failure] = []
    for column, label in prepared.names.items():
        source = NAME_PREFIX + column
        if source not in prepared.raw.columns or prepared.headers.get(column) == label:
            continue  # no code column: the names were the codes
        codes = known.get(kind.columns[column].references or "", {})
        pairs = prepared.frame.select(SOURCE_ROW, column).join(
            prepared.raw.select(SOURCE_ROW, pl.col(source).alias("name")), on=SOURCE_ROW)
        for row, code, name in pairs.iter_rows():
            if code is None or name is None or code not in codes or not codes[code]:
                continue
            if short_key(name) != short_key(codes[code]) and name_key(name) != name_key(codes[code]):
                out.append(Failure(row=row, column=label, value=name, rule="name_mismatch", field=column,
                                   fix=Msg("codes.name_mismatch", code=code, landed=codes[code], name=name)))
                if len(out) >= 100:
                    return out
    return out
