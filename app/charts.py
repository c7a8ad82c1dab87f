"""Plotly figures from guarded aggregate tables: labels and numbers in, a figure dict out.

Builders are pure: they never read the database or the request, and they only
ever receive figures that the domain's guards let through. Every figure uses
``template="none"`` (the default theme adds about 6 KB to each) and our own
colours. Plotly reads a little HTML inside text, so every label is escaped
here: a label a facilitator typed is shown as text, never as markup.
Pages draw the figures with the app's own copy of plotly.js and put a table
with the same numbers beside each one for screen readers and for pages
without JavaScript.
"""

from __future__ import annotations

import copy
import html
import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

ACCENT = "#1f5c4a"
#: Light to dark, distinguishable without colour vision and in print.
BIN_COLOURS = ("#c9dfd6", "#6b9e8c", "#1f5c4a")
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 16}


#: Long labels wrap onto lines of about this many characters, so phones keep room for bars.
WRAP = 22


def label(text: str) -> str:
    """Escape a label for plotly and wrap it onto short lines."""
    lines = textwrap.wrap(text, WRAP) or [""]
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def _layout(rows: int, **extra: Any) -> dict[str, Any]:
    # The page's heading names the chart; a title inside it would say it twice.
    return {
        "template": "none",
        "font": FONT,
        "height": 80 + 64 * rows,
        "margin": {"l": 8, "r": 24, "t": 16, "b": 40},
        "yaxis": {"automargin": True, "autorange": "reversed"},
        "hovermode": False,
        **extra,
    }


def mixture(rows: Sequence[tuple[str, float]]) -> dict[str, Any]:
    """A horizontal bar per motive: the room's mean share of each, from 0 to 100%."""
    labels = [label(text) for text, _ in rows]
    values = [float(value) for _, value in rows]
    # Half the scale shows an even mixture (25% each) clearly; larger shares widen it.
    top = max(0.5, math.ceil(max(values, default=0) * 10) / 10)
    figure = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker={"color": ACCENT},
            text=[f"{v:.0%}" for v in values],
            textposition="outside",
            cliponaxis=False,
        ),
        layout=_layout(
            len(rows), xaxis={"range": [0, top], "tickformat": ".0%", "fixedrange": True}
        ),
    )
    return figure.to_plotly_json()


def distribution(rows: Sequence[tuple[str, Sequence[int]]], bins: Sequence[str]) -> dict[str, Any]:
    """One stacked bar per motive: the share of people in each of its (at most 3) bins."""
    labels = [label(text) for text, _ in rows]
    traces = []
    for index, name in enumerate(bins):
        shares = [counts[index] / sum(counts) if sum(counts) else 0.0 for _, counts in rows]
        traces.append(
            go.Bar(
                name=label(name),
                x=shares,
                y=labels,
                orientation="h",
                marker={"color": BIN_COLOURS[index % len(BIN_COLOURS)]},
            )
        )
    figure = go.Figure(
        traces,
        layout=_layout(
            len(rows),
            barmode="stack",
            xaxis={"range": [0, 1], "tickformat": ".0%", "fixedrange": True},
            legend={
                "orientation": "h",
                "x": 0,
                "y": -0.1,
                "yanchor": "top",
                "traceorder": "normal",
            },
        ),
    )
    figure.update_layout(height=150 + 64 * len(rows), margin={"b": 100})
    return figure.to_plotly_json()


def choices(rows: Sequence[tuple[str, int]]) -> dict[str, Any]:
    """A horizontal bar per option: how many people in the room chose it."""
    labels = [label(text) for text, _ in rows]
    values = [int(value) for _, value in rows]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker={"color": ACCENT},
            text=[str(v) for v in values],
            textposition="outside",
            cliponaxis=False,
        ),
        layout=_layout(
            len(rows),
            xaxis={"rangemode": "tozero", "dtick": 1 if max(values, default=0) <= 10 else None},
        ),
    )
    return figure.to_plotly_json()


