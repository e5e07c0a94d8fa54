"""Composite scores: indicator values -> impute -> screen -> treat -> normalise -> weight -> aggregate -> rank.

Pure functions over polars frames (numpy and scikit-learn inside); no IO. :func:`score_details` returns every
frame the warehouse stores; :func:`composite_scores` the two the build has always written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from pipeline.scoring.engine import Plan, descending_rank, evaluate, process_level
from pipeline.scoring.methodology import Methodology
from pipeline.scoring.treatment import carry_forward, impute
from pipeline.scoring.weights import level_weights


@dataclass
class YearState:
    """One year's cross-section, kept for the Monte Carlo and the explanations."""

    year: int
    units: list[str]
    raw: np.ndarray  # scored units x indicators, as reported
    imputed: np.ndarray  # after imputation (before outlier treatment)
    treated: np.ndarray
    values: list[np.ndarray]  # per level, scored units x members
    groups: np.ndarray | None
    logged: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # columns log-transformed


@dataclass
class CompositeResult:
    """The frames of a scoring run and the state behind them (see :func:`score_details` for the columns)."""

    scores: pl.DataFrame
    indicators: pl.DataFrame
    aggregates: pl.DataFrame
    treatments: pl.DataFrame
    methodology: Methodology
    unit: str
    year: str
    weights: list[np.ndarray] = field(repr=False)
    plan: Plan = field(repr=False)
    states: dict[int, YearState] = field(repr=False)


