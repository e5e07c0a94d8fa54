"""Secondary suppression of two-way tables too large for Gaussian elimination over the whole table (issue 17: a
national county x class table), by a perturbation certificate for every primary cell.

An attacker knows every published cell and that the inner cells are non-negative. A primary cell p is protected
when some table that agrees with everything published gives it another value. Such a table is the true one plus a
perturbation d on the inner cells; take d of product form, d(r, c) = alpha(r) beta(c), with alpha = e(u1) - e(u2)
(two inner regions; or e(u1) alone) and beta likewise over industries. A published cell (A, B) is a (weighted) sum
of inner cells, so it moves by alpha(A) beta(B), where alpha(A) is what alpha gives A's inner regions together:
only the cells of {A : alpha(A) != 0} x {B : beta(B) != 0} move at all. For u1 under the primary cell's region a
and u2 under a sibling of a, those are the regions on the path from u1 up to a and from u2 up to that sibling; the
same for industries (and a cluster category moves when its two industries do not weigh the same in it). Scaled by
t, the inner cells (u1 or u2 by u1 or u2) move by +-t and p by +-t |alpha(a) beta(b)| (a category of weight 0.5
moves by half). If every one of those cells is suppressed, and the inner ones are each at least t = protection x
|p| / |alpha(a) beta(b)| (none may go below zero; the others are sums of inner cells), then p can be moved by
+-protection x |p| without any published cell changing: it is protected exactly and beyond its protection
interval, whatever else is published, with no linear programme and no other cell's pattern involved. Each primary
cell thus needs one certificate of suppressed cells; the cheapest is looked for (cells already suppressed cost
nothing, the others what the table loses by them: |value| / (firms + 1), the candidate weight of the Gaussian
method), and its cells are suppressed. (Until 2026-12 the step was not divided by the weight: a cell of a
category of weight 0.5 could be left within its interval; the tests' random tables with such categories found it.)

The cells are taken the largest first. Those in an inner region's row go first to :mod:`.siblings`, which looks for
the cheapest certificate whose rows are that region and a sibling (nearly every cell of a county x class table,
and exhaustively among those, in compiled code); the others, and any it finds none for, to the search here, over
the whole table: a shortlist of pairs on each side, the cheapest by the cells in p's own row and column, and the
cheapest certificate among their combinations (several, each carrying part of the step, when no one can carry
all of it).

This is the idea of the hypercube method (Repsilber; Giessing and Repsilber 2002, "Tools and strategies to protect
multiple tables with the GHQUAR cell suppression engine", LNCS 2316): a cell is protected by a hypercube of
suppressed cells around it, here lifted through the hierarchies so that the perturbation is one of the whole
table, not of a subtable. (Protecting subtables one by one, as tau-ARGUS's modular method does, was tried first:
on small random hierarchical tables the attacker's programmes still pinned some cells exactly.) A certificate is
sufficient, not necessary: the method may suppress more than an optimal one would, never too little. One-firm cells
(GaussSuppression's singletons) are avoided rather than handled as its "anySum" does: see
:func:`certificate_suppression`.

Figures (employment, newest year; README "Benchmarks"): national scale (285 x 1,380 counties x classes, 80,913
primary cells), 2.7 s for the whole protection, 97,441 cells suppressed, 18,165 primary cells leaning on a one-firm
cell; census scale (2,850 counties, 1.73 million primary cells, a million of them one firm's), 53 s, 2.21 million
cells, 799,090 leaning; most of it the 15,632 cells left to the whole-table search (about 2.5 ms each). Before
one-firm cells were avoided: 3.2 s and 88,452 cells; 55 s and 2.13 million.
"""

from __future__ import annotations

import numpy as np

from pipeline.publishing.axes import BIG, LEAN, Axis, NoCertificateError
from pipeline.publishing.siblings import Siblings

_KEEP = 48  # options kept per side after the first, cheap look (the cheapest by the cells in p's own row/column)


