"""verify's level-by-level encoding (``reaches``) says what its outcome encoding says.

``reaches(level)`` must hold exactly when the outcome is that level or more restrictive,
for every answer set, under every setting: the solver proves the two never differ.
"""

from __future__ import annotations

import pytest

z3 = pytest.importorskip("z3")

from decision_aid.authoring.verify import _variables, _World, setting_combinations  # noqa: E402
from decision_aid.domain import RuleSet, load_rule_set  # noqa: E402
from tests.conftest import BUNDLED, MINI  # noqa: E402


@pytest.mark.parametrize(
    "rule_set", [load_rule_set(BUNDLED), load_rule_set(MINI)], ids=["bundled", "mini"]
)
def test_reaches_is_the_outcome_compared_with_each_level(rule_set: RuleSet) -> None:
    for settings in setting_combinations(rule_set):
        solver = z3.Solver()
        world = _World(rule_set, _variables(rule_set, solver), {})
        outcome = world.outcome(settings)
        for level in range(len(rule_set.info.levels) + 1):
            solver.push()
            solver.add(world.reaches(settings, level) != (outcome >= level))
            assert solver.check() == z3.unsat, (settings, level)
            solver.pop()
