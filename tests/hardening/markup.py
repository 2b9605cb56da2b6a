"""The markup sweep's harness: hostile text into every text field, and what the window shows.

The contract (:func:`check_shown`): every piece of text the window puts on screen is
read by the user exactly as the file wrote it. A widget Qt renders as plain text shows
its text as it is (buttons and buddy labels less their ``&`` shortcut marks, window
titles less their ``[*]``); a widget Qt renders as rich text (a label or message box in
``RichText``, or in ``AutoText`` when the text looks like HTML; a tooltip that looks
like HTML; a text browser) must show, once its HTML is read back with
:class:`QTextDocument`, every file string it quotes in full, and its own tags must not
ask Qt to load anything (an ``<img>``, a ``background``, a ``url(...)``).

:func:`swept_rule_set` writes a copy of a rule set with every text field replaced, the
fields found from the pydantic models (a new text field is swept without a change
here); :func:`collect_shown` walks a widget tree; :class:`BoxRecorder` records every
message box instead of showing it.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import re
import shutil
import sys
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QAction, QTextDocument
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from decision_aid.domain.leaflet import SheetContent
from decision_aid.domain.questionnaire import Questionnaire
from decision_aid.domain.rules import RuleSet, RuleSetInfo

__all__ = [
    "DEVICE_MARKUP",
    "PROBE_MARKUP",
    "BoxRecorder",
    "Shown",
    "check_shown",
    "collect_shown",
    "fit",
    "hostile_markup",
    "swept_rule_set",
    "text_field_names",
    "title_shown",
    "without_mnemonics",
]

PROBE_MARKUP = (
    "<b>bold</b> text",
    '<a href="https://evil.example/">click here</a>',
    "<img src='{canary}'> picture",
    "<table><tr><td>cell</td></tr></table> table",
    "&amp; &lt;b&gt; &nbsp;entities",
    "<qt>qt mode</qt>",
    "before <!-- hidden after",
    "<style>* {{ color: red }}</style>styled",
    "<h1>Big</h1><script>alert(1)</script>",
    "<p style='font-size:400px'>huge</p>",
    "A & B && C &x",
    "[*] marked [*][*]",
    "**bold** [link](https://evil.example/) # heading",
    "<i>" + "long " * 400,
)
"""Markup that renders if it gets through, but costs nothing: swept first, in every field."""

DEVICE_MARKUP = (
    '<img src="/dev/zero">',
    '<img src="file:///dev/urandom">',
    '<table background="file:///dev/zero"><tr><td>x</td></tr></table>',
    "<p style='background-image:url(/dev/zero)'>x</p>",
)
"""Markup that makes Qt read a device until memory runs out: only once the probes pass."""

_FRAGMENTS = (
    "<", ">", "&", ";", "/", '"', "'", "=", "!", "-", "[*]", "<b>", "</b>", "<br>", "<img",
    " src=", "<a", " href=", "&amp;", "&#60;", "&lt;", "<!--", "-->", "<qt>", "<style>",
    "{", "}", "*", "_", "#", "\u202e", "é", " ", "x",
)  # fmt: skip

_TAG = re.compile(r"<[^>]*>")
_TOKEN = re.compile(r"§[0-9a-z.]{1,16}§")
"""How each swept text is marked (``§17§``): found again wherever it is shown."""
_LOADS = re.compile(r"<\s*img\b|background|url\s*\(|<\s*link\b", re.IGNORECASE)


def hostile_markup(seed: int, count: int) -> list[str]:
    """``count`` generated strings of markup fragments (deterministic for a ``seed``)."""
    import random

    rng = random.Random(seed)
    return ["".join(rng.choices(_FRAGMENTS, k=rng.randint(1, 12))) for _ in range(count)]


def fit(payload: str, token: str, limit: int | None = None) -> str:
    """``payload`` marked with ``token``, cut so that the whole fits in ``limit``."""
    if limit is None:
        return f"{payload} {token}"
    return f"{payload[: max(0, limit - len(token) - 1)]} {token}"


# -- the fields: found from the models -------------------------------------------------


def _has_pattern(metadata: Iterable[Any]) -> bool:
    return any(
        getattr(m, "pattern", None) or (isinstance(m, FieldInfo) and _has_pattern(m.metadata))
        for m in metadata
    )


def _is_text(annotation: Any, metadata: Iterable[Any] = ()) -> bool:
    """A str (or a sequence of str) without a pattern: words for a person, not an id."""
    if _has_pattern(metadata):
        return False
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if annotation is str:
        return True
    if origin is typing.Annotated:
        return _is_text(args[0], args[1:])
    if origin in (typing.Union, types.UnionType):
        kinds = [a for a in args if a is not type(None)]
        return bool(kinds) and all(_is_text(a) for a in kinds)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _is_text(args[0])
    return False


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return []
    return [m for a in typing.get_args(annotation) for m in _models_in(a)]


def _fields(model: type[BaseModel]) -> dict[str, FieldInfo]:
    """The fields a YAML mapping for ``model`` may hold (conditions are ids, not words)."""
    if model.__module__.endswith(".conditions"):
        return {}
    return {info.alias or name: info for name, info in model.model_fields.items()}


_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

_ROOT = _fields(RuleSet)
"""The top level of a rule-set file that is not one model (``rules:``, ``references:``)."""

_FILE_MODELS: dict[str, type[BaseModel]] = {
    "ruleset.yaml": RuleSetInfo,
    "questionnaire.yaml": Questionnaire,
    "sheet.yaml": SheetContent,
}
"""Files whose top level is one model (as :mod:`decision_aid.domain.loading` reads them)."""

_ONLY_WHERE: dict[str, Callable[[dict[str, Any]], bool]] = {
    "Question.unit": lambda question: question.get("type") == "number",
}
"""Optional text fields the loader refuses elsewhere: added only where these hold."""

_REFERENCES = frozenset({"citations"})


def _anywhere(node: dict[str, Any]) -> bool:
    return True


"""Fields typed as plain text that hold reference ids (the sheet's blocks cite by id)."""


def _text_field(info: FieldInfo, key: str) -> bool:
    return key not in _REFERENCES and _is_text(info.annotation, info.metadata)


def text_field_names() -> set[str]:
    """Every text field of every model a rule set is made of, as ``Model.field``."""
    names: set[str] = set()
    pending: list[type[BaseModel]] = [RuleSet]
    seen: set[type[BaseModel]] = set()
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.add(model)
        for key, info in _fields(model).items():
            if _text_field(info, key):
                names.add(f"{model.__name__}.{key}")
            pending.extend(_models_in(info.annotation))
    return names


@dataclass
class _Sweep:
    assign: Callable[[str], str]
    """Field path → the text to put there (the caller marks it with a token)."""
    values: dict[str, str] = field(default_factory=dict)
    """Token → the text put in."""
    paths: dict[str, str] = field(default_factory=dict)
    """Token → where it was put (``file:key/0/key``)."""
    kinds: dict[str, str] = field(default_factory=dict)
    """Token → ``Model.field``."""

    def put(self, where: str, kind: str) -> str:
        token = f"§{len(self.values)}§"
        text = self.assign(where)
        value = fit(text, token)
        self.values[token], self.paths[token], self.kinds[token] = value, where, kind
        return value

    def walk(self, node: Any, model: type[BaseModel] | None, where: str) -> None:
        """Sweep the mapping ``node`` for ``model`` (``None``: a file's top level)."""
        if not isinstance(node, dict):
            return
        fields = _fields(model) if model is not None else _ROOT
        if model is not None:
            for key, info in fields.items():
                wanted = _ONLY_WHERE.get(f"{model.__name__}.{key}", _anywhere)
                missing = key not in node and not info.is_required()
                if missing and _text_field(info, key) and wanted(node):
                    node[key] = None  # an optional text field the file left out: sweep it too
        for key in list(node):
            if key not in fields:
                continue
            info = fields[key]
            here = f"{where}/{key}"
            kind = f"{model.__name__ if model else 'RuleSet'}.{key}"
            value = node[key]
            if _text_field(info, key):
                if isinstance(value, list) or (value is None and _sequence(info.annotation)):
                    count = max(1, len(value or []))
                    node[key] = [self.put(f"{here}/{i}", kind) for i in range(count)]
                elif value is None or isinstance(value, str):
                    node[key] = self.put(here, kind)
                continue
            for sub in _models_in(info.annotation)[:1]:
                for index, item in enumerate(value if isinstance(value, list) else [value]):
                    self.walk(item, sub, f"{here}/{index}")


def _sequence(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _sequence(args[0])
    if origin in (typing.Union, types.UnionType):
        return any(_sequence(a) for a in args if a is not type(None))
    return origin is tuple


def swept_rule_set(
    source: Path, target: Path, assign: Callable[[str], str]
) -> tuple[dict[str, str], dict[str, str]]:
    """Copy ``source`` to ``target`` with every text field (present or optional) replaced.

    ``assign(where)`` gives the text for one field; each is marked with a token.
    Returns token → text, and token → ``Model.field``.
    """
    shutil.copytree(source, target)
    sweep = _Sweep(assign)
    for path in sorted(target.rglob("*.yaml")):
        relative = path.relative_to(target)
        if relative.parts[0] in {"tests", "examples"}:
            continue
        tree = yaml.safe_load(path.read_text(encoding="utf-8"))
        sweep.walk(tree, _FILE_MODELS.get(str(relative)), str(relative))
        text = yaml.dump(tree, Dumper=_DUMPER, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
    return sweep.values, sweep.kinds


# -- what the window shows ---------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """One piece of text on screen: as given to Qt, and as the user reads it."""

    where: str
    source: str
    seen: str
    rich: bool


def without_mnemonics(text: str) -> str:
    """What Qt shows for a button's text: each ``&`` marks a shortcut, ``&&`` is one ``&``."""
    return re.sub(r"&(.)", r"\1", text, flags=re.DOTALL)


def title_shown(title: str) -> str:
    """What Qt shows for a window title (``qt_setWindowTitle_helperHelper``, not modified)."""
    marker, index = "[*]", title.find("[*]")
    while index != -1:
        index += len(marker)
        count = 1
        while title.find(marker, index) == index:
            count += 1
            index += len(marker)
        if count % 2:
            last = title.rfind(marker, 0, index)
            title = title[:last] + title[last + len(marker) :]
            index -= len(marker)
        index = title.find(marker, index)
    return title.replace("[*][*]", marker)


def _rich(where: str, source: str) -> Shown:
    tags = " ".join(_TAG.findall(source))
    if _LOADS.search(tags):  # never parse it: the parse itself could read the device
        return Shown(where, source, "<would load a resource>", rich=True)
    document = QTextDocument()
    document.setHtml(source)
    return Shown(where, source, document.toPlainText(), rich=True)


def _tooltip(where: str, tip: str) -> Shown | None:
    if not tip:
        return None
    if QtGui.mightBeRichText(tip):
        return _rich(f"{where} (tooltip)", tip)
    return Shown(f"{where} (tooltip)", tip, tip, rich=False)


def _label(where: str, label: QLabel) -> Shown:
    text, form = label.text(), label.textFormat()
    if form == Qt.TextFormat.MarkdownText:
        document = QTextDocument()
        document.setMarkdown(text)
        return Shown(where, text, document.toPlainText(), rich=True)
    if form == Qt.TextFormat.RichText or (
        form == Qt.TextFormat.AutoText and QtGui.mightBeRichText(text)
    ):
        return _rich(where, text)
    seen = without_mnemonics(text) if label.buddy() is not None else text
    return Shown(where, text, seen, rich=False)


def shown_in_box(box: QMessageBox) -> list[Shown]:
    """What a message box shows: its title, text, informative text and buttons."""
    where = f"message box {box.windowTitle()!r}"
    found = [Shown(f"{where} title", box.windowTitle(), title_shown(box.windowTitle()), False)]
    for text in (box.text(), box.informativeText()):
        form = box.textFormat()
        if form == Qt.TextFormat.RichText or (
            form == Qt.TextFormat.AutoText and QtGui.mightBeRichText(text)
        ):
            found.append(_rich(where, text))
        elif text:
            found.append(Shown(where, text, text, rich=False))
    for button in box.buttons():
        text = button.text()
        found.append(Shown(f"{where} button", text, without_mnemonics(text), rich=False))
    return found


def collect_shown(root: QWidget) -> list[Shown]:
    """Every piece of text ``root`` and its children put on screen (or on hover)."""
    found: list[Shown] = []
    for widget in [root, *root.findChildren(QWidget)]:
        where = f"{type(widget).__name__} {widget.objectName()!r}"
        if widget.isWindow():
            title = widget.windowTitle()
            handle = widget.windowHandle()  # once shown, Qt's own reading of the title
            seen = handle.title() if handle is not None else title_shown(title)
            found.append(Shown(f"{where} title", title, seen, rich=False))
        if (tip := _tooltip(where, widget.toolTip())) is not None:
            found.append(tip)
        if isinstance(widget, QLabel):
            found.append(_label(where, widget))
        elif isinstance(widget, QAbstractButton):
            found.append(Shown(where, widget.text(), without_mnemonics(widget.text()), False))
        elif isinstance(widget, QGroupBox):
            found.append(Shown(where, widget.title(), without_mnemonics(widget.title()), False))
        elif isinstance(widget, QTextEdit):
            html = widget.toHtml()
            found.append(Shown(where, html, widget.toPlainText(), rich=True))
        elif isinstance(widget, QPlainTextEdit):
            found.append(Shown(where, widget.toPlainText(), widget.toPlainText(), False))
        elif isinstance(widget, QLineEdit):
            found.append(Shown(where, widget.text(), widget.text(), rich=False))
        elif isinstance(widget, QComboBox):
            for index in range(widget.count()):
                text = widget.itemText(index)
                found.append(Shown(f"{where} item {index}", text, text, rich=False))
        elif isinstance(widget, QListWidget):
            for index in range(widget.count()):
                item = widget.item(index)
                found.append(Shown(f"{where} item {index}", item.text(), item.text(), False))
                if (tip := _tooltip(f"{where} item {index}", item.toolTip())) is not None:
                    found.append(tip)
        elif isinstance(widget, QMessageBox):
            found.extend(shown_in_box(widget))
        if isinstance(widget, QMainWindow):
            message = widget.statusBar().currentMessage()
            found.append(Shown(f"{where} status", message, message, rich=False))
    for action in root.findChildren(QAction):
        where = f"action {action.text()!r}"
        found.append(Shown(where, action.text(), without_mnemonics(action.text()), False))
        if (tip := _tooltip(where, action.toolTip())) is not None:
            found.append(tip)
    return found


def _plain(text: str) -> str:
    return " ".join(text.split())


def check_shown(shown: Iterable[Shown], values: Mapping[str, str]) -> tuple[list[str], set[str]]:
    """Where file text is not shown literally, and which tokens were shown literally.

    ``values`` maps each token to the whole text it marks. A rich text that quotes a
    token must show its whole text; a plain text that holds the whole text must show it
    (a ``&`` or ``[*]`` may not vanish); a rich text's own tags must load nothing.
    """
    problems: list[str] = []
    literal: set[str] = set()
    wanted = {token: _plain(value) for token, value in values.items()}
    for item in shown:
        if item.rich and _LOADS.search(" ".join(_TAG.findall(item.source))):
            problems.append(f"{item.where}: its markup loads a resource: {item.source[:200]!r}")
            continue
        seen, source = _plain(item.seen), _plain(item.source)
        for token in {*_TOKEN.findall(item.source), *_TOKEN.findall(item.seen)}:
            value = wanted.get(token)
            if value is None:
                continue
            if value in seen:
                literal.add(token)
            elif item.rich or value in source:
                problems.append(
                    f"{item.where}: {value[:120]!r} is shown as {item.seen[:200]!r}"
                    + (" (rendered as rich text)" if item.rich else "")
                )
    return problems, literal


class BoxRecorder:
    """Records every message box's texts at ``exec`` instead of showing it (answers Ok)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shown: list[Shown] = []
        self.count = 0

        def record(box: QMessageBox) -> int:
            self.count += 1
            self.shown.extend(shown_in_box(box))
            return int(QMessageBox.StandardButton.Ok.value)

        def static(answer: QMessageBox.StandardButton) -> Callable[..., Any]:
            def record(parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Any:
                # What Qt would show: the static helpers take text as AutoText.
                self.count += 1
                where = f"static message box {title!r}"
                if QtGui.mightBeRichText(text):
                    self.shown.append(_rich(where, text))
                else:
                    self.shown.append(Shown(where, text, text, rich=False))
                return answer

            return record

        monkeypatch.setattr(QMessageBox, "exec", record)
        monkeypatch.setattr(QMessageBox, "question", static(QMessageBox.StandardButton.Discard))
        for name in ("information", "warning", "critical"):
            monkeypatch.setattr(QMessageBox, name, static(QMessageBox.StandardButton.Ok))

    def take(self) -> list[Shown]:
        shown, self.shown = self.shown, []
        return shown


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# -- the sweeps ------------------------------------------------------------------------


@contextlib.contextmanager
def none_kept_alive() -> Iterator[None]:
    """Give back the references to ``None`` that PySide6 loses during the block.

    PySide6 6.12 on CPython 3.11 returns ``None`` from every void method without a new
    reference (harmless from 3.12, where ``None`` is immortal): each ``setText`` costs
    ``None`` one reference, and once they are all spent the interpreter aborts
    ("none_dealloc"). A sweep makes tens of thousands of such calls in one test process;
    this keeps a margin during the block and restores the count after it, so the sweep
    leaves the process as it found it. The app's own exposure is not hidden: outside a
    sweep nothing is given back.
    """
    margin = [None] * 500_000
    before = sys.getrefcount(None)
    try:
        yield
    finally:
        lost = before - sys.getrefcount(None)
        while lost > 0 and sys.getrefcount(None) < before:  # for good, even at exit
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))
        del margin


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


@none_kept_alive()
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
    answer sets shown in each round."""
    import itertools
    import time

    from decision_aid.gui.dialogs import OverrideDialog
    from decision_aid.gui.main_window import MainWindow

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
                shown += collect_shown(window.outcome)
        dialog = OverrideDialog(model.rule_set, model.assessment.outcome.id, window)
        shown += collect_shown(dialog)
        dialog.deleteLater()
        window.show_keys()
        report.add(values, kinds, shown + boxes.take())
        window.close()
        if report.problems:
            break
    report.seconds = time.monotonic() - start
    return report


def _file_name(text: str) -> str:
    """``text`` as one file name: no ``/``, short enough for any file system."""
    return text.replace("/", "\u2215").replace("\x00", "")


@none_kept_alive()
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
    import time
    import uuid

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
            answers={mark("unknown answer key"): mark("its value"), first: mark("bad answer")},
            settings={mark("unknown setting"): mark("its value"), setting: mark("bad setting")},
            override={"level": mark("override level"), "reason": mark("override reason"),
                      "at": data["updated"]},
            rule_set={"id": mark("rule set id"), "version": mark("rule set version"),
                      "digest": "0"},
        )  # fmt: skip
        name = _file_name(mark("file name", 80))
        window.open_path(write_json(scratch / f"{name}.json", data))
        shown = collect_shown(window) + boxes.take()
        offer_recovery(window, window.autosave)
        found, _ = window.autosave.pending()
        window.restore(next(p for p in found if p.consultation.id == data["id"]))
        shown += collect_shown(window) + boxes.take()
        if number < 2 or number % reload_every == 0:  # a reload rebuilds the whole view
            window.reload_rules(quiet=True)  # its notices in the status line
            shown += collect_shown(window)
            window.open_path(scratch / f"{name}.json")
            window.reload_rules()  # its notices in a message box
            shown += boxes.take()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # old views
        broken = {**data, "id": uuid.uuid4().hex, mark("unknown key", 80): 1}
        window.open_path(write_json(scratch / f"{name}.broken.json", broken))
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


@none_kept_alive()
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
    import time

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
