"""Explanations of a scoring run: what changed a unit's score, its strengths and weaknesses, its peers.

Change between two years (``t-1`` -> ``t``), for units scored in both:

    change = sum_i w_i (n_i(x_t; scale_{t-1}) - n_i(x_{t-1}; scale_{t-1}))   indicator contributions
           + [S(x_t; scale_t) - S(x_t; scale_{t-1})]                         reference effect
           + other                                                           the rest

``n_i(x; scale)`` normalises the unit's (treated) value on the scale the reference set of units defines in a year
(last year's minimum and maximum for min-max), so an indicator contribution is the unit's own movement and the
reference effect is what the other units' moving did to its score. ``w_i`` is the indicator's effective weight
in the index last year (its weights renormalised over the present indicators, multiplied down the hierarchy).
``other`` is zero for an arithmetic hierarchy whose indicators are present in both years; otherwise it holds the
effect of indicators appearing or disappearing and of a non-linear aggregation.
"""

from __future__ import annotations

import warnings

import numpy as np
import polars as pl

from pipeline.scoring.composite import CompositeResult
from pipeline.scoring.engine import descending_rank, effective_weights, evaluate
from pipeline.scoring.normalise import _normalise


def explain_changes(result: CompositeResult) -> tuple[pl.DataFrame, pl.DataFrame]:
    r"""Each unit's score change since the previous year present, decomposed (see the module docstring).

    Parameters
    ----------
    result
        A :func:`pipeline.scoring.score_details` result.

    Returns
    -------
    tuple of polars.DataFrame
        ``changes``: unit, year, previous_year, score, previous_score, change, indicators_effect,
        reference_effect, other_effect, main_driver; ``contributions``: unit, year, previous_year, indicator,
        indicator_name, indicator_name_zh, pillar, previous_normalised, normalised_on_previous_scale, weight,
        contribution.

    Examples
    --------
    One indicator, three units; A moves from 2 to 3 while C's 4 becomes 5 (the scale widens):

    >>> from pipeline.scoring import Methodology, score_details
    >>> m = Methodology.from_text('[[indicator]]\ncode = "a"\nsource = "a"\n')
    >>> vals = pl.DataFrame({"cluster_code": list("ABCABC"), "year": [2021] * 3 + [2022] * 3,
    ...                      "indicator": "a", "raw_value": [2.0, 1.0, 4.0, 3.0, 1.0, 5.0]})
    >>> changes, _ = explain_changes(score_details(vals, m))
    >>> a = changes.filter(pl.col("cluster_code") == "A").row(0, named=True)
    >>> [round(a[k], 2) for k in ("previous_score", "score", "indicators_effect", "reference_effect")]
    [33.33, 50.0, 33.33, -16.67]
    """
    m, plan, unit, year = result.methodology, result.plan, result.unit, result.year
    lv0 = m.levels[0]
    change_rows, contrib_rows = [], []
    years = sorted(result.states)
    for prev_y, y in zip(years, years[1:], strict=False):
        prev, cur = result.states[prev_y], result.states[y]
        on_prev = np.empty_like(cur.treated)
        for j in range(on_prev.shape[1]):
            on_prev[:, j] = _normalise(_on_previous_treatment(cur, prev, j), prev.treated[:, j], lv0.normalisation,
                                       int(plan.directions[j]), lv0.low, lv0.high, lv0.scale, plan.goalposts[j],
                                       plan.targets[j])
        shifted = evaluate(on_prev, m, plan, result.weights)[-1][:, 0]
        w_prev = effective_weights(prev.values, result.weights, plan)
        where = {u: i for i, u in enumerate(prev.units)}
        for i, u in enumerate(cur.units):
            p = where.get(u)
            s_now = cur.values[-1][i, 0]
            if p is None or np.isnan(s_now) or np.isnan(prev.values[-1][p, 0]):
                continue
            s_before = prev.values[-1][p, 0]
            delta = on_prev[i] - prev.values[0][p]
            contrib = np.where(np.isnan(delta), 0.0, w_prev[p] * np.nan_to_num(delta))
            reference = s_now - shifted[i] if not np.isnan(shifted[i]) else 0.0
            other = (s_now - s_before) - reference - contrib.sum()
            driver = plan.codes[0][int(np.abs(contrib).argmax())] if np.abs(contrib).max() > 0 else None
            change_rows.append((u, y, prev_y, float(s_now), float(s_before), float(s_now - s_before),
                                float(contrib.sum()), float(reference), float(other), driver))
            for j, ind in enumerate(m.indicators):
                if np.isnan(delta[j]):
                    continue
                contrib_rows.append((u, y, prev_y, ind.code, ind.name, ind.name_zh, ind.parent,
                                     float(prev.values[0][p, j]), float(on_prev[i, j]), float(w_prev[p, j]),
                                     float(contrib[j])))
    keys = {unit: pl.String, year: pl.Int64, "previous_year": pl.Int64}
    changes = pl.DataFrame(change_rows, orient="row", schema={
        **keys, "score": pl.Float64, "previous_score": pl.Float64, "change": pl.Float64,
        "indicators_effect": pl.Float64, "reference_effect": pl.Float64, "other_effect": pl.Float64,
        "main_driver": pl.String})
    contributions = pl.DataFrame(contrib_rows, orient="row", schema={
        **keys, "indicator": pl.String, "indicator_name": pl.String, "indicator_name_zh": pl.String,
        "pillar": pl.String, "previous_normalised": pl.Float64, "normalised_on_previous_scale": pl.Float64,
        "weight": pl.Float64, "contribution": pl.Float64})
    return changes, contributions


