"""Units: declared source units and their factors to the canonical unit of each dimension.

Canonical units: money in yuan (元), persons (人), energy in tonnes of standard coal equivalent (吨标准煤), counts
as plain numbers. A unit comes from the header (``产值(万元)``, ``output (10k yuan)``) or from ``--unit COLUMN=UNIT``;
the source unit is kept in the upload manifest.
"""

from __future__ import annotations

import re
import unicodedata

CANONICAL = {"money": "yuan", "persons": "persons", "energy": "tce", "count": "count"}
#: The largest value a measure of each dimension may hold, in its canonical unit: far above any real figure
#: (China's GDP is about 1.3e14 yuan, the world's population 8e9, its energy use 2e10 tce), so that only a
#: mistake or a hostile file reaches it, and far below what the warehouse's sums overflow to.
LARGEST = {"money": 1e18, "persons": 1e10, "energy": 1e12, "count": 1e12}

# unit spelling (normalised: NFKC, lower case, no spaces) -> (dimension, factor to canonical)
_UNITS: dict[str, tuple[str, float]] = {}


def _add(dimension: str, factor: float, *spellings: str) -> None:
    for s in spellings:
        _UNITS[normalise_unit(s)] = (dimension, factor)


def normalise_unit(text: str) -> str:
    """NFKC (full-width to half-width), lower case, spaces and dots removed."""
    return re.sub(r"[\s.]", "", unicodedata.normalize("NFKC", text).lower())


_add("money", 1.0, "元", "yuan", "cny", "rmb", "rmb yuan")
_add("money", 1e3, "千元", "thousand yuan", "1000 yuan", "k yuan", "kyuan")
_add("money", 1e4, "万元", "10k yuan", "10 thousand yuan", "ten thousand yuan", "wan yuan", "10000 yuan")
_add("money", 1e6, "百万元", "million yuan", "mn yuan", "m yuan")
_add("money", 1e8, "亿元", "100 million yuan", "100m yuan", "hundred million yuan", "yi yuan")
_add("money", 1e9, "十亿元", "billion yuan", "bn yuan")
_add("persons", 1.0, "人", "persons", "person", "people", "人数")
_add("persons", 1e3, "千人", "thousand persons", "thousand people", "1000 persons")
_add("persons", 1e4, "万人", "10k persons", "10 thousand persons", "ten thousand persons", "wan persons")
_add("energy", 1.0, "吨标准煤", "吨标煤", "tce", "tonnes of coal equivalent", "t coal equivalent")
_add("energy", 1e4, "万吨标准煤", "万吨标煤", "10k tce", "10 thousand tce")
_add("count", 1.0, "个", "家", "件", "项", "count", "number", "units", "firms", "patents")
_add("count", 1e4, "万个", "万家", "万件")

# A unit in brackets at the end of a header: 产值(万元), 产值（万元）, output [10k yuan].
_HEADER_UNIT = re.compile(r"^(?P<name>.*?)\s*[(\[（【](?P<unit>[^()\[\]（）【】]+)[)\]）】]\s*$")


def split_header_unit(header: str) -> tuple[str, str | None]:
    """``'产值(万元)'`` -> ``('产值', '万元')``; a header without a bracketed unit -> ``(header, None)``."""
    m = _HEADER_UNIT.match(header.strip())
    if not m:
        return header.strip(), None
    return m.group("name").strip(), m.group("unit").strip()


def unit_factor(unit: str) -> tuple[str, float] | None:
    """(dimension, factor to the canonical unit) for a unit spelling, or None when unknown."""
    return _UNITS.get(normalise_unit(unit))


def known_units(dimension: str) -> list[str]:
    """A few spellings accepted for ``dimension``, for error messages."""
    examples = {
        "money": ["元", "千元", "万元", "亿元", "yuan", "10k yuan", "100m yuan"],
        "persons": ["人", "千人", "万人", "persons", "10k persons"],
        "energy": ["吨标准煤", "万吨标准煤", "tce"],
        "count": ["个", "家", "件", "count"],
    }
    return examples.get(dimension, [])
