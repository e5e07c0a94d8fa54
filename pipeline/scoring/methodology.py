"""Methodology files: the indicators, options and bands a composite score is built from.

A methodology is a TOML file; its SHA-256 is its version and every score row records it, so scores computed under
an older file stay identifiable. :meth:`Methodology.from_toml` validates the file and names the field (and, for TOML
syntax errors, the line) of every problem.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pipeline.errors import MethodologyInvalid

NORMALISATIONS = ("minmax",)
AGGREGATIONS = ("arithmetic",)


@dataclass(frozen=True)
class Indicator:
    """One indicator: a ratio of reported values, optionally its year-on-year growth, with a direction."""

    code: str
    name: str
    name_zh: str
    pillar: str
    direction: int
    unit: str
    numerator: str
    denominator: str | None = None
    scale: float = 1.0
    growth: bool = False
    weight: float = 1.0


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


def _index_options(table: dict, problems: list[str]) -> IndexOptions:
    defaults = IndexOptions()
    values: dict[str, object] = {}
    for key, choices in INDEX_CHOICES.items():
        value = table.get(key, getattr(defaults, key))
        if value not in choices:
            problems.append(f"[indices] {key}: {value!r} is not one of {', '.join(choices)}")
        values[key] = value
    for key in ("lq_threshold", "strong_lq_percentile", "strong_size_percentile"):
        value = table.get(key, getattr(defaults, key))
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            problems.append(f"[indices] {key}: expected a number >= 0, found {value!r}")
            value = getattr(defaults, key)
        values[key] = float(value)
    for key in ("strong_lq_percentile", "strong_size_percentile"):
        if not 0 <= float(values[key]) <= 100:  # type: ignore[arg-type]
            problems.append(f"[indices] {key}: a percentile between 0 and 100, found {values[key]}")
    zones = table.get("zones", [])
    if not isinstance(zones, list) or not all(isinstance(z, str) for z in zones):
        problems.append(f"[indices] zones: expected a list of region codes, found {zones!r}")
        zones = []
    unknown = set(table) - set(INDEX_CHOICES) - {"lq_threshold", "strong_lq_percentile", "strong_size_percentile",
                                                  "zones"}
    for key in sorted(unknown):
        problems.append(f"[indices] {key}: unknown option")
    return IndexOptions(zones=tuple(zones), **values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Methodology:
    """A parsed methodology file."""

    name: str
    name_zh: str
    normalisation: str
    aggregation: str
    min_coverage: float
    indices: IndexOptions
    size_small: float
    size_large: float
    indicators: tuple[Indicator, ...]
    hash: str
    source: str

    @property
    def reference(self) -> str:
        return self.indices.reference

    @property
    def lq_threshold(self) -> float:
        return self.indices.lq_threshold

    @classmethod
    def default(cls) -> Methodology:
        text = resources.files("pipeline.scoring").joinpath("default_methodology.toml").read_text("utf-8")
        return cls.from_text(text, source="default_methodology.toml")

    @classmethod
    def from_toml(cls, path: str | Path) -> Methodology:
        path = Path(path)
        return cls.from_text(path.read_text(encoding="utf-8"), source=str(path))

    @classmethod
    def from_text(cls, text: str, *, source: str = "<methodology>") -> Methodology:
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise MethodologyInvalid(f"{source}: not valid TOML: {exc}") from None
        problems: list[str] = []
        meta = _table(doc, "methodology", problems)
        index_options = _index_options(_table(doc, "indices", problems), problems)
        bands = _table(doc, "size_bands", problems)

        def get(table: dict, section: str, key: str, kind: type | tuple[type, ...], default: object = None):
            value = table.get(key, default)
            if value is None:
                problems.append(f"[{section}] {key}: missing")
            elif not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
                problems.append(f"[{section}] {key}: expected {_kind_name(kind)}, found {value!r}")
            return value

        normalisation = get(meta, "methodology", "normalisation", str, "minmax")
        if isinstance(normalisation, str) and normalisation not in NORMALISATIONS:
            problems.append(f"[methodology] normalisation: {normalisation!r} is not one of {NORMALISATIONS}")
        aggregation = get(meta, "methodology", "aggregation", str, "arithmetic")
        if isinstance(aggregation, str) and aggregation not in AGGREGATIONS:
            problems.append(f"[methodology] aggregation: {aggregation!r} is not one of {AGGREGATIONS}")
        min_coverage = get(meta, "methodology", "min_coverage", (int, float), 0.5)
        if isinstance(min_coverage, int | float) and not 0 <= min_coverage <= 1:
            problems.append(f"[methodology] min_coverage: must be between 0 and 1, found {min_coverage}")

        indicators: list[Indicator] = []
        seen: set[str] = set()
        for i, item in enumerate(doc.get("indicator", []), start=1):
            where = f"[[indicator]] #{i}"
            code = item.get("code")
            if not isinstance(code, str) or not code:
                problems.append(f"{where} code: missing")
                continue
            where = f"[[indicator]] {code}"
            if code in seen:
                problems.append(f"{where}: the code is used twice")
            seen.add(code)
            direction = item.get("direction", 1)
            if direction not in (1, -1):
                problems.append(f"{where} direction: must be 1 or -1, found {direction!r}")
            numerator = item.get("numerator")
            if not isinstance(numerator, str):
                problems.append(f"{where} numerator: missing (the reported indicator to use)")
                continue
            weight = item.get("weight", 1.0)
            if not isinstance(weight, int | float) or weight < 0:
                problems.append(f"{where} weight: must be a number >= 0, found {weight!r}")
                weight = 1.0
            indicators.append(Indicator(
                code=code, name=str(item.get("name", code)), name_zh=str(item.get("name_zh", code)),
                pillar=str(item.get("pillar", "other")), direction=int(direction) if direction in (1, -1) else 1,
                unit=str(item.get("unit", "")), numerator=numerator, denominator=item.get("denominator"),
                scale=float(item.get("scale", 1.0)), growth=bool(item.get("growth", False)), weight=float(weight),
            ))
        if not indicators and not problems:
            problems.append("[[indicator]]: the methodology lists no indicators")
        if problems:
            raise MethodologyInvalid(f"{source}: " + "; ".join(problems))
        return cls(
            name=str(meta.get("name", "")), name_zh=str(meta.get("name_zh", "")),
            normalisation=normalisation, aggregation=aggregation, min_coverage=float(min_coverage),
            indices=index_options,
            size_small=float(bands.get("small", 1e9)), size_large=float(bands.get("large", 1e10)),
            indicators=tuple(indicators),
            hash=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
            source=source,
        )


def _table(doc: dict, name: str, problems: list[str]) -> dict:
    value = doc.get(name, {})
    if not isinstance(value, dict):
        problems.append(f"[{name}]: expected a table")
        return {}
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join({"str": "text", "int": "a number", "float": "a number"}.get(k.__name__, k.__name__)
                       for k in kinds)
