"""The text helpers every widget uses: whatever a file says, it is shown as written."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import Qt as QtGui
from PySide6.QtGui import QTextDocument

from decision_aid.gui.text import html_text, literal_mnemonic, literal_title, plain_tooltip
from tests.hardening.harness import budget
from tests.hardening.markup import title_shown, without_mnemonics

MARKUP = ("<", ">", "&", ";", "&amp;", "<b>", "</b>", "<img src='x'>", "<!--", "[*]", '"', "'")
texts = st.lists(
    st.one_of(
        st.sampled_from(MARKUP),
        st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=6),
    ),
    max_size=12,
).map("".join)


def _plain(text: str) -> str:
    return " ".join(text.split())


def _read_back(html: str) -> str:
    assert "<img" not in html.lower().replace("&lt;", "")
    document = QTextDocument()
    document.setHtml(html)
    return document.toPlainText()


@settings(max_examples=budget(100), deadline=None)
@given(texts)
def test_escaped_text_reads_back_as_written(text: str) -> None:
    html = html_text(text)
    assert "<" not in html
    assert ">" not in html
    assert _plain(_read_back(f"<p>{html}</p>")) == _plain(text)


@settings(max_examples=budget(100), deadline=None)
@given(texts)
def test_a_tooltip_shows_its_text_as_written(text: str) -> None:
    tip = plain_tooltip(text)
    shown = _read_back(tip) if QtGui.mightBeRichText(tip) else tip
    assert _plain(shown) == _plain(text)


@settings(max_examples=budget(100), deadline=None)
@given(texts)
def test_button_and_title_texts_keep_their_ampersands_and_marks(text: str) -> None:
    assert without_mnemonics(literal_mnemonic(text)) == text
    assert title_shown(literal_title(text)) == text
