"""Which methodology a data directory uses, and every version it has used.

The active methodology is ``<data dir>/methodology.toml`` when an administrator has put one there, else the
built-in default. Every methodology a build uses is archived as ``<data dir>/methodologies/<hash>.toml`` (its
content hash is its version), so the warehouse can show scores under earlier versions beside the current ones.
"""

from __future__ import annotations

import contextlib
from importlib import resources
from pathlib import Path

from pipeline.core.files import write_text_atomic
from pipeline.core.messages import Msg
from pipeline.core.settings import Settings
from pipeline.scoring.methodology import Methodology


def methodology_path(settings: Settings) -> Path:
    return settings.data_dir / "methodology.toml"


def archive_dir(settings: Settings) -> Path:
    return settings.data_dir / "methodologies"


def active_methodology(settings: Settings) -> Methodology:
    """The data directory's methodology file, validated, or the built-in default when there is none."""
    path = methodology_path(settings)
    return Methodology.from_toml(path) if path.exists() else Methodology.default()


def archive(settings: Settings, m: Methodology, text: str) -> Path:
    """Keep the methodology's text under its version (idempotent; written atomically)."""
    target = archive_dir(settings) / f"{m.hash}.toml"
    if not target.exists():
        write_text_atomic(target, text, what=Msg("land.methodology_file", name=target.name))
    return target


def methodology_text(settings: Settings) -> str:
    """The text of the active methodology (the file's, or the built-in default's)."""

    path = methodology_path(settings)
    if path.exists():
        return path.read_text(encoding="utf-8")
    return resources.files("pipeline.scoring").joinpath("default_methodology.toml").read_text("utf-8")


def archived(settings: Settings) -> list[Methodology]:
    """Every archived methodology version that still loads (oldest first by file time)."""
    folder = archive_dir(settings)
    if not folder.exists():
        return []
    out = []
    for path in sorted(folder.glob("*.toml"), key=lambda p: p.stat().st_mtime):
        with contextlib.suppress(Exception):  # a version this code can no longer read is skipped
            out.append(Methodology.from_toml(path))
    return out
