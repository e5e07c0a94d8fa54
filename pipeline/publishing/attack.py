"""The attacker's check of a protected table (issue 17; METHODS.md, "Disclosure control"): knowing every published
cell and that the inner cells are non-negative, how closely can one bound a suppressed cell? Two linear programmes
per cell (HiGHS, through its own Python interface highspy): the smallest and the largest value of the cell over
every table consistent with what is published. A cell is protected when that interval reaches beyond its
protection interval (default +-10 % of its true value) on both sides.

The programmes are reduced before they are solved, without changing their answer: an inner cell published as a
cell of its own is known (a constant, not a variable), a published cell of known inner cells only says nothing
more, and duplicate constraints are dropped; values are solved in units of the largest cell (yuan run to 1e12).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse


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
        return self.low <= self.value - margin + 1e-9 * max(1.0, abs(self.value)) and \
            self.high >= self.value + margin - 1e-9 * max(1.0, abs(self.value))


class Programme:
    """The attacker's reduced linear system, solved by HiGHS (highspy) with one model kept warm: each cell's two
    programmes change only the objective, so the simplex starts from the last basis. ``unknown``: the inner cells
    that are variables; ``a @ y = b``: the published cells that involve them (``rows`` names each)."""

    def __init__(self, x: np.ndarray, inner: np.ndarray, suppressed: np.ndarray) -> None:
        published = np.flatnonzero(~suppressed)
        singles = published[(x[:, published] != 0).sum(axis=0) == 1]
        known = np.zeros(x.shape[0], dtype=bool)
        known[np.nonzero(x[:, singles])[0]] = True
        self.inner, self.known = inner, known
        self.unknown = np.flatnonzero(~known)
        self.scale = float(np.abs(inner).max()) or 1.0  # solved in units of the largest cell: yuan run to 1e12
        a = x[np.ix_(self.unknown, published)].T
        involved = np.abs(a).sum(axis=1) > 0
        a, rows = a[involved], published[involved]
        if len(a):
            _, first = np.unique(np.round(a, 12), axis=0, return_index=True)
            first = np.sort(first)
            a, rows = a[first], rows[first]
        self.a, self.rows = a, rows
        self.b = a @ (inner[self.unknown] / self.scale)  # = published value - what the known inner cells make
        self._highs: highspy.Highs | None = None

    def _model(self) -> highspy.Highs:
        if self._highs is None:
            h = _quiet_highs()
            lp = highspy.HighsLp()
            n, m = len(self.unknown), len(self.a)
            lp.num_col_, lp.num_row_ = n, m
            lp.col_cost_ = np.zeros(n)
            lp.col_lower_, lp.col_upper_ = np.zeros(n), np.full(n, highspy.kHighsInf)
            lp.row_lower_ = lp.row_upper_ = self.b
            csc = sparse.csc_matrix(self.a)
            lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
            lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = csc.indptr, csc.indices, csc.data
            h.passModel(lp)
            self._highs = h
        return self._highs

    def bound(self, column: np.ndarray, *, sense: int) -> tuple[float, np.ndarray | None]:
        """min (``sense`` 1) or max (-1) of the published cell whose column of ``x`` is ``column``: (value, the duals
        of the rows; None when no programme was needed). Unbounded above: inf."""
        constant = float(column[self.known] @ self.inner[self.known])
        c = column[self.unknown]
        if not c.any():
            return constant, None
        if not len(self.a):
            return (constant if sense == 1 else np.inf), None
        h = self._model()
        h.changeObjectiveSense(highspy.ObjSense.kMinimize if sense == 1 else highspy.ObjSense.kMaximize)
        h.changeColsCost(len(c), np.arange(len(c), dtype=np.int32), c.astype(float))
        h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kUnbounded:
            return np.inf, None
        if status != highspy.HighsModelStatus.kOptimal:
            raise ArithmeticError(f"the attacker's linear programme failed: {h.modelStatusToString(status)}")
        value = h.getInfo().objective_function_value
        return constant + value * self.scale, np.asarray(h.getSolution().row_dual)


def _quiet_highs() -> highspy.Highs:
    """A HiGHS instance with its output off. Its constructor prints a banner on the process's standard output
    (file descriptor 1, below Python) before any option can be set: that descriptor points at /dev/null meanwhile."""
    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    h.setOptionValue("output_flag", False)
    return h


def programme(x: np.ndarray, inner: np.ndarray, suppressed: np.ndarray) -> Programme:
    return Programme(np.asarray(x, dtype=float), np.asarray(inner, dtype=float), np.asarray(suppressed, dtype=bool))


def attack(x: np.ndarray, inner: Sequence[float], suppressed: Sequence[bool],
           cells: Sequence[int] | None = None) -> list[Bounds]:
    """Bounds of each suppressed cell (or of ``cells``) given every cell not suppressed and inner cells >= 0.
    ``x``: inner cells x published cells (see :func:`pipeline.publishing.secondary.cell_matrix`)."""
    x = np.asarray(x, dtype=float)
    inner = np.asarray(inner, dtype=float)
    suppressed = np.asarray(suppressed, dtype=bool)
    p = programme(x, inner, suppressed)
    targets = np.flatnonzero(suppressed) if cells is None else np.asarray(cells)
    out = []
    for j in targets:
        low, _ = p.bound(x[:, j], sense=1)
        high, _ = p.bound(x[:, j], sense=-1)
        out.append(Bounds(int(j), float(x[:, j] @ inner), float(low), float(high)))
    return out


__all__ = ["Bounds", "Programme", "attack", "programme"]
