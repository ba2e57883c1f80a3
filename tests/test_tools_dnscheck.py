"""checklist_app.tools.dnscheck: the in-browser DNS check's two rounds (DoH GET URLs out, real DNS responses in)."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import parse_qs, urlsplit

import dns.message
import dns.rdatatype
import dns.rrset
import pytest

from checklist_app.dnscheck import evaluate as evaluate_module
from checklist_app.provider import PROVIDER, parse_provider
from checklist_app.tools import run_tool
from checklist_app.tools.dnscheck import CHECK_TYPES, DEFAULT_RESOLVERS, MAX_RESOLVERS, parse_resolver
from tests.test_provider import example_toml, real_toml

DOMAIN = "customer.test"
OLD_RES = "Old http://127.0.0.7/dns-query"
NEW_RES = "New http://127.0.0.8/dns-query"
# The new name servers as the form or a link gives them: names of the tests' own, never provider.toml's.
NEW_NS = ["ns1.newhost.example", "ns2.newhost.example"]
# The customer's values from their Server Account Information (never the provider's example values).
ACCOUNT: dict[str, Any] = {
    "expect_a": ["198.51.100.20"],
    "expect_aaaa": ["2001:db8:2::20"],
    "expect_mx": ["mail02.net-com.example"],
    "expect_ns": NEW_NS,
}
BASE: dict[str, Any] = {"domain": DOMAIN, "resolvers": [OLD_RES, NEW_RES], "consent": True, **ACCOUNT}
# provider.toml with sample values (as shipped) and with real ones (tests/test_provider.py builds both).
SAMPLE_PROVIDER = parse_provider(example_toml())
REAL_PROVIDER = parse_provider(real_toml())

NEW = {
    "NS": [f"{h}." for h in NEW_NS],
    "A": ["198.51.100.20"],
    "AAAA": ["2001:db8:2::20"],
    "MX": ["10 mail02.net-com.example."],
}
OLD = {
    "NS": ["ns1.oldhost.example.", "ns2.oldhost.example."],
    "A": ["192.0.2.10"],
    "AAAA": ["2001:db8:0:1::10"],
    "MX": [f"10 {PROVIDER.old_mail_host_example}."],
}


def first_round(params: dict[str, Any], lang: str = "ja") -> dict[str, Any]:
    answer = run_tool("dnscheck", params, lang)
    assert answer["ok"], answer
    return answer


def query_of(url: str) -> dns.message.Message:
    encoded = parse_qs(urlsplit(url).query)["dns"][0]
    return dns.message.from_wire(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))


def response_body(url: str, values: dict[str, list[str]]) -> dict[str, Any]:
    """A real DNS response (dnspython) to the query in ``url``, answering with ``values`` for its type."""
    query = query_of(url)
    response = dns.message.make_response(query)
    question = query.question[0]
    kind = dns.rdatatype.to_text(question.rdtype)
    response.answer.append(dns.rrset.from_text_list(question.name, 300, "IN", kind, values[kind]))
    return {"status": 200, "body_b64": base64.b64encode(response.to_wire()).decode("ascii")}


def second_round(
    params: dict[str, Any], per_resolver: list[dict[str, list[str]] | dict[str, Any]], lang: str = "ja"
) -> dict[str, Any]:
    """Run both rounds; resolver i answers every fetch with ``per_resolver[i]`` (values, or a raw fetch result)."""
    first = first_round(params, lang)
    responses: dict[str, Any] = {}
    for fetch in first["fetch"]:
        index = int(fetch["key"][1 : fetch["key"].index("_")])
        spec = per_resolver[index]
        responses[fetch["key"]] = spec if "status" in spec or "error" in spec else response_body(fetch["url"], spec)
    return run_tool("dnscheck", {**params, "responses": responses, "state": first["state"]}, lang)


def blocks(table: str) -> list[str]:
    return table.split("\n\n")


# ----- round 1 -----


def test_without_consent_no_fetch_is_built() -> None:
    """Without consent the tool builds no request and asks the reader to agree."""
    answer = first_round({**BASE, "consent": False})
    assert "fetch" not in answer
    assert "同意" in answer["outputs"]["status"]


def test_consent_must_be_a_real_boolean() -> None:
    """A string "true" (e.g. typed into a URL fragment) is not consent."""
    assert "fetch" not in first_round({**BASE, "consent": "true"})


def test_fetch_list_covers_every_resolver_and_type() -> None:
    """With consent there is one fetch per resolver and record type, with unique keys."""
    fetches = first_round(BASE)["fetch"]
    assert len(fetches) == 2 * len(CHECK_TYPES)
    assert len({f["key"] for f in fetches}) == len(fetches)


def test_fetch_urls_are_rfc8484_gets_for_the_domain() -> None:
    """Each URL is the resolver's base URL with ?dns= carrying a recursive id-0 query for the domain and type."""
    for fetch in first_round(BASE)["fetch"]:
        base = (
            "http://127.0.0.7/dns-query?dns=" if fetch["key"].startswith("r0_") else "http://127.0.0.8/dns-query?dns="
        )
        assert fetch["url"].startswith(base)
        query = query_of(fetch["url"])
        assert query.id == 0
        assert query.question[0].name.to_text() == f"{DOMAIN}."
        assert dns.rdatatype.to_text(query.question[0].rdtype).lower() == fetch["key"].split("_", 1)[1]


