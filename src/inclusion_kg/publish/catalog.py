"""The DCAT-AP 3 catalogue and the VoID description of the served dataset.

The hand-written part is catalog.ttl beside this module; what follows from the data and the dumps is added
here once at start-up (or at export): version, modified, temporal coverage, one distribution per dump with
its byte size and SHA-256, the SPARQL endpoint as a dcat:DataService, and every URL, which depends on
--base-url (the public address of the server).
"""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, VOID, XSD

from inclusion_kg import __version__
from inclusion_kg.namespaces import BASE, DATASET, LDES, PREFIXES, TREE, bind_prefixes
from inclusion_kg.publish.dumps import Dump
from inclusion_kg.publish.formats import SPDX as SPDX_IRI

SPDX = Namespace(SPDX_IRI)
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3; not in rdflib's closed DCAT namespace
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
IANA = Namespace("https://www.iana.org/assignments/media-types/")
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
CATALOG = URIRef(BASE + "catalog")
PUBLISHER = URIRef(BASE + "id/organisation/inclusion-kg-contributors")
CONTACT = URIRef(f"{DATASET}/contact-point")
SPARQL_SERVICE = URIRef(f"{DATASET}/service/sparql")
VOID_DESCRIPTION = URIRef(BASE + ".well-known/void")
EU_FILE_TYPES = {"ttl": "RDF_TURTLE", "nt": "RDF_N_TRIPLES", "jsonld": "JSON_LD", "nq": "RDF_N_QUADS"}
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
LDES_SPEC = URIRef("https://w3id.org/ldes/specification")  # SEMIC Linked Data Event Streams 1.0
FEED_SERVICE = URIRef(f"{DATASET}/service/feed")
FEED_DISTRIBUTION = URIRef(f"{DATASET}/distribution/feed")
FEED_STREAM = URIRef(f"{DATASET}/feed")  # the ldes:EventStream of /feed
# DCAT 3 versioning terms, not in rdflib's closed DCAT namespace
HAS_VERSION, CURRENT_VERSION = URIRef(str(DCAT) + "hasVersion"), URIRef(str(DCAT) + "hasCurrentVersion")
RELEASE_PREDICATES = (RDF.type, DCAT_VERSION, URIRef(str(DCAT) + "previousVersion"), DCTERMS.issued,
                      DCTERMS.title, DCTERMS.description, URIRef("http://www.w3.org/ns/adms#versionNotes"))
STATIC = Path(__file__).with_name("catalog.ttl")


def distribution_iri(dump: Dump) -> URIRef:
    return URIRef(f"{DATASET}/distribution/{dump.format.extension}")


def public_url(base_url: str, path: str) -> URIRef:
    return URIRef(base_url.rstrip("/") + "/" + path.lstrip("/"))


