"""``python -m decision_aid.cli``: the ``decision-aid`` command."""

import sys

from decision_aid.cli import main

sys.exit(main())
