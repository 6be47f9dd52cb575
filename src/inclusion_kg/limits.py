"""Limits in front of the app and on the RDF it reads: what a public endpoint needs to stay up.

HTTP (an ASGI middleware, `RequestLimits`, outermost, so it also guards the /sparql fast path):
- URL: a request line longer than `max_url_bytes` gets 414 before any parsing;
- body: a request body larger than `max_body_bytes` gets 413, whether it declares its length or is chunked
  (bodies are read up to the limit, then handed to the app);
- concurrency: at most `max_concurrent` requests to the costly paths (/sparql, /queries, /eligibility) are
  in the app at once; up to `max_queue` more wait (first come, first served) for `queue_timeout` seconds;
  beyond that, or after that wait, the answer is 503 with `Retry-After` (the client should come back later,
  the server keeps its memory and sockets for the requests it accepted);
- every 503 (also the engine's "every query worker stayed busy") carries `Retry-After`.

RDF files (`serve --data`, `validate`): `check_rdf_bytes` refuses, before a parser sees them,
- RDF/XML whose DTD declares external or parameter entities, or internal entities whose expansion would be
  larger than the file allows (billion laughs: the parsers expand entities in memory, and pyoxigraph's
  RDF/XML parser aborts the whole process when the allocation fails);
- JSON-LD nested deeper than `MAX_JSON_DEPTH` (pyoxigraph's JSON-LD parser exhausts memory on a 10 000-deep
  document).
See docs/reliability.md (limits, their defaults and why) and docs/security.md (threats and tests).
"""

from __future__ import annotations

import asyncio
import json
import math
import re
from collections import deque
from dataclasses import dataclass

COSTLY_PREFIXES = ("/sparql", "/queries", "/eligibility")
MAX_JSON_DEPTH = 100
MAX_ENTITY_EXPANSION = 1 << 20  # bytes all entity references of an RDF/XML file may expand to, in total


@dataclass
class LimitStats:
    """Counters, for /health-style reporting and for tests."""

    admitted: int = 0
    queued: int = 0
    rejected_busy: int = 0
    rejected_body: int = 0
    rejected_url: int = 0


class Limiter:
    """A counting gate with a bounded FIFO queue (one per app; used from the event loop only)."""

    def __init__(self, max_concurrent: int = 64, max_queue: int = 256, queue_timeout: float = 5.0,
                 retry_after: int = 5):
        self.max_concurrent = max(1, max_concurrent)
        self.max_queue = max(0, max_queue)
        self.queue_timeout = queue_timeout
        self.retry_after = max(1, int(math.ceil(retry_after)))
        self.active = 0
        self._waiters: deque[asyncio.Future] = deque()
        self.stats = LimitStats()

    async def acquire(self) -> bool:
        """True when admitted (call `release` after); False when the client should get 503."""
        if self.active < self.max_concurrent and not self._waiters:
            self.active += 1
            self.stats.admitted += 1
            return True
        if len(self._waiters) >= self.max_queue:
            self.stats.rejected_busy += 1
            return False
        future = asyncio.get_running_loop().create_future()
        self._waiters.append(future)
        self.stats.queued += 1
        try:
            await asyncio.wait_for(asyncio.shield(future), self.queue_timeout)
        except TimeoutError:
            if future.done() and not future.cancelled():  # admitted just as the wait ended: keep it
                self.stats.admitted += 1
                return True
            future.cancel()
            self._forget(future)
            self.stats.rejected_busy += 1
            return False
        except asyncio.CancelledError:  # the client went away while queued
            if future.done() and not future.cancelled():
                self.release()
            else:
                future.cancel()
                self._forget(future)
            raise
        self.stats.admitted += 1
        return True

    def _forget(self, future: asyncio.Future) -> None:
        try:
            self._waiters.remove(future)
        except ValueError:
            pass

    def release(self) -> None:
        """Hand the slot to the first live waiter, else free it."""
        while self._waiters:
            future = self._waiters.popleft()
            if not future.done():
                future.set_result(None)  # the slot passes on: `active` stays the same
                return
        self.active -= 1


