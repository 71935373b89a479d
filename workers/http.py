"""A minimal asyncio HTTP server for ``/metrics``, ``/healthz`` and ``/readyz``.

The three endpoints need no framework: one GET per connection, a small plain answer.
"""

from __future__ import annotations

import asyncio
import contextlib

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from workers.health import HealthBoard

_READ_TIMEOUT_S = 5.0


class MetricsServer:
    """Serves the registry's metrics and the board's health on ``port``."""

    def __init__(self, *, registry: CollectorRegistry, board: HealthBoard, port: int) -> None:
        self._registry = registry
        self._board = board
        self._port = port
        self._server: asyncio.Server | None = None

    @property
    def port(self) -> int:
        """The bound port (useful when started on port 0)."""
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "0.0.0.0", self._port)  # noqa: S104

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), _READ_TIMEOUT_S)
            path = request.split(b" ", 2)[1].decode("ascii", "replace") if request else "/"
            status, ctype, body = self._route(path.split("?", 1)[0])
            head = (
                f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            )
            writer.write(head.encode() + body)
            await writer.drain()
        except (TimeoutError, asyncio.IncompleteReadError, ConnectionError, IndexError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    def _route(self, path: str) -> tuple[str, str, bytes]:
        if path == "/metrics":
            return "200 OK", CONTENT_TYPE_LATEST, generate_latest(self._registry)
        if path in {"/healthz", "/readyz"}:
            ok, detail = self._board.alive() if path == "/healthz" else self._board.ready()
            status = "200 OK" if ok else "503 Service Unavailable"
            return status, "text/plain; charset=utf-8", (detail + "\n").encode()
        return "404 Not Found", "text/plain; charset=utf-8", b"not found\n"
