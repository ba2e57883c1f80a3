"""Moved to :mod:`checklist_app.tools`; kept only while ``browser.py`` imports this name (its ``tool`` route).

Delete it once ``browser.py`` imports ``checklist_app.tools`` (tests/test_tools.py checks both give the same).
"""

from __future__ import annotations

from .tools import run_tool

__all__ = ["run_tool"]