def _plain(status: int, kind: str, message: str, accept: bytes, extra: list | None = None):
    if b"json" in accept:
        body = json.dumps({"error": kind, "status": status, "message": message}).encode()
        media = b"application/json"
    else:
        body = f"{status} {kind}: {message}\n".encode()
        media = b"text/plain; charset=utf-8"
    headers = [(b"content-type", media), (b"content-length", str(len(body)).encode())] + (extra or [])
    return status, headers, body


class RequestLimits:
    """ASGI middleware: URL and body size, concurrency with a bounded queue, Retry-After on every 503."""

    def __init__(self, app, limiter: Limiter, max_body_bytes: int = 1 << 20, max_url_bytes: int = 400_000):
        self.app = app
        self.limiter = limiter
        self.max_body_bytes = max_body_bytes
        self.max_url_bytes = max_url_bytes

    async def _reply(self, send, status: int, kind: str, message: str, accept: bytes, extra=None) -> None:
        status, headers, body = _plain(status, kind, message, accept, extra)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = scope.get("headers", [])
        accept = next((value for name, value in headers if name == b"accept"), b"")
        retry = [(b"retry-after", str(self.limiter.retry_after).encode())]
        if len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"") > self.max_url_bytes:
            self.limiter.stats.rejected_url += 1
            return await self._reply(send, 414, "uri-too-long",
                                     f"the URL is longer than {self.max_url_bytes} bytes (the limit); "
                                     "POST the query instead", accept)
        declared = next((value for name, value in headers if name == b"content-length"), None)
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body_bytes):
            self.limiter.stats.rejected_body += 1
            return await self._reply(send, 413, "body-too-large",
                                     f"the request body is larger than {self.max_body_bytes} bytes (the limit)",
                                     accept)
        has_body = declared not in (None, b"0") or any(name == b"transfer-encoding" for name, _ in headers)
        if has_body:
            body, complete = bytearray(), False
            while not complete:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                body += message.get("body", b"")
                complete = not message.get("more_body", False)
                if len(body) > self.max_body_bytes:
                    self.limiter.stats.rejected_body += 1
                    return await self._reply(send, 413, "body-too-large",
                                             f"the request body is larger than {self.max_body_bytes} bytes "
                                             "(the limit)", accept)
            replayed, upstream = False, receive

            async def receive():  # the app reads the body we already have, then waits for a disconnect
                nonlocal replayed
                if replayed:
                    return await upstream()
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}

        async def send_with_retry(message):
            if message["type"] == "http.response.start" and message["status"] == 503:
                if not any(name.lower() == b"retry-after" for name, _ in message.get("headers", [])):
                    message = {**message, "headers": list(message.get("headers", [])) + retry}
            await send(message)

        costly = scope["path"].startswith(COSTLY_PREFIXES)
        if not costly:
            return await self.app(scope, receive, send_with_retry)
        if not await self.limiter.acquire():
            return await self._reply(send, 503, "busy",
                                     f"the server is answering {self.limiter.max_concurrent} requests and "
                                     f"{len(self.limiter._waiters)} more are waiting (the limits); "
                                     f"try again in {self.limiter.retry_after} s", accept, retry)
        try:
            await self.app(scope, receive, send_with_retry)
        finally:
            self.limiter.release()


# -- RDF input guards ------------------------------------------------------------------------------------
_DOCTYPE = re.compile(rb"<!DOCTYPE\s[^\[>]*\[(?P<subset>.*?)\]\s*>", re.DOTALL)
_ENTITY = re.compile(rb"<!ENTITY\s+(?P<pe>%\s+)?(?P<name>[^\s\"']+)\s+(?P<rest>[^>]*)>", re.DOTALL)
_VALUE = re.compile(rb"^\s*(\"[^\"]*\"|'[^']*')\s*$", re.DOTALL)
_REF = re.compile(rb"&([A-Za-z_][\w.\-]*);")


