"""uvicorn's HTTP protocol (httptools), with two changes for every route.

- One write per response: uvicorn writes a response's head and its body separately, so every answer costs
  two socket writes and two TCP segments (the connection has TCP_NODELAY), and the client reads both. The
  protocol's transport gathers what is written during one turn of the event loop and writes it at the end
  of that turn: a head and its body go out together, a streamed body still goes out chunk by chunk.
- uvicorn answers a request httptools cannot parse with a bare "400 Invalid HTTP request received." before
  any app code runs. This says what to do instead, in JSON when the client accepts JSON: for a URL over the
  65,535 bytes httptools' URL parser reads, 414 and "POST the query instead" (as `limits.RequestLimits`
  answers a URL over `max_url_bytes`); otherwise 400, and how to percent-encode a query (a query pasted into
  a URL with its spaces is the usual cause).
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from inclusion_kg.limits import plain_reply

PARSER_URL_LIMIT = 65_535  # bytes of a request target httptools.parse_url accepts
# The usual cause of a request the parser refuses is a query pasted into a URL as it is.
NOT_HTTP = ("the request is not valid HTTP/1.1: a URL cannot hold spaces or raw non-ASCII characters; "
            "percent-encode the query (curl -G --data-urlencode 'query=...') or POST it as application/sparql-query")


class GatheringTransport:
    """A transport whose writes of one event-loop turn reach the socket as one write."""

    __slots__ = ("_transport", "_loop", "_pending")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop):
        self._transport, self._loop, self._pending = transport, loop, []

    def write(self, data: bytes) -> None:
        if not self._pending:
            self._loop.call_soon(self._flush)
        self._pending.append(data)

    def _flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            if not self._transport.is_closing():
                self._transport.write(data)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def __getattr__(self, name: str):  # everything else is the socket transport's
        return getattr(self._transport, name)


class HttpProtocol(HttpToolsProtocol):
    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)
        self.transport = GatheringTransport(transport, self.loop)

    def send_400_response(self, msg: str) -> None:
        accept = next((value for name, value in self.headers if name == b"accept"), b"")
        if len(self.url) > PARSER_URL_LIMIT:
            status, headers, body = plain_reply(414, "uri-too-long", f"the URL is longer than {PARSER_URL_LIMIT} "
                                                "bytes (the limit); POST the query instead", accept)  # fmt: skip
        else:
            status, headers, body = plain_reply(400, "bad-request", NOT_HTTP, accept)
        lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n".encode()]
        lines += [name + b": " + value + b"\r\n" for name, value in self.server_state.default_headers + headers]
        lines += [b"connection: close\r\n", b"\r\n", body]
        self.transport.write(b"".join(lines))
        self.transport.close()
