"""Methodology files: the framework, options and bands a composite score is built from.

A methodology is a TOML file (format: ``default_methodology.toml``, documented in its comments). Its SHA-256 is its
version and every score row records it, so scores computed under an older file stay identifiable.
:meth:`Methodology.from_toml` validates the file and names the line and the field of every problem. Its parts
(indicators, aggregates, level options ...) are in :mod:`pipeline.scoring.options`.
Which file a data directory uses, and the versions it has used, is kept by :mod:`pipeline.jobs.methodologies`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from pipeline.scoring._parse import parse
from pipeline.scoring.options import (
    Aggregate,
    DisclosureOptions,
    ExplanationOptions,
    IndexOptions,
    Indicator,
    Level,
    UncertaintyOptions,
)
from pipeline.scoring.tiers import Ladder


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
    disclosure: DisclosureOptions = field(default_factory=DisclosureOptions)
    ladder: Ladder = field(default_factory=Ladder)

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
        parts = parse(text, source)
        return cls(**parts, hash=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16], source=source)
