"""One section of the questionnaire: a :class:`QuestionWidget` per question.

The keyboard model, learnt in a minute:

- **one Tab stop per question**, a multiple-choice question included (the options of a
  question are a "roving" stop: the focused or picked option holds it);
- **↑ / ↓** move within the question;
- **every option has a key**, shown beside it: 1–9, then letters (``N`` is never one);
- **0 or N** mean "Not known" on every question that offers it, numbers included (in an
  empty number field);
- **Space** ticks or unticks on a multiple-choice question; elsewhere it picks the focused
  option, and no key but Delete clears an answer;
- **Delete** clears the answer (the window can undo it); **F1** shows the help;
- **Tab past the last question** of a section asks for the next section
  (:attr:`QuestionPage.leave`).

A number being typed reaches the model within :data:`TYPING_SETTLES_MS` of the last
keystroke. Widgets emit ``answered(question_id, value)`` and show what the model says;
they never decide what is asked (the page is told which questions are visible).
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import (
    QDoubleValidator,
    QFocusEvent,
    QFont,
    QIntValidator,
    QKeyEvent,
    QMouseEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from decision_aid.domain import NOT_KNOWN, Answers
from decision_aid.domain.questionnaire import Question, QuestionType, Section
from decision_aid.gui.text import html_text, plain_label
from decision_aid.gui.theme import focus_width
from decision_aid.gui.undo import TYPING_SETTLES_MS, leave_undo_to_window

__all__ = ["KEYS_HELP", "QuestionPage", "QuestionWidget", "option_keys"]

KEYS_HELP = (
    "1–9, then letters: pick the option with that key (shown beside it)",
    "0 or N: Not known (in an empty number field too)",
    "↑ / ↓: move within a question",
    "Space: tick or untick (multiple choice); elsewhere pick the focused option",
    "Tab / Shift+Tab: next / previous question, on to the next section",
    "Delete: clear an answer (Ctrl+Z brings it back)",
    "F1: help for the focused question",
)
"""The keyboard model in words, for the shortcut list."""

NOT_KNOWN_KEYS = ("0", "N")
_OPTION_KEYS = "123456789" + "".join(c for c in string.ascii_uppercase if c not in NOT_KNOWN_KEYS)
_MOVE_KEYS = {Qt.Key.Key_Up: -1, Qt.Key.Key_Left: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_Right: 1}


def option_keys(count: int) -> str:
    """The keys of a question's first ``count`` options, in order (one character each)."""
    return _OPTION_KEYS[:count]


def _key_text(event: QKeyEvent) -> str | None:
    """The option key ``event`` names (a digit or a capital letter), or None."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if modifiers not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
        return None
    text = event.text().upper()
    return text if len(text) == 1 and (text in _OPTION_KEYS or text in NOT_KNOWN_KEYS) else None


def _figure(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


if TYPE_CHECKING:
    _Button = QAbstractButton
else:  # a plain mixin at run time: a Python class may have only one Qt base
    _Button = object


class _OptionButton(_Button):
    """Mixed into a radio button or check box: the click asks, the model decides.

    A click never flips the mark by itself (the model's answer is shown back), and the
    arrow keys are left to the question, which moves between its options.
    """

    def nextCheckState(self) -> None:
        pass

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _MOVE_KEYS:
            event.ignore()
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        _show_focus(self.parentWidget(), on=True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        _show_focus(self.parentWidget(), on=False)


class _Radio(_OptionButton, QRadioButton):
    pass


class _Tick(_OptionButton, QCheckBox):
    pass


def _show_focus(row: QWidget | None, *, on: bool) -> None:
    """Mark the focused option's whole row (the style sheet draws ``[focused="true"]``)."""
    if row is not None and row.property("focused") != on:
        row.setProperty("focused", on)
        row.style().unpolish(row)
        row.style().polish(row)
        row.update()  # a new polish alone does not repaint


class _OptionLabel(QLabel):
    """An option's words, wrapped at any width; a click on them clicks the button."""

    def __init__(self, text: str, button: QAbstractButton) -> None:
        super().__init__(text)
        self.button = button
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.button.isEnabled():
            self.button.click()


class _OptionRow(QWidget):
    """A radio button or check box with a label that wraps (a button's own text cannot)."""

    def __init__(self, button: QAbstractButton, text: str) -> None:
        super().__init__()
        self.setObjectName("option-row")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)  # for the focus mark
        row = QHBoxLayout(self)
        inside = focus_width(self.fontMetrics().height()) + 1  # clear of the focus frame
        row.setContentsMargins(inside, inside, inside, inside)
        row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        label = _OptionLabel(text, button)
        row.addWidget(label, 1)


