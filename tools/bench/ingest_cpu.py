"""The replies worker's CPU per event, without Kafka: ``python -m tools.bench.ingest_cpu``.

What the worker does with a consumed batch — ``decide_batch`` with the worker's own
``ReplyClassifier`` (metrics on) — timed on the process's CPU clock, best of several repeats,
for each shape of event the bench sends:

- ``plain``: the ingest bench's short v1 reply (``data.event("replies", i)``: one text);
- ``plain_new``: the same reply with a body of its own per event (no two texts alike);
- ``raw``: the labelled corpus as ``raw_message`` (``replies.raw_events``);
- ``upstream``: a reply classified upstream (``kind`` set: not read again).

``digest`` hashes every output (key, value, dead-letter reason) of each shape: equal digests
before and after a change mean the same commands and dead letters, byte for byte.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from prometheus_client import CollectorRegistry

from schemas import CampaignSettings, ReplyEvent
from tools.bench import data
from tools.bench.replies import raw_events
from workers.ingest.batch import Command, DeadLetter, Output, Pending, decide_batch
from workers.ingest.replies import ReplyClassifier
from workers.metrics import Metrics

#: Records per ``decide_batch`` call (a consumed batch of the worker).
BATCH = 500
SHAPES = ("plain", "plain_new", "raw", "upstream")


@dataclass(frozen=True, slots=True)
class BenchRecord:
    """A consumed record, as the worker's loop sees one."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None


def _values(shape: str, count: int) -> Iterator[tuple[bytes, bytes]]:
    if shape == "plain":
        return data.events("replies", count)
    if shape == "plain_new":
        return (
            (key, _own_body(value, i))
            for i, (key, value) in enumerate(data.events("replies", count))
        )
    if shape == "raw":
        return raw_events(count)
    if shape == "upstream":
        return (
            (data.lead_key(f"l-{i}"), data.event("replies", i, reply_kind="out_of_office"))
            for i in range(count)
        )
    raise ValueError(f"unknown shape {shape!r}")


def _own_body(value: bytes, index: int) -> bytes:
    doc = json.loads(value)
    doc["body_text"] = f"{doc['body_text']} ({index})"
    return json.dumps(doc).encode()


def records(shape: str, count: int) -> list[BenchRecord]:
    """``count`` records of ``shape`` (see the module docstring), offsets from 0."""
    return [
        BenchRecord("events.replies", 0, offset, key, value)
        for offset, (key, value) in enumerate(_values(shape, count))
    ]


def _lookup() -> Callable[[str], CampaignSettings | None]:
    settings = CampaignSettings.model_validate(data.campaign())
    return {settings.campaign_id: settings}.get


def decide_all(batch: list[BenchRecord], classifier: ReplyClassifier) -> list[Output | Pending]:
    """``decide_batch`` over ``batch`` in worker-sized slices, as the replies worker runs it."""
    lookup = _lookup()
    outputs: list[Output | Pending] = []
    for start in range(0, len(batch), BATCH):
        chunk = batch[start : start + BATCH]
        outputs += decide_batch(chunk, ReplyEvent, lookup, classify=classifier)
    return outputs


def digest(outputs: list[Output | Pending]) -> str:
    """A hash of every output's bytes: a command's key and value, a dead letter's reason."""
    sha = hashlib.sha256()
    for output in outputs:
        if isinstance(output, Command):
            sha.update(b"C" + output.key + b"\0" + output.value + b"\0")
        elif isinstance(output, DeadLetter):
            sha.update(b"D" + output.reason.encode() + b"\0")
        else:
            sha.update(b"P" + output.located.ref + b"\0")
    return sha.hexdigest()


def cpu_us_per_event(shape: str, count: int = 2_000, repeats: int = 5) -> float:
    """CPU microseconds per event of ``shape``, best of ``repeats`` runs over ``count`` events."""
    batch = records(shape, count)
    classifier = ReplyClassifier(Metrics(CollectorRegistry()))
    decide_all(batch[:BATCH], classifier)  # warm-up: compiled patterns, caches
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        decide_all(batch, classifier)
        best = min(best, time.process_time() - started)
    return best / count * 1e6


def main(argv: list[str] | None = None) -> None:
    """Print each shape's CPU µs per event and its output digest (JSON with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = {}
    for shape in SHAPES:
        micros = cpu_us_per_event(shape, args.count, args.repeats)
        classifier = ReplyClassifier(Metrics(CollectorRegistry()))
        result[shape] = {
            "us_per_event": round(micros, 1),
            "digest": digest(decide_all(records(shape, args.count), classifier))[:16],
        }
    if args.json:
        print(json.dumps(result))
        return
    for shape, row in result.items():
        print(f"{shape:10s} {row['us_per_event']:8.1f} µs/event  outputs {row['digest']}")


if __name__ == "__main__":
    main()
