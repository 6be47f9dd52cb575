"""Shared fixtures: the app over the project's validated data, a TestClient, and real servers.

- `make_app(**settings)`: a fresh app with `Settings(**settings)`; its query workers stop at session end.
- `app` / `client`: one app for the whole session (default settings) and a TestClient on it.
- `start_server(app)`: serve an app with uvicorn on a free loopback port (in a thread); returns its base URL.
- `live_server`: the session app served that way, e.g. "http://127.0.0.1:54321".
- `serve_cli(*args)`: `inclusion-kg serve` itself (supervisor and forked HTTP workers) on a free port, up and
  answering /health; needed wherever a query may run away (only a served process can stop one).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import pytest
import uvicorn
from fastapi.testclient import TestClient

from unittest.mock import patch

import inclusion_kg.app as app_module
from inclusion_kg.app import create_app
from inclusion_kg.graph import load_graph
from inclusion_kg.http_protocol import HttpProtocol
from inclusion_kg.settings import Settings


# Validation verdicts kept by this test session (graph.load_graph) go to a folder of its own, not the user's.
os.environ.setdefault("INCLUSION_KG_CACHE", tempfile.mkdtemp(prefix="inclusion-kg-verdicts-"))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require(missing: str | None) -> None:
    """A tool a test needs is `missing` (why, and how to install it): the test skips, or fails under CI, where
    .ci/run installs every such tool."""
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"required under CI: {missing}")
        pytest.skip(missing)


class LiveServer:
    """uvicorn serving `app` on 127.0.0.1:<port> (a free one unless given) in a background thread."""

    def __init__(self, app, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on",
                                http=HttpProtocol)  # as `serve` runs it
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name=f"uvicorn-{self.port}", daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="session")
def make_app():
    """Apps share one validated graph per root (validation takes seconds; the data does not change)."""
    apps = []
    graphs = {}

    def load_once(validate: bool = True, root=None):
        if (validate, root) not in graphs:
            graphs[validate, root] = load_graph(validate=validate, root=root)
        return graphs[validate, root]

    def make(**settings):
        with patch.object(app_module, "load_graph", load_once):
            app = create_app(Settings(**settings))
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.state.engine.close()


@pytest.fixture(scope="session")
def app(make_app):
    return make_app()


@pytest.fixture(scope="session")
def client(app):
    return TestClient(app)


@pytest.fixture(scope="session")
def start_server():
    servers = []

    def start(app) -> str:
        server = LiveServer(app).start()
        servers.append(server)
        return server.url

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def live_server(app, start_server) -> str:
    return start_server(app)


class Served:
    """`inclusion-kg serve ARGS` in a session of its own on a free port; `stop()` ends it (and its workers)."""

    def __init__(self, *args: str, root=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "inclusion_kg.cli", *(["--root", str(root)] if root else []), "serve",
                   "--port", str(self.port), *args]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        start_new_session=True)

    def wait_up(self, seconds: float = 120) -> Served:
        import httpx

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            assert self.process.poll() is None, self.process.stderr.read().decode()
            time.sleep(0.1)
        raise AssertionError("the server did not start")

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)


@pytest.fixture(scope="session")
def serve_cli():
    started = []

    def start(*args: str, root=None, wait: bool = True) -> Served:
        served = Served(*args, root=root)
        started.append(served)
        return served.wait_up() if wait else served

    yield start
    for served in started:
        served.stop()


@pytest.fixture(scope="session")
def remote_store(tmp_path_factory):
    """`remote_store(kind)`: a throwaway SPARQL store ("oxigraph" or "virtuoso") holding our published graph.

    Started once per session on free loopback ports (tests/stores.py), stopped at the end.
    A missing engine skips the test with the reason; under CI=true it fails instead.
    """
    import stores as servers

    started = {}

    def get(kind: str):
        if kind not in started:
            reason = servers.missing(kind)
            if reason:
                require(reason)
            started[kind] = servers.start_published(kind, tmp_path_factory.mktemp(kind))
        return started[kind]

    yield get
    for store in started.values():
        store.stop()
