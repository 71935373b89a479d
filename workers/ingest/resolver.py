"""The ingest workers' step that ties events addressed by token or Message-ID to their sends.

Between deciding a batch and publishing it::

    decided = decide_batch(records, model, table.get, secrets=resolver.secrets)
    outputs = await resolver.finish(decided, table.get)   # one store query per batch, cached

The store is the sequencer's ``send_tokens`` table (read-only, opened on first use). When the
database cannot answer, the lookup is retried with backoff for up to ``retry_for_s``; after
that the error is raised and the worker crashes without committing, so the batch is consumed
again after the restart: an event is never dead-lettered because the database was down.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Collection, Sequence

import asyncpg
import structlog

from workers.core.tokens import Secrets
from workers.ingest.batch import (
    Classify,
    DeadLetter,
    Lookup,
    Output,
    Pending,
    finish_pending,
    pending_refs,
)
from workers.ingest.resolve import Outcome
from workers.metrics import Metrics
from workers.tokens_store import SendLookup, SendRef

log = structlog.get_logger("leadflow.ingest.resolver")

#: Store errors retried before giving up: the server away, restarting or slow.
_DB_ERRORS = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError)


class Resolver:
    """Resolves the pending events of a batch through a send lookup."""

    def __init__(
        self,
        secrets: Secrets,
        sends: SendLookup,
        *,
        metrics: Metrics,
        worker: str,
        retry_for_s: float = 60.0,
        beat: Callable[[], None] = lambda: None,
    ) -> None:
        self.secrets = secrets
        self._sends = sends
        self._metrics = metrics
        self._worker = worker
        self._retry_for_s = retry_for_s
        self._beat = beat

    async def finish(
        self,
        decided: Sequence[Output | Pending],
        lookup: Lookup,
        *,
        count: bool = True,
        classify: Classify | None = None,
    ) -> list[Output]:
        """The batch's outputs, every pending event decided or dead-lettered.

        ``count=False`` when the same batch is decided again (after a campaign table sync):
        its events were counted the first time.
        """
        refs = pending_refs(decided)
        sends = await self._lookup(refs) if refs else {}
        if count:
            self._count(decided, sends)
        return finish_pending(decided, sends, lookup, classify=classify)

    async def sends(self, refs: Collection[bytes]) -> dict[bytes, SendRef]:
        """The sends these refs name (unknown refs absent), the store retried while away."""
        return await self._lookup(refs) if refs else {}

    def note(self, via: str, outcome: Outcome, count: int = 1) -> None:
        """Count resolutions done by a worker with its own pipeline (the clicks worker)."""
        self._metrics.tracking_resolutions.labels(self._worker, via, outcome.value).inc(count)

    async def _lookup(self, refs: Collection[bytes]) -> dict[bytes, SendRef]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._retry_for_s
        delay_s = 0.1
        while True:
            try:
                return await self._sends.lookup(refs)
            except _DB_ERRORS as error:
                if loop.time() + delay_s > deadline:
                    raise
                log.warning(
                    "send_tokens lookup failed; retrying",
                    worker=self._worker,
                    error=type(error).__name__,
                    retry_in_s=delay_s,
                )
            self._beat()
            await asyncio.sleep(delay_s)
            delay_s = min(delay_s * 2, 5.0)

    def _count(self, decided: Sequence[Output | Pending], sends: dict[bytes, SendRef]) -> None:
        counts: Counter[tuple[str, Outcome]] = Counter()
        for output in decided:
            if isinstance(output, Pending):
                known = output.located.ref in sends
                outcome = Outcome.RESOLVED if known else Outcome.UNKNOWN_SEND
                counts[(output.located.via.value, outcome)] += 1
            elif isinstance(output, DeadLetter) and output.unresolved is not None:
                why = output.unresolved
                counts[(why.via.value if why.via else "none", why.outcome)] += 1
        for (via, outcome), count in counts.items():
            self._metrics.tracking_resolutions.labels(self._worker, via, outcome.value).inc(count)
