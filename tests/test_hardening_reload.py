"""Reload (reload.py): new data is served only if it conforms; a failed reload keeps the last good data,
says so in /health naming the node, and the next good reload recovers. In process and through SIGHUP."""

from __future__ import annotations

import gc
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from inclusion_kg.reload import Reloadable
from inclusion_kg.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
MEASURE = ROOT / "data" / "measures" / "actiris.ttl"
OLD = "Allowance for workstation adaptations"
NEW = "Allowance for reloaded workstation adaptations"
AGENCY = "    cv:hasCompetentAuthority agency:actiris ;\n"
NODE = "https://w3id.org/inclusion-kg/id/measure/actiris-handicappremie"
QUERY = (f'SELECT ?d WHERE {{ <{NODE}> <http://purl.org/dc/terms/description> ?d FILTER(LANG(?d) = "en") }}')
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture
def root(tmp_path) -> Path:
    """A copy of the project's sources, to be edited by the test."""
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def edit(root: Path, old: str, new: str) -> None:
    path = root / "data" / "measures" / "actiris.ttl"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def description(http, url: str = "") -> tuple[str, str]:
    answer = http.get(url + "/sparql", params={"query": QUERY}, headers=JSON)
    assert answer.status_code == 200, answer.text
    return answer.json()["results"]["bindings"][0]["d"]["value"], answer.headers["etag"]


def eligibility_etag(http, url: str = "") -> str:
    answer = http.get(url + "/eligibility", params={"region": "brussels", "contract": "employment"})
    assert answer.status_code == 200, answer.text
    return answer.headers["etag"]


def test_reload_swaps_good_data_keeps_the_old_on_bad_data_and_recovers(root, start_server):
    server = Reloadable(Settings(root=root, query_workers=1))
    url = start_server(server)
    http = httpx.Client(timeout=30)
    before = http.get(url + "/health").json()
    text, etag = description(http, url)
    eligibility = eligibility_etag(http, url)
    assert text.startswith(OLD) and "reload" not in before
    assert gc.get_freeze_count() > 0  # the served app's objects are out of the collector's full passes

    edit(root, OLD, NEW)  # a changed label: served after the reload, with new ETags
    status = server.reload()
    assert status["status"] == "ok", status
    text2, etag2 = description(http, url)
    health = http.get(url + "/health").json()
    assert text2.startswith(NEW) and etag2 != etag
    assert eligibility_etag(http, url) != eligibility
    assert health["data_version"] != before["data_version"] and health["reload"]["status"] == "ok"
    good = health["data_version"]

    measures = root / "data" / "measures" / "actiris.ttl"
    good_text = measures.read_text(encoding="utf-8")
    edit(root, AGENCY, "")  # a measure without its agency: refused, the previous data keeps serving
    status = server.reload()
    health = http.get(url + "/health").json()
    assert status["status"] == "failed" and health["status"] == "ok"
    assert health["data_version"] == good  # nothing half-published
    assert health["reload"]["status"] == "failed" and NODE in health["reload"]["nodes"]
    assert NODE in health["reload"]["message"] and health["reload"]["at"]
    assert description(http, url) == (text2, etag2)

    measures.write_text(good_text, encoding="utf-8")  # fixed
    status = server.reload()
    health = http.get(url + "/health").json()
    assert status["status"] == "ok" and health["reload"]["status"] == "ok"
    assert health["data_version"] == good  # the same sources again: the same version and ETags
    assert description(http, url) == (text2, etag2)


def test_requests_in_flight_finish_on_the_old_data(root):
    """The old app's query workers are closed only when its last request has ended."""
    server = Reloadable(Settings(root=root, query_workers=1))
    old = server.current
    server._inflight[id(old)] = 1  # a request still running on the old app
    edit(root, OLD, NEW)
    assert server.reload()["status"] == "ok"
    assert server.current is not old and old.state.engine.pool.pids()  # still serving that request
    server._leave(old)
    deadline = time.monotonic() + 10
    while old.state.engine.pool.pids() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not old.state.engine.pool.pids()
    server.close()


