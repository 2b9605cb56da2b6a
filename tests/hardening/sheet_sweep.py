"""The sheet sweep: hostile text in every text field of a rule set and a consultation.

The contract (:func:`check_sheet`): whatever text the fields hold, the renderer returns
a PDF that PDFium opens; it opens no file but its own fonts and libraries, and makes no
network connection (an ``<img src=...>`` that reportlab obeyed would); and the probe
written into fields that are always printed (the funding note, the override reason)
shows *literally* in the PDF's text, so markup is shown as text, never obeyed.

:func:`sweep_sheet` takes the renderer as a parameter, so the planted-bug test can hand
it a weakened one and see the sweep fail.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from decision_aid.domain import Answers, RuleSet, evaluate, load_rule_set, parse_answers
from decision_aid.domain.consultation import Override
from decision_aid.domain.yamlsource import read_yaml
from decision_aid.paths import project_root
from decision_aid.present.override import ClinicianView
from tests.conftest import BUNDLED
from tests.hardening.harness import CASES, ContractViolation

__all__ = [
    "HOSTILE",
    "PROBE",
    "TEXT_FIELDS",
    "Renderer",
    "check_sheet",
    "hostile_rule_set",
    "hostile_text",
    "sweep_sheet",
]

Renderer = Callable[..., bytes]
CASE_SECONDS = 60.0
PRINTED = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)

# Free-text fields of the rule-set models, as Class.field (ids, patterns, dates and the
# question ids inside conditions are not text).
TEXT_FIELDS = frozenset(
    [
        "Block.points",
        "Block.title",
        "Citation.grade",
        "Figure.caveat",
        "Figure.label",
        "Figure.when",
        "Figure.who",
        "GridRow.answers",
        "GridRow.question",
        "Level.description",
        "Level.label",
        "Option.help",
        "Option.label",
        "OptionText.title",
        "Property.rationale",
        "Property.title",
        "Question.help",
        "Question.label",
        "Question.text",
        "Question.unit",
        "Reference.citation",
        "Reference.doi",
        "Reference.note",
        "Reference.pmid",
        "Reference.short",
        "Reference.url",
        "Rule.actions",
        "Rule.cautions",
        "Rule.patient_reason",
        "Rule.rationale",
        "Rule.title",
        "Rule.unverified",
        "RuleSetInfo.authors",
        "RuleSetInfo.reviewers",
        "RuleSetInfo.default_reason",
        "RuleSetInfo.description",
        "RuleSetInfo.funding",
        "RuleSetInfo.title",
        "RuleSetInfo.update_policy",
        "Section.intro",
        "Section.title",
        "Setting.label",
        "SettingChoice.description",
        "SettingChoice.label",
        "SheetContent.decision",
        "SheetContent.next_steps",
        "SheetContent.questions_to_ask",
    ]
)
TABLE_FIELDS = frozenset(
    [
        "Level.label",
        "OptionText.title",
        "GridRow.question",
        "GridRow.answers",
        "Figure.label",
        "Figure.when",
        "Figure.who",
        "Figure.caveat",
        "Rule.rationale",
        "Rule.unverified",
        "Reference.short",
        "Citation.grade",
    ]
)
"""The fields whose text lands in a table cell, where it used to be unable to split."""

PROBE = (
    '<b>B</b> &amp; & <font size="60" color="red">F</font> <a href="javascript:x()">A</a> '
    '<img src="/dev/zero"/> <onDraw name="showPage"/> <br/> &#0; &bogus;'
)
"""Written into fields printed on every sheet: it must come out exactly as typed."""

MARKUP = [
    '<img src="/dev/zero"/>',
    '<img src="/etc/passwd" width="900" height="900"/>',
    '<img src="http://127.0.0.1:9/tracker.png"/>',
    '<img src="file:///etc/shadow"/>',
    '<a href="javascript:alert(1)">click</a>',
    '<link href="http://evil.example/">here</link>',
    '<font face="/etc/passwd" size="400">huge</font>',
    '<font size="0.0001">tiny</font>',
    '<onDraw name="showPage" label="x"/>',
    '<seq id="x"/><seqreset id="x"/><seqchain order="x y"/>',
    '<index item="x"/>',
    "<para><para></para>",
    "</para></b></i></font>",
    "<br/>" * 40,
    "<![CDATA[ x ]]> <!-- comment --> <?xml version='1.0'?>",
    "&amp; &lt;b&gt; &#x41; &#65; &#0; &#xD800; &nbsp; &bogus; &",
    "<script>alert(1)</script>",
    "\"quoted\" 'single' `back`",
]
UNICODE = [
    "שלום עולם مرحبا بالعالم",  # right to left
    "\u202eevil\u202c \u2066isolate\u2069 \u200f",  # bidi overrides
    "😀🧪🏥 \U0001f9ec \U0001fae0 𝕏𝔸 𓀀",  # astral characters the font lacks
    "e\u0301\u0301\u0301 a\u0338 Z̷̢̛̪͉̓͊a̸̙̾l̶̬͗g̷̙̈́o̵̺͐",  # combining marks
    "\u200b\u200c\u200d\ufeff\u00ad soft hyphen",  # invisible characters
    "\x00 NUL \x07 bell \x1b[31m escape \x7f \x85 \x9f",  # control characters
    "\ud800 lone \udfff surrogates",  # YAML's "\ud800" escape yields these
    "\t tab \r cr \u2028 line \u2029 paragraph \x0c form feed",
    "\U0010ffff \ufffe \uffff noncharacters",
]


def long_word(size: int) -> str:
    return "Supercalifragilistic" * (size // 20)


def long_paragraph(size: int) -> str:
    return ("A sentence of ordinary words that goes on. " * (size // 43)).strip()


def many_lines(lines: int) -> str:
    return "\n".join(f"line {n}" for n in range(lines))


Make = Callable[[str, int, int], str]
"""``Class.field``, the how-manyth field of all, of its kind → the text to put there."""


def _everywhere(samples: list[str]) -> Make:
    return lambda where, i, k: samples[i % len(samples)]


def _in_cells(make: Callable[[int], str]) -> Make:
    """``make(i)`` in the first two fields of each table-cell kind (every rule's and level's,
    since only the fired rules and the outcome are printed); plain words elsewhere."""

    def text(where: str, i: int, k: int) -> str:
        if where in TABLE_FIELDS and (k <= 2 or where.startswith(("Rule.", "Level."))):
            return make(i)
        return f"plain {i}"

    return text


HOSTILE: dict[str, Make] = {
    "markup in every field": _everywhere(MARKUP),
    "unicode in every field": _everywhere(UNICODE),
    # long words and long paragraphs alternate, to cost one case, not two
    "long text in every table cell": _in_cells(
        lambda n: long_word(2_600) if n % 2 else long_paragraph(2_600)
    ),
    "many lines in every table cell": _in_cells(lambda n: many_lines(120)),
    "past the length cap": lambda where, i, k: long_word(12_000) if i == 1 else f"plain {i}",
}
"""The table: one kind of hostile text, placed by :data:`Make`."""


def hostile_text() -> st.SearchStrategy[str]:
    """One generated hostile string (never empty: the loader requires text)."""
    pieces = st.one_of(
        st.sampled_from(MARKUP),
        st.sampled_from(UNICODE),
        st.text(min_size=1, max_size=80),
        st.integers(200, 3_000).map(long_word),
        st.integers(200, 3_000).map(long_paragraph),
        st.integers(5, 120).map(many_lines),
    )
    return st.lists(pieces, min_size=1, max_size=3).map(" ".join)


def _replace(value: Any, text: Callable[[], str]) -> Any:
    if isinstance(value, str):
        return text()
    if isinstance(value, tuple):
        return tuple(_replace(v, text) for v in value)
    if isinstance(value, dict):
        return {k: _replace(v, text) for k, v in value.items()}
    return value


Text = Callable[[str], str]
"""Given a field's ``Class.field`` name, the text to put there (or the original)."""


