"""Every IRI under the base dereferences at the server, with content negotiation (Accept, ?format=),
`Vary: Accept`, a 404 page for unknown IRIs, and the ontology as RDF and as HTML documentation."""

import json

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from inclusion_kg.graph import load_graph
from inclusion_kg.namespaces import BASE, IKG
from inclusion_kg.publish.describe import describe_graph

MEASURE = "id/measure/phare-inzetpremie"
FORMATS = [
    ("text/turtle", "turtle", "text/turtle"),
    ("application/n-triples", "nt", "application/n-triples"),
    ("application/ld+json", "json-ld", "application/ld+json"),
    ("application/rdf+xml", "xml", "application/rdf+xml"),
]


@pytest.fixture(scope="module")
def data() -> Graph:
    return load_graph(validate=False)


def parse(response, fmt: str) -> Graph:
    return Graph().parse(data=response.content, format=fmt)


@pytest.mark.parametrize("accept,fmt,media_type", FORMATS)
def test_measure_negotiates_every_rdf_format(client, data, accept, fmt, media_type):
    response = client.get(f"/{MEASURE}", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert "Accept" in response.headers["vary"]
    expected = describe_graph(data, URIRef(BASE + MEASURE))
    assert isomorphic(parse(response, fmt), expected)


def test_html_is_negotiated_for_browsers(client):
    response = client.get(f"/{MEASURE}", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.headers["content-type"].startswith("text/html")
    assert "Accept" in response.headers["vary"]


def test_q_values_are_honoured(client):
    response = client.get(f"/{MEASURE}", headers={"Accept": "text/html;q=0.5, text/turtle;q=0.9"})
    assert response.headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize("param,media_type", [("ttl", "text/turtle"), ("nt", "application/n-triples"),
                                              ("jsonld", "application/ld+json"), ("rdf", "application/rdf+xml"),
                                              ("html", "text/html")])
def test_format_parameter_overrides_accept(client, param, media_type):
    response = client.get(f"/{MEASURE}?format={param}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)


def test_unacceptable_format_is_406_and_says_what_we_serve(client):
    response = client.get(f"/{MEASURE}", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.text
    assert client.get(f"/{MEASURE}?format=docx").status_code == 406


def test_jsonld_uses_the_published_context(client):
    context = client.get("/context.jsonld").json()["@context"]
    assert context["ikg"] == str(IKG) and context["measure"] == BASE + "id/measure/"
    document = client.get(f"/{MEASURE}", headers={"Accept": "application/ld+json"}).json()
    assert document["@context"] == context
    assert any(key.startswith("cv:") for key in json.dumps(document).split('"'))


def test_unknown_iri_is_a_404_page(client):
    response = client.get("/id/measure/no-such-measure", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "https://w3id.org/inclusion-kg/id/measure/no-such-measure" in response.text
    assert client.get("/id/measure/no-such-measure", headers={"Accept": "text/turtle"}).status_code == 404


def test_every_iri_under_the_base_dereferences(client, data):
    subjects = sorted({s for s in data.subjects() if isinstance(s, URIRef) and str(s).startswith(BASE + "id/")})
    assert len(subjects) > 100
    for subject in subjects:
        path = str(subject)[len(BASE) - 1:]
        turtle = client.get(path, headers={"Accept": "text/turtle"})
        assert turtle.status_code == 200, path
        assert (subject, None, None) in parse(turtle, "turtle"), path
        page = client.get(path, headers={"Accept": "text/html"})
        assert page.status_code == 200 and str(subject) in page.text, path


def test_catalogue_resources_dereference_too(client):
    for path in ("/id/dataset/inclusion-kg", "/id/organisation/inclusion-kg-contributors"):
        response = client.get(path, headers={"Accept": "text/turtle"})
        assert response.status_code == 200, path
        assert (URIRef(BASE + path[1:]), None, None) in parse(response, "turtle")


def test_etag_revalidation(client):
    first = client.get(f"/{MEASURE}", headers={"Accept": "text/turtle"})
    again = client.get(f"/{MEASURE}", headers={"Accept": "text/turtle", "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_ontology_as_rdf(client, data):
    response = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    ontology = parse(response, "turtle")
    assert (URIRef(BASE + "ontology"), RDF.type, OWL.Ontology) in ontology
    assert (IKG.SupportMeasure, RDF.type, OWL.Class) in ontology


def test_ontology_documents_every_class_and_property(client, data):
    page = client.get("/ontology", headers={"Accept": "text/html"}).text
    terms = {s for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
             for s in data.subjects(RDF.type, kind) if str(s).startswith(str(IKG))}
    assert len(terms) > 10
    for term in terms:
        assert f'id="{str(term)[len(str(IKG)):]}"' in page, term


def test_ontology_terms_are_defined_in_the_languages_of_their_labels(data):
    """Definitions reach users in the languages of the term's labels: the form's hints, and the reason a
    measure is not offered for a hire (the policy layer's terms are labelled in Dutch and English only)."""
    from rdflib.namespace import SKOS

    defined = {s for s in data.subjects(SKOS.definition, None) if str(s).startswith(str(IKG))}
    four = 0
    for term in defined:
        labelled = sorted({o.language for o in data.objects(term, RDFS.label | SKOS.prefLabel)})
        assert sorted(o.language for o in data.objects(term, SKOS.definition)) == labelled, term
        four += labelled == ["de", "en", "fr", "nl"]
    assert four >= 22


def test_base_url_keeps_links_relative(make_app):
    from fastapi.testclient import TestClient

    with TestClient(make_app(base_url="https://example.org/lod/")) as client:
        page = client.get(f"/{MEASURE}", headers={"Accept": "text/html"}).text
    assert 'href="../agency/phare"' in page
    assert "https://w3id.org/inclusion-kg/id/measure/phare-inzetpremie" in page  # the IRI is still shown


def test_rdf_descriptions_come_from_the_query_engine(app, client):
    engine = app.state.engine
    queries = []

    class Spy:
        def execute(self, query, media_type, **kwargs):
            queries.append((query, kwargs))
            return engine.execute(query, media_type, **kwargs)

    app.state.engine = Spy()
    try:
        response = client.get(f"/{MEASURE}?format=nt&spy=1")
    finally:
        app.state.engine = engine
    assert response.status_code == 200
    assert len(queries) == 1 and queries[0][0].startswith("CONSTRUCT")
    assert queries[0][1]["default_graph_uris"] == ["https://w3id.org/inclusion-kg/id/dataset/inclusion-kg"]


def test_shapes_dereference_as_rdf_and_documentation(client):
    from rdflib.namespace import SH

    from inclusion_kg.graph import parse_files, shape_files
    from inclusion_kg.namespaces import IKGSH

    shapes = parse_files(shape_files())
    served = parse(client.get("/shapes", headers={"Accept": "text/turtle"}), "turtle")
    assert isomorphic(served, shapes)
    page = client.get("/shapes", headers={"Accept": "text/html"}).text
    named = {s for kind in (SH.NodeShape, SH.PropertyShape) for s in shapes.subjects(RDF.type, kind)
             if str(s).startswith(str(IKGSH))}
    assert named
    for shape in named:
        assert f'id="{str(shape)[len(str(IKGSH)):]}"' in page, shape
