"""Parse and validate a methodology file; every problem names its line and field."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from typing import Any

from pipeline.core.errors import MethodologyInvalid
from pipeline.scoring._toml import Lines, Problems, check, is_number, table_of
from pipeline.scoring.options import (
    AGGREGATIONS,
    GROWTHS,
    IMPUTATIONS,
    INDEX_CHOICES,
    NORMALISATIONS,
    OUTLIERS,
    WEIGHTINGS,
    Aggregate,
    DisclosureOptions,
    ExplanationOptions,
    IndexOptions,
    Indicator,
    Level,
    UncertaintyOptions,
)
from pipeline.scoring.tiers import parse_ladder

TOP = {"methodology", "indices", "size_bands", "level", "indicator", "aggregate", "uncertainty", "explanation",
       "disclosure", "ladder", "tier", "tier_rule"}


LEVEL_SPEC = {"name": str, "imputation": IMPUTATIONS, "imputation_group": str, "neighbours": 5.0,
              "outliers": OUTLIERS, "winsor_max": 5.0, "skew_threshold": 2.0, "kurtosis_threshold": 3.5,
              "normalisation": NORMALISATIONS, "low": 0.0, "high": 100.0, "scale": 100.0, "weights": WEIGHTINGS,
              "aggregation": AGGREGATIONS, "power": 1.0, "min_coverage": 0.0}
IND_SPEC = {"code": str, "name": str, "name_zh": str, "parent": str, "direction": 1.0, "unit": str, "source": str,
            "denominator": str, "scale": 1.0, "growth": GROWTHS, "growth_years": 1.0, "weight": 1.0, "target": 1.0,
            "goalposts": list, "description": str}
AGG_SPEC = {"code": str, "name": str, "name_zh": str, "level": str, "parent": str, "weight": 1.0,
            "description": str}


def parse(text: str, source: str) -> dict[str, Any]:
    """The keyword arguments of :class:`Methodology` (less hash and source), or ``MethodologyInvalid``."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # its message names the line and column
        raise MethodologyInvalid(f"{source}: not valid TOML: {exc}") from None
    probs = Problems(Lines(text))
    for key in sorted(set(doc) - TOP):
        probs.add(key, None, None, f"[{key}]", "unknown table")
    meta = check(table_of(doc, "methodology", probs), {"name": str, "name_zh": str, "description": str,
                                                      "min_coverage": 0.5}, probs, "methodology", None,
                  "[methodology]")
    min_coverage = float(meta.get("min_coverage", 0.5))
    if not 0 <= min_coverage <= 1:
        probs.add("methodology", None, "min_coverage", "[methodology]",
                  f"must be between 0 and 1, found {min_coverage}")
    levels = _levels(doc, probs)
    indicators = _indicators(doc, probs)
    if "aggregate" not in doc and all(not i.parent for i in indicators):
        if "level" not in doc:
            levels = levels[:1] + levels[-1:]  # the shortest form: indicators straight into one index
        if len(levels) == 2:
            indicators = [replace(i, parent="index") for i in indicators]
    aggregates = _aggregates(doc, levels, indicators, probs)
    bands = check(table_of(doc, "size_bands", probs), {"small": 1e9, "large": 1e10}, probs, "size_bands", None,
                   "[size_bands]")
    unc = _uncertainty(doc, probs)
    expl = check(table_of(doc, "explanation", probs), {"strength_margin": 0.25, "max_items": 3.0, "peer_groups": 5.0,
                                                      "seed": 1.0, "strength_share": 1 / 3}, probs, "explanation",
                  None, "[explanation]")
    share = expl.get("strength_share", 1 / 3)
    if is_number(share) and not 0 < share <= 0.5:
        probs.add("explanation", None, "strength_share", "[explanation]",
                  f"{share!r} is not a share in (0, 0.5]: strengths lie in the top share, weaknesses in the bottom one")
    indices = _index_options(table_of(doc, "indices", probs), probs)
    disclosure = _disclosure(doc, probs)
    ladder = parse_ladder(doc, probs)
    if probs:
        raise MethodologyInvalid(f"{source}: " + "; ".join(probs))
    return dict(
        name=str(meta.get("name", "")), name_zh=str(meta.get("name_zh", "")), min_coverage=min_coverage,
        levels=tuple(levels), indicators=tuple(indicators), aggregates=tuple(aggregates), indices=indices,
        size_small=float(bands.get("small", 1e9)), size_large=float(bands.get("large", 1e10)), uncertainty=unc,
        explanation=ExplanationOptions(**{k: (int(v) if k in ("max_items", "peer_groups", "seed") else float(v))
                                          for k, v in expl.items()}),
        disclosure=disclosure, ladder=ladder,
    )


