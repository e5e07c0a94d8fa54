"""Herfindahl-Hirschman index and concentration ratios: hand-calculated examples."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipeline.indices import IndexInputInvalid, concentration_ratio, cr, herfindahl, hhi

HHI_COLUMNS = ["hhi", "n_units", "n_positive", "hhi_normalised", "equivalent_number", "note"]


def firms(values: list[float | None], group: str = "c") -> pl.DataFrame:
    return pl.DataFrame(
        {"cluster": [group] * len(values), "firm": [f"f{k}" for k in range(len(values))]}
    ).with_columns(value=pl.Series(values, dtype=pl.Float64))


def only(out: pl.DataFrame) -> dict:
    assert out.height == 1
    return out.row(0, named=True)


def test_shares_half_three_tenths_fifth():
    # shares 0.5, 0.3, 0.2: H = 0.25 + 0.09 + 0.04 = 0.38; 1/H = 2.631578...
    # n = 3: H* = (0.38 - 1/3) / (1 - 1/3) = 0.046667 / 0.666667 = 0.07
    out = herfindahl(firms([50, 30, 20]), unit="firm", group="cluster")
    assert out.columns == ["cluster", *HHI_COLUMNS]
    row = only(out)
    assert row["hhi"] == pytest.approx(0.38)
    assert row["hhi_normalised"] == pytest.approx(0.07)
    assert row["equivalent_number"] == pytest.approx(1 / 0.38)
    assert (row["n_units"], row["n_positive"], row["note"]) == (3, 3, None)


def test_universe_with_a_zero_unit_and_explicit_n():
    # A fourth firm with 0: H unchanged (0.38), n = 4: H* = (0.38 - 0.25) / 0.75 = 0.173333...
    row = only(herfindahl(firms([50, 30, 20, 0]), unit="firm", group="cluster"))
    assert row["hhi"] == pytest.approx(0.38)
    assert row["hhi_normalised"] == pytest.approx(0.13 / 0.75)
    assert (row["n_units"], row["n_positive"]) == (4, 3)
    # Universe of 10 firms given explicitly: H* = (0.38 - 0.1) / 0.9 = 0.311111...
    row = only(herfindahl(firms([50, 30, 20]), unit="firm", group="cluster", n=10))
    assert row["hhi_normalised"] == pytest.approx(0.28 / 0.9)
    with pytest.raises(IndexInputInvalid, match="smaller"):
        herfindahl(firms([50, 30, 20]), unit="firm", group="cluster", n=2)
    with pytest.raises(IndexInputInvalid):
        herfindahl(firms([50, 30, 20]), unit="firm", group="cluster", n=0)


def test_points_scale():
    # Shares in percent: 50² + 30² + 20² = 2500 + 900 + 400 = 3800 points; H* stays 0.07 on the 0-1 scale.
    row = only(herfindahl(firms([50, 30, 20]), unit="firm", group="cluster", scale="points"))
    assert row["hhi"] == pytest.approx(3800)
    assert row["hhi_normalised"] == pytest.approx(0.07)
    assert row["equivalent_number"] == pytest.approx(1 / 0.38)
    with pytest.raises(IndexInputInvalid, match="scale"):
        herfindahl(firms([50]), unit="firm", group="cluster", scale="percent")  # type: ignore[arg-type]


def test_single_unit_universe():
    # One firm: H = 1² = 1, 1/H = 1; n = 1 so H* = (1 - 1)/(1 - 1) = 0/0 -> null with a note.
    row = only(herfindahl(firms([7]), unit="firm", group="cluster"))
    assert (row["hhi"], row["equivalent_number"], row["hhi_normalised"]) == (1.0, 1.0, None)
    assert row["note"] == "the universe has a single unit (n = 1): hhi_normalised is undefined"


def test_zero_total_and_nothing_reported():
    out = herfindahl(
        pl.concat([firms([0, 0], "zero"), firms([None, None], "none")]), unit="firm", group="cluster"
    )
    zero, none = out.rows(named=True)
    assert zero["hhi"] is None and zero["hhi_normalised"] is None and zero["equivalent_number"] is None
    assert zero["note"] == "group total is 0: the shares are undefined"
    assert (zero["n_units"], zero["n_positive"]) == (2, 0)
    assert none["hhi"] is None and none["note"] == "no value reported" and none["n_units"] == 0


def test_null_values_are_ignored_and_counted_in_the_note():
    # 50, 30, 20 and two unreported firms: H = 0.38 over the reported ones; the universe still has 5 firms,
    # so H* = (0.38 - 0.2) / 0.8 = 0.225.
    row = only(herfindahl(firms([50, None, 30, 20, None]), unit="firm", group="cluster"))
    assert row["hhi"] == pytest.approx(0.38)
    assert row["hhi_normalised"] == pytest.approx(0.225)
    assert row["n_units"] == 3 and row["note"] == "2 units not reported (ignored)"
    row = only(herfindahl(firms([50, None]), unit="firm", group="cluster"))
    # H = 1; n = 2: H* = (1 - 0.5) / 0.5 = 1
    assert (row["hhi"], row["hhi_normalised"], row["note"]) == (1.0, 1.0, "1 unit not reported (ignored)")


def test_geographic_concentration_counts_absent_regions():
    # 2020: industry x in A, B, C (60, 20, 20); industry y only in A and B (10, 10); C has no y row.
    #   x: shares 0.6, 0.2, 0.2 -> H = 0.36 + 0.04 + 0.04 = 0.44; n = 3: H* = (0.44 - 1/3)/(2/3) = 0.16
    #   y: shares 0.5, 0.5 -> H = 0.5; n = 3 (C is a zero unit): H* = (0.5 - 1/3)/(2/3) = 0.25
    # 2021: only A and B anywhere, y 10, 10 -> H = 0.5, n = 2: H* = (0.5 - 0.5)/0.5 = 0
    df = pl.DataFrame(
        {
            "year": [2020] * 5 + [2021] * 2,
            "region_code": ["A", "B", "C", "A", "B", "A", "B"],
            "industry_code": ["x", "x", "x", "y", "y", "y", "y"],
            "value": [60, 20, 20, 10, 10, 10, 10],
        }
    )
    out = herfindahl(df, unit="region_code", group="industry_code", by=["year"])
    assert out.columns == ["year", "industry_code", *HHI_COLUMNS]
    assert out["hhi"].to_list() == pytest.approx([0.44, 0.5, 0.5])
    assert out["hhi_normalised"].to_list() == pytest.approx([0.16, 0.25, 0.0], abs=1e-12)
    assert out["n_units"].to_list() == [3, 2, 2]
    # diversity of regions: industries are the units, regions the groups; group may be several columns
    div = herfindahl(df, unit="industry_code", group=["year", "region_code"])
    # 2020 A: 60, 10 -> (36 + 1)/49 = 37/49
    assert div.filter(year=2020, region_code="A")["hhi"].item() == pytest.approx(37 / 49)


def test_expression_builders():
    df = pl.concat([firms([50, 30, 20], "c"), firms([40, 20, 20, 10, 5, 5], "d")])
    out = df.group_by("cluster", maintain_order=True).agg(hhi("value").alias("h"), cr("value", 4).alias("c4"))
    # d: H = (1600 + 400 + 400 + 100 + 25 + 25)/100² = 0.255; CR4 = (40 + 20 + 20 + 10)/100 = 0.9
    assert out["h"].to_list() == pytest.approx([0.38, 0.255])
    assert out["c4"].to_list() == pytest.approx([1.0, 0.9])


def test_concentration_ratio_more_and_fewer_than_k_units():
    df = pl.concat(
        [firms([40, 20, 20, 10, 5, 5], "big"), firms([50, 30, None], "small"), firms([0, 0], "zero")]
    )
    out = concentration_ratio(df, unit="firm", group="cluster")
    assert out.columns == ["cluster", "cr4", "n_units", "note"]
    big, small, zero = out.rows(named=True)
    # big: (40 + 20 + 20 + 10)/100 = 0.9
    assert big["cr4"] == pytest.approx(0.9) and big["n_units"] == 6 and big["note"] is None
    # small: 2 reported units <= 4: CR4 = (50 + 30)/80 = 1, still defined, with the note
    assert small["cr4"] == pytest.approx(1.0) and small["n_units"] == 2
    assert small["note"] == (
        "at most 4 units with a positive value: CR4 is 1 by construction; 1 unit not reported (ignored)"
    )
    assert zero["cr4"] is None and zero["note"] == "group total is 0: the shares are undefined"
    # CR2 of big: (40 + 20)/100 = 0.6; CR8 column name
    assert concentration_ratio(df, unit="firm", group="cluster", k=2)["cr2"][0] == pytest.approx(0.6)
    assert "cr8" in concentration_ratio(df, unit="firm", group="cluster", k=8).columns
    with pytest.raises(IndexInputInvalid, match="k must be"):
        concentration_ratio(df, unit="firm", group="cluster", k=0)


def test_inputs_not_mutated_and_duplicates_refused():
    df = firms([50, 30, 20])
    before = df.clone()
    herfindahl(df, unit="firm", group="cluster")
    concentration_ratio(df, unit="firm", group="cluster")
    assert_frame_equal(df, before)
    with pytest.raises(IndexInputInvalid, match="share their key"):
        herfindahl(pl.concat([df, df.head(1)]), unit="firm", group="cluster")


# --- golden values from the reference tools ----------------------------------------------------------------------
# Run with the packages' own code in R 4.2.2: REAT 3.0.3 = cran/REAT@602f988 (R/herf.R checked against the release's
# MD5 file; REAT 3.0.3 has no herf.eq: the equivalent number is herf(x, output = "eq")), EconGeo 2.0 =
# PABalland/EconGeo@40081a9 (R/Herfindahl.r, function herfindahl).
#
# Convention mapping:
#   REAT herf(x)                      -> hhi (share scale)
#   REAT herf(x, coefnorm = TRUE)     -> hhi_normalised, with n = length(x) after dropping NAs: our default when every
#                                        unit is listed and reported (zeros count in both); with NAs drop those rows
#   REAT herf(x, output = "eq")       -> equivalent_number
#   EconGeo herfindahl(mat)           -> hhi per region over industries: unit="industry_code", group="region_code"
#                                        (EconGeo has no normalised form)


def test_reat_herf_rd_examples():
    # REAT 3.0.3 man/herf.Rd: sales <- c(20,50,20,10); herf(sales) -> 0.34; herf(sales, coefnorm = TRUE) -> 0.12;
    # herf(sales, output = "eq") -> 2.94117647058824 (Rd: 2.94)
    row = only(herfindahl(firms([20, 50, 20, 10]), unit="firm", group="cluster"))
    assert row["hhi"] == pytest.approx(0.34, abs=1e-12)
    assert row["hhi_normalised"] == pytest.approx(0.12, abs=1e-12)
    assert row["equivalent_number"] == pytest.approx(2.94117647058824, abs=1e-12)
    # gdp of the 16 Laender 2015: herf(gdp) -> 0.125176299067962 (Rd: 0.125); coefnorm -> 0.0668547190058265
    gdp = [460.69, 549.19, 124.16, 65.29, 31.59, 109.27, 263.44, 39.87, 258.53, 645.59, 131.95, 35.03, 112.66,
           56.22, 85.61, 56.81]  # fmt: skip
    row = only(herfindahl(firms(gdp), unit="firm", group="cluster"))
    assert row["hhi"] == pytest.approx(0.125176299067962, abs=1e-12)
    assert row["hhi_normalised"] == pytest.approx(0.0668547190058265, abs=1e-12)


def test_reat_herf_universe_with_zeros_and_nas():
    # REAT herf(c(50, 30, 20, 0), coefnorm = TRUE) -> 0.173333333333333: the zero counts in n (as our default)
    row = only(herfindahl(firms([50, 30, 20, 0]), unit="firm", group="cluster"))
    assert row["hhi_normalised"] == pytest.approx(0.173333333333333, abs=1e-12)
    # REAT herf(c(50, NA, 30, 20), coefnorm = TRUE) -> 0.07: REAT drops the NA before counting n = 3; our default
    # keeps the unreported unit in the universe (n = 4: (0.38 - 0.25)/0.75), so REAT's number needs the unreported
    # rows dropped first
    with_na = firms([50, None, 30, 20])
    assert only(herfindahl(with_na, unit="firm", group="cluster"))["hhi_normalised"] == pytest.approx(0.13 / 0.75)
    reat = only(herfindahl(with_na.drop_nulls("value"), unit="firm", group="cluster"))
    assert reat["hhi_normalised"] == pytest.approx(0.07, abs=1e-12)


def test_econgeo_herfindahl_example():
    # EconGeo 2.0 R/Herfindahl.r example: set.seed(31); mat <- matrix(sample(0:100, 20, replace = TRUE), ncol = 4)
    # gave in R 4.2.2 (rows R1..R5, columns I1..I4):
    mat = [[44, 63, 8, 83], [48, 42, 10, 1], [74, 54, 96, 16], [39, 26, 28, 13], [89, 61, 45, 76]]
    df = pl.DataFrame(
        [(f"R{r + 1}", f"I{i + 1}", v) for r, row in enumerate(mat) for i, v in enumerate(row)],
        schema=["region_code", "industry_code", "value"],
        orient="row",
    )
    # herfindahl(mat) -> 0.327976737067646 0.408685422997745 0.310138888888889 0.280348878604486 0.264743127136068
    out = herfindahl(df, unit="industry_code", group="region_code")
    assert out["region_code"].to_list() == ["R1", "R2", "R3", "R4", "R5"]
    assert out["hhi"].to_list() == pytest.approx(
        [0.327976737067646, 0.408685422997745, 0.310138888888889, 0.280348878604486, 0.264743127136068], abs=1e-12
    )
    # Hand check R2: (48² + 42² + 10² + 1²)/101² = 4169/10201
    assert out["hhi"][1] == pytest.approx(4169 / 10201)
