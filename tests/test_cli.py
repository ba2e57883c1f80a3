"""checklist_app.cli: the staff CLI's hosts, mail, schedule and overview commands, its help, errors and exit codes.

Run through ``main(argv)`` with pytest's output capture, so they also run inside Pyodide; two tests start
``python -m checklist_app`` as a real process (CPython only). dnscheck runs against real servers in tests/dns/; here
only its use of provider.toml's name servers, with a fake DNS world in place of the network.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import plistlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from icalendar import Calendar

from checklist_app.cli import _SORT_KEYS, _build_parser, _width, main
from checklist_app.mail import CLIENT_ALIASES, CLIENTS
from checklist_app.overview import CSV_COLUMNS, SORT_KEYS
from checklist_app.progress import Workspace
from checklist_app.schedule import plan_schedule
from checklist_app.storage import export_file

HOSTS_EXAMPLE = ["hosts", "日本語.jp", "--ip", "203.0.113.10", "--ip", "2001:db8::10", "--date", "2026-12-01"]
MAIL_POP = ["mail", "taro@example.co.jp", "--protocol", "pop", "--client", "outlook"]
MAIL_POP += ["--old-server", "mail.oldhost.example"]
CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """main(argv) → (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def hosts_lines(text: str) -> list[tuple[str, str]]:
    """(address, name) pairs of the non-comment lines, read the way a resolver reads hosts."""
    pairs = []
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split()
        pairs += [(fields[0], name) for name in fields[1:]]
    return pairs


# --- hosts ----------------------------------------------------------------------------------------------------


def test_hosts_example_prints_the_block_for_the_idn_domain(capsys: pytest.CaptureFixture[str]) -> None:
    """The README example: exit 0, the punycode names for both addresses, dated markers."""
    code, out, err = run(capsys, *HOSTS_EXAMPLE)
    assert (code, err) == (0, "")
    block = out.split("# END", 1)[0]
    assert "# BEGIN Net-com migration xn--wgv71a119e.jp 2026-12-01" in out
    assert sorted(hosts_lines(block)) == sorted(
        (a, n) for a in ("203.0.113.10", "2001:db8::10") for n in ("xn--wgv71a119e.jp", "www.xn--wgv71a119e.jp")
    )


def test_hosts_text_output_has_warnings_and_every_os(capsys: pytest.CaptureFixture[str]) -> None:
    """The full output warns about documentation addresses and gives Windows, macOS and Linux steps."""
    _, out, _ = run(capsys, *HOSTS_EXAMPLE)
    assert "説明用(ドキュメント用)のアドレス" in out
    assert "ipconfig /flushdns" in out and "mDNSResponder" in out and "resolvectl" in out


def test_hosts_os_option_limits_the_steps(capsys: pytest.CaptureFixture[str]) -> None:
    """--os macos shows the macOS steps only."""
    _, out, _ = run(capsys, *HOSTS_EXAMPLE, "--os", "macos")
    assert "mDNSResponder" in out
    assert "ipconfig" not in out and "resolvectl" not in out


def test_hosts_block_only_prints_just_the_block(capsys: pytest.CaptureFixture[str]) -> None:
    """--block-only: BEGIN marker first, END marker last, nothing else."""
    _, out, _ = run(capsys, *HOSTS_EXAMPLE, "--block-only")
    lines = out.splitlines()
    assert lines[0].startswith("# BEGIN ") and lines[-1].startswith("# END ")
    assert len(lines) == 6


def test_hosts_json_is_the_block_data(capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints the block as JSON with the Unicode domain kept for display."""
    _, out, _ = run(capsys, *HOSTS_EXAMPLE, "--json")
    data = json.loads(out)
    assert (data["domain"], data["domain_unicode"]) == ("xn--wgv71a119e.jp", "日本語.jp")
    assert data["addresses"] == ["203.0.113.10", "2001:db8::10"]


def test_hosts_date_defaults_to_today(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --date the markers carry today's date (the CLI, not the core, reads the clock)."""
    before = dt.date.today().isoformat()
    _, out, _ = run(capsys, "hosts", "example.jp", "--ip", "133.0.0.1", "--block-only")
    after = dt.date.today().isoformat()
    assert out.splitlines()[0].rsplit(" ", 1)[1] in {before, after}


def test_hosts_injection_attempt_exits_2_with_nothing_on_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    """A name with a newline is rejected: exit 2, both languages on stderr, stdout empty."""
    code, out, err = run(capsys, "hosts", "example.jp\n1.2.3.4 bank.example", "--ip", "133.0.0.1")
    assert (code, out) == (2, "")
    assert "エラー" in err and "Error" in err and "domain" in err


def test_hosts_bad_address_names_the_ip_field(capsys: pytest.CaptureFixture[str]) -> None:
    """An invalid --ip: exit 2 and the message names the ip field."""
    code, out, err = run(capsys, "hosts", "example.jp", "--ip", "999.1.1.1")
    assert (code, out) == (2, "")
    assert "(ip)" in err and "999.1.1.1" in err


def test_hosts_bad_date_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A --date that is not YYYY-MM-DD: exit 2, nothing on stdout."""
    code, out, err = run(capsys, "hosts", "example.jp", "--ip", "133.0.0.1", "--date", "2026/12/01")
    assert (code, out) == (2, "")
    assert "YYYY-MM-DD" in err


def test_lang_en_shows_the_error_in_english_only(capsys: pytest.CaptureFixture[str]) -> None:
    """--lang en: the error message is English only."""
    code, _, err = run(capsys, "hosts", "bad_domain.jp", "--ip", "133.0.0.1", "--lang", "en")
    assert code == 2
    assert err.startswith("Error:") and not CJK.search(err.replace("日本語.jp", ""))


def test_lang_ja_shows_the_error_in_japanese_only(capsys: pytest.CaptureFixture[str]) -> None:
    """--lang ja: the error message is Japanese only."""
    code, _, err = run(capsys, "hosts", "bad_domain.jp", "--ip", "133.0.0.1", "--lang", "ja")
    assert code == 2
    assert err.startswith("エラー:") and "Error" not in err


def test_missing_required_option_is_a_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """argparse errors (a missing --ip) exit 2 with usage and both languages on stderr, nothing on stdout."""
    code, out, err = run(capsys, "hosts", "example.jp")
    assert (code, out) == (2, "")
    assert "usage:" in err and "--ip" in err
    assert "引数が正しくありません" in err and "invalid arguments" in err


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """No sub-command: exit 2, usage on stderr."""
    code, out, err = run(capsys)
    assert (code, out) == (2, "")
    assert "usage:" in err


# --- mail -----------------------------------------------------------------------------------------------------


def test_mail_pop_outlook_shows_old_and_new_values(capsys: pytest.CaptureFixture[str]) -> None:
    """The README example: the old server in (a), the new host, 995 and 587 in (b), the Outlook data-file warning."""
    code, out, err = run(capsys, *MAIL_POP)
    assert (code, err) == (0, "")
    old_part, new_part = out.split("(b)", 1)
    assert "mail.oldhost.example" in old_part
    assert "mail01.net-com.example" in new_part and "995" in new_part and "587" in new_part
    assert ".pst" in out


def test_mail_outlook_alias_equals_outlook_classic(capsys: pytest.CaptureFixture[str]) -> None:
    """--client outlook gives exactly the output of --client outlook_classic."""
    _, alias, _ = run(capsys, *MAIL_POP)
    _, canonical, _ = run(capsys, *[a if a != "outlook" else "outlook_classic" for a in MAIL_POP])
    assert alias == canonical


def test_mail_english_output(capsys: pytest.CaptureFixture[str]) -> None:
    """--lang en labels the rows as the English client does."""
    _, out, _ = run(capsys, *MAIL_POP, "--lang", "en")
    assert "Incoming mail server" in out
    assert "受信" not in out


def test_mail_help_lists_every_client_and_alias(capsys: pytest.CaptureFixture[str]) -> None:
    """mail --help names every client id and the outlook alias; exit 0."""
    code, out, _ = run(capsys, "mail", "--help")
    flat = " ".join(out.split())
    assert code == 0
    assert all(client in flat for client in CLIENTS)
    assert "outlook=outlook_classic" in flat
    assert set(CLIENT_ALIASES) <= set(re.findall(r"(\w+)=\w+", flat))


def test_mail_mobileconfig_is_a_plist_without_passwords(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """--format mobileconfig writes an XML plist with one IMAP com.apple.mail.managed payload and no password."""
    code = main(["mail", "taro@example.co.jp", "--protocol", "imap", "--format", "mobileconfig"])
    out, err = capsysbinary.readouterr()
    assert (code, err) == (0, b"")
    profile = plistlib.loads(out)
    payload = profile["PayloadContent"][0]
    assert (payload["PayloadType"], payload["EmailAccountType"]) == ("com.apple.mail.managed", "EmailTypeIMAP")
    assert b"Password</key>" not in out.replace(b"SameAsIncomingPassword</key>", b"")


def test_mail_autoconfig_is_thunderbird_xml(capsys: pytest.CaptureFixture[str]) -> None:
    """--format autoconfig writes config-v1.1.xml with the POP server on 995."""
    code, out, _ = run(capsys, *MAIL_POP, "--format", "autoconfig")
    root = ET.fromstring(out)
    incoming = root.find("emailProvider/incomingServer")
    assert code == 0 and incoming is not None
    assert (incoming.get("type"), incoming.findtext("port")) == ("pop3", "995")


def test_mail_text_marks_sample_servers_first_and_beside_them(capsys: pytest.CaptureFixture[str]) -> None:
    """An example server: the first line says サンプル値 and names it; its table rows carry the mark."""
    code, out, _ = run(capsys, *MAIL_POP, "--new-server", "mail01.net-com.example")
    assert code == 0
    assert out.startswith("サンプル値: mail01.net-com.example, mail.oldhost.example")
    assert re.search(r"mail01\.net-com\.example  ← サンプル値", out)
    assert re.search(r"mail\.oldhost\.example  ← サンプル値", out)


def test_mail_text_leaves_real_servers_unmarked(capsys: pytest.CaptureFixture[str]) -> None:
    """Non-example servers: no sample line, no mark."""
    code, out, _ = run(
        capsys, "mail", "taro@example.co.jp", "--protocol", "imap", "--old-server", "mail.oldhost.co.jp",
        "--new-server", "mail01.net-com.co.jp",
    )  # fmt: skip
    assert code == 0 and "サンプル値" not in out and out.startswith("■ taro@example.co.jp")


def test_mail_json_lists_the_samples(capsys: pytest.CaptureFixture[str]) -> None:
    """--json carries the sample server names."""
    _, out, _ = run(capsys, *MAIL_POP, "--new-server", "mail01.net-com.example", "--json")
    assert json.loads(out)["samples"] == ["mail01.net-com.example", "mail.oldhost.example"]


def test_mail_profiles_of_two_mailboxes_have_their_own_identifiers(capsys: pytest.CaptureFixture[str]) -> None:
    """--format mobileconfig for taro@ and for hanako@: two identifiers; taro@ again: the same as the first."""
    ids = []
    for address in ("taro@example.co.jp", "hanako@example.co.jp", "taro@example.co.jp"):
        main(["mail", address, "--protocol", "imap", "--client", "ios", "--format", "mobileconfig"])
        ids.append(plistlib.loads(capsys.readouterr().out.encode("utf-8"))["PayloadIdentifier"])
    assert ids[0] != ids[1] and ids[0] == ids[2]


def test_mail_android_pop_exits_2_naming_imap(capsys: pytest.CaptureFixture[str]) -> None:
    """--client gmail --protocol pop: exit 2 on the protocol field; the message says IMAP."""
    code, out, err = run(capsys, "mail", "taro@example.co.jp", "--protocol", "pop", "--client", "gmail")
    assert (code, out) == (2, "")
    assert "(protocol)" in err and "IMAP" in err and "Thunderbird for Android" in err


def test_mail_json_holds_both_accounts(capsys: pytest.CaptureFixture[str]) -> None:
    """--json: the client, and the old and new account of each address."""
    _, out, _ = run(capsys, *MAIL_POP, "--json")
    data = json.loads(out)
    assert data["client"] == "outlook_classic"
    assert data["accounts"][0]["old"]["host"] == "mail.oldhost.example"


def test_mail_unknown_protocol_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """--protocol smtp: exit 2, the protocol field named, nothing on stdout."""
    code, out, err = run(capsys, "mail", "taro@example.co.jp", "--protocol", "smtp")
    assert (code, out) == (2, "")
    assert "(protocol)" in err


def test_mail_json_and_format_together_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """--json with --format is refused: exit 2, nothing on stdout."""
    code, out, _ = run(capsys, *MAIL_POP, "--json", "--format", "autoconfig")
    assert (code, out) == (2, "")


def test_mail_old_server_under_the_domain_is_rejected(capsys: pytest.CaptureFixture[str]) -> None:
    """--old-server mail.<the domain> would follow the DNS switch: exit 2 naming old_server."""
    code, out, err = run(
        capsys, "mail", "taro@example.co.jp", "--protocol", "imap", "--old-server", "mail.example.co.jp"
    )
    assert (code, out) == (2, "")
    assert "old_server" in err


# --- schedule -------------------------------------------------------------------------------------------------


def test_schedule_ics_is_a_calendar_with_the_switch_day(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """The README example: an iCalendar whose DNS switch event falls on the planned (Mon–Thu) day."""
    code = main(["schedule", "--applied", "2026-12-21", "--format", "ics"])
    out, err = capsysbinary.readouterr()
    assert (code, err) == (0, b"")
    events = Calendar.from_ical(out).walk("VEVENT")
    switch = [e for e in events if str(e["uid"]).startswith("dns-switch-")]
    planned = plan_schedule("2026-12-21").switch
    assert len(switch) == 1
    assert switch[0].decoded("dtstart") == planned and planned.weekday() < 4
    assert all("dtstamp" in e for e in events)


def test_schedule_ics_dtstamp_is_now(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """DTSTAMP is the time of the run (the CLI passes the clock to the core)."""
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    main(["schedule", "--applied", "2026-12-21", "--format", "ics"])
    out, _ = capsysbinary.readouterr()
    stamp = Calendar.from_ical(out).walk("VEVENT")[0].decoded("dtstamp")
    assert before <= stamp <= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)


def test_schedule_text_shows_the_key_dates(capsys: pytest.CaptureFixture[str]) -> None:
    """The text output lists the seven steps and the planned switch and cancellation dates."""
    code, out, _ = run(capsys, "schedule", "--applied", "2026-12-21")
    plan = plan_schedule("2026-12-21")
    assert code == 0
    assert re.search(rf"DNS 切り替え日（最短）\s+{plan.switch.isoformat()}", out)
    assert re.search(rf"旧契約の解約日（この日以降）\s+{plan.cancellation.isoformat()}", out)
    assert [line.split()[0] for line in out.splitlines()[:7]] == [f"{n}." for n in range(1, 8)]


def test_schedule_json_matches_the_core(capsys: pytest.CaptureFixture[str]) -> None:
    """--json is the core's schedule data."""
    _, out, _ = run(capsys, "schedule", "--applied", "2026-12-21", "--switch-date", "2027-01-18", "--json")
    data = json.loads(out)
    assert data == json.loads(json.dumps(plan_schedule("2026-12-21", switch_date="2027-01-18").to_dict()))


def test_schedule_friday_switch_is_rejected_with_nearest_dates(capsys: pytest.CaptureFixture[str]) -> None:
    """A Friday switch date: exit 2, the reason and the nearest valid date on stderr, nothing on stdout."""
    code, out, err = run(capsys, "schedule", "--applied", "2026-12-21", "--switch-date", "2027-01-22")
    assert (code, out) == (2, "")
    assert "金曜日" in err and "Friday" in err and "2027-01-21" in err


def test_schedule_bad_date_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An applied date that is not a date: exit 2 naming the field."""
    code, out, err = run(capsys, "schedule", "--applied", "2026-02-30")
    assert (code, out) == (2, "")
    assert "(applied)" in err


# --- overview -------------------------------------------------------------------------------------------------

OV_NOW = "2026-12-01T09:00:00+09:00"
OV_TODAY = ["--today", "2026-12-10"]


def overview_workspace() -> Workspace:
    """Three checklists as a reseller has them on 2026-12-10:

    * example.co.jp (山田商事様): a switch agreed on a Friday, a ご解約日 5 days later — switch_day, cancellation_early;
    * 日本語.jp: rows 1 and 2 done, waiting on Net-com, no warning — the one row that needs no action (its switch is
      the earliest possible one, 2026-12-16, an estimate);
    * late.example: switch agreed for Monday 2026-12-14, not told yet — notice_late from 2026-12-10.
    """
    workspace, first = Workspace().add("example.co.jp", "山田商事様", now=OV_NOW)
    workspace = workspace.update(
        first.id,
        lambda m: (
            m.set_extra_date("application_date", "2026-12-01", now=OV_NOW)
            .set_extra_date("switch_date", "2027-01-15", now=OV_NOW)
            .set_extra_date("cancellation_date", "2027-01-20", now=OV_NOW)
        ),
    )
    workspace, second = workspace.add("日本語.jp", now=OV_NOW)
    day = dt.date(2026, 12, 2)
    workspace = workspace.update(
        second.id, lambda m: m.set_done(1, True, today=day, now=OV_NOW).set_done(2, True, today=day, now=OV_NOW)
    )
    workspace, third = workspace.add("late.example", now=OV_NOW)
    return workspace.update(third.id, lambda m: m.set_extra_date("switch_date", "2026-12-14", now=OV_NOW))


def overview_file(tmp_path: Path, *, bom: bool = True) -> str:
    """The export file the checklist page writes (saved here with a BOM, as Windows editors often re-save it)."""
    path = tmp_path / "netcom-checklist-all.json"
    path.write_text(("\ufeff" if bom else "") + export_file(overview_workspace())[1], encoding="utf-8")
    return str(path)


def test_overview_table_lists_every_domain_and_its_warnings(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The table: the columns, one line per domain in the file's order, then each domain's warnings with the
    address of the page that explains it."""
    code, out, err = run(capsys, "overview", overview_file(tmp_path), *OV_TODAY)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ドメイン"))
    for title in ("表示名", "進捗", "次の作業", "対応", "DNS 切り替え日", "ご解約日"):
        assert title in lines[header]
    table = lines[header + 1 : header + 4]
    assert [line.split()[0] for line in table] == ["example.co.jp", "日本語.jp", "late.example"]
    assert "山田商事様" in table[0] and "2027-01-15" in table[0] and "2027-01-20" in table[0] and "0 / 12" in table[0]
    assert "2 / 12" in table[1] and "3. ドメイン移管の完了" in table[1] and "弊社" in table[1]
    assert "未定（最短 2026-12-16 の目安）" in table[1]  # no agreed date: the earliest switch, labelled an estimate
    # Aligned: the progress column starts at the same display width on every line (Japanese counts double).
    starts = {_width(line[: re.search(r"\d+ / 12", line).start()]) for line in table}  # type: ignore[union-attr]
    starts.add(_width(lines[header][: lines[header].index("進捗")]))
    assert len(starts) == 1
    warnings = out[out.index("注意:") :]
    assert "■ example.co.jp (山田商事様)" in warnings and "■ late.example" in warnings
    assert "■ 日本語.jp" not in warnings
    assert "2 週間未満" in warnings and "金曜日" in warnings and "ご連絡期限（2026-12-09" in warnings
    assert "→ /steps/1-application/#cancel-current-host" in warnings
    assert "→ /steps/6-dns-switch/#request-switch-date" in warnings


def test_overview_in_english_links_the_english_pages(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "overview", overview_file(tmp_path), *OV_TODAY, "--lang", "en")
    assert (code, err) == (0, "")
    assert "Domain" in out and "Cancellation date" in out and "Friday" in out
    assert "→ /en/steps/6-dns-switch/#request-switch-date" in out
    assert "Not agreed (earliest" in out


def test_overview_attention_and_sort(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--attention leaves out the checklist waiting on Net-com with no warning; --sort reorders."""
    path = overview_file(tmp_path)
    _, out, _ = run(capsys, "overview", path, *OV_TODAY, "--attention", "--json")
    assert [row["domain"] for row in json.loads(out)["rows"]] == ["example.co.jp", "late.example"]
    _, out, _ = run(capsys, "overview", path, *OV_TODAY, "--sort", "progress", "--json")
    assert [row["domain"] for row in json.loads(out)["rows"]] == ["example.co.jp", "late.example", "日本語.jp"]
    _, out, _ = run(capsys, "overview", path, *OV_TODAY, "--sort", "switch", "--json")
    rows = json.loads(out)["rows"]
    assert [row["domain"] for row in rows] == ["late.example", "日本語.jp", "example.co.jp"]
    assert [row["switch_date"] or row["switch_estimate"] for row in rows] == ["2026-12-14", "2026-12-16", "2027-01-15"]


def test_overview_json_has_today_and_the_rows(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "overview", overview_file(tmp_path, bom=False), *OV_TODAY, "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["today"] == "2026-12-10"
    by_domain = {row["domain"]: row for row in data["rows"]}
    assert [w["code"] for w in by_domain["example.co.jp"]["warnings"]] == ["cancellation_early", "switch_day"]
    assert [w["code"] for w in by_domain["late.example"]["warnings"]] == ["notice_late"]
    assert by_domain["日本語.jp"]["attention"] is False and by_domain["日本語.jp"]["done"] == 2
    assert by_domain["late.example"]["notice_by"] == "2026-12-09"


def test_overview_today_is_the_default_day(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Without --today the warnings are judged on today's date (the CLI reads the clock, not the core)."""
    before = dt.date.today().isoformat()
    _, out, _ = run(capsys, "overview", overview_file(tmp_path), "--json")
    assert json.loads(out)["today"] in {before, dt.date.today().isoformat()}


def test_overview_csv_is_utf8_with_a_bom_for_excel(capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path) -> None:
    code = main(["overview", overview_file(tmp_path), *OV_TODAY, "--csv"])
    out, err = capsysbinary.readouterr()
    assert (code, err) == (0, b"")
    assert out.startswith(b"\xef\xbb\xbf") and out.endswith(b"\r\n")
    table = list(csv.reader(io.StringIO(out.decode("utf-8-sig"), newline="")))
    assert table[0] == [title.ja for title in CSV_COLUMNS.values()]
    assert [line[0] for line in table[1:]] == ["example.co.jp", "日本語.jp", "late.example"]
    assert table[1][1] == "山田商事様" and "2027-01-15" in table[1]


def test_overview_ics_is_a_calendar_of_the_agreed_dates(
    capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path
) -> None:
    """The switch, its notice deadline and the ご解約日 of every domain that has them, stamped now."""
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    code = main(["overview", overview_file(tmp_path), "--ics", "--lang", "en"])
    out, err = capsysbinary.readouterr()
    assert (code, err) == (0, b"")
    events = Calendar.from_ical(out).walk("VEVENT")
    assert sorted(e.decoded("dtstart").isoformat() for e in events) == [
        "2026-12-09",  # late.example's notice deadline
        "2026-12-14",
        "2027-01-15",  # example.co.jp's switch: a Friday (warned), so it has no notice deadline
        "2027-01-20",
    ]
    assert all(before <= e.decoded("dtstamp") <= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1) for e in events)


def test_overview_missing_file_exits_2_naming_the_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = str(tmp_path / "nothing.json")
    code, out, err = run(capsys, "overview", missing)
    assert (code, out) == (2, "")
    ja, en = err.splitlines()
    assert ja.startswith("エラー: （file）") and missing in ja
    assert en.startswith("Error: (file)") and missing in en and "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"{}", "holds no checklist"),
        (b"not json at all", "holds no checklist"),
        (b'{"format": "netcom-checklist", "version": 2, "migrations": []}', "holds no checklist"),
        ("\ufeff{}".encode("utf-16"), "not UTF-8"),
    ],
)
def test_overview_file_without_a_checklist_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(content)
    code, out, err = run(capsys, "overview", str(path), "--lang", "en")
    assert (code, out) == (2, "")
    assert err.startswith("Error: (file)") and str(path) in err and words in err


