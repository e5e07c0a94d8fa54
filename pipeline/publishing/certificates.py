"""Secondary suppression of two-way tables too large for Gaussian elimination over the whole table (issue 17: a
national county x class table), by a perturbation certificate for every primary cell.

An attacker knows every published cell and that the inner cells are non-negative. A primary cell p is protected
when some table that agrees with everything published gives it another value. Such a table is the true one plus a
perturbation d on the inner cells; take d of product form, d(r, c) = alpha(r) beta(c), with alpha = e(u1) - e(u2)
(two inner regions; or e(u1) alone) and beta likewise over industries. A published cell (A, B) is a (weighted) sum
of inner cells, so it moves by alpha(A) beta(B), where alpha(A) is what alpha gives A's inner regions together:
only the cells of {A : alpha(A) != 0} x {B : beta(B) != 0} move at all. For u1 under the primary cell's region a
and u2 under a sibling of a, those are the regions on the path from u1 up to a and from u2 up to that sibling; the
same for industries (and a cluster category moves when its two industries do not weigh the same in it). If every
one of those cells is suppressed and each is at least d = protection x |p| (cells move by +-d, and none may go
below zero), then p can be moved by +-d without any published cell changing: it is protected exactly and beyond
its protection interval, whatever else is published, with no linear programme and no other cell's pattern
involved. Each primary cell thus needs one certificate of suppressed cells; the cheapest is looked for (cells
already suppressed cost nothing, the others what the table loses by them: |value| / (firms + 1), the candidate
weight of the Gaussian method), and its cells are suppressed.

This is the idea of the hypercube method (Repsilber; Giessing and Repsilber 2002, "Tools and strategies to protect
multiple tables with the GHQUAR cell suppression engine", LNCS 2316): a cell is protected by a hypercube of
suppressed cells around it, here lifted through the hierarchies so that the perturbation is one of the whole
table, not of a subtable. (Protecting subtables one by one, as tau-ARGUS's modular method does, was tried first:
on small random hierarchical tables the attacker's programmes still pinned some cells exactly.) A certificate is
sufficient, not necessary: the method may suppress more than an optimal one would, never too little. Singletons
(GaussSuppression's "anySum") are not considered here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

BIG = 1e30  # the cost of a cell that cannot be in a certificate (missing, or smaller than the protection)
_KEEP = 48  # options kept per side after the first, cheap look (the cheapest by the cells in p's own row/column)


class NoCertificateError(ArithmeticError):
    """A primary cell for which no certificate of cells at least its protection exists."""


@dataclass
class Axis:
    """One dimension of a table: its published codes, and each inner code's chain: the codes it counts in, with
    its weight there (itself and its ancestors 1; a group such as a cluster category its weight in it), held as
    rows of two arrays (codes, weights; padded with the code one past the last, weight 0)."""

    codes: list[str]
    parent: np.ndarray  # hierarchy parent of each code (-1: a root, or a group)
    table: np.ndarray  # one row per inner code
    weights: np.ndarray
    # per code: each inner code's weight in it, and which chain entries are its strict ancestors (options() asks
    # for the same code again and again, once per primary cell in its row or column)
    _seen: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, codes: Sequence[str], up: Mapping[str, Sequence[tuple[str, float]]], groups: Sequence[str] = ()
              ) -> Axis:
        """``codes``: the published codes; ``up``: per inner code, the published codes it counts in with weights,
        hierarchy first (itself, then each ancestor), then the groups (named in ``groups``)."""
        codes = list(codes)
        index = {c: k for k, c in enumerate(codes)}
        grouped = {g for g in groups if g in index}
        parent = np.full(len(codes), -1, dtype=np.int64)
        chains = {index[c]: [(index[k], float(w)) for k, w in entries if k in index] for c, entries in up.items()}
        for entries in up.values():
            path = [index[k] for k, _ in entries if k in index and k not in grouped]
            for child, par in zip(path, path[1:], strict=False):
                parent[child] = par
        inner = np.array(sorted(chains), dtype=np.int64)
        longest = max((len(chains[int(u)]) for u in inner), default=1)
        table = np.full((len(inner), longest), len(codes), dtype=np.int64)
        weights = np.zeros((len(inner), longest))
        for i, u in enumerate(inner):
            table[i, :len(chains[int(u)])] = [k for k, _ in chains[int(u)]]
            weights[i, :len(chains[int(u)])] = [w for _, w in chains[int(u)]]
        return cls(codes, parent, table, weights)

    def ancestors(self, x: int) -> list[int]:
        out, k = [], x
        while k >= 0 and k not in out:
            out.append(k)
            k = int(self.parent[k])
        return out

    def options(self, x: int, proxy: np.ndarray, firsts_kept: int, seconds_kept: int) -> tuple[np.ndarray, np.ndarray]:
        """The pairs (u1, u2) that move code ``x`` (rows of the inner codes; u2 = -1: u1 alone), the cheapest by
        ``proxy`` (the cost of each code's cell in the primary cell's own row or column) first: u1 under x, u2 any
        inner code outside it (a sibling's, a cousin's ...: what moves is the two paths up to where they meet), and
        u1 alone (its whole chain moves)."""
        if x not in self._seen:
            shared = np.asarray([k for k in self.ancestors(x) if k != x], dtype=np.int64)
            self._seen[x] = ((self.weights * (self.table == x)).sum(axis=1), np.isin(self.table, shared))
        wx, shared_entry = self._seen[x]
        cost = np.where(shared_entry, 0.0, np.append(proxy, 0.0)[self.table]).sum(axis=1)
        mine = np.flatnonzero(wx != 0)
        if not len(mine):
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        firsts = mine[np.argsort(cost[mine], kind="stable")[:firsts_kept]]
        outside = np.flatnonzero(wx != wx[firsts[0]])
        seconds = outside[np.argsort(cost[outside], kind="stable")[:seconds_kept]]
        i1 = np.concatenate([np.repeat(firsts, len(seconds)), firsts])
        i2 = np.concatenate([np.tile(seconds, len(firsts)), np.full(len(firsts), -1)])
        keep = np.abs(wx[i1] - np.where(i2 >= 0, wx[np.maximum(i2, 0)], 0.0)) > 1e-12
        return i1[keep], i2[keep]

    def moves(self, i1: np.ndarray, i2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The codes any of the pairs moves, and for each pair which of them it moves (0/1 rows): alpha(A) =
        weight of u1 in A - weight of u2 in A, non-zero."""
        rows = np.concatenate([i1, i2[i2 >= 0]])
        codes = np.unique(self.table[rows])
        codes = codes[codes < len(self.codes)]

        def spread(r: np.ndarray) -> np.ndarray:
            out = np.zeros((len(r), len(codes)))
            tab = self.table[r]
            ok = tab < len(self.codes)
            at = np.nonzero(ok)
            np.add.at(out, (at[0], np.searchsorted(codes, tab[ok])), self.weights[r][ok])
            return out

        coef = spread(i1)
        has = i2 >= 0
        coef[has] -= spread(i2[has])
        return codes, (np.abs(coef) > 1e-12).astype(float)


