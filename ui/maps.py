"""Maps (Altair / Vega-Lite): a choropleth when boundaries are installed, proportional symbols at the regions' seats
when only coordinates are known (any region dictionary may carry them: ``lon``/``lat``).

Both use a classed legend: the values fall into at most five classes with rounded breaks (quantiles of the values
shown, so each class holds about as many regions; diverging at ``mid`` when the view has one, e.g. change around
0), drawn with a threshold scale so the legend lists the classes' ranges. The projection is rotated to the centre
of the regions, so a country that crosses the antimeridian (the U.S. states: Alaska's Aleutians lie beyond 180°)
is drawn in one piece; a wide extent gets an equal-area conic projection instead of Mercator. Labels are placed
greedily, largest value first, and a label that would overlap one already placed is left out (its region keeps
its tooltip).
"""

from __future__ import annotations

import math
from typing import Any

import altair as alt

from ui.charts import styled

SEQUENTIAL = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
BELOW = ["#b2182b", "#ef8a62", "#fddbc7"]  # darkest furthest below the midpoint
ABOVE = ["#d1e5f0", "#67a9cf", "#2166ac"]  # darkest furthest above


def _nice(x: float) -> float:
    """``x`` rounded to two significant digits (class breaks people can read)."""
    if x == 0 or not math.isfinite(x):
        return 0.0
    digits = 1 - int(math.floor(math.log10(abs(x))))
    return round(x, digits)


def class_breaks(values: list[float | None], *, k: int = 5, mid: float | None = None) -> list[float]:
    """Inner class breaks (k classes -> k - 1 breaks) at the quantiles of ``values``, rounded to two significant
    digits, duplicates dropped; with ``mid`` inside the values' range, ``mid`` is a break and each side gets its
    own quantile breaks (two classes below, two above, at most).

    Quintile breaks of 1..10 lie at positions 1.8, 3.6, 5.4, 7.2 of the sorted values (linear interpolation);
    around ``mid`` = 0, the two negatives make one class, the four positives two (their median, 0.04):

    >>> class_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], k=5)
    [2.8, 4.6, 6.4, 8.2]
    >>> class_breaks([-0.08, -0.02, 0.01, 0.03, 0.05, 0.2], mid=0.0)
    [0.0, 0.04]
    """
    xs = sorted(float(v) for v in values if v is not None and math.isfinite(float(v)))
    if len(xs) < 2:
        return []

    def quantiles(data: list[float], n: int) -> list[float]:
        if len(data) < 2 or n < 2:
            return []
        out = []
        for i in range(1, n):
            pos = i * (len(data) - 1) / n
            lo = int(math.floor(pos))
            out.append(data[lo] + (data[min(lo + 1, len(data) - 1)] - data[lo]) * (pos - lo))
        return out

    if mid is not None and xs[0] < mid < xs[-1]:
        below = [v for v in xs if v < mid]
        above = [v for v in xs if v > mid]
        raw = quantiles(below, 2 if len(below) >= 4 else 1) + [mid] + quantiles(above, 2 if len(above) >= 4 else 1)
    else:
        raw = quantiles(xs, k)
    breaks: list[float] = []
    for b in raw:
        nb = mid if mid is not None and b == mid else _nice(b)
        if not breaks or nb > breaks[-1]:
            breaks.append(nb)
    return breaks


def class_colours(breaks: list[float], mid: float | None) -> list[str]:
    """One colour per class (len(breaks) + 1): sequential blues, or diverging at ``mid``."""
    n = len(breaks) + 1
    if mid is None or mid not in breaks:
        return SEQUENTIAL[-n:] if n <= len(SEQUENTIAL) else SEQUENTIAL
    below = breaks.index(mid) + 1
    return BELOW[-below:] + ABOVE[: n - below]


def _scale(values: list[float | None], mid: float | None) -> alt.Scale:
    breaks = class_breaks(values, mid=mid)
    if not breaks:
        return alt.Scale(range=[SEQUENTIAL[2]], type="threshold", domain=[])
    return alt.Scale(type="threshold", domain=breaks, range=class_colours(breaks, mid))


def projection(points: list[tuple[float, float]]) -> dict[str, Any]:
    """A projection centred on ``points`` (lon, lat): rotated to their mean longitude, so that regions on both
    sides of the antimeridian stay together; Mercator for a small extent, an equal-area conic for a wide one.

    >>> projection([(123.4, 41.8), (121.6, 38.9)])["type"]
    'mercator'

    Anchorage, an Aleutian island at 179°E, Washington and Honolulu: their circular mean longitude is
    atan2(sum sin, sum cos) = atan2(-1.836, -2.566) = -144.4°, so the projection turns by +144.4°:

    >>> p = projection([(-149.9, 61.2), (179.0, 51.8), (-77.0, 38.9), (-157.8, 21.3)])
    >>> p["type"], round(p["rotate"][0])
    ('conicEqualArea', 144)
    """
    if not points:
        return {"type": "mercator"}
    sx = sum(math.sin(math.radians(lon)) for lon, _ in points)
    cx = sum(math.cos(math.radians(lon)) for lon, _ in points)
    centre = math.degrees(math.atan2(sx, cx))
    unwrapped = [((lon - centre + 180) % 360) - 180 for lon, _ in points]
    lats = [lat for _, lat in points]
    span = max(unwrapped) - min(unwrapped)
    if span <= 30:
        return {"type": "mercator", "rotate": [-centre, 0, 0]}
    lo, hi = min(lats), max(lats)
    return {"type": "conicEqualArea", "rotate": [-centre, 0, 0],
            "parallels": [lo + (hi - lo) / 6, hi - (hi - lo) / 6]}