def data_modified(root: Path, files: list[Path]) -> datetime.date:
    """When the data last changed: the last commit touching it, else the newest file's date."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%cs", "--", "ontology", "data"],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout.strip()
        if out:
            return datetime.date.fromisoformat(out)
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    newest = max((p.stat().st_mtime for p in files), default=0)
    return datetime.datetime.fromtimestamp(newest, datetime.timezone.utc).date()


def coverage(data: Graph) -> tuple[Literal, Literal] | None:
    """The period the sources cover: their earliest and latest date of issue or update (the brochure prints
    only when it was updated, dct:modified)."""
    issued = set(data.objects(None, DCTERMS.issued))
    updated = {o for s, o in data.subject_objects(DCTERMS.modified) if (s, RDF.type, FOAF.Document) in data}
    dates = sorted((o for o in issued | updated if isinstance(o, Literal)), key=str)
    return (dates[0], dates[-1]) if dates else None


def add_distribution(g: Graph, dump: Dump, base_url: str, modified: Literal) -> URIRef:
    dist = distribution_iri(dump)
    url = public_url(base_url, f"dumps/{dump.filename}")
    media = IANA[dump.format.media_type]
    file_type = FILE_TYPE[EU_FILE_TYPES[dump.format.extension]]
    checksum = BNode(f"checksum-{dump.format.extension}")
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal(f"inclusion-kg, {dump.format.label} dump", lang="en")))
    g.add((dist, DCTERMS.description, Literal(
        f"The whole dataset (ontology and data) as {dump.format.label}, one file.", lang="en")))
    g.add((dist, DCAT.accessURL, url))
    g.add((dist, DCAT.downloadURL, url))
    g.add((dist, DCAT.mediaType, media))
    g.add((media, RDF.type, DCTERMS.MediaType))
    g.add((dist, DCTERMS.format, file_type))
    g.add((file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
    g.add((dist, DCTERMS.license, LICENCE))
    g.add((dist, DCTERMS.modified, modified))
    g.add((dist, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
    g.add((dist, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)))
    return dist


def add_service(g: Graph, base_url: str) -> None:
    endpoint = public_url(base_url, "sparql")
    g.add((CATALOG, DCAT.service, SPARQL_SERVICE))
    g.add((SPARQL_SERVICE, RDF.type, DCAT.DataService))
    for lang, title in (("nl", "SPARQL-endpoint van inclusion-kg"), ("fr", "Point d'accès SPARQL d'inclusion-kg"),
                        ("de", "SPARQL-Endpunkt von inclusion-kg"), ("en", "inclusion-kg SPARQL endpoint")):
        g.add((SPARQL_SERVICE, DCTERMS.title, Literal(title, lang=lang)))
    g.add((SPARQL_SERVICE, DCTERMS.description, Literal(
        "A SPARQL 1.1 endpoint (protocol: GET and POST) over the whole dataset, with a query page for browsers.",
        lang="en")))
    g.add((SPARQL_SERVICE, DCAT.endpointURL, endpoint))
    g.add((SPARQL_SERVICE, DCAT.servesDataset, DATASET))
    g.add((SPARQL_SERVICE, DCTERMS.conformsTo, SPARQL_PROTOCOL))
    g.add((SPARQL_PROTOCOL, RDF.type, DCTERMS.Standard))
    g.add((SPARQL_SERVICE, DCTERMS.license, LICENCE))
    g.add((SPARQL_SERVICE, DCTERMS.publisher, PUBLISHER))
    g.add((SPARQL_SERVICE, DCAT.contactPoint, CONTACT))
    g.add((SPARQL_SERVICE, DCAT.theme, URIRef("http://publications.europa.eu/resource/authority/data-theme/SOCI")))


def add_releases(g: Graph, log, base_url: str) -> None:
    """The releases of the change log as DCAT 3 versions of the dataset, and the feed (LDES) as a
    distribution served by a data service that conforms to the LDES specification."""
    for release in log.releases:
        g.add((DATASET, HAS_VERSION, release.iri))
        for predicate in RELEASE_PREDICATES:  # not dct:hasPart: the version objects are in the feed
            for value in log.graph.objects(release.iri, predicate):
                g.add((release.iri, predicate, value))
    if log.latest is not None:
        g.add((DATASET, CURRENT_VERSION, log.latest.iri))
    feed = public_url(base_url, "feed")
    g.add((DATASET, DCAT.distribution, FEED_DISTRIBUTION))
    g.add((FEED_DISTRIBUTION, RDF.type, DCAT.Distribution))
    title = Literal("inclusion-kg, change feed (Linked Data Event Stream)", lang="en")
    g.add((FEED_DISTRIBUTION, DCTERMS.title, title))
    g.add((FEED_DISTRIBUTION, DCTERMS.description, Literal(
        "Every release's version objects (created, updated, withdrawn), as an LDES 1.0 event stream.", lang="en")))
    g.add((FEED_DISTRIBUTION, DCAT.accessURL, feed))
    g.add((FEED_DISTRIBUTION, DCAT.accessService, FEED_SERVICE))
    g.add((FEED_DISTRIBUTION, DCTERMS.conformsTo, LDES_SPEC))
    g.add((FEED_DISTRIBUTION, DCTERMS.license, LICENCE))
    g.add((FEED_DISTRIBUTION, DCAT.mediaType, IANA["text/turtle"]))
    g.add((IANA["text/turtle"], RDF.type, DCTERMS.MediaType))
    g.add((CATALOG, DCAT.service, FEED_SERVICE))
    g.add((FEED_SERVICE, RDF.type, DCAT.DataService))
    g.add((FEED_SERVICE, DCTERMS.title, Literal("inclusion-kg change feed (LDES)", lang="en")))
    g.add((FEED_SERVICE, DCAT.endpointURL, feed))
    g.add((FEED_SERVICE, DCAT.servesDataset, DATASET))
    g.add((FEED_SERVICE, DCTERMS.conformsTo, LDES_SPEC))
    g.add((LDES_SPEC, RDF.type, DCTERMS.Standard))
    g.add((FEED_SERVICE, DCTERMS.license, LICENCE))
    # the event stream's own IRI (history/feed.py) dereferences here, and says where its view is
    g.add((FEED_STREAM, RDF.type, LDES.EventStream))
    g.add((FEED_STREAM, TREE.view, feed))
    g.add((FEED_DISTRIBUTION, FOAF.primaryTopic, FEED_STREAM))


def build_catalog(data: Graph, dumps: dict[str, Dump], base_url: str, version: str,
                  modified: datetime.date, log=None, release: str | None = None) -> Graph:
    """The DCAT-AP 3 catalogue of the dataset: the hand-written part plus what is computed; with the change
    `log`, its releases and the feed, and `release` (history/state.py) as the dataset's dcat:version."""
    g = bind_prefixes(Graph(bind_namespaces="none"))
    g.bind("spdx", SPDX)
    g.parse(STATIC, format="turtle")
    when = Literal(modified.isoformat(), datatype=XSD.date)
    g.add((CATALOG, DCTERMS.modified, when))
    g.add((CATALOG, FOAF.homepage, home := public_url(base_url, "")))
    g.add((home, RDF.type, FOAF.Document))
    g.add((DATASET, DCTERMS.modified, when))
    g.add((DATASET, DCAT_VERSION, Literal(release or f"{__version__}+data.{version}")))
    g.add((DATASET, DCAT.landingPage, home))
    g.add((DATASET, FOAF.page, docs := public_url(base_url, "ontology")))
    g.add((docs, RDF.type, FOAF.Document))
    period = coverage(data)
    if period:
        temporal = BNode("temporal")
        g.add((DATASET, DCTERMS.temporal, temporal))
        g.add((temporal, RDF.type, DCTERMS.PeriodOfTime))
        g.add((temporal, DCAT.startDate, period[0]))
        g.add((temporal, DCAT.endDate, period[1]))
    for dump in dumps.values():
        g.add((DATASET, DCAT.distribution, add_distribution(g, dump, base_url, when)))
    add_service(g, base_url)
    if log is not None:
        add_releases(g, log, base_url)
    return g


