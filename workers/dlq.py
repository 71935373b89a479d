"""The one place a dead letter's headers are made, for every worker.

A dead-lettered record keeps its key and value unchanged; the contract's headers say why it was
refused and where it came from (``schemas.DlqHeaders``)::

    headers = dead_letter_headers(record, "invalid ReplyEvent: ...", worker="replies")
"""

from __future__ import annotations

from schemas import DlqHeaders
from workers.ports import Record

#: The reason is cut to this many characters: a header, not a report.
MAX_ERROR_CHARS = 2000


def dead_letter_headers(record: Record, error: str, *, worker: str) -> list[tuple[str, bytes]]:
    """The contract's DLQ headers for ``record``, refused by ``worker`` because of ``error``."""
    headers = DlqHeaders(
        error=error[:MAX_ERROR_CHARS],
        source_topic=record.topic,
        source_partition=record.partition,
        source_offset=record.offset,
        worker=worker,
    )
    return headers.to_kafka_headers()
