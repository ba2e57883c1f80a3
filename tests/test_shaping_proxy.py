"""scripts/shaping_proxy.py: the benchmark's mobile-network shaping (shared bandwidth, one-way delay, handshake)."""

from __future__ import annotations

import socket
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from shaping_proxy import Link, ShapingProxy, phone_links  # scripts/ is not a package


def test_bytes_arrive_after_their_send_time_and_the_delay() -> None:
    link = Link(rate_bytes_per_s=1000.0, delay_s=0.075)
    assert link.schedule(500, now=10.0) == pytest.approx(10.575)


def test_the_link_is_shared_first_in_first_out() -> None:
    """Bytes from a second connection wait for the bytes already on the link: the bandwidth is shared."""
    link = Link(rate_bytes_per_s=1000.0, delay_s=0.0)
    first = link.schedule(1000, now=0.0)
    second = link.schedule(1000, now=0.0)
    assert (first, second) == (pytest.approx(1.0), pytest.approx(2.0))


def test_an_idle_link_does_not_bank_bandwidth() -> None:
    link = Link(rate_bytes_per_s=1000.0, delay_s=0.0)
    link.schedule(1000, now=0.0)
    assert link.schedule(100, now=5.0) == pytest.approx(5.1)


def test_phone_links_are_the_issues_network() -> None:
    down, up = phone_links()
    assert down.rate_bytes_per_s == pytest.approx(200_000.0)  # 1.6 Mbit/s
    assert up.rate_bytes_per_s == pytest.approx(93_750.0)  # 750 kbit/s
    assert down.delay_s + up.delay_s == pytest.approx(0.150)


def test_a_negative_size_is_refused() -> None:
    with pytest.raises(ValueError, match="size"):
        Link(1.0, 0.0).schedule(-1)


@pytest.mark.skipif(sys.platform == "emscripten", reason="no sockets or threads in Pyodide")
def test_the_relay_delivers_every_byte_shaped_and_shared() -> None:
    """Two connections each fetching 40 kB through a 200 kB/s link take about 0.4 s together (not 0.2 s each in
    parallel), plus the handshake and delay; the bytes arrive intact."""
    payload = bytes(range(256)) * 160  # 40,960 bytes
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        for _ in range(2):
            conn, _ = listener.accept()
            with conn:
                conn.recv(16)
                conn.sendall(payload)

    threading.Thread(target=serve, daemon=True).start()
    received: list[bytes] = []
    down, up = Link(200_000.0, 0.025), Link(200_000.0, 0.025)
    with ShapingProxy(port, down, up) as proxy:

        def fetch() -> None:
            with socket.create_connection(("127.0.0.1", proxy.port)) as client:
                client.sendall(b"GET")
                client.shutdown(socket.SHUT_WR)
                chunks = []
                while data := client.recv(65536):
                    chunks.append(data)
                received.append(b"".join(chunks))

        started = time.monotonic()
        clients = [threading.Thread(target=fetch) for _ in range(2)]
        for client in clients:
            client.start()
        for client in clients:
            client.join(10)
        elapsed = time.monotonic() - started
        assert proxy.bytes_down == 2 * len(payload)
    listener.close()
    assert received == [payload, payload]
    assert 0.45 <= elapsed < 3.0, elapsed  # 2 x 40,960 B / 200 kB/s = 0.41 s + handshake 0.05 s + delays
