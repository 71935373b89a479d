"""Ingest workers: replies, clicks and bookings become LeadCommands.

Each worker is its own process and consumer group; it holds the compacted ``campaigns`` topic
in memory (``campaigns``), decides each consumed batch with pure functions (``batch``), and
drives them from one async loop (``worker``)::

    getmany -> decide_batch (validate, look up campaign, decide)
            -> Resolver.finish (events addressed by tracking token or Message-ID: send_tokens)
            -> send all -> await acks -> commit
"""

from workers.ingest.worker import INGEST_WORKERS, IngestWorker, ingest_factory

__all__ = ["INGEST_WORKERS", "IngestWorker", "ingest_factory"]
