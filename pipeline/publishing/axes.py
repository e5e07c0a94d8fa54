"""The axes of a two-way table for its certificates (issue 17; :mod:`.certificates`, :mod:`.siblings`): each
dimension's published codes, its hierarchy and groups, and what a perturbation of two inner codes moves."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

BIG = 1e30  # the cost of a cell that cannot be in a certificate (missing, or smaller than the protection)
LEAN = 1e3  # the cost of moving one firm's inner cell: more than any certificate of other cells (each costs <= 1)


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
    group: np.ndarray  # per code: a group (a cluster category), not a level of the hierarchy
    inner: np.ndarray  # per code: an inner code (the table's finest level)
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
        every = np.arange(len(codes))
        return cls(codes, parent, table, weights, np.isin(every, [index[g] for g in grouped]),
                   np.isin(every, table[:, 0]))

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
        """The codes any of the pairs moves, and for each pair by how much it moves each (rows of alpha(A) = weight
        of u1 in A - weight of u2 in A; 0: not moved)."""
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
        coef[np.abs(coef) <= 1e-12] = 0.0
        return codes, coef


def table_axes(cells: pl.DataFrame, names: Sequence[str], up: Mapping[str, Mapping[str, Sequence[tuple[str, float]]]],
               groups: Mapping[str, Mapping[str, Mapping[str, float]]]) -> tuple[tuple[Axis, Axis], list[np.ndarray]]:
    """The two axes of a table's published ``cells`` (columns ``names``; ``up``: per dimension, each inner code's
    chain; ``groups``: per dimension, its groups) and each cell's code index on each."""
    axes = tuple(Axis.build(cells.get_column(d).unique().sort().to_list(), up[d], list(groups.get(d, {})))
                 for d in names)
    where = [cells.get_column(d).replace_strict({c: k for k, c in enumerate(ax.codes)}, return_dtype=pl.Int64)
             .to_numpy() for d, ax in zip(names, axes, strict=True)]
    return axes, where


__all__ = ["BIG", "LEAN", "Axis", "NoCertificateError", "table_axes"]