def hostile_rule_set(model: BaseModel, text: Text) -> Any:
    """A copy of ``model`` with every free-text field ``Class.field`` replaced by ``text(...)``.

    Built with ``model_construct``, so cached lookups (``by_id``) are rebuilt from the
    new text, and nothing is re-validated: the renderer must survive even what a
    future, laxer loader would let through.
    """
    fields: dict[str, Any] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            value = hostile_rule_set(value, text)
        elif isinstance(value, tuple) and value and isinstance(value[0], BaseModel):
            value = tuple(hostile_rule_set(v, text) for v in value)
        elif f"{type(model).__name__}.{name}" in TEXT_FIELDS:
            where = f"{type(model).__name__}.{name}"
            value = _replace(value, partial(text, where))
        fields[name] = value
    return type(model).model_construct(**fields)


# -- the guard: no file but our own, no network --------------------------------------

_ALLOWED = tuple(
    str(p)
    for p in {
        project_root() / "resources",
        Path(sys.prefix),
        Path(sys.base_prefix),
        Path(__file__).resolve().parents[2],  # the source tree: lazily imported modules
    }
)
_GUARD: dict[str, Any] = {"on": False, "seen": []}


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _GUARD["on"]:
        return
    if event == "open" and isinstance(args[0], str | bytes | Path):
        path = str(Path(args[0].decode() if isinstance(args[0], bytes) else args[0]).resolve())
        if path.startswith(_ALLOWED):
            return
        _GUARD["seen"].append(f"opened {path}")
        raise PermissionError(f"the sheet sweep forbids opening {path}")
    if event in {"socket.connect", "urllib.Request", "subprocess.Popen", "os.system"}:
        _GUARD["seen"].append(f"{event} {args[:2]!r}")
        raise PermissionError(f"the sheet sweep forbids {event}")


_installed: list[bool] = []