def table_axes(cells: pl.DataFrame, names: Sequence[str], up: Mapping[str, Mapping[str, Sequence[tuple[str, float]]]],
               groups: Mapping[str, Mapping[str, Mapping[str, float]]]) -> tuple[tuple[Axis, Axis], list[np.ndarray]]:
    """The two axes of a table's published ``cells`` (columns ``names``; ``up``: per dimension, each inner code's
    chain; ``groups``: per dimension, its groups) and each cell's code index on each."""
    axes = tuple(Axis.build(cells.get_column(d).unique().sort().to_list(), up[d], list(groups.get(d, {})))
                 for d in names)
    where = [cells.get_column(d).replace_strict({c: k for k, c in enumerate(ax.codes)}, return_dtype=pl.Int64)
             .to_numpy() for d, ax in zip(names, axes, strict=True)]
    return axes, where


def certificate_suppression(a: np.ndarray, b: np.ndarray, axes: tuple[Axis, Axis], value: np.ndarray,
                            cost: np.ndarray, primary: np.ndarray, *, protection: float = 0.10) -> np.ndarray:
    """The secondary suppressions (a boolean per cell) that give every primary cell a certificate. Cell ``k`` is
    (``a[k]``, ``b[k]``), code indices of ``axes``; ``cost``: what the table loses by suppressing it (higher is
    kept published first)."""
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
    order = np.flatnonzero(primary)
    order = order[np.argsort(-np.abs(value[order]), kind="stable")]  # the largest (hardest) first
    for k in order:
        _protect(int(a[k]), int(b[k]), rows, cols, v, w, s, protection * abs(float(value[k])))
    return s[a, b] & ~primary


