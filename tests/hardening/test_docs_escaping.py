"""The rule-set reference (``decision-aid docs``) shows rule-set text as text, in both forms.

The sweep puts hostile text into every kind of block and reads the output back with a
real parser: markdown-it (CommonMark with tables) for the Markdown, the standard
library's HTMLParser for the HTML. The structure must be exactly the blocks' (no extra
heading, list item, table row, link, image, emphasis or raw HTML), and each block's
text must read back as typed (whitespace folded). The planted-bug tests hand the sweep
the old, unescaped Markdown writer and an unescaped HTML writer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from html.parser import HTMLParser
from itertools import zip_longest

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from decision_aid.authoring.docs import Block, to_html, to_markdown
from tests.hardening.harness import CASES, ContractViolation, budget
from tests.hardening.sheet_sweep import MARKUP, UNICODE

MARKDOWN_HOSTILE = [
    "# a heading", "## two", "Title\n===", "Title\n---", "- item", "* item", "+ item",
    "1. first", "3) third", "> quote", "    indented code", "```\nfence\n```", "~~~",
    "| a | b |", "|---|---|", "[link](javascript:alert(1))", "![img](http://x/y.png)",
    "<https://evil.example>", "[ref]: http://evil.example", "[ref]", "*em* **strong**",
    "_em_ __strong__", "~~strike~~", "`code`", "\\", "\\*", "&amp; &#65; &lt;b&gt;",
    "<b>raw</b>", "<div>block</div>", "<!-- c -->", "$x^2$", "line\n\n# after a blank",
    "trailing two spaces  \nbreak", "***", "- - -", "[ ] task", "[x] done", "1.5 and 2)",
]  # fmt: skip
TEXTS = st.one_of(
    st.sampled_from(MARKDOWN_HOSTILE + MARKUP + UNICODE),
    st.text(min_size=1, max_size=40),
    st.lists(st.sampled_from(MARKDOWN_HOSTILE), min_size=2, max_size=4).map("\n".join),
).filter(lambda text: bool(text.split()))  # every block's text is at least one word


def _fold(text: str) -> str:
    return " ".join(text.replace("\x00", "\ufffd").split())


def blocks_strategy() -> st.SearchStrategy[list[Block]]:
    heading = st.builds(Block, st.sampled_from(["h1", "h2", "h3"]), TEXTS)
    paragraph = st.builds(Block, st.just("p"), TEXTS)
    items = st.builds(
        lambda items: Block("ul", items=tuple(items)), st.lists(TEXTS, min_size=1, max_size=3)
    )
    table = st.integers(1, 3).flatmap(
        lambda width: st.lists(
            st.lists(TEXTS, min_size=width, max_size=width).map(tuple), min_size=2, max_size=3
        ).map(lambda rows: Block("table", rows=tuple(rows)))
    )
    return st.lists(st.one_of(heading, paragraph, items, table), min_size=1, max_size=5)


def _expected(parts: Sequence[Block]) -> list[tuple[str, str]]:
    """(element, text) in document order, as both parsers report them."""
    out: list[tuple[str, str]] = []
    for block in parts:
        if block.kind in {"h1", "h2", "h3", "p"}:
            out.append((block.kind, _fold(block.text)))
        elif block.kind == "ul":
            out += [("li", _fold(item)) for item in block.items]
        else:
            header, *rows = block.rows
            out += [("th", _fold(cell)) for cell in header]
            out += [("td", _fold(cell)) for row in rows for cell in row]
    return out


_FORBIDDEN_MD = {"link_open", "image", "html_inline", "html_block", "code_inline", "em_open",
                 "strong_open", "s_open", "code_block", "fence", "hr", "blockquote_open",
                 "ordered_list_open", "hardbreak"}  # fmt: skip
_MD_ELEMENTS = {"heading_open", "paragraph_open", "th_open", "td_open"}


def read_markdown(text: str) -> list[tuple[str, str]]:
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    found: list[tuple[str, str]] = []
    pending: list[str] = []
    in_item = 0
    for token in tokens:
        if token.type in _FORBIDDEN_MD:
            raise ContractViolation(f"Markdown made a {token.type}")
        if token.type == "list_item_open":
            in_item += 1
            pending.append("li")
        elif token.type == "list_item_close":
            in_item -= 1
        elif token.type in _MD_ELEMENTS:
            if not (in_item and token.type == "paragraph_open"):
                pending.append(token.tag if token.type != "paragraph_open" else "p")
        elif token.type == "inline":
            for child in token.children or []:
                if child.type in _FORBIDDEN_MD:
                    raise ContractViolation(f"Markdown made a {child.type} from {token.content!r}")
            text = "".join(c.content for c in token.children or [] if c.type == "text")
            found.append((pending.pop(), _fold(text)))
    return found


class _Reader(HTMLParser):
    ALLOWED = frozenset({"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3",
                         "p", "ul", "li", "table", "thead", "tbody", "tr", "th", "td"})  # fmt: skip
    LEAVES = frozenset({"h1", "h2", "h3", "p", "li", "th", "td"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self.open: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.ALLOWED or (attrs and tag not in {"html", "meta"}):
            raise ContractViolation(f"HTML made a <{tag} {attrs}>")
        if tag in self.LEAVES:
            self.open, self.text = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag == self.open:
            self.found.append((tag, _fold("".join(self.text))))
            self.open = None

    def handle_data(self, data: str) -> None:
        if self.open:
            self.text.append(data)

    def handle_comment(self, data: str) -> None:
        raise ContractViolation(f"HTML made a comment {data!r}")


def read_html(text: str) -> list[tuple[str, str]]:
    reader = _Reader()
    reader.feed(text)
    reader.close()
    return reader.found


Writer = Callable[[Sequence[Block]], str]


def check_docs(markdown: Writer, html: Writer, parts: list[Block]) -> None:
    want = _expected(parts)
    for name, got in (
        ("Markdown", read_markdown(markdown(parts))),
        ("HTML", read_html(html(parts))),
    ):
        if got != want:
            wrong = next((g, w) for g, w in zip_longest(got, want) if g != w)
            raise ContractViolation(f"{name} reads back {wrong[0]!r}, not {wrong[1]!r}")


def sweep_docs(markdown: Writer, html: Writer, *, max_examples: int) -> int:
    ran = 0

    @settings(max_examples=max_examples, deadline=None, database=None,
              report_multiple_bugs=False, suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(parts=blocks_strategy())
    def one_case(parts: list[Block]) -> None:
        nonlocal ran
        ran += 1
        check_docs(markdown, html, parts)

    one_case()
    CASES["docs"] += ran
    return ran


def _html(parts: Sequence[Block]) -> str:
    return to_html(parts, "title")


def test_the_reference_shows_hostile_rule_set_text_as_text() -> None:
    assert sweep_docs(to_markdown, _html, max_examples=budget(150)) == budget(150)


def _unescaped_markdown(parts: Sequence[Block]) -> str:
    """The writer as it was: whitespace folded, "|" escaped in cells, nothing else."""

    def cell(text: str) -> str:
        return " ".join(text.split()).replace("|", "\\|")

    lines: list[str] = []
    for block in parts:
        if block.kind.startswith("h"):
            lines += ["#" * int(block.kind[1]) + " " + block.text, ""]
        elif block.kind == "p":
            lines += [" ".join(block.text.split()), ""]
        elif block.kind == "ul":
            lines += [f"- {' '.join(i.split())}" for i in block.items] + [""]
        else:
            header, *rows = block.rows
            lines.append("| " + " | ".join(cell(c) for c in header) + " |")
            lines.append("|" + "---|" * len(header))
            lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
            lines.append("")
    return "\n".join(lines)


def test_the_sweep_reports_the_old_unescaped_markdown() -> None:
    with pytest.raises(ContractViolation, match="Markdown"):
        sweep_docs(_unescaped_markdown, _html, max_examples=200)


def test_the_sweep_reports_html_that_does_not_escape(monkeypatch: pytest.MonkeyPatch) -> None:
    from decision_aid.authoring import docs

    monkeypatch.setattr(docs, "escape", lambda text, quote=True: text)
    with pytest.raises(ContractViolation, match="HTML"):
        sweep_docs(to_markdown, _html, max_examples=200)
    assert escape("<") == "&lt;"
