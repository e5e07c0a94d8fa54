"""Region boundaries for the maps: GeoJSON files in ``<data dir>/boundaries/`` keyed by region code.

There is no "boundaries" upload kind yet: an administrator puts a GeoJSON FeatureCollection there (or starts the
app with ``clusterstats serve --boundaries FILE``, which copies it there). Each feature is matched to a region of
the dictionary by its ``id`` or a ``code``/``region_code``/``adcode`` property; a short code that is the prefix of
exactly one dictionary code followed by zeros (the Liaoning file's 4-digit ids, 2101 -> 210100 GB/T 2260) is
matched to it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CODE_PROPERTIES = ("region_code", "code", "adcode", "id")


def boundary_files(data_dir: Path) -> list[Path]:
    folder = Path(data_dir) / "boundaries"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".geojson", ".json") and p.is_file())


def fingerprint(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and times of the boundary files (a cache key that changes when a file does)."""
    return tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in boundary_files(data_dir))


def match_code(raw: object, codes: set[str]) -> str | None:
    """The dictionary code a feature's code stands for (exact, or a zero-padded prefix), or None.

    >>> match_code("2101", {"210100", "210200"}), match_code(210200, {"210100", "210200"}), match_code("99", {"1"})
    ('210100', '210200', None)
    """
    if raw is None:
        return None
    text = str(raw).strip()
    if text in codes:
        return text
    padded = [c for c in codes if c.startswith(text) and set(c[len(text):]) == {"0"}]
    return padded[0] if len(padded) == 1 else None


def load_features(data_dir: Path, codes: set[str]) -> list[dict[str, Any]]:
    """Every feature of the boundary files whose code matches the dictionary, with ``properties.region_code``."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for path in boundary_files(data_dir):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        features = doc.get("features", []) if isinstance(doc, dict) else []
        for feature in features:
            if not isinstance(feature, dict) or not feature.get("geometry"):
                continue
            props = dict(feature.get("properties") or {})
            code = None
            for key in CODE_PROPERTIES:
                code = match_code(feature.get("id") if key == "id" else props.get(key), codes)
                if code:
                    break
            if code is None or code in seen:
                continue
            seen.add(code)
            props["region_code"] = code
            out.append({"type": "Feature", "geometry": feature["geometry"], "properties": props})
    return out


def install_boundaries(data_dir: Path, source: Path) -> Path:
    """Copy a GeoJSON file into ``<data dir>/boundaries/`` (``clusterstats serve --boundaries FILE``); checks that
    it is a FeatureCollection first. Returns the copy's path."""
    import shutil

    from pipeline.core.errors import ClusterstatsError

    source = Path(source)
    try:
        doc = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ClusterstatsError(f"{source}: not a readable GeoJSON file ({exc}).") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise ClusterstatsError(f"{source}: a GeoJSON FeatureCollection is needed (features keyed by region code).")
    folder = Path(data_dir) / "boundaries"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (source.stem + ".geojson")
    shutil.copyfile(source, target)
    return target
