"""Choropleth maps drawn on the server as SVG from the boundaries shipped in
``padu/dashboard/batas`` (MIT, see its README): no tiles, no script, no CDN. A map is the
children of one region: the kabupaten of the province, the kecamatan of a kabupaten, the
desa of a kecamatan."""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

BATAS = Path(__file__).with_name("batas")
WIDTH = 600.0
# Sequential classes, light to dark (colour-blind safe, ColorBrewer "Oranges").
COLOURS = ("#fee6ce", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603")
NO_DATA = "#e5e7eb"


@dataclass(frozen=True)
class Shape:
    kode: str
    nama: str
    d: str  # SVG path data in the map's viewBox


@lru_cache(maxsize=8)
def _features(name: str) -> tuple[dict[str, Any], ...]:
    path = BATAS / name
    if not path.exists():
        return ()
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return tuple(json.load(handle)["features"])


def _children(code: str) -> list[dict[str, Any]]:
    code = code.rstrip(".")
    if len(code) == 2:
        return list(_features("kabupaten.geojson.gz"))
    if len(code) == 5:
        return [
            f
            for f in _features("kecamatan.geojson.gz")
            if f["properties"]["kode"].startswith(code + ".")
        ]
    if len(code) == 8:
        return [
            f
            for f in _features(f"desa/{code[:5]}.geojson.gz")
            if f["properties"]["kode"].startswith(code + ".")
        ]
    return []


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


@lru_cache(maxsize=64)
def children_map(code: str) -> tuple[str, tuple[Shape, ...]]:
    """The viewBox and the shapes of the region's children (an empty tuple where the
    boundaries have none)."""
    features = _children(code)
    points = [
        pt for f in features for poly in _polygons(f["geometry"]) for ring in poly for pt in ring
    ]
    if not points:
        return "0 0 1 1", ()
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    squash = math.cos(math.radians((north + south) / 2))  # equirectangular at mid latitude
    scale = WIDTH / max((east - west) * squash, 1e-9)
    height = (north - south) * scale

    def xy(pt: list[float]) -> str:
        return f"{(pt[0] - west) * squash * scale:.1f} {(north - pt[1]) * scale:.1f}"

    shapes = []
    for feature in features:
        parts = []
        for poly in _polygons(feature["geometry"]):
            for ring in poly:
                coords: list[str] = []
                for pt in ring:
                    here = xy(pt)
                    if not coords or coords[-1] != here:
                        coords.append(here)
                if len(coords) >= 3:
                    parts.append("M" + "L".join(coords) + "Z")
        props = feature["properties"]
        shapes.append(Shape(props["kode"], props["nama"], "".join(parts)))
    return f"0 0 {WIDTH:.0f} {height:.0f}", tuple(sorted(shapes, key=lambda s: s.kode))


def classes(values: list[float]) -> list[float]:
    """Upper bounds of five quantile classes of ``values`` (fewer when values repeat)."""
    ordered = sorted(values)
    if not ordered:
        return []
    bounds: list[float] = []
    for i in range(1, len(COLOURS) + 1):
        bound = ordered[min(len(ordered) - 1, math.ceil(i * len(ordered) / len(COLOURS)) - 1)]
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def colour(value: float | None, bounds: list[float], worse_high: bool) -> str:
    """The fill of a value: darker is worse (higher when ``worse_high``, else lower)."""
    if value is None or not bounds:
        return NO_DATA
    index = next((i for i, b in enumerate(bounds) if value <= b), len(bounds) - 1)
    # Spread the classes present over the palette, so two classes still contrast.
    step = (len(COLOURS) - 1) / max(len(bounds) - 1, 1)
    shade = round(index * step)
    return COLOURS[shade if worse_high else len(COLOURS) - 1 - shade]
