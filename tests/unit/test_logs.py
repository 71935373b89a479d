"""Log lines carry their context and never personal data (checked on captured event dicts)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import structlog
from structlog.contextvars import bound_contextvars, clear_contextvars
from structlog.testing import capture_logs
from structlog.typing import EventDict

from workers.logs import PROCESSORS, REDACTED
from workers.runtime import run_bound

log = structlog.get_logger("leadflow.test")


@pytest.fixture(autouse=True)
def _no_context() -> Iterator[None]:
    """Each test starts and ends without bound context."""
    clear_contextvars()
    yield
    clear_contextvars()


def captured(**fields: object) -> EventDict:
    """The event dict of one ``info`` line through the fleet's processors (before rendering)."""
    with capture_logs(processors=PROCESSORS) as logs:
        log.info("something happened", **fields)
    (entry,) = logs
    return entry


class TestRedaction:
    @pytest.mark.parametrize("key", ["body", "subject", "email", "headers", "value", "token"])
    def test_personal_keys_redacted(self, key: str) -> None:
        """A key that could carry personal data or a secret is written as ``[redacted]``."""
        assert REDACTED == captured(**{key: "alice@example.com"})[key]

    def test_nested_personal_keys_redacted(self) -> None:
        """Personal keys inside a mapping are redacted too; the other keys stay."""
        assert {"lead_id": "l-7", "email": REDACTED} == captured(
            lead={"lead_id": "l-7", "email": "alice@example.com"}
        )["lead"]

    def test_other_keys_kept(self) -> None:
        """Ids and counts pass unchanged."""
        entry = captured(campaign="c-42", partition=3, records=10)
        assert ("c-42", 3, 10) == (entry["campaign"], entry["partition"], entry["records"])

    def test_bound_context_redacted(self) -> None:
        """A personal key bound as context is redacted like a call's own keys."""
        with bound_contextvars(subject="Re: our offer"):
            assert REDACTED == captured()["subject"]


class TestContext:
    def test_bound_context_in_every_line(self) -> None:
        """Context bound with ``bound_contextvars`` appears in the lines logged inside it."""
        with bound_contextvars(worker="replies", topic="leadflow.events.replies"):
            entry = captured()
        assert ("replies", "leadflow.events.replies") == (entry["worker"], entry["topic"])

    async def test_runtime_binds_the_worker_name(self) -> None:
        """Every line a worker logs in its task names the worker, and the binding stays there."""

        class Worker:
            name = "clicks"

            async def run(self, stop: asyncio.Event) -> None:
                log.info("working")

        merge = [structlog.contextvars.merge_contextvars]
        with capture_logs(processors=merge) as logs:
            await asyncio.create_task(run_bound(Worker(), asyncio.Event()))
            log.info("outside")
        assert [("working", "clicks"), ("outside", None)] == [
            (entry["event"], entry.get("worker")) for entry in logs
        ]