def certificate_suppression(a: np.ndarray, b: np.ndarray, axes: tuple[Axis, Axis], value: np.ndarray,
                            cost: np.ndarray, primary: np.ndarray, *, protection: float = 0.10,
                            singleton: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The secondary suppressions (a boolean per cell) that give every primary cell a certificate, and the primary
    cells whose certificate moves a one-firm cell (protected against everyone but that firm). Cell ``k`` is
    (``a[k]``, ``b[k]``), code indices of ``axes``; ``cost``: what the table loses by suppressing it (higher is
    kept published first); ``singleton``: the cells of one firm. That firm knows its cell, so a certificate that
    moves an inner one (but the cell it protects) holds only against the others: such a certificate costs
    :data:`LEAN` per singleton, more than any certificate without one, and is taken only when there is no other.
    A cell whose certificate moves no singleton holds even against an attacker who knows every singleton
    (GaussSuppression's singleton problem, met here by not leaning on them)."""
    rows, cols = axes
    shape = (len(rows.codes), len(cols.codes))
    v = np.zeros(shape)
    v[a, b] = np.abs(value)
    w = np.full(shape, BIG)
    weight = np.asarray(cost, dtype=float)
    scale = weight.max() if len(weight) and weight.max() > 0 else 1.0
    w[a, b] = weight / scale + 1e-6
    s = np.zeros(shape, dtype=bool)
    primary = np.asarray(primary, dtype=bool)
    s[a[primary], b[primary]] = True
    lone = np.zeros(shape, dtype=bool)
    if singleton is not None:
        lone[a[singleton], b[singleton]] = True
        lone &= rows.inner[:, None] & cols.inner[None, :]
    order = np.flatnonzero(primary)
    order = order[np.argsort(-np.abs(value[order]), kind="stable")]  # the largest (hardest) first
    leaned = np.zeros(len(a), dtype=bool)
    local = Siblings.build(rows, cols, v, w, s, lone)  # first between sibling regions, quickly
    if local is not None:
        done, leaned[order] = local.protect(a[order], b[order], protection * np.abs(value[order]))
        order = order[~done]
    for k in order:  # then the others, over the whole table
        leaned[k] = _protect(int(a[k]), int(b[k]), rows, cols, v, w, s, lone, protection * abs(float(value[k])))
    return s[a, b] & ~primary, leaned


#: how many codes under the primary cell's own (firsts) and how many outside it (seconds) are tried: first a few
#: under it with many partners; when that cannot carry its protection (a large cell of many small parts), many
#: parts under it with a few partners each
_STAGES = ((8, _KEEP), (64, 8))


def _protect(x: int, y: int, rows: Axis, cols: Axis, v: np.ndarray, w: np.ndarray, s: np.ndarray,
             lone: np.ndarray, need: float) -> bool:
    """Give cell (x, y) certificates that together move it by ``need`` (cells that can carry the whole of it
    first; else several, each cell carrying at most its value over all of them) and suppress their cells; True
    when one of them moves a one-firm cell."""
    for stage, (firsts, seconds) in enumerate(_STAGES):
        try:
            return _certify(x, y, rows, cols, v, w, s, lone, need, firsts, seconds)
        except NoCertificateError:
            if stage == len(_STAGES) - 1:
                raise


def _certify(x: int, y: int, rows: Axis, cols: Axis, v: np.ndarray, w: np.ndarray, s: np.ndarray,
             lone: np.ndarray, need: float, firsts: int, seconds: int) -> bool:
    ri1, ri2 = rows.options(x, np.where(s[:, y], 0.0, w[:, y]), firsts, seconds)
    ci1, ci2 = cols.options(y, np.where(s[x, :], 0.0, w[x, :]), firsts, seconds)
    if not len(ri1) or not len(ci1):
        raise NoCertificateError(f"cell ({rows.codes[x]}, {cols.codes[y]}): nothing to pair it with")
    r_idx, r_coef = rows.moves(ri1, ri2)
    c_idx, c_coef = cols.moves(ci1, ci2)
    r_mask, c_mask = (r_coef != 0).astype(float), (c_coef != 0).astype(float)
    # the cell moves by t x |alpha(x) beta(y)| when each inner cell of the certificate moves by t (a category
    # weighs its industries: beta(category) may be 0.5); only inner cells must stay non-negative (the others
    # are sums of them), so only they carry a room: what is left of their value after the certificates before
    r_gain, c_gain = np.abs(r_coef[:, r_idx == x].ravel()), np.abs(c_coef[:, c_idx == y].ravel())
    block = np.ix_(r_idx, c_idx)
    cost = w[block]
    room = np.where(rows.inner[r_idx][:, None] & cols.inner[c_idx][None, :], v[block], np.inf)
    free = s[block].copy()
    me = (r_idx == x)[:, None] & (c_idx == y)[None, :]
    room[me] = np.inf
    fixed = lone[block] & ~me  # one firm's cells: it knows them, so moving one costs LEAN (taken when no other)
    got, found, leaned = 0.0, False, False
    while not found or got < need * (1 - 1e-9):
        remaining = max(need - got, 0.0)
        base = np.where(free, 0.0, cost)
        base[fixed] = np.maximum(base[fixed], LEAN)
        for share in (1.0, 0.5, 0.25, 0.125, 1 / 16, 1 / 32, 1 / 64, 0.0):
            best = (BIG / 2, -1, -1, 0.0)
            for rg in np.unique(r_gain):
                for cg in np.unique(c_gain):
                    sub = base.copy()
                    if need > 0:  # a cell of 0 is protected as Gaussian elimination protects it: not determined
                        sub[(room < remaining * share / (rg * cg)) | (room <= 0)] = BIG
                    sub[me] = 0.0
                    ri, ci = np.flatnonzero(r_gain == rg), np.flatnonzero(c_gain == cg)
                    total = r_mask[ri] @ sub @ c_mask[ci].T
                    i, j = np.unravel_index(int(np.argmin(total)), total.shape)
                    if total[i, j] < best[0]:
                        best = (float(total[i, j]), int(ri[i]), int(ci[j]), float(rg * cg))
            if best[1] >= 0:
                break
        else:
            raise NoCertificateError(f"cell ({rows.codes[x]}, {cols.codes[y]}): no certificate of cells that "
                                     f"move it by {need:g}")
        total, i, j, gain = best
        leaned |= total >= LEAN
        cells = np.ix_(np.flatnonzero(r_mask[i]), np.flatnonzero(c_mask[j]))
        step = float(room[cells].min())  # each inner cell moves by t, the cell by t x gain
        step = min(remaining / gain, step) if remaining > 0 else step
        room[cells] -= step
        free[cells] = True
        got += step * gain
        found = True
    s[block] |= free
    return leaned


__all__ = ["certificate_suppression"]
