"""Maps without and with boundary files: proportional symbols at the regions' seats, TopoJSON decoded like GeoJSON,
a projection that keeps the U.S. states (Alaska across the antimeridian) in one piece, classed legends, labels that
do not pile up."""

from __future__ import annotations

import json

import pytest
from conftest import shared_data

from pipeline.demo.catalog import CITIES
from pipeline.ingest.boundaries import install_boundaries, load_features, topojson_features
from ui import maps

LIAONING = shared_data("geo", "liaoning_cities.geojson")
US_STATES = shared_data("geo", "us_states.topojson")
needs_geo = pytest.mark.skipif(
    not LIAONING.exists() or not US_STATES.exists(),
    reason="../shared/data/geo is absent (the Liaoning GeoJSON and the USCMP states TopoJSON)")


def _inside(point: tuple[float, float], ring: list[list[float]]) -> bool:
    x, y = point
    hit = False
    for (x1, y1), (x2, y2) in zip(ring[-1:] + ring[:-1], ring, strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            hit = not hit
    return hit


@needs_geo
def test_each_demo_seat_lies_inside_its_own_city():
    doc = json.loads(LIAONING.read_text(encoding="utf-8"))
    polygons = {f["id"] + "00": f["geometry"] for f in doc["features"]}
    assert len(CITIES) == len(polygons) == 14
    for city in CITIES:
        geometry = polygons[city.code]
        rings = [geometry["coordinates"][0]] if geometry["type"] == "Polygon" else \
            [p[0] for p in geometry["coordinates"]]
        assert any(_inside((city.lon, city.lat), ring) for ring in rings), city.name
        # and in none of the others
        others = [c for c, g in polygons.items() if c != city.code
                  and any(_inside((city.lon, city.lat), r) for r in ([g["coordinates"][0]] if g["type"] == "Polygon"
                                                                     else [p[0] for p in g["coordinates"]]))]
        assert others == [], city.name


@needs_geo
def test_topojson_states_decode_to_their_true_extent(tmp_path):
    doc = json.loads(US_STATES.read_text(encoding="utf-8"))
    features = topojson_features(doc)
    assert len(features) == 53  # 50 states, DC, Puerto Rico, the Virgin Islands (SOURCE.txt)
    colorado = next(f for f in features if f["id"] == "08")
    xs = [p[0] for ring in colorado["geometry"]["coordinates"] for p in ring]
    ys = [p[1] for ring in colorado["geometry"]["coordinates"] for p in ring]
    # Colorado is bounded by 37°N and 41°N and by 102°03'W and 109°03'W (its statutory boundaries)
    assert min(ys) == pytest.approx(37.0, abs=0.02) and max(ys) == pytest.approx(41.0, abs=0.02)
    assert min(xs) == pytest.approx(-109.05, abs=0.02) and max(xs) == pytest.approx(-102.05, abs=0.02)
    alaska = next(f for f in features if f["id"] == "02")
    lons = [p[0] for poly in alaska["geometry"]["coordinates"] for p in poly[0]]
    assert max(lons) > 170 and min(lons) < -140  # the Aleutians cross the antimeridian
    # installed like a GeoJSON file, matched to the dictionary's codes
    install_boundaries(tmp_path, US_STATES)
    assert (tmp_path / "boundaries" / "us_states.topojson").exists()
    loaded = load_features(tmp_path, {"02", "08", "36"})
    assert sorted(f["properties"]["region_code"] for f in loaded) == ["02", "08", "36"]


@needs_geo
def test_the_states_map_is_one_piece_and_renders(tmp_path):
    from pipeline.reports.exports import chart_png

    features = topojson_features(json.loads(US_STATES.read_text(encoding="utf-8")))
    for f in features:
        f["properties"]["region_code"] = f["id"]
    points = [maps.label_point(f) for f in features]
    alaska = maps.label_point(next(f for f in features if f["id"] == "02"))
    assert -160 < alaska[0] < -140 and 60 < alaska[1] < 66  # in Alaska, not at 0°E between its two halves
    proj = maps.projection(points)
    assert proj["type"] == "conicEqualArea" and 90 < proj["rotate"][0] < 120  # centred near 100°W
    values = {f["id"]: float(i % 7) for i, f in enumerate(features)}
    spec = maps.choropleth(features, values, {f["id"]: f["properties"]["name"] for f in features},
                           value_title="LQ", fmt=".2f", mid=None).to_dict()
    png = chart_png(spec)
    assert png.startswith(b"\x89PNG")


def test_classes_breaks_and_colours():
    # quintiles of 0..100 step 1 at positions 20, 40, 60, 80 -> breaks 20, 40, 60, 80: five classes of blues
    breaks = maps.class_breaks(list(range(101)))
    assert breaks == [20.0, 40.0, 60.0, 80.0]
    assert maps.class_colours(breaks, None) == maps.SEQUENTIAL
    # a change view around 0: reds below, blues above; 0 is a break
    change = [-0.3, -0.2, -0.1, -0.05, 0.02, 0.04, 0.1, 0.2]
    breaks = maps.class_breaks(change, mid=0.0)
    assert 0.0 in breaks and breaks == sorted(breaks)
    colours = maps.class_colours(breaks, 0.0)
    assert len(colours) == len(breaks) + 1
    below = breaks.index(0.0) + 1
    assert all(c in maps.BELOW for c in colours[:below]) and all(c in maps.ABOVE for c in colours[below:])
    assert maps.class_breaks([None, 3.0]) == []  # one value: no classes to make


def test_symbols_area_is_proportional_to_the_value():
    seats = {c.code: (c.lon, c.lat) for c in CITIES}
    names = {c.code: c.name for c in CITIES}
    values = {"210100": 400.0, "210200": 100.0, "210300": None, "999999": 5.0}
    spec = maps.symbols(seats, values, names, value_title="x").to_dict()
    circles = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "circle")
    size = circles["encoding"]["size"]
    # a linear scale from 0: the circle's area (Vega's size) is value x 2400 / 400, so 400 -> 2400, 100 -> 600 px²
    assert size["scale"] == {"type": "linear", "domain": [0, 400.0], "range": [0, 2400], "zero": True}
    shown = {row["name"]: row["size"] for row in circles["data"]["values"]}
    assert shown == {"沈阳市": 400.0, "大连市": 100.0}  # no seat or no value: not drawn
    assert circles["encoding"]["color"]["scale"]["type"] == "threshold"


