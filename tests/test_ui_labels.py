"""Every label the app shows exists in Chinese and English, and the pages follow the thin-page rules."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from ui.catalog import INDICES
from ui.labels import CATEGORIES_ZH, LABELS, OPTIONS_ZH, QUADRANTS_ZH, RULES_ZH

UI = Path(__file__).resolve().parents[1] / "ui"
CJK = re.compile(r"[\u4e00-\u9fff]")


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in UI.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r'\bt\("([a-z0-9_]+)"', text))
        keys |= set(re.findall(r'(?:title_key|caption_key)="([a-z0-9_]+)"', text))
        keys |= set(re.findall(r'c\.page\("([a-z0-9_]+)"', text))
        keys |= set(re.findall(r'"((?:view|sort|nav|tab)_[a-z_]+)"', text))
    return keys


def test_every_label_the_pages_use_exists():
    missing = sorted(k for k in used_keys() if k not in LABELS)
    assert not missing, f"labels without a translation: {missing}"


def test_dynamic_labels_exist():
    from pipeline.ingest.report import RULES

    dynamic = [f"{x}_tier" for x in ("mainstay", "emerging")] + [
        f"job_{s}" for s in ("queued", "running", "succeeded", "unchanged", "failed")] + [
        f"trigger_{s}" for s in ("manual", "upload", "schedule")] + [
        f"treatment_{s}" for s in ("winsorised_high", "winsorised_low", "log_transformed")] + [
        f"axis_{a}" for a in ("lq_change", "employment_growth")] + [
        f"ss_{k}{h}" for k in ("change", "national_share", "industry_mix", "competitive") for h in ("", "_help")] + [
        f"compare_{m}" for m in ("clusters", "cities")] + ["reference_internal", "strength", "weakness"]
    assert not [k for k in dynamic if k not in LABELS]
    core = ["unknown_column", "missing_column", "not_a_number", "not_a_year", "empty_cell", "code_format",
            "unknown_code", "negative_value", "future_year", "duplicate_key", "no_measure"]
    assert not [r for r in core if r not in RULES_ZH], "validation rules without a Chinese meaning"
    untranslated = [r for r in RULES if r not in RULES_ZH]  # rules added later show their English meaning
    assert len(untranslated) <= len(RULES) // 10, f"add Chinese meanings to ui/labels.py RULES_ZH: {untranslated}"
    assert set(QUADRANTS_ZH) == {"Star", "Mature", "Emerging", "Transforming"}
    assert {"none", "minmax", "arithmetic", "equal", "manual"} <= set(OPTIONS_ZH) and CATEGORIES_ZH


def test_chinese_labels_are_chinese_and_english_ones_are_not():
    for key, (en, zh) in LABELS.items():
        assert not CJK.search(en), f"{key}: Chinese in the English label"
        if en.strip() and not re.fullmatch(r"[\W\d{}_a-zA-Z%]*", zh):
            continue
        assert CJK.search(zh) or not re.search(r"[a-zA-Z]{4,}", zh.replace("{", "").replace("}", "")) or \
            key in {"partition_note"}, f"{key}: the Chinese label looks English: {zh!r}"
    for info in INDICES:
        assert CJK.search(info.name_zh) and CJK.search(info.definition_zh) and info.formula


def test_pages_are_thin():
    """One file per page, ~150 lines at most, no SQL and no DuckDB in pages (STYLE.md: Streamlit kept thin)."""
    for path in (UI / "views").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 150, f"{path.name} has {len(text.splitlines())} lines"
        tree = ast.parse(text)
        imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
            a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not {m for m in imported if m.startswith(("duckdb", "warehouse.db"))}, path.name
        assert not re.search(r"\bselect\b.+\bfrom\b", text, re.IGNORECASE | re.DOTALL) or "st.selectbox" in text


def test_format_funcs_never_read_the_session_language_late():
    """A widget's format_func is called outside the script by Streamlit's test harness: pages pass labels computed
    in the script thread (``labels_for``) or plain dict lookups, never ``t``, ``lang`` or a lambda calling them."""
    for path in UI.rglob("*.py"):
        for match in re.finditer(r"format_func=([^,)\n]+)", path.read_text(encoding="utf-8")):
            func = match.group(1)
            late = func.startswith("lambda") and re.search(r"\bt\(|lang\(|measure|tier|name", func)
            assert not late and not func.startswith(("t,", "measure", "tier", "band")), f"{path.name}: {func}"
