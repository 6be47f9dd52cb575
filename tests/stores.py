"""Throwaway SPARQL stores on loopback ports, for the tests and bench/ (test code, not shipped): Oxigraph's server and Virtuoso.

`start_oxigraph(folder)` and `start_virtuoso(folder)` start one and return a `StoreProcess` with the
URLs inclusion-kg needs (`store` for `serve --store`, `update`, `gsp`, credentials); `stop()` ends it.
`missing(kind)` says why one cannot start here (no binary), or None.
Virtuoso gets its own virtuoso.ini in `folder` (loopback ports, DirsAllowed limited to that folder) and a
fresh random dba password, set through isql before the HTTP port is used: the default one never serves.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"
VIRTUOSO_VAD = "/usr/share/virtuoso-opensource-7/vad"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"  # installed by pip in the same virtualenv
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def missing(kind: str) -> str | None:
    if kind == "oxigraph":
        return None if oxigraph_binary() else "Oxigraph's server is not installed (pip install oxigraph)"
    if kind == "virtuoso":
        if shutil.which(VIRTUOSO) and shutil.which(ISQL):
            return None
        return "Virtuoso is not installed (apt-get install virtuoso-opensource)"
    raise ValueError(kind)


@dataclass
class StoreProcess:
    kind: str
    store: str  # sparql+http://... (serve --store)
    update: str  # SPARQL 1.1 Update endpoint
    gsp: str  # SPARQL 1.1 Graph Store HTTP Protocol endpoint
    user: str | None
    password: str | None
    process: subprocess.Popen
    folder: Path
    log: Path
    extra: dict = field(default_factory=dict)

    @property
    def query_url(self) -> str:
        return self.store.removeprefix("sparql+")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def _wait_http(url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the store stopped at start-up; its log:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"the store did not answer within {timeout}s; its log:\n{log.read_text(errors='replace')[-3000:]}")


def start_oxigraph(folder: Path, *, timeout_s: int | None = None) -> StoreProcess:
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "oxigraph.log"
    command = [oxigraph_binary() or "oxigraph", "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"]
    if timeout_s:
        command += ["--timeout-s", str(timeout_s)]
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    _wait_http(base + "/query", process, log)
    return StoreProcess("oxigraph", f"sparql+{base}/query", base + "/update", base + "/store", None, None,
                        process, folder, log)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {dir}, {vad}
VADInstallDir = {vad}/
CaseMode = 2
MaxClientConnections = 20
CheckpointInterval = 60
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
MaxQueryMem = 1G
; the optimizer's memory per query compile (doubled on 64-bit: 2 GB; default 400 MB): compiling the
; eligibility lookup sometimes passed 400 MB and failed with SQ200 (docs/deploy.md)
MaxMemPoolSize = 1000000000
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 10

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/vsp
ServerThreads = 20
MaxClientConnections = 20
MaxKeepAlives = 20
KeepAliveTimeout = 10
EnabledDavVSP = 0
HTTPProxyEnabled = 0
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 100000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
DefaultGraph =
"""


def isql(process: StoreProcess, statement: str, timeout: float = 600) -> str:
    """Run SQL statements (separated by ';') through isql as dba; raise on error."""
    done = subprocess.run(
        [ISQL, str(process.extra["sql_port"]), "dba", process.password or "dba", "VERBOSE=OFF",
         "BANNER=OFF", "PROMPT=OFF", "ERRORS=stdout", f"exec={statement}"],
        capture_output=True, text=True, timeout=timeout,
    )
    if done.returncode or "*** Error" in done.stdout:
        raise RuntimeError(f"isql failed: {done.stdout}{done.stderr}")
    return done.stdout


def start_virtuoso(folder: Path, *, memory_gb: float = 0.5) -> StoreProcess:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vsp").mkdir(exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    buffers = int(memory_gb * 85000)  # Virtuoso's rule of thumb: 85,000 buffers per GB
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(
        dir=folder.resolve(), vad=VIRTUOSO_VAD, sql_port=sql_port, http_port=http_port,
        buffers=buffers, dirty=buffers * 3 // 4,
    ))
    log = folder / "virtuoso.log"
    process = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
        cwd=folder, stdout=(folder / "virtuoso.out").open("wb"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{http_port}"
    started = StoreProcess("virtuoso", f"sparql+{base}/sparql", base + "/sparql-auth",
                           base + "/sparql-graph-crud-auth", "dba", "dba", process, folder, log,
                           {"sql_port": sql_port, "http_port": http_port})
    deadline = time.monotonic() + 90
    while True:  # the SQL port answers first; change the default password before anything else
        try:
            password = secrets.token_urlsafe(18)
            isql(started, f"set password dba {password};", timeout=10)
            started.password = password
            break
        except (RuntimeError, subprocess.TimeoutExpired):
            if process.poll() is not None or time.monotonic() > deadline:
                started.stop()
                raise RuntimeError("Virtuoso did not start; its log:\n" + (log.read_text(errors="replace")[-3000:]
                                                                           if log.exists() else "(none)"))
            time.sleep(0.3)
    _wait_http(base + "/sparql", process, log)
    return started


def stop_all(processes: list[StoreProcess]) -> None:
    for process in processes:
        process.stop()



def location(started: StoreProcess):
    """The RemoteStore (query, update, GSP URLs and credentials) of a started store."""
    from dataclasses import replace

    from inclusion_kg.remote.location import parse_store

    store = parse_store(started.store, update=started.update, gsp=started.gsp)
    return replace(store, user=started.user, password=started.password,
                   scheme="digest" if started.kind == "virtuoso" else "basic")


def start_published(kind: str, folder: Path) -> StoreProcess:
    """A started store of `kind` with our graph and the eligibility rules, as `publish` writes them (not
    validated again: the tests' apps validate it)."""
    from inclusion_kg.graph import load_graph
    from inclusion_kg.remote.command import published_graphs
    from inclusion_kg.remote.publish import publish

    started = start_virtuoso(folder) if kind == "virtuoso" else start_oxigraph(folder, timeout_s=5)
    try:
        for graph, triples in published_graphs(load_graph(validate=False)).items():
            publish(location(started), triples, graph)
    except BaseException:
        started.stop()
        raise
    return started


if __name__ == "__main__":  # python tests/stores.py virtuoso|oxigraph DIR: start one, print its URLs
    import json

    kind, where = sys.argv[1], Path(sys.argv[2])
    started = (start_virtuoso if kind == "virtuoso" else start_oxigraph)(where)
    print(json.dumps({"store": started.store, "update": started.update, "gsp": started.gsp, "user": started.user,
                      "pid": started.process.pid}), flush=True)
    try:
        started.process.wait()
    except KeyboardInterrupt:
        started.stop()
