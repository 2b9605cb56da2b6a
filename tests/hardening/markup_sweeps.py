"""The markup sweeps: hostile text through a rule set, a consultation file and a broken
rule set into the real window, each checked with :func:`tests.hardening.markup.check_shown`.

Each sweep takes the window factory as a parameter, so a planted-bug test can hand it
a deliberately weakened window and watch it report the slip.
"""

from __future__ import annotations

import itertools
import json
import shutil
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QMainWindow

from decision_aid.domain.consultation import MAX_KEY_LENGTH as KEY
from decision_aid.domain.consultation import MAX_NAME_LENGTH as NAME
from decision_aid.domain.consultation import MAX_REASON_LENGTH as REASON
from decision_aid.domain.consultation import MAX_TEXT_LENGTH as TEXT
from decision_aid.domain.rules import RuleSet
from decision_aid.gui import files
from tests.hardening.markup import (
    BoxRecorder,
    Shown,
    check_shown,
    collect_shown,
    fit,
    swept_rule_set,
    write_json,
)

__all__ = [
    "SweepReport",
    "rotating",
    "sweep_consultation_files",
    "sweep_error_panel",
    "sweep_rule_set_window",
]


@dataclass
class SweepReport:
    """What one sweep tried: inputs (one text in one field), how many were clean, problems."""

    inputs: int = 0
    clean: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    literal: set[str] = field(default_factory=set)
    """``Model.field`` (or consultation field) names seen on screen exactly as written."""

    def add(self, values: Mapping[str, str], kinds: Mapping[str, str], shown: list[Shown]) -> None:
        problems, literal = check_shown(shown, values)
        bad = {token for token in values if any(token in p for p in problems)}
        self.inputs += len(values)
        self.clean += len(values) - len(bad)
        self.problems += problems
        self.literal |= {kinds[token] for token in literal}


def rotating(payloads: list[str]) -> Callable[[str], str]:
    """A field → text assignment that hands out ``payloads`` in turn."""
    count = iter(range(10**9))
    return lambda where: payloads[next(count) % len(payloads)]


def _profiles(rule_set: RuleSet) -> Iterator[dict[str, object]]:
    """Answer sets that make different rules fire: none, all not known, each option in turn."""
    from decision_aid.domain import NOT_KNOWN
    from decision_aid.domain.questionnaire import QuestionType

    questions = list(rule_set.questionnaire.questions())
    yield {q.id: NOT_KNOWN for q in questions if q.not_known}
    widest = max((len(q.choices) for q in questions), default=1)
    for index in range(widest):
        answers: dict[str, object] = {}
        for question in questions:
            if question.type is QuestionType.NUMBER:
                answers[question.id] = float([40, 10, 90][index % 3])
            elif question.type is QuestionType.MULTIPLE:
                answers[question.id] = (question.choices[index % len(question.choices)].id,)
            else:
                answers[question.id] = question.choices[index % len(question.choices)].id
        yield answers


def sweep_rule_set_window(
    make_window: Callable[[Path], QMainWindow],
    boxes: BoxRecorder,
    source: Path,
    scratch: Path,
    rounds: list[list[str]],
    *,
    profiles: int | None = None,
) -> SweepReport:
    """Each round: every text field of a copy of ``source`` gets one of the round's
    payloads; the window is opened on it, shown every answer profile, the override
    dialog and the key list; every text on screen is checked. Stops after a round with
    problems (so device markup only follows probes that passed). ``profiles`` caps the
    answer sets shown in each round. The details switch is on, so the sources show."""

    from decision_aid.gui.main_window import MainWindow
    from decision_aid.gui.override_dialog import OverrideDialog

    report = SweepReport()
    start = time.monotonic()
    for number, payloads in enumerate(rounds):
        folder = scratch / f"round-{number}"
        values, kinds = swept_rule_set(source, folder, rotating(payloads))
        window = make_window(folder)
        assert isinstance(window, MainWindow)
        model = window.model
        if model is None:
            report.problems.append(f"round {number}: the swept rule set did not load")
            break
        if not window.menus.details_action.isChecked():  # rule ids and sources shown too
            window.menus.details_action.trigger()
        shown = collect_shown(window)
        for answers in itertools.islice(_profiles(model.rule_set), profiles):
            consultation = model.consultation
            for question_id, value in answers.items():
                consultation = consultation.with_answer(question_id, value, now=model.clock())
            model.replace(consultation)  # one change (and one autosave) per answer set
            shown += collect_shown(window)
        for setting in model.rule_set.info.settings:
            for choice in setting.choices:
                model.set_setting(setting.id, choice.id)
                shown += collect_shown(window.view.outcome)
        dialog = OverrideDialog(model.rule_set, model.assessment.outcome.id, "Dr A", window)
        shown += collect_shown(dialog)
        dialog.deleteLater()
        window.menus.show_keys()
        report.add(values, kinds, shown + boxes.take())
        window.close()
        if report.problems:
            break
    report.seconds = time.monotonic() - start
    return report


def _file_name(text: str) -> str:
    """``text`` as one file name: no ``/``, short enough for any file system."""
    return text.replace("/", "\u2215").replace("\x00", "")


