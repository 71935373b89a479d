"""``leadflow run gateway``: the HTTP service (aiohttp) around the pure provider modules.

Per request: the route's secret configured (else 404) → the body read with its size limit
enforced while reading (413) and a deadline (408) → the signature or credentials checked
(401, no detail) → the body parsed (400, with the reason) → each provider event mapped →
every mapped event published and acknowledged by Kafka (503 with ``Retry-After`` if not) →
200. Error bodies are one JSON object ``{"error": "..."}``: never a stack trace.

Nothing from a request's body, headers or a secret is ever logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import structlog
from aiohttp import web

from workers.gateway.bearer import InvalidItems, authorized, parse_events
from workers.gateway.core import BadBody, Ignored, Mapped, Result, Topic, event_key
from workers.gateway.providers import JSON_LIMIT, Provider, bearer_tokens, providers
from workers.gateway.publisher import Publisher, Record, RecordTooLarge, Unavailable
from workers.metrics import Metrics
from workers.protocol import WorkerContext
from workers.topics import Topics

log = structlog.get_logger("leadflow.gateway")

#: How long a client may take to send its body.
BODY_TIMEOUT_S = 10.0
#: How long the server keeps reading (and discarding) a refused body so that the client can
#: read the answer before the connection closes (aiohttp's default is 10 s).
LINGER_S = 2.0
#: How long an idle keep-alive connection stays open.
KEEPALIVE_TIMEOUT_S = 30.0
#: How long Kafka may take to acknowledge a request's events before the answer is 503.
PUBLISH_TIMEOUT_S = 5.0
#: ``Retry-After`` of a 503, in seconds.
RETRY_AFTER_S = 5
#: Bodies larger than this are parsed and mapped in a thread (raw mail can take a second),
#: so that the event loop keeps serving other requests meanwhile.
THREAD_ABOVE_BYTES = 256 * 1024
#: How long in-flight requests may finish after a stop.
SHUTDOWN_TIMEOUT_S = 10.0
_BEAT_S = 1.0


class TooLarge(Exception):
    """The body is over the route's size limit."""


@dataclass(frozen=True, slots=True)
class Answer:
    """What a route answers, and the outcome it is counted under."""

    status: int
    outcome: str
    body: dict[str, Any]
    headers: Mapping[str, str] = field(default_factory=dict)
    close: bool = False


_NOT_FOUND = Answer(404, "not_found", {"error": "not found"})
_UNAUTHORIZED = Answer(401, "unauthorized", {"error": "unauthorized"})
_TOO_LARGE = Answer(413, "too_large", {"error": "body over the size limit"}, close=True)
_TIMEOUT = Answer(408, "timeout", {"error": "body not received in time"}, close=True)
_UNAVAILABLE = Answer(
    503,
    "unavailable",
    {"error": "events cannot be stored now: retry later"},
    headers={"Retry-After": str(RETRY_AFTER_S)},
)


def _bad(reason: str) -> Answer:
    return Answer(400, "bad_request", {"error": reason})


async def read_body(request: web.Request, limit: int, timeout_s: float) -> bytes:
    """The body, read in chunks; TooLarge as soon as it passes ``limit`` (before reading it
    when Content-Length says so), TimeoutError when it takes longer than ``timeout_s``."""
    declared = request.content_length
    if declared is not None and declared > limit:
        raise TooLarge
    encoded = request.headers.get("Content-Encoding", "identity").lower() != "identity"
    async with asyncio.timeout(timeout_s):
        if declared is not None and not encoded:  # exactly the declared bytes, no more
            return await request.content.readexactly(declared)
        # chunked, or compressed (aiohttp decompresses: the limit counts what comes out)
        return await _read_chunks(request, limit)


async def _read_chunks(request: web.Request, limit: int) -> bytes:
    """A body of unknown length, counted chunk by chunk."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_any():
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


@web.middleware
async def _json_errors(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """aiohttp's own answers (unknown path 404, wrong method 405) as JSON like ours."""
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status < 400:  # noqa: PLR2004
            raise
        allow = {k: v for k, v in error.headers.items() if k.lower() == "allow"}
        body = {"error": str(error.reason).lower()}
        return web.json_response(body, status=error.status, headers=allow)


