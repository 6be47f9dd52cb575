"""Limits in front of the app and on the RDF it reads: what a public endpoint needs to stay up.

HTTP (an ASGI middleware, `RequestLimits`, in front of every route; one per HTTP worker process):
- URL: a request line longer than `max_url_bytes` gets 414 before any parsing;
- body: a request body larger than `max_body_bytes` gets 413, whether it declares its length or is chunked
  (bodies are read up to the limit, then handed to the app);
- concurrency: at most `max_concurrent` requests to the costly paths (/sparql, /queries, /eligibility) are
  in the app at once; up to `max_queue` more wait (first come, first served) for `queue_timeout` seconds;
  beyond that, or after that wait, the answer is 503 with `Retry-After` (the client should come back later,
  the server keeps its memory and sockets for the requests it accepted);
- its 503 carries `Retry-After`, as the engine's do (sparql/router.error_response: "every query thread stayed
  busy", a remote store that does not answer).

The limits on RDF files read at start-up are in `rdf_input.py`. See docs/reliability.md (limits, their defaults and why) and docs/security.md (threats and tests).
"""

from __future__ import annotations

import asyncio
import json
import math

COSTLY_PREFIXES = ("/sparql", "/queries", "/eligibility")


class Limiter:
    """A counting gate with a bounded FIFO queue (one per app; used from the event loop only)."""

    def __init__(self, max_concurrent: int = 64, max_queue: int = 256, queue_timeout: float = 5.0,
                 retry_after: int = 5):
        self.max_concurrent = max(1, max_concurrent)
        self.max_queue = max(0, max_queue)
        self.queue_timeout = queue_timeout
        self.retry_after = max(1, int(math.ceil(retry_after)))
        self.active = self.waiting = 0
        self._slots: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def acquire(self) -> bool:
        """True when admitted (call `release` after); False when the client should get 503."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a semaphore waits in one event loop (each forked worker runs its own)
            self._slots, self._loop = asyncio.Semaphore(self.max_concurrent), loop
        if self._slots.locked():  # taken, or others wait: join the queue (asyncio's semaphore is FIFO)
            if self.waiting >= self.max_queue:
                return False
            self.waiting += 1
            try:
                async with asyncio.timeout(self.queue_timeout):
                    await self._slots.acquire()  # a cancelled wait gives back a slot it was just handed
            except TimeoutError:
                return False
            finally:
                self.waiting -= 1
        else:
            await self._slots.acquire()  # a free slot: at once
        self.active += 1
        return True

    def release(self) -> None:
        self.active -= 1
        self._slots.release()


def plain_reply(status: int, kind: str, message: str, accept: bytes, extra: list | None = None):
    """A refusal's status, headers and body: JSON when the client accepts it, else one line of text."""
    if b"json" in accept:
        body = json.dumps({"error": kind, "status": status, "message": message}).encode()
        media = b"application/json"
    else:
        body = f"{status} {kind}: {message}\n".encode()
        media = b"text/plain; charset=utf-8"
    headers = [(b"content-type", media), (b"content-length", str(len(body)).encode())] + (extra or [])
    return status, headers, body


class RequestLimits:
    """ASGI middleware: URL and body size, concurrency with a bounded queue (503 with Retry-After)."""

    def __init__(self, app, limiter: Limiter, max_body_bytes: int = 1 << 20, max_url_bytes: int = 65_535):
        self.app = app
        self.limiter = limiter
        self.max_body_bytes = max_body_bytes
        self.max_url_bytes = max_url_bytes
        self.too_large = f"the request body is larger than {max_body_bytes} bytes (the limit)"

    async def _reply(self, scope, send, status: int, kind: str, message: str, extra=None) -> None:
        accept = next((value for name, value in scope["headers"] if name == b"accept"), b"")
        status, headers, body = plain_reply(status, kind, message, accept, extra)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if len(scope.get("raw_path") or b"") + len(scope["query_string"]) > self.max_url_bytes:
            return await self._reply(scope, send, 414, "uri-too-long",
                                     f"the URL is longer than {self.max_url_bytes} bytes (the limit); "
                                     "POST the query instead")
        declared, chunked = None, False
        for name, value in scope["headers"]:
            if name == b"content-length":
                declared = value
            elif name == b"transfer-encoding":
                chunked = True
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body_bytes):
            return await self._reply(scope, send, 413, "body-too-large", self.too_large)
        if chunked or declared not in (None, b"0"):
            body, complete = bytearray(), False
            while not complete:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                body += message.get("body", b"")
                complete = not message.get("more_body", False)
                if len(body) > self.max_body_bytes:
                    return await self._reply(scope, send, 413, "body-too-large", self.too_large)
            replayed, upstream = False, receive

            async def receive():  # the app reads the body we already have, then waits for a disconnect
                nonlocal replayed
                if replayed:
                    return await upstream()
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}

        if not scope["path"].startswith(COSTLY_PREFIXES):
            return await self.app(scope, receive, send)
        if not await self.limiter.acquire():
            return await self._reply(scope, send, 503, "busy",
                                     f"the server is answering {self.limiter.max_concurrent} requests and "
                                     f"{self.limiter.waiting} more are waiting (the limits); "
                                     f"try again in {self.limiter.retry_after} s",
                                     [(b"retry-after", str(self.limiter.retry_after).encode())])
        try:
            await self.app(scope, receive, send)
        finally:
            self.limiter.release()


def install_limits(app, settings) -> Limiter:
    """Add `RequestLimits` in front of the middlewares added so far, from `settings`; returns its Limiter."""
    limiter = Limiter(settings.max_concurrent, settings.max_queue, settings.queue_timeout, settings.retry_after)
    app.add_middleware(RequestLimits, limiter=limiter, max_body_bytes=settings.max_body_bytes,
                       max_url_bytes=settings.max_url_bytes)
    return limiter
