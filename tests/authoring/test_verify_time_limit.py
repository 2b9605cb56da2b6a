"""verify's time limit: what the solver has not settled in time is undecided, never proved."""

from __future__ import annotations

import pytest

from decision_aid.authoring.verify import verify
from decision_aid.cli import main
from decision_aid.domain import load_rule_set
from tests.conftest import BUNDLED


def test_a_property_left_unsettled_by_the_time_limit_is_undecided_not_proved() -> None:
    found = verify(load_rule_set(BUNDLED), time_limit=1e-6)
    assert found, "every property is still listed"
    assert all(f.undecided and not f.holds for f in found)
    assert all(f.counterexample is None for f in found), "an undecided one has no example"


def test_the_command_says_what_it_could_not_decide_and_fails(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["verify", str(BUNDLED), "--time-limit", "0.000001"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(
        f"{BUNDLED / 'ruleset.yaml'}:55:18: UNDECIDED: one outcome [guideline_basis = asra_2018]: "
        "not proved"
    )
    assert out[-2] == "0/113 properties proved over every answer set"
    assert out[-1] == (
        "113 not decided within the time limit of 1e-06 s; give the solver longer with "
        "--time-limit SECONDS, or split the rule set"
    )


@pytest.mark.parametrize("limit", ["0", "-5", "nan", "inf", "soon"])
def test_a_time_limit_that_is_not_a_positive_number_is_refused(
    limit: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["verify", str(BUNDLED), "--time-limit", limit])
    assert exit_.value.code == 2
    assert "--time-limit" in capsys.readouterr().err
