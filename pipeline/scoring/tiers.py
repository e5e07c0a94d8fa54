"""The cultivation ladder (issue 20): tiers a cluster is recognised at, each with rules over its indicators, read from
the methodology file (``[ladder]``, ``[[tier]]``, ``[[tier_rule]]``), and each cluster's standing against them.

A rule compares one value of a cluster in a year with a threshold: an indicator of the cluster-indicators kind
(``output_value``), a share (``indicator / denominator``: ``sme_output / output_value``), or the growth of either on
the year before (``growth = true``). With ``years = n`` it must hold in each of the n consecutive years ending with
the year evaluated. **A missing year counts as not met**: the national rules ask for the figures of each year, so a
gap is not evidence of meeting them; the rule's ``missing_years`` names the gap, so an officer sees a data problem,
not a decline. A growth needs the year before too (it is missing when that is missing or not positive).

:func:`evaluate` gives each rule's result per cluster and year: met or not, the value and how far it is from the
threshold (in the indicator's unit and in % of the threshold; positive: on the passing side), the consecutive years
met, the missing years, and the evidence (each year's value). :func:`standing` turns them into each cluster's status
against the tier it holds: ``promotion`` (meets every rule of a higher tier: the highest such is named), ``meets``,
``at_risk`` (meets every rule of its tier, one within ``risk_margin`` of its threshold), ``below`` (fails a rule of
its tier) or ``unrecognised`` (holds no tier and meets none).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipeline.scoring._toml import Problems, check, is_number

COMPARISONS = ("at_least", "above", "at_most", "below")
TOLERANCE = 1e-12  # relative, floating-point noise (as warehouse.compare): this close to the threshold is at it


@dataclass(frozen=True)
class TierRule:
    """One rule of a tier: ``indicator`` (over ``denominator``; its growth) compared with ``threshold`` in each of
    the last ``years`` years."""

    tier: str
    code: str
    name: str
    name_zh: str
    indicator: str
    threshold: float
    comparison: str = "at_least"
    denominator: str | None = None
    growth: bool = False
    years: int = 1
    unit: str = ""

    def passes(self, value: float) -> bool:
        """Whether ``value`` meets the rule; a value within :data:`TOLERANCE` of the threshold equals it (a growth of
        4.4 on 4.0 is 0.10000000000000009 in floating point: exactly 10%, not above it)."""
        d = self.distance(value)
        at = abs(d) <= TOLERANCE * max(1.0, abs(self.threshold))
        return (d > 0 or at) if self.comparison in ("at_least", "at_most") else (d > 0 and not at)

    def distance(self, value: float) -> float:
        """How far ``value`` is from the threshold, positive on the passing side, in the value's unit."""
        return value - self.threshold if self.comparison in ("at_least", "above") else self.threshold - value


@dataclass(frozen=True)
class Tier:
    code: str
    name: str
    name_zh: str
    valid_years: int  # a recognition is valid this long, then re-reviewed
    source: str
    rules: tuple[TierRule, ...] = ()


@dataclass(frozen=True)
class Ladder:
    """The tiers, lowest first, and how close to a threshold counts as at risk."""

    tiers: tuple[Tier, ...] = ()
    risk_margin: float = 0.10  # a rule met within 10% of its threshold puts its tier at risk
    filing_deadline: str = "04-30"  # the annual filing (month-day)

    def tier(self, code: str) -> Tier:
        return next(t for t in self.tiers if t.code == code)

    def rank(self, code: str | None) -> int:
        """0 for no tier, 1 for the lowest ..."""
        return 0 if code is None else 1 + [t.code for t in self.tiers].index(code)

    @property
    def rules(self) -> tuple[TierRule, ...]:
        return tuple(r for t in self.tiers for r in t.rules)


TIER_SPEC = {"code": str, "name": str, "name_zh": str, "valid_years": 3.0, "source": str}
RULE_SPEC = {"tier": str, "code": str, "name": str, "name_zh": str, "indicator": str, "denominator": str,
             "growth": bool, "comparison": COMPARISONS, "threshold": 1.0, "years": 1.0, "unit": str}


