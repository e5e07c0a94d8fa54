"""Singleton handling in secondary suppression (issue 17), against the documented examples of
GaussSuppressionFromData (GaussSuppression 1.2.3, statisticsnorway/ssb-gausssuppression, R/GaussSuppressionFromData.R
@examples; SSBtools 1.8.6 for GaussSuppression itself), run here with R 4.2.2 with the packages' defaults: primary
``PrimaryDefault`` (0 < freq <= maxN, zeros too when ``protectZeros``), candidates ``CandidatesDefault``, singletons
``SingletonDefault`` (the ones, or the zeros when zeros are protected or secondary), ``singletonMethod`` "anySum" (or
"anySumNOTprimary" when ``secondaryZeros``). Each expected set of suppressed cells is what R printed for the call
named above it.

Not run here: the example combining four primary functions, one of which returns NA (cells GaussSuppression then
treats as forced, never suppressed, a notion this project has no use for).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from pipeline.publishing.secondary import candidates_default, cell_matrix, gauss_secondary

# df <- data.frame(values = c(1, 1, 1, 5, 5, 9, 9, 9, 9, 9, 0, 0, 0, 7, 7), var1 = rep(1:3, each = 5),
#                  var2 = c("A", "B", "C", "D", "E"))
DF = pl.DataFrame({"var1": [str(v) for v in [1] * 5 + [2] * 5 + [3] * 5], "var2": list("ABCDE") * 3,
                   "values": [1, 1, 1, 5, 5, 9, 9, 9, 9, 9, 0, 0, 0, 7, 7]})
# z <- data.frame(row = rep(1:3, each = 3), col = 1:3, freq = c(0, 2, 5, 0, 0, 6:9))
Z = pl.DataFrame({"row": [str(v) for v in [1] * 3 + [2] * 3 + [3] * 3], "col": ["1", "2", "3"] * 3,
                  "freq": [0, 2, 5, 0, 0, 6, 7, 8, 9]})


def _crossed(first: list[str], second: list[str], *, margins_first: bool = False) -> list[tuple[str, str]]:
    """The cells of ~a * b in R's order: the first variable outer, totals first (``formula = ~var1 * var2`` puts
    both margins before the inner cells)."""
    if margins_first:
        return ([("Total", "Total")] + [(a, "Total") for a in first] + [("Total", b) for b in second]
                + [(a, b) for a in first for b in second])
    return [(a, b) for a in ["Total", *first] for b in ["Total", *second]]


def _suppress(data: pl.DataFrame, cells: list[tuple[str, str]], freq: str, *, max_n: int = 3,
              protect_zeros: bool = True, secondary_zeros: bool = False, singletons: bool = True,
              primary: list[tuple[str, str]] | None = None) -> list[str]:
    """GaussSuppressionFromData(data, dims, freq, ...) with its default rules; returns the suppressed cells."""
    dims = data.columns[:2]
    frame = pl.DataFrame({dims[0]: [a for a, _ in cells], dims[1]: [b for _, b in cells]})
    x = cell_matrix(data, frame, dims)
    inner = data.get_column(freq).cast(pl.Float64).to_numpy()
    values = x.T @ inner
    if primary is None:  # PrimaryDefault
        first = (values <= max_n) & ((values > 0) | protect_zeros)
    else:
        first = np.array([cell in primary for cell in cells])
    single = (inner == 0) if (protect_zeros or secondary_zeros) else (inner == 1)  # SingletonDefault
    order = candidates_default(values, x, secondary_zeros=secondary_zeros)
    method = "anySumNOTprimary" if secondary_zeros else "anySum"
    secondary = gauss_secondary(x, first, order, singleton=single if singletons else None, singleton_method=method)
    return [f"{a}{b}" if "Total" not in (a, b) else f"{a}-{b}" for (a, b), s in zip(cells, first | secondary,
                                                                                    strict=True) if s]


def test_the_default_call_adds_the_cell_a_singleton_zero_would_give_away():
    # GaussSuppressionFromData(df, c("var1", "var2"), "values"): primary the 1s and the 0s (protectZeros = TRUE);
    # suppressed besides them: 1E and 3E
    cells = _crossed(["1", "2", "3"], list("ABCDE"))
    assert _suppress(DF, cells, "values") == ["1A", "1B", "1C", "1E", "3A", "3B", "3C", "3E"]
    # 3E: with 3-Total and 3D published it would publish 3A + 3B + 3C, a sum of singletons only ("anySum"). The
    # same call with singleton = NULL (R printed): the primary cells alone
    assert _suppress(DF, cells, "values", singletons=False) == ["1A", "1B", "1C", "3A", "3B", "3C"]


def test_margins_only_with_a_larger_minimum():
    # GaussSuppressionFromData(df, c("var1", "var2"), "values", formula = ~var1 + var2, maxN = 10): Total-A, B, C
    # (10 each) are primary and protect each other; nothing more is suppressed
    cells = [("Total", "Total"), ("1", "Total"), ("2", "Total"), ("3", "Total")] + [("Total", b) for b in "ABCDE"]
    assert _suppress(DF, cells, "values", max_n=10) == ["Total-A", "Total-B", "Total-C"]


def test_a_primary_function_of_its_own():
    # ... formula = ~var1 + var2, maxN = 10, protectZeros = TRUE,
    #     primary = function(freq, crossTable, maxN, ...) which(freq <= maxN & crossTable[[2]] != "A" & ...)
    # primary Total-B only; R suppressed Total-C with it (A comes first among the equal candidates, C would give
    # B away: A + B + C = 72 - 21 - 21 - ... is published through the margins)
    cells = [("Total", "Total"), ("1", "Total"), ("2", "Total"), ("3", "Total")] + [("Total", b) for b in "ABCDE"]
    assert _suppress(DF, cells, "values", max_n=10, primary=[("Total", "B")]) == ["Total-B", "Total-C"]


def test_the_gausssuppression_example_with_default_singletons():
    # GaussSuppressionFromData(df, ..., formula = ~var1 * var2, protectZeros = FALSE, secondaryZeros = FALSE):
    # the 1s are primary and singletons; R suppressed 1E, 2A, 2B, 2C, 2E besides them (with singleton = NULL:
    # 2A, 2B, 2C only, tests/test_disclosure_secondary.py). 2A + 2B + 2C published with 1D would leave 1A + 1B + 1C
    # = 3 ones: each singleton could work out the sum of the other two
    cells = _crossed(["1", "2", "3"], list("ABCDE"), margins_first=True)
    assert _suppress(DF, cells, "values", protect_zeros=False) == ["1A", "1B", "1C", "1E", "2A", "2B", "2C", "2E"]
    assert _suppress(DF, cells, "values", protect_zeros=False, singletons=False) == [
        "1A", "1B", "1C", "2A", "2B", "2C"]


def test_zeros_as_singletons():
    cells = _crossed(["1", "2", "3"], ["1", "2", "3"])
    # GaussSuppressionFromData(z, 1:2, 3, singleton = NULL) (and singletonMethod = "none", "as above"): the three
    # zeros and the 2 only
    assert _suppress(Z, cells, "freq", singletons=False) == ["11", "12", "21", "22"]
    # GaussSuppressionFromData(z, 1:2, 3): 13, 23, 31, 32 besides (row 2 = 0 + 0 + 6 with 6 published says both
    # zeros; the singleton rule keeps a sum of zeros from being published)
    assert _suppress(Z, cells, "freq") == ["11", "12", "13", "21", "22", "23", "31", "32"]
    # GaussSuppressionFromData(z, 1:2, 3, protectZeros = FALSE, secondaryZeros = TRUE, singleton = NULL): the 2 is
    # primary; the zeros, suppressed first, protect it
    assert _suppress(Z, cells, "freq", protect_zeros=False, secondary_zeros=True, singletons=False) == [
        "11", "12", "21", "22"]
    # ... and with the default singleton handling (anySumNOTprimary): 13 and 23 instead of the zeros 11 and 21
    assert _suppress(Z, cells, "freq", protect_zeros=False, secondary_zeros=True) == ["12", "13", "22", "23"]