def _disclosure(doc: dict, probs: Problems) -> DisclosureOptions:
    label = "[disclosure]"
    vals = check(table_of(doc, "disclosure", probs), {"min_contributors": 3.0, "dominance": list, "p_percent": 0.0,
                                                     "protection": 0.1, "symbol": str, "symbol_zh": str,
                                                     "method": ("gauss", "certificates"),
                                                     "scores": ("published", "withheld")},
                  probs, "disclosure", None, label)
    if "min_contributors" in vals:
        n = vals["min_contributors"]
        if n != int(n) or n < 1:
            probs.add("disclosure", None, "min_contributors", label, f"a whole number of firms, at least 1, not {n!r}")
        vals["min_contributors"] = int(n)
    if "dominance" in vals:
        rules = []
        for rule in vals["dominance"]:
            ok = (isinstance(rule, list) and len(rule) == 2 and all(is_number(v) for v in rule)
                  and rule[0] in (1, 2) and 0 < rule[1] <= 100)
            if not ok:
                probs.add("disclosure", None, "dominance", label, f"{rule!r} is not [n, k] with n 1 or 2 (the largest "
                          "one or two firms) and k a percentage in (0, 100]")
                continue
            rules.append((int(rule[0]), float(rule[1])))
        vals["dominance"] = tuple(rules)
    for key in ("p_percent", "protection"):
        if key in vals:
            if not 0 <= vals[key] < (100 if key == "p_percent" else 1):
                probs.add("disclosure", None, key, label, f"{vals[key]!r} is out of range ("
                          + ("a percentage in [0, 100)" if key == "p_percent" else "a share in [0, 1)") + ")")
            vals[key] = float(vals[key])
    return DisclosureOptions(**vals)


def _levels(doc: dict, probs: Problems) -> list[Level]:
    raw = doc.get("level")
    if raw is None:  # the short form: indicators (min-max) -> pillars -> index, arithmetic, equal coverage
        return [Level("indicator", normalisation="minmax"), Level("pillar"), Level("index")]
    levels = []
    for n, item in enumerate(raw):
        label = f"[[level]] {item.get('name', f'#{n + 1}')}"
        vals = check(item, LEVEL_SPEC, probs, "level", n, label)
        if "name" not in vals:
            probs.add("level", n, None, label, "name: missing")
            continue
        for key in ("neighbours", "winsor_max"):
            if key in vals:
                vals[key] = int(vals[key])
        if not 0 <= float(vals.get("min_coverage", 0)) <= 1:
            probs.add("level", n, "min_coverage", label, f"must be between 0 and 1, found {vals['min_coverage']}")
        if vals.get("imputation", "").startswith("group_") and "imputation_group" not in vals:
            probs.add("level", n, "imputation", label, "group imputation needs imputation_group (a column of groups)")
        if n == 0 and "normalisation" not in vals:
            vals["normalisation"] = "minmax"
        levels.append(Level(**vals))
    if len(levels) < 2 and not probs:
        probs.add("level", 0, None, "[[level]]", "at least two levels are needed (indicators and the index)")
    return levels


