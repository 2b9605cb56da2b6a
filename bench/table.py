"""One row of the benchmark table, and the table printed the same way by every benchmark.

Each benchmark module has ``run(quick: bool = False) -> list[Row]``; ``python -m bench``
runs them all and prints one table. A ratio is always against a baseline timed in the
same run (interleaved, medians), because the machines are shared and noisy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Row", "format_table"]


@dataclass(frozen=True)
class Row:
    figure: str  # what was measured, e.g. "evaluate → full Assessment"
    baseline: str  # what it is compared with, or "—" for an absolute target
    measured: str  # the figures behind the ratio, e.g. "812 µs vs 250 µs"
    ratio: float | None  # measured / baseline; None for an absolute target
    target: str  # e.g. "≤ 4×" or "< 16 ms median"
    met: bool


def format_table(rows: Sequence[Row]) -> str:
    """A Markdown table, so the README can show it as it is."""
    lines = [
        "| figure | baseline in the same run | measured | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        ratio = "—" if row.ratio is None else f"{row.ratio:.2f}×"
        met = "yes" if row.met else "**no**"
        lines.append(
            f"| {row.figure} | {row.baseline} | {row.measured} | {ratio} | {row.target} | {met} |"
        )
    return "\n".join(lines)
