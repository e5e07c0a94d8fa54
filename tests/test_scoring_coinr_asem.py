"""Golden test: COINr's ASEM example, expressed in the methodology format, reproduces COINr's index values.

Source: COINr 1.1.14 (JRC composite-indicator toolkit, github.com/bluefoxr/COINr), its example coin
``build_example_coin()`` (R/examples.R): Denominate (by the iMeta denominators), Impute (``i_mean_grp`` by
EurAsia_group), Screen (``byNA``, dat_thresh 0.9), Treat (winsorise up to 5 points while |skew| >= 2 and kurtosis
>= 3.5, else ``log_CT``), Normalise (``n_minmax`` to [0, 100]), Aggregate (``a_amean``, iMeta weights) through
Indicator -> Pillar -> Sub-index -> Index. Data: ../shared/data/reference/coinr_ASEM_iData.csv and iMeta.
"""

from __future__ import annotations

import polars as pl
import pytest
from conftest import shared_data

from pipeline.scoring import Methodology, indicator_values, score_details

# COINr 1.1.14 results vignette (vignettes/results.Rmd, "Presenting Results", rendered in articles/results.md of
# bluefoxr/COINr @ cb1fa25): get_results(coin, dset = "Aggregated", tab_type = "Aggs"), printed to 2 decimals,
# and get_unit_summary(coin, usel = "IND").
PUBLISHED = {
    #       Index   Conn   Sust  Physical ConEcFin Political Instit  P2P  Environ Social SusEcFin
    "CHE": (68.38, 62.79, 73.98, 63.41, 32.87, 74.78, 85.94, 56.93, 77.21, 87.85, 56.88),
    "NLD": (64.82, 61.94, 67.70, 64.87, 46.62, 84.55, 71.74, 41.92, 58.73, 86.58, 57.78),
    "DNK": (64.80, 57.10, 72.51, 50.52, 30.43, 78.13, 75.35, 51.04, 69.83, 86.40, 61.29),
    "NOR": (64.47, 57.44, 71.50, 58.18, 25.70, 80.03, 89.46, 33.80, 70.90, 87.00, 56.59),
    "BEL": (63.54, 63.99, 63.09, 71.97, 48.22, 80.84, 75.60, 43.32, 53.01, 86.17, 50.09),
    "SWE": (63.00, 53.87, 72.12, 51.51, 23.87, 80.98, 74.51, 38.50, 66.37, 87.74, 62.27),
    "IND": (39.79, 28.60, 50.99, 18.78, 6.38, 51.90, 59.84, 6.07, 75.34, 22.74, 54.88),
}
COLUMNS = ("Index", "Conn", "Sust", "Physical", "ConEcFin", "Political", "Instit", "P2P", "Environ", "Social",
           "SusEcFin")

