"""`inclusion-kg serve`: load and validate once, then fork HTTP worker processes that share what was loaded.

The supervisor (this process) builds the app (`create_app`: parse, validate or reuse the verdict, load the
store, build the pages), binds the listening socket and forks `workers` HTTP workers. Each worker runs
uvicorn on the inherited socket and evaluates queries in its own threads (sparql/engine.py). A fork costs
milliseconds and re-parses nothing, so a worker can be replaced at any time:

- a runaway query (past --query-timeout; pyoxigraph cannot cancel it): its worker answers 504 at once, tells
  the supervisor, which forks the replacement straight away, stops accepting, keeps its open connections
  for `GRACE` seconds (every answer then says `Connection: close`, so a client's next request opens a new
  connection, to another worker), finishes its requests in flight, and exits, ending the runaway's thread;
- a worker that dies is replaced;
- SIGHUP (reload.py): new workers are forked from a new app on the new data, then the old ones retire the
  same way; when the new data does not conform, the old app is forked again with the failure in /health;
- SIGTERM / SIGINT: every worker retires, then the supervisor exits.
See docs/architecture.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import select
import signal
import socket
import sys
import time
import traceback

import uvicorn

from inclusion_kg.graph import DataParseError, InvalidDataError
from inclusion_kg.http_protocol import HttpProtocol
from inclusion_kg.reload import defer_early_sighup, early_sighup, reload_app
from inclusion_kg.remote import RemoteStoreError
from inclusion_kg.settings import Settings
from inclusion_kg.store import DataFileError

log = logging.getLogger("inclusion_kg.server")
GRACE = 1.0  # seconds a retiring worker keeps its connections open for a last request
DRAIN_BYTES = 16 << 20  # of an upload refused while retiring, read before its connection closes
STOP_WAIT = 15.0  # seconds the supervisor waits for retiring workers when it stops, before SIGKILL
SIGNALS = (signal.SIGCHLD, signal.SIGHUP, signal.SIGTERM, signal.SIGINT)


class Worker(uvicorn.Server):
    """uvicorn in one HTTP worker process, which retires (stops accepting, drains, exits) on a runaway query
    or on SIGTERM; `announce()` tells the supervisor first, so the replacement starts at once."""

    def __init__(self, config: uvicorn.Config, announce):
        super().__init__(config)
        self.announce = announce
        self.retiring = False
        self.loop: asyncio.AbstractEventLoop | None = None

    async def serve(self, sockets=None) -> None:
        self.loop = asyncio.get_running_loop()
        await super().serve(sockets)

    def handle_exit(self, sig, frame) -> None:  # SIGTERM (reload, stop) or SIGINT: retire, a second one forces
        if self.retiring:
            self.force_exit = True
        self.retire()

    def retire(self) -> None:
        """From any thread: start retiring (once)."""
        if self.loop is not None and not self.retiring:
            self.retiring = True
            self.loop.call_soon_threadsafe(lambda: self.loop.create_task(self._drain()))

    async def _drain(self) -> None:
        self.announce()
        for server in self.servers:
            server.close()  # new connections now go to the other workers (the socket stays open in them)
        deadline = time.monotonic() + GRACE
        while self.server_state.connections and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        self.should_exit = True  # uvicorn closes the idle connections and waits for the requests in flight


def closing_when_retiring(app, worker: Worker):
    """Once the worker retires, every answer carries `Connection: close`: the client's next request goes to
    a new connection (accepted by a live worker) instead of one about to close.

    An answer given before the request's body was read whole (a 413 refuses an upload as it arrives) is
    finished only once the rest of the body is read (up to DRAIN_BYTES, for up to GRACE seconds): uvicorn
    closes the connection as the answer ends, and closing a socket with unread bytes makes the kernel reset
    the connection, and the client lose the answer."""

    async def wrapped(scope, receive, send):
        if not worker.retiring or scope["type"] != "http":
            return await app(scope, receive, send)
        unread = any((name == b"content-length" and value.strip() != b"0") or name == b"transfer-encoding"
                     for name, value in scope["headers"])

        async def receive_noting_the_end():
            nonlocal unread
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body", False):
                unread = False
            return message

        async def send_closing(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (b"connection", b"close")]}
            elif unread and not message.get("more_body", False):  # the answer's last part: read the upload first
                left = DRAIN_BYTES
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(GRACE):
                        while unread and left > 0:
                            left -= len((await receive_noting_the_end()).get("body", b""))
            await send(message)

        await app(scope, receive_noting_the_end, send_closing)

    return wrapped


class Supervisor:
    def __init__(self, settings: Settings, app, sock: socket.socket, size: int, access_log: bool):
        self.settings, self.app, self.sock, self.size, self.access_log = settings, app, sock, size, access_log
        self.workers: dict[int, object] = {}  # pid -> the app it serves
        self.retiring: set[int] = set()
        self.stopping = False
        self.notes_r, self.notes_w = os.pipe()  # workers write their pid here when they start retiring
        self.wake_r, self.wake_w = os.pipe()
        for fd in (self.notes_r, self.wake_r, self.wake_w):
            os.set_blocking(fd, False)
        self.pending: list[int] = []
        self.frozen = None
        self.respawn_at = 0.0  # after a worker died unexpectedly: not before (no tight loop of failing starts)

    # -- the workers ------------------------------------------------------------------------------------
    def spawn(self) -> None:
        self.app.state.engine.before_fork()
        # Each worker keeps its own answers: the server's answer budget is shared among them, so the
        # memory it takes does not grow with the number of workers.
        self.app.state.engine.cache.resize(self.settings.cache_bytes // self.size)
        if self.frozen is not self.app:  # once per app: what it holds stays out of every later collection,
            gc.unfreeze()  # so the children do not write to (and copy) its memory pages; a replaced app is
            gc.collect()  # collected here
            gc.freeze()
            self.frozen = self.app
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                self._child()
                code = 0
            except BaseException:  # noqa: BLE001 - said on stderr; the supervisor starts another
                traceback.print_exc()
            finally:
                os._exit(code)  # never wait for a runaway's evaluation thread
        self.workers[pid] = self.app

    def _child(self) -> None:
        signal.set_wakeup_fd(-1)
        for sig in SIGNALS:
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)  # a reload is the supervisor's (a stray one must not kill)
        for fd in (self.notes_r, self.wake_r, self.wake_w):
            os.close(fd)
        notes, pid = self.notes_w, os.getpid()

        def announce() -> None:
            os.write(notes, pid.to_bytes(4, "little"))

        config = uvicorn.Config(None, lifespan="on", http=HttpProtocol, access_log=self.access_log,
                                log_level="warning" if not self.access_log else "info",
                                # a retiring worker waits this long for its requests in flight, then exits
                                timeout_graceful_shutdown=int(self.settings.query_timeout + GRACE + 5))
        worker = Worker(config, announce)
        config.app = closing_when_retiring(self.app, worker)
        self.app.state.engine.on_runaway = worker.retire
        worker.run(sockets=[self.sock])

    def retire(self, pid: int, sig: int = signal.SIGTERM) -> None:
        if pid in self.workers and pid not in self.retiring:
            self.retiring.add(pid)
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass

    def live(self) -> int:
        return sum(1 for pid in self.workers if pid not in self.retiring)

    # -- the loop ---------------------------------------------------------------------------------------
    def run(self) -> int:
        signal.set_wakeup_fd(self.wake_w)
        for sig in SIGNALS:
            signal.signal(sig, lambda number, _frame: self.pending.append(number))
        if early_sighup():
            self.pending.append(signal.SIGHUP)
        while self.live() < self.size:
            self.spawn()
        log.warning("serving on %s:%s with %d HTTP worker(s)", *self.sock.getsockname()[:2], self.size)
        while self.workers or not self.stopping:
            select.select([self.wake_r, self.notes_r], [], [], 0.5)
            self._drain_fd(self.wake_r)
            for chunk in self._drain_fd(self.notes_r):  # retiring on their own (a runaway): replace them now
                for at in range(0, len(chunk) - 3, 4):
                    self.retiring.add(int.from_bytes(chunk[at:at + 4], "little"))
            signals, self.pending = self.pending, []
            if signal.SIGHUP in signals and not self.stopping:
                self.reload()
            if {signal.SIGTERM, signal.SIGINT} & set(signals) and not self.stopping:
                self.stopping, stop_at = True, time.monotonic() + STOP_WAIT
                for pid in list(self.workers):
                    self.retire(pid)
            self._reap()
            if self.stopping and self.workers and time.monotonic() > stop_at:
                for pid in self.workers:
                    os.kill(pid, signal.SIGKILL)
            while not self.stopping and self.live() < self.size and time.monotonic() >= self.respawn_at:
                self.spawn()
        return 0

    @staticmethod
    def _drain_fd(fd: int) -> list[bytes]:
        chunks = []
        while True:
            try:
                chunk = os.read(fd, 4096)
            except BlockingIOError:
                return chunks
            if not chunk:
                return chunks
            chunks.append(chunk)

    def _reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if self.workers.pop(pid, None) is not None and pid not in self.retiring and not self.stopping:
                log.error("HTTP worker %d ended unexpectedly (status %d); starting another", pid, status)
                self.respawn_at = time.monotonic() + 0.5
            self.retiring.discard(pid)

    def reload(self) -> None:
        """New workers on the new app (or on the old one, saying why the reload failed), then the old retire."""
        self.app = reload_app(self.settings, self.app)
        old = [pid for pid in self.workers if pid not in self.retiring]
        for _ in range(self.size):
            self.spawn()
        for pid in old:
            self.retire(pid)


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def serve(settings: Settings, host: str, port: int, workers: int = 0, access_log: bool = False) -> int:
    from inclusion_kg.app import create_app

    defer_early_sighup()  # a SIGHUP while the data is validated must not kill the server
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
    try:
        app = create_app(settings)  # validated before the port is bound: bad data never serves
    except InvalidDataError as error:
        print("refusing to serve: the data does not conform to the shapes.", file=sys.stderr)
        print(error.report, file=sys.stderr)
        return 1
    except (DataParseError, DataFileError, RemoteStoreError) as error:
        print(f"refusing to serve: {error}", file=sys.stderr)
        return 1
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        print(f"cannot listen on {host}:{port}: {error.strerror}", file=sys.stderr)
        return 1
    sock.listen(2048)
    sock.set_inheritable(True)
    return Supervisor(settings, app, sock, workers or default_workers(), access_log).run()
