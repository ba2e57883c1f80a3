"""The hosts block as glibc's real resolver reads it: `getent` in a private mount namespace with the block bind-mounted
over /etc/hosts and a files-only /etc/nsswitch.conf (nothing can fall through to DNS), inside a loopback-only network
namespace as a second guard. Needs Linux, root (or CAP_SYS_ADMIN) and util-linux's `unshare`."""

from __future__ import annotations

import datetime as dt
import ipaddress
import subprocess
import sys
from pathlib import Path

import pytest

from checklist_app.hosts import HostsBlock, build_hosts_block, remove_hosts_blocks

pytestmark = [
    pytest.mark.skipif(sys.platform == "emscripten", reason="Pyodide has no processes, mount namespaces or glibc"),
    pytest.mark.skipif(sys.platform != "linux", reason="reads hosts through glibc's NSS in a Linux mount namespace"),
]

DAY = dt.date(2026, 12, 1)
EXISTING = "127.0.0.1\tlocalhost\n192.168.1.2\tnas.local nas\n"


def lookup(tmp_path: Path, hosts_text: str, *queries: tuple[str, ...]) -> list[tuple[int, list[str]]]:
    """Run each `getent` query against ``hosts_text`` as /etc/hosts; return (exit code, output lines) per query."""
    hosts = tmp_path / "hosts"
    hosts.write_text(hosts_text, encoding="ascii", newline="")
    nsswitch = tmp_path / "nsswitch.conf"
    nsswitch.write_text("hosts: files\n", encoding="ascii")
    script = ['mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/nsswitch.conf || exit 99']
    for query in queries:
        script.append("echo @@begin; getent " + " ".join(f"'{q}'" for q in query) + '; echo "@@rc=$?"')
    proc = subprocess.run(
        ["unshare", "--mount", "--net", "sh", "-c", "\n".join(script), "sh", str(hosts), str(nsswitch)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, f"unshare/mount failed ({proc.returncode}): {proc.stderr}"
    results = []
    for chunk in proc.stdout.split("@@begin\n")[1:]:
        body, _, rc = chunk.rpartition("@@rc=")
        results.append((int(rc.strip()), [line for line in body.splitlines() if line.strip()]))
    assert len(results) == len(queries)
    return results


def ahosts_addresses(lines: list[str]) -> set[str]:
    """The addresses in `getent ahosts` output (one line per address and socket type)."""
    return {str(ipaddress.ip_address(line.split()[0])) for line in lines}


@pytest.fixture
def idn_block() -> HostsBlock:
    """A block for a Japanese domain with IPv4 and IPv6 and three names."""
    return build_hosts_block("日本語.jp", ["203.0.113.10", "2001:db8::10"], ["@", "www", "mail"], date=DAY)


def test_each_name_resolves_to_exactly_the_given_addresses(tmp_path: Path, idn_block: HostsBlock) -> None:
    """glibc resolves every name of the block to exactly its IPv4 and IPv6 address."""
    results = lookup(tmp_path, EXISTING + idn_block.text, *(("ahosts", name) for name in idn_block.names))
    for name, (rc, lines) in zip(idn_block.names, results, strict=True):
        assert rc == 0, name
        assert ahosts_addresses(lines) == {"203.0.113.10", "2001:db8::10"}, name


def test_enumeration_lists_exactly_the_block_and_the_existing_lines(tmp_path: Path, idn_block: HostsBlock) -> None:
    """`getent hosts` (all entries) shows the existing lines and exactly one entry per IPv4 address and name.

    glibc enumerates IPv4 entries only (gethostent); the IPv6 lines are checked by name in the test above.
    """
    [(rc, lines)] = lookup(tmp_path, EXISTING + idn_block.text, ("hosts",))
    assert rc == 0
    found = {(str(ipaddress.ip_address(line.split()[0])), tuple(line.split()[1:])) for line in lines}
    expected = {("127.0.0.1", ("localhost",)), ("192.168.1.2", ("nas.local", "nas"))}
    expected |= {(a, (n,)) for a in idn_block.addresses if ":" not in a for n in idn_block.names}
    assert found == expected
    assert len(lines) == len(expected)


def test_a_name_not_asked_for_is_not_found(tmp_path: Path, idn_block: HostsBlock) -> None:
    """A name the block does not cover (ftp.) is unknown to glibc: the block adds no name of its own."""
    [(rc, lines)] = lookup(tmp_path, EXISTING + idn_block.text, ("ahosts", "ftp.xn--wgv71a119e.jp"))
    assert rc == 2 and lines == []


def test_lookups_come_from_the_files_source_only(tmp_path: Path, idn_block: HostsBlock) -> None:
    """Inside the namespace NSS asks only the files source, so the answers above came from the block itself."""
    [(rc, lines)] = lookup(tmp_path, idn_block.text, ("hosts", "localhost"))
    assert rc == 2 and lines == []  # localhost is not in this file and nothing else is consulted


def test_removed_block_no_longer_resolves_and_the_rest_still_does(tmp_path: Path, idn_block: HostsBlock) -> None:
    """After remove_hosts_blocks the names are gone for glibc while the customer's own lines still resolve."""
    cleaned = remove_hosts_blocks(EXISTING + idn_block.text).text
    results = lookup(tmp_path, cleaned, ("ahosts", "www.xn--wgv71a119e.jp"), ("ahosts", "nas"))
    assert results[0] == (2, [])
    assert results[1][0] == 0 and ahosts_addresses(results[1][1]) == {"192.168.1.2"}
