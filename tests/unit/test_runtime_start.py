"""A stop signal during the start-up checks ends them and the process exits 0."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from workers import runtime
from workers.cli import worker_registry
from workers.settings import Settings


class TestUnlessStopped:
    """``_unless_stopped``: a start-up step, cut short by the stop event."""

    async def test_step_ends_first(self) -> None:
        """A step that ends before any stop ran to its end."""

        async def step() -> None:
            await asyncio.sleep(0)

        assert await runtime._unless_stopped(step(), asyncio.Event())

    async def test_stop_first_cancels_the_step(self) -> None:
        """A stop while the step waits: the step is cancelled, and it did not run to its end."""
        cancelled = asyncio.Event()
        started = asyncio.Event()
        stop = asyncio.Event()

        async def step() -> None:
            started.set()
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                cancelled.set()
                raise

        running = asyncio.create_task(runtime._unless_stopped(step(), stop))
        await started.wait()
        stop.set()

        assert (False, True) == (await running, cancelled.is_set())

    async def test_step_error_is_raised(self) -> None:
        """A step that fails raises its error (a configuration error ends the start)."""

        async def step() -> None:
            raise ValueError("bad credentials")

        with pytest.raises(ValueError, match="bad credentials"):
            await runtime._unless_stopped(step(), asyncio.Event())


@pytest.fixture
async def silent_port() -> AsyncIterator[tuple[int, asyncio.Event]]:
    """A port that accepts connections and never answers; the event: a client connected."""
    connected = asyncio.Event()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connected.set()
        while await reader.read(65536):
            pass
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    async with server:
        yield server.sockets[0].getsockname()[1], connected


class TestSigtermDuringStart:
    """``run_workers`` handles SIGTERM from before its start-up checks."""

    async def test_sigterm_while_kafka_is_checked(
        self, silent_port: tuple[int, asyncio.Event]
    ) -> None:
        """A broker that never answers, SIGTERM during its check: exit 0, without waiting it out."""
        port, connected = silent_port
        settings = Settings(
            kafka_bootstrap_servers=f"127.0.0.1:{port}",
            metrics_port=0,
            tracking_secret=SecretStr("start-test-secret"),
        )
        factories = {"replies": worker_registry()["replies"]}
        loop = asyncio.get_running_loop()
        try:
            running = asyncio.create_task(runtime.run_workers(factories, settings))
            await connected.wait()  # the Kafka check is under way (it would take 15 s)
            os.kill(os.getpid(), signal.SIGTERM)
            code = await asyncio.wait_for(running, timeout=5)
        finally:
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(sig)

        assert 0 == code
