"""Region boundaries for the maps: GeoJSON or TopoJSON files in ``<data dir>/boundaries/`` keyed by region code.

There is no "boundaries" upload kind yet: an administrator puts a GeoJSON FeatureCollection or a TopoJSON Topology
there (or starts the app with ``clusterstats serve --boundaries FILE``, which copies it there). A Topology's arcs
are decoded here (delta-encoded, quantised by its ``transform``: the TopoJSON 1.0 specification) into GeoJSON
features, so both formats take the same path. Each feature is matched to a region of
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
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".geojson", ".json", ".topojson")
                  and p.is_file())


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


def topojson_features(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The (Multi)Polygon geometries of every object of a TopoJSON Topology as GeoJSON features (id and
    properties kept). Arcs are delta-decoded and, with a ``transform``, scaled and translated back to degrees; a
    negative arc index is the reversed arc ``~i``.

    >>> topo = {"type": "Topology", "transform": {"scale": [0.5, 0.5], "translate": [100, 40]},
    ...         "arcs": [[[0, 0], [2, 0], [0, 2], [-2, 0], [0, -2]]],
    ...         "objects": {"x": {"type": "GeometryCollection", "geometries": [
    ...             {"type": "Polygon", "id": "A", "arcs": [[0]]}]}}}
    >>> topojson_features(topo)[0]["geometry"]["coordinates"]
    [[[100.0, 40.0], [101.0, 40.0], [101.0, 41.0], [100.0, 41.0], [100.0, 40.0]]]
    """
    transform = doc.get("transform")
    (sx, sy), (tx, ty) = (transform["scale"], transform["translate"]) if transform else ((1, 1), (0, 0))
    arcs = []
    for arc in doc.get("arcs", []):
        x = y = 0.0
        points = []
        for p in arc:
            if transform:
                x, y = x + p[0], y + p[1]
                points.append([x * sx + tx, y * sy + ty])
            else:
                points.append([float(p[0]), float(p[1])])
        arcs.append(points)

    def ring(indices: list[int]) -> list[list[float]]:
        out: list[list[float]] = []
        for k, i in enumerate(indices):
            part = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(part if k == 0 else part[1:])
        return out

    def geometries(g: dict[str, Any]) -> list[dict[str, Any]]:
        if g.get("type") == "GeometryCollection":
            return [x for member in g.get("geometries", []) for x in geometries(member)]
        return [g]

    features = []
    for obj in (doc.get("objects") or {}).values():
        for g in geometries(obj):
            if g.get("type") == "Polygon":
                geometry = {"type": "Polygon", "coordinates": [ring(r) for r in g["arcs"]]}
            elif g.get("type") == "MultiPolygon":
                geometry = {"type": "MultiPolygon", "coordinates": [[ring(r) for r in poly] for poly in g["arcs"]]}
            else:
                continue
            feature: dict[str, Any] = {"type": "Feature", "properties": dict(g.get("properties") or {}),
                                       "geometry": geometry}
            if "id" in g:
                feature["id"] = g["id"]
            features.append(feature)
    return features


def load_features(data_dir: Path, codes: set[str]) -> list[dict[str, Any]]:
    """Every feature of the boundary files whose code matches the dictionary, with ``properties.region_code``."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for path in boundary_files(data_dir):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(doc, dict) and doc.get("type") == "Topology":
            try:
                features = topojson_features(doc)
            except (KeyError, IndexError, TypeError, ValueError):  # a damaged topology: no map from this file
                continue
        else:
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
    """Copy a GeoJSON or TopoJSON file into ``<data dir>/boundaries/`` (``clusterstats serve --boundaries FILE``);
    checks that it is a FeatureCollection or a Topology first. Returns the copy's path."""
    import shutil

    from pipeline.core.errors import ClusterstatsError

    source = Path(source)
    try:
        doc = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ClusterstatsError(f"{source}: not a readable GeoJSON file ({exc}).") from None
    if not isinstance(doc, dict) or doc.get("type") not in ("FeatureCollection", "Topology"):
        raise ClusterstatsError(f"{source}: a GeoJSON FeatureCollection or a TopoJSON Topology is needed (features "
                                "keyed by region code).")
    folder = Path(data_dir) / "boundaries"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (source.stem + (".topojson" if doc["type"] == "Topology" else ".geojson"))
    shutil.copyfile(source, target)
    return target
