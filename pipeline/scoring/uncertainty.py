"""Uncertainty of the ranks: a Monte Carlo over methodological choices with variance-based sensitivity.

For each year, the choices of imputation, normalisation and aggregation (from the methodology's ``[uncertainty]``
lists, the methodology's own choice added when missing) and every weight (times U(1 - spread, 1 + spread)) are
drawn in a Saltelli design: two independent sample matrices A and B of ``samples`` rows, and for each of the four
groups of inputs the matrix A with that group's columns taken from B (Saltelli et al. 2010, Global Sensitivity
Analysis primer; JRC's COINr ``get_sensitivity``): ``samples x 6`` model runs per year, all vectorised in numpy.

- Rank intervals: each unit's median rank and 90% interval (5th and 95th percentiles) over the 2 x ``samples`` runs
  of A and B; the interval is widened to contain the unit's rank under the methodology itself when it falls
  outside (it is always a possible outcome).
- Sensitivity of the output ``Y`` = mean absolute shift of the units' ranks from their nominal ranks: first-order
  ``S_i = mean(f(B) (f(A_B^i) - f(A))) / V`` (Saltelli 2010) and total effect
  ``T_i = mean((f(A) - f(A_B^i))^2) / (2 V)`` (Jansen 1999), ``V`` the variance of ``Y`` over A and B.

Geometric, harmonic, generalised and Mazziotta-Pareto alternatives are applied to scores floored at 1, as if the
min-max scale ran from 1 to 100 (COINr's sensitivity example normalises to [1, 100] before a geometric mean).
Which pillars and units are scored follows the methodology itself (its coverage thresholds on its own weights):
the draws change the values, not the set of units being ranked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from pipeline.scoring.composite import CompositeResult, YearState
from pipeline.scoring.engine import descending_rank, evaluate, process_level
from pipeline.scoring.treatment import impute

FACTORS = ("imputation", "normalisation", "aggregation", "weights")


@dataclass(frozen=True)
class Uncertainty:
    """``intervals``: unit, year, score, rank, median_rank, rank_low, rank_high, n_ranked, samples.
    ``sensitivity``: year, factor, first_order, total_effect, choices, output, samples."""

    intervals: pl.DataFrame
    sensitivity: pl.DataFrame


def rank_uncertainty(result: CompositeResult, *, samples: int | None = None, seed: int | None = None) -> Uncertainty:
    """Monte Carlo rank intervals and sensitivity indices of a scoring run (see the module docstring).

    Parameters
    ----------
    result
        A :func:`score_details` result.
    samples
        Base sample size N (``samples x 6`` runs per year); default from ``[uncertainty]``.
    seed
        Random seed; default from ``[uncertainty]``.

    Returns
    -------
    Uncertainty
        ``intervals`` (unit, year, score, rank, median_rank, rank_low, rank_high, n_ranked, samples) and
        ``sensitivity`` (year, factor, first_order, total_effect, choices, output, samples).

    References
    ----------
    Saltelli, A. et al. (2010), Variance based sensitivity analysis of model output, Computer Physics
    Communications 181, 259-270; Jansen, M. J. W. (1999), Analysis of variance designs for model output, Computer
    Physics Communications 117, 35-43; OECD/JRC (2008) Handbook, step 7.

    Examples
    --------
    >>> import polars as pl
    >>> from pipeline.scoring import Methodology, score_details
    >>> m = Methodology.from_text('''
    ... [[indicator]]
    ... code = "a"
    ... source = "a"
    ... [[indicator]]
    ... code = "b"
    ... source = "b"
    ... [uncertainty]
    ... samples = 50
    ... normalisations = ["minmax", "percentile"]
    ... ''')
    >>> vals = pl.DataFrame({"cluster_code": list("PQRS") * 2, "year": [2022] * 8, "indicator": ["a"] * 4 + ["b"] * 4,
    ...                      "raw_value": [1.0, 2, 3, 10, 4, 3, 2, 1]})
    >>> unc = rank_uncertainty(score_details(vals, m))
    >>> # P (a 0, b 100) and S (a 100, b 0) tie at 50 under min-max; percentile ranks and weights move them
    >>> unc.intervals.sort("rank", "cluster_code").select("cluster_code", "rank", "rank_low", "rank_high").rows()
    [('P', 1, 1, 4), ('S', 1, 1, 4), ('Q', 3, 2, 3), ('R', 4, 2, 4)]
    >>> unc.sensitivity.get_column("factor").to_list()
    ['imputation', 'normalisation', 'aggregation', 'weights']
    """
    m = result.methodology
    opts = m.uncertainty
    n = samples or opts.samples
    seed = opts.seed if seed is None else seed
    nominal = result.scores.select(result.unit, result.year, "score", "rank", "n_ranked")
    interval_rows, sens_rows = [], []
    for year, state in sorted(result.states.items()):
        ranks_nominal = descending_rank(state.values[-1][:, 0])
        ok = ~np.isnan(ranks_nominal)
        if ok.sum() < 2:
            continue
        runs, design = _runs(result, state, n, np.random.default_rng([seed, year]))
        runs = runs[:, ok]
        nominal_r = ranks_nominal[ok]
        ab = runs[: 2 * n]
        median = np.nanquantile(ab, 0.5, axis=0, method="inverted_cdf")
        low = np.minimum(np.nanquantile(ab, 0.05, axis=0, method="inverted_cdf"), nominal_r)
        high = np.maximum(np.nanquantile(ab, 0.95, axis=0, method="inverted_cdf"), nominal_r)
        units = [u for u, keep in zip(state.units, ok, strict=True) if keep]
        for u, med, lo, hi in zip(units, median, low, high, strict=True):
            interval_rows.append((u, year, int(med), int(lo), int(hi), 2 * n))
        y = np.nanmean(np.abs(runs - nominal_r), axis=1)
        f_a, f_b = y[:n], y[n: 2 * n]
        var = np.var(np.concatenate([f_a, f_b]))
        for g, factor in enumerate(FACTORS):
            f_ab = y[(2 + g) * n: (3 + g) * n]
            first = float(np.mean(f_b * (f_ab - f_a)) / var) if var > 0 else 0.0
            total = float(np.mean((f_a - f_ab) ** 2) / (2 * var)) if var > 0 else 0.0
            sens_rows.append((year, factor, first, total, design[factor], "mean absolute rank shift", n * 6))
    intervals = pl.DataFrame(interval_rows, orient="row", schema={
        result.unit: pl.String, result.year: pl.Int64, "median_rank": pl.Int64, "rank_low": pl.Int64,
        "rank_high": pl.Int64, "samples": pl.Int64})
    intervals = nominal.join(intervals, on=[result.unit, result.year], how="inner").select(
        result.unit, result.year, "score", "rank", "median_rank", "rank_low", "rank_high", "n_ranked", "samples")
    sensitivity = pl.DataFrame(sens_rows, orient="row", schema={
        result.year: pl.Int64, "factor": pl.String, "first_order": pl.Float64, "total_effect": pl.Float64,
        "choices": pl.String, "output": pl.String, "samples": pl.Int64})
    return Uncertainty(intervals.sort(result.year, "rank", result.unit), sensitivity)


def _options(nominal: str, listed: tuple[str, ...]) -> list[str]:
    return list(dict.fromkeys([nominal, *listed]))


def _runs(result: CompositeResult, state: YearState, n: int, rng: np.random.Generator
          ) -> tuple[np.ndarray, dict[str, str]]:
    """Ranks (runs x units) for the rows of A, B and the four A_B matrices, and the choices sampled."""
    m, plan = result.methodology, result.plan
    lv0 = m.levels[0]
    imps = [i for i in _options(lv0.imputation, m.uncertainty.imputations) if i != "locf" or i == lv0.imputation]
    norms = _options(lv0.normalisation, m.uncertainty.normalisations)
    aggs = _options(m.levels[1].aggregation, m.uncertainty.aggregations)
    pre = np.empty((len(imps), len(norms), *state.raw.shape))
    for a, imp in enumerate(imps):
        x = state.imputed if imp == lv0.imputation else impute(
            state.raw, imp, groups=state.groups, neighbours=lv0.neighbours, seed=m.uncertainty.seed)
        for b, norm in enumerate(norms):
            pre[a, b] = process_level(x, lv0, plan, 0, normalisation=norm, impute_here=False)[0]
    sizes = [len(w) for w in result.weights]
    dim = 3 + sum(sizes)
    a_mat, b_mat = rng.random((n, dim)), rng.random((n, dim))
    groups = [[0], [1], [2], list(range(3, dim))]
    mats = [a_mat, b_mat]
    for cols in groups:
        ab = a_mat.copy()
        ab[:, cols] = b_mat[:, cols]
        mats.append(ab)
    x = np.vstack(mats)
    pick = [np.minimum((x[:, c] * k).astype(int), k - 1) for c, k in ((0, len(imps)), (1, len(norms)),
                                                                       (2, len(aggs)))]
    n0 = pre[pick[0], pick[1]]
    spread = m.uncertainty.weight_spread
    weights, start = [], 3
    for k, size in enumerate(sizes):
        weights.append(result.weights[k] * (1 - spread + 2 * spread * x[:, start: start + size]))
        start += size
    masks = [~np.isnan(v) for v in state.values]
    root = np.full(n0.shape[:2], np.nan)
    for c, agg in enumerate(aggs):
        rows = np.flatnonzero(pick[2] == c)
        if rows.size:
            floor = None if agg == "arithmetic" else 1.0
            vals = evaluate(n0[rows], m, plan, [w[rows] for w in weights], method=agg, floor=floor,
                            groups=state.groups, masks=masks)
            root[rows] = vals[-1][..., 0]
    design = {"imputation": ", ".join(imps), "normalisation": ", ".join(norms), "aggregation": ", ".join(aggs),
              "weights": f"x U({1 - spread:g}, {1 + spread:g})"}
    return descending_rank(root), design
