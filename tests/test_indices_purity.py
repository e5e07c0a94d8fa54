"""pipeline/indices stays pure: no IO modules (STYLE.md, "IO lives at the edges")."""

import ast
from pathlib import Path

FORBIDDEN = {"duckdb", "streamlit", "os"}
INDICES = Path(__file__).resolve().parents[1] / "pipeline" / "indices"


def test_indices_import_no_io_modules():
    found = []
    for path in sorted(INDICES.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            found += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert list(INDICES.glob("*.py")), "no modules found: wrong path?"
    assert found == []
