"""One query worker process, as the pool sees it: its pipes, and the jobs pipelined on it."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections import deque
from dataclasses import asdict
from multiprocessing.connection import Connection

from inclusion_kg.errors import EngineError
from inclusion_kg.sparql import worker as worker_module

START_TIMEOUT = 120.0  # seconds a worker may take to open the store and say it is ready


class PendingJob:
    """A job sent (or to be sent) to a worker by `run_async`, and the future its caller awaits."""

    __slots__ = ("job", "timeout", "future")

    def __init__(self, job, timeout: float, future: asyncio.Future):
        self.job, self.timeout, self.future = job, timeout, future


class WorkerProcess:
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
        # While jobs are pipelined (run_async): the loop that reads the answers, the jobs in order (the head
        # is running), when the head started and its deadline timer. Touched only in that loop's thread.
        self.loop: asyncio.AbstractEventLoop | None = None
        self.queue: deque[PendingJob] = deque()
        self.head_started = 0.0
        self.timer: asyncio.TimerHandle | None = None

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