def placed_labels(points: list[dict[str, Any]], *, spacing: float = 0.06) -> list[dict[str, Any]]:
    """The labels to draw: largest value first, each kept only when it is farther than ``spacing`` of the map's
    extent from every label already kept (distances in degrees, longitude shrunk by cos(latitude))."""
    if not points:
        return []
    xs = [p["lon"] * math.cos(math.radians(p["lat"])) for p in points]
    ys = [p["lat"] for p in points]
    extent = math.hypot(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    order = sorted(range(len(points)), key=lambda i: -abs(points[i].get("value") or 0.0))
    kept: list[int] = []
    for i in order:
        if all(math.hypot(xs[i] - xs[j], ys[i] - ys[j]) > spacing * extent for j in kept):
            kept.append(i)
    return [points[i] for i in sorted(kept)]


def _labels(points: list[dict[str, Any]], proj: dict[str, Any], *, dy: int = 0) -> Any:
    base = alt.Chart(alt.Data(values=placed_labels(points))).encode(longitude="lon:Q", latitude="lat:Q",
                                                                    text="name:N")
    halo = base.mark_text(fontSize=11, fontWeight="bold", stroke="white", strokeWidth=3, strokeOpacity=0.85, dy=dy)
    text = base.mark_text(fontSize=11, fontWeight="bold", color="#1b2733", dy=dy)
    return (halo + text).project(**proj)


def choropleth(features: list[dict[str, Any]], values: dict[str, float | None], names: dict[str, str], *,
               value_title: str, title: str | None = None, fmt: str = ",.2f", mid: float | None = None) -> Any:
    """Regions coloured by their class of ``values`` (region code -> value), labelled with their names."""
    shaped, points = [], []
    for f in features:
        code = f["properties"]["region_code"]
        props = {"region_code": code, "name": names.get(code, code), "value": values.get(code)}
        shaped.append({"type": "Feature", "geometry": f["geometry"], "properties": props})
        lon, lat = label_point(f)
        points.append({"lon": lon, "lat": lat, "name": names.get(code, code), "value": values.get(code)})
    proj = projection([(p["lon"], p["lat"]) for p in points])
    shapes = alt.Chart(alt.Data(values=shaped)).mark_geoshape(stroke="white", strokeWidth=1).encode(
        color=alt.Color("properties.value:Q", title=value_title, scale=_scale(list(values.values()), mid),
                        legend=alt.Legend(orient="right", format=fmt)),
        tooltip=[alt.Tooltip("properties.name:N", title=" "),
                 alt.Tooltip("properties.value:Q", title=value_title, format=fmt)]).project(**proj)
    return styled((shapes + _labels(points, proj)).properties(height=420), title)


def symbols(seats: dict[str, tuple[float, float]], values: dict[str, float | None], names: dict[str, str], *,
            value_title: str, title: str | None = None, fmt: str = ",.2f", mid: float | None = None) -> Any:
    """Proportional symbols at the regions' seats (code -> (lon, lat)): a circle's area is proportional to the
    value's size (its distance from ``mid`` for a diverging view), its colour the value's class."""
    rows = [{"lon": seats[c][0], "lat": seats[c][1], "name": names.get(c, c), "value": v,
             "size": abs(v - (mid or 0.0))} for c, v in values.items() if c in seats and v is not None]
    proj = projection([(r["lon"], r["lat"]) for r in rows])
    top = max([r["size"] for r in rows] + [1e-12])
    circles = alt.Chart(alt.Data(values=rows)).mark_circle(opacity=0.85, stroke="#1b2733", strokeWidth=0.6).encode(
        longitude="lon:Q", latitude="lat:Q",
        size=alt.Size("size:Q", scale=alt.Scale(type="linear", domain=[0, top], range=[0, 2400], zero=True),
                      legend=None),
        color=alt.Color("value:Q", title=value_title, scale=_scale([r["value"] for r in rows], mid),
                        legend=alt.Legend(orient="right", format=fmt)),
        tooltip=[alt.Tooltip("name:N", title=" "), alt.Tooltip("value:Q", title=value_title, format=fmt)],
    ).project(**proj)
    return styled((circles + _labels(rows, proj, dy=-16)).properties(height=420), title)


def label_point(feature: dict[str, Any]) -> tuple[float, float]:
    """Where a region's name goes: its ``cp`` property when it has one, else the middle of the bounding box of its
    largest part, longitudes taken on the part's side of the antimeridian (Alaska's label in Alaska, not at 0°).

    >>> label_point({"geometry": {"type": "MultiPolygon", "coordinates": [
    ...     [[[-170, 55], [-140, 55], [-140, 70], [-170, 70], [-170, 55]]],
    ...     [[[178, 51], [179, 51], [179, 52], [178, 52], [178, 51]]]]}})
    (-155.0, 62.5)
    """
    cp = (feature.get("properties") or {}).get("cp")
    if isinstance(cp, list | tuple) and len(cp) == 2:
        return float(cp[0]), float(cp[1])
    geom = feature["geometry"]
    parts = [geom["coordinates"][0]] if geom["type"] == "Polygon" else [p[0] for p in geom["coordinates"]]
    best, area = (0.0, 0.0), -1.0
    for ring in parts:
        ref = ring[0][0]
        xs = [((pt[0] - ref + 180) % 360) - 180 + ref for pt in ring]
        ys = [pt[1] for pt in ring]
        size = (max(xs) - min(xs)) * (max(ys) - min(ys))
        if size > area:
            centre = (min(xs) + max(xs)) / 2
            best, area = ((((centre + 180) % 360) - 180), (min(ys) + max(ys)) / 2), size
    return best


__all__ = ["choropleth", "class_breaks", "class_colours", "label_point", "placed_labels", "projection", "symbols"]
