"""Reply understanding in the bench: ``classify_per_s`` and ``ingest_per_s.replies_raw``.

``classify_per_s`` runs the classifier in this process over the labelled corpus
(``tests/corpus/replies``: real-shaped mail in seven languages, DSNs, HTML-only, odd charsets),
on the process's CPU clock: one core's rate, whatever else the machine runs.
``replies_raw`` is the replies worker end to end (Kafka in, classification, commands out) fed
with those same messages as ``raw_message``, one lead each, cycling through the corpus.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path

from tests.perf_classify import measure_classify_per_s
from tools.bench import data, fleet
from tools.bench.env import Servers, fresh
from tools.bench.kio import publish, steady_rate
from tools.bench.measures import Result, _drain
from tools.bench.sizes import Sizes
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
