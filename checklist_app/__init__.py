"""checklist_app: the pure-Python core of the Net-com migration guide.

Runs in CPython (tests, the staff CLI) and in the browser through Pyodide. No module here does I/O
or imports browser APIs except :mod:`checklist_app.browser`.
"""

from __future__ import annotations

from .errors import ChecklistError
from .provider import PROVIDER, Provider
from .steps import ITEMS, STEPS, ChecklistItem, Duration, Step, item_by_number, items_for_step, step_by_number
from .text import Text

__version__ = "0.1.0"

__all__ = [
    "ITEMS",
    "PROVIDER",
    "STEPS",
    "ChecklistError",
    "ChecklistItem",
    "Duration",
    "Provider",
    "Step",
    "Text",
    "__version__",
    "item_by_number",
    "items_for_step",
    "step_by_number",
]
