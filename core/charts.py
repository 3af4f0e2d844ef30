"""Charts drawn on the server, readable without JavaScript and by a screen reader.

A bar chart is a list of labelled values whose bars are CSS widths; a trend is an inline SVG
polyline with the values also written out. No chart library: every asset is served locally
(DESIGN.md §3), the numbers must be printable in the board's PDF, and a list of rows is what an
Arabic screen reader reads best. Templates: `includes/chart_bars.html`, `includes/chart_trend.html`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str
    percent: float  # of the largest value, for the bar's width
    url: str = ""


def bars(
    rows: Iterable[tuple[str, float | int | None]],
    *,
    fmt=None,
    urls: Iterable[str] | None = None,
) -> list[Bar]:
    """Bars from (label, value) rows, scaled to the largest value. `fmt` turns a value into
    its text (default: the number); `urls` gives each bar's drill-down link, in order."""
    rows = [(label, value or 0) for label, value in rows]
    links = list(urls) if urls is not None else [""] * len(rows)
    top = max((value for _, value in rows), default=0) or 1
    show = fmt or _number
    return [
        Bar(
            label=str(label),
            value=value,
            display=show(value),
            percent=round(100 * value / top, 1),
            url=link,
        )
        for (label, value), link in zip(rows, links, strict=True)
    ]


@dataclass(frozen=True)
class Point:
    label: str
    value: float | None
    display: str
    x: float
    y: float | None


@dataclass(frozen=True)
class Trend:
    points: list[Point]
    polyline: str
    width: int
    height: int
    low: float
    high: float


def trend(
    rows: Iterable[tuple[str, float | None]],
    *,
    low: float | None = None,
    high: float | None = None,
    fmt=None,
    width: int = 600,
    height: int = 160,
) -> Trend:
    """A line over (label, value) rows in order; a None value (a period without data) leaves a
    gap in the list and is skipped by the line. `low`/`high` fix the scale (e.g. 1–5)."""
    rows = list(rows)
    values = [v for _, v in rows if v is not None]
    low = min(values, default=0) if low is None else low
    high = max(values, default=1) if high is None else high
    span = (high - low) or 1
    pad = 12
    step = (width - 2 * pad) / max(len(rows) - 1, 1)
    show = fmt or _number
    points = []
    for i, (label, value) in enumerate(rows):
        x = round(pad + i * step, 1)
        y = (
            None
            if value is None
            else round(height - pad - (value - low) / span * (height - 2 * pad), 1)
        )
        points.append(Point(str(label), value, "—" if value is None else show(value), x, y))
    polyline = " ".join(f"{p.x},{p.y}" for p in points if p.y is not None)
    return Trend(points=points, polyline=polyline, width=width, height=height, low=low, high=high)


def _number(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return f"{int(value):,}"
