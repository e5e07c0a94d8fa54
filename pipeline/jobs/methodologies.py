"""Which methodology a data directory uses, and every version it has used.

The active methodology is ``<data dir>/methodology.toml`` when an administrator has put one there, else the
built-in default. Every methodology a build uses is archived as ``<data dir>/methodologies/<hash>.toml`` (its
content hash is its version), so the warehouse can show scores under earlier versions beside the current ones.
"""

from __future__ import annotations

import contextlib
import functools
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


@functools.cache
def _versions(folder: str, listing: tuple[tuple[str, int], ...]) -> dict[str, tuple[int, str, str]]:
    """hash -> (version number, name, Chinese name) for an archive folder's listing (file name, mtime)."""
    out: dict[str, tuple[int, str, str]] = {}
    for number, (name, _) in enumerate(sorted(listing, key=lambda item: (item[1], item[0])), start=1):
        path = Path(folder) / name
        try:
            m = Methodology.from_toml(path)
            out[m.hash] = (number, m.name, m.name_zh)
        except Exception:  # a version this code can no longer read keeps its number, without a name
            out[path.stem] = (number, "", "")
    return out


def version_label(settings: Settings, hash_: str | None, lang: str = "zh") -> str:
    """A methodology version by name: the methodology's name, its version number in this data directory (1 = the
    first one archived; the archive keeps each version once, dated when first used) and the short hash that
    identifies it anywhere: ``辽宁省产业集群集聚绩效评价 第2版（37761b56）``, ``Liaoning ... version 2
    (37761b56)``. A hash not in the archive is shown as it is."""
    if not hash_:
        return "–"
    folder = archive_dir(settings)
    listing = tuple((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.toml")) if folder.is_dir() else ()
    found = _versions(str(folder), listing).get(hash_)
    if found is None:
        return hash_
    number, name, name_zh = found
    if lang == "zh":
        return f"{name_zh or name} 第{number}版（{hash_[:8]}）".strip()
    return f"{name or name_zh} version {number} ({hash_[:8]})".strip()
