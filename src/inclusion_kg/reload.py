"""Reload the served data (SIGHUP to `inclusion-kg serve`), never half-published.

The supervisor (server.py) builds a whole new app from the sources: parse, SHACL and the check queries
(`load_graph`, or the kept verdict of the same content), then the store, the engine, the pages and the
eligibility look-ups. Only when all of that succeeded do new HTTP workers serve it: they are forked from the
new app, then the old workers retire (they stop accepting, finish their requests in flight and exit). The
answer cache and ETags belong to an app's engine, so they move to the new data version with it.

When the new data does not conform (or does not parse, or the remote store cannot serve it), the old app is
served on: fresh workers are forked from it whose /health says
`"reload": {"status": "failed", "at": ..., "message": ..., "nodes": [...]}` beside the unchanged
`data_version`; the next reload of good data recovers (`"status": "ok"`). See docs/reliability.md.

With `--store PATH` (Oxigraph on disk, rebuilt in place by every start) a reload is refused: the folder is
in use by the serving workers; restart the server instead.
"""

from __future__ import annotations

import logging
import signal
import threading
import time

from inclusion_kg.graph import InvalidDataError
from inclusion_kg.remote.location import is_remote
from inclusion_kg.settings import Settings

log = logging.getLogger("inclusion_kg.reload")
_early_sighup = threading.Event()


def defer_early_sighup() -> None:
    """Until the supervisor takes SIGHUP over, remember a SIGHUP instead of dying of it (its default action):
    a reload asked while the server starts runs once it has started."""
    try:
        signal.signal(signal.SIGHUP, lambda *_: _early_sighup.set())
    except (ValueError, AttributeError):  # not the main thread (tests), or no SIGHUP (Windows)
        pass


def early_sighup() -> bool:
    return _early_sighup.is_set()


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _failure(error: Exception) -> dict:
    if isinstance(error, InvalidDataError):
        violations = error.report.violations
        nodes = sorted({v.focus for v in violations if v.focus})
        first = violations[0] if violations else None
        message = (f"the new data does not conform to the shapes ({len(violations)} result(s)); "
                   f"still serving the previous data. First: {first.focus} {first.path}: {first.message}"
                   if first else "the new data does not conform to the shapes; still serving the previous data")
        return {"message": message, "nodes": nodes}
    text = getattr(error, "message", None) or str(error) or type(error).__name__
    return {"message": f"the new data cannot be served ({text}); still serving the previous data", "nodes": []}


def reload_app(settings: Settings, current):
    """The app to serve after a reload: a new one on the new data, or `current` with the failure noted
    (`app.state.reload_status`, shown by /health)."""
    store = settings.store
    if store != "memory" and not is_remote(store):
        current.state.reload_status = {
            "status": "failed", "at": _now(), "nodes": [],
            "message": f"reload is not supported with --store {store} (the folder is in use by the serving "
                       "workers); restart the server to serve new data"}
        log.error("reload refused: %s", current.state.reload_status["message"])
        return current
    from inclusion_kg.app import create_app

    log.warning("SIGHUP: reloading the data")
    try:
        new = create_app(settings)
    except Exception as error:  # noqa: BLE001 - any failure: keep serving the previous data
        version = current.state.data_version
        current.state.reload_status = {"status": "failed", "at": _now(), **_failure(error), "data_version": version}
        log.error("reload failed, still serving data version %s: %s\n%s", version,
                  current.state.reload_status["message"], getattr(error, "report", None) or "")
        return current
    new.state.reload_status = {"status": "ok", "at": _now(), "data_version": new.state.data_version,
                               "previous": current.state.data_version}
    log.warning("reloaded: serving data version %s (was %s)", new.state.data_version, current.state.data_version)
    current.state.engine.close()
    return new
