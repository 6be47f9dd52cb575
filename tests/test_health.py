"""GET /health answers with what is served."""

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
