"""Outcome levels look different in shape as well as colour, and stay readable."""

from __future__ import annotations

from decision_aid.present.levels import contrast_ratio, level_style


def test_four_levels_have_four_shapes_and_readable_badges() -> None:
    styles = [level_style(rank, 4) for rank in range(4)]
    assert [s.shape for s in styles] == ["\u25cf", "\u25b2", "\u25c6", "\u25a0"]
    assert len({s.background for s in styles}) == 4
    for style in styles:
        assert contrast_ratio(style.foreground, style.background) >= 4.5


def test_contrast_ratio_matches_wcag_extremes() -> None:
    assert round(contrast_ratio("#000000", "#FFFFFF"), 1) == 21.0
    assert contrast_ratio("#777777", "#777777") == 1.0
