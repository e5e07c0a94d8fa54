"""The parts of a methodology and the choices its options allow: indicators, aggregates, the options of each level,
of the uncertainty analysis, of the explanations and of the agglomeration indices.

The framework is a hierarchy: indicators -> aggregates of the next level (pillars) -> ... -> one root (the index).
The ``[[level]]`` tables list the levels leaves first; each says how its values are imputed, treated for outliers
and normalised (all levels; aggregate levels pass their scores through unchanged by default), and, for aggregate
levels, how the members are computed from their children: the weights, the aggregation and the share of the
children's weight a unit must have for a score (``min_coverage``).

:class:`~pipeline.scoring.methodology.Methodology` holds them; :mod:`pipeline.scoring._parse` reads them from the
file, checked against the choices here.
"""

from __future__ import annotations

from dataclasses import dataclass

IMPUTATIONS = ("none", "mean", "median", "group_mean", "group_median", "locf", "knn", "iterative")
OUTLIERS = ("none", "coinr", "winsorise", "log")
NORMALISATIONS = ("none", "minmax", "zscore", "rank", "percentile", "goalposts", "distance_to_target",
                  "distance_to_best", "ratio_to_mean")
WEIGHTINGS = ("manual", "equal", "pca", "fa")
AGGREGATIONS = ("arithmetic", "geometric", "harmonic", "generalised", "mazziotta_pareto")
GROWTHS = ("yoy", "cagr")


@dataclass(frozen=True)
class Indicator:
    """One indicator: ``scale * source / denominator`` (or its growth), with a direction, parent and weight."""

    code: str
    name: str
    name_zh: str
    parent: str
    direction: int
    unit: str
    source: str
    denominator: str | None = None
    scale: float = 1.0
    growth: str | None = None  # None | "yoy" (percent change on the previous year) | "cagr" (over growth_years)
    growth_years: int = 1
    weight: float = 1.0
    target: float | None = None
    goalposts: tuple[float, float] | None = None
    description: str = ""

    @property
    def pillar(self) -> str:
        return self.parent

    @property
    def numerator(self) -> str:
        return self.source


@dataclass(frozen=True)
class Aggregate:
    """A pillar, sub-index or the index: a named node of the hierarchy above the indicators."""

    code: str
    name: str
    name_zh: str
    level: str
    parent: str | None
    weight: float = 1.0


@dataclass(frozen=True)
class Level:
    """Options of one level of the hierarchy (see the module docstring for which apply where)."""

    name: str
    imputation: str = "none"
    imputation_group: str | None = None  # column of the ``groups`` frame for group_mean / group_median
    neighbours: int = 5  # k of k-NN imputation
    outliers: str = "none"
    winsor_max: int = 5
    skew_threshold: float = 2.0
    kurtosis_threshold: float = 3.5
    normalisation: str = "none"
    low: float = 0.0  # min-max range
    high: float = 100.0
    scale: float = 100.0  # multiplier of the ratio normalisations (percentile, goalposts, distances, ratio)
    weights: str = "manual"  # how this level's members weight their children
    aggregation: str = "arithmetic"
    power: float = 1.0  # exponent of the generalised mean
    min_coverage: float = 0.0  # share of the children's weight needed for a score


@dataclass(frozen=True)
class UncertaintyOptions:
    """The Monte Carlo over methodological choices (``[uncertainty]``)."""

    samples: int = 200
    seed: int = 20240601
    weight_spread: float = 0.25  # each weight times U(1 - spread, 1 + spread)
    imputations: tuple[str, ...] = ("none",)
    normalisations: tuple[str, ...] = ("minmax",)
    aggregations: tuple[str, ...] = ("arithmetic",)


@dataclass(frozen=True)
class ExplanationOptions:
    """Strengths and weaknesses, peer groups (``[explanation]``)."""

    #: the rule before issue 15 (position this far above/below the overall one); still read so that earlier
    #: methodology versions parse, no longer used: strengths are absolute (``strength_share``)
    strength_margin: float = 0.25
    max_items: int = 3  # at most this many strengths and this many weaknesses (COINr's topN and bottomN)
    strength_share: float = 1 / 3  # a strength ranks in the top share of the units, a weakness in the bottom one
    peer_groups: int = 5
    seed: int = 20240601


@dataclass(frozen=True)
class DisclosureOptions:
    """Disclosure control of released tables (``[disclosure]``; METHODS.md, Hundepool et al. 2012, ch. 4): the
    primary rules (pipeline.publishing.primary), the protection an attacker's interval must exceed
    (pipeline.publishing.attack) and the symbol a suppressed cell shows."""

    min_contributors: int = 3  # a cell with fewer contributing firms is confidential
    dominance: tuple[tuple[int, float], ...] = ((1, 85.0), (2, 90.0))  # (n, k): the largest n make >= k %
    p_percent: float = 0.0  # the p % rule (0: off)
    protection: float = 0.10  # a suppressed cell's attacker interval must reach +-10 % of its value
    method: str = "gauss"  # secondary suppression: gauss | certificates (pipeline.publishing.certificates)
    symbol: str = "D"
    symbol_zh: str = "保密"
    scores: str = "published"  # composite scores and ranks in a release: published | withheld


@dataclass(frozen=True)
class IndexOptions:
    """How the agglomeration indices are computed for the marts (the [indices] table of the file)."""

    reference: str = "internal"  # reference economy: internal (sum of the uploaded regions)
    lq_threshold: float = 1.0  # specialised when LQ >= threshold
    krugman_against: str = "total"  # total | others | others_mean
    theil_kind: str = "T"  # T (GE(1)) | L (GE(0), mean log deviation)
    strong_lq_percentile: float = 75.0  # U.S. Cluster Mapping: LQ at or above this percentile of regions
    strong_size_percentile: float = 25.0  # ... and employment (establishments) above this percentile
    zones: tuple[str, ...] = ()  # ordered grouping codes for balance decompositions (a partition is needed)
    shift_share_method: str = "dunn"  # dunn | esteban_marquillas


INDEX_CHOICES = {
    "reference": ("internal",),
    "krugman_against": ("total", "others", "others_mean"),
    "theil_kind": ("T", "L"),
    "shift_share_method": ("dunn", "esteban_marquillas"),
}
