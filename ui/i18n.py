"""Labels in Chinese and English. ``t(key)`` returns the label in the session's language (Chinese by default)."""

from __future__ import annotations

from typing import Any

import streamlit as st

LANGS = {"zh": "中文", "en": "English"}

LABELS: dict[str, tuple[str, str]] = {
    # key: (English, Chinese)
    "app_title": ("Cluster statistics and performance evaluation", "产业集群统计与绩效评价"),
    "language": ("Language", "语言"),
    "nav_overview": ("Overview", "总览"),
    "nav_scorecard": ("Cluster scorecard", "集群评价卡"),
    "nav_upload": ("Upload data", "数据上报"),
    "synthetic_banner": (
        "Synthetic demo data: generated for demonstration, not official statistics.",
        "演示数据为合成数据，仅供演示，并非官方统计数据。",
    ),
    "local_mode": (
        "Demo mode: single user on this machine, no accounts.",
        "演示模式：仅限本机单用户使用，未启用账户。",
    ),
    "no_data": (
        "There is no data yet. Upload dictionaries and records on the Upload page (or run `clusterstats demo`), "
        "then rebuild.",
        "尚无数据。请在“数据上报”页上传字典和数据（或运行 `clusterstats demo`），然后重新计算。",
    ),
    "no_scores": (
        "No cluster scores yet: upload cluster indicators and rebuild.",
        "尚无集群评分：请上传集群指标数据并重新计算。",
    ),
    "stale_build": (
        "The warehouse was built by another version of clusterstats. Rebuild it: `clusterstats recompute` "
        "(or restart with `clusterstats serve`, which rebuilds it).",
        "数据仓库由其他版本的 clusterstats 生成，请重新计算：运行 `clusterstats recompute`"
        "（或用 `clusterstats serve` 重启，将自动重新计算）。",
    ),
    "build": ("Build {build_id} of {built_at}", "计算批次 {build_id}（{built_at}）"),
    "year": ("Year", "年份"),
    "clusters": ("Clusters", "产业集群"),
    "emerging": ("Emerging clusters", "新兴产业集群"),
    "cluster_output": ("Cluster output", "集群总产值"),
    "cluster_employment": ("Cluster employment", "集群从业人员"),
    "median_score": ("Median score", "评分中位数"),
    "size_bands": ("Clusters by output size", "集群规模分布"),
    "size_band": ("Size band", "规模档次"),
    "share": ("Share", "占比"),
    "top_clusters": ("Top clusters by composite score", "综合评分前列的集群"),
    "cluster": ("Cluster", "集群"),
    "tier": ("Tier", "类型"),
    "category": ("Category", "产业类别"),
    "lead_region": ("Lead city", "所在城市"),
    "score": ("Score", "综合评分"),
    "rank": ("Rank", "排名"),
    "rank_of": ("{rank} of {n}", "第 {rank} / {n} 名"),
    "output": ("Output", "总产值"),
    "indicators": ("Indicators", "评价指标"),
    "indicator": ("Indicator", "指标"),
    "pillar": ("Pillar", "维度"),
    "raw_value": ("Value", "原始值"),
    "unit": ("Unit", "单位"),
    "normalised": ("Normalised (0-100)", "标准化得分（0-100）"),
    "median": ("Median of clusters", "全部集群中位数"),
    "percentile": ("Percentile", "百分位"),
    "weight": ("Weight", "权重"),
    "direction": ("Direction", "方向"),
    "lq_by_city": ("Location quotient by city", "各城市区位熵"),
    "measure": ("Measure", "指标口径"),
    "lq": ("Location quotient", "区位熵"),
    "city": ("City", "城市"),
    "trend": ("Trend", "趋势"),
    "firm_concentration": ("Firm concentration", "企业集中度"),
    "firms": ("Firms", "企业数"),
    "hhi_normalised": ("HHI normalised", "标准化HHI"),
    "equivalent_number": ("Equivalent number of firms", "等效企业数"),
    "choose_cluster": ("Cluster", "选择集群"),
    "not_scored": ("Not scored this year: {note}", "本年度未评分：{note}"),
    "methodology": ("Methodology {hash}", "评价方法版本 {hash}"),
    "upload_kind": ("What does the file hold?", "文件内容类型"),
    "upload_file": ("File (CSV, Excel or Parquet)", "文件（CSV、Excel 或 Parquet）"),
    "sheet": ("Excel sheet (empty: the first)", "Excel 工作表（留空：第一个）"),
    "report_title": ("Validation report", "校验报告"),
    "valid_preview": (
        "All {rows} rows are valid. Preview of what will land:", "全部 {rows} 行校验通过。将入库数据预览："
    ),
    "land": ("Land this upload", "确认入库"),
    "rebuild_after": ("Rebuild the warehouse after landing", "入库后重新计算"),
    "rebuild": ("Rebuild now", "立即重新计算"),
    "rebuilding": ("Rebuilding the warehouse…", "正在重新计算…"),
    "history": ("Upload history", "上报记录"),
    "counts_per_rule": ("Problems per rule", "各规则问题数"),
    "landed": ("Landed", "已入库"),
    "kind": ("Kind", "类型"),
    "file": ("File", "文件"),
    "vintage": ("Vintage", "版本"),
    "rows": ("Rows", "行数"),
    "who": ("Who", "上报人"),
    "when": ("When", "时间"),
    "units_converted": ("Units converted", "单位换算"),
    "emerging_tier": ("emerging", "新兴"),
    "mainstay_tier": ("mainstay", "主导"),
    "yuan_e8": ("100 million yuan", "亿元"),
    "persons_e4": ("10,000 persons", "万人"),
}


