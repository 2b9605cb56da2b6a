"""One section of the questionnaire: a :class:`QuestionWidget` per question.

Keyboard first: a choice question is one Tab stop; the digits 1–9 pick its options
and 0 picks "Not known"; Delete clears the answer; F1 shows the help. Widgets emit
``answered(question_id, value)`` and show what the model says; they never decide
what is asked (the page is told which questions are visible).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDoubleValidator, QFont, QIntValidator, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
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

__all__ = ["QuestionPage", "QuestionWidget"]

_DIGIT_KEYS = {getattr(Qt.Key, f"Key_{d}"): d for d in range(10)}


def _figure(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


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
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        label = _OptionLabel(text, button)
        row.addWidget(label, 1)


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
        self.group: QButtonGroup | None = None
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

    def _build_choices(self, layout: QVBoxLayout) -> None:
        question = self.question
        multiple = question.type is QuestionType.MULTIPLE
        if not multiple:
            self.group = QButtonGroup(self)
            self.group.setExclusive(False)  # so an answer can be cleared; we keep one checked
        options = [(o.id, o.label) for o in question.choices]
        if question.not_known:
            options.append((NOT_KNOWN, "Not known"))
        for index, (option_id, label) in enumerate(options, start=1):
            number = 0 if option_id == NOT_KNOWN else index
            text = f"({number})  {label}" if number < 10 else label
            button: QAbstractButton = QCheckBox() if multiple else QRadioButton()
            button.setObjectName(f"option-{option_id}")
            button.setProperty("option_id", option_id)
            button.setAccessibleName(label)
            button.toggled.connect(self._on_toggled)
            if self.group is not None:
                self.group.addButton(button)
            if option_id == NOT_KNOWN:
                self.not_known_button = button
            else:
                self.buttons.append(button)
            layout.addWidget(_OptionRow(button, text))

    def _build_number(self, layout: QVBoxLayout) -> None:
        question = self.question
        row = QHBoxLayout()
        self.number = QLineEdit()
        self.number.setObjectName("number")
        self.number.setAccessibleName(question.label)
        self.number.setMaximumWidth(160)
        low, high = question.minimum, question.maximum
        if question.integer:
            self.number.setValidator(QIntValidator(int(low or 0), int(high or 10**6), self))
        else:
            self.number.setValidator(QDoubleValidator(low or 0.0, high or 1e6, 2, self))
        self.number.setPlaceholderText(f"{_figure(low)}–{_figure(high)}")
        self.number.editingFinished.connect(self._on_number_edited)
        # An empty field never "finishes" under a validator: clear the answer as it empties.
        self.number.textEdited.connect(self._on_number_text)
        row.addWidget(self.number)
        row.addWidget(plain_label(question.unit or ""))
        row.addStretch(1)
        layout.addLayout(row)
        if question.not_known:
            self.not_known_button = QCheckBox("Not known")
            self.not_known_button.setObjectName(f"option-{NOT_KNOWN}")
            self.not_known_button.setProperty("option_id", NOT_KNOWN)
            self.not_known_button.toggled.connect(self._on_toggled)
            layout.addWidget(self.not_known_button)
        self.setFocusProxy(self.number)

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
        for button in [*self.buttons, *([self.not_known_button] if self.not_known_button else [])]:
            option_id = button.property("option_id")
            wanted = not_known if option_id == NOT_KNOWN else option_id in picked
            if button.isChecked() != wanted:
                button.blockSignals(True)
                button.setChecked(wanted)
                button.blockSignals(False)
        if self.number is not None:
            text = f"{value:g}" if isinstance(value, float) else ""
            if self.number.text() != text and not self.number.hasFocus():
                self.number.setText(text)
            self.number.setEnabled(not not_known)
        if self.mark.isHidden() == safety_unanswered:
            self.mark.setVisible(safety_unanswered)
            self.mark.setText(
                "\u26a0 Safety question: not answered yet" if safety_unanswered else ""
            )

    # -- widget → model -------------------------------------------------------------------

    def _on_toggled(self, checked: bool) -> None:
        button = self.sender()
        assert isinstance(button, QAbstractButton)
        option_id = str(button.property("option_id"))
        if option_id == NOT_KNOWN:
            self.answered.emit(self.question.id, NOT_KNOWN if checked else None)
        elif self.question.type is QuestionType.MULTIPLE:
            self.answered.emit(self.question.id, self._picked_with(option_id, checked))
        else:
            self.answered.emit(self.question.id, option_id if checked else None)

    def _picked_with(self, option_id: str, checked: bool) -> tuple[str, ...] | None:
        option = self.question.option(option_id)
        picked = [b.property("option_id") for b in self.buttons if b.isChecked()]
        if checked and option is not None and option.exclusive:
            picked = [option_id]
        elif checked:
            picked = [
                p
                for p in picked
                if not (o := self.question.option(p)) or not o.exclusive or p == option_id
            ]
        ordered = tuple(o.id for o in self.question.choices if o.id in picked)
        return ordered or None

    def _on_number_text(self, text: str) -> None:
        if not text.strip():
            self.answered.emit(self.question.id, None)

    def _on_number_edited(self) -> None:
        assert self.number is not None
        text = self.number.text().strip().replace(",", ".")
        if not text:
            self.answered.emit(self.question.id, None)
            return
        try:
            value = float(text)
        except ValueError:
            return
        low, high = self.question.minimum, self.question.maximum
        if (low is None or value >= low) and (high is None or value <= high):
            self.answered.emit(self.question.id, value)

    def pick(self, number: int) -> None:
        """Pick the option shown with ``number`` (0 = Not known), as a click would."""
        if number == 0:
            target = self.not_known_button
        elif number <= len(self.buttons):
            target = self.buttons[number - 1]
        else:
            return
        if target is None:
            return
        if self.question.type is QuestionType.MULTIPLE or target is self.not_known_button:
            target.toggle()
        elif not target.isChecked():
            target.setChecked(True)
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def clear(self) -> None:
        self.answered.emit(self.question.id, None)

    def toggle_help(self) -> None:
        if self.question.help:
            self.help_label.setVisible(not self.help_label.isVisible())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in _DIGIT_KEYS and modifiers == Qt.KeyboardModifier.NoModifier:
            self.pick(_DIGIT_KEYS[Qt.Key(key)])
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear()
        elif key == Qt.Key.Key_F1:
            self.toggle_help()
        else:
            super().keyPressEvent(event)

    def focus_first(self) -> None:
        candidates: list[QWidget] = [b for b in self.buttons if b.isChecked()]
        candidates += [*self.buttons, *([self.not_known_button] if self.not_known_button else [])]
        target = self.number if self.number is not None else (candidates or [self])[0]
        target.setFocus(Qt.FocusReason.OtherFocusReason)


class QuestionPage(QWidget):
    """A section's questions; ``refresh`` shows the model's answers and visibility."""

    answered = Signal(str, object)

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

    def first_visible(self) -> QuestionWidget | None:
        return next((w for w in self.widgets.values() if not w.isHidden()), None)
