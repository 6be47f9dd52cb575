"""The plain SPARQL GET, answered in front of the app's middleware stack.

Most clients send `GET /sparql?query=...` with an Accept header and nothing else. Under load, a query the
cache has not seen kept the HTTP event loop busy for about 480 µs per request, most of it in the generic
layers (Starlette's and FastAPI's middlewares, the limits, CORS, Request and Response objects, the route
handler), not in the query, which runs in a worker process (docs/benchmarks.md). `PlainGet` answers that
request directly, with the same rules and the same parts: the URL limit and the concurrency gate of
`limits.py`, the engine (every safety rule, its cache and its worker pool), content negotiation, the
replayed-answer cache of `fastpath.py` and the same response headers.

Anything else goes down the stack as before: another method or parameter, an Origin (CORS), If-None-Match,
an HTML page for a browser, no free slot at the gate (the stack queues the request), and a refused query (the
stack reads it again and gives the same 4xx). An error once the query ran is answered here, as the stack
would answer it.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from inclusion_kg.errors import SparqlError
from inclusion_kg.sparql import formats
from inclusion_kg.sparql.fastpath import plain_get_key, replay
from inclusion_kg.sparql.negotiation import cache_headers, choose_media_type
from inclusion_kg.sparql.router import error_response

PLAIN_PARAMETERS = {"query", "format", "default-graph-uri", "named-graph-uri"}


class PlainGet:
    """ASGI middleware, the app's outermost: answers the plain GET, passes everything else on."""

    def __init__(self, app, path: str = "/sparql"):
        self.app = app
        self.path = path

    async def __call__(self, scope, receive, send):
        key = plain_get_key(scope, self.path)
        if key is None or not await self._answered(scope, receive, send, key):
            await self.app(scope, receive, send)

    async def _answered(self, scope, receive, send, key: tuple) -> bool:
        """True once the answer is sent; False (nothing sent, nothing read) to let the stack answer."""
        query_string, accept, _ = key
        state = scope["app"].state  # the app of this dataset (Starlette puts it in the scope)
        if len(scope.get("raw_path") or b"") + len(query_string) > state.settings.max_url_bytes:
            return False
        if await replay(state.response_cache, key, send):
            return True
        pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)  # as Starlette reads it
        names = [name for name, _ in pairs]
        if not set(names) <= PLAIN_PARAMETERS or names.count("query") != 1 or names.count("format") > 1:
            return False
        query = next(value for name, value in pairs if name == "query")
        fmt = next((value for name, value in pairs if name == "format"), None)
        graphs = {"default_graph_uris": [v for n, v in pairs if n == "default-graph-uri"],
                  "named_graph_uris": [v for n, v in pairs if n == "named-graph-uri"]}  # fmt: skip
        engine = state.engine
        try:
            info = engine.analyze(query)
            media_type = choose_media_type(accept.decode("latin-1") or None, info.form, fmt)
        except SparqlError:
            return False  # the stack refuses it again, with its error page
        if media_type == formats.HTML or not state.limiter.try_acquire():
            return False
        etag = None
        try:
            etag = engine.etag(query, media_type, analysis=info, **graphs)
            body = engine.cached(query, media_type, analysis=info, **graphs)
            if body is None:
                body = await engine.execute_async(query, media_type, analysis=info, **graphs)
            # The stack's CORS middleware adds `Vary: Origin` (an answer with an Origin has CORS headers).
            headers = {**cache_headers(etag), "Vary": "Accept, Origin"}
            response = Response(body, media_type=formats.CONTENT_TYPES.get(media_type, media_type), headers=headers)
        except SparqlError as error:
            response = error_response(Request(scope, receive), error)
            if response.status_code == 503 and "retry-after" not in response.headers:
                response.headers["Retry-After"] = str(state.limiter.retry_after)  # as RequestLimits adds it
        finally:
            state.limiter.release()
        if response.status_code == 200 and etag:
            state.response_cache.put(key, (response.raw_headers, response.body), len(response.body) + len(key[0]))
        await response(scope, receive, send)
        return True