def start(root: Path, workers: int) -> tuple[subprocess.Popen, str]:
    """`inclusion-kg serve` on a free port, in a session of its own (stopped by `stop`)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        number = sock.getsockname()[1]
    command = [sys.executable, "-m", "inclusion_kg.cli", "--root", str(root), "serve", "--port", str(number),
               "--workers", str(workers), "--query-workers", "1"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    return process, f"http://127.0.0.1:{number}"


def wait_up(process: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert process.poll() is None, process.stderr.read().decode()
        time.sleep(0.3)
    raise AssertionError("the server did not start")


def serve(root: Path, workers: int) -> tuple[subprocess.Popen, str]:
    process, url = start(root, workers)
    wait_up(process, url)
    return process, url


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def wait_for(url: str, status: str) -> dict:
    """/health once 10 answers in a row (from whichever HTTP worker) report a reload with `status`."""
    deadline, streak = time.monotonic() + 90, 0
    while time.monotonic() < deadline:
        with httpx.Client() as http:  # a new connection each time: any worker may answer
            health = http.get(url + "/health", timeout=5).json()
        streak = streak + 1 if health.get("reload", {}).get("status") == status else 0
        if streak == 10:
            return health
        time.sleep(0.05 if streak else 0.3)
    raise AssertionError(f"no reload with status {status}: {health}")


def http_workers(process: subprocess.Popen, count: int) -> list[int]:
    """With --workers N: uvicorn's worker processes (spawned children of the parent), else the server; once
    `count` of them have a SIGHUP handler (a worker still importing would die of the signal)."""
    deadline = time.monotonic() + 60
    while True:
        children = [p.pid for p in psutil.Process(process.pid).children() if "spawn_main" in " ".join(p.cmdline())]
        pids = children or [process.pid]
        if len(pids) == count and all(catches_sighup(pid) for pid in pids):
            return pids
        assert time.monotonic() < deadline, f"{len(pids)} HTTP workers, expected {count} catching SIGHUP"
        time.sleep(0.05)


@pytest.mark.parametrize("workers", [1, 2])
def test_sighup_reloads_each_http_worker(root, workers):
    process, url = serve(root, workers)
    try:
        pids = http_workers(process, workers)
        before = httpx.get(url + "/health").json()["data_version"]
        edit(root, AGENCY, "")  # bad data first: every worker keeps serving and says why
        for pid in pids:
            os.kill(pid, signal.SIGHUP)
        health = wait_for(url, "failed")
        assert health["data_version"] == before and NODE in health["reload"]["nodes"]
        edit(root, "measure:actiris-handicappremie\n", "measure:actiris-handicappremie\n" + AGENCY)
        edit(root, OLD, NEW)
        for pid in pids:
            os.kill(pid, signal.SIGHUP)
        health = wait_for(url, "ok")
        assert health["data_version"] != before
        for _ in range(5):
            with httpx.Client() as http:
                assert description(http, url)[0].startswith(NEW)
        assert process.poll() is None
    finally:
        stop(process)


def catches_sighup(pid: int) -> bool:
    """Whether the process has a handler for SIGHUP (bit 0 of SigCgt in /proc/PID/status)."""
    with open(f"/proc/{pid}/status") as status:
        mask = next(line.split()[1] for line in status if line.startswith("SigCgt:"))
    return bool(int(mask, 16) & 1)


def test_a_sighup_while_starting_is_done_once_started_not_fatal(root):
    """SIGHUP's default action kills a process: one that arrives while the server validates its data (before
    the event loop takes the signal over) is kept and the reload runs once the server is up."""
    process, url = start(root, 1)
    try:
        deadline = time.monotonic() + 60
        while not catches_sighup(process.pid):  # the handler is set first thing, before the data is read
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.01)
        with pytest.raises(httpx.TransportError):
            httpx.get(url + "/health", timeout=1)  # still starting
        os.kill(process.pid, signal.SIGHUP)
        wait_up(process, url)  # it survives the signal
        health = wait_for(url, "ok")  # then the reload asked while it started runs
        assert process.poll() is None and health["reload"]["data_version"] == health["data_version"]
    finally:
        stop(process)
