"""Percentiles without numpy (nearest-rank on the sorted values)."""

from __future__ import annotations

import math
import statistics


def percentile(ordered: list[float], q: float) -> float:
    if not ordered:
        return float("nan")
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def percentiles(values: list[float], digits: int = 1) -> dict[str, float]:
    ordered = sorted(values)
    if not ordered:
        return {}
    out = {str(q): round(percentile(ordered, q), digits) for q in (50, 95, 99)}
    out["max"] = round(ordered[-1], digits)
    out["mean"] = round(statistics.fmean(ordered), digits)
    return out
