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

_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_SIZE = re.compile(r'\s(width|height)="[^"]*"')
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_ID_USE = re.compile(r'(id="|url\(#|href="#)([^")]+)')


def _draw(key: str, paint: Callable[[Any], int], height: float = HEIGHT_IN) -> str:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    settings: dict[Any, Any] = {"svg.fonttype": "none", "svg.hashsalt": "surgerybot", "font.size": 10,
                "axes.spines.top": False, "axes.spines.right": False,
                                # Room for the browser's fonts, a little wider than matplotlib's own.
                                "figure.constrained_layout.h_pad": 0.1, "figure.constrained_layout.w_pad": 0.1}
    with matplotlib.rc_context(settings):
        figure = Figure(figsize=(WIDTH_IN, height), layout="constrained")
        series = paint(figure.add_subplot())
        if series > 1:
            # Above the plot, never over a bar.
            figure.legend(loc="outside upper center", ncols=min(series, 4), frameon=False)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = _METADATA.sub("", _PROLOGUE.sub("", buffer.getvalue(), count=1), count=1)
    # Ids unique in the page: matplotlib names groups `patch_1`, `axes_1`… in every chart alike.
    svg = _ID_USE.sub(lambda m: f"{m.group(1)}{key}-{m.group(2)}", svg)
    # The viewBox stays; fixed width/height go, so the chart fits a phone screen and a printed page alike.
    opening, rest = svg.split(">", 1)
    opening = _SIZE.sub("", opening)
    return f'{opening} preserveAspectRatio="xMidYMid meet" focusable="false">{rest}'.strip()


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
            ax.set_xticks(positions, labels, rotation=45 if len(labels) > 8 else 0,
                          ha="right" if len(labels) > 8 else "center")
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
        ax.set_xticks(positions, labels, rotation=45 if len(labels) > 8 else 0,
                      ha="right" if len(labels) > 8 else "center")
        ax.set_ylabel(value_label)
        _whole_numbers(ax.yaxis)
        ax.set_ylim(bottom=0)
        return len(series)

    return _draw(key, paint)
