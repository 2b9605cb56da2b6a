# The domain's public names, written once: type checkers read them here, and
# decision_aid/domain/__init__.py loads each on first use from this same list.
from .assessment import Assessment as Assessment
from .assessment import FiredRule as FiredRule
from .assessment import MissingItem as MissingItem
from .engine import evaluate as evaluate
from .engine import outcome_of as outcome_of
from .engine import resolve_settings as resolve_settings
from .errors import AnswersError as AnswersError
from .errors import DecisionAidError as DecisionAidError
from .errors import InputError as InputError
from .errors import Problem as Problem
from .errors import RuleSetError as RuleSetError
from .loading import load_rule_set as load_rule_set
from .questionnaire import NOT_KNOWN as NOT_KNOWN
from .questionnaire import Answers as Answers
from .questionnaire import Question as Question
from .questionnaire import parse_answers as parse_answers
from .rules import RuleSet as RuleSet
from .truth import Truth as Truth
