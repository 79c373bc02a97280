"""Order statistics for timing samples (no numpy: the harness must run in the dev extra too)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile, q in [0, 100]."""
    if not values:
        return math.nan
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


@dataclass(frozen=True)
class Summary:
    """Median, tail and spread of one sample."""

    n: int
    median: float
    p99: float
    p25: float
    p75: float
    min: float
    max: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        if not values:
            return cls(0, math.nan, math.nan, math.nan, math.nan, math.nan, math.nan)
        return cls(
            n=len(values),
            median=statistics.median(values),
            p99=percentile(values, 99),
            p25=percentile(values, 25),
            p75=percentile(values, 75),
            min=min(values),
            max=max(values),
        )

    def as_dict(self) -> dict[str, float]:
        return asdict(self)
