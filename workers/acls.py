"""The Kafka ACLs each part of the fleet needs, and nothing more (least privilege).

One principal per worker (and one for ``leadflow setup``, one for the operators' CLI), each
allowed exactly the operations its code performs under a topic prefix:

- consuming a topic: ``Read`` on it (Describe is implied); in a consumer group: ``Read`` on the
  group (join, heartbeat, offset commit and fetch). Consumers that assign partitions themselves
  (the campaign readers, the relay's progress reader, the CLI's result watch) use no group,
  except the ingest workers' campaign follower, which commits to ``{group}-campaigns``;
- producing: ``Write`` on the topic. Every producer is idempotent: since Kafka 3.0 (KIP-679)
  ``Write`` on a topic is enough for that, so nobody gets the cluster's ``IdempotentWrite``;
- the sequencer's relay: a transactional producer whose id starts with ``{prefix}relay``
  (``Write`` on that transactional id, prefixed, covers each relay session's
  ``{prefix}relay-{owner}``, which a new leader also uses to fence an unclean previous owner,
  and the earlier release's per-shard ``{prefix}relay`` / ``{prefix}relay-N``);
- setup: ``Create``, ``Describe`` and ``DescribeConfigs`` on the prefix's topics.

The table in ``docs/deployment.md`` is this module rendered (``tests/unit/test_acls.py`` keeps
them equal); ``tools/infra/secure_kafka.py`` applies it to the test broker.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from workers.topics import Topics, group_id


class Resource(StrEnum):
    """Kafka's resource types, as ``kafka-acls`` names them."""

    TOPIC = "Topic"
    GROUP = "Group"
    TRANSACTIONAL_ID = "TransactionalId"


class Pattern(StrEnum):
    """How an ACL's resource name matches."""

    LITERAL = "LITERAL"  #: exactly this name
    PREFIXED = "PREFIXED"  #: every name that starts with it


class Operation(StrEnum):
    """The operations the fleet is granted."""

    READ = "Read"
    WRITE = "Write"
    CREATE = "Create"
    DESCRIBE = "Describe"
    DESCRIBE_CONFIGS = "DescribeConfigs"


@dataclass(frozen=True, slots=True, order=True)
class Grant:
    """One ALLOW ACL for a principal, from any host."""

    resource: Resource
    name: str
    operation: Operation
    pattern: Pattern = Pattern.LITERAL


#: The fleet's principals: the workers, setup, and the operators' CLI.
PRINCIPALS = ("setup", "replies", "clicks", "bookings", "sequencer", "gateway", "cli")


def grants(principal: str, prefix: str = "leadflow.") -> tuple[Grant, ...]:
    """Every ACL ``principal`` needs under the topic ``prefix``, sorted."""
    topics = Topics(prefix)
    by_principal = {
        "setup": _setup(prefix),
        "replies": _ingest(topics, prefix, "replies", topics.replies),
        "clicks": [
            *_ingest(topics, prefix, "clicks", topics.clicks),
            # clicks meet by lead: repartitioned through an internal topic, read in the same group
            *_reads(topics.clicks_by_lead),
            *_writes(topics.clicks_by_lead),
        ],
        "bookings": _ingest(topics, prefix, "bookings", topics.bookings),
        "sequencer": _sequencer(topics, prefix),
        "gateway": _writes(topics.replies, topics.clicks, topics.bookings),
        "cli": _cli(topics),
    }
    return tuple(sorted(set(by_principal[principal])))


def _setup(prefix: str) -> list[Grant]:
    ops = (Operation.CREATE, Operation.DESCRIBE, Operation.DESCRIBE_CONFIGS)
    return [Grant(Resource.TOPIC, prefix, op, Pattern.PREFIXED) for op in ops]


def _ingest(topics: Topics, prefix: str, worker: str, events: str) -> list[Grant]:
    group = group_id(prefix, worker)
    return [
        *_reads(events, topics.campaigns),
        *_writes(topics.commands, topics.dlq),
        Grant(Resource.GROUP, group, Operation.READ),
        Grant(Resource.GROUP, f"{group}-campaigns", Operation.READ),
    ]


def _sequencer(topics: Topics, prefix: str) -> list[Grant]:
    return [
        *_reads(topics.commands, topics.campaigns, topics.suppressions, topics.relay_progress),
        *_writes(
            topics.suppressions,
            topics.command_results,
            topics.sends,
            topics.lead_status,
            topics.dlq,
            topics.relay_progress,
        ),
        Grant(Resource.GROUP, group_id(prefix, "sequencer"), Operation.READ),
        Grant(Resource.TRANSACTIONAL_ID, f"{prefix}relay", Operation.WRITE, Pattern.PREFIXED),
    ]


def _cli(topics: Topics) -> list[Grant]:
    return [
        *_writes(topics.campaigns, topics.commands, topics.suppressions),
        *_reads(topics.command_results),
    ]


def _reads(*names: str) -> list[Grant]:
    return [Grant(Resource.TOPIC, name, Operation.READ) for name in names]


def _writes(*names: str) -> list[Grant]:
    return [Grant(Resource.TOPIC, name, Operation.WRITE) for name in names]


def markdown_table(prefix: str = "leadflow.") -> str:
    """The ACLs of every principal as the Markdown table of ``docs/deployment.md``."""
    rows = ["| principal | resource | name | pattern | operation |", "|---|---|---|---|---|"]
    rows.extend(
        f"| `{principal}` | {grant.resource} | `{grant.name}` | {grant.pattern.lower()}"
        f" | {grant.operation} |"
        for principal in PRINCIPALS
        for grant in grants(principal, prefix)
    )
    return "\n".join(rows)
