"""Run the app under uvicorn, refusing to start on invalid data."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

import uvicorn

from inclusion_kg.app import create_app
from inclusion_kg.graph import DataParseError, InvalidDataError
from inclusion_kg.http_protocol import LongUrlProtocol
from inclusion_kg.reload import Reloadable, defer_early_sighup
from inclusion_kg.remote.backend import RemoteStoreError
from inclusion_kg.settings import Settings
from inclusion_kg.sparql.fastpath import ReplayFront
from inclusion_kg.store import DataFileError

SETTINGS_ENV = "INCLUSION_KG_SETTINGS"


def settings_from_env() -> Settings:
    raw = json.loads(os.environ.get(SETTINGS_ENV, "{}"))
    if raw.get("data"):
        raw["data"] = tuple(Path(p) for p in raw["data"])
    if raw.get("graphs"):
        raw["graphs"] = tuple(raw["graphs"])
    if raw.get("root"):
        raw["root"] = Path(raw["root"])
    return Settings(**raw)


def in_front(server: Reloadable) -> ReplayFront:
    """Kept /sparql answers are replayed before the reload wrapper and the app (sparql/fastpath.py)."""
    return ReplayFront(server, lambda: server.current.state.response_cache)


def app_from_env():
    """uvicorn factory: each worker process builds its app from the settings in the environment; each
    reloads on its own SIGHUP (reload.py)."""
    defer_early_sighup()  # a SIGHUP while this worker builds its app must not kill it
    return in_front(Reloadable(settings_from_env()))


def serve(settings: Settings, host: str, port: int, workers: int = 1, access_log: bool = False) -> int:
    defer_early_sighup()  # a SIGHUP while the data is validated must not kill the server
    try:
        app = create_app(settings)  # validated before the port is bound: bad data never serves
    except InvalidDataError as error:
        print("refusing to serve: the data does not conform to the shapes.", file=sys.stderr)
        print(error.report, file=sys.stderr)
        return 1
    except (DataParseError, DataFileError, RemoteStoreError) as error:
        print(f"refusing to serve: {error}", file=sys.stderr)
        return 1
    if workers == 1:
        # SIGHUP re-validates the data and swaps it in only if it conforms (reload.py, docs/reliability.md)
        uvicorn.run(in_front(Reloadable(settings, app)), host=host, port=port, access_log=access_log,
                    http=LongUrlProtocol)
        return 0
    # Several workers each build their own app, from settings passed through the environment.
    app.state.engine.close()  # this process only checked the data; its query workers are not needed
    os.environ[SETTINGS_ENV] = json.dumps(asdict(settings), default=str)
    uvicorn.run(
        "inclusion_kg.server:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
        http=LongUrlProtocol,
    )
    return 0
