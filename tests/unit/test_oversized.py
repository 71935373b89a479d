"""Outbox rows over the size limit become bounded DLQ records."""

from __future__ import annotations

from workers.oversized import OutRecord, fit, record_size

_LIMIT = 10_000
_DLQ = "p.dlq"


def _headers(record: OutRecord) -> dict[str, str]:
    return {k: v.decode() for k, v in record.headers or []}


class TestFit:
    """``fit``: a record within the limit as it is, else a truncated DLQ copy within it."""

    def test_record_within_the_limit_is_unchanged(self) -> None:
        """A record that fits is published as it is."""
        record = OutRecord("p.sends", b"k", b"v" * 100, None)

        assert record is fit(record, limit=_LIMIT, dlq_topic=_DLQ)

    def test_oversized_dlq_copy_is_truncated_to_fit_and_keeps_its_headers(self) -> None:
        """A DLQ copy over the limit keeps its reason, says it was cut and its original size."""
        record = OutRecord(_DLQ, b"k", b"v" * 20_000, [("leadflow.error", b"not valid JSON")])

        fitted = fit(record, limit=_LIMIT, dlq_topic=_DLQ)

        assert record_size(fitted.key, fitted.value, fitted.headers) <= _LIMIT
        assert "not valid JSON" == _headers(fitted)["leadflow.error"]
        assert "20000" == _headers(fitted)["leadflow.original-size"]
        assert (fitted.value or b"") == (record.value or b"")[: len(fitted.value or b"")]
        assert _LIMIT - 500 < len(fitted.value or b"")

    def test_oversized_output_for_another_topic_becomes_a_dlq_marker(self) -> None:
        """Output for a topic other than the DLQ goes to the DLQ with a reason naming it."""
        record = OutRecord("p.sends", b"k", b"v" * 20_000, None)

        fitted = fit(record, limit=_LIMIT, dlq_topic=_DLQ)

        assert _DLQ == fitted.topic
        assert "p.sends" == _headers(fitted)["leadflow.source-topic"]
        assert "over the 10000-byte record limit" in _headers(fitted)["leadflow.error"]

    def test_oversized_key_is_cut_too(self) -> None:
        """A key that alone exceeds the limit is cut, so the record still fits."""
        record = OutRecord(_DLQ, b"k" * 20_000, b"v", None)

        fitted = fit(record, limit=_LIMIT, dlq_topic=_DLQ)

        assert record_size(fitted.key, fitted.value, fitted.headers) <= _LIMIT