def test_idn_domain_is_asked_in_punycode() -> None:
    """A Japanese domain name is sent as its xn-- form."""
    fetch = first_round({**BASE, "domain": "日本語.test"})["fetch"][0]
    assert query_of(fetch["url"]).question[0].name.to_text() == "xn--wgv71a119e.test."


def test_missing_domain_is_an_error_on_the_domain_field() -> None:
    """No domain: an error beside the domain input."""
    answer = run_tool("dnscheck", {**BASE, "domain": ""}, "ja")
    assert answer == {"ok": False, "errors": [{"field": "domain", "message": "ドメイン名を入力してください。"}]}


@pytest.mark.parametrize(
    "line",
    [
        "Plain http://dns.example/dns-query",
        "ftp://dns.example/dns-query",
        "https://user:secret@dns.example/dns-query",
        "https://dns.example/dns-query#frag",
        "no url here",
    ],
)
def test_bad_resolver_lines_are_refused(line: str) -> None:
    """Non-https (except loopback), credentials, fragments or no URL: an error on the resolvers field."""
    answer = run_tool("dnscheck", {**BASE, "resolvers": [line]}, "en")
    assert not answer["ok"]
    assert answer["errors"][0]["field"] == "resolvers"


def test_resolver_line_gives_name_and_url() -> None:
    """'name URL' keeps the name; a bare URL is named by its host."""
    assert parse_resolver("Google Public DNS https://dns.google/dns-query").name == "Google Public DNS"
    assert parse_resolver("https://dns.google/dns-query").name == "dns.google"


def test_default_resolvers_are_https() -> None:
    """Every default resolver parses and uses https."""
    for resolver in DEFAULT_RESOLVERS:
        assert parse_resolver(f"{resolver.name} {resolver.url}") == resolver
        assert resolver.url.startswith("https://")


def test_no_resolvers_is_an_error() -> None:
    """An empty resolver list is refused."""
    answer = run_tool("dnscheck", {**BASE, "resolvers": []}, "en")
    assert answer["errors"][0]["field"] == "resolvers"


def test_too_many_resolvers_is_an_error() -> None:
    """More than MAX_RESOLVERS resolvers is refused."""
    lines = [f"https://dns{i}.example/dns-query" for i in range(MAX_RESOLVERS + 1)]
    answer = run_tool("dnscheck", {**BASE, "resolvers": lines}, "en")
    assert answer["errors"][0]["field"] == "resolvers"


def test_duplicate_resolver_is_an_error() -> None:
    """The same URL twice is refused."""
    answer = run_tool("dnscheck", {**BASE, "resolvers": [OLD_RES, OLD_RES]}, "en")
    assert answer["errors"][0]["field"] == "resolvers"


# ----- round 2 -----


def test_all_new_is_switched() -> None:
    """Every resolver returning the new values gives 切替完了."""
    outputs = second_round(BASE, [NEW, NEW])["outputs"]
    assert outputs["verdict"] == "切替完了"
    assert outputs["verdict_code"] == "switched"


def test_all_old_is_not_switched() -> None:
    """Every resolver returning the old values gives 未切替."""
    assert second_round(BASE, [OLD, OLD])["outputs"]["verdict"] == "未切替"


def test_old_and_new_resolvers_are_propagating() -> None:
    """One resolver old, the other new: 伝播中, with 旧 in the first block and 新 in the second."""
    outputs = second_round(BASE, [OLD, NEW])["outputs"]
    assert outputs["verdict"] == "伝播中"
    old_block, new_block = blocks(outputs["table"])
    assert old_block.startswith("1. Old — http://127.0.0.7/dns-query")
    assert [line.split()[1] for line in old_block.splitlines()[1:]] == ["旧"] * 4
    assert [line.split()[1] for line in new_block.splitlines()[1:]] == ["新"] * 4


def test_mixed_answer_is_shown_as_mixed() -> None:
    """A resolver returning old and new NS together shows 混在 for NS."""
    mixed = {**NEW, "NS": NEW["NS"] + OLD["NS"][:1]}
    table = second_round(BASE, [mixed, NEW])["outputs"]["table"]
    assert "  NS    混在" in blocks(table)[0]


