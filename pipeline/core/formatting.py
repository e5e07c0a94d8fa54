"""How a figure is written for people, everywhere: the app, every export and the bulletin.

The rules are data, in ``formatting.toml`` beside this module (one table per kind of figure: decimals, factor,
unit words in Chinese and English, thousands separators, sign, the Excel number format). Code names a kind and a
language; it never writes its own format string.

    >>> figure(2013, "year", "zh"), figure(4891, "persons", "zh"), figure(4891, "persons", "en")
    ('2013', '4,891人', '4,891 persons')
    >>> figure(368_912_345_678, "money_100m", "zh"), figure(368_912_345_678, "money_bn", "en")
    ('3,689.1亿元', '368.91 bn yuan')
    >>> figure(0.1234, "share", "en"), figure(-0.0449, "growth", "zh"), figure(None, "index", "zh")
    ('12.3%', '-4.5%', '–')
    >>> figure(None, "persons", "zh", suppressed=True), header("从业人员", "persons", "zh")
    ('保密', '从业人员（人）')

Rounding is half up on the figure as written (四舍五入): ``2.675`` rounds to ``2.68`` although the binary float
is slightly below it; Python's ``format`` would give ``2.67``.
"""

from __future__ import annotations

import math
import tomllib
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("zh", "en")
RULES_PATH = Path(__file__).with_name("formatting.toml")


@cache
def rules() -> dict[str, Any]:
    """The rules of ``formatting.toml`` (read once)."""
    with RULES_PATH.open("rb") as fh:
        return tomllib.load(fh)


def kinds() -> list[str]:
    return list(rules()["kinds"])


def kind_rule(kind: str) -> dict[str, Any]:
    try:
        return rules()["kinds"][kind]
    except KeyError:
        raise ValueError(f"unknown figure kind {kind!r}; known: {', '.join(kinds())}") from None


def _lang(lang: str) -> dict[str, Any]:
    return rules()["languages"]["zh" if lang == "zh" else "en"]


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value)))


def rounded(value: float, kind: str) -> Decimal:
    """``value`` divided by the kind's factor and rounded half up to its decimals, as a Decimal (exact)."""
    rule = kind_rule(kind)
    digits = int(rule.get("digits", 0))
    number = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    factor = rule.get("factor")
    if factor is not None:
        number = number / Decimal(repr(float(factor)))
    return number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def stored(value: Any, kind: str) -> float | int | None:
    """The number as a spreadsheet or CSV cell holds it: after the kind's factor, rounded as :func:`figure`
    rounds it (an int when the kind has no decimals); None when missing. The cell's format shows the rest."""
    if is_missing(value):
        return None
    number = rounded(value, kind)
    if int(kind_rule(kind).get("digits", 0)) == 0:
        return int(number)
    if "%" in str(kind_rule(kind).get("suffix", "")):  # a spreadsheet percentage holds the fraction
        return float(number) / 100
    return float(number)


def _grouped(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return sep.join(parts)


def number_text(value: Any, kind: str, lang: str = "zh") -> str:
    """The number alone (no unit): rounded, grouped and signed as the kind says; the missing sign when there is
    no value."""
    words = _lang(lang)
    if is_missing(value):
        return words["missing"]
    rule = kind_rule(kind)
    number = rounded(value, kind)
    negative = number < 0
    text = f"{abs(number):f}"
    whole, _, frac = text.partition(".")
    if rule.get("grouped", True) and words["group"]:
        whole = _grouped(whole, words["group"])
    body = whole + (words["decimal"] + frac if frac else "")
    sign = "-" if negative and number != 0 else "+" if rule.get("signed") and number > 0 else ""
    return sign + body + str(rule.get("suffix", ""))


def unit_word(kind: str, lang: str = "zh", *, currency: str = "yuan") -> str:
    """The unit words of ``kind`` in ``lang`` (``亿元``, ``bn yuan``; ``美元`` words for a dataset in dollars);
    empty for a kind without a unit."""
    unit = kind_rule(kind).get("unit")
    if not unit:
        return ""
    words = _lang(lang)
    cur = words["currency"].get(currency, currency)
    return unit["zh" if lang == "zh" else "en"].replace("{c}", cur)


def figure(value: Any, kind: str, lang: str = "zh", *, currency: str = "yuan", suppressed: bool = False,
           symbol: str | None = None, unit: bool = True) -> str:
    """``value`` written as a figure of ``kind`` in ``lang``, with its unit unless ``unit=False`` (a table
    whose header names the unit). A withheld figure (``suppressed`` and no value) is the release's ``symbol``
    (default: the rules' symbol); a missing one is the missing sign."""
    if is_missing(value):
        return (symbol or _lang(lang)["suppressed"]) if suppressed else _lang(lang)["missing"]
    text = number_text(value, kind, lang)
    word = unit_word(kind, lang, currency=currency) if unit else ""
    return text + (_lang(lang)["unit_space"] + word if word else "")


def interval(low: Any, high: Any, kind: str, lang: str = "zh") -> str:
    """A range such as a rank interval: ``3–8``; the missing sign when either end is missing."""
    if is_missing(low) or is_missing(high):
        return _lang(lang)["missing"]
    return number_text(low, kind, lang) + _lang(lang)["range"] + number_text(high, kind, lang)


def header(title: str, kind: str | None, lang: str = "zh", *, currency: str = "yuan") -> str:
    """A column header with its unit: ``从业人员（人）``, ``Employment (persons)``, ``份额（%）``."""
    if kind is None:
        return title
    word = unit_word(kind, lang, currency=currency) or str(kind_rule(kind).get("suffix", ""))
    if not word:
        return title
    return f"{title}（{word}）" if lang == "zh" else f"{title} ({word})"


def excel_format(kind: str) -> str:
    """The Excel number format of a cell holding :func:`stored` of ``kind``."""
    return str(kind_rule(kind).get("excel", "General"))


def d3_format(kind: str) -> str:
    """The d3-format string (Vega-Lite axes and tooltips) of ``kind`` as stored after its factor: ``,.1f``,
    ``.1%`` (a share's fraction), ``d`` for years."""
    rule = kind_rule(kind)
    digits = int(rule.get("digits", 0))
    sign = "+" if rule.get("signed") else ""
    if "%" in str(rule.get("suffix", "")):
        return f"{sign}.{digits}%"
    if not rule.get("grouped", True):
        return f"{sign}d" if digits == 0 else f"{sign}.{digits}f"
    return f"{sign},.{digits}f"


def yes_no(value: bool | None, lang: str = "zh") -> str:
    """A true/false column as words (是/否, yes/no), never ``True``/``False``; the missing sign for none."""
    if value is None:
        return missing_sign(lang)
    return str(_lang(lang)["yes" if value else "no"])


def suppressed_symbol(lang: str = "zh") -> str:
    return str(_lang(lang)["suppressed"])


def missing_sign(lang: str = "zh") -> str:
    return str(_lang(lang)["missing"])


def display_width(text: str) -> int:
    """Width in half-width cells (a terminal's, a spreadsheet column's, a table's in em/2): CJK characters (East
    Asian Wide and Fullwidth) take two.

    >>> display_width("沈阳市"), display_width("LQ 1.25"), display_width("１２")
    (6, 7, 4)
    """
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


__all__ = [
    "LANGUAGES", "d3_format", "display_width", "excel_format", "figure", "header", "interval", "is_missing",
    "kind_rule", "kinds", "missing_sign", "number_text", "rounded", "rules", "stored", "suppressed_symbol",
    "unit_word", "yes_no",
]
