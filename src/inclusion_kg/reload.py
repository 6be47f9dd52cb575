"""Reload the served data in place (SIGHUP or `Reloadable.reload()`), never half-published.

`Reloadable` is the ASGI app `serve` runs: it holds the current app (`create_app`) and passes each request to
the app that is current when the request arrives. A reload builds a whole new app from the sources: parse,
SHACL and the check queries (`load_graph`), then the store, the query engine, the pages and the eligibility
look-ups. Only when all of that succeeded is the new app swapped in (one assignment under a lock): new
requests go to it, requests in flight finish on the old one, whose query workers and store dump are closed
when its last request ends. Caches and ETags belong to an app, so they move to the new data version with it.

When the new data does not conform (or does not parse, or the remote store cannot serve it), nothing changes:
the old app keeps serving, the report naming the failing nodes is logged, and /health says
`"reload": {"status": "failed", "at": ..., "message": ..., "nodes": [...]}` beside the unchanged
`data_version`; the next reload of good data recovers (`"status": "ok"`). See docs/reliability.md.

With `--store PATH` (Oxigraph on disk, rebuilt in place by every start) a reload is refused: the folder is
in use by the serving query workers; restart the server instead.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import threading
import time
from collections.abc import Callable

from inclusion_kg.graph import InvalidDataError
from inclusion_kg.remote.location import is_remote
from inclusion_kg.settings import Settings

log = logging.getLogger("inclusion_kg.reload")
_early_sighup = threading.Event()


def defer_early_sighup() -> None:
    """Until a `Reloadable`'s event loop takes SIGHUP over (lifespan start-up), remember a SIGHUP instead of
    dying of it (its default action): a reload asked while the server starts runs once it has started. Call
    it first thing in a serving process's main thread."""
    try:
        signal.signal(signal.SIGHUP, lambda *_: _early_sighup.set())
    except (ValueError, AttributeError):  # not the main thread (tests), or no SIGHUP (Windows)
        pass


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


def _retire(app) -> None:
    """Stop what an app that no longer serves holds: its query workers, then its store's temporary dump."""
    try:
        app.state.engine.close()
    finally:
        app.state.store.close()


def settle_heap(after_reload: bool = False) -> None:
    """Move what the app holds out of reach of the cyclic garbage collector (`gc.freeze`).

    The app keeps hundreds of thousands of long-lived objects (the validated rdflib graph, the pages, the
    vocabulary). A full collection walked all of them: under load it stopped the event loop for 60–140 ms
    every few seconds, the slowest 1% of answers (docs/benchmarks.md). Frozen objects are still freed by
    reference counting. After a reload everything is thawed first, so that the cycles of the app replaced
    can be collected (if it still answers a request, at the next reload)."""
    if after_reload:
        gc.unfreeze()
    gc.collect()
    gc.freeze()


class Reloadable:
    """ASGI app: the current `create_app` app, replaced atomically by `reload()` when the new data conforms."""

    def __init__(self, settings: Settings, app=None, build: Callable | None = None):
        if build is None:
            from inclusion_kg.app import create_app as build
        self.settings = settings
        self._build = build
        self.current = app if app is not None else build(settings)
        self.current.state.reloader = self
        self.status: dict | None = None  # what /health shows under "reload" (None: never reloaded)
        self._reloading = threading.Lock()  # one reload at a time
        self._lock = threading.Lock()  # guards current, _inflight and _retired
        self._inflight: dict[int, int] = {}
        self._retired: dict[int, object] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- serving ------------------------------------------------------------------------------------------
    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            return await self._lifespan(receive, send)
        with self._lock:
            app = self.current
            self._inflight[id(app)] = self._inflight.get(id(app), 0) + 1
        try:
            await app(scope, receive, send)
        finally:
            self._leave(app)

    def _leave(self, app) -> None:
        with self._lock:
            left = self._inflight[id(app)] = self._inflight[id(app)] - 1
            done = left == 0 and self._retired.pop(id(app), None) is not None
            if left == 0:
                del self._inflight[id(app)]
        if done:  # its last request ended: close it off the event loop (killing workers waits for them)
            threading.Thread(target=_retire, args=(app,), name="inclusion-kg-retire", daemon=True).start()

    async def _lifespan(self, receive, send) -> None:
        """What `create_app`'s lifespan does (open the query workers, close them at the end), plus SIGHUP."""
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    self.current.state.engine.pool.open()
                except Exception as error:  # noqa: BLE001 - reported to the server, which stops
                    await send({"type": "lifespan.startup.failed", "message": str(error)})
                    return
                self._loop = asyncio.get_running_loop()
                try:
                    self._loop.add_signal_handler(signal.SIGHUP, self._on_sighup)
                except (ValueError, RuntimeError, NotImplementedError):  # not the main thread (tests), Windows
                    self._loop = None
                if self._loop is not None and _early_sighup.is_set():  # asked while starting: do it now
                    _early_sighup.clear()
                    self._on_sighup()
                settle_heap()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._loop is not None:
                    self._loop.remove_signal_handler(signal.SIGHUP)
                self.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    def _on_sighup(self) -> None:
        log.warning("SIGHUP: reloading the data")
        self._loop.run_in_executor(None, self.reload)  # validation takes seconds: the server keeps answering

    # -- reloading ----------------------------------------------------------------------------------------
    def reload(self) -> dict:
        """Re-read and re-validate the sources; swap the new app in only if it could be built. Returns the
        status /health shows. Blocking (seconds): call it from a thread when an event loop is running."""
        with self._reloading:
            store = self.settings.store
            if store != "memory" and not is_remote(store):
                self.status = {"status": "failed", "at": _now(), "nodes": [],
                               "message": f"reload is not supported with --store {store} (the folder is in use "
                                          "by the serving query workers); restart the server to serve new data"}
                log.error("reload refused: %s", self.status["message"])
                return self.status
            try:
                new = self._build(self.settings)
            except Exception as error:  # noqa: BLE001 - any failure: keep serving the previous data
                self.status = {"status": "failed", "at": _now(), **_failure(error),
                               "data_version": self.current.state.data_version}
                report = getattr(error, "report", None)
                log.error("reload failed, still serving data version %s: %s\n%s",
                          self.current.state.data_version, self.status["message"], report or "")
                return self.status
            new.state.reloader = self
            with self._lock:
                old, self.current = self.current, new
                idle = id(old) not in self._inflight
                if not idle:
                    self._retired[id(old)] = old
            if idle:
                _retire(old)
            settle_heap(after_reload=True)
            self.status = {"status": "ok", "at": _now(), "data_version": new.state.data_version,
                           "previous": old.state.data_version}
            log.warning("reloaded: serving data version %s (was %s)", new.state.data_version,
                        old.state.data_version)
            return self.status

    def close(self) -> None:
        """Stop the current app and any retired one still draining."""
        with self._lock:
            retired = list(self._retired.values())
            self._retired.clear()
        self.current.state.engine.close()  # as create_app's lifespan: its workers start again on a restart
        for app in retired:
            _retire(app)
