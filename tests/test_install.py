"""A non-editable install works (issue 13): ``pip install .`` (no ``-e``) into a fresh virtual environment holds
every package, SQL file, migration and TOML of the source tree, and ``clusterstats demo --no-serve`` run from
another folder lands the demo and builds its warehouse from the installed copy alone.

The fresh environment gets the project's dependencies from the test's own environment (a ``.pth`` line to its
site-packages, so nothing is downloaded again); the project itself is built and installed from the source tree,
and the test checks that every module it runs comes from the fresh environment, not from the tree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("pipeline", "schemas", "warehouse", "ui")
DATA_SUFFIXES = (".sql", ".toml", ".svg")


def _run(args: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 900
         ) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert out.returncode == 0, f"{' '.join(args)} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out


@pytest.mark.slow
def test_a_non_editable_install_runs_the_demo_from_another_folder(tmp_path):
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    python = venv / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=tmp_path).stdout.strip())
    (site / "_clusterstats_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    source = tmp_path / "source"  # a copy: pip builds in the source folder (build/, *.egg-info), not in the tree
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    _run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(source)], cwd=tmp_path)

    # every package and every SQL, TOML and SVG file of the source tree is in the installed copy
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*"):
            if path.suffix in (".py", *DATA_SUFFIXES) and "__pycache__" not in path.parts:
                relative = path.relative_to(ROOT)
                assert (site / relative).is_file(), f"{relative} is missing from the installed package"

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CLUSTERSTATS_DATA_DIR")}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    data = tmp_path / "data"
    demo = _run([str(venv / "bin" / "clusterstats"), "--data-dir", str(data), "demo", "--no-serve"],
                cwd=elsewhere, env=env)
    assert "Build " in demo.stdout and " is live" in demo.stdout

    # what ran came from the installed copy, and the warehouse it built answers
    probe = ("import json, pipeline, schemas, ui, warehouse; from warehouse.queries import build_info; "
             "from pipeline.core.settings import Settings; "
             f"s = Settings.from_env({str(data)!r}); b = build_info(s.warehouse_path); "
             "print(json.dumps({'files': [m.__file__ for m in (pipeline, schemas, ui, warehouse)], "
             "'uploads': b['uploads'], 'demo': b['demo_data']}))")
    found = json.loads(_run([str(python), "-c", probe], cwd=elsewhere, env=env).stdout)
    assert all(Path(f).is_relative_to(site) for f in found["files"]), found["files"]
    # the demo lands its 8 synthetic files (one per kind: regions, industries, cluster-categories, clusters,
    # cluster-industries, regional-industry, cluster-indicators, firms), then 2 corrections as new vintages
    # (cluster-indicators and regional-industry: pipeline.demo.corrections), and the second build reads all 10
    assert found["uploads"] == 10 and found["demo"] is True
