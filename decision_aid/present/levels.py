"""How outcome levels look: a shape, a colour and plain words, never colour alone.

Okabe–Ito colours, safe for colour-blind readers; black text on each keeps a WCAG
contrast ratio above 4.5:1 (a test checks it). Levels are styled by their rank, so
a rule set with other level ids still gets distinct shapes.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LevelStyle", "contrast_ratio", "level_style"]


@dataclass(frozen=True)
class LevelStyle:
    shape: str
    background: str
    foreground: str = "#000000"


_STYLES = (
    LevelStyle("\u25cf", "#009E73"),  # ● bluish green
    LevelStyle("\u25b2", "#E69F00"),  # ▲ orange
    LevelStyle("\u25c6", "#56B4E9"),  # ◆ sky blue
    LevelStyle("\u25a0", "#D55E00"),  # ■ vermilion
)


def level_style(rank: int, count: int) -> LevelStyle:
    """The style for the level at ``rank`` (0 = most favourable) of ``count`` levels."""
    if count <= 1:
        return _STYLES[0]
    index = round(rank * (len(_STYLES) - 1) / (count - 1))
    return _STYLES[index]


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