@contextlib.contextmanager
def _guarded() -> Iterator[list[str]]:
    if not _installed:
        sys.addaudithook(_audit)  # hooks cannot be removed; this one sleeps when "off"
        _installed.append(True)
    _GUARD["seen"] = []
    _GUARD["on"] = True
    try:
        yield _GUARD["seen"]
    finally:
        _GUARD["on"] = False


def _flat(text: str) -> str:
    return "".join(text.split())


def pdf_text(pdf: bytes) -> tuple[int, str]:
    """Pages and text of ``pdf``, read by PDFium (the viewer the window uses)."""
    document = pdfium.PdfDocument(pdf)
    try:
        pages = len(document)
        text = "".join(document[i].get_textpage().get_text_range() for i in range(pages))
    finally:
        document.close()
    return pages, text


def check_sheet(
    render: Renderer,
    rule_set: RuleSet,
    answers: Answers,
    override: ClinicianView,
    *,
    context: str,
) -> None:
    """Raise :class:`ContractViolation` unless ``render`` keeps the contract on this input."""
    started = time.monotonic()
    with _guarded() as seen:
        try:
            assessment = evaluate(rule_set, answers, {})
            pdf = render(assessment, answers, rule_set, override=override, printed=PRINTED)
        except Exception as error:
            raise ContractViolation(
                f"{context}: render raised {type(error).__name__}: {str(error)[:300]}"
                + (f"; forbidden: {seen}" if seen else "")
            ) from error
    seconds = time.monotonic() - started
    if seen:
        raise ContractViolation(f"{context}: the renderer reached outside: {seen}")
    if seconds > CASE_SECONDS:
        raise ContractViolation(f"{context}: rendering took {seconds:.0f} s")
    if not pdf.startswith(b"%PDF"):
        raise ContractViolation(f"{context}: not a PDF: {pdf[:20]!r}")
    try:
        pages, text = pdf_text(pdf)
    except pdfium.PdfiumError as error:
        raise ContractViolation(f"{context}: PDFium cannot open the sheet: {error}") from error
    if pages < 2:
        raise ContractViolation(f"{context}: only {pages} page(s)")
    shown = _flat(text)
    if _flat(PROBE) not in shown:
        raise ContractViolation(f"{context}: the probe {PROBE!r} is not shown literally")


def _inputs(rule_set: RuleSet, make: Make, reason: str) -> tuple[Any, ClinicianView]:
    count: Counter[str] = Counter()

    def text(where: str) -> str:
        count["all"] += 1
        count[where] += 1
        return make(where, count["all"], count[where])

    hostile = hostile_rule_set(rule_set, text)
    info = hostile.info.model_construct(
        **{**dict(hostile.info), "funding": f"{PROBE} {hostile.info.funding}"}
    )
    hostile = hostile.model_construct(**{**dict(hostile), "info": info})
    level = rule_set.info.levels[0].id
    # Built as the rule set is, unvalidated: the renderer must survive any text (a lone
    # surrogate included), not only what a consultation file may hold.
    override = Override.model_construct(
        level=level, reason=f"{PROBE} {reason}", at=PRINTED, clinician=text("Override.clinician")
    )
    label = hostile.levels_by_id[level].label
    # Current and under review alike: each is printed in its own words.
    view = ClinicianView(override, label, 0, label, current=count["all"] % 2 == 0)
    return hostile, view


def sweep_sheet(render: Renderer, *, max_examples: int, shrink: bool = True) -> int:
    """The table of hostile kinds, then ``max_examples`` generated mixtures; cases run.

    A generated case puts hostile text into a few kinds of field (``Class.field``), and
    plain words elsewhere, so a case costs what its hostile text costs.
    """
    rule_set = load_rule_set(BUNDLED)
    data = read_yaml(BUNDLED / "examples" / "crps-asra.yaml")[0].data
    answers = parse_answers(rule_set.questionnaire, data)
    ran = 0
    for kind, make in HOSTILE.items():
        hostile, override = _inputs(rule_set, make, make("Override.reason", 0, 0))
        check_sheet(render, hostile, answers, override, context=f"[sheet table: {kind}]")
        ran += 1

    @settings(
        max_examples=max_examples,
        deadline=None,
        phases=[Phase.generate, *([Phase.shrink] if shrink else [])],
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        chosen=st.dictionaries(
            st.sampled_from(sorted(TEXT_FIELDS | TABLE_FIELDS)),
            hostile_text(),
            min_size=1,
            max_size=4,
        ),
        reason=hostile_text(),
    )
    def one_case(chosen: dict[str, str], reason: str) -> None:
        nonlocal ran
        ran += 1
        hostile, override = _inputs(
            rule_set, lambda where, i, k: chosen.get(where, f"plain {i}"), reason
        )
        shown = {k: v[:60] for k, v in chosen.items()}
        check_sheet(render, hostile, answers, override, context=f"[sheet: {shown!r}]")

    one_case()
    CASES["sheet"] += ran
    return ran
