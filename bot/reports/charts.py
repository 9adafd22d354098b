"""Charts for the HTML reports, drawn by matplotlib (Agg, no display) as SVG to inline in the page: no network, no
image files. matplotlib is imported inside `_draw`, so the bot and every other command start without it.

Every id matplotlib writes (groups, clip paths, markers) is prefixed with the chart's key, so they don't collide
when several charts share one page; text stays text (`svg.fonttype: none`) so it scales and can be selected."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from typing import Any

# Okabe–Ito: told apart by people with any common colour-vision deficiency, and still distinct in greyscale print.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
WIDTH_IN, HEIGHT_IN = 6.4, 3.2
FONT_PT = 10
MAX_TICKS = 16

_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_SIZE = re.compile(r'\s(width|height)="[^"]*"')
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_ID_USE = re.compile(r'(id="|url\(#|href="#)([^")]+)')


def _draw(key: str, paint: Callable[[Any], int], height: float = HEIGHT_IN) -> str:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    settings: dict[Any, Any] = {"svg.fonttype": "none", "svg.hashsalt": "surgerybot", "font.size": FONT_PT,
                                "axes.spines.top": False, "axes.spines.right": False}
    with matplotlib.rc_context(settings):
        figure = Figure(figsize=(WIDTH_IN, height))
        ax = figure.add_subplot()
        series = paint(ax)
        _margins(figure, ax, height, legend=series > 1)
        if series > 1:
            # Above the plot, never over a bar.
            figure.legend(loc="upper center", ncols=min(series, 4), frameon=False)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = _METADATA.sub("", _PROLOGUE.sub("", buffer.getvalue(), count=1), count=1)
    # Ids unique in the page: matplotlib names groups `patch_1`, `axes_1`… in every chart alike.
    svg = _ID_USE.sub(lambda m: f"{m.group(1)}{key}-{m.group(2)}", svg)
    # The viewBox stays; fixed width/height go, so the chart fits a phone screen and a printed page alike.
    opening, rest = svg.split(">", 1)
    opening = _SIZE.sub("", opening)
    return f'{opening} preserveAspectRatio="xMidYMid meet" focusable="false">{rest}'.strip()


def _margins(figure: Any, ax: Any, height: float, *, legend: bool) -> None:
    """Room for the labels, worked out from their length: matplotlib's own layout engines draw every chart
    twice to measure it, which doubled the time an insight page took. Generous, as browsers' fonts vary."""
    char = FONT_PT * 0.62 / 72  # inches per character, a little wider than DejaVu Sans's average
    y_labels = [t.get_text() for t in ax.get_yticklabels()]
    y_chars = max((len(t) for t in y_labels if t), default=4)
    x_labels = [t for t in ax.get_xticklabels() if t.get_text()]
    rotated = any(t.get_rotation() for t in x_labels)
    x_chars = max((len(t.get_text()) for t in x_labels), default=1)
    left = y_chars * char + 0.2 + (0.3 if ax.get_ylabel() else 0)
    bottom = (x_chars * char * 0.72 if rotated else 0.2) + 0.2 + (0.3 if ax.get_xlabel() else 0)
    top = 0.45 if legend else 0.15
    figure.subplots_adjust(left=min(left / WIDTH_IN, 0.5), right=1 - 0.2 / WIDTH_IN,
                           bottom=min(bottom / height, 0.5), top=1 - top / height)


def _category_ticks(ax: Any, positions: list[int], labels: Sequence[str]) -> None:
    """Labels along the bottom; past MAX_TICKS only every n-th, so they stay legible (the table has them all)."""
    step = max(1, -(-len(labels) // MAX_TICKS))
    shown = positions[::step]
    rotate = len(shown) > 8
    ax.set_xticks(shown, [labels[p] for p in shown], rotation=45 if rotate else 0, ha="right" if rotate else "center")


def _whole_numbers(axis: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def bars(key: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *, horizontal: bool = False,
         stacked: bool = False, value_label: str = "") -> str:
    """Bars per label, one colour per series (side by side, or stacked)."""
    height = max(HEIGHT_IN, 0.32 * len(labels) + 1.2) if horizontal else HEIGHT_IN

    def paint(ax: Any) -> int:
        positions = list(range(len(labels)))
        count = max(len(series), 1)
        width = 0.8 if stacked else 0.8 / count
        base = [0.0] * len(labels)
        for i, (name, values) in enumerate(series):
            offset = 0.0 if stacked else (i - (count - 1) / 2) * width
            spots = [p + offset for p in positions]
            colour = PALETTE[i % len(PALETTE)]
            if horizontal:
                ax.barh(spots, values, height=width, left=base if stacked else None, label=name, color=colour)
            else:
                ax.bar(spots, values, width=width, bottom=base if stacked else None, label=name, color=colour)
            if stacked:
                base = [b + v for b, v in zip(base, values, strict=True)]
        if horizontal:
            ax.set_yticks(positions, labels)
            ax.invert_yaxis()  # first label on top, as in the table beside it
            ax.set_xlabel(value_label)
            _whole_numbers(ax.xaxis)
        else:
            _category_ticks(ax, positions, labels)
            ax.set_ylabel(value_label)
            _whole_numbers(ax.yaxis)
        return len(series)

    return _draw(key, paint, height)


def lines(key: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *,
          value_label: str = "") -> str:
    """One line per series over ordered labels (weeks, months)."""

    def paint(ax: Any) -> int:
        positions = list(range(len(labels)))
        for i, (name, values) in enumerate(series):
            ax.plot(positions, values, marker="o", label=name, color=PALETTE[i % len(PALETTE)])
        _category_ticks(ax, positions, labels)
        ax.set_ylabel(value_label)
        _whole_numbers(ax.yaxis)
        ax.set_ylim(bottom=0)
        return len(series)

    return _draw(key, paint)
