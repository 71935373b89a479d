"""Every Prometheus metric of the fleet, created on a registry given by the caller.

Tests pass a fresh ``CollectorRegistry``; a process passes one registry shared by its workers.
All names are prefixed ``leadflow_``.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

_BATCH_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
_REQUEST_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0, 10.0)
#: Event-loop lag: a stall of a few ms is normal, one of 100 ms shows in every latency's p99.
_LOOP_LAG_BUCKETS = (
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.075,
    0.1,
    0.15,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
)
_LATENESS_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class Metrics:
    """The fleet's metrics; one instance per process (or per test)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self._process_metrics(registry)
        self._consumer_metrics(registry)
        self._ingest_metrics(registry)
        self._sequencer_metrics(registry)
        self._scanner_metrics(registry)
        self._reply_metrics(registry)
        self._gateway_metrics(registry)

    def _process_metrics(self, registry: CollectorRegistry) -> None:
        self.event_loop_lag = Histogram(
            "leadflow_event_loop_lag_seconds",
            "How late the process's event loop woke a task sleeping 100 ms (``workers.loop_lag``):"
            " a large value is a stall that delayed every worker of the process.",
            buckets=_LOOP_LAG_BUCKETS,
            registry=registry,
        )

    def _consumer_metrics(self, registry: CollectorRegistry) -> None:
        self.events_consumed = Counter(
            "leadflow_events_consumed_total",
            "Records consumed, per worker and topic.",
            ["worker", "topic"],
            registry=registry,
        )
        self.events_invalid = Counter(
            "leadflow_events_invalid_total",
            "Records that failed validation (sent to the DLQ), per worker and topic.",
            ["worker", "topic"],
            registry=registry,
        )
        self.dlq = Counter(
            "leadflow_dlq_total",
            "Records published to the DLQ, per worker and source topic.",
            ["worker", "topic"],
            registry=registry,
        )
        self.batch_seconds = Histogram(
            "leadflow_batch_seconds",
            "Time to process one consumed batch, from fetch to commit.",
            ["worker"],
            buckets=_BATCH_BUCKETS,
            registry=registry,
        )
        self.consumer_lag = Gauge(
            "leadflow_consumer_lag",
            "Records between the committed position and the partition's end.",
            ["worker", "topic", "partition"],
            registry=registry,
        )
        self.rebalances = Counter(
            "leadflow_rebalances_total",
            "Partition assignments received by the worker's consumer.",
            ["worker"],
            registry=registry,
        )

    def _ingest_metrics(self, registry: CollectorRegistry) -> None:
        self.decisions = Counter(
            "leadflow_decisions_total",
            "Automation decisions, per trigger and action.",
            ["worker", "trigger", "action"],
            registry=registry,
        )
        self.commands_published = Counter(
            "leadflow_commands_published_total",
            "LeadCommands acknowledged by the brokers.",
            ["worker"],
            registry=registry,
        )
        self.tracking_resolutions = Counter(
            "leadflow_tracking_resolutions_total",
            "Events addressed by tracking token or Message-ID, by how they resolved"
            " (resolved, unverified, unknown_send, absent).",
            ["worker", "via", "outcome"],
            registry=registry,
        )
        self.campaigns_held = Gauge(
            "leadflow_campaigns_held",
            "Campaign settings held in memory by the worker.",
            ["worker"],
            registry=registry,
        )

    def _scanner_metrics(self, registry: CollectorRegistry) -> None:
        self.clicks = Counter(
            "leadflow_clicks_total",
            "Clicks settled by the clicks worker, per verdict (person | scanner).",
            ["verdict"],
            registry=registry,
        )
        self.click_evidence = Counter(
            "leadflow_click_evidence_total",
            "Evidence found on scanner clicks, per kind (method, network, burst, ...).",
            ["kind"],
            registry=registry,
        )
        self.clicks_held = Gauge(
            "leadflow_clicks_held",
            "Clicks held in memory waiting for their burst (at most 5 s each).",
            registry=registry,
        )
        self.click_hold_seconds = Histogram(
            "leadflow_click_hold_seconds",
            "How long a click waited for its burst before its verdict.",
            buckets=(0.001, 0.01, 0.1, 0.5, 1.0, 2.5, 4.0, 5.0, 5.5, 6.0, 10.0),
            registry=registry,
        )

    def _reply_metrics(self, registry: CollectorRegistry) -> None:
        self.replies_classified = Counter(
            "leadflow_replies_classified_total",
            "Replies by class (human, out_of_office, ...) and language; upstream kinds as 'und'.",
            ["kind", "language"],
            registry=registry,
        )
        self.reply_classify_seconds = Histogram(
            "leadflow_reply_classify_seconds",
            "Time to classify one reply (parse, split the quote, classify, find the date).",
            buckets=(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1),
            registry=registry,
        )

    def _sequencer_metrics(self, registry: CollectorRegistry) -> None:
        self.commands_applied = Counter(
            "leadflow_sequencer_commands_applied_total",
            "Commands processed by the sequencer, per outcome.",
            ["outcome"],
            registry=registry,
        )
        self.sends = Counter(
            "leadflow_sends_total", "Send requests written to the outbox.", registry=registry
        )
        self.timer_lateness = Histogram(
            "leadflow_timer_lateness_seconds",
            "Send request time minus the step's (window-adjusted) due time.",
            buckets=_LATENESS_BUCKETS,
            registry=registry,
        )
        self.outbox_backlog = Gauge(
            "leadflow_outbox_backlog",
            "Outbox rows written but not yet relayed to Kafka.",
            registry=registry,
        )
        self.relayed = Counter(
            "leadflow_outbox_relayed_total",
            "Outbox rows published to Kafka in committed transactions.",
            registry=registry,
        )

    def _gateway_metrics(self, registry: CollectorRegistry) -> None:
        self.gateway_requests = Counter(
            "leadflow_gateway_requests_total",
            "HTTP requests answered by the gateway, per route and outcome.",
            ["route", "outcome"],
            registry=registry,
        )
        self.gateway_request_seconds = Histogram(
            "leadflow_gateway_request_seconds",
            "Time from a request's arrival to its answer (Kafka acknowledgements included).",
            ["route"],
            buckets=_REQUEST_BUCKETS,
            registry=registry,
        )
        self.gateway_published = Counter(
            "leadflow_gateway_events_published_total",
            "Events the gateway published and Kafka acknowledged, per event type.",
            ["type"],
            registry=registry,
        )
        self.gateway_ignored = Counter(
            "leadflow_gateway_events_ignored_total",
            "Provider events answered 200 without publishing, per route and reason"
            " (unused, no_lead, bad_token).",
            ["route", "reason"],
            registry=registry,
        )
        self.gateway_signature_failures = Counter(
            "leadflow_gateway_signature_failures_total",
            "Requests refused for a missing or failing signature or credentials, per route.",
            ["route"],
            registry=registry,
        )