def _indicators(doc: dict, probs: Problems) -> list[Indicator]:
    out: list[Indicator] = []
    seen: set[str] = set()
    for n, item in enumerate(doc.get("indicator", [])):
        code = item.get("code")
        label = f"[[indicator]] {code}" if isinstance(code, str) and code else f"[[indicator]] #{n + 1}"
        vals = check(item, IND_SPEC, probs, "indicator", n, label)
        if "code" not in vals:
            probs.add("indicator", n, None, label, "code: missing")
            continue
        if code in seen:
            probs.add("indicator", n, "code", label, "the code is used twice")
        seen.add(code)
        if "source" not in vals:
            probs.add("indicator", n, None, label, "source: missing (the reported or derived variable to use)")
            continue
        direction = vals.pop("direction", 1)
        if direction not in (1, -1):
            probs.add("indicator", n, "direction", label, f"must be 1 or -1, found {direction!r}")
        if float(vals.get("weight", 1)) < 0:
            probs.add("indicator", n, "weight", label, f"must be a number >= 0, found {vals['weight']!r}")
        goal = vals.pop("goalposts", None)
        if goal is not None and (len(goal) != 2 or not all(is_number(g) for g in goal) or goal[0] >= goal[1]):
            probs.add("indicator", n, "goalposts", label, f"expected [low, high] with low < high, found {goal!r}")
            goal = None
        growth = vals.get("growth")
        years = int(vals.pop("growth_years", 3 if growth == "cagr" else 1))
        if years < 1:
            probs.add("indicator", n, "growth_years", label, f"must be at least 1, found {years}")
        out.append(Indicator(
            code=code, name=str(vals.get("name", code)), name_zh=str(vals.get("name_zh", vals.get("name", code))),
            parent=str(vals.get("parent", "")), direction=int(direction) if direction in (1, -1) else 1,
            unit=str(vals.get("unit", "")), source=vals["source"], denominator=vals.get("denominator"),
            scale=float(vals.get("scale", 1.0)), growth=growth, growth_years=years,
            weight=float(vals.get("weight", 1.0)), target=None if vals.get("target") is None else float(vals["target"]),
            goalposts=None if goal is None else (float(goal[0]), float(goal[1])),
            description=str(vals.get("description", "")),
        ))
    if not out and not probs:
        probs.add("indicator", 0, None, "[[indicator]]", "the methodology lists no indicators")
    return out


def _aggregates(doc: dict, levels: list[Level], indicators: list[Indicator], probs: Problems) -> list[Aggregate]:
    names = [lv.name for lv in levels]
    raw = doc.get("aggregate")
    if raw is None and levels:  # short form: pillars named by the indicators' parents, under one index
        pillars = list(dict.fromkeys(i.parent for i in indicators))
        if len(names) == 2:
            return [Aggregate("index", "Index", "综合指数", names[-1], None)]
        if len(names) != 3:
            probs.add("aggregate", 0, None, "[[aggregate]]", "list the aggregates when there are not three levels")
            return []
        return [Aggregate(p, p, p, names[1], names[2]) for p in pillars] + [
            Aggregate(names[2], "Index", "综合指数", names[2], None)]
    out: list[Aggregate] = []
    for n, item in enumerate(raw or []):
        code = item.get("code")
        label = f"[[aggregate]] {code}" if isinstance(code, str) else f"[[aggregate]] #{n + 1}"
        vals = check(item, AGG_SPEC, probs, "aggregate", n, label)
        if "code" not in vals or vals.get("level") not in names[1:]:
            probs.add("aggregate", n, "level" if "code" in vals else None, label,
                      f"needs a code and a level among {', '.join(names[1:])}")
            continue
        out.append(Aggregate(code, str(vals.get("name", code)), str(vals.get("name_zh", vals.get("name", code))),
                             vals["level"], vals.get("parent"), float(vals.get("weight", 1.0))))
    by_code = {a.code: a for a in out}
    roots = [a for a in out if a.parent is None]
    if len(roots) != 1 or (levels and roots and roots[0].level != names[-1]):
        probs.add("aggregate", 0, None, "[[aggregate]]", f"exactly one aggregate of level {names[-1]!r} has no parent")
    for n, a in enumerate(out):
        if a.parent is not None:
            parent = by_code.get(a.parent)
            if parent is None or names.index(parent.level) != names.index(a.level) + 1:
                probs.add("aggregate", n, "parent", f"[[aggregate]] {a.code}",
                          f"{a.parent!r} is not an aggregate of the level above {a.level!r}")
    for n, ind in enumerate(indicators):
        parent = by_code.get(ind.parent)
        if parent is None or parent.level != names[1]:
            probs.add("indicator", n, "parent", f"[[indicator]] {ind.code}",
                      f"{ind.parent!r} is not an aggregate of level {names[1]!r}")
    for n, a in enumerate(out):
        if not any(i.parent == a.code for i in indicators) and not any(b.parent == a.code for b in out):
            probs.add("aggregate", n, None, f"[[aggregate]] {a.code}", "has no children")
    return out


