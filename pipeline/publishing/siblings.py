"""Certificates between sibling regions (issue 17): the fast path of :mod:`.certificates`, for the confidential cells
of an inner region's row in a table whose regions have no groups. That is nearly every confidential cell of a
county x class table (1.72 of its 1.73 million at census scale); looking for each one's certificate over the whole
table took about 2 ms, here it takes a few microseconds.

The certificate of a cell (x, y) here is the perturbation alpha x beta with alpha = e(x) - e(x2), x2 a sibling of x
(same parent: no other row moves), and beta = e(u1) - e(u2) over inner industries (u2 may be absent). The columns
that move, those where u1 and u2 weigh differently, lie within H(u1) and H(u2), where H(u) is

- when u1 and u2 are siblings: u and its groups (their parent and everything above weigh the same in both);
- otherwise ("cousins"): u's chain without the root (the one code above everything, common to both);
- u1 alone: its whole chain.

Suppressing H(u1) and H(u2) in rows x and x2 is therefore sufficient (a few cells more than needed when u1 and u2
share a group at the same weight), and its cost is separable: C[kind, r, u], the cost of the cells of H(u) in row r
not yet suppressed, is kept up to date as cells are suppressed, and the certificate costs C[x, u1] + C[x, u2] +
C[x2, u1] + C[x2, u2]. Its four inner cells (x or x2, u1 or u2) move by t and must hold it (each at least t; the
other cells are sums of inner cells), and the cell moves by t x |w(u1, y) - w(u2, y)|: t = protection x |cell| / that
weight. Moving an inner cell of one firm costs LEAN more (:func:`.certificates.certificate_suppression`: that firm
knows it), so such a certificate is taken only when there is no other, and reported. The cheapest certificate is
taken: sibling pairs first (when one costs nothing, nothing is suppressed), then
cousins (u1 in y, u2 outside it: for each sibling row the cheapest u1 plus the cheapest of the few partners cheapest
in x's own row), and u1 alone only when neither exists. A cell with none is left to the general search.

The cells are taken one by one in the caller's order (the largest first), as the general search takes them, each
seeing what the ones before suppressed; that loop is compiled with numba (a well-kept JIT compiler for numerical
Python): in numpy each cell cost some thirty array operations on small arrays, 0.17 ms, so a census table took
about five minutes in this path alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np

from pipeline.publishing.axes import BIG, LEAN, Axis

FREE = 1e-7  # a certificate cheaper than this suppresses nothing new (each cell not yet suppressed costs >= 1e-6)
SHORT = 24  # cousins: the partners tried with every sibling row (the cheapest in the cell's own row)


@dataclass
class Siblings:
    """The fast path's view of a table: its dense ``w`` (costs; BIG: no such cell) and ``s`` (suppressed; changed
    in place by :meth:`protect`), and what :func:`_kernel` needs of its values and axes."""

    w: np.ndarray
    s: np.ndarray
    row_pos: np.ndarray  # per row code: its position among the inner rows (siblings side by side), or -1
    row_code: np.ndarray  # per inner row position: its code
    block: np.ndarray  # per inner row position: where its siblings (and itself) lie, [lo, hi); -1: no parent
    sets: np.ndarray  # [kind, u, :] H(u) of siblings, cousins, alone: column codes, padded with the codes' count
    users: tuple[np.ndarray, np.ndarray, np.ndarray]  # per column code (CSR starts): the (kind, u) whose H holds it
    cost: np.ndarray  # C[kind, r, u]
    value: np.ndarray  # inner rows x inner industries: the inner cell's |value| (-inf: no such cell)
    leans: np.ndarray  # inner rows x inner industries: what moving the inner cell costs beyond C (LEAN: one firm's)
    u_pos: np.ndarray  # per column code: its position among the inner industries, or -1
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # per column (CSR starts): sibling u1, u2, gain
    inside: tuple[np.ndarray, np.ndarray, np.ndarray]  # per column (CSR starts): the inner industries in it, weight
    weight_t: np.ndarray  # column codes x inner industries: each one's weight in the column

    @classmethod
    def build(cls, rows: Axis, cols: Axis, v: np.ndarray, w: np.ndarray, s: np.ndarray,
              lone: np.ndarray | None = None) -> Siblings | None:
        """The fast path's state, or None when the regions have groups (their rows then move otherwise). ``lone``:
        the cells of one firm; moving one (but the cell protected) costs LEAN more."""
        if rows.group.any():
            return None
        n_codes = len(cols.codes)
        row_code = rows.table[:, 0]
        row_code = row_code[np.argsort(rows.parent[row_code], kind="stable")]
        row_pos = np.full(len(rows.codes), -1, dtype=np.int64)
        row_pos[row_code] = np.arange(len(row_code))
        row_parent = rows.parent[row_code]
        bounds = np.flatnonzero(np.r_[True, row_parent[1:] != row_parent[:-1], True])
        block = np.repeat(np.stack([bounds[:-1], bounds[1:]], axis=1), np.diff(bounds), axis=0)
        block[row_parent < 0] = -1
        table = cols.table
        u_code = table[:, 0]
        weight = np.zeros((len(u_code), n_codes + 1))
        np.add.at(weight, (np.repeat(np.arange(len(u_code)), table.shape[1]), table.ravel()), cols.weights.ravel())
        weight = weight[:, :n_codes]
        real = table < n_codes
        grouped = real & np.append(cols.group, False)[table]
        level = real & ~grouped
        last = level.shape[1] - 1 - np.argmax(level[:, ::-1], axis=1)  # each chain's root: its last level
        root = np.zeros_like(level)
        root[np.arange(len(u_code)), last] = True
        pad = np.full_like(table, n_codes)
        sets = np.stack([np.where(grouped | (table == u_code[:, None]), table, pad),
                         np.where(real & ~root, table, pad), np.where(real, table, pad)])
        live = np.hstack([np.where(s[row_code], 0.0, w[row_code]), np.zeros((len(row_code), 1))])
        cost = np.empty((len(sets), len(row_code), len(u_code)))
        for kind, h in enumerate(sets):
            for k in range(0, len(row_code), 256):
                cost[kind, k:k + 256] = live[k:k + 256][:, h].sum(axis=2)
        value = np.where(w[np.ix_(row_code, u_code)] < BIG / 2, v[np.ix_(row_code, u_code)], -np.inf)
        leans = (LEAN * lone[np.ix_(row_code, u_code)] if lone is not None
                 else np.zeros((len(row_code), len(u_code))))
        u_pos = np.full(n_codes, -1, dtype=np.int64)
        u_pos[u_code] = np.arange(len(u_code))
        col, u = np.nonzero(weight.T)
        inside = (np.searchsorted(col, np.arange(n_codes + 1)), u, np.abs(weight[u, col]))
        return cls(w, s, row_pos, row_code, block, sets, _users(sets, n_codes), cost, value, leans, u_pos,
                   _pairs(weight, cols.parent[u_code]), inside, np.ascontiguousarray(weight.T))

    def protect(self, x: np.ndarray, y: np.ndarray, need: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Give each cell (``x[k]``, ``y[k]``), in this order, a certificate between sibling rows that moves it by
        ``need[k]`` and suppress its cells; returns which cells got one (the others need the general search) and
        which of those moves a one-firm cell."""
        done, leaned = np.zeros(len(x), dtype=bool), np.zeros(len(x), dtype=bool)
        if len(x):
            _compiled()(np.asarray(x, dtype=np.int64), np.asarray(y, dtype=np.int64), np.asarray(need, dtype=float),
                        done, leaned, self.row_pos, self.block, self.row_code, self.cost, self.value, self.leans,
                        self.u_pos, self.s, self.w, self.sets, *self.users, *self.pairs, *self.inside, self.weight_t)
        return done, leaned


