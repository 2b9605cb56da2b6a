"""Text from a file, shown as text: never as markup, never as a shortcut or a link.

Every string the window shows may come from a file: a rule set (questions, reasons,
labels) or a consultation (the patient label, answer keys and settings quoted in a
notice). Qt reads such a string as rich text whenever it *looks* like HTML
(``Qt::AutoText``, the default of labels, message boxes and tooltips), so a question
"<img src=/dev/zero>" would make Qt read the device until memory runs out. Hence:

- a widget that shows file text is told it is plain text (:func:`plain_label`; message
  boxes go through :func:`decision_aid.gui.dialogs.show_message`);
- where HTML is needed (the outcome panel's layout, its links), every interpolated
  string goes through :func:`html_text`;
- tooltips (rich whenever they look like HTML) go through :func:`plain_tooltip`;
- button and buddy-label texts (where ``&`` marks a shortcut) through :func:`literal_mnemonic`;
- window titles (where ``[*]`` marks "modified") through :func:`literal_title`.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import QLabel, QWidget

__all__ = [
    "html_text",
    "literal_mnemonic",
    "literal_title",
    "plain_label",
    "plain_tooltip",
    "show_text",
]


def html_text(text: object) -> str:
    """``text`` as HTML that shows it literally: the one escape for every interpolation."""
    return escape(str(text), quote=True)


def plain_label(text: str = "", parent: QWidget | None = None, *, wrap: bool = False) -> QLabel:
    """A label that shows ``text`` as it is, whatever it looks like."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setText(text)
    return label


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally (Qt renders one that looks like HTML)."""
    if not QtGui.mightBeRichText(text):
        return text
    return "<p style='white-space:pre-wrap'>" + html_text(text) + "</p>"


def literal_mnemonic(text: str) -> str:
    """``text`` for a button or buddy label: its ``&`` shown, not taken as a shortcut."""
    return text.replace("&", "&&")


def literal_title(text: str) -> str:
    """``text`` for a window title: its ``[*]`` shown, not taken as the modified mark."""
    return text.replace("[*]", "[*][*]")


def show_text(label: QLabel, text: str) -> None:
    """Set ``label``'s text only when it changes: setText re-measures the label (and its
    layout) even for the same text, on every refresh."""
    if label.text() != text:
        label.setText(text)
