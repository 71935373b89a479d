"""The aiokafka internals ``workers.kafka_io`` adjusts still exist and are adjusted."""

import asyncio
import inspect

import aiokafka.producer.sender
import aiokafka.util

from workers import kafka_io


def test_transaction_retry_wait_is_shortened_where_aiokafka_reads_it() -> None:
    """The patched constant is the one the AddPartitionsToTxn handler returns."""
    source = inspect.getsource(aiokafka.producer.sender)

    assert "return BACKOFF_OVERRIDE" in source
    assert kafka_io.TRANSACTION_RETRY_S == aiokafka.producer.sender.BACKOFF_OVERRIDE


def test_running_loop_lookup_is_asyncio_s() -> None:
    """aiokafka creates its futures on the loop asyncio reports, without its slower lookup."""
    assert aiokafka.util.get_running_loop is asyncio.get_running_loop