#: how many codes under the primary cell's own (firsts) and how many outside it (seconds) are tried: first a few
#: under it with many partners; when that cannot carry its protection (a large cell of many small parts), many
#: parts under it with a few partners each
_STAGES = ((8, _KEEP), (64, 8))


def _protect(x: int, y: int, rows: Axis, cols: Axis, v: np.ndarray, w: np.ndarray, s: np.ndarray,
             need: float) -> None:
    """Give cell (x, y) certificates that together move it by ``need`` (cells that can carry the whole of it
    first; else several, each cell carrying at most its value over all of them) and suppress their cells."""
    for stage, (firsts, seconds) in enumerate(_STAGES):
        try:
            return _certify(x, y, rows, cols, v, w, s, need, firsts, seconds)
        except NoCertificateError:
            if stage == len(_STAGES) - 1:
                raise


def _certify(x: int, y: int, rows: Axis, cols: Axis, v: np.ndarray, w: np.ndarray, s: np.ndarray, need: float,
             firsts: int, seconds: int) -> None:
    ri1, ri2 = rows.options(x, np.where(s[:, y], 0.0, w[:, y]), firsts, seconds)
    ci1, ci2 = cols.options(y, np.where(s[x, :], 0.0, w[x, :]), firsts, seconds)
    if not len(ri1) or not len(ci1):
        raise NoCertificateError(f"cell ({rows.codes[x]}, {cols.codes[y]}): nothing to pair it with")
    r_idx, r_mask = rows.moves(ri1, ri2)
    c_idx, c_mask = cols.moves(ci1, ci2)
    block = np.ix_(r_idx, c_idx)
    cost = w[block]
    room = v[block].copy()  # what each cell can still carry of this cell's moves
    free = s[block].copy()
    me = (r_idx == x)[:, None] & (c_idx == y)[None, :]
    room[me] = np.inf
    got, found = 0.0, False
    while not found or got < need * (1 - 1e-9):
        remaining = max(need - got, 0.0)
        for share in (1.0, 0.5, 0.25, 0.125, 1 / 16, 1 / 32, 1 / 64, 0.0):
            sub = np.where(free, 0.0, cost)
            if need > 0:  # a cell of 0 is protected as Gaussian elimination protects it: not determined
                sub[(room < remaining * share) | (room <= 0)] = BIG
            sub[me] = 0.0
            total = r_mask @ sub @ c_mask.T
            i, j = np.unravel_index(int(np.argmin(total)), total.shape)
            if total[i, j] < BIG / 2:
                break
        else:
            raise NoCertificateError(f"cell ({rows.codes[x]}, {cols.codes[y]}): no certificate of cells that "
                                     f"move it by {need:g}")
        cells = np.ix_(np.flatnonzero(r_mask[i]), np.flatnonzero(c_mask[j]))
        step = float(room[cells].min())
        step = min(remaining, step) if remaining > 0 else step
        room[cells] -= step
        free[cells] = True
        got += step
        found = True
    s[block] |= free


__all__ = ["Axis", "NoCertificateError", "certificate_suppression", "table_axes"]
