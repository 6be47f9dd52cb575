"""A pool of query worker processes with a hard deadline per query.

`run(job, timeout)` borrows an idle worker, sends the job and waits for the answer until the deadline; a
worker that overruns is killed (SIGKILL: it stops using CPU at once) and a fresh one is started in the
background, so a runaway query costs one respawn and never blocks the server. The wait is a blocking call:
the HTTP layer runs it in a thread, so the event loop keeps answering /health and other queries.

`run_async(job, timeout)`, what the HTTP layer uses, pipelines: while a worker's current query is young
(under `PIPELINE_HEAD_AGE`), more jobs from the same event loop are queued on its pipe instead of waiting
for a free worker. Under load a worker then finds its next job already there and the event loop reads
several answers per wake-up: on a 2-CPU VM, waking a sleeping process costs more than a small query
(docs/benchmarks.md). Each job's deadline starts when it reaches the head of its worker's queue; when a
worker is killed (deadline, client gone) or dies, the jobs queued behind it, not started, go to another.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections import deque

from starlette.concurrency import run_in_threadpool

from inclusion_kg.errors import EngineError, QueryTimeoutError, ServiceBusyError
from inclusion_kg.sparql import worker as worker_module
from inclusion_kg.sparql.process import PendingJob, WorkerProcess

log = logging.getLogger(__name__)
RESTART_FIRST_DELAY, RESTART_MAX_DELAY = 0.5, 30.0  # seconds between attempts to replace a killed worker
PIPELINE_HEAD_AGE = 0.02  # seconds: queue behind a worker only while its current query is this young


class WorkerPool:
    """Idle workers in a free list; threads wait on a condition, coroutines on futures (no thread hop)."""

    def __init__(self, spec: worker_module.StoreSpec, size: int):
        self.spec = spec
        self.size = size
        self._free: list[WorkerProcess] = []
        self._all: set[WorkerProcess] = set()
        self._lock = threading.Lock()
        self._ready = threading.Condition(self._lock)
        self._async_waiters: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future]] = deque()
        self._closed = True
        self.kills = 0
        self._restart_failures = 0  # failed attempts to start a replacement worker (it keeps trying)
        self.open()

    def open(self) -> None:
        """Start the workers (again, after `close`: an app can be started and stopped several times)."""
        with self._lock:
            if not self._closed:
                return
            workers = [WorkerProcess(self.spec) for _ in range(self.size)]  # start together: parallel start-up
            for w in workers:
                w.wait_ready()
            self._all.update(workers)
            self._closed = False
        for w in workers:
            self._release(w)

    def pids(self) -> list[int]:
        with self._lock:
            return sorted(w.pid for w in self._all if w.pid)

    def status(self) -> dict:
        """For /health: workers ready out of the pool's size, and how many replacements failed to start."""
        with self._lock:
            ready = len(self._all)
        return {"ready": ready, "size": self.size, "kills": self.kills, "restart_failures": self._restart_failures}

    # -- borrowing and giving back ---------------------------------------------------------------------
    def _release(self, w: WorkerProcess) -> None:
        """Give `w` to the oldest waiting coroutine, else to a waiting thread or the free list."""
        with self._lock:
            if self._closed:
                return
            while self._async_waiters:
                loop, future = self._async_waiters.popleft()
                if not future.done():
                    try:
                        loop.call_soon_threadsafe(self._deliver, future, w)
                        return
                    except RuntimeError:  # that event loop is closed
                        continue
            self._free.append(w)
            self._ready.notify()

    def _deliver(self, future: asyncio.Future, w: WorkerProcess) -> None:
        if future.done():  # the waiter gave up meanwhile: pass the worker on
            self._release(w)
        else:
            future.set_result(w)

    def _busy(self, timeout: float) -> ServiceBusyError:
        return ServiceBusyError(f"every query worker stayed busy for {timeout:g} s; try again in a moment")

    def _acquire(self, timeout: float) -> WorkerProcess:
        with self._ready:
            if not self._ready.wait_for(lambda: self._free, timeout):
                raise self._busy(timeout)
            return self._free.pop()

    async def _acquire_async(self, timeout: float) -> WorkerProcess:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._free:
                return self._free.pop()
            future = loop.create_future()
            self._async_waiters.append((loop, future))
        try:
            await asyncio.wait({future}, timeout=timeout)
            with self._lock:
                waiting = (loop, future) in self._async_waiters
                if waiting:
                    self._async_waiters.remove((loop, future))
            if waiting:
                raise self._busy(timeout)
            return await future  # delivered, or about to be
        except asyncio.CancelledError:
            with self._lock:
                if (loop, future) in self._async_waiters:
                    self._async_waiters.remove((loop, future))
            if future.done() and not future.cancelled():
                self._release(future.result())  # it arrived as we were cancelled: pass it on
            future.cancel()  # a later delivery sees it done and passes the worker on
            raise

    def _replace(self, dead: WorkerProcess) -> None:
        with self._lock:
            self._all.discard(dead)
        dead.kill()
        if self._closed:
            return

        def start() -> None:
            delay = RESTART_FIRST_DELAY
            while True:
                try:
                    fresh = WorkerProcess(self.spec)
                    fresh.wait_ready()
                    break
                except Exception:  # noqa: BLE001 - logged; the pool runs one short until a retry succeeds
                    log.exception("could not start a replacement query worker; trying again in %g s", delay)
                self._restart_failures += 1
                time.sleep(delay)
                delay = min(delay * 2, RESTART_MAX_DELAY)
                if self._closed:
                    return
            with self._lock:
                if self._closed:
                    fresh.kill()
                    return
                self._all.add(fresh)
            self._release(fresh)

        threading.Thread(target=start, name="query-worker-start", daemon=True).start()

    def _timed_out(self, w: WorkerProcess, timeout: float) -> QueryTimeoutError:
        self.kills += 1
        self._replace(w)  # SIGKILL: the runaway query stops using CPU at once
        return self._timeout_error(timeout)

    @staticmethod
    def _timeout_error(timeout: float) -> QueryTimeoutError:
        return QueryTimeoutError(f"the query timed out: it ran for more than {timeout:g} s (the limit) and was stopped")

    def _broken(self, w: WorkerProcess, error: BaseException) -> EngineError:
        self._replace(w)
        return EngineError(f"the query worker stopped unexpectedly ({type(error).__name__})")

    # -- running a job -----------------------------------------------------------------------------------
    def run(self, job: worker_module.Job, timeout: float) -> tuple:
        """The worker's answer tuple, or QueryTimeoutError / ServiceBusyError / EngineError (blocking)."""
        if self._closed:
            self.open()
        w = self._acquire(timeout)
        try:
            w.send(job)
            if not w.receiver.poll(timeout):
                raise self._timed_out(w, timeout)
            answer = w.receiver.recv()
        except (EOFError, OSError) as error:
            raise self._broken(w, error) from None
        self._release(w)
        return answer

    async def run_async(self, job: worker_module.Job, timeout: float) -> tuple:
        """`run` for the event loop: the job goes to an idle worker, or is queued behind a young query."""
        if self._closed:
            await run_in_threadpool(self.open)
        pending = PendingJob(job, timeout, asyncio.get_running_loop().create_future())
        await self._submit(pending)
        try:
            return await pending.future
        except asyncio.CancelledError:  # the client went away: stop the work it asked for
            self._abandon(pending)
            raise

    async def _submit(self, pending: PendingJob) -> None:
        loop = asyncio.get_running_loop()
        with self._lock:
            w = self._free.pop() if self._free else self._young_worker(loop)
        if w is None:
            w = await self._acquire_async(pending.timeout)
        if w.loop is None:  # an idle worker: this loop reads its answers until its queue drains
            w.loop = loop
            loop.add_reader(w.receiver.fileno(), self._on_answers, w)
            os.set_blocking(w.receiver.fileno(), True)  # a large answer is read whole, never half
        w.queue.append(pending)
        if len(w.queue) == 1:
            self._start_head(w)
        try:
            w.send(pending.job)
        except OSError as error:
            self._fail(w, EngineError(f"the query worker stopped unexpectedly ({type(error).__name__})"))

    def _young_worker(self, loop) -> WorkerProcess | None:
        """The worker of `loop` with the shortest queue whose current query started under
        PIPELINE_HEAD_AGE ago (caller holds the lock)."""
        now = loop.time()
        young = [w for w in self._all if w.loop is loop and now - w.head_started < PIPELINE_HEAD_AGE]
        return min(young, key=lambda w: len(w.queue)) if young else None

    def _start_head(self, w: WorkerProcess) -> None:
        head = w.queue[0]
        w.head_started = w.loop.time()
        w.timer = w.loop.call_later(head.timeout, self._head_timed_out, w, head)

    def _on_answers(self, w: WorkerProcess) -> None:
        """Readable pipe: resolve the head job with each answer there, start the next one."""
        while w.queue:
            try:
                if not w.receiver.poll(0):
                    return
                answer = w.receiver.recv()
            except (EOFError, OSError) as error:
                self._fail(w, EngineError(f"the query worker stopped unexpectedly ({type(error).__name__})"))
                return
            head = w.queue.popleft()
            w.timer.cancel()
            if not head.future.done():
                head.future.set_result(answer)
            if w.queue:
                self._start_head(w)
        self._detach(w)
        self._release(w)

    def _detach(self, w: WorkerProcess) -> None:
        if w.timer is not None:
            w.timer.cancel()
        if w.loop is not None:
            if not w.loop.is_closed():  # before the pipe may be closed: its number is reused
                w.loop.remove_reader(w.receiver.fileno())
            w.loop = None

    def _head_timed_out(self, w: WorkerProcess, head: PendingJob) -> None:
        if w.queue and w.queue[0] is head:
            self.kills += 1
            self._fail(w, self._timeout_error(head.timeout))  # SIGKILL: the runaway stops using CPU at once

    def _abandon(self, pending: PendingJob) -> None:
        """A caller went away: kill the worker running its job; a job still queued is just dropped."""
        with self._lock:
            owner = next((w for w in self._all if w.queue and w.queue[0] is pending), None)
        if owner is not None:
            self._fail(owner, None)

    def _fail(self, w: WorkerProcess, error: BaseException | None) -> None:
        """Kill `w`: its head job gets `error`, the jobs queued behind it (not started) go to other workers."""
        self._detach(w)
        head, *waiting = w.queue
        w.queue.clear()
        self._replace(w)
        if error is not None and not head.future.done():
            head.future.set_exception(error)
        for pending in waiting:
            if not pending.future.done():
                asyncio.get_running_loop().create_task(self._resubmit(pending))

    async def _resubmit(self, pending: PendingJob) -> None:
        try:
            await self._submit(pending)
        except Exception as error:  # noqa: BLE001 - e.g. every worker busy: the caller gets it
            if not pending.future.done():
                pending.future.set_exception(error)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
            self._free.clear()
        try:
            current = asyncio.get_running_loop()
        except RuntimeError:
            current = None
        for w in workers:
            if w.loop is not None and w.loop is not current:
                try:  # its pipe is registered in that loop: stop it there
                    w.loop.call_soon_threadsafe(self._stop_pipelined, w)
                    continue
                except RuntimeError:  # that loop is closed
                    pass
            self._stop_pipelined(w)

    def _stop_pipelined(self, w: WorkerProcess) -> None:
        waiting = list(w.queue)
        w.queue.clear()
        self._detach(w)
        w.kill()
        for pending in waiting:
            if not pending.future.done():
                pending.future.set_exception(EngineError("the server is stopping; try again in a moment"))
