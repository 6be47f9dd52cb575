"""Reload (reload.py, SIGHUP to `inclusion-kg serve`): new data is served only if it conforms, by new HTTP
workers; a failed reload keeps the last good data, says so in /health naming the node, and the next good
reload recovers; requests in flight finish on the old data. With 1 and with 2 workers."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from pathlib import Path

import httpx
import psutil
import pytest

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


def wait_for(url: str, status: str) -> dict:
    """/health once 10 answers in a row (from whichever HTTP worker) report a reload with `status`."""
    deadline, streak, health = time.monotonic() + 90, 0, {}
    while time.monotonic() < deadline:
        with httpx.Client() as http:  # a new connection each time: any worker may answer
            health = http.get(url + "/health", timeout=5).json()
        streak = streak + 1 if health.get("reload", {}).get("status") == status else 0
        if streak == 10:
            return health
        time.sleep(0.05 if streak else 0.3)
    raise AssertionError(f"no reload with status {status}: {health}")


def workers(served) -> set[int]:
    return {p.pid for p in psutil.Process(served.process.pid).children()}


@pytest.mark.parametrize("count", [1, 2])
def test_reload_swaps_good_data_keeps_the_old_on_bad_data_and_recovers(root, serve_cli, count):
    served = serve_cli("--workers", str(count), root=root)
    url = served.url
    http = httpx.Client(timeout=30)
    before = http.get(url + "/health").json()
    text, etag = description(http, url)
    eligibility = eligibility_etag(http, url)
    assert text.startswith(OLD) and "reload" not in before
    first = workers(served)

    edit(root, OLD, NEW)  # a changed label: served after the reload, by new workers, with new ETags
    os.kill(served.process.pid, signal.SIGHUP)
    health = wait_for(url, "ok")
    http = httpx.Client(timeout=30)
    text2, etag2 = description(http, url)
    assert text2.startswith(NEW) and etag2 != etag
    assert eligibility_etag(http, url) != eligibility
    assert health["data_version"] != before["data_version"]
    deadline = time.monotonic() + 10
    while first & workers(served) and time.monotonic() < deadline:  # the old ones finish and exit
        time.sleep(0.05)
    assert not first & workers(served) and len(workers(served)) == count  # every worker was replaced
    good = health["data_version"]

    measures = root / "data" / "measures" / "actiris.ttl"
    good_text = measures.read_text(encoding="utf-8")
    edit(root, AGENCY, "")  # a measure without its agency: refused, the previous data keeps serving
    os.kill(served.process.pid, signal.SIGHUP)
    health = wait_for(url, "failed")
    assert health["status"] == "ok" and health["data_version"] == good  # nothing half-published
    assert NODE in health["reload"]["nodes"] and NODE in health["reload"]["message"] and health["reload"]["at"]
    assert description(httpx.Client(timeout=30), url) == (text2, etag2)

    measures.write_text(good_text, encoding="utf-8")  # fixed
    os.kill(served.process.pid, signal.SIGHUP)
    health = wait_for(url, "ok")
    assert health["data_version"] == good  # the same sources again: the same version and ETags
    assert description(httpx.Client(timeout=30), url) == (text2, etag2)
    assert served.process.poll() is None
    served.stop()


def test_requests_in_flight_finish_on_the_old_data(root, serve_cli):
    """The old workers stop accepting but answer what they were asked before they exit."""
    served = serve_cli("--workers", "1", "--query-timeout", "60", root=root)
    slow = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STR(?c) < STR(?f)) "
            f'FILTER(EXISTS {{ <{NODE}> ?x "{OLD}"@en }} || true) }}')  # seconds of work
    answer = {}

    def ask():
        answer["response"] = httpx.post(served.url + "/sparql", data={"query": slow}, headers=JSON, timeout=60)

    thread = threading.Thread(target=ask)
    thread.start()
    time.sleep(0.5)
    edit(root, OLD, NEW)
    os.kill(served.process.pid, signal.SIGHUP)
    wait_for(served.url, "ok")
    assert description(httpx.Client(timeout=30), served.url)[0].startswith(NEW)
    thread.join(60)
    assert answer["response"].status_code == 200, answer["response"].text
    served.stop()


def catches_sighup(pid: int) -> bool:
    """Whether the process has a handler for SIGHUP (bit 0 of SigCgt in /proc/PID/status)."""
    with open(f"/proc/{pid}/status") as status:
        mask = next(line.split()[1] for line in status if line.startswith("SigCgt:"))
    return bool(int(mask, 16) & 1)


def test_a_sighup_while_starting_is_done_once_started_not_fatal(root, serve_cli):
    """SIGHUP's default action kills a process: one that arrives while the server validates its data (before
    the supervisor takes the signal over) is kept and the reload runs once the server is up."""
    served = serve_cli("--workers", "1", root=root, wait=False)
    deadline = time.monotonic() + 60
    while not catches_sighup(served.process.pid):  # the handler is set first thing, before the data is read
        assert time.monotonic() < deadline and served.process.poll() is None
        time.sleep(0.01)
    with pytest.raises(httpx.TransportError):
        httpx.get(served.url + "/health", timeout=1)  # still starting
    os.kill(served.process.pid, signal.SIGHUP)
    served.wait_up()  # it survives the signal
    health = wait_for(served.url, "ok")  # then the reload asked while it started runs
    assert served.process.poll() is None and health["reload"]["data_version"] == health["data_version"]
    served.stop()
