"""The DCAT-AP 3 catalogue at /catalog passes the official DCAT-AP 3.0.1 shapes, and VoID describes the
dataset; both point to the dumps and the SPARQL endpoint at the public address (--base-url)."""

import hashlib
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SH, VOID, XSD

from inclusion_kg.graph import load_graph
from inclusion_kg.namespaces import DATASET, VCARD

STANDARDS = Path(__file__).parent / "standards" / "dcat-ap-3.0.1"
SPDX = Namespace("http://spdx.org/rdf/terms#")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
LANGS = {"nl", "fr", "de", "en"}


def get_graph(client, path: str, accept: str = "text/turtle", fmt: str = "turtle") -> Graph:
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.content, format=fmt)


@pytest.fixture(scope="module")
def catalog(client) -> Graph:
    return get_graph(client, "/catalog")


@pytest.fixture(scope="module")
def dcat_ap_shapes() -> Graph:
    shapes = Graph()
    for name in ("shapes.ttl", "range.ttl"):
        shapes.parse(STANDARDS / name, format="turtle")
    return shapes


def test_catalog_conforms_to_the_official_dcat_ap_shapes(catalog, dcat_ap_shapes):
    conforms, report, text = validate(catalog, shacl_graph=dcat_ap_shapes, inference="none")
    violations = list(report.subjects(SH.resultSeverity, SH.Violation))
    assert not violations, text
    assert conforms, text


def test_the_shapes_do_catch_a_broken_catalogue(catalog, dcat_ap_shapes):
    broken = Graph()
    for triple in catalog:
        broken.add(triple)
    broken.remove((DATASET, DCTERMS.title, None))
    conforms, report, _ = validate(broken, shacl_graph=dcat_ap_shapes, inference="none")
    assert not conforms
    assert (None, SH.focusNode, DATASET) in report


def test_dataset_metadata(catalog):
    ds = DATASET
    assert (None, DCAT.dataset, ds) in catalog
    for prop in (DCTERMS.title, DCTERMS.description):
        assert {v.language for v in catalog.objects(ds, prop)} >= LANGS, prop
    assert {k.language for k in catalog.objects(ds, DCAT.keyword)} == LANGS
    publisher = catalog.value(ds, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in catalog and catalog.value(publisher, FOAF.name)
    contact = catalog.value(ds, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in catalog and catalog.value(contact, VCARD.fn)
    assert (ds, DCAT.theme, URIRef(EU + "data-theme/SOCI")) in catalog
    assert (ds, DCTERMS.spatial, URIRef(EU + "country/BEL")) in catalog
    assert {str(v) for v in catalog.objects(ds, DCTERMS.language)} == {
        EU + f"language/{code}" for code in ("NLD", "FRA", "DEU", "ENG")}
    period = catalog.value(ds, DCTERMS.temporal)
    assert catalog.value(period, DCAT.startDate) is not None and catalog.value(period, DCAT.endDate) is not None
    assert catalog.value(ds, URIRef(str(DCAT) + "version")) is not None
    assert catalog.value(ds, DCTERMS.modified).datatype == XSD.date
    assert any(catalog.objects(ds, DCTERMS.conformsTo))


def test_one_distribution_per_dump_with_size_and_sha256(client, catalog):
    # the dumps: the files to download (the change feed is a distribution too, without a download URL)
    distributions = [d for d in catalog.objects(DATASET, DCAT.distribution) if (d, DCAT.downloadURL, None) in catalog]
    assert len(distributions) == 4
    media_types = set()
    for dist in distributions:
        assert catalog.value(dist, DCTERMS.license) == CC_BY
        url = str(catalog.value(dist, DCAT.downloadURL))
        assert url.startswith("https://w3id.org/inclusion-kg/dumps/")
        body = client.get("/dumps/" + url.rsplit("/", 1)[1]).content
        assert catalog.value(dist, DCAT.byteSize) == Literal(len(body), datatype=XSD.nonNegativeInteger)
        checksum = catalog.value(dist, SPDX.checksum)
        assert catalog.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(catalog.value(checksum, SPDX.checksumValue)) == hashlib.sha256(body).hexdigest()
        media_types.add(str(catalog.value(dist, DCAT.mediaType)).removeprefix(IANA))
    assert media_types == {"text/turtle", "application/n-triples", "application/ld+json", "application/n-quads"}


def test_sparql_endpoint_is_a_data_service(catalog):
    sparql = URIRef("https://w3id.org/inclusion-kg/sparql")  # the change feed is a data service too
    services = [s for s in catalog.subjects(RDF.type, DCAT.DataService) if catalog.value(s, DCAT.endpointURL) == sparql]
    assert len(services) == 1
    service = services[0]
    assert catalog.value(service, DCAT.endpointURL) == URIRef("https://w3id.org/inclusion-kg/sparql")
    assert (service, DCAT.servesDataset, DATASET) in catalog
    assert (None, DCAT.service, service) in catalog


@pytest.mark.parametrize("accept,fmt", [("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
                                        ("application/n-triples", "nt")])
def test_catalog_in_every_rdf_format_says_the_same(client, catalog, accept, fmt):
    assert isomorphic(get_graph(client, "/catalog", accept, fmt), catalog)


def test_catalog_for_browsers_is_a_page_listing_the_dumps(client):
    response = client.get("/catalog", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.headers["content-type"].startswith("text/html")
    for name in ("inclusion-kg.ttl", "inclusion-kg.nt", "inclusion-kg.jsonld", "inclusion-kg.nq"):
        assert name in response.text
    assert client.get("/catalog", headers={"Accept": "*/*"}).headers["content-type"].startswith("text/turtle")


def test_void_describes_the_served_dataset(client):
    void = get_graph(client, "/.well-known/void")
    data = load_graph(validate=False)
    assert void.value(DATASET, VOID.triples).toPython() == len(data)
    classes = {c for _, c in data.subject_objects(RDF.type)}
    assert void.value(DATASET, VOID.classes).toPython() == len(classes)
    assert void.value(DATASET, VOID.properties).toPython() == len(set(data.predicates()))
    partitioned = {void.value(p, VOID["class"]) for p in void.objects(DATASET, VOID.classPartition)}
    assert partitioned == classes
    vocabularies = {str(v) for v in void.objects(DATASET, VOID.vocabulary)}
    assert {"http://purl.org/vocab/cpsv#", "http://data.europa.eu/m8g/",
            "http://www.w3.org/2004/02/skos/core#"} <= vocabularies
    assert str(void.value(DATASET, VOID.uriSpace)) == "https://w3id.org/inclusion-kg/id/"
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef("https://w3id.org/inclusion-kg/sparql")
    assert len(list(void.objects(DATASET, VOID.dataDump))) == 4


def test_base_url_moves_every_public_url(make_app):
    from fastapi.testclient import TestClient

    app = make_app(base_url="http://example.org/ikg")
    with TestClient(app) as client:
        catalog = get_graph(client, "/catalog")
        void = get_graph(client, "/.well-known/void")
    urls = {str(o) for o in catalog.objects(None, DCAT.downloadURL)} | {str(o) for o in void.objects(None, VOID.dataDump)}
    assert urls and all(url.startswith("http://example.org/ikg/dumps/") for url in urls)
    assert (None, DCAT.endpointURL, URIRef("http://example.org/ikg/sparql")) in catalog
    # the IRIs themselves never move
    assert (None, DCAT.dataset, DATASET) in catalog