class _NumberField(QLineEdit):
    """A number field that leaves 0 and N in an empty field to the question, and Ctrl+Z
    to the window's undo."""

    def __init__(self) -> None:
        super().__init__()
        leave_undo_to_window(self)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        empty = not self.text() or self.selectedText() == self.text()
        if (empty and _key_text(event) in NOT_KNOWN_KEYS) or (
            not self.text() and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
        ):
            event.ignore()
        else:
            super().keyPressEvent(event)


class QuestionWidget(QGroupBox):
    """One question: options (or a number field), Not known, help and a safety mark."""

    answered = Signal(str, object)

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.setObjectName(f"question-{question.id}")
        self.setAccessibleName(question.label)
        self.setAccessibleDescription(
            question.text + (f" {question.help}" if question.help else "")
        )
        layout = QVBoxLayout(self)
        # A wrapped label, not the group box title: long questions must wrap at any font size.
        self.text = plain_label(question.text, wrap=True)
        bold = QFont()
        bold.setBold(True)  # only the weight: the size still follows the application's font
        self.text.setFont(bold)
        self.text.setObjectName("question-text")
        layout.addWidget(self.text)
        self.mark = QLabel()
        self.mark.setObjectName("safety-mark")
        self.mark.setVisible(False)
        layout.addWidget(self.mark)
        self.buttons: list[QAbstractButton] = []
        self.not_known_button: QAbstractButton | None = None
        self.number: QLineEdit | None = None
        self.keys: dict[str, QAbstractButton] = {}
        """Each option's key (a digit or capital letter; "0" and "N" for Not known)."""
        self.sent: object = None
        """The number this field last gave the model: what it shows while being typed."""
        if question.type is QuestionType.NUMBER:
            self._build_number(layout)
        else:
            self._build_choices(layout)
        self.help_label = plain_label(question.help or "", wrap=True)
        self.help_label.setVisible(False)
        self.help_label.setObjectName("help")
        tools = QHBoxLayout()
        tools.addStretch(1)
        if question.help:
            help_button = QToolButton()
            help_button.setText("Help (F1)")
            help_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            help_button.setToolTip("Show or hide the help for this question (F1)")
            help_button.clicked.connect(self.toggle_help)
            tools.addWidget(help_button)
        clear = QToolButton()
        clear.setText("Clear (Del)")
        clear.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        clear.setToolTip("Clear this answer (Delete)")
        clear.clicked.connect(self.clear)
        tools.addWidget(clear)
        layout.addWidget(self.help_label)
        layout.addLayout(tools)

    @property
    def options(self) -> list[QAbstractButton]:
        """Every option button in the order shown, Not known last."""
        return [*self.buttons, *([self.not_known_button] if self.not_known_button else [])]

    def _build_choices(self, layout: QVBoxLayout) -> None:
        question = self.question
        multiple = question.type is QuestionType.MULTIPLE
        options = [(o.id, o.label) for o in question.choices]
        keys = list(option_keys(len(options)))
        if question.not_known:
            options.append((NOT_KNOWN, "Not known"))
            keys.append(NOT_KNOWN_KEYS[0])
        for key, (option_id, label) in zip(keys, options, strict=True):
            button: QAbstractButton = _Tick() if multiple else _Radio()
            button.setObjectName(f"option-{option_id}")
            button.setProperty("option_id", option_id)
            button.setAutoExclusive(False)
            shown_key = "0 or N" if option_id == NOT_KNOWN else key.lower()
            button.setAccessibleName(f"{label} ({shown_key})")
            button.clicked.connect(self._on_clicked)
            if option_id == NOT_KNOWN:
                self.not_known_button = button
            else:
                self.buttons.append(button)
            layout.addWidget(_OptionRow(button, f"({key.lower()})  {label}"))
        self.keys = dict(zip(keys, self.options, strict=True))
        if self.not_known_button is not None:
            self.keys[NOT_KNOWN_KEYS[1]] = self.not_known_button
        self._hold_tab_stop(self.options[0] if self.options else None)

    def _build_number(self, layout: QVBoxLayout) -> None:
        question = self.question
        row = QHBoxLayout()
        self.number = _NumberField()
        self.number.setObjectName("number")
        self.number.setAccessibleName(question.label)
        self.number.setMaximumWidth(160)
        low, high = question.minimum, question.maximum
        if question.integer:
            self.number.setValidator(QIntValidator(int(low or 0), int(high or 10**6), self))
        else:
            self.number.setValidator(QDoubleValidator(low or 0.0, high or 1e6, 2, self))
        self.range_text = f"{_figure(low)}–{_figure(high)}"
        self.number.setPlaceholderText(self.range_text)
        self.typing = QTimer(self)
        self.typing.setSingleShot(True)
        self.typing.setInterval(TYPING_SETTLES_MS)
        self.typing.timeout.connect(self.commit_typing)
        self.number.textEdited.connect(self.typing.start)
        self.number.editingFinished.connect(self.commit_typing)
        row.addWidget(self.number)
        row.addWidget(plain_label(question.unit or ""))
        row.addStretch(1)
        layout.addLayout(row)
        self.problem = plain_label(f"Not recorded: give a number in the range {self.range_text}")
        self.problem.setObjectName("number-problem")
        self.problem.setVisible(False)
        layout.addWidget(self.problem)
        if question.not_known:
            self.not_known_button = _Tick()
            self.not_known_button.setText("(0 or N)  Not known")
            self.not_known_button.setObjectName(f"option-{NOT_KNOWN}")
            self.not_known_button.setProperty("option_id", NOT_KNOWN)
            self.not_known_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # 0 or N instead
            self.not_known_button.clicked.connect(self._on_clicked)
            layout.addWidget(self.not_known_button)
            self.keys = dict.fromkeys(NOT_KNOWN_KEYS, self.not_known_button)
        self.setFocusProxy(self.number)

    def _hold_tab_stop(self, holder: QAbstractButton | None) -> None:
        """Make ``holder`` the question's one Tab stop; its other options take clicks only."""
        for button in self.options:
            wanted = Qt.FocusPolicy.StrongFocus if button is holder else Qt.FocusPolicy.ClickFocus
            if button.focusPolicy() != wanted:
                button.setFocusPolicy(wanted)

    # -- model → widget -------------------------------------------------------------------

    def show_answer(self, answers: Answers, *, safety_unanswered: bool) -> None:
        """Show the model's answer for this question, without echoing it back."""
        question_id = self.question.id
        value = answers.get(question_id)
        not_known = question_id in answers.not_known
        picked: set[str] = set()
        if isinstance(value, tuple):
            picked = set(value)
        elif isinstance(value, str):
            picked = {value}
        for button in self.options:
            option_id = button.property("option_id")
            wanted = not_known if option_id == NOT_KNOWN else option_id in picked
            if button.isChecked() != wanted:
                button.blockSignals(True)
                button.setChecked(wanted)
                button.blockSignals(False)
        if self.number is not None:
            shown = value if isinstance(value, float) else None
            # While typed, the field shows what was typed; anything else (undo) is shown.
            if shown != self.sent or not self.number.hasFocus():
                self.sent = shown
                self.problem.setVisible(False)
                if self.number.text() != _figure(shown):
                    self.number.setText(_figure(shown))
            placeholder = "Not known" if not_known else self.range_text
            if self.number.placeholderText() != placeholder:
                self.number.setPlaceholderText(placeholder)
        elif not any(b.hasFocus() for b in self.options):
            checked = [b for b in self.buttons if b.isChecked()]
            self._hold_tab_stop(next(iter(checked or self.options), None))
        if self.mark.isHidden() == safety_unanswered:
            self.mark.setVisible(safety_unanswered)
            self.mark.setText(
                "\u26a0 Safety question: not answered yet" if safety_unanswered else ""
            )

    # -- widget → model -------------------------------------------------------------------

    def _on_clicked(self) -> None:
        button = self.sender()
        assert isinstance(button, QAbstractButton)
        self.choose(button, by_key=False)

    def choose(self, button: QAbstractButton, *, by_key: bool) -> None:
        """What a click or key on ``button`` asks for. On multiple choice it ticks or
        unticks; a click on a number's Not known box too; anything else picks, and
        picking again keeps the answer (only Delete clears)."""
        option_id = str(button.property("option_id"))
        multiple = self.question.type is QuestionType.MULTIPLE
        if option_id == NOT_KNOWN:
            self.typing_stop()
            toggles = multiple or (self.number is not None and not by_key)
            untick = toggles and button.isChecked()
            self.answered.emit(self.question.id, None if untick else NOT_KNOWN)
        elif multiple:
            picked = self._picked_with(option_id, not button.isChecked())
            self.answered.emit(self.question.id, picked)
        else:
            self.answered.emit(self.question.id, option_id)

    def _picked_with(self, option_id: str, checked: bool) -> tuple[str, ...] | None:
        option = self.question.option(option_id)
        picked = [b.property("option_id") for b in self.buttons if b.isChecked()]
        if not checked:
            picked = [p for p in picked if p != option_id]
        elif option is not None and option.exclusive:
            picked = [option_id]
        else:
            picked = [
                p
                for p in [*picked, option_id]
                if not (o := self.question.option(p)) or not o.exclusive or p == option_id
            ]
        ordered = tuple(o.id for o in self.question.choices if o.id in picked)
        return ordered or None

    def typing_stop(self) -> None:
        if self.number is not None:
            self.typing.stop()
            self.number.clear()
            self.problem.setVisible(False)

    def commit_typing(self) -> None:
        """Give the model the number typed so far; an empty field, or a number out of
        range, leaves the question unanswered."""
        if self.number is None:
            return
        self.typing.stop()
        text = self.number.text().strip().replace(",", ".")
        value = self._value(text)
        # What is typed but is no answer (out of range) is said so, and leaves none.
        self.problem.setVisible(bool(text) and value is None)
        if value != self.sent:
            self.sent = value
            self.answered.emit(self.question.id, value)

    def _value(self, text: str) -> float | None:
        """The number ``text`` gives, if it is an answer to this question."""
        try:
            value = float(text)
        except ValueError:
            return None
        low, high = self.question.minimum, self.question.maximum
        if (low is None or value >= low) and (high is None or value <= high):
            return value
        return None

    def pick(self, key: str) -> None:
        """Press the option key ``key`` ("1"–"9", a letter, "0" or "N"), as a click would."""
        target = self.keys.get(key.upper())
        if target is None:
            return
        self.choose(target, by_key=True)
        if target.focusPolicy() != Qt.FocusPolicy.NoFocus:
            self._hold_tab_stop(target)
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def step(self, step: int) -> None:
        """Move the focus ``step`` options up or down, staying within the question."""
        options = [b for b in self.options if b.focusPolicy() != Qt.FocusPolicy.NoFocus]
        current = next((i for i, b in enumerate(options) if b.hasFocus()), None)
        if current is None or not options:
            return
        target = options[max(0, min(len(options) - 1, current + step))]
        self._hold_tab_stop(target)
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear(self) -> None:
        self.typing_stop()
        self.sent = None
        self.answered.emit(self.question.id, None)

    def toggle_help(self) -> None:
        if self.question.help:
            self.help_label.setVisible(not self.help_label.isVisible())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if (text := _key_text(event)) is not None:
            self.pick(text)
        elif key in _MOVE_KEYS:
            self.step(_MOVE_KEYS[Qt.Key(key)])
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear()
        elif key == Qt.Key.Key_F1:
            self.toggle_help()
        else:
            super().keyPressEvent(event)

    def focus_first(self) -> None:
        """Focus the question's Tab stop: its number field, or its picked (else first) option."""
        if self.number is not None:
            self.number.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        holder = next(
            (b for b in self.options if b.focusPolicy() == Qt.FocusPolicy.StrongFocus), None
        )
        (holder or self).setFocus(Qt.FocusReason.OtherFocusReason)


