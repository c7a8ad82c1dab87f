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

import html
import math
import textwrap
from collections.abc import Sequence
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
