"""A loopback-only TCP relay that shapes traffic like a slow mobile network, for the benchmark's phone figures.

``ShapingProxy(target_port)`` listens on 127.0.0.1 (a free port) and relays every connection to 127.0.0.1:target_port.
Every byte goes through one shared :class:`Link` per direction (all connections share the bandwidth, as on a phone):
150 ms round trip (75 ms each way), 1.6 Mbit/s down, 750 kbit/s up by default; a new connection waits one round
trip before its first byte (the TCP handshake). Shaping outside the browser applies to everything the browser sends,
service workers included (Chromium's per-page Network.emulateNetworkConditions does not).

Only loopback: the listener binds 127.0.0.1 and the target is always 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["Link", "ShapingProxy", "phone_links"]

CHUNK = 16 * 1024


@dataclass
class Link:
    """One direction of the shaped network: a rate shared by every connection and a fixed one-way delay.

    :meth:`schedule` says when ``size`` bytes that are ready at ``now`` arrive at the other end: they wait for the
    bytes already on the link (FIFO across connections), take ``size / rate`` to send, then ``delay`` to travel.
    """

    rate_bytes_per_s: float
    delay_s: float
    clock: Callable[[], float] = time.monotonic
    _free_at: float = field(default=0.0, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def schedule(self, size: int, now: float | None = None) -> float:
        """The arrival time of ``size`` bytes handed to the link at ``now`` (default: the clock)."""
        if size < 0:
            raise ValueError("size must be >= 0")
        moment = self.clock() if now is None else now
        with self._lock:
            start = max(moment, self._free_at)
            self._free_at = start + size / self.rate_bytes_per_s
            return self._free_at + self.delay_s


def phone_links(rtt_ms: float = 150.0, down_kbit: float = 1600.0, up_kbit: float = 750.0) -> tuple[Link, Link]:
    """(down, up) links of the issue's mobile network: 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up."""
    one_way = rtt_ms / 2000.0
    return Link(down_kbit * 1000 / 8, one_way), Link(up_kbit * 1000 / 8, one_way)


class ShapingProxy:
    """Run the relay in a background thread: ``with ShapingProxy(port) as proxy: proxy.port``."""

    def __init__(self, target_port: int, down: Link | None = None, up: Link | None = None) -> None:
        default_down, default_up = phone_links()
        self.target_port = target_port
        self.down = down or default_down
        self.up = up or default_up
        self.port = 0
        self.bytes_down = 0
        self.bytes_up = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._server: asyncio.base_events.Server | None = None

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, link: Link, down: bool) -> None:
        queue: asyncio.Queue[tuple[float, bytes] | None] = asyncio.Queue()

        async def deliver() -> None:
            while (item := await queue.get()) is not None:
                arrive, data = item
                wait = arrive - link.clock()
                if wait > 0:
                    await asyncio.sleep(wait)
                writer.write(data)
                await writer.drain()
            with contextlib.suppress(Exception):
                writer.write_eof()

        sender = asyncio.create_task(deliver())
        try:
            while data := await reader.read(CHUNK):
                if down:
                    self.bytes_down += len(data)
                else:
                    self.bytes_up += len(data)
                queue.put_nowait((link.schedule(len(data)), data))
        except (ConnectionError, OSError):
            pass
        finally:
            queue.put_nowait(None)
            with contextlib.suppress(Exception):
                await sender

    async def _handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(self.down.delay_s + self.up.delay_s)  # the handshake's round trip
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            client_writer.close()
            return
        try:
            await asyncio.gather(
                self._pipe(client_reader, server_writer, self.up, down=False),
                self._pipe(server_reader, client_writer, self.down, down=True),
            )
        finally:
            for writer in (client_writer, server_writer):
                with contextlib.suppress(Exception):
                    writer.close()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop

        async def start() -> None:
            self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
            self.port = self._server.sockets[0].getsockname()[1]
            self._ready.set()

        loop.run_until_complete(start())
        loop.run_forever()
        loop.close()

    def __enter__(self) -> ShapingProxy:
        self._thread = threading.Thread(target=self._run, name="shaping-proxy", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the shaping proxy did not start")
        return self

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        current = asyncio.current_task()
        tasks = [task for task in asyncio.all_tasks() if task is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        asyncio.get_running_loop().stop()

    def __exit__(self, *exc: object) -> None:
        loop = self._loop
        if loop is not None and loop.is_running():
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop)
        if self._thread is not None:
            self._thread.join(5)