def _users(sets: np.ndarray, n_codes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each column code, the (kind, u) whose H (``sets``, padded with ``n_codes``) holds it, as CSR."""
    kind, u, _ = np.nonzero(sets < n_codes)
    codes = sets[sets < n_codes]
    order = np.argsort(codes, kind="stable")
    return np.searchsorted(codes[order], np.arange(n_codes + 1)), kind[order], u[order]


def _pairs(weight: np.ndarray, parent: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per column (CSR), the pairs of sibling inner industries (u1 in it) that weigh differently in it, once each,
    and that difference (the gain)."""
    a, b = [], []
    order = np.argsort(parent, kind="stable")
    keys, starts = np.unique(parent[order], return_index=True)
    for key, members in zip(keys, np.split(order, starts[1:]), strict=True):
        if key >= 0:
            first, second = np.meshgrid(members, members, indexing="ij")
            a.append(first[first != second])
            b.append(second[first != second])
    a = np.concatenate(a) if a else np.empty(0, dtype=np.int64)
    b = np.concatenate(b) if b else np.empty(0, dtype=np.int64)
    cols, which = [], []
    for lo in range(0, weight.shape[1], 256):  # pairs x a slice of columns at a time
        wa, wb = weight[a, lo:lo + 256], weight[b, lo:lo + 256]
        keep = (wa != 0) & (np.abs(wa - wb) > 1e-12) & ~((wb != 0) & (b < a)[:, None])
        p, c = np.nonzero(keep.T)
        cols.append(p + lo)
        which.append(c)
    col, which = np.concatenate(cols), np.concatenate(which)
    order = np.argsort(col, kind="stable")
    col, which = col[order], which[order]
    gain = np.abs(weight[a[which], col] - weight[b[which], col])
    return np.searchsorted(col, np.arange(weight.shape[1] + 1)), a[which], b[which], gain


@cache
def _compiled() -> Callable[..., None]:
    """:func:`_kernel` compiled (numba is imported on first use: a quarter of a second that the app and the CLI
    do not pay unless a table is protected by certificates; the machine code is cached beside this module)."""
    import numba

    return numba.njit(cache=True)(_kernel)


def _kernel(xs, ys, need, done, leaned, row_pos, block, row_code, cost, value, leans, u_pos, s, w, sets, user_start,
            user_kind, user_u, pair_start, pair_a, pair_b, pair_gain, in_start, in_u, in_gain, weight_t):
    n_u = value.shape[1]
    short_u = np.empty(SHORT, dtype=np.int64)
    short_c = np.empty(SHORT)
    for k in range(len(xs)):
        x, y, d = xs[k], ys[k], need[k]
        i = row_pos[x]
        if i < 0 or block[i, 0] < 0 or block[i, 1] - block[i, 0] < 2:
            continue
        lo, hi = block[i, 0], block[i, 1]
        own, kept, kept_lean = u_pos[y], 0.0, 0.0  # an inner cell always holds its own step, and moving it
        if own >= 0:  # costs nothing more (one firm's too: what its firm knows is its own)
            kept, value[i, own] = value[i, own], np.inf
            kept_lean, leans[i, own] = leans[i, own], 0.0
        best, kind, br, b1, b2 = np.inf, -1, -1, -1, -1
        for p in range(pair_start[y], pair_start[y + 1]):  # sibling industries
            u1, u2 = pair_a[p], pair_b[p]
            t = d / pair_gain[p]
            if value[i, u1] < t or value[i, u2] < t:
                continue
            base = cost[0, i, u1] + cost[0, i, u2] + leans[i, u1] + leans[i, u2]
            for r in range(lo, hi):
                if r != i and value[r, u1] >= t and value[r, u2] >= t:
                    total = base + cost[0, r, u1] + cost[0, r, u2] + leans[r, u1] + leans[r, u2]
                    if total < best:
                        best, kind, br, b1, b2 = total, 0, r, u1, u2
        if best <= FREE:
            done[k] = True
            if own >= 0:
                value[i, own], leans[i, own] = kept, kept_lean
            continue
        for q in range(in_start[y], in_start[y + 1]):  # cousins, per weight of u1 in y
            g = in_gain[q]
            seen = False
            for q2 in range(in_start[y], q):
                seen = seen or in_gain[q2] == g
            if seen:
                continue
            t = d / g
            n = 0
            for u2 in range(n_u):  # the cheapest partners in x's own row
                if weight_t[y, u2] != 0 or value[i, u2] < t:
                    continue
                c = cost[1, i, u2] + leans[i, u2]
                if n == SHORT and c >= short_c[n - 1]:
                    continue
                j = n if n < SHORT else SHORT - 1
                while j > 0 and short_c[j - 1] > c:
                    short_c[j], short_u[j] = short_c[j - 1], short_u[j - 1]
                    j -= 1
                short_c[j], short_u[j] = c, u2
                n = min(n + 1, SHORT)
            if n == 0:
                continue
            for r in range(lo, hi):
                if r == i:
                    continue
                m1, a1 = np.inf, -1
                for q3 in range(in_start[y], in_start[y + 1]):
                    u1 = in_u[q3]
                    if in_gain[q3] == g and value[i, u1] >= t and value[r, u1] >= t:
                        c = cost[1, i, u1] + cost[1, r, u1] + leans[i, u1] + leans[r, u1]
                        if c < m1:
                            m1, a1 = c, u1
                if a1 < 0 or m1 >= best:
                    continue
                for j in range(n):
                    u2 = short_u[j]
                    if value[r, u2] >= t:
                        total = m1 + short_c[j] + cost[1, r, u2] + leans[r, u2]
                        if total < best:
                            best, kind, br, b1, b2 = total, 1, r, a1, u2
        if kind < 0:  # u1 alone: its whole chain moves
            for q in range(in_start[y], in_start[y + 1]):
                u1 = in_u[q]
                t = d / in_gain[q]
                if value[i, u1] < t:
                    continue
                for r in range(lo, hi):
                    if r != i and value[r, u1] >= t:
                        total = cost[2, i, u1] + cost[2, r, u1] + leans[i, u1] + leans[r, u1]
                        if total < best:
                            best, kind, br, b1, b2 = total, 2, r, u1, -1
        if own >= 0:
            value[i, own], leans[i, own] = kept, kept_lean
        if kind < 0 or best >= BIG / 2:
            continue
        done[k], leaned[k] = True, best >= LEAN
        for pos in (i, br):  # suppress the certificate's cells; take them out of every H's cost
            code = row_code[pos]
            for u in (b1, b2):
                if u < 0:
                    continue
                for e in range(sets.shape[2]):
                    c = sets[kind, u, e]
                    if c >= s.shape[1] or s[code, c]:
                        continue
                    s[code, c] = True
                    for q in range(user_start[c], user_start[c + 1]):
                        cost[user_kind[q], pos, user_u[q]] -= w[code, c]


__all__ = ["Siblings"]
