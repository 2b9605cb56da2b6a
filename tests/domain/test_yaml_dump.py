"""What the app writes as YAML (approvals, case files, counterexamples) reads back the same.

PyYAML quotes a string by YAML 1.1's rules, but the app reads by YAML 1.2's, so a key id
``12e4`` written bare came back as the number 120000.0.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from decision_aid.domain.yamlsource import dump_yaml, parse_yaml

TRICKY = [
    "12e4", "0x1F", "0o17", "1_000", ".5", "no", "yes", "off", "~", "null", "2026-11-28",
    "+1", "-.inf", ".NaN", "0123", "true", "", " lead", "a: b", "- x", "#", "'", '"',
]  # fmt: skip

scalars = st.one_of(
    st.sampled_from(TRICKY),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.none(),
)
keys = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=8)
values: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=12,
)


def as_read(value: Any) -> Any:
    """Sequences read back as tuples (the models are frozen)."""
    if isinstance(value, list):
        return tuple(as_read(v) for v in value)
    if isinstance(value, dict):
        return {k: as_read(v) for k, v in value.items()}
    return value


@given(st.dictionaries(st.sampled_from(TRICKY[:6]) | st.text(min_size=1, max_size=6), values))
def test_what_is_written_reads_back_as_the_same_values(data: dict[str, Any]) -> None:
    document, problems = parse_yaml(dump_yaml(data), "written.yaml")
    assert problems == []
    assert document.data == as_read(data)


def test_a_key_id_of_digits_and_one_e_stays_text() -> None:
    document, _ = parse_yaml(dump_yaml({"key_id": "12e4567890123456"}), "approval.yaml")
    assert document.data == {"key_id": "12e4567890123456"}
