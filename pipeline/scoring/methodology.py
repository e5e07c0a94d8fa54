"""Methodology files: the framework, options and bands a composite score is built from.

A methodology is a TOML file (format: ``default_methodology.toml``, documented in its comments). Its SHA-256 is its
version and every score row records it, so scores computed under an older file stay identifiable.
:meth:`Methodology.from_toml` validates the file and names the line and the field of every problem.

The framework is a hierarchy: indicators -> aggregates of the next level (pillars) -> ... -> one root (the index).
The ``[[level]]`` tables list the levels leaves first; each says how its values are imputed, treated for outliers
and normalised (all levels; aggregate levels pass their scores through unchanged by default), and, for aggregate
levels, how the members are computed from their children: the weights, the aggregation and the share of the
children's weight a unit must have for a score (``min_coverage``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

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

    strength_margin: float = 0.25  # indicator position this far (share of the ranking) above/below the overall one
    max_items: int = 3
    peer_groups: int = 5
    seed: int = 20240601


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


@dataclass(frozen=True)
class Methodology:
    """A parsed, validated methodology file. Build it with :meth:`from_toml`, :meth:`from_text` or :meth:`default`.

    >>> m = Methodology.default()
    >>> [lv.name for lv in m.levels], len(m.indicators), m.root
    (['indicator', 'pillar', 'index'], 19, 'index')
    >>> sorted({i.parent for i in m.indicators}) == sorted(m.children("index"))
    True
    """

    name: str
    name_zh: str
    min_coverage: float  # screening: share of the indicators a unit must have (after imputation) to be scored
    levels: tuple[Level, ...]
    indicators: tuple[Indicator, ...]
    aggregates: tuple[Aggregate, ...]
    indices: IndexOptions
    size_small: float
    size_large: float
    hash: str
    source: str
    uncertainty: UncertaintyOptions = field(default_factory=UncertaintyOptions)
    explanation: ExplanationOptions = field(default_factory=ExplanationOptions)

    @property
    def reference(self) -> str:
        return self.indices.reference

    @property
    def lq_threshold(self) -> float:
        return self.indices.lq_threshold

    @property
    def normalisation(self) -> str:
        return self.levels[0].normalisation

    @property
    def aggregation(self) -> str:
        return self.levels[1].aggregation

    @property
    def root(self) -> str:
        return next(a.code for a in self.aggregates if a.parent is None)

    def children(self, code: str) -> list[str]:
        """Codes of the direct children of an aggregate, in file order."""
        kids = [i.code for i in self.indicators if i.parent == code]
        return kids + [a.code for a in self.aggregates if a.parent == code]

    def members(self, level: int) -> list[str]:
        """Codes at a level (0 = indicators), in file order."""
        if level == 0:
            return [i.code for i in self.indicators]
        name = self.levels[level].name
        return [a.code for a in self.aggregates if a.level == name]

    def node(self, code: str) -> Indicator | Aggregate:
        for item in (*self.indicators, *self.aggregates):
            if item.code == code:
                return item
        raise KeyError(code)

    @classmethod
    def default(cls) -> Methodology:
        """The packaged default Liaoning methodology."""
        text = resources.files("pipeline.scoring").joinpath("default_methodology.toml").read_text("utf-8")
        return cls.from_text(text, source="default_methodology.toml")

    @classmethod
    def from_toml(cls, path: str | Path) -> Methodology:
        """Read and validate a methodology file.

        Parameters
        ----------
        path
            A TOML file in the format of ``default_methodology.toml``.

        Returns
        -------
        Methodology
            With ``hash`` the first 16 hex digits of the file's SHA-256 (its version).

        Raises
        ------
        MethodologyInvalid
            Naming each problem's line and field (``m.toml: line 42: [[indicator]] x direction: ...``).
        """
        path = Path(path)
        return cls.from_text(path.read_text(encoding="utf-8"), source=str(path))

    @classmethod
    def from_text(cls, text: str, *, source: str = "<methodology>") -> Methodology:
        from pipeline.scoring._parse import parse

        parts = parse(text, source)
        return cls(**parts, hash=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16], source=source)