SIZE_BANDS_ZH = {"under 1 billion": "10亿元以下", "1-10 billion": "10亿-100亿元", "over 10 billion": "100亿元以上"}


PILLARS_ZH = {"scale": "规模", "growth": "成长", "innovation": "创新", "efficiency": "效益", "openness": "开放",
              "agglomeration": "集聚", "talent": "人才", "other": "其他"}
CATEGORIES_ZH = {
    "equipment manufacturing": "装备制造", "chemical engineering": "石化化工",
    "agricultural products processing": "农产品加工", "raw materials deep processing": "原材料深加工",
    "new energy": "新能源", "new materials": "新材料", "new medicines": "生物医药",
    "electronic information and software": "电子信息和软件", "environmental protection": "节能环保",
}


def measure(code: str) -> str:
    """A measure's column title (from the upload schemas) in the current language."""
    from schemas import KINDS

    for kind in ("regional-industry", "cluster-indicators", "firms"):
        col = KINDS[kind].columns.get(code)
        if col is not None:
            return col.title_zh if lang() == "zh" else col.title
    return code


def pillar(code: str) -> str:
    return PILLARS_ZH.get(code, code) if lang() == "zh" else code


def category(text: str) -> str:
    """A cluster category in the current language (known categories only; others as uploaded)."""
    return CATEGORIES_ZH.get(text, text) if lang() == "zh" else text


def band(label: str | None) -> str:
    """A size band (stored in English) in the current language."""
    if not label:
        return "–"
    return SIZE_BANDS_ZH.get(label, label) if lang() == "zh" else label.replace("billion", "bn yuan")


def lang() -> str:
    return st.session_state.get("lang", "zh")


def t(key: str, **fmt: Any) -> str:
    """The label ``key`` in the current language, formatted with ``fmt``."""
    en, zh = LABELS.get(key, (key, key))
    text = zh if lang() == "zh" else en
    return text.format(**fmt) if fmt else text


def name_of(row: dict[str, Any], base: str = "name") -> str:
    """A record's name in the current language (the Chinese name when no English one is given)."""
    if lang() == "en" and row.get(f"{base}_en"):
        return str(row[f"{base}_en"])
    return str(row.get(base) or "")
