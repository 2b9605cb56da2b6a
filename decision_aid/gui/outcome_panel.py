"""The live outcome: the result in plain words with its shape and colour, why, what
to do, and what is still missing (each item a button that jumps to its question)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from decision_aid.domain import Assessment, RuleSet
from decision_aid.domain.consultation import Override
from decision_aid.domain.engine import FiredRule
from decision_aid.levels import level_style

__all__ = ["OutcomePanel"]

NOT_A_DECISION = "A basis for discussion, not a decision."
MAX_POSSIBLE = 4


def _label(text: str = "", *, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


def _sources(fired: FiredRule) -> str:
    return "; ".join(c.short + (f" ({c.grade})" if c.grade else "") for c in fired.citations)


class OutcomePanel(QWidget):
    """Shows one :class:`Assessment`; ``jump_to`` asks the window to show a question."""

    jump_to = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcome-panel")
        self.setAccessibleName("Outcome")
        layout = QVBoxLayout(self)
        self.badge = _label(name="badge")
        self.badge.setMargin(10)
        self.caption = _label(NOT_A_DECISION, name="caption")
        self.override = _label(name="override")
        self.reasons = _label(name="reasons")
        self.todo = _label(name="todo")
        self.missing_heading = _label("<b>What we still need to know</b>", name="missing-heading")
        self.missing_box = QVBoxLayout()
        for widget in (self.badge, self.caption, self.override, self.reasons, self.todo):
            layout.addWidget(widget)
        layout.addWidget(self.missing_heading)
        layout.addLayout(self.missing_box)
        layout.addStretch(1)
        self.missing_buttons: list[QPushButton] = []

    def show_assessment(
        self, assessment: Assessment, rule_set: RuleSet, override: Override | None
    ) -> None:
        rank = rule_set.level_rank[assessment.outcome.id]
        style = level_style(rank, len(rule_set.info.levels))
        self.badge.setText(
            f"<span style='font-size:150%'>{style.shape}</span>&nbsp; "
            f"<b style='font-size:130%'>{escape(assessment.outcome.label)}</b>"
        )
        self.badge.setStyleSheet(
            f"background:{style.background}; color:{style.foreground}; border-radius:6px;"
        )
        self.badge.setAccessibleName(f"Outcome: {assessment.outcome.label}")
        self._show_override(override, rule_set)
        self._show_reasons(assessment)
        self._show_missing(assessment, rule_set)

    def _show_override(self, override: Override | None, rule_set: RuleSet) -> None:
        if override is None:
            self.override.setVisible(False)
            return
        level = rule_set.levels_by_id.get(override.level)
        label = level.label if level else override.level
        rank = rule_set.level_rank.get(override.level, 0)
        style = level_style(rank, len(rule_set.info.levels))
        when = override.at.astimezone().strftime("%d %b %Y %H:%M")
        self.override.setStyleSheet(f"border:2px dashed {style.background}; padding:6px;")
        self.override.setText(
            f"<b>Clinician override:</b> {style.shape} {escape(label)}<br>"
            f"<i>Reason:</i> {escape(override.reason)}<br><small>Recorded {when}. "
            "The rule outcome above stays on record.</small>"
        )
        self.override.setVisible(True)

    def _show_reasons(self, assessment: Assessment) -> None:
        certain = [f for f in assessment.fired if f.certain]
        possible = [f for f in assessment.fired if not f.certain]
        parts = ["<b>Why</b><ul>"]
        for fired in certain:
            parts.append(
                f"<li>{escape(fired.patient_reason)}<br><small>[{escape(fired.rule_id)}"
                f"{' · ' + escape(_sources(fired)) if fired.citations else ''}]</small></li>"
            )
        parts.append("</ul>")
        if possible:
            parts.append("<b>Might apply: an answer is not known</b><ul>")
            for fired in possible[:MAX_POSSIBLE]:
                parts.append(
                    f"<li>{escape(fired.title)}<br><small>[{escape(fired.rule_id)}"
                    f"{' · ' + escape(_sources(fired)) if fired.citations else ''}]</small></li>"
                )
            if len(possible) > MAX_POSSIBLE:
                more = len(possible) - MAX_POSSIBLE
                parts.append(f"<li>… and {more} more, once the answers are known</li>")
            parts.append("</ul>")
        self.reasons.setText("".join(parts))
        todo = []
        for title, items in (("Actions", assessment.actions), ("Cautions", assessment.cautions)):
            if items:
                todo.append(f"<b>{title}</b><ul>")
                todo += [f"<li>{escape(item)}</li>" for item in items]
                todo.append("</ul>")
        self.todo.setText("".join(todo))
        self.todo.setVisible(bool(todo))

    def _show_missing(self, assessment: Assessment, rule_set: RuleSet) -> None:
        for button in self.missing_buttons:
            self.missing_box.removeWidget(button)
            button.hide()  # deleteLater waits for the event loop; do not draw it meanwhile
            button.deleteLater()
        self.missing_buttons = []
        self.missing_heading.setVisible(bool(assessment.missing))
        for item in assessment.missing:
            changes = "; ".join(
                f"{answer} → {rule_set.levels_by_id[level].label}" for answer, level in item.changes
            )
            button = QPushButton(f"→ {item.label} ({item.status})")
            button.setObjectName(f"missing-{item.question_id}")
            button.setToolTip(f"Go to the question. If answered: {changes}")
            button.setAccessibleDescription(changes)
            button.setFlat(True)
            button.setStyleSheet("text-align:left; text-decoration: underline;")
            button.clicked.connect(lambda _=False, q=item.question_id: self.jump_to.emit(q))
            self.missing_box.addWidget(button)
            self.missing_buttons.append(button)

    def show_broken(self) -> None:
        self.badge.setText("<b>No outcome</b>")
        self.badge.setStyleSheet("border:2px solid palette(text); border-radius:6px;")
        self.caption.setText("The rule set has problems, so no outcome is given.")
        for widget in (self.override, self.reasons, self.todo, self.missing_heading):
            widget.setVisible(False)
