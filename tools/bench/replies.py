"""Reply understanding in the bench: ``classify_per_s`` and ``ingest_per_s.replies_raw``.

``classify_per_s`` runs the classifier in this process over the labelled corpus
(``tests/corpus/replies``: real-shaped mail in seven languages, DSNs, HTML-only, odd charsets),
on the process's CPU clock: one core's rate, whatever else the machine runs.
``replies_raw`` is the replies worker end to end (Kafka in, classification, commands out) fed
with those same messages as ``raw_message``, one lead each, cycling through the corpus.

``python -m tools.bench.replies`` prints the classifier's CPU cost per message (``classify_cost``)
on the ingest bench's v1 reply and on the corpus, with and without the pattern prefilter.
"""

from __future__ import annotations

import base64
import contextlib
import json
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from tests.perf_classify import measure_classify_per_s
from tools.bench import data, fleet
from tools.bench.env import Servers, fresh
from tools.bench.kio import publish, steady_rate
from tools.bench.measures import Result, _drain
from tools.bench.sizes import Sizes
from workers.core.replies import classify_mail, classify_parts, parse_message, prefilter
from workers.topics import Topics

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "corpus" / "replies"


def corpus() -> list[bytes]:
    """The raw bytes of every labelled corpus message, in label order."""
    labels = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))
    return [(CORPUS / item["file"]).read_bytes() for item in labels]


async def classify_step(servers: Servers, sizes: Sizes, logs: Path) -> Result:
    """Messages classified per second of one core (CPU time), over the corpus."""
    messages = corpus()
    return {
        "per_s": measure_classify_per_s(messages, min_seconds=3.0),
        "wall_per_s": measure_classify_per_s(messages, min_seconds=1.0, clock=time.perf_counter),
        "messages": len(messages),
    }


def raw_events(count: int) -> Iterator[tuple[bytes, bytes]]:
    """``count`` ReplyEvents carrying corpus messages as ``raw_message``, one lead each."""
    encoded = [base64.b64encode(raw).decode() for raw in corpus()]
    for i in range(count):
        doc = json.loads(data.event("replies", i, prefix="raw"))
        for field in ("subject", "body_text", "headers"):
            doc.pop(field, None)
        doc["raw_message"] = encoded[i % len(encoded)]
        yield data.lead_key(f"l-{i}"), json.dumps(doc).encode()


async def replies_raw_step(servers: Servers, sizes: Sizes, logs: Path) -> Result:
    """The replies worker turning realistic raw replies into commands."""
    events = max(sizes.events // 10, min(sizes.events, 2_000))
    async with fresh(servers) as settings:
        topics = Topics(settings.topic_prefix)
        campaign = json.dumps(data.campaign()).encode()
        await publish(settings, topics.campaigns, [(b"c-bench", campaign)])
        await publish(settings, topics.replies, raw_events(events))
        spec = ("replies", fleet.leadflow_command("replies"))
        seen, rss = await _drain(settings, [spec], topics.commands, events, logs)
    return {"per_s": steady_rate(seen), "rss_mb": rss, "events": events}


def classify_cost(repeats: int = 5) -> dict[str, float]:
    """CPU microseconds per message, best of ``repeats``: the ingest bench's v1 reply
    (``bench``: every event's body is the same text; ``bench_new_text``: each one differs),
    the corpus parsed (``corpus_mail``) and raw (``corpus_raw``); ``*_unfiltered`` without the
    prefilter.
    """
    event = data.event("replies", 0)
    doc = json.loads(event)
    sent = datetime.fromisoformat(doc["occurred_at"])
    raws = corpus()
    mails = [parse_message(raw) for raw in raws]
    # What the worker classifies: a body decoded from each event (equal text, a new string).
    same = [json.loads(event)["body_text"] for _ in range(100)]
    # More distinct bodies than the prefilter's cache holds: each one indexed anew.
    distinct = [f"{doc['body_text']} {n}" for n in range(100)]

    def bench(bodies: list[str]) -> Callable[[], int]:
        def run() -> int:
            for body in bodies:
                classify_parts(doc["subject"], body, doc["headers"], sent)
            return len(bodies)

        return run

    def corpus_mail() -> int:
        for mail in mails:
            classify_mail(mail)
        return len(mails)

    def corpus_raw() -> int:
        for raw in raws:
            classify_mail(parse_message(raw))
        return len(raws)

    runs = {
        "bench": bench(same),
        "bench_new_text": bench(distinct),
        "corpus_mail": corpus_mail,
        "corpus_raw": corpus_raw,
    }
    best: dict[str, float] = {}
    for _ in range(repeats):
        for name, run in runs.items():
            for suffix, unfiltered in (("", False), ("_unfiltered", True)):
                key = name + suffix
                best[key] = min(best.get(key, float("inf")), _cpu_us(run, unfiltered=unfiltered))
    return best


def _cpu_us(run: Callable[[], int], *, unfiltered: bool) -> float:
    with prefilter.disabled() if unfiltered else contextlib.nullcontext():
        started = time.process_time()
        count = run()
        return (time.process_time() - started) / count * 1e6


if __name__ == "__main__":
    for name, micros in classify_cost().items():
        print(f"{name:28s} {micros:9.1f} µs/message")