class UnsafeRdfError(ValueError):
    """RDF input refused before parsing; the message says why."""


def check_rdfxml(data: bytes, max_expansion: int = MAX_ENTITY_EXPANSION) -> None:
    """Refuse entity tricks in RDF/XML: external or parameter entities, and expansion past `max_expansion`.

    Internal entities used as namespace abbreviations (`<!ENTITY owl "http://www.w3.org/2002/07/owl#">`, as
    Protégé writes them) stay allowed; their total expansion is computed here, without expanding anything.
    """
    head = data[:4]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(head) == 4 and head[1] == 0 and head[3] == 0):
        raise UnsafeRdfError("RDF/XML in UTF-16 is not accepted; convert the file to UTF-8")
    if b"<!ENTITY" not in data:
        return
    match = _DOCTYPE.search(data)
    if not match:
        raise UnsafeRdfError("an <!ENTITY declaration outside a DOCTYPE internal subset")
    sizes: dict[bytes, int] = {}
    refs: dict[bytes, list[bytes]] = {}
    for entity in _ENTITY.finditer(match.group("subset")):
        name, rest = entity.group("name"), entity.group("rest")
        if entity.group("pe"):
            raise UnsafeRdfError(f"parameter entity %{name.decode(errors='replace')} is not accepted")
        value = _VALUE.match(rest)
        if not value:  # SYSTEM / PUBLIC: would read a file or the network
            raise UnsafeRdfError(f"external entity {name.decode(errors='replace')} (SYSTEM or PUBLIC) is not accepted")
        text = value.group(1)[1:-1]
        sizes[name] = len(text)
        refs[name] = _REF.findall(text)
    expanded: dict[bytes, int] = {}

    def size(name: bytes, stack: tuple = ()) -> int:
        if name in expanded:
            return expanded[name]
        if name in stack:
            raise UnsafeRdfError(f"entity {name.decode(errors='replace')} refers to itself")
        total = sizes.get(name, 0) + sum(size(ref, stack + (name,)) for ref in refs.get(name, ()) if ref in sizes)
        expanded[name] = min(total, max_expansion + 1)
        return expanded[name]

    body = data[match.end():]
    total = 0
    for ref in _REF.findall(body):
        if ref in sizes:
            total += size(ref)
            if total > max_expansion:
                raise UnsafeRdfError(
                    f"its entities would expand to more than {max_expansion} bytes (an entity-expansion attack?)"
                )


def json_depth(data: bytes) -> int:
    """The deepest nesting of [ and { in a JSON text (strings skipped), without parsing it."""
    depth = deepest = 0
    for match in re.finditer(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', data):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in (b"]", b"}"):
            depth -= 1
    return deepest


def check_jsonld(data: bytes, max_depth: int = MAX_JSON_DEPTH) -> None:
    depth = json_depth(data)
    if depth > max_depth:
        raise UnsafeRdfError(f"the JSON-LD nests {depth} deep; more than {max_depth} is not accepted")


def check_rdf_bytes(data: bytes, kind: str) -> None:
    """`kind`: "rdfxml" or "jsonld" (other formats need no check). Raises UnsafeRdfError."""
    if kind == "rdfxml":
        check_rdfxml(data)
    elif kind == "jsonld":
        check_jsonld(data)


def install_limits(app, settings) -> Limiter:
    """Add `RequestLimits` as the outermost middleware of `app`, from `settings`; returns its Limiter."""
    limiter = Limiter(settings.max_concurrent, settings.max_queue, settings.queue_timeout, settings.retry_after)
    app.add_middleware(RequestLimits, limiter=limiter, max_body_bytes=settings.max_body_bytes,
                       max_url_bytes=settings.max_url_bytes)
    return limiter
