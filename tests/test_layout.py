"""The layout of the code: stages in layers, imports pointing one way, no circles (ARCHITECTURE.md, "Layout of the
code").

Every module of ``pipeline/``, ``schemas/``, ``warehouse/`` and ``ui/`` belongs to one stage, and :data:`LAYERS` is
the one place that says which stage may import which: a stage imports its own modules and the stages of the layers
below it, never a stage of its own layer or of a layer above (where a lower stage must trigger a higher one, it takes
a callable or writes an event row in ops.sqlite). Imports are read from the source, function-level imports included,
so a lazy import cannot hide a circle.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("pipeline", "schemas", "warehouse", "ui")

#: layer -> the stages in it; a stage may import the stages of lower layers (and itself) only.
LAYERS: list[tuple[str, ...]] = [
    ("pipeline.core",),  # settings, errors, messages, ops store, files, safety: imported by all
    ("schemas", "warehouse"),  # upload kinds (pandera); every SQL file and DuckDB call
    ("pipeline.ingest", "pipeline.indices", "pipeline.scoring", "pipeline.access"),
    ("pipeline.marts", "pipeline.reports"),  # what a build computes; exports and templates
    ("pipeline.jobs",),  # recompute, queue, worker, schedules, change reports, recovery
    ("pipeline.publishing",),  # submissions reviewed, releases frozen, approved, revised
    ("pipeline.api",),  # the read-only open-data API over published releases
    ("pipeline.demo",),  # demo data, synthetic files at scale, the demo run
    ("pipeline.cli",),  # the command line: thin, over everything below
    ("ui",),  # the Streamlit app
]
LAYER_OF = {stage: i for i, stages in enumerate(LAYERS) for stage in stages}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


MODULES = _modules()


def stage_of(module: str) -> str | None:
    """The stage a module belongs to: the longest stage name that is the module or a package above it. The
    ``pipeline`` package's own ``__init__`` (its version) counts as a foundation."""
    if module == "pipeline":
        return "pipeline.core"
    matches = [s for s in LAYER_OF if module == s or module.startswith(s + ".")]
    return max(matches, key=len) if matches else None


def _resolve(name: str) -> str | None:
    """The project module an imported name lives in (``pipeline.ingest.upload.ingest_file`` -> the module)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str) -> list[tuple[int, str]]:
    """(line, project module) for every import in ``module``, at any depth of the code."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            targets = [f"{base}.{a.name}" for a in node.names]  # a submodule, or a name in ``base``
        else:
            continue
        for target in targets:
            resolved = _resolve(target)
            if resolved is not None and resolved != module:
                found.append((node.lineno, resolved))
    return found


EDGES = {m: imports_of(m) for m in MODULES}


def test_every_module_belongs_to_a_stage():
    """A new module lands in a stage's package, not loose in ``pipeline/``."""
    loose = sorted(m for m in MODULES if stage_of(m) is None)
    assert loose == [], f"modules outside every stage of LAYERS: {loose}"


def test_imports_point_down_the_layers():
    wrong = []
    for module, edges in EDGES.items():
        mine = stage_of(module)
        for line, target in edges:
            theirs = stage_of(target)
            if theirs == mine:
                continue
            if LAYER_OF[theirs] >= LAYER_OF[mine]:
                where = "its own layer" if LAYER_OF[theirs] == LAYER_OF[mine] else "a layer above"
                wrong.append(f"{module}:{line} imports {target} ({theirs}, {where} of {mine})")
    assert wrong == [], "imports that do not point down the layers:\n" + "\n".join(wrong)


def test_no_module_imports_its_own_package_init():
    """Inside a package, modules import their siblings, never the package's ``__init__`` (which re-exports the
    package's interface from those same modules: a circle as soon as Python runs it). Exempt: ``__main__`` modules
    (``python -m pipeline.cli`` runs the package's entry point) and the root ``pipeline`` package, which holds only
    the version and imports nothing."""
    assert [t for _, t in EDGES["pipeline"]] == []
    wrong = []
    for module, edges in EDGES.items():
        if module.endswith(".__main__"):
            continue
        for line, target in edges:
            if target != "pipeline" and MODULES[target].name == "__init__.py" and module.startswith(target + "."):
                wrong.append(f"{module}:{line} imports its package {target}")
    assert wrong == [], "\n".join(wrong)


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_import_circles():
    """No two modules import each other, directly or around a circle, inside a stage or across stages. A package
    importing its own modules (its ``__init__`` re-exporting them) is not a circle; a module importing its package
    is caught above."""
    graph = {m: {t for _, t in edges if not (MODULES[t].name == "__init__.py" and m.startswith(t + "."))}
             for m, edges in EDGES.items()}
    assert _circles(graph) == []


def test_the_circle_finder_finds_circles():
    """The check above can fail: a hand-made graph with a circle of three and a pair."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"e"}, "e": {"d"}, "f": {"a"}}
    assert sorted(_circles(graph)) == [["a", "b", "c"], ["d", "e"]]


STAGE_PACKAGES = sorted(s for s in LAYER_OF if s.startswith("pipeline."))


def declared_imports(stage: str) -> set[str]:
    """The stages a stage's ``__init__`` docstring names on its ``May import:`` line (up to the next blank line)."""
    doc = ast.get_docstring(ast.parse(MODULES[stage].read_text(encoding="utf-8"))) or ""
    said = re.search(r"^May import:(.*?)(?:\n\n|\Z)", doc, re.M | re.S)
    assert said, f"{stage}'s docstring has no line starting 'May import:'"
    return set(re.findall(r"\b(pipeline\.\w+|schemas|warehouse)\b", said.group(1)))


@pytest.mark.parametrize("stage", STAGE_PACKAGES)
def test_each_stage_says_what_enters_leaves_and_what_it_may_import(stage):
    """Each stage's ``__init__`` docstring has the lines ``Enters:``, ``Leaves:`` and ``May import:``. What it may
    import lies below it in :data:`LAYERS`, and it imports nothing else (a stage may promise less than its layer
    allows: the indices are pure and import no store)."""
    doc = ast.get_docstring(ast.parse(MODULES[stage].read_text(encoding="utf-8"))) or ""
    for field in ("Enters:", "Leaves:"):
        assert re.search(rf"^{field}", doc, re.M), f"{stage}'s docstring has no line starting {field!r}"
    declared = declared_imports(stage)
    below = {s for s, layer in LAYER_OF.items() if layer < LAYER_OF[stage]}
    assert declared <= below, f"{stage} says it may import {sorted(declared - below)}, not below it in LAYERS"
    used = {stage_of(t) for m, edges in EDGES.items() if stage_of(m) == stage for _, t in edges} - {stage}
    assert used <= declared, f"{stage} imports {sorted(used - declared)} without saying so in its docstring"
