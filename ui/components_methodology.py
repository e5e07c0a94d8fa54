"""The methodology as the Methodology page shows it: the framework as a tree, the indicators with their weights,
the options of each level, and an edited copy's pillar weights (proposing it: :mod:`ui.components_proposals`)."""

from __future__ import annotations

import polars as pl

from pipeline.scoring import Methodology
from ui.i18n import lang, money_word, t
from ui.labels import OPTIONS_EN, OPTIONS_ZH, UNITS_ZH


def option(value: str) -> str:
    """A methodology option value (minmax, arithmetic, dunn ...) in the current language."""
    return OPTIONS_ZH.get(value, value) if lang() == "zh" else OPTIONS_EN.get(value, value)


def _name(node: object) -> str:
    zh, en = getattr(node, "name_zh", ""), getattr(node, "name", "")
    return (zh or en) if lang() == "zh" else (en or zh)


def tree_dot(m: Methodology) -> str:
    """The hierarchy index -> pillars -> indicators as a Graphviz graph (left to right)."""
    esc = lambda s: str(s).replace('"', r"\"")  # noqa: E731
    lines = ['digraph { rankdir=LR; nodesep=0.06; ranksep=0.5; node [shape=box, style="rounded,filled", '
             'fontname="Noto Sans CJK SC", fontsize=10, height=0.3, margin="0.08,0.03"]; edge [color="#8a99a8", '
             'arrowsize=0.5];']
    for a in m.aggregates:
        fill = "#0b3d62" if a.parent is None else "#dce6f1"
        font = "white" if a.parent is None else "#1b2733"
        lines.append(f'"{esc(a.code)}" [label="{esc(_name(a))}", fillcolor="{fill}", fontcolor="{font}"];')
        if a.parent:
            lines.append(f'"{esc(a.parent)}" -> "{esc(a.code)}";')
    for i in m.indicators:
        arrow = "↑" if i.direction > 0 else "↓"
        lines.append(f'"{esc(i.code)}" [label="{esc(_name(i))} {arrow}", fillcolor="#f4f6f8"];')
        lines.append(f'"{esc(i.parent)}" -> "{esc(i.code)}";')
    lines.append("}")
    return "\n".join(lines)


def effective_weights(m: Methodology) -> dict[str, float]:
    """Each node's weight within its parent as the methodology applies it (equal weights split evenly; manual
    weights normalised to sum 1; PCA/FA weights are computed from the data at build time: None)."""
    out: dict[str, float] = {}
    for k in range(1, len(m.levels)):
        how = m.levels[k].weights
        for parent in m.members(k):
            kids = [m.node(c) for c in m.children(parent)]
            if not kids:
                continue
            if how == "equal":
                out |= {kid.code: 1 / len(kids) for kid in kids}
            elif how == "manual":
                total = sum(kid.weight for kid in kids) or 1.0
                out |= {kid.code: kid.weight / total for kid in kids}
    return out


def indicator_table(m: Methodology) -> pl.DataFrame:
    weights = effective_weights(m)
    rows = []
    for i in m.indicators:
        parent = m.node(i.parent)
        formula = i.source + (f" / {i.denominator}" if i.denominator else "") + (
            f" × {i.scale:g}" if i.scale != 1 else "") + (f" ({t('growth_' + i.growth)})" if i.growth else "")
        rows.append({t("pillar"): _name(parent), t("indicator"): _name(i), t("code"): i.code,
                     t("direction"): "↑" if i.direction > 0 else "↓",
                     t("unit"): UNITS_ZH.get(i.unit, i.unit) if lang() == "zh" else i.unit, t("formula"): formula,
                     t("weight_in_pillar"): weights.get(i.code),
                     t("weight_in_index"): (weights.get(i.code) or 0) * (weights.get(i.parent) or 0) or None})
    return pl.DataFrame(rows)


def levels_table(m: Methodology) -> pl.DataFrame:
    return pl.DataFrame([{t("level"): option(lv.name), t("imputation"): option(lv.imputation),
                          t("outliers"): option(lv.outliers), t("normalisation"): option(lv.normalisation),
                          t("weighting"): option(lv.weights), t("aggregation"): option(lv.aggregation),
                          t("min_coverage"): lv.min_coverage} for lv in m.levels])


def options_facts(m: Methodology, zone_names: dict[str, str]) -> list[tuple[str, str]]:
    u, ix = m.uncertainty, m.indices
    return [
        (t("opt_screening"), f"{m.min_coverage:.0%}"),
        (t("opt_reference"), t(f"reference_{ix.reference}")), (t("opt_lq_threshold"), f"{ix.lq_threshold:g}"),
        (t("opt_krugman"), option(ix.krugman_against)), (t("opt_theil"), option(ix.theil_kind)),
        (t("opt_strong"), t("opt_strong_value", lq=f"{ix.strong_lq_percentile:g}",
                            size=f"{ix.strong_size_percentile:g}")),
        (t("opt_zones"), ", ".join(zone_names.get(z, z) for z in ix.zones) or "–"),
        (t("opt_shift_share"), option(ix.shift_share_method)),
        (t("opt_size_bands"), f"{m.size_small / 1e8:,.0f} / {m.size_large / 1e8:,.0f} 亿{money_word()}"
         if lang() == "zh" else f"{m.size_small / 1e9:,.0f} / {m.size_large / 1e9:,.0f} bn {money_word()}"),
        (t("opt_uncertainty"), t("opt_uncertainty_value", samples=u.samples, spread=f"{u.weight_spread:.0%}",
                                 norms=", ".join(map(option, u.normalisations)),
                                 aggs=", ".join(map(option, u.aggregations)))),
    ]


def with_pillar_weights(text: str, m: Methodology, weights: dict[str, float]) -> str:
    """The methodology text with the pillars' weights set to ``weights`` (code -> weight) and the level above them
    switched to manual weights; everything else (comments included) is kept as written."""
    parent_level = next((a.level for a in m.aggregates if a.parent is None), None)
    lines = text.splitlines()
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if not block:
            return
        head = block[0].strip()
        body = "\n".join(block)
        if head == "[[aggregate]]":
            code = next((ln.split("=", 1)[1].strip().strip('"') for ln in block if ln.strip().startswith("code")),
                        None)
            if code in weights:
                kept = [ln for ln in block if not ln.strip().startswith("weight ") and
                        not ln.strip().startswith("weight=")]
                at = next(i for i, ln in enumerate(kept) if ln.strip().startswith("code")) + 1
                kept.insert(at, f"weight = {weights[code]:g}")
                block[:] = kept
        elif head == "[[level]]" and f'name = "{parent_level}"' in body.replace("'", '"'):
            kept = [ln if not ln.strip().startswith("weights") else
                    'weights = "manual"           # pillar weights set on the Methodology page' for ln in block]
            if not any(ln.strip().startswith("weights") for ln in block):
                kept.insert(1 + next(i for i, ln in enumerate(block[1:]) if ln.strip().startswith("name")),
                            'weights = "manual"')
            block[:] = kept
        out.extend(block)
        block.clear()

    for line in lines:
        if line.strip().startswith("[") and not line.strip().startswith("#"):
            flush()
        block.append(line)
    flush()
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def pillar_weights(m: Methodology) -> dict[str, float]:
    """Each pillar's weight as the methodology applies it (equal weights shown as 1 each)."""
    root = m.root
    level = next(lv for lv in m.levels if lv.name == m.node(root).level)  # type: ignore[union-attr]
    kids = [m.node(c) for c in m.children(root)]
    return {k.code: (k.weight if level.weights == "manual" else 1.0) for k in kids}