def _legend_height(entries: int) -> int:
    """Room for a legend of ``entries`` lines, each label wrapped onto at most two."""
    return 44 * entries


def _legend_below() -> dict[str, Any]:
    """A legend in the figure's bottom margin, one entry a line, clear of the axis labels."""
    return {
        "orientation": "v",
        "x": 0,
        "xref": "container",
        "xanchor": "left",
        "y": 0,
        "yref": "container",
        "yanchor": "bottom",
        "traceorder": "normal",
    }


def oriented(figure: Mapping[str, Any], right_to_left: bool) -> Mapping[str, Any]:
    """The figure laid out for the page's reading direction.

    Right to left, the value axis grows from the right, category labels stand on
    the right, and a legend beside the plot sits at its right; left to right it is
    unchanged.
    """
    if not right_to_left:
        return figure
    layout = copy.deepcopy(dict(figure.get("layout", {})))
    xaxis = layout.setdefault("xaxis", {})
    if xaxis.get("range"):
        xaxis["range"] = list(reversed(xaxis["range"]))
    else:
        xaxis["autorange"] = "reversed"
    layout.setdefault("yaxis", {})["side"] = "right"
    margin = layout.setdefault("margin", {})
    margin["l"], margin["r"] = margin.get("r", 24), margin.get("l", 8)
    legend = layout.get("legend")
    if legend and legend.get("xref") != "container":
        # A legend beside the plot moves to its right; one below it spans the whole width
        # already, and moving it would push the plot area off a phone's screen.
        legend.update({"x": 1, "xanchor": "right"})
    return {**figure, "layout": layout}


#: One colour per motive, told apart by lightness as well as hue.
SERIES_COLOURS = ("#1f5c4a", "#b5562b", "#6b9e8c", "#7a5c99")


def trend(periods: Sequence[str], series: Sequence[tuple[str, Sequence[float]]]) -> dict[str, Any]:
    """One line per motive over the periods shown: the mean share in each, from 0 to 100%."""
    x = [label(p) for p in periods]
    traces = [
        go.Scatter(
            x=x,
            y=[float(v) for v in values],
            name=label(name),
            mode="lines+markers",
            line={"color": SERIES_COLOURS[index % len(SERIES_COLOURS)], "width": 3},
            marker={"size": 9},
        )
        for index, (name, values) in enumerate(series)
    ]
    top = max((float(v) for _, values in series for v in values), default=0.0)
    figure = go.Figure(
        traces,
        layout={
            "template": "none",
            "font": FONT,
            "height": 280 + _legend_height(len(series)),
            "margin": {"l": 48, "r": 24, "t": 16, "b": 48 + _legend_height(len(series))},
            "yaxis": {
                "range": [0, max(0.5, math.ceil(top * 10) / 10)],
                "tickformat": ".0%",
                "fixedrange": True,
            },
            "xaxis": {"fixedrange": True, "type": "category"},
            "legend": _legend_below(),
            "hovermode": False,
        },
    )
    return figure.to_plotly_json()


def comparison(
    groups: Sequence[str], series: Sequence[tuple[str, Sequence[float]]]
) -> dict[str, Any]:
    """Grouped horizontal bars: each group's mean share of each motive."""
    y = [label(g) for g in groups]
    traces = [
        go.Bar(
            x=[float(v) for v in values],
            y=y,
            name=label(name),
            orientation="h",
            marker={"color": SERIES_COLOURS[index % len(SERIES_COLOURS)]},
        )
        for index, (name, values) in enumerate(series)
    ]
    top = max((float(v) for _, values in series for v in values), default=0.0)
    figure = go.Figure(
        traces,
        layout=_layout(
            len(groups) * max(len(series), 1) // 2 + 1,
            barmode="group",
            xaxis={
                "range": [0, max(0.5, math.ceil(top * 10) / 10)],
                "tickformat": ".0%",
                "fixedrange": True,
            },
            legend=_legend_below(),
        ),
    )
    below = 48 + _legend_height(len(series))
    figure.update_layout(height=figure.layout.height + below, margin={"b": below})
    return figure.to_plotly_json()
