"""The ontology and the shapes as documents: their own triples, and the view-model of their HTML
documentation (every class, property, information concept or shape, with an anchor per term so that
`ikg:term` and `ikgsh:Shape` IRIs land on it)."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from inclusion_kg.namespaces import BASE, CV, bind_prefixes
from inclusion_kg.publish.view import Page, Text, description, label, property_table

ONTOLOGY = URIRef(BASE + "ontology")
SHAPES = URIRef(BASE + "shapes")
SHAPE_SECTIONS = (("node_shapes", (SH.NodeShape,)), ("property_shapes", (SH.PropertyShape,)))
SECTIONS = (
    ("classes", (OWL.Class, RDFS.Class)),
    ("ontology_properties", (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)),
    ("information_concepts", (CV.InformationConcept,)),
)


def ontology_graph(data: Graph) -> Graph:
    """The triples of the ontology document: its own, and those of every term in its namespace."""
    out = bind_prefixes(Graph(bind_namespaces="none"))
    for s, p, o in data:
        if isinstance(s, URIRef) and str(s).startswith(str(ONTOLOGY)):
            out.add((s, p, o))
    return out


@dataclass
class Term:
    anchor: str
    iri: str
    label: Text
    definition: Text | None
    properties: list


def ontology_view(graph: Graph, page: Page, document: URIRef = ONTOLOGY, sections_of=SECTIONS,
                  prefix: str = "ikg") -> dict:
    """The documentation of `document` (the ontology, or the shapes): its terms per section."""
    sections, placed = [], set()
    for key, classes in sections_of:
        terms = sorted({s for c in classes for s in graph.subjects(RDF.type, c)
                        if str(s).startswith(str(document) + "#")} - placed)
        placed.update(terms)
        sections.append((page.t(key), [
            Term(anchor=str(s).split("#", 1)[1], iri=str(s), label=label(graph, s, page.lang),
                 definition=description(graph, s, page.lang), properties=property_table(graph, page, s))
            for s in terms
        ]))
    return {
        "title": label(graph, document, page.lang),
        "description": description(graph, document, page.lang),
        "iri": str(document),
        "prefix": prefix,
        "sections": sections,
    }
