"""The ASGI fast path of /sparql: cached answers replayed without routing, the rest dispatched directly.

The dataset never changes while serving, so a 200 answer that carries an ETag (deterministic queries only)
is the same for every request with the same query string, Accept header and Origin-or-not. Such responses
are kept (bounded LRU) and replayed straight from the ASGI layer: by `ReplayFront`, the first callable
`serve` gives uvicorn, for plain GETs, and by `FastPath` inside the app's stack for the others. Other
GET/HEAD/POST/OPTIONS requests to /sparql go straight to the handlers of `router.py` behind the same CORS
policy, skipping the route table and dependency solving of FastAPI (which walks every route of the app);
other methods and paths go to the app.
"""

from __future__ import annotations

from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request

from inclusion_kg.errors import SparqlError
from inclusion_kg.sparql.engine import AnswerCache
from inclusion_kg.sparql.router import error_response, sparql_get, sparql_post

CORS_OPTIONS = {  # one CORS policy for the app and for this fast path: browser notebooks may query us
    "allow_origins": ["*"],
    "allow_methods": ["GET", "HEAD", "POST", "OPTIONS"],
    "allow_headers": ["*"],
    "expose_headers": ["ETag", "Content-Type"],
    "max_age": 3600,
}
DIRECT_METHODS = ("GET", "HEAD", "POST", "OPTIONS")
DOWN_THE_STACK = (b"origin", b"if-none-match")  # CORS and revalidation: the stack's own middlewares


def plain_get_key(scope, path: str = "/sparql") -> tuple | None:
    """The replay key of a plain `GET /sparql?...` (query string, Accept, no Origin), or None for any other
    request: one with an Origin (CORS headers) or If-None-Match (a 304) is answered by the stack."""
    if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != path or not scope["query_string"]:
        return None
    accept = b""
    for name, value in scope["headers"]:
        if name == b"accept":
            accept = value
        elif name in DOWN_THE_STACK:
            return None
    return (scope["query_string"], accept, False)


async def replay(cache: AnswerCache, key: tuple, send) -> bool:
    """Send the kept answer for `key`; False when there is none."""
    hit = cache.get(key)
    if hit is None:
        return False
    headers, body = hit
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
    return True


class ReplayFront:
    """uvicorn's first callable: a kept /sparql answer is replayed before anything else runs (the reload
    wrapper, FastAPI's own middlewares, the limits: a replay does no work worth gating); the rest goes on to
    `app`. `cache_of()` gives the cache of the dataset being served (it changes on reload)."""

    def __init__(self, app, cache_of):
        self.app = app
        self.cache_of = cache_of

    async def __call__(self, scope, receive, send):
        if (key := plain_get_key(scope)) is not None and await replay(self.cache_of(), key, send):
            return
        await self.app(scope, receive, send)


async def _sparql(scope, receive, send) -> None:
    request = Request(scope, receive)
    try:
        response = await (sparql_post(request) if scope["method"] == "POST" else sparql_get(request))
    except SparqlError as error:
        response = error_response(request, error)
    await response(scope, receive, send)


class FastPath:
    def __init__(self, app, cache: AnswerCache, path: str = "/sparql"):
        self.app = app
        self.path = path
        self.cache = cache
        self.direct = CORSMiddleware(_sparql, **CORS_OPTIONS)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] != self.path or scope["method"] not in DIRECT_METHODS:
            return await self.app(scope, receive, send)
        if scope["method"] != "GET" or not scope["query_string"]:
            return await self.direct(scope, receive, send)
        accept = b""
        origin = False
        for name, value in scope["headers"]:
            if name == b"accept":
                accept = value
            elif name == b"origin":
                origin = True
            elif name == b"if-none-match":
                return await self.direct(scope, receive, send)
        key = (scope["query_string"], accept, origin)
        if await replay(self.cache, key, send):
            return
        start: dict = {}
        chunks: list[bytes] = []

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and start.get("status") == 200:
                    headers = list(start.get("headers", []))
                    if any(name.lower() == b"etag" for name, _ in headers):
                        body = b"".join(chunks)
                        self.cache.put(key, (headers, body), len(body) + len(key[0]))
            await send(message)

        await self.direct(scope, receive, capture)