def build_void(data: Graph, dumps: dict[str, Dump], base_url: str, feed: bool = False) -> Graph:
    """VoID: size, classes, properties and vocabularies of the dataset, where to get it and query it."""
    g = bind_prefixes(Graph(bind_namespaces="none"))
    g.add((VOID_DESCRIPTION, RDF.type, VOID.DatasetDescription))
    g.add((VOID_DESCRIPTION, FOAF.primaryTopic, DATASET))
    g.add((DATASET, RDF.type, VOID.Dataset))
    g.add((DATASET, DCTERMS.title, Literal("inclusion-kg", lang="en")))
    g.add((DATASET, DCTERMS.license, LICENCE))
    g.add((DATASET, VOID.triples, Literal(len(data))))
    g.add((DATASET, VOID.distinctSubjects, Literal(len(set(data.subjects())))))
    g.add((DATASET, VOID.distinctObjects, Literal(len(set(data.objects())))))
    g.add((DATASET, VOID.uriSpace, Literal(BASE + "id/")))
    g.add((DATASET, VOID.rootResource, URIRef(BASE + "id/scheme/region")))
    g.add((DATASET, VOID.sparqlEndpoint, public_url(base_url, "sparql")))
    for dump in dumps.values():
        g.add((DATASET, VOID.dataDump, public_url(base_url, f"dumps/{dump.filename}")))
    if feed:  # VoID has no term for an event stream: the catalogue's feed distribution, and its URL
        g.add((DATASET, DCAT.distribution, FEED_DISTRIBUTION))
        g.add((FEED_DISTRIBUTION, DCAT.accessURL, public_url(base_url, "feed")))
        g.add((FEED_DISTRIBUTION, DCTERMS.conformsTo, LDES_SPEC))
    g.add((DATASET, VOID.feature, URIRef("http://www.w3.org/ns/formats/Turtle")))
    g.add((DATASET, VOID.feature, URIRef("http://www.w3.org/ns/formats/JSON-LD")))
    g.add((DATASET, VOID.feature, URIRef("http://www.w3.org/ns/formats/N-Triples")))
    g.add((DATASET, VOID.feature, URIRef("http://www.w3.org/ns/formats/RDF_XML")))

    classes: dict = {}
    for _, klass in data.subject_objects(RDF.type):
        classes[klass] = classes.get(klass, 0) + 1
    properties: dict = {}
    for _, prop, _ in data:
        properties[prop] = properties.get(prop, 0) + 1
    g.add((DATASET, VOID.classes, Literal(len(classes))))
    g.add((DATASET, VOID.properties, Literal(len(properties))))
    for index, (klass, count) in enumerate(sorted(classes.items())):
        part = BNode(f"class-{index}")
        g.add((DATASET, VOID.classPartition, part))
        g.add((part, VOID["class"], klass))
        g.add((part, VOID.entities, Literal(count)))
    for index, (prop, count) in enumerate(sorted(properties.items())):
        part = BNode(f"property-{index}")
        g.add((DATASET, VOID.propertyPartition, part))
        g.add((part, VOID.property, prop))
        g.add((part, VOID.triples, Literal(count)))
    for vocabulary in vocabularies(set(classes) | set(properties)):
        g.add((DATASET, VOID.vocabulary, URIRef(vocabulary)))
    return g


def vocabularies(terms: set) -> list[str]:
    """The namespaces (from our prefix registry, or the term's own) of the classes and properties used."""
    known = sorted((iri for iri in PREFIXES.values() if not iri.startswith(BASE + "id/")), key=len, reverse=True)
    found = set()
    for term in terms:
        term = str(term)
        namespace = next((iri for iri in known if term.startswith(iri)), None)
        if namespace is None:
            cut = max(term.rfind("#"), term.rfind("/"))
            namespace = term[: cut + 1]
        found.add(namespace)
    return sorted(found)