def composite_scores(values: pl.DataFrame, methodology: Methodology, *, unit: str = "cluster_code",
                     year: str = "year", groups: pl.DataFrame | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``(scores, indicators)`` of :func:`score_details` (the two frames the warehouse build has always written).

    Parameters
    ----------
    values
        Long frame: unit, year, indicator, raw_value (:func:`indicator_values`).
    methodology
        The methodology (its hash is the version to record with the rows).
    unit, year
        Column names.
    groups
        Unit plus group columns, for group imputation.

    Returns
    -------
    tuple of polars.DataFrame
        ``scores`` (unit, year, score, rank, n_ranked, indicators_used, indicators_total, note) and ``indicators``
        (unit, year, indicator, indicator_name, indicator_name_zh, pillar, raw_value, normalised, weight,
        direction, unit_label).

    Examples
    --------
    Two indicators under one index, min_coverage 1 (both needed). Output 10/20/30 -> 0/50/100; energy use
    (direction -1) 300/200/- -> 0/100/-. A: (0 + 0)/2 = 0; B: (50 + 100)/2 = 75; C lacks energy: no score,
    and it is left out of the comparison, so output is normalised over A and B only (A 0, B 100): B = 100.

    >>> m = Methodology.from_text('''
    ... [methodology]
    ... min_coverage = 1.0
    ... [[indicator]]
    ... code = "output_value"
    ... source = "output_value"
    ... [[indicator]]
    ... code = "energy_use"
    ... source = "energy_use"
    ... direction = -1
    ... ''')
    >>> vals = pl.DataFrame({"cluster_code": ["A", "B", "C"] * 2, "year": [2022] * 6,
    ...     "indicator": ["output_value"] * 3 + ["energy_use"] * 3,
    ...     "raw_value": [10.0, 20.0, 30.0, 300.0, 200.0, None]})
    >>> scores, _ = composite_scores(vals, m)
    >>> scores.sort("cluster_code").select("cluster_code", "score", "rank", "n_ranked").rows()
    [('A', 0.0, 2, 2), ('B', 100.0, 1, 2), ('C', None, None, 2)]
    >>> scores.filter(pl.col("cluster_code") == "C").item(0, "note")
    'reports 1 of 2 indicators, below the 100% needed for a score'
    """
    result = score_details(values, methodology, unit=unit, year=year, groups=groups)
    return result.scores, result.indicators


def score_details(values: pl.DataFrame, methodology: Methodology, *, unit: str = "cluster_code",
                  year: str = "year", groups: pl.DataFrame | None = None) -> CompositeResult:
    """Score every unit x year with every intermediate result.

    Parameters
    ----------
    values
        Long frame: unit, year, indicator, raw_value (:func:`indicator_values`).
    methodology
        The methodology.
    unit, year
        Column names.
    groups
        Unit plus group columns, for group imputation (the level's ``imputation_group`` names the column).

    Returns
    -------
    CompositeResult
        Its frames, and the per-year state :func:`rank_uncertainty` and the explanations use:

    - ``scores``: unit, year, score, rank, n_ranked, indicators_used, indicators_total, note (the root)
    - ``indicators``: unit, year, indicator, indicator_name, indicator_name_zh, pillar, raw_value, normalised,
      weight (within its pillar), direction, unit_label
    - ``aggregates``: unit, year, level, code, name, name_zh, parent, score, rank, n_ranked, weight, coverage
      (every pillar, sub-index and the index)
    - ``treatments``: unit, year, indicator, raw_value, value, treatment (imputed and outlier-treated values)

    Notes
    -----
    Steps: imputation (level 0, each year's cross-section; LOCF along the panel); screening (a unit with fewer than
    ``min_coverage`` of the indicators after imputation gets no score and is left out of the comparison);
    outlier treatment and normalisation across the screened units of the year; weights (manual, equal, or PCA/FA
    estimated on the pooled years); aggregation level by level with weights renormalised over the present children
    and each level's coverage threshold; ranks within the year, ties sharing the lowest rank.
    """
    m, plan = methodology, Plan.of(methodology)
    codes = plan.codes[0]
    known = values.filter(pl.col("indicator").is_in(codes))
    wide = known.pivot(on="indicator", index=[unit, year], values="raw_value", aggregate_function="first")
    for c in codes:
        if c not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(c))
    wide = wide.sort(year, unit)
    raw = wide.select(codes).cast(pl.Float64).fill_null(np.nan).to_numpy().astype(float)
    units = wide.get_column(unit).cast(pl.String).to_list()
    years = wide.get_column(year).to_numpy()
    labels = _group_labels(units, groups, unit, m.levels[0].imputation_group)
    lv0 = m.levels[0]
    imputed = raw.copy()
    if lv0.imputation == "locf":
        index = {u: i for i, u in enumerate(dict.fromkeys(units))}
        imputed = carry_forward(raw, np.array([index[u] for u in units]), years)
    elif lv0.imputation != "none":
        for y in np.unique(years):
            rows = years == y
            imputed[rows] = impute(raw[rows], lv0.imputation, groups=None if labels is None else labels[rows],
                                   neighbours=lv0.neighbours, seed=m.uncertainty.seed)
    used = (~np.isnan(imputed)).sum(axis=1)
    scored = used >= m.min_coverage * len(codes) - 1e-9
    states: dict[int, YearState] = {}
    normalised = np.full_like(raw, np.nan)
    treated_all = np.full_like(raw, np.nan)
    flags_all = np.full(raw.shape, "", dtype=object)
    for y in np.unique(years):
        rows = np.flatnonzero((years == y) & scored)
        if rows.size == 0:
            continue
        n0, treated, flags = process_level(imputed[rows], lv0, plan, 0, impute_here=False)
        normalised[rows], treated_all[rows] = n0, treated
        flags_all[rows] = np.array(flags, dtype=object).T
        states[int(y)] = YearState(int(y), [units[r] for r in rows], raw[rows], imputed[rows], treated, [n0],
                                   None if labels is None else labels[rows],
                                   np.array([any(f == "log" for f in col) for col in flags], dtype=bool))
    weights = _weights(m, plan, states)
    for st in states.values():
        st.values = evaluate(st.values[0], m, plan, weights, groups=st.groups)
    return CompositeResult(
        scores=_scores_frame(m, plan, states, units, years, used, scored, unit, year),
        indicators=_indicator_frame(m, plan, weights, wide, unit, year, raw, normalised),
        aggregates=_aggregate_frame(m, plan, weights, states, unit, year),
        treatments=_treatment_frame(codes, wide, unit, year, raw, imputed, treated_all, flags_all),
        methodology=m, unit=unit, year=year, weights=weights, plan=plan, states=states,
    )


def _group_labels(units: list[str], groups: pl.DataFrame | None, unit: str, column: str | None) -> np.ndarray | None:
    if groups is None or column is None:
        return None
    lookup = dict(zip(groups.get_column(unit).cast(pl.String).to_list(), groups.get_column(column).to_list(),
                      strict=True))
    return np.array([lookup.get(u) for u in units], dtype=object)


def _weights(m: Methodology, plan: Plan, states: dict[int, YearState]) -> list[np.ndarray]:
    """Within-parent weights per level; PCA/FA weights are estimated on the pooled years' values of the level."""
    weights: list[np.ndarray] = []
    for k in range(len(m.levels) - 1):
        how = m.levels[k + 1].weights
        data = None
        if how in ("pca", "fa") and states:
            if k > 0:
                for st in states.values():
                    st.values = evaluate(st.values[0], m, plan, weights)[: k + 1]
            data = np.vstack([st.values[k] for st in states.values()])
        parents = [plan.codes[k + 1][p] for p in plan.parent_idx[k]]
        weights.append(level_weights(plan.base_weights[k], parents, how, data))
    for st in states.values():
        st.values = st.values[:1]
    return weights


def _scores_frame(m, plan, states, units, years, used, scored, unit, year) -> pl.DataFrame:
    total = len(plan.codes[0])
    score = {}
    for st in states.values():
        root = st.values[-1][:, 0]
        for u, s in zip(st.units, root, strict=True):
            score[(u, st.year)] = s
    rows = []
    top = m.levels[-1]
    kids = m.children(m.root)
    for u, y, n_used, ok in zip(units, years.tolist(), used.tolist(), scored.tolist(), strict=True):
        s = score.get((u, y), np.nan)
        note = None
        if not ok:
            note = (f"reports {n_used} of {total} indicators, below the {round(m.min_coverage * 100)}% needed "
                    "for a score")
        elif np.isnan(s):
            note = (f"has too few of the {len(kids)} parts of the index ({', '.join(kids)}) for a score: "
                    f"{round(top.min_coverage * 100)}% of their weight is needed")
        rows.append((u, y, None if np.isnan(s) else float(s), int(n_used), total, note))
    frame = pl.DataFrame(rows, schema={unit: pl.String, year: pl.Int64, "score": pl.Float64,
                                       "indicators_used": pl.Int64, "indicators_total": pl.Int64,
                                       "note": pl.String}, orient="row")
    frame = frame.with_columns(
        pl.col("score").rank(method="min", descending=True).over(year).cast(pl.Int64).alias("rank"),
        pl.col("score").is_not_null().sum().over(year).cast(pl.Int64).alias("n_ranked"),
    )
    return frame.select(unit, year, "score", "rank", "n_ranked", "indicators_used", "indicators_total", "note"
                        ).sort(year, "rank", unit, nulls_last=True)


def _indicator_frame(m, plan, weights, wide, unit, year, raw, normalised) -> pl.DataFrame:
    codes = plan.codes[0]
    base = wide.select(pl.col(unit).cast(pl.String), pl.col(year).cast(pl.Int64))
    parts = []
    for j, ind in enumerate(m.indicators):
        parts.append(base.with_columns(
            pl.lit(codes[j]).alias("indicator"), pl.lit(ind.name).alias("indicator_name"),
            pl.lit(ind.name_zh).alias("indicator_name_zh"), pl.lit(ind.parent).alias("pillar"),
            pl.Series("raw_value", raw[:, j]).fill_nan(None), pl.Series("normalised", normalised[:, j]).fill_nan(None),
            pl.lit(float(weights[0][j])).alias("weight"), pl.lit(ind.direction, dtype=pl.Int32).alias("direction"),
            pl.lit(ind.unit).alias("unit_label"),
        ))
    return pl.concat(parts)


def _aggregate_frame(m, plan, weights, states, unit, year) -> pl.DataFrame:
    rows = []
    for st in states.values():
        for k in range(1, len(m.levels)):
            vals = st.values[k]
            present = ~np.isnan(st.values[k - 1])
            for p, code in enumerate(plan.codes[k]):
                node = m.node(code)
                kids = plan.parent_idx[k - 1] == p
                w = weights[k - 1][kids]
                cover = (present[:, kids] * w).sum(axis=1) / w.sum()
                own = weights[k][plan.codes[k].index(code)] if k < len(m.levels) - 1 else 1.0
                ranks = descending_rank(vals[:, p])
                n = int((~np.isnan(vals[:, p])).sum())
                for i, u in enumerate(st.units):
                    s = vals[i, p]
                    rows.append((u, st.year, m.levels[k].name, code, node.name, node.name_zh, node.parent,
                                 None if np.isnan(s) else float(s), None if np.isnan(s) else int(ranks[i]), n,
                                 float(own), float(cover[i])))
    schema = {unit: pl.String, year: pl.Int64, "level": pl.String, "code": pl.String, "name": pl.String,
              "name_zh": pl.String, "parent": pl.String, "score": pl.Float64, "rank": pl.Int64, "n_ranked": pl.Int64,
              "weight": pl.Float64, "coverage": pl.Float64}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _treatment_frame(codes, wide, unit, year, raw, imputed, treated, flags) -> pl.DataFrame:
    rows = []
    keys = wide.select(pl.col(unit).cast(pl.String), pl.col(year).cast(pl.Int64)).rows()
    for r, (u, y) in enumerate(keys):
        for j, c in enumerate(codes):
            what = []
            if np.isnan(raw[r, j]) and not np.isnan(imputed[r, j]):
                what.append("imputed")
            if flags[r, j]:
                what.append(flags[r, j])
            if what:
                rows.append((u, y, c, None if np.isnan(raw[r, j]) else float(raw[r, j]),
                             None if np.isnan(treated[r, j]) else float(treated[r, j]), ", ".join(what)))
    return pl.DataFrame(rows, schema={unit: pl.String, year: pl.Int64, "indicator": pl.String,
                                      "raw_value": pl.Float64, "value": pl.Float64, "treatment": pl.String},
                        orient="row")


def size_band(output: pl.Expr, methodology: Methodology) -> pl.Expr:
    """The province's output bands: under 1 billion, 1-10 billion, over 10 billion yuan (thresholds from the file).

    >>> m = Methodology.default()
    >>> pl.DataFrame({"o": [5e8, 3e9, 2e10, None]}).select(size_band(pl.col("o"), m)).to_series().to_list()
    ['under 1 billion', '1-10 billion', 'over 10 billion', None]
    """
    small, large = methodology.size_small, methodology.size_large
    return (
        pl.when(output.is_null()).then(None)
        .when(output < small).then(pl.lit(f"under {small / 1e9:g} billion"))
        .when(output <= large).then(pl.lit(f"{small / 1e9:g}-{large / 1e9:g} billion"))
        .otherwise(pl.lit(f"over {large / 1e9:g} billion"))
    )
