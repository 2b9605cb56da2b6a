"""The pure core: questionnaire, conditions, rules, loading and the engine.

Nothing here imports Qt or reportlab; the GUI, the sheet and the CLI read the
frozen :class:`Assessment` that :func:`evaluate` returns.

The public names are listed once, in ``__init__.pyi``, and each is loaded on first use
(PEP 562, through lazy_loader): building the pydantic models costs a quarter of a
second, and the window is shown before it needs them.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