def test_timeout_is_no_answer_and_network_is_error() -> None:
    """A timed-out fetch shows 応答なし, a failed one エラー; the other resolver still gives the verdict."""
    outputs = second_round(BASE, [{"error": "timeout"}, NEW])["outputs"]
    assert set(line.split()[1] for line in blocks(outputs["table"])[0].splitlines()[1:]) == {"応答なし"}
    assert outputs["verdict"] == "切替完了"
    outputs = second_round(BASE, [{"error": "network"}, NEW])["outputs"]
    assert set(line.split()[1] for line in blocks(outputs["table"])[0].splitlines()[1:]) == {"エラー"}


def test_http_error_status_is_an_error_naming_it() -> None:
    """An HTTP 500 from a resolver is an error that says HTTP 500."""
    outputs = second_round(BASE, [{"status": 500, "body_b64": ""}, NEW])["outputs"]
    assert "HTTP 500" in blocks(outputs["table"])[0]


def test_garbage_body_is_a_malformed_error() -> None:
    """A 200 whose body is not a DNS message is reported as malformed, not raised."""
    outputs = second_round(BASE, [{"status": 200, "body_b64": "bm90IGRucw=="}, NEW])["outputs"]
    assert "不正な DNS メッセージ" in blocks(outputs["table"])[0]


def test_nothing_judged_gives_cannot_tell() -> None:
    """Every fetch failing gives no verdict (判定できません)."""
    outputs = second_round(BASE, [{"error": "network"}, {"error": "timeout"}])["outputs"]
    assert outputs["verdict"] == "判定できません"
    assert outputs["verdict_code"] == "unknown"


def test_changed_form_between_rounds_is_refused() -> None:
    """Answers for a different domain than the form now holds are refused on the form."""
    first = first_round(BASE)
    answer = run_tool("dnscheck", {**BASE, "domain": "other.test", "responses": {}, "state": first["state"]}, "ja")
    assert answer["errors"][0]["field"] == "_form"


def test_malformed_responses_are_an_error_not_an_exception() -> None:
    """A responses value that is not a mapping gives a form error."""
    first = first_round(BASE)
    answer = run_tool("dnscheck", {**BASE, "responses": ["x"], "state": first["state"]}, "en")
    assert answer["errors"][0]["field"] == "_form"


def test_expected_override_changes_the_judgement() -> None:
    """Giving the old A address as the new value makes the old resolver's A answer 新 and the other 不一致."""
    params = {**BASE, "expect_a": ["192.0.2.10"]}
    table = second_round(params, [OLD, NEW])["outputs"]["table"]
    assert "  A     新" in blocks(table)[0]
    assert "  A     不一致" in blocks(table)[1]


@pytest.mark.parametrize("field", ["expect_a", "expect_mx"])
def test_a_and_mx_are_required_with_a_field_message(field: str) -> None:
    """Without the customer's A or MX the page refuses to judge, with a message on that field naming the document."""
    for consent in (True, False):
        answer = run_tool("dnscheck", {**BASE, field: [], "consent": consent}, "ja")
        assert not answer["ok"] and "fetch" not in answer
        assert [e["field"] for e in answer["errors"]] == [field]
        assert "『サーバアカウント情報』" in answer["errors"][0]["message"]
    english = run_tool("dnscheck", {**BASE, field: []}, "en")
    assert "Server Account Information" in english["errors"][0]["message"]


def test_both_missing_are_reported_together() -> None:
    """No A and no MX: both fields get their message at once."""
    answer = run_tool(
        "dnscheck", {"domain": DOMAIN, "resolvers": [OLD_RES], "consent": True, "expect_ns": NEW_NS}, "ja"
    )
    assert [e["field"] for e in answer["errors"]] == ["expect_a", "expect_mx"]


def test_sample_name_servers_make_the_ns_field_required(monkeypatch: pytest.MonkeyPatch) -> None:
    """While provider.toml's name servers are samples, an empty NS field is refused with a message on that field
    (what to enter, and why the site's values cannot be used), with or without consent; nothing is built."""
    monkeypatch.setattr(evaluate_module, "PROVIDER", SAMPLE_PROVIDER)
    for consent in (True, False):
        answer = run_tool("dnscheck", {**BASE, "expect_ns": [], "consent": consent}, "ja")
        assert not answer["ok"] and "fetch" not in answer
        assert [e["field"] for e in answer["errors"]] == ["expect_ns"]
        message = answer["errors"][0]["message"]
        assert "『サーバアカウント情報』" in message and "新しいネームサーバ" in message and "サンプル値" in message
    english = run_tool("dnscheck", {**BASE, "expect_ns": []}, "en")["errors"][0]["message"]
    assert "the new name servers" in english and "sample values" in english
    everything = run_tool("dnscheck", {"domain": DOMAIN, "resolvers": [OLD_RES], "consent": True}, "en")
    assert [e["field"] for e in everything["errors"]] == ["expect_a", "expect_mx", "expect_ns"]


