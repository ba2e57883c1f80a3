"""The words the page's JavaScript writes itself, in both languages: the build renders them into every page.

Everything a customer reads about their checklist comes from Python: the view (statuses, summary, next action,
names, field messages) from :mod:`checklist_app.browser`, and these few fixed words (a loading line, a storage
alert, the confirm and undo buttons) from here, so that no text lives in JavaScript. ``{name}`` is filled in by
the page with the checklist's name (already Python's words: the label, the domain or 「ドメイン未入力」).
"""

from __future__ import annotations

import json

from .text import Text

__all__ = ["PAGE_WORDS", "page_words", "page_words_json"]

PAGE_WORDS: dict[str, Text] = {
    "failed": Text(
        ja="このブラウザではチェックリストの一部の機能(ドメインの追加・削除、書き出し・読み込み、進み具合の表示)を"
        "開始できませんでした。チェック・日付・メモの記入はこのまま使え、ブラウザに保存されます。",
        en="Some checklist features (adding and deleting domains, export, import, the progress shown) could not "
        "start in this browser. Ticks, dates and notes still work and are saved in the browser.",
    ),
    "reading": Text(
        ja="保存されている内容を読み込んでいます…",
        en="Reading your saved progress…",
    ),
    "memory": Text(
        ja="このブラウザには保存できない設定になっています。入力した内容はこのページを閉じると消えます。"
        "「すべて書き出す」でファイルに保存してください。",
        en="This browser does not allow saving. What you enter is lost when you close this page: use “Export all” "
        "to save it to a file.",
    ),
    "quota": Text(
        ja="ブラウザの保存容量が足りないため、最後の変更を保存できませんでした(保存済みの内容はそのままです)。"
        "「すべて書き出す」でファイルに保存してください。",
        en="The browser's storage is full, so the last change could not be saved (what was saved before is "
        "unchanged). Use “Export all” to save it to a file.",
    ),
    "backup_failed": Text(
        ja="保存データの修復前のバックアップを保存できなかったため、修復した内容は保存していません。",
        en="The backup of the damaged saved data could not be written, so the repaired data was not saved.",
    ),
    "recovered": Text(
        ja="保存データの一部が読めませんでした。読めた内容を表示しています。元のデータはバックアップとして残しました。",
        en="Part of the saved data could not be read. What could be read is shown; the original is kept as a backup.",
    ),
    "migrated": Text(
        ja="以前の形式で保存されたデータを新しい形式に変換しました。元のデータはバックアップとして残しました。",
        en="Data saved in an older format was converted to the new one; the original is kept as a backup.",
    ),
    "checking": Text(ja="確認中…", en="Checking…"),
    "next": Text(ja="次の作業:", en="Next:"),
    "next_netcom": Text(
        ja="(弊社の作業です。完了のご連絡をお待ちください)", en="(Net-com's task: we will tell you when it is done)"
    ),
    "all_done": Text(ja="すべての項目が完了しました。", en="Every item is completed."),
    "no_migration": Text(
        ja="まだチェックリストがありません。ドメイン名を入力するか、項目にチェックを付けて始めてください。",
        en="There is no checklist yet. Enter a domain name or tick an item to start.",
    ),
    "deleted": Text(ja="「{name}」のチェックリストを削除しました。", en="The checklist “{name}” was deleted."),
    "reset": Text(ja="「{name}」のチェックリストを空にしました。", en="The checklist “{name}” was emptied."),
    "undo": Text(ja="元に戻す", en="Undo"),
    "undone": Text(ja="元に戻しました。", en="Undone."),
    "confirm_delete": Text(ja="「{name}」のチェックリストを削除しますか?", en="Delete the checklist “{name}”?"),
    "confirm_reset": Text(
        ja="「{name}」のチェックリストのチェック・日付・メモをすべて空にしますか?",
        en="Clear every tick, date and note of the checklist “{name}”?",
    ),
    "yes_delete": Text(ja="削除する", en="Delete"),
    "yes_reset": Text(ja="空にする", en="Clear"),
    "no": Text(ja="やめる", en="Cancel"),
    "unavailable": Text(ja="この操作は、このブラウザでは使えません。", en="This is not available in this browser."),
    "exported": Text(ja="{name} を書き出しました。", en="Exported {name}."),
    "step_for": Text(ja="「{name}」のチェックリスト", en="Checklist “{name}”"),
    "step_none": Text(
        ja="ここでチェックを付けると、チェックリスト(ドメイン未入力)に記録されます。",
        en="Ticking here records the item in your checklist (No domain yet).",
    ),
    "step_pending": Text(
        ja="チェックリストのページを開くと、進み具合に反映されます。",
        en="The progress is updated when you open the checklist page.",
    ),
    "copied": Text(ja="コピーしました。", en="Copied."),
    "plan_saved": Text(
        ja="申込日と DNS 切り替え日を「{name}」のチェックリストに保存しました。",
        en="The application date and the DNS switch date are saved in the checklist “{name}”.",
    ),
}


def page_words(lang: str) -> dict[str, str]:
    """The page's words in ``lang`` (anything but ``"en"``: Japanese)."""
    return {key: text.get(lang) for key, text in PAGE_WORDS.items()}


def page_words_json(lang: str) -> str:
    """:func:`page_words` as JSON that is safe inside ``<script type="application/json">`` (no ``<``)."""
    return json.dumps(page_words(lang), ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
