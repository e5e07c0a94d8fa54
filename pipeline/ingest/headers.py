"""Finding the header: which row (or two rows) of a sheet names the columns, and what each column is.

Officers' files rarely start with the header: a title ("2022年各市工业主要指标"), a unit line ("单位：万元") or a
blank row come first, and a header may take two rows (a group label above, or the units below the names) with
merged cells. :func:`locate_header` scores every row of the first 20 and every pair of adjacent rows by how many of
the kind's columns their labels name (aliases, Chinese or English; case, width and spacing ignored), then by how
many units they declare, and keeps the best; ties go to the single, earlier row. Row numbers stay those of the
file: the rows above the header are reported as skipped, never renumbered.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import polars as pl

from pipeline.ingest.report import SOURCE_ROW
from pipeline.ingest.units import split_header_unit, unit_factor
from schemas import KINDS, Kind

SCAN_ROWS = 20

# A unit stated on its own: "万元", "(万元)", "单位：万元", "计量单位: 万人", "Unit: 10k yuan".
_UNIT_LINE = re.compile(
    r"^[(\[（【]?\s*(?:计量单位|单位|unit|units)?\s*[:：]?\s*(?P<unit>[^()\[\]（）【】:：]+?)\s*[)\]）】]?$",
    re.IGNORECASE,
)
_STATED_UNIT = re.compile(
    r"(?:计量单位|单位|unit)\s*[:：]\s*(?P<unit>[^\s,，;；)）、/]+)", re.IGNORECASE)

#: Names of a referenced dictionary's rows that a record file may carry beside (or instead of) the codes.
_NAME_COLUMNS = {
    "regions": ["地区名称", "地区", "区划名称", "城市", "市", "region_name", "area_name", "city"],
    "industries": ["行业名称", "行业类别名称", "industry_name"],
    "clusters": ["集群名称", "产业集群名称", "产业集群", "cluster_name"],
    "cluster-categories": ["集群类别名称", "类别名称", "category_name"],
}


def header_key(text: str) -> str:
    """Normalised header for matching: NFKC, lower case, spaces/hyphens/underscores removed."""
    return re.sub(r"[\s_\-]", "", unicodedata.normalize("NFKC", text).lower())


def alias_index(kind: Kind) -> dict[str, str]:
    """Header key -> canonical column of ``kind``."""
    index: dict[str, str] = {}
    for name, col in kind.columns.items():
        for alias in (name, col.title, col.title_zh, *col.aliases):
            index.setdefault(header_key(alias), name)
    return index


def name_column_index(kind: Kind) -> dict[str, str]:
    """Header key -> the code column whose dictionary names such a column holds (``地区名称`` -> region_code).

    Only for code columns that refer to another dictionary, and only when the header is not one of the kind's own
    columns; a column headed so holds names: they check the codes, or stand in for a missing code column.
    """
    own = alias_index(kind)
    out: dict[str, str] = {}
    for name, col in kind.columns.items():
        if col.references is None or col.references == kind.name or col.references not in KINDS:
            continue
        for alias in _NAME_COLUMNS.get(col.references, []):
            key = header_key(alias)
            if key not in own:
                out.setdefault(key, name)
    return out


def match_label(label: str, index: dict[str, str]) -> tuple[str | None, str | None]:
    """(canonical column, unit written in brackets) for a header label; (None, unit) when no alias matches."""
    if not label:
        return None, None
    whole = index.get(header_key(label))
    if whole is not None:
        return whole, None
    name, unit = split_header_unit(label)
    return index.get(header_key(name)), unit


def unit_only(text: str | None) -> str | None:
    """The unit when ``text`` is nothing but a known unit (``万元``, ``(万元)``, ``单位：万元``), else None."""
    if not text:
        return None
    m = _UNIT_LINE.match(text.strip())
    if m is None:
        return None
    unit = m.group("unit").strip()
    return unit if unit_factor(unit) is not None else None


def stated_unit(text: str | None) -> str | None:
    """A unit stated in a title or note (``2022年工业数据（单位：万元）``), if it is a known unit."""
    if not text:
        return None
    m = _STATED_UNIT.search(unicodedata.normalize("NFKC", text))
    if m is None:
        return unit_only(text)
    unit = m.group("unit").strip()
    return unit if unit_factor(unit) is not None else None


def _combine(top: str, bottom: str, index: dict[str, str]) -> str:
    """One column's label from a two-row header."""
    if not top:
        return bottom
    if not bottom:
        return top  # merged vertically, or a label with nothing under it
    unit = unit_only(bottom)
    if unit is not None:
        return f"{top}({unit})"
    if match_label(top, index)[0] is not None:
        return top  # e.g. the Chinese name above the English one
    if match_label(bottom, index)[0] is not None:
        return bottom  # a group label above the column's own header
    joined = top + bottom
    return joined if match_label(joined, index)[0] is not None else f"{top} {bottom}"