def sweep_consultation_files(
    make_window: Callable[[Path], QMainWindow],
    boxes: BoxRecorder,
    rules: Path,
    scratch: Path,
    payloads: list[str],
    *,
    reload_every: int = 8,
) -> SweepReport:
    """Each payload in every text of a consultation file (label, notes, unknown answer
    keys and settings, bad values, override, rule-set reference, the file's name); the
    file is opened (its notices shown), offered for recovery and restored, its rule set
    reloaded (quietly and not: for the first two payloads and every ``reload_every``-th),
    and opened again with an unknown key (the error box),
    and an autosave with that key is offered (its warning)."""

    from decision_aid.gui.app import offer_recovery
    from decision_aid.gui.main_window import MainWindow

    report = SweepReport()
    start = time.monotonic()
    window = make_window(rules)
    assert isinstance(window, MainWindow)
    model = window.model
    assert model is not None, "the rule set for the consultation sweep must load"
    rule_set = model.rule_set
    first = next(rule_set.questionnaire.questions()).id
    setting = rule_set.info.settings[0].id if rule_set.info.settings else "basis"
    # A file's override whose level is not a level is set aside (never shown); every other
    # round gives a real level, so that the override's reason is shown and swept.
    real_level = rule_set.info.levels[0].id
    scratch.mkdir(parents=True, exist_ok=True)
    for number, payload in enumerate(payloads):
        values: dict[str, str] = {}
        kinds: dict[str, str] = {}

        def mark(kind: str, limit: int | None = None) -> str:
            token = f"§c{number}.{len(values)}§"  # noqa: B023 - used at once
            values[token] = fit(payload, token, limit)  # noqa: B023
            kinds[token] = kind  # noqa: B023
            return values[token]  # noqa: B023

        data = json.loads(model.consultation.to_json())
        data.update(
            id=uuid.uuid4().hex,
            patient_label=mark("patient_label", 40),
            notes=mark("notes"),
            answers={mark("unknown answer key", KEY): mark("its value", TEXT),
                     first: mark("bad answer", TEXT)},
            settings={mark("unknown setting", KEY): mark("its value", TEXT),
                      setting: mark("bad setting", TEXT)},
            overrides=[{"level": real_level if number % 2 else mark("override level", TEXT),
                        "reason": mark("override reason", REASON), "at": data["updated"],
                        "clinician": mark("override clinician", NAME)}],
            rule_set={"id": mark("rule set id", TEXT), "version": mark("rule set version", TEXT),
                      "digest": "0"},
        )  # fmt: skip
        name = _file_name(mark("file name", 80))
        files.open_path(window, write_json(scratch / f"{name}.json", data))
        shown = collect_shown(window) + boxes.take()
        window.autosave.close()  # as after a crash: the file is no longer held
        offer_recovery(window, window.autosave)
        found, _ = window.autosave.pending()
        window.restore(next(p for p in found if p.consultation.id == data["id"]))
        shown += collect_shown(window) + boxes.take()
        if number < 2 or number % reload_every == 0:  # a reload rebuilds the whole view
            window.reload_rules(quiet=True)  # its notices in the status line
            shown += collect_shown(window)
            files.open_path(window, scratch / f"{name}.json")
            window.reload_rules()  # its notices in a message box
            shown += boxes.take()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # old views
        broken = {**data, "id": uuid.uuid4().hex, mark("unknown key", 80): 1}
        files.open_path(window, write_json(scratch / f"{name}.broken.json", broken))
        write_json(window.autosave.folder / f"{broken['id']}.json", broken)
        offer_recovery(window, window.autosave)
        report.add(values, kinds, shown + boxes.take() + collect_shown(window))
        for left in window.autosave.folder.iterdir():  # each payload starts afresh
            left.unlink()
        if report.problems:  # device markup comes after the probes: never past a failure
            break
    window.close()
    report.seconds = time.monotonic() - start
    return report


def sweep_error_panel(
    make_window: Callable[[Path], QMainWindow],
    boxes: BoxRecorder,
    source: Path,
    scratch: Path,
    payloads: list[str],
) -> SweepReport:
    """Each payload in a broken copy of ``source``: in its folder's name, an unknown key
    and an unknown question a rule reads, so that the problems quote it; the window
    opens on it (the error panel), and reloads it."""

    from decision_aid.gui.main_window import MainWindow

    report = SweepReport()
    start = time.monotonic()
    scratch.mkdir(parents=True, exist_ok=True)
    for number, payload in enumerate(payloads):
        token, key, question = f"§e{number}§", f"§e{number}k§", f"§e{number}q§"
        values = {
            token: fit(payload, token, 80),
            key: fit(payload, key),
            question: fit(payload, question),
        }
        kinds = {token: "rules folder", key: "unknown key", question: "question id"}
        folder = scratch / _file_name(values[token])
        shutil.copytree(source, folder)
        info = yaml.safe_load((folder / "ruleset.yaml").read_text(encoding="utf-8"))
        info[values[key]] = 1
        (folder / "ruleset.yaml").write_text(yaml.safe_dump(info, allow_unicode=True), "utf-8")
        with (folder / "rules" / "swept.yaml").open("w", encoding="utf-8") as out:
            when = {"question": values[question], "is": "a"}
            rule = {"id": "swept", "title": "t", "patient_reason": "r", "rationale": "r",
                    "citations": ["x"], "when": when}  # fmt: skip
            yaml.safe_dump({"rules": [rule]}, out, allow_unicode=True)
        window = make_window(folder)
        assert isinstance(window, MainWindow)
        shown = collect_shown(window)
        window.reload_rules()
        shown += collect_shown(window) + boxes.take()
        window.close()
        values[token] = str(folder)  # the panel names the whole folder
        report.add(values, kinds, shown)
        if report.problems:
            break
    report.seconds = time.monotonic() - start
    return report