def parse_ladder(doc: dict, probs: Problems, indicators: set[str] | None = None) -> Ladder:
    """The ``[ladder]``, ``[[tier]]`` and ``[[tier_rule]]`` tables of a methodology document; problems named by line.
    ``indicators``: the column names a rule may use (the cluster-indicators kind's measures), when known."""
    opts = check(doc.get("ladder", {}) if isinstance(doc.get("ladder", {}), dict) else {},
                 {"risk_margin": 0.1, "filing_deadline": str}, probs, "ladder", None, "[ladder]")
    margin = opts.get("risk_margin", 0.10)
    if not 0 <= margin < 1:
        probs.add("ladder", None, "risk_margin", "[ladder]", f"{margin!r} is not a share in [0, 1)")
    tiers: list[dict] = []
    for i, raw in enumerate(doc.get("tier", [])):
        label = f"[[tier]] {raw.get('code', i + 1)}"
        vals = check(raw, TIER_SPEC, probs, "tier", i, label)
        if not vals.get("code"):
            probs.add("tier", i, None, label, "needs a code")
            continue
        if any(t["code"] == vals["code"] for t in tiers):
            probs.add("tier", i, "code", label, f"{vals['code']!r} is defined twice")
            continue
        years = vals.get("valid_years", 3)
        if years != int(years) or years < 1:
            probs.add("tier", i, "valid_years", label, f"a whole number of years, at least 1, not {years!r}")
        tiers.append(vals | {"valid_years": int(years), "rules": []})
    codes = [t["code"] for t in tiers]
    for i, raw in enumerate(doc.get("tier_rule", [])):
        label = f"[[tier_rule]] {raw.get('code', i + 1)}"
        vals = check(raw, RULE_SPEC, probs, "tier_rule", i, label)
        for key in ("tier", "code", "indicator", "threshold"):
            if key not in vals:
                probs.add("tier_rule", i, None, label, f"needs {key}")
        if vals.get("tier") not in codes:
            probs.add("tier_rule", i, "tier", label,
                      f"{vals.get('tier')!r} is not a [[tier]] code ({', '.join(codes) or 'none is defined'})")
            continue
        for key in ("indicator", "denominator"):
            if indicators is not None and key in vals and vals[key] not in indicators:
                probs.add("tier_rule", i, key, label, f"{vals[key]!r} is not a cluster indicator; use one of "
                          f"{', '.join(sorted(indicators))}")
        years = vals.get("years", 1)
        if not is_number(years) or years != int(years) or not 1 <= years <= 20:
            probs.add("tier_rule", i, "years", label, f"a whole number of consecutive years, 1 to 20, not {years!r}")
            continue
        if "indicator" in vals and "threshold" in vals and "code" in vals:
            tier = next(t for t in tiers if t["code"] == vals["tier"])
            tier["rules"].append(TierRule(
                tier=vals["tier"], code=vals["code"], name=vals.get("name", vals["code"]),
                name_zh=vals.get("name_zh", vals.get("name", vals["code"])), indicator=vals["indicator"],
                threshold=float(vals["threshold"]), comparison=vals.get("comparison", "at_least"),
                denominator=vals.get("denominator"), growth=bool(vals.get("growth", False)), years=int(years),
                unit=vals.get("unit", "")))
    return Ladder(tiers=tuple(Tier(t["code"], t.get("name", t["code"]), t.get("name_zh", t.get("name", t["code"])),
                                   t["valid_years"], t.get("source", ""), tuple(t["rules"])) for t in tiers),
                  risk_margin=float(margin), filing_deadline=str(opts.get("filing_deadline", "04-30")))


def rule_values(values: pl.DataFrame, rule: TierRule) -> pl.DataFrame:
    """The value a rule compares, per cluster and year: ``values`` has cluster_code, year and one column per
    indicator (a cluster's total in the year). A share or growth with a missing or non-positive part is null."""
    num = pl.col(rule.indicator) if rule.indicator in values.columns else pl.lit(None, pl.Float64)
    if rule.denominator:
        den = pl.col(rule.denominator) if rule.denominator in values.columns else pl.lit(None, pl.Float64)
        num = pl.when(den > 0).then(num / den)
    out = values.select("cluster_code", "year", num.cast(pl.Float64).alias("value"))
    if rule.growth:
        before = out.with_columns(pl.col("year") + 1).rename({"value": "before"})
        out = (out.join(before, on=["cluster_code", "year"], how="left")
               .with_columns(pl.when(pl.col("before") > 0).then(pl.col("value") / pl.col("before") - 1)
                             .alias("value")).drop("before"))
    return out


