"""The attacker's check of a protected table (issue 17; METHODS.md, "Disclosure control"): knowing every published
cell and that the inner cells are non-negative, how closely can one bound a suppressed cell? Two linear programmes
per cell (scipy's HiGHS): the smallest and the largest value of the cell over every table consistent with what is
published. A cell is protected when that interval reaches beyond its protection interval (default +-10 % of its true
value) on both sides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog


@dataclass(frozen=True)
class Bounds:
    """What an attacker learns of suppressed cell ``cell``: it lies in [``low``, ``high``]; its true value."""

    cell: int
    value: float
    low: float
    high: float

    def protected(self, share: float) -> bool:
        """Whether the interval reaches past ``value`` -+ ``share`` x |value| on both sides."""
        margin = share * abs(self.value)
        return self.low <= self.value - margin + 1e-9 and self.high >= self.value + margin - 1e-9


def attack(x: np.ndarray, inner: Sequence[float], suppressed: Sequence[bool],
           cells: Sequence[int] | None = None) -> list[Bounds]:
    """Bounds of each suppressed cell (or of ``cells``) given every cell not suppressed and inner cells >= 0.
    ``x``: inner cells x published cells (see :func:`pipeline.publishing.secondary.cell_matrix`)."""
    x = np.asarray(x, dtype=float)
    inner = np.asarray(inner, dtype=float)
    suppressed = np.asarray(suppressed, dtype=bool)
    published = ~suppressed
    a_eq, b_eq = x[:, published].T, x[:, published].T @ inner
    targets = np.flatnonzero(suppressed) if cells is None else np.asarray(cells)
    out = []
    for j in targets:
        c = x[:, j]
        lo = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        hi = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = np.inf if hi.status == 3 else -hi.fun  # unbounded above: nothing caps the cell
        out.append(Bounds(int(j), float(c @ inner), float(lo.fun), float(high)))
    return out


__all__ = ["Bounds", "attack"]