def test_labels_that_would_overlap_are_left_out():
    points = [{"lon": 123.43, "lat": 41.80, "name": "沈阳市", "value": 9.0},
              {"lon": 123.50, "lat": 41.82, "name": "near", "value": 1.0},  # 0.07° from Shenyang
              {"lon": 121.61, "lat": 38.91, "name": "大连市", "value": 5.0}]
    kept = [p["name"] for p in maps.placed_labels(points)]
    assert kept == ["沈阳市", "大连市"]  # the smaller of the two close ones gives way


def test_the_demo_overview_draws_the_cities_at_their_seats(tmp_path_factory, monkeypatch):
    # the demo installs no boundary file: its regions dictionary carries the seats, so the overview maps them
    from test_ui_demo import demo_data_dir, open_app

    from pipeline.core.settings import Settings

    at = open_app(Settings.from_env(demo_data_dir(tmp_path_factory)), monkeypatch, lang="zh")
    at.run()
    assert not at.exception
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    symbol_maps = [s for s in specs if any(layer.get("mark", {}).get("type") == "circle"
                                           and "longitude" in layer.get("encoding", {})
                                           for layer in s.get("layer", []))]
    assert symbol_maps, "no proportional-symbol map on the overview"
    circles = next(layer for layer in symbol_maps[0]["layer"] if layer["mark"]["type"] == "circle")
    drawn = {(row["lon"], row["lat"]) for row in circles["data"]["values"]}
    assert drawn == {(c.lon, c.lat) for c in CITIES}  # all 14 cities, at their seats
    captions = " ".join(c.value for c in at.caption)
    assert "圆点位于各市政府驻地" in captions and "未找到地图边界" not in captions
