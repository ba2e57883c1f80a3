"""Bilingual text: every user-facing string carries Japanese and English."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["LANGUAGES", "Lang", "Text"]

Lang = Literal["ja", "en"]
LANGUAGES: tuple[Lang, ...] = ("ja", "en")


@dataclass(frozen=True, slots=True)
class Text:
    """A string in Japanese (the default) and English."""

    ja: str
    en: str

    def get(self, lang: str) -> str:
        """Return the text in ``lang``; anything but ``"en"`` gives Japanese."""
        return self.en if lang == "en" else self.ja
