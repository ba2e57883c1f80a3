"""``python -m checklist_app``: the staff CLI (see :mod:`checklist_app.cli`)."""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
