"""The fleet's Kafka ACLs (workers/acls.py): least privilege, and documented as they are."""

from __future__ import annotations

from pathlib import Path

from workers.acls import PRINCIPALS, Grant, Operation, Pattern, Resource, grants, markdown_table

DEPLOYMENT_DOC = Path(__file__).resolve().parents[2] / "docs" / "deployment.md"


def _topics_with(principal: str, operation: Operation) -> set[str]:
    return {
        g.name
        for g in grants(principal, "acme.")
        if g.resource is Resource.TOPIC and g.operation is operation
    }


class TestGrants:
    """What each principal may do."""

    def test_the_clicks_worker_writes_only_commands_the_dlq_and_its_internal_topic(self) -> None:
        """It cannot write sends, statuses or results."""
        expected = {"acme.commands", "acme.dlq", "acme.internal.clicks-by-lead"}
        assert expected == _topics_with("clicks", Operation.WRITE)

    def test_the_gateway_writes_only_events(self) -> None:
        """The gateway publishes events and reads nothing."""
        assert {f"acme.events.{kind}" for kind in ("replies", "clicks", "bookings")} == (
            _topics_with("gateway", Operation.WRITE)
        )
        assert set() == _topics_with("gateway", Operation.READ)

    def test_ingest_workers_read_their_events_and_the_campaigns(self) -> None:
        """replies reads events.replies and campaigns, nothing else."""
        assert {"acme.events.replies", "acme.campaigns"} == _topics_with("replies", Operation.READ)

    def test_ingest_groups_follow_the_prefix(self) -> None:
        """The event group and the campaign follower's group, as the code names them."""
        groups = {g.name for g in grants("bookings", "acme.") if g.resource is Resource.GROUP}
        assert {"acme-bookings", "acme-bookings-campaigns"} == groups

    def test_the_sequencer_owns_the_relays_transactional_ids(self) -> None:
        """Write on every transactional id starting with {prefix}relay (every session's id)."""
        expected = Grant(Resource.TRANSACTIONAL_ID, "acme.relay", Operation.WRITE, Pattern.PREFIXED)
        assert expected in grants("sequencer", "acme.")

    def test_nobody_but_setup_creates_topics(self) -> None:
        """Create is setup's alone."""
        creators = {p for p in PRINCIPALS for g in grants(p) if g.operation is Operation.CREATE}
        assert {"setup"} == creators

    def test_only_the_sequencer_writes_sends(self) -> None:
        """The relay is the one writer of sends."""
        writers = {p for p in PRINCIPALS if "leadflow.sends" in _topics_with_default(p)}
        assert {"sequencer"} == writers


def _topics_with_default(principal: str) -> set[str]:
    return {g.name for g in grants(principal) if g.operation is Operation.WRITE}


class TestDocumentation:
    """docs/deployment.md shows the ACLs the code grants."""

    def test_the_table_is_current(self) -> None:
        """The rendered table appears verbatim in the deployment guide."""
        assert markdown_table() in DEPLOYMENT_DOC.read_text()