# Full precision for all 51 units: COINr's build steps run in R 4.2.2 (/tmp/reference/coinr/asem_build.R, with
# COINr's numerical functions skew, kurt, check_SkewKurt, winsorise, log_CT, i_mean_grp, n_minmax and a_amean
# transcribed from bluefoxr/COINr R/treat.R @ 0889f05, R/impute.R @ 0388928, R/aggregate.R; CRAN is unreachable
# here, so the package itself was not installed). That run reproduces every published value above exactly.
R_INDEX = {  # uCode: (Index, Conn, Sust)
    "CHE": (68.3837242383, 62.7879617181, 73.9794867586),
    "NLD": (64.8195161698, 61.9398723625, 67.6991599771),
    "DNK": (64.8040799606, 57.0974895697, 72.5106703515),
    "NOR": (64.4677758497, 57.4355053189, 71.5000463806),
    "BEL": (63.5395198949, 63.9901642345, 63.0888755552),
    "SWE": (62.9996794892, 53.8747393273, 72.1246196511),
    "AUT": (61.9018034074, 55.4300181149, 68.3735886999),
    "LUX": (61.5834765462, 66.5553995464, 56.6115535460),
    "DEU": (60.7514175168, 54.3493607604, 67.1534742733),
    "MLT": (60.3578055926, 59.5781922567, 61.1374189286),
    "SVN": (60.3040769718, 52.5277428072, 68.0804111364),
    "IRL": (60.0929353909, 55.2349061354, 64.9509646464),
    "FIN": (58.7877873972, 52.1354995830, 65.4400752113),
    "SGP": (58.3662800107, 61.9069528294, 54.8256071921),
    "GBR": (57.7636609297, 52.8104446518, 62.7168772076),
    "LTU": (57.0722210388, 48.1105857443, 66.0338563332),
    "CZE": (56.6443316321, 52.0514584163, 61.2372048480),
    "HRV": (55.6382840449, 50.1418764471, 61.1346916427),
    "ESP": (55.5237215271, 51.4899980306, 59.5574450236),
    "HUN": (55.3914559042, 52.3059845406, 58.4769272679),
    "FRA": (55.3705621556, 50.9086036332, 59.8325206779),
    "EST": (55.3189245540, 53.5015247689, 57.1363243391),
    "LVA": (54.9685980709, 47.9876649928, 61.9495311489),
    "SVK": (54.8808429713, 50.4043689879, 59.3573169548),
    "ROU": (54.5624777894, 43.8760223288, 65.2489332499),
    "POL": (54.0271349695, 48.2518738880, 59.8023960510),
    "PRT": (53.3786550788, 49.0904971069, 57.6668130508),
    "ITA": (52.3804182976, 47.7436568359, 57.0171797593),
    "CYP": (51.0569695835, 51.7799237483, 50.3340154186),
    "BGR": (50.8075914087, 44.7182237801, 56.8969590373),
    "KOR": (50.1021662255, 43.8271422821, 56.3771901688),
    "GRC": (48.8863077801, 45.3147665674, 52.4578489928),
    "NZL": (48.0390667298, 39.2362179817, 56.8419154780),
    "JPN": (46.8379571800, 36.9689325334, 56.7069818266),
    "AUS": (45.7662475156, 38.3648083304, 53.1676867008),
    "VNM": (43.2088946936, 31.4005389138, 55.0172504734),
    "KHM": (42.1580600653, 28.9934605508, 55.3226595799),
    "PHL": (41.5463691095, 27.1281223968, 55.9646158223),
    "MYS": (41.3491281061, 42.3169256790, 40.3813305331),
    "BRN": (41.2071818983, 40.0493306199, 42.3650331768),
    "MMR": (41.0308343665, 21.6133312175, 60.4483375154),
    "THA": (40.9209081163, 31.9957620785, 49.8460541541),
    "IDN": (40.2074937408, 28.3919020824, 52.0230853992),
    "MNG": (40.1761176900, 30.8426300912, 49.5096052887),
    "IND": (39.7920399835, 28.5951573048, 50.9889226621),
    "BGD": (39.0477615938, 20.1721562271, 57.9233669605),
    "KAZ": (39.0262775554, 31.2666588937, 46.7858962172),
    "LAO": (38.2130522211, 24.4286453932, 51.9974590490),
    "CHN": (37.7685475348, 28.2395983264, 47.2974967433),
    "PAK": (37.6321613913, 22.2850304881, 52.9792922945),
    "RUS": (35.6555445117, 29.9858456734, 41.3252433499),
}


def asem_methodology_text(meta: pl.DataFrame) -> str:
    """COINr's iMeta as a methodology file: the four levels and their options, the aggregates and indicators."""
    lines = [
        '[methodology]', 'name = "COINr ASEM example"', 'min_coverage = 0.9  # Screen(dat_thresh = 0.9)', '',
        '[[level]]', 'name = "Indicator"', 'imputation = "group_mean"', 'imputation_group = "EurAsia_group"',
        'outliers = "coinr"', 'winsor_max = 5', 'normalisation = "minmax"', '',
    ]
    for name in ("Pillar", "Sub-index", "Index"):
        lines += ['[[level]]', f'name = "{name}"', 'weights = "manual"', 'aggregation = "arithmetic"', '']
    levels = {2: "Pillar", 3: "Sub-index", 4: "Index"}
    for row in meta.filter(pl.col("Type") == "Aggregate").iter_rows(named=True):
        lines += ['[[aggregate]]', f'code = "{row["iCode"]}"', f'name = "{row["iName"]}"',
                  f'level = "{levels[row["Level"]]}"', f'weight = {row["Weight"]}']
        lines += [f'parent = "{row["Parent"]}"', ''] if row["Parent"] else ['']
    for row in meta.filter(pl.col("Type") == "Indicator").iter_rows(named=True):
        lines += ['[[indicator]]', f'code = "{row["iCode"]}"', f'name = "{row["iName"]}"',
                  f'parent = "{row["Parent"]}"', f'direction = {row["Direction"]}', f'weight = {row["Weight"]}',
                  f'unit = "{row["Unit"]}"', f'source = "{row["iCode"]}"']
        lines += [f'denominator = "{row["Denominator"]}"', ''] if row["Denominator"] else ['']
    return "\n".join(lines)


