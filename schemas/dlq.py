"""The headers of a dead-lettered message (topic ``dlq``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from schemas._base import Message

HEADER_PREFIX = "leadflow."


class DlqHeaders(Message):
    """Why a message went to the DLQ and where it came from."""

    #: A readable reason the message was refused.
    error: str
    source_topic: str
    source_partition: Annotated[int, Field(ge=0)]
    source_offset: Annotated[int, Field(ge=0)]
    #: The worker that refused it (``replies``, ``sequencer``, ...).
    worker: str

    def to_kafka_headers(self) -> list[tuple[str, bytes]]:
        """Kafka headers ``leadflow.error``, ``leadflow.source-topic``, ... as UTF-8 bytes."""
        values = {
            "error": self.error,
            "source-topic": self.source_topic,
            "source-partition": str(self.source_partition),
            "source-offset": str(self.source_offset),
            "worker": self.worker,
        }
        return [(HEADER_PREFIX + name, value.encode()) for name, value in values.items()]
