"""The errors of the SPARQL layer, each with the HTTP status it is answered with.

Every class carries a human message; `create_app` installs one handler that turns any `SparqlError`
into a JSON or plain-text body (by Accept), so no 4xx goes out without saying what was wrong.
"""

from __future__ import annotations


class SparqlError(Exception):
    """Base class: `status` is the HTTP status, `message` what the client is told."""

    status: int = 400
    kind: str = "bad-request"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict:
        return {"error": self.kind, "status": self.status, "message": self.message}


class BadRequestError(SparqlError):
    """A malformed protocol request: no query, two queries, a body that is not UTF-8, ..."""

    status = 400
    kind = "bad-request"


class QuerySyntaxError(SparqlError):
    """The query does not parse; `position` is "line:column" when the parser gives one."""

    status = 400
    kind = "query-syntax"

    def __init__(self, message: str, position: str | None = None):
        super().__init__(message)
        self.position = position

    def to_dict(self) -> dict:
        return {**super().to_dict(), "position": self.position}


class ForbiddenQueryError(SparqlError):
    """The query asks for something this read-only, offline endpoint never does (SERVICE, LOAD)."""

    status = 403
    kind = "forbidden"


class UpdateNotAllowedError(ForbiddenQueryError):
    """A SPARQL Update: the endpoint is read-only."""

    kind = "read-only"


class NotAcceptableError(SparqlError):
    status = 406
    kind = "not-acceptable"


class QueryTooLargeError(SparqlError):
    status = 413
    kind = "query-too-large"


class UnsupportedMediaTypeError(SparqlError):
    status = 415
    kind = "unsupported-media-type"


class TooManyResultsError(SparqlError):
    """The result has more rows (or triples) than the configured maximum."""

    status = 422
    kind = "too-many-results"


class ServiceBusyError(SparqlError):
    """Every query worker stayed busy past the deadline; try again."""

    status = 503
    kind = "busy"


class QueryTimeoutError(SparqlError):
    """The query ran past the time limit and was stopped."""

    status = 504
    kind = "timeout"


class EngineError(SparqlError):
    """The query engine failed (a worker died, the store could not be read)."""

    status = 500
    kind = "engine-error"