@pytest.fixture(scope="module")
def asem():
    data = pl.read_csv(shared_data("reference", "coinr_ASEM_iData.csv"), null_values="NA")
    meta = pl.read_csv(shared_data("reference", "coinr_ASEM_iMeta.csv"), null_values="NA")
    m = Methodology.from_text(asem_methodology_text(meta), source="asem.toml")
    numeric = [c for c in data.columns if c not in ("uName", "uCode", "Time") and not c.endswith("_group")]
    reported = data.unpivot(index=["uCode", "Time"], on=numeric, variable_name="indicator", value_name="value")
    reported = reported.rename({"uCode": "unit", "Time": "year"}).with_columns(pl.col("value").cast(pl.Float64))
    values = indicator_values(reported, m, unit="unit")
    groups = data.select(pl.col("uCode").alias("unit"), "EurAsia_group")
    result = score_details(values, m, unit="unit", groups=groups)
    wide = result.aggregates.pivot(on="code", index="unit", values="score")
    return m, result, wide


def test_the_methodology_format_expresses_the_asem_framework(asem):
    m, _, _ = asem
    assert [lv.name for lv in m.levels] == ["Indicator", "Pillar", "Sub-index", "Index"]
    assert len(m.indicators) == 49 and m.root == "Index" and m.children("Index") == ["Conn", "Sust"]
    assert sum(i.denominator is not None for i in m.indicators) == 17


def test_published_index_subindex_and_pillar_values_within_0_01(asem):
    _, _, wide = asem
    for code, expected in PUBLISHED.items():
        row = wide.filter(pl.col("unit") == code).row(0, named=True)
        got = tuple(row[c] for c in COLUMNS)
        assert got == pytest.approx(expected, abs=0.01), code


def test_all_51_units_match_coinr_run_in_r(asem):
    _, result, wide = asem
    assert wide.height == 51  # nobody is screened out after group-mean imputation
    worst = 0.0
    for code, expected in R_INDEX.items():
        row = wide.filter(pl.col("unit") == code).row(0, named=True)
        got = (row["Index"], row["Conn"], row["Sust"])
        worst = max(worst, *(abs(g - e) for g, e in zip(got, expected, strict=True)))
    assert worst < 1e-8
    top = result.scores.head(3).select("unit", "rank").rows()
    assert top == [("CHE", 1), ("NLD", 2), ("DNK", 3)]


def test_treated_points_match_coinr(asem):
    _, result, _ = asem
    # COINr's Treat on the ASEM example winsorises 15 indicators (R run above: Flights 1 point, Bord 3, Gas 3,
    # Services 4, FDI 2, ForPort 3, CostImpEx 1, Tariff 3, StMob 2, CultServ 3, Forest 2, Poverty 3, NGOs 3,
    # FemLab 1, PubDebt 1) and log-transforms none.
    win = result.treatments.filter(pl.col("treatment").str.contains("winsorised"))
    counts = dict(win.group_by("indicator").len().iter_rows())
    assert counts == {"Flights": 1, "Bord": 3, "Gas": 3, "Services": 4, "FDI": 2, "ForPort": 3, "CostImpEx": 1,
                      "Tariff": 3, "StMob": 2, "CultServ": 3, "Forest": 2, "Poverty": 3, "NGOs": 3, "FemLab": 1,
                      "PubDebt": 1}
    assert result.treatments.filter(pl.col("treatment").str.contains("log")).height == 0
