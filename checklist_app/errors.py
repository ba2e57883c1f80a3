"""The one error type users ever see: it names the field and says what is expected, in both languages."""

from __future__ import annotations

__all__ = ["ChecklistError"]


class ChecklistError(ValueError):
    """Bad input or an impossible request.

    ``field`` names the input at fault (``"domain"``, ``"ip"``, ``"date"`` …) so a page can show the
    message beside that field; ``ja`` and ``en`` are complete sentences for the reader.
    """

    def __init__(self, field: str, ja: str, en: str) -> None:
        super().__init__(en)
        self.field = field
        self.ja = ja
        self.en = en

    def message(self, lang: str = "ja") -> str:
        """The message in ``lang`` (``"en"`` or Japanese for anything else)."""
        return self.en if lang == "en" else self.ja

    def to_dict(self) -> dict[str, str]:
        """Plain data for JSON output and the browser."""
        return {"field": self.field, "ja": self.ja, "en": self.en}
