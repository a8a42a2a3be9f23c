"""Charts of the index, one library for pages and reports: matplotlib (pinned), drawing SVG for
pages and PNG for PDFs from the same figure code.

Why matplotlib: it renders on the server with no JavaScript and nothing loaded at run time (the
design forbids CDN scripts), its SVG keeps text as text (so the browser's fonts show Vietnamese
and screen readers and search see it), and its PNG output goes straight into reportlab. Its
bundled DejaVu Sans has every Vietnamese letter, and the PDF reports use the same font file.
Every chart on a page sits next to a table of the same numbers, its text alternative.

Figures are built with ``matplotlib.figure.Figure`` (not pyplot), which keeps no global state
and is safe in a threaded server. Numbers on axes follow the active language's decimal mark.
"""

from __future__ import annotations

import hashlib
import io
import re
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib
from django.template.defaultfilters import floatformat
from django.utils.formats import number_format
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

FONT_PATH = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
FONT_BOLD_PATH = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans-Bold.ttf"

# Pages cache their charts for an hour under a key holding ``drawing_version()``, so a deploy that
# draws differently never shows yesterday's SVG. Bump CHARTS_VERSION when a change outside this
# module alters the drawing (a template filter, a font); a change to this module or to matplotlib
# changes the version by itself (the source's hash).
CHARTS_VERSION = 1
_DRAWING_HASH = ""  # hashed on the first chart request, not at import (start-up reads no file)


def drawing_version() -> str:
    """What the charts are drawn by: ``CHARTS_VERSION`` and a hash of this module and matplotlib."""
    global _DRAWING_HASH
    if not _DRAWING_HASH:
        _DRAWING_HASH = hashlib.sha256(Path(__file__).read_bytes() + matplotlib.__version__.encode()).hexdigest()[:12]
    return f"{CHARTS_VERSION}.{_DRAWING_HASH}"


PRIMARY = "#0b5cad"
ACCENT = "#e07b00"
MUTED = "#8a99a8"
PALETTE = ["#0b5cad", "#e07b00", "#2e8b57", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#d35400"]

STYLE: Any = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.fonttype": "none",
    "svg.hashsalt": "innohub",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#5b6b7b",
    "axes.titlesize": 10,
}


def fmt(value: float, digits: int = 2) -> str:
    """A number in the active language's format, rounded (Django's number_format truncates)."""
    return number_format(round(float(value), digits), digits)


def value_text(value: float, measure: str = "") -> str:
    """An indicator's value with its unit of measure, as pages and reports show it: grouped
    thousands, up to two decimals and none for a whole number ("2 doanh nghiệp", "13,99 đơn")."""
    return f"{floatformat(value, '-2g')} {measure}".strip()


def _number(value: float, _pos: int | None = None, digits: int = 0) -> str:
    return fmt(value, digits)


def _figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(width, height), layout="constrained")
    return figure


PAGE_WIDTH = 3.8  # inches: on a phone the SVG is shown at about this size, so text stays legible
REPORT_WIDTH = 6.4


def _wrap(label: str, width: int) -> str:
    return textwrap.fill(label, width) if width else label


def bar_chart(
    labels: Sequence[str], values: Sequence[float | None], *, xlabel: str = "", highlight: str | None = None,
    limit: float | None = 100, width: float = REPORT_WIDTH, wrap: int = 0,
) -> Figure:
    """Horizontal bars, first label at the top (a ranking reads downwards)."""
    labels = [_wrap(label, wrap) for label in labels]
    with matplotlib.rc_context(STYLE):
        lines = sum(label.count("\n") + 1 for label in labels)
        height = max(1.6, 0.2 * lines + 0.12 * len(labels) + 0.8)
        figure = _figure(width, height)
        ax = figure.add_subplot()
        clean = [v if v is not None else 0.0 for v in values]
        colours = [ACCENT if label == highlight else PRIMARY for label in labels]
        positions = list(range(len(labels)))
        ax.barh(positions, clean, color=colours)
        ax.set_yticks(positions, labels=list(labels))
        ax.invert_yaxis()
        if limit is not None:
            ax.set_xlim(0, max(limit, max(clean, default=0)))
        for pos, value in zip(positions, values, strict=True):
            if value is not None:
                ax.text(value, pos, " " + fmt(value, 1), va="center", fontsize=8)
        ax.xaxis.set_major_formatter(FuncFormatter(_number))
        ax.set_xlabel(xlabel)
    return figure


LEGEND_FONT = 7
LEGEND_COLUMNS = 2


def _legend_labels(labels: Sequence[str], width: float, ncols: int) -> list[str]:
    """Legend labels wrapped so that ``ncols`` columns of them fit the figure's width (at 7 pt a
    DejaVu Sans letter is about 4.3 pt wide; the marker and gaps take about 8 letters)."""
    letters = max(12, int(width * 72 / 4.3 / ncols) - 8)
    return [textwrap.fill(label, letters) for label in labels]


