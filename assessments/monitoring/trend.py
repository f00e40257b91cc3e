"""A small trend line drawn on the server: the points of an SVG polyline, and the text
that says the same for people who do not see it. No script, so the CSP holds."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 120, 32, 3


@dataclass(frozen=True)
class Trend:
    points: str  # "x,y x,y …" for <polyline points>
    dots: list[tuple[float, float]]
    limit_y: float | None  # the threshold as a horizontal line, when it has one
    text: str  # "12 Jan: 40; 12 Feb: 55"
    width: int = WIDTH
    height: int = HEIGHT


def trend(values: list[float], labels: list[str], *, limit: float | None = None) -> Trend | None:
    """`values` oldest first, each with its label (date and value in words)."""
    if not values:
        return None
    scale = [*values, *([limit] if limit is not None else [])]
    low, high = min(scale), max(scale)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)

    def y(v: float) -> float:
        return round(HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD), 1)

    dots = [(round(PAD + i * step, 1), y(v)) for i, v in enumerate(values)]
    if len(dots) == 1:
        dots = [(PAD, dots[0][1]), (WIDTH - PAD, dots[0][1])]
    return Trend(
        points=" ".join(f"{x},{yy}" for x, yy in dots),
        dots=dots,
        limit_y=y(limit) if limit is not None else None,
        text="; ".join(labels),
    )
