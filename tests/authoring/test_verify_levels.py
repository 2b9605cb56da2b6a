"""verify's level-by-level encoding (``reaches``) says what its outcome encoding says.

"The outcome is this level or more restrictive" must hold exactly when the outcome's rank
is that level or more, for every answer set, under every setting: the solver proves the
two never differ, or gives the answers on which they do.
"""

from __future__ import annotations

import pytest

pytest.importorskip("z3")

from decision_aid.authoring.verify import levels_disagree, setting_combinations
from decision_aid.domain import RuleSet, load_rule_set
from tests.conftest import BUNDLED, MINI


@pytest.mark.parametrize(
    "rule_set", [load_rule_set(BUNDLED), load_rule_set(MINI)], ids=["bundled", "mini"]
)
def test_reaches_is_the_outcome_compared_with_each_level(rule_set: RuleSet) -> None:
    for settings in setting_combinations(rule_set):
        found = levels_disagree(rule_set, settings)
        assert found is None, f"under {settings}, the two encodings differ on {found}"