def _legend_below(figure: Figure, handles: list[Any], labels: list[str], ncols: int) -> None:
    """The legend under the plot, outside the axes, so it covers no data and is not cut."""
    figure.legend(handles, labels, fontsize=LEGEND_FONT, loc="outside lower center", ncols=ncols, frameon=False)


def _legend_height(labels: Sequence[str], ncols: int) -> float:
    rows = [labels[i:i + ncols] for i in range(0, len(labels), ncols)]
    return 0.16 * sum(max(label.count("\n") + 1 for label in row) for row in rows)


def line_chart(
    years: Sequence[int], series: dict[str, Sequence[float | None]], *, ylabel: str = "", width: float = REPORT_WIDTH
) -> Figure:
    """One line per series; the legend sits under the plot so a narrow chart keeps its width."""
    with matplotlib.rc_context(STYLE):
        labels = _legend_labels(list(series), width, LEGEND_COLUMNS)
        figure = _figure(width, 2.6 + _legend_height(labels, LEGEND_COLUMNS))
        ax = figure.add_subplot()
        handles, shown = [], []
        for n, (label, values) in enumerate(zip(labels, series.values(), strict=True)):
            points = [(y, v) for y, v in zip(years, values, strict=True) if v is not None]
            if not points:
                continue
            xs, ys = zip(*points, strict=True)
            (line,) = ax.plot(xs, ys, marker="o", color=PALETTE[n % len(PALETTE)], linewidth=2.2 if n == 0 else 1.2)
            handles.append(line)
            shown.append(label)
        ax.set_xticks(list(years), labels=[str(y) for y in years])
        ax.yaxis.set_major_formatter(FuncFormatter(_number))
        ax.set_ylabel(ylabel)
        _legend_below(figure, handles, shown, LEGEND_COLUMNS)
    return figure


def interval_chart(
    labels: Sequence[str], median: Sequence[float], low: Sequence[float], high: Sequence[float],
    nominal: Sequence[float], *, xlabel: str = "", median_label: str = "", nominal_label: str = "",
    width: float = REPORT_WIDTH,
) -> Figure:
    """Each unit's rank: the 5th–95th percentile interval as a line, the median as a dot and the
    nominal rank as a cross; rank 1 on the left."""
    with matplotlib.rc_context(STYLE):
        legend = _legend_labels([median_label, nominal_label], width, LEGEND_COLUMNS)
        figure = _figure(width, max(1.6, 0.32 * len(labels) + 0.9) + _legend_height(legend, LEGEND_COLUMNS))
        ax = figure.add_subplot()
        positions = list(range(len(labels)))
        ax.hlines(positions, low, high, color=MUTED, linewidth=3)
        (medians,) = ax.plot(median, positions, "o", color=PRIMARY)
        (nominals,) = ax.plot(nominal, positions, "x", color=ACCENT)
        ax.set_yticks(positions, labels=list(labels))
        ax.invert_yaxis()
        ax.set_xlim(0.5, len(labels) + 0.5)
        ax.xaxis.set_major_formatter(FuncFormatter(_number))
        ax.set_xlabel(xlabel)
        _legend_below(figure, [medians, nominals], legend, LEGEND_COLUMNS)
    return figure


_SVG_START = re.compile(r"^.*?(<svg\b)", re.S)
_SIZE = re.compile(r'\s(width|height)="[^"]*"')
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>.*?</style>", re.S)


def _presentation_attributes(match: re.Match[str]) -> str:
    """``style="fill: #fff; stroke-width: 0.8"`` → ``fill="#fff" stroke-width="0.8"``: the
    page's Content-Security-Policy blocks style attributes, not SVG presentation attributes
    (matplotlib writes only properties that have one: fill, stroke…, font-size, text-anchor)."""
    declarations = (part.split(":", 1) for part in match.group(1).split(";") if ":" in part)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in declarations)


def to_svg(figure: Figure, *, label: str) -> str:
    """Inline SVG for a page: no XML prologue, scalable, announced as one image with a label;
    styled by presentation attributes only (no ``style`` attribute or element, which the
    Content-Security-Policy would block)."""
    buffer = io.StringIO()
    with matplotlib.rc_context(STYLE):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = _SVG_START.sub(r"\1", buffer.getvalue(), count=1)
    svg = _STYLE_ATTRIBUTE.sub(_presentation_attributes, _STYLE_ELEMENT.sub("", svg))
    head, rest = svg.split(">", 1)
    head = _SIZE.sub("", head)
    escaped = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    # matplotlib's <style> element set these two for every element; inherited from the root
    return (f'{head} role="img" aria-label="{escaped}" focusable="false" stroke-linejoin="round"'
            f' stroke-linecap="butt">{rest}')


def to_png(figure: Figure, *, dpi: int = 160) -> bytes:
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
