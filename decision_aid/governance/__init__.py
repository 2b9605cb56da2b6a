"""Governance: who approved a rule set, which keys are trusted, and the audit trail.

It may import the domain and storage; the window, the sheet and the CLI read it; the
domain never does (import-linter keeps it so).

The public names are listed once, in ``__init__.pyi``, and each is loaded on first use
(as in the domain): the window checks the approval before its first answer, and loads the
audit trail only when it first records an event.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