@dataclass
class HeaderLocation:
    """Where the header is and what each column is called."""

    rows: tuple[int, ...]  # source rows of the header (one or two)
    labels: list[str]  # per positional column c0, c1, ...: the header as the user reads it ('' = none)
    title_rows: list[tuple[int, str]] = field(default_factory=list)  # non-blank rows above the header
    matched: int = 0  # how many of the kind's columns the labels name


def _cells(row: tuple[object, ...]) -> list[str]:
    return ["" if v is None else str(v).strip() for v in row]


def _score(labels: list[str], index: dict[str, str], names: dict[str, str]) -> tuple[int, int]:
    matched: set[str] = set()
    units = 0
    for label in labels:
        col, unit = match_label(label, index)
        if col is not None:
            matched.add(col)
            units += unit is not None
        elif header_key(label) in names:
            matched.add("name:" + names[header_key(label)])
    return len(matched), units


def _candidates(rows: list[tuple[int, list[str]]], index: dict[str, str], names: dict[str, str]
                ) -> list[tuple[tuple[int, int, int, int, int], tuple[int, ...], list[str]]]:
    """Every single row and adjacent pair, scored (columns named, units declared, both rows header-like, fewer
    rows, earlier row): a pair wins over its rows alone only by naming more, declaring more units, or being two
    header rows (e.g. Chinese names above English ones)."""
    singles = [_score(cells, index, names) for _, cells in rows]
    out = []
    for i, (row, cells) in enumerate(rows):
        out.append(((singles[i][0], singles[i][1], 0, 0, -row), (row,), cells))
        if i + 1 < len(rows) and rows[i + 1][0] == row + 1:
            below = rows[i + 1][1]
            width = max(len(cells), len(below))
            top = cells + [""] * (width - len(cells))
            bottom = below + [""] * (width - len(below))
            labels = [_combine(t, b, index) for t, b in zip(top, bottom, strict=True)]
            pair = _score(labels, index, names)
            both = int(singles[i][0] > 0 and singles[i + 1][0] > 0)
            out.append(((pair[0], pair[1], both, -1, -row), (row, row + 1), labels))
    return out


def locate_header(frame: pl.DataFrame, kind: Kind, *, scan: int = SCAN_ROWS) -> HeaderLocation | None:
    """The header of a raw table (positional text columns plus the source row); None when every cell is empty."""
    columns = [c for c in frame.columns if c != SOURCE_ROW]
    head = frame.head(scan * 3).select(SOURCE_ROW, *columns)
    rows: list[tuple[int, list[str]]] = []
    for record in head.iter_rows():
        cells = _cells(record[1:])
        if any(cells):
            rows.append((int(record[0]), cells))
        if len(rows) >= scan:
            break
    if not rows:
        return None
    index, names = alias_index(kind), name_column_index(kind)
    best = max(_candidates(rows, index, names), key=lambda c: c[0])
    (matched, *_), header_rows, labels = best
    if matched == 0:  # nothing recognisable: the first non-blank row is the header, and its problems get reported
        header_rows, labels = (rows[0][0],), rows[0][1]
    first = header_rows[0]
    titles = [(r, " ".join(dict.fromkeys(c for c in cells if c))) for r, cells in rows if r < first]
    return HeaderLocation(rows=header_rows, labels=labels, title_rows=titles, matched=matched)


def header_score(rows: list[list[object]], kind: Kind) -> int:
    """How many of ``kind``'s columns the best header among ``rows`` (a sheet's first rows) names."""
    index, names = alias_index(kind), name_column_index(kind)
    numbered = [(i + 1, _cells(tuple(r))) for i, r in enumerate(rows)]
    numbered = [(i, c) for i, c in numbered if any(c)]
    if not numbered:
        return 0
    return max(c[0][0] for c in _candidates(numbered[:SCAN_ROWS], index, names))


def locate_header_any(frame: pl.DataFrame) -> HeaderLocation | None:
    """The header for whichever kind it fits best (for a file read without a kind)."""
    found = [loc for kind in KINDS.values() if (loc := locate_header(frame, kind)) is not None]
    return max(found, key=lambda loc: loc.matched, default=None)
