"""A pool of query worker processes with a hard deadline per query.

`run(job, timeout)` borrows an idle worker, sends the job and waits for the answer until the deadline; a
worker that overruns is killed (SIGKILL: it stops using CPU at once) and a fresh one is started in the
background, so a runaway query costs one respawn and never blocks the server. The wait is a blocking call:
the HTTP layer runs it in a thread, so the event loop keeps answering /health and other queries.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from dataclasses import asdict
from multiprocessing.connection import Connection

from starlette.concurrency import run_in_threadpool

from inclusion_kg.errors import EngineError, QueryTimeoutError, ServiceBusyError
from inclusion_kg.sparql import worker as worker_module

log = logging.getLogger(__name__)
START_TIMEOUT = 120.0


class _Worker:
    """`python -m inclusion_kg.sparql.worker` (a fresh interpreter: never fork a threaded server), talking
    over two pipes of its own; stdout and stderr stay free for logs."""

    def __init__(self, spec: worker_module.StoreSpec):
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "inclusion_kg.sparql.worker", str(to_child_r), str(from_child_w),
             json.dumps(asdict(spec))],
            pass_fds=(to_child_r, from_child_w),
            stdin=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self.sender = Connection(to_child_w, readable=False)
        self.receiver = Connection(from_child_r, writable=False)

    def wait_ready(self) -> None:
        try:
            ready = self.receiver.poll(START_TIMEOUT)
            message = self.receiver.recv() if ready else None
        except (EOFError, OSError):
            message = None
        if not message or message[0] != "ready":
            self.kill()
            raise EngineError(f"a query worker failed to start ({message or 'no answer'})")

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def send(self, job) -> None:
        self.sender.send(job)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        self.sender.close()
        self.receiver.close()


class WorkerPool:
    def __init__(self, spec: worker_module.StoreSpec, size: int):
        self.spec = spec
        self.size = size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = True
        self.kills = 0
        self.open()

    def open(self) -> None:
        """Start the workers (again, after `close`: an app can be started and stopped several times)."""
        with self._lock:
            if not self._closed:
                return
            workers = [_Worker(self.spec) for _ in range(self.size)]  # start together: parallel start-up
            for w in workers:
                w.wait_ready()
                self._all.add(w)
                self._idle.put(w)
            self._closed = False

    def pids(self) -> list[int]:
        with self._lock:
            return sorted(w.pid for w in self._all if w.pid)

    def _replace(self, dead: _Worker) -> None:
        with self._lock:
            self._all.discard(dead)
        dead.kill()
        if self._closed:
            return

        def start() -> None:
            try:
                fresh = _Worker(self.spec)
                fresh.wait_ready()
            except Exception:  # noqa: BLE001 - logged; the pool runs one worker short
                log.exception("could not start a replacement query worker")
                return
            with self._lock:
                if self._closed:
                    fresh.kill()
                    return
                self._all.add(fresh)
            self._idle.put(fresh)

        threading.Thread(target=start, name="query-worker-start", daemon=True).start()

    def run(self, job: worker_module.Job, timeout: float) -> tuple:
        """The worker's answer tuple, or QueryTimeoutError / ServiceBusyError / EngineError."""
        if self._closed:
            self.open()
        try:
            w = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise ServiceBusyError(
                f"every query worker stayed busy for {timeout:g} s; try again in a moment"
            ) from None
        started = time.monotonic()
        try:
            w.send(job)
            if not w.receiver.poll(timeout):
                self.kills += 1
                self._replace(w)
                raise QueryTimeoutError(
                    f"the query timed out: it ran for more than {timeout:g} s (the limit) and was stopped"
                )
            answer = w.receiver.recv()
        except (EOFError, OSError, BrokenPipeError) as error:
            self._replace(w)
            raise EngineError(f"the query worker stopped unexpectedly ({type(error).__name__})") from None
        log.debug("query answered in %.2f ms", (time.monotonic() - started) * 1000)
        self._idle.put(w)
        return answer

    async def run_async(self, job: worker_module.Job, timeout: float) -> tuple:
        """`run` without a thread: the event loop watches the worker's pipe, with the same deadline."""
        if self._closed:
            await run_in_threadpool(self.open)
        try:
            w = self._idle.get_nowait()
        except queue.Empty:  # every worker is busy: wait for one in a thread, as `run` does
            return await run_in_threadpool(self.run, job, timeout)
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = w.receiver.fileno()
        loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
        outcome = "ready"
        try:
            w.send(job)
            await asyncio.wait_for(ready, timeout)
        except TimeoutError:
            outcome = "timeout"
        except asyncio.CancelledError:
            outcome = "cancelled"
        except OSError:
            outcome = "broken"
        finally:
            loop.remove_reader(fd)  # before the pipe may be closed: its number could be reused
        if outcome == "timeout":
            self.kills += 1
            self._replace(w)
            raise QueryTimeoutError(
                f"the query timed out: it ran for more than {timeout:g} s (the limit) and was stopped"
            )
        if outcome == "cancelled":  # the client went away: stop the work it asked for
            self._replace(w)
            raise asyncio.CancelledError()
        try:
            if outcome == "broken":
                raise OSError("broken pipe")
            answer = w.receiver.recv()
        except (EOFError, OSError) as error:
            self._replace(w)
            raise EngineError(f"the query worker stopped unexpectedly ({type(error).__name__})") from None
        self._idle.put(w)
        return answer

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
            while not self._idle.empty():
                self._idle.get_nowait()
        for w in workers:
            w.kill()
