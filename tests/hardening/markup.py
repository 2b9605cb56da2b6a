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
message box instead of showing it. The sweeps that use them are in
:mod:`tests.hardening.markup_sweeps`.
"""

from __future__ import annotations

import json
import re
import shutil
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from PySide6.QtCore import Qt
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
from decision_aid.domain.limits import LIMITS
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
    "{", "}", "*", "_", "#", "ש", "é", " ", "x",
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
    if ".conditions" in model.__module__:  # the conditions package: ids, not words
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
        value = fit(text, token, LIMITS.text_limit(kind.rpartition(".")[2]))
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
