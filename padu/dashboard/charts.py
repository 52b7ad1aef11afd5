"""Small charts as inline SVG (server-rendered, a few hundred bytes each): bars of the desil
distribution and a trend line over months. Numbers stay readable without the chart: every
chart has its table or download beside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from padu.core.formatting import BULAN


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    label: str
    title: str


def bars(rows: list[tuple[str, float]], width: float = 320, height: float = 120) -> dict[str, Any]:
    """Vertical bars of ``(label, value)``; heights relative to the largest value."""
    top = max((v for _, v in rows), default=0) or 1
    slot = width / max(len(rows), 1)
    shapes = []
    for i, (label, value) in enumerate(rows):
        h = (height - 18) * value / top
        shapes.append(
            Bar(
                i * slot + 2,
                height - 16 - h,
                slot - 4,
                h,
                label,
                f"{label}: {value:,.0f}".replace(",", "."),
            )
        )
    return {"width": width, "height": height, "bars": shapes}


def trend(
    points: list[tuple[Any, float | None]], width: float = 320, height: float = 90
) -> dict[str, Any]:
    """A line over months (``(date, value)``, oldest first); gaps where a value is None."""
    known = [v for _, v in points if v is not None]
    if len(known) < 1:
        return {"width": width, "height": height, "path": "", "dots": [], "labels": []}
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = (width - 20) / max(len(points) - 1, 1)
    dots: list[dict[str, Any]] = []
    parts: list[str] = []
    for i, (month, value) in enumerate(points):
        if value is None:
            continue
        x = 10 + i * step
        y = 10 + (height - 30) * (1 - (value - low) / span)
        parts.append(f"{'M' if not parts else 'L'}{x:.1f} {y:.1f}")
        dots.append(
            {
                "x": round(x, 1),
                "y": round(y, 1),
                "title": f"{BULAN[month.month - 1]} {month.year}: {value:,.1f}".replace(",", "."),
            }
        )
    labels = [
        {"x": round(10 + i * step, 1), "text": f"{BULAN[m.month - 1][:3]} {m.year % 100:02d}"}
        for i, (m, _) in enumerate(points)
    ]
    return {
        "width": width,
        "height": height,
        "path": "".join(parts),
        "dots": dots,
        "labels": labels if len(labels) <= 6 else labels[:: max(len(labels) // 6, 1)],
    }
