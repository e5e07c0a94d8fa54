"""Units: declared source units and their factors to the canonical unit of each dimension.

Canonical units: money in the currency's unit (yuan 元 by default; US dollars ``USD`` and euros ``EUR`` when a
dollar or euro unit is declared: a value is scaled, never converted between currencies), persons (人), energy in
tonnes of standard coal equivalent (吨标准煤), counts as plain numbers. A unit comes from the header (``产值(万元)``,
``output (thousand USD)``) or from ``--unit COLUMN=UNIT``; the source unit and its canonical unit are kept in the
upload manifest, and a build refuses money measures in more than one currency (:mod:`pipeline.jobs.units`).
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.core.messages import Msg

CANONICAL = {"money": "yuan", "persons": "persons", "energy": "tce", "count": "count"}
#: The largest value a measure of each dimension may hold, in its canonical unit: far above any real figure
#: (China's GDP is about 1.3e14 yuan, the world's population 8e9, its energy use 2e10 tce), so that only a
#: mistake or a hostile file reaches it, and far below what the warehouse's sums overflow to.
LARGEST = {"money": 1e18, "persons": 1e10, "energy": 1e12, "count": 1e12}

# unit spelling (normalised: NFKC, lower case, no spaces) -> (dimension, factor to canonical)
_UNITS: dict[str, tuple[str, float]] = {}
# unit spelling -> its canonical unit where it is not the dimension's default (money in another currency)
_CANONICAL_OF: dict[str, str] = {}
#: the currencies money can be kept in (canonical unit -> ISO 4217 code)
CURRENCIES = {"yuan": "CNY", "USD": "USD", "EUR": "EUR"}


def _add(dimension: str, factor: float, *spellings: str, canonical: str | None = None) -> None:
    for s in spellings:
        _UNITS[normalise_unit(s)] = (dimension, factor)
        if canonical is not None:
            _CANONICAL_OF[normalise_unit(s)] = canonical


def normalise_unit(text: str) -> str:
    """NFKC (full-width to half-width), lower case, spaces and dots removed."""
    return re.sub(r"[\s.]", "", unicodedata.normalize("NFKC", text).lower())


_add("money", 1.0, "元", "yuan", "cny", "rmb", "rmb yuan")
_add("money", 1e3, "千元", "thousand yuan", "1000 yuan", "k yuan", "kyuan")
_add("money", 1e4, "万元", "10k yuan", "10 thousand yuan", "ten thousand yuan", "wan yuan", "10000 yuan")
_add("money", 1e6, "百万元", "million yuan", "mn yuan", "m yuan")
_add("money", 1e8, "亿元", "100 million yuan", "100m yuan", "hundred million yuan", "yi yuan")
_add("money", 1e9, "十亿元", "billion yuan", "bn yuan")
_add("money", 1.0, "美元", "usd", "us$", "$", "us dollars", "dollars", canonical="USD")
_add("money", 1e3, "千美元", "thousand usd", "usd thousands", "usd thousand", "$1000", "$ thousands", "k usd",
     "thousands of dollars", canonical="USD")
_add("money", 1e4, "万美元", "10k usd", canonical="USD")
_add("money", 1e6, "百万美元", "million usd", "usd millions", "usd million", "$ millions", "mn usd",
     canonical="USD")
_add("money", 1e8, "亿美元", "100 million usd", canonical="USD")
_add("money", 1e9, "十亿美元", "billion usd", "bn usd", "usd billions", canonical="USD")
_add("money", 1.0, "欧元", "eur", "€", "euro", "euros", canonical="EUR")
_add("money", 1e3, "千欧元", "thousand eur", "eur thousands", "k eur", "€ thousands", canonical="EUR")
_add("money", 1e4, "万欧元", canonical="EUR")
_add("money", 1e6, "百万欧元", "million eur", "eur millions", "mn eur", canonical="EUR")
_add("money", 1e8, "亿欧元", canonical="EUR")
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


def unit_canonical(unit: str) -> str | None:
    """The canonical unit values in ``unit`` are stored in: the dimension's (yuan, persons ...), or the currency of
    a money unit in another currency (``千美元`` -> ``USD``); None when the unit is unknown."""
    found = unit_factor(unit)
    if found is None:
        return None
    return _CANONICAL_OF.get(normalise_unit(unit), CANONICAL[found[0]])


def unit_word(units: dict[str, dict[str, object]], column: str, dimension: str | None) -> Msg:
    """The word for the unit a column's values are in once landed: its declared currency (美元 / USD), else its
    dimension's canonical unit (元 / yuan, 人 / persons ...); ``units``: the upload's column -> declared unit."""
    canonical = str((units.get(column) or {}).get("canonical") or CANONICAL[dimension or "count"])
    return Msg(f"unit.{canonical}")


def known_units(dimension: str) -> list[str]:
    """A few spellings accepted for ``dimension``, for error messages."""
    examples = {
        "money": ["元", "千元", "万元", "亿元", "yuan", "10k yuan", "100m yuan", "USD", "thousand USD", "千美元",
                  "EUR", "thousand EUR"],
        "persons": ["人", "千人", "万人", "persons", "10k persons"],
        "energy": ["吨标准煤", "万吨标准煤", "tce"],
        "count": ["个", "家", "件", "count"],
    }
    return examples.get(dimension, [])
