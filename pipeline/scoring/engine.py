"""The numerical core shared by the scores, the Monte Carlo and the explanations: one year's cross-section.

Arrays are units x members of a level; the Monte Carlo adds a leading sample axis. Pure numpy, no frames.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import rankdata

from pipeline.scoring.aggregate import aggregate
from pipeline.scoring.methodology import Methodology
from pipeline.scoring.normalise import _normalise
from pipeline.scoring.options import Level
from pipeline.scoring.treatment import impute, treat_outliers


@dataclass(frozen=True)
class Plan:
    """The hierarchy as index arrays: members per level, each member's parent in the next level."""

    codes: list[list[str]]
    parent_idx: list[np.ndarray]
    base_weights: list[np.ndarray]
    directions: np.ndarray
    goalposts: list[tuple[float, float] | None]
    targets: list[float | None]

    @classmethod
    def of(cls, m: Methodology) -> Plan:
        codes = [m.members(k) for k in range(len(m.levels))]
        parent_idx, base = [], []
        for k in range(len(codes) - 1):
            nodes = [m.node(c) for c in codes[k]]
            parent_idx.append(np.array([codes[k + 1].index(n.parent) for n in nodes]))  # type: ignore[arg-type]
            base.append(np.array([n.weight for n in nodes], dtype=float))
        return cls(codes, parent_idx, base, np.array([i.direction for i in m.indicators]),
                   [i.goalposts for i in m.indicators], [i.target for i in m.indicators])


def trivial(level: Level) -> bool:
    """True when a level passes its values through (no imputation, treatment or normalisation)."""
    return level.imputation == "none" and level.outliers == "none" and level.normalisation == "none"


def process_level(
    x: np.ndarray, level: Level, plan: Plan, k: int, *, reference: np.ndarray | None = None,
    groups: np.ndarray | None = None, normalisation: str | None = None, impute_here: bool = True, seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, list[list[str]]]:
    """(normalised, treated, flags per column) of one level's cross-section; ``reference`` is a treated matrix
    whose columns define the normalisation scales (default: the treated values themselves)."""
    if impute_here and level.imputation not in ("none", "locf"):
        x = impute(x, level.imputation, groups=groups, neighbours=level.neighbours, seed=seed)
    treated = np.empty_like(x)
    flags: list[list[str]] = []
    for j in range(x.shape[1]):
        treated[:, j], f = treat_outliers(x[:, j], level.outliers, winsor_max=level.winsor_max,
                                          skew=level.skew_threshold, kurt=level.kurtosis_threshold)
        flags.append(f)
    method = normalisation or level.normalisation
    ref = treated if reference is None else reference
    out = np.empty_like(treated)
    for j in range(x.shape[1]):
        leaf = k == 0
        out[:, j] = _normalise(
            treated[:, j], ref[:, j], method, int(plan.directions[j]) if leaf else 1, level.low, level.high,
            level.scale, plan.goalposts[j] if leaf else None, plan.targets[j] if leaf else None)
    return out, treated, flags


def aggregate_up(values: np.ndarray, weights: np.ndarray, parent_idx: np.ndarray, n_parents: int, level: Level,
                 *, method: str | None = None, floor: float | None = None, coverage: bool = True) -> np.ndarray:
    """Parents' scores from their children: ``values`` (..., units, children), ``weights`` (children,) or
    (samples, children). ``floor`` raises scores below it before a non-arithmetic aggregation; ``coverage=False``
    ignores the level's ``min_coverage``."""
    method = method or level.aggregation
    if floor is not None and method != "arithmetic":
        values = np.where(np.isnan(values), np.nan, np.maximum(values, floor))
    out = np.full((*values.shape[:-1], n_parents), np.nan)
    for p in range(n_parents):
        cols = np.flatnonzero(parent_idx == p)
        w = weights[..., cols]
        if w.ndim == values.ndim - 1 and w.ndim > 1:
            w = w[..., None, :]
        out[..., p] = aggregate(values[..., cols], w, method, power=level.power,
                                min_coverage=level.min_coverage if coverage else 0.0)
    return out


def evaluate(n0: np.ndarray, m: Methodology, plan: Plan, weights: list[np.ndarray], *, method: str | None = None,
             floor: float | None = None, groups: np.ndarray | None = None, masks: list[np.ndarray] | None = None
             ) -> list[np.ndarray]:
    """Values of every level (level 0 = the normalised indicators ``n0``) up to the root. With ``masks`` (per
    level, units x members: which values exist under the methodology itself) the coverage thresholds are replaced
    by the masks, so perturbed weights change values but not which units and pillars are scored."""
    values = [n0]
    for k in range(len(m.levels) - 1):
        lv = m.levels[k + 1]
        out = aggregate_up(values[-1], weights[k], plan.parent_idx[k], len(plan.codes[k + 1]), lv,
                           method=method, floor=floor, coverage=masks is None)
        if masks is not None:
            out = np.where(masks[k + 1], out, np.nan)
        if not trivial(lv):
            if out.ndim == 2:
                out = process_level(out, lv, plan, k + 1, groups=groups)[0]
            else:
                out = np.stack([process_level(o, lv, plan, k + 1, groups=groups)[0] for o in out])
        values.append(out)
    return values


def descending_rank(x: np.ndarray) -> np.ndarray:
    """Rank along the last axis, 1 = highest, ties share the lowest rank, NaN stays NaN.

    >>> descending_rank(np.array([50.0, 80.0, 50.0, np.nan])).tolist()
    [2.0, 1.0, 2.0, nan]
    """
    if x.size == 0:
        return x.astype(float)
    # "min" ranks of -x: 1 + the number of strictly higher values, by sorting (O(n log n) per row; the pairwise
    # comparison it replaces was O(n²): 1,200 clusters x 200 Monte Carlo samples took seconds per year)
    return rankdata(-x, method="min", axis=-1, nan_policy="omit").astype(float)


def effective_weights(values: list[np.ndarray], weights: list[np.ndarray], plan: Plan) -> np.ndarray:
    """Each indicator's weight in the root score of each unit (units x indicators): the product of its weights
    renormalised over the present siblings down the hierarchy (exact for arithmetic aggregation)."""
    eff = np.ones_like(values[0])
    for k in range(len(plan.parent_idx)):
        present = ~np.isnan(values[k])
        w = np.where(present, weights[k], 0.0)
        sums = np.zeros((w.shape[0], int(plan.parent_idx[k].max()) + 1))
        np.add.at(sums.T, plan.parent_idx[k], w.T)
        with np.errstate(invalid="ignore", divide="ignore"):
            local = np.where(present, w / sums[:, plan.parent_idx[k]], 0.0)
        if k == 0:
            eff = local
            path = plan.parent_idx[0].copy()
        else:
            eff = eff * local[:, path]
            path = plan.parent_idx[k][path]
    return np.nan_to_num(eff)
