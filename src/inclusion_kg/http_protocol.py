"""uvicorn's HTTP protocol (httptools), with a 414 and a message for a URL the parser cannot read.

httptools' URL parser reads request targets of at most 65,535 bytes; uvicorn answers a longer one with a bare
"400 Invalid HTTP request received." before any app code runs. A long GET query is the usual cause, so this
answers it as `limits.RequestLimits` answers a URL over `max_url_bytes`: 414, and "POST the query instead",
in JSON when the client accepts JSON.
"""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from inclusion_kg.limits import plain_reply

PARSER_URL_LIMIT = 65_535  # bytes of a request target httptools.parse_url accepts


class LongUrlProtocol(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        if len(self.url) <= PARSER_URL_LIMIT:
            return super().send_400_response(msg)
        accept = next((value for name, value in self.headers if name == b"accept"), b"")
        status, headers, body = plain_reply(414, "uri-too-long", f"the URL is longer than {PARSER_URL_LIMIT} bytes "
                                            "(the limit); POST the query instead", accept)  # fmt: skip
        lines = [b"HTTP/1.1 414 URI Too Long\r\n"]
        lines += [name + b": " + value + b"\r\n" for name, value in self.server_state.default_headers + headers]
        lines += [b"connection: close\r\n", b"\r\n", body]
        self.transport.write(b"".join(lines))
        self.transport.close()
