"""The SPARQL 1.1 Service Description of /sparql (https://www.w3.org/TR/sparql11-service-description/)."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from inclusion_kg.namespaces import SD, VOID, bind_prefixes
from inclusion_kg.sparql import formats as f

FORMAT_IRIS = {  # W3C format IRIs (https://www.w3.org/ns/formats/)
    f.JSON: "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    f.XML: "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    f.CSV: "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    f.TSV: "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    f.TURTLE: "http://www.w3.org/ns/formats/Turtle",
    f.NTRIPLES: "http://www.w3.org/ns/formats/N-Triples",
    f.JSONLD: "http://www.w3.org/ns/formats/JSON-LD",
    f.RDFXML: "http://www.w3.org/ns/formats/RDF_XML",
    f.NQUADS: "http://www.w3.org/ns/formats/N-Quads",
    f.TRIG: "http://www.w3.org/ns/formats/TriG",
}
# rdflib serializer names for the media types the description is offered in.
SD_FORMATS = {f.TURTLE: "turtle", f.NTRIPLES: "nt", f.JSONLD: "json-ld", f.RDFXML: "xml"}


def description_graph(endpoint: str, default_triples: int, named_graphs: dict[str, int]) -> Graph:
    """The service, its result formats and its default dataset: the default graph's size, and each named
    graph (ours, and those of --data TriG/N-Quads files) with its size."""
    graph = bind_prefixes(Graph(bind_namespaces="none"))
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for media_type in f.TABLE_TYPES + f.GRAPH_TYPES:
        graph.add((service, SD.resultFormat, URIRef(FORMAT_IRIS[media_type])))
    dataset = BNode("dataset")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode("default-graph")
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(default_triples, datatype=XSD.integer)))
    for number, (name, triples) in enumerate(sorted(named_graphs.items())):
        named, described = BNode(f"named-graph-{number}"), BNode(f"named-graph-{number}-content")
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
        graph.add((named, SD.graph, described))
        graph.add((described, RDF.type, SD.Graph))
        graph.add((described, VOID.triples, Literal(triples, datatype=XSD.integer)))
    return graph


def describe(endpoint: str, media_type: str, default_triples: int, named_graphs: dict[str, int]) -> bytes:
    graph = description_graph(endpoint, default_triples, named_graphs)
    return graph.serialize(format=SD_FORMATS[media_type], encoding="utf-8")
