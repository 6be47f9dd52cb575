"""Shared fixtures: the app over the project's validated data, a TestClient, and a real uvicorn server.

- `make_app(**settings)`: a fresh app with `Settings(**settings)`; its query workers stop at session end.
- `app` / `client`: one app for the whole session (default settings) and a TestClient on it.
- `start_server(app)`: serve an app with uvicorn on a free loopback port (in a thread); returns its base URL.
- `live_server`: the session app served that way, e.g. "http://127.0.0.1:54321".
"""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest
import uvicorn
from fastapi.testclient import TestClient

from unittest.mock import patch

import inclusion_kg.app as app_module
from inclusion_kg.app import create_app
from inclusion_kg.graph import load_graph
from inclusion_kg.http_protocol import LongUrlProtocol
from inclusion_kg.settings import Settings


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """uvicorn serving `app` on 127.0.0.1:<free port> in a background thread."""

    def __init__(self, app):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on",
                                http=LongUrlProtocol)  # as `serve` runs it
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


@pytest.fixture(scope="session")
def remote_store(tmp_path_factory):
    """`remote_store(kind)`: a throwaway SPARQL store ("oxigraph" or "virtuoso") holding our published graph.

    Started once per session on free loopback ports (inclusion_kg/remote/servers.py), stopped at the end.
    A missing engine skips the test with the reason; under CI=true it fails instead.
    """
    from inclusion_kg.remote import servers

    started = {}

    def get(kind: str):
        if kind not in started:
            reason = servers.missing(kind)
            if reason:
                (pytest.fail if os.environ.get("CI") == "true" else pytest.skip)(reason)
            started[kind] = servers.start_published(kind, tmp_path_factory.mktemp(kind))
        return started[kind]

    yield get
    for store in started.values():
        store.stop()
