"""The formatting rules (pipeline/core/formatting.toml) as one table: (value, kind, language) -> the text every export,
page and bulletin prints. Each expected text is worked out by hand from the rule beside it."""

from __future__ import annotations

import math

import pytest

from pipeline.core import formatting as f

#: a cell a release withheld (disclosure control): printed as the symbol, never as a number or as missing
SUPPRESSED = object()

TABLE = [
    # years: never grouped, whatever the language (the printable report printed "2,013")
    (2013, "year", "zh", "2013"),
    (2013, "year", "en", "2013"),
    (2013.0, "year", "en", "2013"),
    # counts: whole numbers, grouped by thousands; 4,891.00 was printed for a count of persons
    (4891, "count", "zh", "4,891"),
    (4891.0, "count", "en", "4,891"),
    (1234567, "count", "en", "1,234,567"),
    (999.5, "count", "en", "1,000"),                      # half up: 999.5 -> 1000
    (4891, "persons", "zh", "4,891人"),                    # GB/T 15835: no space before a Chinese unit
    (4891, "persons", "en", "4,891 persons"),
    (224_912, "persons_10k", "zh", "22.49万人"),           # 224,912 / 10,000 = 22.4912 -> 22.49
    (224_950, "persons_10k", "en", "22.50 10k persons"),   # 22.495 -> 22.50 (half up, not 22.49)
    # money, stored in yuan, in each unit
    (1_234_567.4, "money_yuan", "zh", "1,234,567元"),
    (1_234_567.5, "money_yuan", "en", "1,234,568 yuan"),
    (123_456_789, "money_10k", "zh", "12,346万元"),        # 12,345.6789 -> 12,346
    (123_456_789, "money_10k", "en", "12,346 10k yuan"),
    (368_912_345_678, "money_100m", "zh", "3,689.1亿元"),  # 3,689.12345678 -> 3,689.1
    (368_962_345_678, "money_100m", "en", "3,689.6 100m yuan"),
    (368_912_345_678, "money_bn", "en", "368.91 bn yuan"),  # 368.912... -> 368.91
    (368_915_000_000, "money_bn", "zh", "368.92十亿元"),    # 368.915 exactly -> half up 368.92
    (-25_000_000, "money_100m", "zh", "-0.3亿元"),          # -0.25 -> -0.3 (half away from zero)
    # shares (fractions) and growth rates as percentages
    (0.1234, "share", "zh", "12.3%"),
    (0.12345, "share", "en", "12.3%"),
    (0.12351, "share", "en", "12.4%"),
    (1.0, "share", "en", "100.0%"),
    (0.052, "growth", "zh", "+5.2%"),
    (-0.0449, "growth", "en", "-4.5%"),                   # -4.49% -> -4.5%
    (0.0, "growth", "en", "0.0%"),                        # no sign on zero
    (-0.00004, "growth", "en", "0.0%"),                   # a negative that rounds to zero loses its sign
    # indices
    (2.675, "index", "en", "2.68"),                       # binary 2.67499..., written 2.675 -> 2.68
    (1.0049, "index", "zh", "1.00"),
    (0.125, "concentration", "en", "0.1250"),
    (0.12345, "concentration", "en", "0.1235"),           # half up; format() gives 0.1234 (banker's on binary)
    (71.45, "score", "zh", "71.5"),
    (1.005, "points", "en", "+1.01"),
    (-0.004, "points", "en", "0.00"),                      # rounds to zero: no sign
    (83.5, "percentile", "en", "84"),                    # half up
    (12, "rank", "zh", "12"),
    (1234, "rank", "en", "1234"),                         # ranks are not grouped
    (-3, "rank_change", "en", "-3"),
    (3, "rank_change", "zh", "+3"),
    # missing and suppressed
    (None, "persons", "zh", "–"),
    (float("nan"), "index", "en", "–"),
    (math.inf, "share", "zh", "–"),
    (SUPPRESSED, "persons", "zh", "保密"),     # the symbols of the methodology's [disclosure] defaults (issue 17)
    (SUPPRESSED, "money_bn", "en", "D"),
    (SUPPRESSED, "index", "en", "D"),
]


@pytest.mark.parametrize(("value", "kind", "lang", "expected"), TABLE)
def test_figure(value, kind, lang, expected):
    if value is SUPPRESSED:
        assert f.figure(None, kind, lang, suppressed=True) == expected
    else:
        assert f.figure(value, kind, lang) == expected


def test_every_kind_is_in_the_table():
    assert {kind for _, kind, _, _ in TABLE} == set(f.kinds())


@pytest.mark.parametrize(("lang", "symbol"), [("zh", "保密"), ("en", "D")])
def test_suppressed_shows_the_symbol_never_a_number(lang, symbol):
    assert f.figure(None, "persons", lang, suppressed=True) == symbol
    assert f.figure(None, "persons", lang, suppressed=True, symbol="x") == "x"  # a release's own symbol
    # a cell that was not withheld but has no value is missing, not confidential
    assert f.figure(None, "persons", lang, suppressed=False) == "–"


@pytest.mark.parametrize(("title", "kind", "lang", "currency", "expected"), [
    ("从业人员", "persons", "zh", "yuan", "从业人员（人）"),
    ("Employment", "persons", "en", "yuan", "Employment (persons)"),
    ("产值", "money_100m", "zh", "yuan", "产值（亿元）"),
    ("Output", "money_bn", "en", "USD", "Output (bn USD)"),
    ("产值", "money_100m", "zh", "USD", "产值（亿美元）"),
    ("份额", "share", "zh", "yuan", "份额（%）"),
    ("LQ", "index", "en", "yuan", "LQ"),                   # no unit, no brackets
    ("Year", "year", "en", "yuan", "Year"),
    ("Year", None, "en", "yuan", "Year"),
])
def test_headers_carry_units(title, kind, lang, currency, expected):
    assert f.header(title, kind, lang, currency=currency) == expected


@pytest.mark.parametrize(("value", "kind", "expected"), [
    (2013, "year", 2013),
    (4891.0, "persons", 4891),                   # an int: the cell shows no decimals
    (368_912_345_678, "money_100m", 3689.1),    # the number as the header's unit says
    (0.12345, "share", 0.123),                  # 12.3% rounded, kept as the fraction Excel's 0.0% shows
    (2.675, "index", 2.68),
    (None, "index", None),
])
def test_stored_cells_are_numbers_rounded_like_the_text(value, kind, expected):
    got = f.stored(value, kind)
    assert got == pytest.approx(expected) if expected is not None else got is None
    assert type(got) is type(expected)


def test_excel_and_d3_formats():
    assert f.excel_format("year") == "0" and f.d3_format("year") == "d"
    assert f.excel_format("share") == "0.0%" and f.d3_format("share") == ".1%"
    assert f.excel_format("money_100m") == "#,##0.0" and f.d3_format("money_100m") == ",.1f"
    assert f.d3_format("points") == "+,.2f"
    with pytest.raises(ValueError, match="unknown figure kind 'euro'"):
        f.figure(1, "euro", "en")


def test_yes_no():
    assert (f.yes_no(True, "zh"), f.yes_no(False, "zh"), f.yes_no(True, "en"), f.yes_no(None, "en")) == (
        "是", "否", "yes", "–")


def test_interval():
    assert f.interval(3, 8, "rank", "zh") == "3–8"
    assert f.interval(None, 8, "rank", "en") == "–"