class QuestionPage(QWidget):
    """A section's questions; ``refresh`` shows the model's answers and visibility.

    ``leave(step)`` asks for the next (1) or previous (-1) section when Tab goes past
    the last question, or Shift+Tab before the first.
    """

    answered = Signal(str, object)
    leave = Signal(int)

    def __init__(self, section: Section, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        self.setObjectName(f"section-{section.id}")
        layout = QVBoxLayout(self)
        heading = QLabel(f"<h2>{html_text(section.title)}</h2>")
        heading.setTextFormat(Qt.TextFormat.RichText)  # our heading; the title is escaped
        heading.setWordWrap(True)
        heading.setAccessibleName(section.title)
        layout.addWidget(heading)
        if section.intro:
            intro = plain_label(section.intro, wrap=True)
            layout.addWidget(intro)
        self.widgets: dict[str, QuestionWidget] = {}
        for question in section.questions:
            widget = QuestionWidget(question, self)
            widget.answered.connect(self.answered)
            self.widgets[question.id] = widget
            layout.addWidget(widget)
        layout.addStretch(1)

    def refresh(
        self, answers: Answers, displayed: frozenset[str], unanswered_safety: set[str]
    ) -> None:
        for question_id, widget in self.widgets.items():
            shown = question_id in displayed
            if widget.isHidden() == shown:  # setVisible relayouts even when nothing changes
                widget.setVisible(shown)
            widget.show_answer(answers, safety_unanswered=question_id in unanswered_safety)

    def visible(self) -> list[QuestionWidget]:
        return [w for w in self.widgets.values() if not w.isHidden()]

    def first_visible(self) -> QuestionWidget | None:
        return next(iter(self.visible()), None)

    def last_visible(self) -> QuestionWidget | None:
        return next(reversed(self.visible()), None)

    def commit_typing(self) -> None:
        """Give the model every number still being typed on this page."""
        for widget in self.widgets.values():
            widget.commit_typing()

    def focusNextPrevChild(self, forward: bool) -> bool:
        focused = self.focusWidget()
        edge = self.last_visible() if forward else self.first_visible()
        if edge is not None and focused is not None and edge.isAncestorOf(focused):
            self.leave.emit(1 if forward else -1)
            return True
        return super().focusNextPrevChild(forward)
