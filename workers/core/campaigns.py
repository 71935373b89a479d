"""Which record of the campaigns topic a worker accepts: one rule for every worker.

The ingest workers' in-memory table and the sequencer's campaigns table apply it alike, so
a campaign is live for both or for neither.

The rule:

- a tombstone (null value) is always accepted: the campaign is deleted;
- settings for a campaign never seen, or deleted, are accepted whatever their version: a
  deletion ends the campaign's version history, and a re-created campaign starts a new one;
- settings for a live campaign are accepted only with a higher version than the held one.

Why a deletion forgets the version instead of remembering it: the topic is compacted. Once
the tombstone is removed (``delete.retention.ms``) or superseded by the re-creation, a worker
that reads the topic from the beginning sees only the re-created settings and holds them,
whatever their version. A rule that refused a lower re-creation would then hold it live in
that worker and deleted in the sequencer (which remembers) — the disagreement this rule
exists to prevent. Refusing an older version of a *live* campaign stays: it guards against
replayed or reordered writes, which compaction cannot reorder within a key.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CampaignDecision(StrEnum):
    """What to do with one campaigns record."""

    STORE = "store"  #: hold these settings
    DELETE = "delete"  #: the campaign is gone
    STALE = "stale"  #: keep the held settings; the record is older or equal


@dataclass(frozen=True, slots=True)
class HeldCampaign:
    """What a worker holds for a campaign: the version, and whether it was deleted."""

    version: int
    deleted: bool = False


def accept_campaign_record(
    held: HeldCampaign | None, incoming_version: int | None
) -> CampaignDecision:
    """The decision for a record of ``incoming_version`` (None: a tombstone) given ``held``."""
    if incoming_version is None:
        return CampaignDecision.DELETE
    if held is None or held.deleted or incoming_version > held.version:
        return CampaignDecision.STORE
    return CampaignDecision.STALE
