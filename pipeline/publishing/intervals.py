"""Interval protection (issue 17): after secondary suppression by Gaussian elimination no primary cell can be
worked out exactly, but the published cells may still pin it within a few per cent. The attacker's linear
programmes (:mod:`pipeline.publishing.attack`) bound each primary cell; where a bound comes closer than the
protection interval (the methodology's ``protection``, +-10 % by default), one more published cell is suppressed:
among the published cells whose constraints bind that bound (non-zero dual), the one last in the candidate order
(the cell the table loses least by: small, few firms). Suppressing a cell only widens every interval, so a cell once
protected stays protected and only the cells still at risk are solved again, until none is.

GaussSuppression 1.2.3 does the same job in ``FixRiskyIntervals`` (its ``protectionPercent`` / ``rangePercent``
requirements with an LP package): it finds, in candidate order, the published cell whose publication first makes an
interval too narrow, and reruns its elimination. The choice of cell differs (binding constraints here, a prefix
search there), so the extra cells may differ from GaussSuppression's; the requirement met is the same, and the
attacker's test checks it on every protected table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.publishing.attack import Programme


class UnprotectableError(ArithmeticError):
    """A primary cell whose bounds no further suppression can widen enough (nothing published binds them)."""


def interval_suppression(x: np.ndarray, inner: Sequence[float], primary: Sequence[bool], suppressed: Sequence[bool],
                         order: Sequence[int], share: float) -> np.ndarray:
    """The cells to suppress besides ``suppressed`` so that every primary cell's attacker interval reaches past
    its value -+ ``share`` x |value| (a boolean per cell). ``order``: the candidate order (first: most wanted
    published)."""
    x = np.asarray(x, dtype=float)
    inner = np.asarray(inner, dtype=float)
    hidden = np.asarray(suppressed, dtype=bool).copy()
    extra = np.zeros(x.shape[1], dtype=bool)
    if share <= 0:
        return extra
    rank = np.empty(x.shape[1], dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(len(order))
    values = x.T @ inner
    risky = [int(j) for j in np.flatnonzero(np.asarray(primary, dtype=bool)) if values[j] != 0]
    while risky:
        p = Programme(x, inner, hidden)
        still, chosen = [], set()
        for j in risky:
            margin = share * abs(values[j])
            tol = 1e-9 * max(1.0, abs(values[j]))
            for sense in (1, -1):
                bound, duals = p.bound(x[:, j], sense=sense)
                ok = bound <= values[j] - margin + tol if sense == 1 else bound >= values[j] + margin - tol
                if ok:
                    continue
                binding = [] if duals is None else [int(r) for r in p.rows[np.abs(duals) > 1e-9]]
                if not binding:
                    raise UnprotectableError(f"cell {j}: its bounds are fixed by nothing published")
                chosen.add(max(binding, key=lambda r: rank[r]))
                still.append(j)
                break
        for c in chosen:
            hidden[c] = extra[c] = True
        risky = still
    return extra


__all__ = ["UnprotectableError", "interval_suppression"]
