"""Exact integer allocation: split a published total over items within per-item bounds."""

from __future__ import annotations

import random
from collections.abc import Sequence


class AllocationError(ValueError):
    """The total cannot be split within the bounds."""


def allocate(
    total: int,
    lows: Sequence[int],
    highs: Sequence[int],
    weights: Sequence[float],
    rng: random.Random,
) -> list[int]:
    """Integers ``out[i]`` in ``[lows[i], highs[i]]`` summing to ``total``, roughly proportional to ``weights``.

    Used so that the seed hits every published count exactly while each compound stays inside the bounds
    its planted gaps demand (e.g. a compound planted without building leaders gets few of them).
    """
    lo_sum, hi_sum = sum(lows), sum(highs)
    if not lo_sum <= total <= hi_sum:
        raise AllocationError(f"cannot split {total} over {len(lows)} items within [{lo_sum}, {hi_sum}]")
    out = list(lows)
    remaining = total - lo_sum
    while remaining > 0:
        eligible = [i for i in range(len(out)) if out[i] < highs[i]]
        wsum = sum(max(weights[i], 1e-9) for i in eligible)
        given = 0
        for i in eligible:
            share = min(highs[i] - out[i], int(remaining * max(weights[i], 1e-9) / wsum))
            out[i] += share
            given += share
        remaining -= given
        if given == 0:
            # Shares rounded down to nothing: hand out single units, heaviest first with random ties.
            order = sorted(eligible, key=lambda i: (-weights[i], rng.random()))
            for i in order[:remaining]:
                out[i] += 1
            remaining -= min(remaining, len(order))
    return out
