"""The aiokafka adjustments of ``workers.kafka_io``, judged by what aiokafka then does."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import ConcurrentTransactions
from aiokafka.producer.sender import AddPartitionsToTxnHandler
from aiokafka.util import create_future

from workers import kafka_io


@pytest.fixture
def loop_lookups(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts calls to ``asyncio.get_event_loop``: aiokafka's own, slower loop lookup uses it."""
    calls: list[int] = []
    real: Callable[[], asyncio.AbstractEventLoop] = asyncio.get_event_loop

    def counting() -> asyncio.AbstractEventLoop:
        calls.append(1)
        return real()

    kafka_io.install_aiokafka_patches()
    monkeypatch.setattr(asyncio, "get_event_loop", counting)
    return calls


class TestRunningLoopLookup:
    """After the patches, no aiokafka module looks the loop up the slow way."""

    async def test_clients_and_futures_find_the_loop_through_asyncio(
        self, loop_lookups: list[int]
    ) -> None:
        """Creating a producer, a consumer and a batch future takes no slow loop lookup."""
        producer = AIOKafkaProducer(bootstrap_servers="127.0.0.1:1")
        consumer = AIOKafkaConsumer(bootstrap_servers="127.0.0.1:1")
        future: asyncio.Future[Any] = create_future()
        await producer.stop()
        await consumer.stop()

        assert [] == loop_lookups
        assert producer._loop is consumer._loop is future.get_loop()


def _concurrent_transactions_response() -> Any:
    return SimpleNamespace(errors=[("topic", [(0, ConcurrentTransactions.errno)])])


class TestTransactionRetryWait:
    """A transaction started while the last one's markers are being written retries soon."""

    def test_concurrent_transactions_is_retried_after_the_short_wait(self) -> None:
        """aiokafka's AddPartitionsToTxn handler answers with the shortened backoff."""
        kafka_io.install_aiokafka_patches()
        sender = SimpleNamespace(
            _retry_backoff=0.1, _txn_manager=SimpleNamespace(txn_partitions=set())
        )
        handler = AddPartitionsToTxnHandler(sender, [])

        assert kafka_io.TRANSACTION_RETRY_S == handler.handle_response(
            _concurrent_transactions_response()
        )

    def test_installing_twice_changes_nothing(self) -> None:
        """The patches are idempotent: a second call keeps the same effect."""
        kafka_io.install_aiokafka_patches()
        kafka_io.install_aiokafka_patches()
        sender = SimpleNamespace(
            _retry_backoff=0.1, _txn_manager=SimpleNamespace(txn_partitions=set())
        )

        assert kafka_io.TRANSACTION_RETRY_S == AddPartitionsToTxnHandler(
            sender, []
        ).handle_response(_concurrent_transactions_response())