def _uncertainty(doc: dict, probs: Problems) -> UncertaintyOptions:
    spec = {"samples": 200.0, "seed": 1.0, "weight_spread": 0.25, "imputations": list, "normalisations": list,
            "aggregations": list}
    vals = check(table_of(doc, "uncertainty", probs), spec, probs, "uncertainty", None, "[uncertainty]")
    for key, choices in (("imputations", IMPUTATIONS), ("normalisations", NORMALISATIONS),
                         ("aggregations", AGGREGATIONS)):
        bad = [v for v in vals.get(key, []) if v not in choices]
        if bad or (key in vals and not vals[key]):
            probs.add("uncertainty", None, key, "[uncertainty]", f"{bad or 'an empty list'} not among {choices}")
        if key in vals:
            vals[key] = tuple(vals[key])
    if not 0 <= float(vals.get("weight_spread", 0.25)) < 1:
        probs.add("uncertainty", None, "weight_spread", "[uncertainty]", "must be in [0, 1)")
    if int(vals.get("samples", 200)) < 2:
        probs.add("uncertainty", None, "samples", "[uncertainty]", "at least 2 samples")
    for key in ("samples", "seed"):
        if key in vals:
            vals[key] = int(vals[key])
    return UncertaintyOptions(**vals)


def _index_options(table: dict, probs: Problems) -> IndexOptions:
    defaults = IndexOptions()
    values: dict[str, object] = {}
    for key, choices in INDEX_CHOICES.items():
        value = table.get(key, getattr(defaults, key))
        if value not in choices:
            probs.add("indices", None, key, "[indices]", f"{value!r} is not one of {', '.join(choices)}")
        values[key] = value
    for key in ("lq_threshold", "strong_lq_percentile", "strong_size_percentile"):
        value = table.get(key, getattr(defaults, key))
        if not is_number(value) or value < 0:
            probs.add("indices", None, key, "[indices]", f"expected a number >= 0, found {value!r}")
            value = getattr(defaults, key)
        values[key] = float(value)
    for key in ("strong_lq_percentile", "strong_size_percentile"):
        if not 0 <= float(values[key]) <= 100:  # type: ignore[arg-type]
            probs.add("indices", None, key, "[indices]", f"a percentile between 0 and 100, found {values[key]}")
    zones = table.get("zones", [])
    if not isinstance(zones, list) or not all(isinstance(z, str) for z in zones):
        probs.add("indices", None, "zones", "[indices]", f"expected a list of region codes, found {zones!r}")
        zones = []
    known = set(INDEX_CHOICES) | {"lq_threshold", "strong_lq_percentile", "strong_size_percentile", "zones"}
    for key in sorted(set(table) - known):
        probs.add("indices", None, key, "[indices]", "unknown option")
    return IndexOptions(zones=tuple(zones), **values)  # type: ignore[arg-type]
