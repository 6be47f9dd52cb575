"""GET /health answers with what is served."""

import httpx
from fastapi.testclient import TestClient

from inclusion_kg.app import create_app
from inclusion_kg.graph import data_version


def test_health_reports_triples_and_data_version():
    with TestClient(create_app()) as client:
        response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["triples"] > 1000
    assert body["data_version"] == data_version()



def test_serve_shares_its_answer_budget_among_its_workers_and_each_keeps_within_its_share(serve_cli):
    budget = 40_000
    served = serve_cli("--workers", "2", "--cache-bytes", str(budget))
    for number in range(120):  # distinct answers of about 1 kB each, on new connections (to either worker)
        query = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT 8 OFFSET {number}"
        answer = httpx.get(served.url + "/sparql", params={"query": query},
                           headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert answer.status_code == 200
    caches = {}
    for _ in range(40):
        body = httpx.get(served.url + "/health", timeout=30).json()
        caches[body["worker"]] = body["cache"]
    assert caches, "no /health answer"
    for cache in caches.values():
        assert cache["max_bytes"] == budget // 2
        assert 0 < cache["bytes"] <= budget // 2
        assert cache["answers"] < 120  # the least recently used went