def test_real_name_servers_are_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Once provider.toml holds real name servers, an empty NS field means those (shown as Net-com's), as today."""
    monkeypatch.setattr(evaluate_module, "PROVIDER", REAL_PROVIDER)
    params = {**BASE, "expect_ns": []}
    first = first_round(params)
    assert first["state"]["expected"]["NS"] == list(REAL_PROVIDER.nameservers)
    real_new = {**NEW, "NS": [f"{h}." for h in REAL_PROVIDER.nameservers]}
    outputs = second_round(params, [real_new, real_new], "en")["outputs"]
    assert outputs["verdict_code"] == "switched"
    assert f"NS    New values: {', '.join(REAL_PROVIDER.nameservers)} (Net-com's name servers)" in outputs["values"]


def test_no_example_value_is_ever_an_expectation() -> None:
    """The provider's example address/mail host are not expected: a resolver returning them is 不一致, not 新."""
    example = {
        **NEW,
        "A": [PROVIDER.web_ipv4_example],
        "AAAA": [PROVIDER.web_ipv6_example],
        "MX": [f"10 {PROVIDER.mail_host_example}."],
    }
    outputs = second_round(BASE, [example, NEW])["outputs"]
    labels = [line.split()[1] for line in blocks(outputs["table"])[0].splitlines()[1:]]
    assert labels == ["新", "不一致", "不一致", "不一致"]
    assert outputs["verdict"] == "新しい値と不一致"


def test_aaaa_is_optional_and_then_not_asked() -> None:
    """Without a new IPv6 address AAAA is neither asked nor judged."""
    first = first_round({**BASE, "expect_aaaa": []})
    assert len(first["fetch"]) == 2 * 3 and not any(f["key"].endswith("_aaaa") for f in first["fetch"])
    outputs = second_round({**BASE, "expect_aaaa": []}, [NEW, NEW])["outputs"]
    assert outputs["verdict"] == "切替完了" and "AAAA" not in outputs["table"]


def test_old_values_are_learnt_from_a_resolver_on_the_old_delegation() -> None:
    """A resolver showing the old NS makes its answers the old values: another resolver's same answer is 旧."""
    outputs = second_round(BASE, [OLD, {**NEW, "A": OLD["A"]}])["outputs"]
    second = blocks(outputs["table"])[1]
    assert "  A     旧" in second and "  NS    新" in second
    assert "A     新しい値: 198.51.100.20（入力された値） / 旧の値: 192.0.2.10" in outputs["values"]


def test_unknown_old_value_is_other_never_old() -> None:
    """With every resolver on the new NS, an A that is not new is 不一致 (old unknown), not 旧: nothing old is seen,
    so the verdict is 新しい値と不一致 (differs) with advice to check the values, not to wait (伝播中)."""
    outputs = second_round(BASE, [NEW, {**NEW, "A": ["192.0.2.99"]}])["outputs"]
    assert "  A     不一致" in blocks(outputs["table"])[1]
    assert "不明" in blocks(outputs["table"])[1]
    assert (outputs["verdict"], outputs["verdict_code"]) == ("新しい値と不一致", "differs")
    assert "待っても直るとは限りません" in outputs["next"]
    assert "不一致 1" in outputs["summary"]
    english = second_round(BASE, [NEW, {**NEW, "A": ["192.0.2.99"]}], "en")["outputs"]
    assert english["verdict"] == "differs from the new values"
    assert "Waiting will not necessarily fix this" in english["next"]


def test_old_beside_new_and_other_is_still_propagating() -> None:
    """An old resolver next to a new one returning a third A: old values are still around, so 伝播中."""
    outputs = second_round(BASE, [OLD, {**NEW, "A": ["192.0.2.99"]}])["outputs"]
    assert outputs["verdict_code"] == "propagating"


def test_values_say_where_each_came_from() -> None:
    """The values output names the entered values (NS too) and unknown old values."""
    values = second_round(BASE, [NEW, NEW], "en")["outputs"]["values"]
    assert "NS    New values: ns1.newhost.example, ns2.newhost.example (as entered) / Old values: unknown" in values
    assert "A     New values: 198.51.100.20 (as entered)" in values


def test_bad_expected_value_is_an_error_on_its_field() -> None:
    """A malformed expected IPv4 address is reported on expect_a."""
    answer = run_tool("dnscheck", {**BASE, "expect_a": ["not-an-ip"]}, "en")
    assert answer["errors"][0]["field"] == "expect_a"


def test_english_outputs() -> None:
    """lang=en gives the English verdict and labels."""
    outputs = second_round(BASE, [OLD, NEW], "en")["outputs"]
    assert outputs["verdict"] == "propagating"
    assert "  NS    old" in blocks(outputs["table"])[0]
    assert "  NS    new" in blocks(outputs["table"])[1]