def evaluate(values: pl.DataFrame, ladder: Ladder, years: list[int]) -> pl.DataFrame:
    """Every rule's result per cluster and evaluated year (see the module's docstring); one row per cluster x year
    x rule, for the clusters of ``values``."""
    clusters = values.get_column("cluster_code").unique().sort().to_list()
    rows = []
    for rule in ladder.rules:
        series = {(c, y): v for c, y, v in rule_values(values, rule).iter_rows()}
        for cluster in clusters:
            for year in years:
                window = list(range(year - rule.years + 1, year + 1))
                got = [series.get((cluster, y)) for y in window]
                passed = [v is not None and rule.passes(v) for v in got]
                run = 0
                for ok in reversed(passed):
                    if not ok:
                        break
                    run += 1
                value = got[-1]
                distance = rule.distance(value) if value is not None else None
                rows.append({
                    "cluster_code": cluster, "year": year, "tier": rule.tier, "rule": rule.code,
                    "value": value, "threshold": rule.threshold, "comparison": rule.comparison,
                    "met": all(passed), "distance": distance,
                    "distance_pct": distance / abs(rule.threshold) if distance is not None and rule.threshold else None,
                    "years_needed": rule.years, "years_met": run,
                    "missing_years": [y for y, v in zip(window, got, strict=True) if v is None],
                    "evidence": [{"year": y, "value": v, "passed": ok} for y, v, ok in zip(window, got, passed,
                                                                                            strict=True)],
                })
    schema = {"cluster_code": pl.String, "year": pl.Int64, "tier": pl.String, "rule": pl.String,
              "value": pl.Float64, "threshold": pl.Float64, "comparison": pl.String, "met": pl.Boolean,
              "distance": pl.Float64, "distance_pct": pl.Float64, "years_needed": pl.Int64, "years_met": pl.Int64,
              "missing_years": pl.List(pl.Int64),
              "evidence": pl.List(pl.Struct({"year": pl.Int64, "value": pl.Float64, "passed": pl.Boolean}))}
    return pl.DataFrame(rows, schema=schema)


def standing(results: pl.DataFrame, held: pl.DataFrame, ladder: Ladder) -> pl.DataFrame:
    """Each cluster's status per year from :func:`evaluate`'s ``results`` and ``held`` (cluster_code, year, tier:
    the tier it holds that year, null for none): status, the tier it holds, the highest tier whose every rule it
    meets (``qualifies``), and the rules of its own tier failed or at risk."""
    out = []
    held_at = {(c, y): t for c, y, t in held.select("cluster_code", "year", "tier").iter_rows()}
    grouped: dict[tuple[str, int], list[dict]] = {}
    for row in results.iter_rows(named=True):
        grouped.setdefault((row["cluster_code"], row["year"]), []).append(row)
    for (cluster, year), rows in sorted(grouped.items()):
        tier = held_at.get((cluster, year))
        # a tier without rules is held by recognition only: no cluster qualifies for it by its figures
        met = {t.code: bool(t.rules) and all(r["met"] for r in rows if r["tier"] == t.code) for t in ladder.tiers}
        qualifies = max((t.code for t in ladder.tiers if met[t.code]), key=ladder.rank, default=None)
        own = [r for r in rows if r["tier"] == tier]
        failed = [r["rule"] for r in own if not r["met"]]
        close = [r["rule"] for r in own if r["met"] and r["distance_pct"] is not None
                 and r["distance_pct"] < ladder.risk_margin]
        if ladder.rank(qualifies) > ladder.rank(tier):
            status = "promotion"
        elif tier is None:
            status = "unrecognised"
        elif failed:
            status = "below"
        elif close:
            status = "at_risk"
        else:
            status = "meets"
        out.append({"cluster_code": cluster, "year": year, "tier": tier, "status": status, "qualifies": qualifies,
                    "failed": failed, "at_risk": close})
    return pl.DataFrame(out, schema={"cluster_code": pl.String, "year": pl.Int64, "tier": pl.String,
                                     "status": pl.String, "qualifies": pl.String, "failed": pl.List(pl.String),
                                     "at_risk": pl.List(pl.String)})


__all__ = ["COMPARISONS", "TOLERANCE", "Ladder", "Tier", "TierRule", "evaluate", "parse_ladder", "rule_values",
           "standing"]