def _on_previous_treatment(cur, prev, j: int) -> np.ndarray:
    """This year's values of column j transformed as last year's were: untransformed when this year's were
    log-transformed, and through last year's log transform when last year's were."""
    x = cur.imputed[:, j] if cur.logged[j] else cur.treated[:, j]
    if prev.logged[j]:
        lo, hi = np.nanmin(prev.imputed[:, j]), np.nanmax(prev.imputed[:, j])
        x = np.log(np.maximum(x - lo + 0.01 * (hi - lo), 1e-12 * max(hi - lo, 1e-300)))
    return x


def strengths_weaknesses(result: CompositeResult) -> pl.DataFrame:
    r"""A unit's strengths and weaknesses in absolute terms, as COINr's ``get_str_weak`` picks them (COINr 1.1.8,
    bluefoxr/COINr): its indicators ranked among all units (ties share the best rank), sorted by rank (ties in the
    methodology's indicator order); the strengths are the first ``max_items`` of them, leaving out any rank that is
    the indicator's worst (COINr's ``min_discard``, as its documentation says: "discards any strengths which
    correspond to the minimum rank"; its code drops them from the weaknesses too, which would hide a last place, so
    here a last place stays a weakness), the weaknesses the last ``max_items``. Beyond COINr, a strength
    must lie in the top third of the units ranked on the indicator (``rank <= ceil(n / 3)``, ``strength_share`` =
    1/3) and a weakness in the bottom third (``rank > n - ceil(n / 3)``), so that "strength" means good among all
    clusters, not only good for this one: the first-ranked cluster has strengths, and a cluster ranked in the middle
    on everything has neither. ``indicator_n`` is the number of units ranked on the indicator (those without a value
    are not). ``gap`` (overall position minus indicator position, shares of the ranking) is kept as information.

    Parameters
    ----------
    result
        A :func:`pipeline.scoring.score_details` result.

    Returns
    -------
    polars.DataFrame
        unit, year, kind, indicator, indicator_name, indicator_name_zh, pillar, indicator_rank, indicator_n, rank,
        n_ranked, gap; strengths best first, weaknesses worst first.

    Examples
    --------
    >>> from pipeline.scoring import Methodology, score_details
    >>> m = Methodology.from_text('[[indicator]]\ncode = "a"\nsource = "a"\n[[indicator]]\ncode = "b"\n'
    ...                           'source = "b"\n[[indicator]]\ncode = "c"\nsource = "c"\n')
    >>> vals = pl.DataFrame({"cluster_code": list("PQR") * 3, "year": 2022, "indicator": list("aaabbbccc"),
    ...                      "raw_value": [1.0, 2, 3, 1, 2, 3, 9, 2, 3]})
    >>> # R ranks first on a and b (a strength: the top third of 3 is rank 1), P first on c, last on a and b
    >>> sw = strengths_weaknesses(score_details(vals, m)).select("cluster_code", "kind", "indicator")
    >>> sw.filter(pl.col("cluster_code") != "R").rows()
    [('P', 'strength', 'c'), ('P', 'weakness', 'b'), ('P', 'weakness', 'a'), ('Q', 'weakness', 'c')]
    >>> sw.filter(pl.col("cluster_code") == "R").rows()
    [('R', 'strength', 'a'), ('R', 'strength', 'b')]
    """
    m, unit, year = result.methodology, result.unit, result.year
    opts = m.explanation
    rows = []
    for y, st in sorted(result.states.items()):
        overall = descending_rank(st.values[-1][:, 0])
        n_all = int((~np.isnan(overall)).sum())
        ind_rank = descending_rank(st.values[0].T).T
        ind_n = (~np.isnan(st.values[0])).sum(axis=0)
        worst = np.nanmax(np.where(np.isnan(ind_rank), -np.inf, ind_rank), axis=0)
        third = np.ceil(ind_n * opts.strength_share)
        for i, u in enumerate(st.units):
            if np.isnan(overall[i]) or n_all < 2:
                continue
            ranked = np.flatnonzero(~np.isnan(ind_rank[i]) & (ind_n > 1))
            ranked = ranked[np.argsort(ind_rank[i, ranked], kind="stable")]  # best first, ties in indicator order
            pos = (overall[i] - 1) / (n_all - 1)
            with np.errstate(invalid="ignore", divide="ignore"):
                gap = pos - (ind_rank[i] - 1) / np.maximum(ind_n - 1, 1)
            kept = ranked[ind_rank[i, ranked] != worst[ranked]]  # min_discard
            strengths = [j for j in kept[: opts.max_items] if ind_rank[i, j] <= third[j]]
            weaknesses = [j for j in ranked[len(ranked) - opts.max_items:][::-1]
                          if ind_rank[i, j] > ind_n[j] - third[j]]
            for kind, hits in (("strength", strengths), ("weakness", weaknesses)):
                for j in hits:
                    ind = m.indicators[j]
                    rows.append((u, y, kind, ind.code, ind.name, ind.name_zh, ind.parent, int(ind_rank[i, j]),
                                 int(ind_n[j]), int(overall[i]), n_all, float(gap[j])))
    return pl.DataFrame(rows, orient="row", schema={
        unit: pl.String, year: pl.Int64, "kind": pl.String, "indicator": pl.String, "indicator_name": pl.String,
        "indicator_name_zh": pl.String, "pillar": pl.String, "indicator_rank": pl.Int64, "indicator_n": pl.Int64,
        "rank": pl.Int64, "n_ranked": pl.Int64, "gap": pl.Float64})


