"""Charts drawn on the server as SVG strings: pure functions of their data, so they need no
script (the CSP allows none inline) and can be tested like any other text. Every label is
escaped; colours come from presentation attributes and classes, never style=."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#1f6f50", "#1a5fd0", "#a05a00", "#8a2a8a", "#a22a2a", "#2a7f8a", "#5b6670")
GRID = "#d9dee3"
INK = "#1d2327"
MUTED = "#5b6670"
LABEL_CHARS = 26


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


@dataclass
class Series:
    """One line: a name and a value (or None for "no data that day") per x label."""

    name: str
    values: Sequence[float | None]


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" preserveAspectRatio="xMinYMin meet" '
            f'aria-labelledby="{_e(chart_id)}-title {_e(chart_id)}-desc" id="{_e(chart_id)}">',
            f'<title id="{_e(chart_id)}-title">{_e(title)}</title>',
            f'<desc id="{_e(chart_id)}-desc">{_e(desc)}</desc>']


def _empty(parts: list[str], width: int, height: int, message: str) -> str:
    parts.append(f'<text x="{width / 2:.0f}" y="{height / 2:.0f}" text-anchor="middle" fill="{MUTED}" '
                 f'font-size="14">{_e(message)}</text></svg>')
    return "".join(parts)


def _tick_indexes(count: int, most: int = 7) -> list[int]:
    """Which x labels to print: at most `most`, always the first and the last."""
    if count <= most:
        return list(range(count))
    step = (count - 1) / (most - 1)
    return sorted({round(i * step) for i in range(most)})


def _y_axis(parts: list[str], left: float, right: float, top: float, bottom: float, y_max: float,
            fmt: Callable[[float], str]) -> None:
    for i in range(5):
        value = y_max * i / 4
        y = bottom - (bottom - top) * i / 4
        parts.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}" stroke="{GRID}" '
                     f'stroke-width="1"/>')
        parts.append(f'<text x="{left - 6:.1f}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="{MUTED}">{_e(fmt(value))}</text>')


def _segments(points: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive points: a day without data breaks the line instead of bridging it."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


@dataclass
class _Plot:
    """Where the data goes inside the chart, and how a label index and a value map onto it."""

    left: float
    right: float
    top: float
    bottom: float
    count: int
    y_max: float

    def x(self, i: int) -> float:
        if self.count == 1:
            return (self.left + self.right) / 2
        return self.left + (self.right - self.left) * i / (self.count - 1)

    def y(self, value: float) -> float:
        return self.bottom - (self.bottom - self.top) * min(max(value, 0.0), self.y_max) / self.y_max


def _x_axis(parts: list[str], plot: _Plot, labels: Sequence[str]) -> None:
    for i in _tick_indexes(len(labels)):
        anchor = "middle" if len(labels) == 1 else "start" if i == 0 else "end" if i == len(labels) - 1 else "middle"
        parts.append(f'<text x="{plot.x(i):.1f}" y="{plot.bottom + 16:.1f}" text-anchor="{anchor}" font-size="11" '
                     f'fill="{MUTED}">{_e(labels[i])}</text>')
    parts.append(f'<line x1="{plot.left:.1f}" y1="{plot.bottom:.1f}" x2="{plot.right:.1f}" y2="{plot.bottom:.1f}" '
                 f'stroke="{MUTED}" stroke-width="1"/>')


def _line(parts: list[str], plot: _Plot, labels: Sequence[str], line: Series, n: int,
          fmt: Callable[[float], str]) -> None:
    colour = PALETTE[n % len(PALETTE)]
    points = [None if v is None else (plot.x(i), plot.y(v)) for i, v in enumerate(line.values[: len(labels)])]
    parts.append(f'<g class="series series-{n}">')
    for run in _segments(points):
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2" '
                     f'stroke-linejoin="round"/>')
    for i, point in enumerate(points):
        if point is not None:
            parts.append(f'<circle cx="{point[0]:.1f}" cy="{point[1]:.1f}" r="3.5" fill="{colour}">'
                         f'<title>{_e(labels[i])} · {_e(line.name)}: {_e(fmt(line.values[i]))}</title></circle>')
    parts.append("</g>")


def line_chart(labels: Sequence[str], series: Sequence[Series], *, title: str, desc: str, chart_id: str = "line",
               width: int = 720, height: int = 280, y_max: float = 1.0,
               fmt: Callable[[float], str] = percent, empty: str = "No data yet.") -> str:
    """A line per series over `labels` (the x axis), with a grid, axis labels, a legend and a
    <title> on every point, so hovering (or a screen reader) gives the exact value."""
    parts = _open(chart_id, width, height, title, desc)
    if not labels or not any(v is not None for s in series for v in s.values):
        return _empty(parts, width, height, empty)
    plot = _Plot(left=48.0, right=width - 16.0, top=16.0, bottom=height - (48.0 if len(series) > 1 else 32.0),
                 count=len(labels), y_max=y_max)
    _y_axis(parts, plot.left, plot.right, plot.top, plot.bottom, y_max, fmt)
    _x_axis(parts, plot, labels)
    for n, line in enumerate(series):
        _line(parts, plot, labels, line, n, fmt)
    if len(series) > 1:
        parts.extend(_legend(series, plot.left, height - 12.0, plot.right))
    parts.append("</svg>")
    return "".join(parts)


def _legend(series: Sequence[Series], left: float, y: float, right: float) -> list[str]:
    parts, x = ['<g class="legend">'], left
    for n, line in enumerate(series):
        name = _short(line.name, 20)
        step = 22 + 7 * len(name)
        if x + step > right and x > left:
            break  # no room for more: the table beside the chart lists every collection
        parts.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="12" height="12" rx="2" '
                     f'fill="{PALETTE[n % len(PALETTE)]}"/>')
        parts.append(f'<text x="{x + 16:.1f}" y="{y + 1:.1f}" font-size="12" fill="{INK}">{_e(name)}'
                     f'<title>{_e(line.name)}</title></text>')
        x += step + 12
    parts.append("</g>")
    return parts


def bar_chart(bars: Sequence[tuple[str, float | None]], *, title: str, desc: str, chart_id: str = "bars",
              width: int = 720, bar_height: int = 22, x_max: float = 1.0,
              fmt: Callable[[float], str] = percent, empty: str = "No data yet.") -> str:
    """Horizontal bars, one per (label, value); a value of None reads "no cards"."""
    gap, top, label_width = 10, 8, 200.0
    height = max(top * 2 + len(bars) * (bar_height + gap), 60)
    parts = _open(chart_id, width, height, title, desc)
    if not bars:
        return _empty(parts, width, height, empty)
    left, right = label_width + 12, width - 56.0
    for i, (label, value) in enumerate(bars):
        y = top + i * (bar_height + gap)
        middle = y + bar_height / 2 + 4
        shown = "no cards" if value is None else fmt(value)
        parts.append(f'<g class="bar"><title>{_e(label)}: {_e(shown)}</title>')
        parts.append(f'<text x="{label_width:.1f}" y="{middle:.1f}" text-anchor="end" font-size="12" '
                     f'fill="{INK}">{_e(_short(label))}</text>')
        parts.append(f'<rect x="{left:.1f}" y="{y:.1f}" width="{right - left:.1f}" height="{bar_height}" rx="3" '
                     f'fill="#eef1f3"/>')
        if value is not None:
            length = (right - left) * min(max(value, 0.0), x_max) / x_max
            parts.append(f'<rect x="{left:.1f}" y="{y:.1f}" width="{length:.1f}" height="{bar_height}" rx="3" '
                         f'fill="{PALETTE[0]}"/>')
        parts.append(f'<text x="{right + 6:.1f}" y="{middle:.1f}" font-size="12" fill="{INK}">{_e(shown)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)
