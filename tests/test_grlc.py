"""grlc itself (PyPI `grlc`) serves queries/ as a local repository against our /sparql, as a user would run it.

The folder is meant to work as a grlc repository (docs/eligibility.md). grlc reads `config.ini` from its
working directory when it is imported, so it runs as its own process (its Flask server), pointed at a live
uvicorn server of our app. Every query must be in grlc's API with our parameters and enumerations, and grlc's
answers must be ours.
"""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest

from conftest import free_port
from inclusion_kg.graph import project_root

ID = "https://w3id.org/inclusion-kg/id/"
# Aggregated lists (GROUP_CONCAT) whose order SPARQL leaves open: compared as sets of their parts.
LISTS = {"expected": " | ", "sources": " ", "recommendations": ", "}


@pytest.fixture(scope="module")
def grlc_api(live_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("grlc")
    (folder / "config.ini").write_text(
        f"[defaults]\nsparql_endpoint = {live_server}/sparql\ndebug = False\n"
        f"[local]\nlocal_sparql_dir = {project_root() / 'queries'}/\n",
        encoding="utf-8",
    )
    port = free_port()
    log = (folder / "grlc.log").open("w")  # a file, not a pipe: grlc logs every request, nothing reads a pipe
    server = subprocess.Popen(
        [sys.executable, "-c", f"from grlc.server import app; app.run(host='127.0.0.1', port={port})"],
        cwd=folder, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/api-local"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(url + "/swagger", timeout=5).raise_for_status()
            break
        except httpx.TransportError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"grlc did not start: {(folder / 'grlc.log').read_text()[-2000:]}")
            time.sleep(0.3)
    yield url
    server.terminate()
    server.wait(10)
    log.close()


def test_grlc_builds_an_operation_for_every_query_with_our_parameters(grlc_api, app):
    spec = httpx.get(grlc_api + "/swagger", timeout=60).json()
    catalog = app.state.named_queries
    assert sorted(spec["paths"]) == sorted("/" + query.name for query in catalog)
    for query in catalog:
        theirs = {p["name"]: p for p in spec["paths"]["/" + query.name]["get"]["parameters"] if p["name"] != "endpoint"}
        assert sorted(theirs) == sorted(p.name for p in query.parameters), query.name
        for ours in query.parameters:
            parameter = theirs[ours.name]
            assert set(parameter.get("enum", ())) == set(ours.enum or ()), (query.name, ours.name)
            if ours.default is None:
                assert parameter["required"] == ours.required, (query.name, ours.name)
            else:
                assert parameter["default"] == ours.default, (query.name, ours.name)


def rows(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    found = []
    for binding in response.json()["results"]["bindings"]:
        for name, separator in LISTS.items():
            if name in binding:
                binding[name]["value"] = sorted(binding[name]["value"].split(separator))
        found.append(repr(sorted(binding.items())))
    return sorted(found)


@pytest.mark.parametrize(
    "name, params",
    [
        ("measures-by-region", {"region": ID + "region/wallonia", "lang": "fr"}),
        ("measures-by-agency", {"agency": ID + "agency/vdab", "lang": "en"}),
        ("measures-for-contract-type", {"contract": ID + "contract-type/discovery-internship", "region": ID + "region/wallonia",
                                        "lang": "nl"}),
        ("conditions-of-measure", {"measure": ID + "measure/actiris-handicappremie", "lang": "nl"}),
        ("sources-of-measure", {"measure": ID + "measure/aviq-integratiepremie", "lang": "en"}),
        ("measures-without-quota-condition", {"lang": "fr"}),
        ("agencies-and-regions", {"lang": "de"}),
        ("initiatives-by-organisation", {}),
        ("eligibility", {"region": ID + "region/wallonia", "contract": ID + "contract-type/employment",
                         "employmentRate": "0.035", "inactiveMonths": "8", "date": "2025-10-01", "lang": "fr"}),
        ("eligibility", {"region": ID + "region/brussels", "contract": ID + "contract-type/employment",
                         "employer": ID + "organisation-type/education-institution", "staff": ID + "staff-category/support",
                         "appointment": ID + "appointment/contractual", "employmentRate": "0.03", "date": "2025-10-01",
                         "lang": "en"}),
    ],
)  # fmt: skip
def test_grlc_answers_as_our_named_queries(grlc_api, live_server, name, params):
    """grlc applies no defaults itself (its page fills them in): `lang`, required there, is always given."""
    accept = {"accept": "application/sparql-results+json"}
    theirs = rows(httpx.get(f"{grlc_api}/{name}", params=params, headers=accept, timeout=60))
    ours = rows(httpx.get(f"{live_server}/queries/{name}", params=params, headers=accept, timeout=60))
    assert theirs and theirs == ours
