"""The margin of the neural inflector's rule fallback: the rule baseline's form replaces the model's where the
model scores it within `margin` (log-probability) of its own; the margin is chosen on dev by exact match.
Pure Python (no torch), so the studies under `benchmarks/` can replay the choice on saved scores."""

from __future__ import annotations

from typing import Sequence

# Margins tried for the rule fallback (log-probability, natural log), smallest first; None: no fallback.
MARGIN_GRID = (None, 0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 12.0, 20.0)


def fallback_right(ours_right: Sequence[bool], theirs_right: Sequence[bool], gaps: Sequence[float],
                   margin: float | None) -> list[bool]:
    """Per item, whether the form is right after the rule fallback at `margin` (None: no fallback), given
    whether the model's and the rule baseline's forms are right and the model's score gap between them."""
    return [t if margin is not None and gap <= margin else o for o, t, gap in zip(ours_right, theirs_right, gaps)]


def best_margin(ours_right: Sequence[bool], theirs_right: Sequence[bool], gaps: Sequence[float]
                ) -> tuple[float | None, int]:
    """The margin of `MARGIN_GRID` with the most right forms (ties: the smaller; None first), and that count."""
    best, best_right = None, -1
    for margin in MARGIN_GRID:
        right = sum(fallback_right(ours_right, theirs_right, gaps, margin))
        if right > best_right:
            best, best_right = margin, right
    return best, best_right