def test_overview_directory_instead_of_a_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "overview", str(tmp_path))
    assert (code, out) == (2, "")
    assert "(file)" in err and str(tmp_path) in err


def test_overview_bad_today_and_two_formats_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = overview_file(tmp_path)
    code, out, err = run(capsys, "overview", path, "--today", "2027/01/14")
    assert (code, out) == (2, "") and "(today)" in err and "YYYY-MM-DD" in err
    code, out, err = run(capsys, "overview", path, "--csv", "--json")
    assert (code, out) == (2, "") and "(format)" in err
    code, out, err = run(capsys, "overview", path, "--sort", "domain")
    assert (code, out) == (2, "") and "usage:" in err


def test_overview_reports_damaged_parts_of_the_file_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A damaged part is repaired as the page would (storage.loads) and named on stderr; stdout stays the table."""
    document = json.loads(export_file(overview_workspace())[1])
    document["migrations"][0]["switch_date"] = "2027-13-01"
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, "overview", str(path), *OV_TODAY, "--lang", "en")
    assert code == 0 and "example.co.jp" in out
    assert err.startswith("Warnings: Part of the file could not be read") and "DNS switch date" in err
    code, out, _ = run(capsys, "overview", str(path), *OV_TODAY, "--json")
    assert json.loads(out)["rows"][0]["switch_date"] == ""


def test_overview_sort_choices_are_the_cores() -> None:
    assert _SORT_KEYS == SORT_KEYS


# --- help -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["hosts", "mail", "schedule", "dnscheck", "overview"])
def test_every_option_help_is_in_japanese_and_english(command: str) -> None:
    """Each sub-command's description and every option's help hold Japanese, " / " and English."""
    parser = _build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[command]
    texts = [sub.description or ""] + [a.help or "" for a in sub._actions]
    for text in texts:
        japanese, _, english = text.partition(" / ")
        assert CJK.search(japanese) and re.search(r"[A-Za-z]{3}", english), text


def test_dnscheck_expectation_help_gives_examples_not_defaults() -> None:
    """--expect-* help calls its placeholder an example and never offers a provider example value as the default."""
    from checklist_app.provider import PROVIDER

    parser = _build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices["dnscheck"]
    helps = {a.dest: a.help or "" for a in sub._actions}
    for kind in ("a", "aaaa", "mx"):
        text = helps[f"expect_{kind}"]
        assert "書き方の例" in text and "an example of the form, not a default" in text
        assert "default: what the new name servers answer" in text
        for example in (PROVIDER.web_ipv4_example, PROVIDER.web_ipv6_example, PROVIDER.mail_host_example):
            assert example not in text


# --- dnscheck and provider.toml's name servers (no network: a fake DNS world stands in for the transport) --------


def _dnscheck_world(monkeypatch: pytest.MonkeyPatch, provider_toml: str) -> tuple[object, tuple[str, ...]]:
    """provider.toml read from ``provider_toml``, and the CLI's transport replaced by the fake world of
    tests/test_dnscheck_transport.py (customer.test switched to that provider's name servers everywhere)."""
    from checklist_app.dnscheck import evaluate, transport
    from checklist_app.provider import parse_provider
    from tests.test_dnscheck_transport import world

    provider = parse_provider(provider_toml)
    monkeypatch.setattr(evaluate, "PROVIDER", provider)
    fake = world("new", "new", "new", new_ns=provider.nameservers)
    monkeypatch.setattr(transport, "udp_transport", fake)
    return fake, provider.nameservers


DNSCHECK_LAB = ["dnscheck", "customer.test", "--resolver", "127.0.0.5", "--resolver", "127.0.0.6"]
DNSCHECK_LAB += ["--parent", "127.0.0.2", "--loopback-only"]


def test_dnscheck_refuses_sample_name_servers_naming_expect_ns(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`dnscheck DOMAIN` while provider.toml's name servers are samples: exit 2, nothing sent, nothing on stdout, and a
    message in both languages naming --expect-ns and saying that the provider's values are samples."""
    from tests.test_provider import example_toml

    fake, samples = _dnscheck_world(monkeypatch, example_toml())
    code, out, err = run(capsys, *DNSCHECK_LAB)
    assert (code, out) == (2, "")
    assert fake.calls == []  # type: ignore[attr-defined]
    ja, en = err.splitlines()
    assert ja.startswith("エラー: （expect_ns）") and "--expect-ns" in ja and "サンプル値" in ja
    assert en.startswith("Error: (expect_ns)") and "--expect-ns" in en and "sample values" in en
    assert all(n in ja and n in en for n in samples)
    # With --expect-ns the same call runs (the lab's way): any names given are used as they are.
    code, out, err = run(capsys, *DNSCHECK_LAB, "--expect-ns", samples[0], "--expect-ns", samples[1])
    assert (code, err) == (0, "") and "判定: 切替完了" in out


def test_dnscheck_uses_real_provider_name_servers_by_default(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once provider.toml holds real name servers, `dnscheck DOMAIN` needs nothing else: they are the new NS."""
    from tests.test_provider import real_toml

    _fake, names = _dnscheck_world(monkeypatch, real_toml())
    code, out, err = run(capsys, *DNSCHECK_LAB, "--json")
    data = json.loads(out)
    assert (code, err, data["status"]) == (0, "", "switched")
    assert data["expected"]["NS"] == list(names) and data["expected_source"]["NS"] == "provider"
    assert [s["name"] for s in data["new_servers"]] == list(names)
    code, out, err = run(capsys, *DNSCHECK_LAB)
    assert (code, err) == (0, "")
    assert f"■ NS  新: {', '.join(names)}（弊社のネームサーバ）" in out


@pytest.mark.parametrize("command", ["hosts", "mail", "schedule", "dnscheck", "overview"])
def test_help_exits_0_on_stdout(capsys: pytest.CaptureFixture[str], command: str) -> None:
    """<command> --help prints usage on stdout and exits 0."""
    code, out, err = run(capsys, command, "--help")
    assert (code, err) == (0, "")
    assert out.startswith("usage: python -m checklist_app " + command)


# --- as a real process ----------------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "emscripten", reason="no processes in Pyodide")
def test_python_m_checklist_app_runs_the_hosts_example() -> None:
    """`python -m checklist_app hosts …` exits 0 and prints the block."""
    proc = subprocess.run(
        [sys.executable, "-m", "checklist_app", *HOSTS_EXAMPLE, "--block-only"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout.startswith("# BEGIN Net-com migration xn--wgv71a119e.jp 2026-12-01\n")


@pytest.mark.skipif(sys.platform == "emscripten", reason="no processes in Pyodide")
def test_python_m_checklist_app_bad_input_has_no_traceback() -> None:
    """Bad input in a real process: exit 2, nothing on stdout, no traceback."""
    proc = subprocess.run(
        [sys.executable, "-m", "checklist_app", "mail", "taro@@example.jp", "--protocol", "pop"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (proc.returncode, proc.stdout) == (2, "")
    assert "Traceback" not in proc.stderr and "addresses" in proc.stderr