def peer_groups(result: CompositeResult) -> pl.DataFrame:
    r"""Groups of units with similar pillar profiles: k-means (scikit-learn, seeded) on the level-1 scores of each
    year, a missing pillar score taken as the pillar's mean. Groups are numbered by their mean index score, 1 the
    highest.

    Parameters
    ----------
    result
        A :func:`pipeline.scoring.score_details` result (``[explanation] peer_groups`` sets k, ``seed`` the seed).

    Returns
    -------
    polars.DataFrame
        unit, year, peer_group, group_size, group_mean_score, peers (the other members, comma-separated).

    Examples
    --------
    >>> from pipeline.scoring import Methodology, score_details
    >>> m = Methodology.from_text('[[indicator]]\ncode = "a"\nsource = "a"\n[explanation]\npeer_groups = 2\n')
    >>> vals = pl.DataFrame({"cluster_code": list("PQRS"), "year": 2022, "indicator": "a",
    ...                      "raw_value": [1.0, 1.1, 9.0, 9.2]})
    >>> peer_groups(score_details(vals, m)).select("cluster_code", "peer_group", "peers").rows()
    [('P', 2, 'Q'), ('Q', 2, 'P'), ('R', 1, 'S'), ('S', 1, 'R')]
    """
    from sklearn.cluster import KMeans

    m, unit, year = result.methodology, result.unit, result.year
    rows = []
    for y, st in sorted(result.states.items()):
        root = st.values[-1][:, 0]
        keep = np.flatnonzero(~np.isnan(root))
        if keep.size == 0:
            continue
        x = st.values[1][keep].copy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a pillar nobody has: its mean is taken as 0
            means = np.nan_to_num(np.nanmean(x, axis=0))
        x = np.where(np.isnan(x), means, x)
        k = min(m.explanation.peer_groups, keep.size)
        if k < 2 or np.unique(x, axis=0).shape[0] < k:
            labels = np.zeros(keep.size, dtype=int)
        else:
            labels = KMeans(n_clusters=k, n_init=10, random_state=m.explanation.seed).fit_predict(x)
        order = sorted(set(labels.tolist()), key=lambda g: -root[keep][labels == g].mean())
        number = {g: n + 1 for n, g in enumerate(order)}
        names = [st.units[i] for i in keep]
        for pos, i in enumerate(keep):
            same = labels == labels[pos]
            peers = [names[q] for q in np.flatnonzero(same) if q != pos]
            rows.append((st.units[i], y, number[labels[pos]], int(same.sum()), float(root[keep][same].mean()),
                         ", ".join(peers)))
    return pl.DataFrame(rows, orient="row", schema={
        unit: pl.String, year: pl.Int64, "peer_group": pl.Int64, "group_size": pl.Int64,
        "group_mean_score": pl.Float64, "peers": pl.String})