def _map(
    provider: Provider, headers: Mapping[str, str], body: bytes, now: datetime
) -> list[Result]:
    return provider.map(provider.parse(headers, body, now))


class Gateway:
    """The routes, their secrets and the publisher; ``app()`` builds the aiohttp application."""

    def __init__(
        self,
        *,
        providers: Mapping[str, Provider],
        tokens: Sequence[str],
        topics: Topics,
        publisher: Publisher,
        metrics: Metrics,
        body_timeout_s: float = BODY_TIMEOUT_S,
    ) -> None:
        self._providers = providers
        self._tokens = list(tokens)
        self._topics = {
            Topic.REPLIES: topics.replies,
            Topic.CLICKS: topics.clicks,
            Topic.BOOKINGS: topics.bookings,
        }
        self._publisher = publisher
        self._metrics = metrics
        self._body_timeout_s = body_timeout_s
        #: Labelled metric children, looked up once (``labels()`` costs microseconds a call).
        self._children: dict[tuple[str, ...], Any] = {}

    def _child(self, metric: Any, *labels: str) -> Any:
        key = (str(id(metric)), *labels)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = metric.labels(*labels)
        return child

    def app(self) -> web.Application:
        app = web.Application(middlewares=[_json_errors])
        webhook = self._counted("webhook", self._webhook)
        app.router.add_post("/v1/webhooks/{provider}", webhook)
        # Mailgun posts the raw MIME of inbound mail only to a URL ending in "mime".
        app.router.add_post("/v1/webhooks/{provider:mailgun}/mime", webhook)
        app.router.add_post("/v1/events/{kind}", self._counted("events", self._events))
        return app

    def _counted(
        self, family: str, handler: Callable[[web.Request], Awaitable[tuple[str, Answer]]]
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handle(request: web.Request) -> web.Response:
            started = time.perf_counter()
            route, answer = await self._safely(family, handler, request)
            self._child(self._metrics.gateway_requests, route, answer.outcome).inc()
            self._child(self._metrics.gateway_request_seconds, route).observe(
                time.perf_counter() - started
            )
            response = web.json_response(answer.body, status=answer.status, headers=answer.headers)
            if answer.close:
                response.force_close()
            return response

        return handle

    async def _safely(
        self,
        family: str,
        handler: Callable[[web.Request], Awaitable[tuple[str, Answer]]],
        request: web.Request,
    ) -> tuple[str, Answer]:
        try:
            return await handler(request)
        except Exception as error:  # a bug: answer 500 without internals, log without data
            # no traceback: exception messages may quote the request's data
            log.error("gateway request failed", route=family, error_type=type(error).__name__)  # noqa: TRY400
            return family, Answer(500, "error", {"error": "internal error"})

    async def _webhook(self, request: web.Request) -> tuple[str, Answer]:
        name = request.match_info["provider"]
        provider = self._providers.get(name)
        if provider is None or provider.secret is None:
            return "webhook", _NOT_FOUND
        route = f"webhook/{name}"
        limit = provider.limit(request.headers.get("Content-Type", ""))
        body = await self._body(request, limit)
        if isinstance(body, Answer):
            return route, body
        now = datetime.now(UTC)
        if not provider.verify(request.headers, body, provider.secret, now):
            self._child(self._metrics.gateway_signature_failures, route).inc()
            log.warning("gateway signature refused", route=route)
            return route, _UNAUTHORIZED
        try:
            if len(body) > THREAD_ABOVE_BYTES:
                results = await asyncio.to_thread(_map, provider, request.headers, body, now)
            else:
                results = _map(provider, request.headers, body, now)
        except BadBody as error:
            return route, _bad(str(error))
        except ValueError as error:  # an event our schemas refuse: a body we cannot read
            return route, _bad(f"the provider event cannot be read ({type(error).__name__})")
        return route, await self._publish(route, results)

    async def _events(self, request: web.Request) -> tuple[str, Answer]:
        kind = request.match_info["kind"]
        if not self._tokens or kind not in {t.value for t in Topic}:
            return "events", _NOT_FOUND
        route = f"events/{kind}"
        if not authorized(request.headers, self._tokens):
            self._child(self._metrics.gateway_signature_failures, route).inc()
            return route, _UNAUTHORIZED
        body = await self._body(request, JSON_LIMIT)
        if isinstance(body, Answer):
            return route, body
        try:
            mapped = parse_events(Topic(kind), body)
        except InvalidItems as error:
            items = [{"index": e.index, "reason": e.reason} for e in error.errors]
            answer = {"error": "invalid events: none was published", "items": items}
            return route, Answer(400, "bad_request", answer)
        except BadBody as error:
            return route, _bad(str(error))
        return route, await self._publish(route, list(mapped))

    async def _body(self, request: web.Request, limit: int) -> bytes | Answer:
        try:
            return await read_body(request, limit, self._body_timeout_s)
        except TooLarge:
            return _TOO_LARGE
        except TimeoutError:
            return _TIMEOUT
        except asyncio.IncompleteReadError:
            return _bad("the body is shorter than its Content-Length")

    async def _publish(self, route: str, results: Sequence[Result]) -> Answer:
        mapped = [r for r in results if isinstance(r, Mapped)]
        ignored = [r for r in results if isinstance(r, Ignored)]
        records = [
            Record(
                topic=self._topics[m.topic],
                key=event_key(m),
                value=m.event.model_dump_json(exclude_none=True).encode(),
            )
            for m in mapped
        ]
        if records:
            try:
                await self._publisher.publish(records)
            except Unavailable as error:
                log.warning("gateway cannot publish", route=route, reason=str(error))
                return _UNAVAILABLE
            except RecordTooLarge:
                return Answer(413, "too_large", {"error": "an event is larger than a record"})
        for m in mapped:
            self._child(self._metrics.gateway_published, m.topic.value).inc()
        for item in ignored:
            self._child(self._metrics.gateway_ignored, route, item.reason.value).inc()
        outcome = "published" if mapped else "ignored"
        return Answer(200, outcome, {"published": len(mapped), "ignored": len(ignored)})


class GatewayWorker:
    """The gateway as one of the fleet's workers: HTTP server, producer, health."""

    name = "gateway"

    def __init__(
        self,
        context: WorkerContext,
        *,
        publish_timeout_s: float = PUBLISH_TIMEOUT_S,
        body_timeout_s: float = BODY_TIMEOUT_S,
    ) -> None:
        self.settings = context.settings
        self.metrics = context.metrics
        self.health = context.health
        self.publish_timeout_s = publish_timeout_s
        self.body_timeout_s = body_timeout_s
        #: Set once the HTTP server listens; ``port`` is then the bound port.
        self.listening = asyncio.Event()
        self.port = 0

    async def run(self, stop: asyncio.Event) -> None:
        """Serve until ``stop``; then stop accepting, let requests finish, stop the producer."""
        publisher = Publisher(self.settings, timeout_s=self.publish_timeout_s)
        gateway = Gateway(
            providers=providers(self.settings),
            tokens=bearer_tokens(self.settings),
            topics=Topics(self.settings.topic_prefix),
            publisher=publisher,
            metrics=self.metrics,
            body_timeout_s=self.body_timeout_s,
        )
        runner = web.AppRunner(
            gateway.app(),
            access_log=None,
            keepalive_timeout=KEEPALIVE_TIMEOUT_S,
            lingering_time=LINGER_S,
            shutdown_timeout=SHUTDOWN_TIMEOUT_S,
        )
        await runner.setup()
        site = web.TCPSite(runner, "0.0.0.0", self.settings.gateway_port, backlog=1024)  # noqa: S104
        self.health.set_ready(False, "connecting to kafka")
        starter = asyncio.create_task(publisher.keep_started(stop, self.health))
        try:
            await site.start()
            self.port = int(runner.addresses[0][1])
            self.listening.set()
            log.info("gateway listening", port=self.port)
            await self._beat_until(stop)
        finally:
            starter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await starter
            await runner.cleanup()
            await publisher.close()
            self.health.set_ready(False, "stopped")
            log.info("gateway stopped")

    async def _beat_until(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.health.beat()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), _BEAT_S)


def gateway_factory(context: WorkerContext) -> GatewayWorker:
    """The runtime's factory of the gateway worker."""
    return GatewayWorker(context)
