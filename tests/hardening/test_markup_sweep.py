"""Text from a file is shown as text: hostile markup in every text field of a rule set
and of a consultation file reaches the window, its dialogs and its error panel
literally, and never makes Qt load anything (``<img src=/dev/zero>`` would read the
device until memory runs out).

The probes (markup that renders but costs nothing) run first; the device markup only
once every field has been shown to stay plain with them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BUNDLED, MINI
from tests.hardening.harness import CASES, budget
from tests.hardening.markup import (
    DEVICE_MARKUP,
    PROBE_MARKUP,
    BoxRecorder,
    hostile_markup,
    swept_rule_set,
    text_field_names,
)
from tests.hardening.markup_sweeps import (
    rotating,
    sweep_consultation_files,
    sweep_error_panel,
    sweep_rule_set_window,
)

SHOWN_FIELDS = {
    "Section.title", "Section.intro", "Question.text", "Question.help", "Question.unit",
    "Option.label", "Level.label", "Setting.label", "SettingChoice.label", "Rule.title",
    "Rule.patient_reason", "Rule.cautions", "Rule.actions", "Reference.short",
    "Citation.grade", "Question.label", "RuleSetInfo.title",
}  # fmt: skip
"""Fields the window shows: each must have been seen, literally, in the sweep."""


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> BoxRecorder:
    return BoxRecorder(monkeypatch)


def probe_rounds(canary: Path) -> list[list[str]]:
    """All the probes in every field at once, then each field one probe (in turn)."""
    probes = [p.format(canary=canary) for p in PROBE_MARKUP]
    rotations = (probes[i:] + probes[:i] for i in range(0, len(probes), 5))
    return [[joined(probes)], *rotations]


def joined(payloads: list[str]) -> str:
    """Several payloads as one text (the long one left to the rounds of one payload each)."""
    return " ".join(p for p in payloads if len(p) < 200)


def test_every_rule_set_text_field_is_shown_literally(
    make_window: Callable[[Path], Any], boxes: BoxRecorder, tmp_path: Path
) -> None:
    canary = tmp_path / "canary.png"
    canary.write_bytes(b"\x89PNG\r\n\x1a\n")
    rounds = probe_rounds(canary)
    rounds += [[joined(list(DEVICE_MARKUP))], list(DEVICE_MARKUP)]
    rounds += [hostile_markup(seed, 40) for seed in range(budget(1))]
    report = sweep_rule_set_window(make_window, boxes, MINI, tmp_path / "swept", rounds)
    CASES["markup/rule set fields"] += report.inputs
    print(f"rule set fields: {report.inputs} inputs, {report.clean} clean, {report.seconds:.1f} s")
    assert report.problems == []
    assert report.clean == report.inputs
    assert report.literal >= SHOWN_FIELDS, SHOWN_FIELDS - report.literal


def all_markup(canary: Path) -> list[str]:
    probes = [p.format(canary=canary) for p in PROBE_MARKUP]
    every = [joined(probes), joined(list(DEVICE_MARKUP)), *probes, *DEVICE_MARKUP]
    return [*every, *hostile_markup(7, budget(4))]


def test_every_consultation_file_text_is_shown_literally(
    make_window: Callable[[Path], Any], boxes: BoxRecorder, tmp_path: Path
) -> None:
    report = sweep_consultation_files(
        make_window, boxes, MINI, tmp_path / "files", all_markup(tmp_path / "canary.png")
    )
    CASES["markup/consultation fields"] += report.inputs
    print(f"consultation: {report.inputs} inputs, {report.clean} clean, {report.seconds:.1f} s")
    assert report.problems == []
    assert report.literal >= {"patient_label", "notes", "unknown answer key", "override reason"}


def test_the_error_panel_shows_quoted_markup_literally(
    make_window: Callable[[Path], Any], boxes: BoxRecorder, tmp_path: Path
) -> None:
    report = sweep_error_panel(
        make_window, boxes, MINI, tmp_path / "broken", all_markup(tmp_path / "canary.png")
    )
    CASES["markup/error panel"] += report.inputs
    print(f"error panel: {report.inputs} inputs, {report.clean} clean, {report.seconds:.1f} s")
    assert report.problems == []
    assert report.literal >= {"rules folder", "unknown key", "question id"}


def test_the_bundled_rule_set_s_text_is_shown_literally(
    make_window: Callable[[Path], Any], boxes: BoxRecorder, tmp_path: Path
) -> None:
    canary = tmp_path / "canary.png"
    probes = [p.format(canary=canary) for p in PROBE_MARKUP]
    rounds = [[joined(probes)], [joined(list(DEVICE_MARKUP))]]
    report = sweep_rule_set_window(
        make_window, boxes, BUNDLED, tmp_path / "swept", rounds, profiles=budget(3)
    )
    CASES["markup/rule set fields"] += report.inputs
    print(f"bundled fields: {report.inputs} inputs, {report.clean} clean, {report.seconds:.1f} s")
    assert report.problems == []
    assert report.literal >= SHOWN_FIELDS, SHOWN_FIELDS - report.literal


def test_the_sweep_reaches_every_text_field_of_the_models(tmp_path: Path) -> None:
    """A text field added to a model is swept without a change to the sweep."""
    reached: set[str] = set()
    for source in (MINI, BUNDLED):
        _, kinds = swept_rule_set(source, tmp_path / source.name, rotating(["x"]))
        reached |= set(kinds.values())
    made_by_the_loader = {"RuleSet.digest", "RuleSet.source"}
    assert text_field_names() - made_by_the_loader <= reached
