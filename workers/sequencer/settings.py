"""Every tuning value of the sequencer, in one validated object.

The values are the measured defaults (``docs/benchmarks.md``); a test or a benchmark changes
one by passing it (``SequencerSettings(poll_s=120)``), and a wrong value (a zero batch, a lease
below 16 KiB) is refused at start-up, not met at run time.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from workers.oversized import DEFAULT_MAX_RECORD_BYTES

Positive = Annotated[float, Field(gt=0)]
Count = Annotated[int, Field(ge=1)]


class SequencerSettings(BaseModel):
    """Batch sizes, intervals and limits of the sequencer's services."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # --- consuming --------------------------------------------------------------------
    #: Commands per transaction: with 2,000 the fixed cost of a transaction held the
    #: sequencer to ~12,500 commands/s on the benchmark machine, with 10,000 it applies 17-20k.
    command_batch: Count = 10_000
    #: Campaign records per transaction (each may fan out to every lead of its campaign).
    campaign_batch: Count = 100
    #: Suppression records per transaction (each may stop a person's leads in every campaign:
    #: about 0.1 s for 1,000 campaigns, see ``suppression_apply_ms``).
    suppression_batch: Count = 100
    #: How long one fetch waits for records.
    fetch_timeout_s: Positive = 0.2
    #: The pause before a batch that failed transiently is retried from the stored offsets.
    retry_pause_s: Positive = 0.5
    #: Seconds after which a replica without partitions reports ready.
    idle_ready_s: Positive = 15.0

    # --- timers -------------------------------------------------------------------------
    #: Due leads claimed per transaction and lane.
    timer_batch: Count = 2000
    #: Lanes claiming disjoint batches: while one waits for PostgreSQL the other computes.
    timer_lanes: Count = 2
    #: The longest sleep between claims (wake-ups written by another replica appear in it).
    poll_s: Positive = 0.1
    #: A lane that claimed nothing looks again after this long at the soonest.
    locked_due_retry_s: Positive = 0.02

    # --- maintenance --------------------------------------------------------------------
    #: Command ids are remembered this long: twice the commands topic's default retention.
    inbox_keep_days: Count = 14
    #: A send's tracking token resolves this long after the send (``send_tokens`` rows are
    #: pruned after it): a reply or a click can come months after an email; afterwards an
    #: event that names its send only by the token goes to the DLQ as naming no send of ours.
    send_tokens_keep_days: Count = 400
    #: Rows deleted per statement (command ids, send tokens); a full chunk is followed by the
    #: next one at once.
    prune_chunk: Count = 5000
    #: The pause between prunes once nothing expired is left.
    prune_every_s: Positive = 600.0
    #: The pause between two trims of published outbox rows.
    trim_every_s: Positive = 3.0

    # --- relay --------------------------------------------------------------------------
    #: Relay shards: the outbox is split by the record key's hash (a lead's records share a
    #: shard), each shard published by one replica at a time with its own transactional id,
    #: so up to this many replicas publish side by side. Change it only with an empty outbox
    #: (every replica stopped after publishing all): a lead's pending rows would otherwise sit
    #: in its old shard while its new ones go to another.
    relay_shards: Annotated[int, Field(ge=1, le=256)] = 4
    #: How often a replica looks for a free shard (and counts the relaying replicas): the
    #: failover time after a kill -9 is at most about this.
    shard_poll_s: Positive = 0.5
    #: A frozen leader's session is ended by the server after this long without a statement
    #: (``idle_session_timeout``), releasing its shard locks; it renews every third of it.
    lease_s: Positive = 10.0
    #: Outbox rows per Kafka transaction.
    relay_batch: Count = 5000
    #: The largest record the relay publishes as it is; above it, a truncated DLQ copy.
    #: At most the broker's ``message.max.bytes`` (1,048,588 by default).
    max_record_bytes: Annotated[int, Field(ge=16 * 1024)] = DEFAULT_MAX_RECORD_BYTES
    #: The pause after the relay stepped down, before it tries to lead again.
    relay_retry_s: Positive = 1.0

    @property
    def renew_every_s(self) -> float:
        """How often a shard's relay renews its lease and records its position."""
        return self.lease_s / 3
