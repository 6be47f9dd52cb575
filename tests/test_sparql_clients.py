"""Real SPARQL clients against a real uvicorn server: SPARQLWrapper, rdflib's SPARQLStore, federated SERVICE."""

from __future__ import annotations

import csv
import io

import pyoxigraph
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, GET, JSON, POST, POSTDIRECTLY, TURTLE, URLENCODED, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from inclusion_kg.namespaces import IKG

MEASURES = f"SELECT ?m WHERE {{ ?m a <{IKG.SupportMeasure}> }} ORDER BY ?m"


@pytest.fixture(scope="module")
def endpoint(live_server) -> str:
    return f"{live_server}/sparql"


@pytest.fixture(scope="module")
def measures(client) -> list[str]:
    body = client.get("/sparql", params={"query": MEASURES}).json()
    found = [row["m"]["value"] for row in body["results"]["bindings"]]
    assert len(found) >= 10
    return found


@pytest.mark.parametrize(
    "method, request_method", [(GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)]
)
def test_sparqlwrapper_select_json(endpoint, measures, method, request_method):
    client = SPARQLWrapper(endpoint)
    client.setMethod(method)
    client.setRequestMethod(request_method)
    client.setQuery(MEASURES)
    client.setReturnFormat(JSON)
    result = client.queryAndConvert()
    assert [row["m"]["value"] for row in result["results"]["bindings"]] == measures


def test_sparqlwrapper_xml_csv_ask_and_construct(endpoint, measures):
    client = SPARQLWrapper(endpoint)
    client.setQuery(MEASURES)
    client.setReturnFormat(XML)
    document = client.queryAndConvert()
    assert len(document.getElementsByTagName("result")) == len(measures)
    client.setReturnFormat(CSV)
    table = list(csv.reader(io.StringIO(client.queryAndConvert().decode())))
    assert [row[0] for row in table[1:]] == measures
    client.setQuery(f"ASK {{ <{measures[0]}> a <{IKG.SupportMeasure}> }}")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True
    client.setMethod(POST)
    client.setQuery(f"CONSTRUCT {{ ?m a <{IKG.SupportMeasure}> }} WHERE {{ ?m a <{IKG.SupportMeasure}> }}")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.queryAndConvert(), format="turtle")
    assert sorted(str(s) for s in graph.subjects(RDF.type, IKG.SupportMeasure)) == measures


def test_sparqlwrapper_sees_syntax_errors_as_bad_queries(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery("SELECT * WHERE { ?s ?p }")
    client.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed, match=r"\"position\":\"1:25\""):
        client.queryAndConvert()


def test_rdflib_sparqlstore(endpoint, measures):
    graph = Graph(store=SPARQLStore(endpoint, returnFormat="json"))
    found = sorted(str(row.m) for row in graph.query(MEASURES))
    assert found == measures
    assert sorted(str(s) for s in graph.subjects(RDF.type, IKG.SupportMeasure)) == measures
    assert len(graph) > 1000


def test_federated_service_call_from_a_separate_oxigraph(endpoint, measures):
    local = pyoxigraph.Store()
    answer = local.query(f"SELECT ?m WHERE {{ SERVICE <{endpoint}> {{ ?m a <{IKG.SupportMeasure}> }} }} ORDER BY ?m")
    assert [solution["m"].value for solution in answer] == measures


def test_federated_service_call_from_rdflib(endpoint, measures):
    local = Graph()
    local.add((URIRef(measures[0]), RDF.type, URIRef("urn:local#Chosen")))
    answer = local.query(
        f"""SELECT ?m ?label WHERE {{
              ?m a <urn:local#Chosen> .
              SERVICE <{endpoint}> {{ ?m <http://www.w3.org/2004/02/skos/core#prefLabel> ?label FILTER(lang(?label) = "nl") }}
            }}"""
    )
    rows = list(answer)
    assert len(rows) == 1 and str(rows[0].m) == measures[0] and str(rows[0].label)
