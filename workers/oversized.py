"""Records over the broker's size limit, made to fit instead of failing their producer.

A record over the limit is refused (aiokafka's ``MessageSizeTooLargeError``: raised by
``send`` in the ingest workers, failing only its own batch in the relay), on every attempt:
the worker would never move past it. The realistic trigger is a DLQ copy of a near-limit
input: the input fitted, its copy plus the contract's headers does not. Such a copy goes to
the DLQ truncated to fit, with two more headers: ``leadflow.truncated`` (what was cut) and
``leadflow.original-size`` (the value's size in bytes). A record for any other topic (the
sequencer's own messages are small, so only by a bug) is dead-lettered the same way, with a
reason naming the topic it was meant for. Used by ``kafka_io.DeadLetters`` and the relay.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiokafka.record.default_records import DefaultRecordBatchBuilder

from schemas.dlq import HEADER_PREFIX

Headers = list[tuple[str, bytes]]

#: The broker's default ``message.max.bytes`` is 1,048,588 per record batch; aiokafka's
#: producer refuses records over its ``max_request_size`` (1 MiB) the same way.
DEFAULT_MAX_RECORD_BYTES = 1_048_576
#: A key is cut to this many bytes when the key alone would not fit.
_MAX_KEY_BYTES = 1024
#: The record's and the value's length varints grow with the value: room for that growth.
_VARINT_SLACK = 16


@dataclass(frozen=True, slots=True)
class OutRecord:
    """One record for the relay to publish."""

    topic: str
    key: bytes | None
    value: bytes | None
    headers: Headers | None


def record_size(key: bytes | None, value: bytes | None, headers: Headers | None) -> int:
    """An upper bound of the size of a batch holding this record alone (aiokafka's estimate)."""
    return int(DefaultRecordBatchBuilder.estimate_size_in_bytes(key, value, headers or []))


def fit(record: OutRecord, *, limit: int, dlq_topic: str, worker: str = "sequencer") -> OutRecord:
    """``record`` when it fits in ``limit`` bytes, else a truncated DLQ copy that does."""
    if record_size(record.key, record.value, record.headers) <= limit:
        return record
    original = len(record.value or b"")
    headers = list(record.headers or [])
    if record.topic != dlq_topic:
        headers = _marker_headers(record.topic, original, limit, worker)
    key = record.key
    room = limit - record_size(key, b"", headers + _truncation_headers(original, original))
    if room < 0:
        key = (key or b"")[:_MAX_KEY_BYTES]
        room = limit - record_size(key, b"", headers + _truncation_headers(original, original))
    kept = max(0, room - _VARINT_SLACK)
    value = (record.value or b"")[:kept]
    return OutRecord(dlq_topic, key, value, headers + _truncation_headers(len(value), original))


def _truncation_headers(kept: int, original: int) -> Headers:
    text = f"value truncated to its first {kept} of {original} bytes: over the broker's size limit"
    return [
        (HEADER_PREFIX + "truncated", text.encode()),
        (HEADER_PREFIX + "original-size", str(original).encode()),
    ]


def _marker_headers(topic: str, size: int, limit: int, worker: str) -> Headers:
    reason = f"output for {topic} of {size} bytes is over the {limit}-byte record limit"
    return [
        (HEADER_PREFIX + "error", reason.encode()),
        (HEADER_PREFIX + "source-topic", topic.encode()),
        (HEADER_PREFIX + "worker", worker.encode()),
    ]
