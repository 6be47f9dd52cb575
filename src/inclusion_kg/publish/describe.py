"""The RDF description of one resource: its symmetric concise bounded description (what it says, with its
blank nodes, and what points to it).

Data resources are described by the query engine (D's `app.state.engine`, a CONSTRUCT over our own graph
`namespaces.DATASET`, so files served beside ours with `serve --data` do not leak into our IRIs); the
catalogue's and VoID's resources come from the metadata built at start-up. Without an engine (the CLI,
some tests) the validated rdflib graph answers the same question.
"""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef

from inclusion_kg.graph import closure
from inclusion_kg.namespaces import DATASET, bind_prefixes

ENGINE_MEDIA_TYPE = "application/n-triples"


def describe_query(iri: str) -> str:
    node = f"<{iri}>"
    return (
        f"CONSTRUCT {{ {node} ?p ?o . ?o ?p2 ?o2 . ?o2 ?p3 ?o3 . ?s ?pi {node} . }} WHERE {{\n"
        f"  {{ {node} ?p ?o .\n"
        f"    OPTIONAL {{ ?o ?p2 ?o2 . FILTER(isBlank(?o))\n"
        f"      OPTIONAL {{ ?o2 ?p3 ?o3 . FILTER(isBlank(?o2)) }} }} }}\n"
        f"  UNION {{ ?s ?pi {node} . FILTER(!isBlank(?s)) }}\n"
        f"}}"
    )


def describe_graph(source: Graph, node: URIRef, into: Graph | None = None) -> Graph:
    """The symmetric CBD of `node` in an rdflib graph."""
    out = closure(source, node, into if into is not None else bind_prefixes(Graph(bind_namespaces="none")))
    for s, p in source.subject_predicates(node):
        if not isinstance(s, BNode):
            out.add((s, p, node))
    return out


def describe_with_engine(engine, node: URIRef) -> Graph:
    body = engine.execute(describe_query(str(node)), ENGINE_MEDIA_TYPE, default_graph_uris=[str(DATASET)])
    graph = bind_prefixes(Graph(bind_namespaces="none"))
    graph.parse(data=body, format="nt")
    return graph


def describe(node: URIRef, data: Graph, metadata: Graph, engine=None) -> Graph:
    """What we serve for `node`: from the engine when there is one, else from `data`; plus the metadata."""
    if engine is not None and (node, None, None) in data:
        graph = describe_with_engine(engine, node)
    else:
        graph = describe_graph(data, node)
    return describe_graph(metadata, node, into=graph)


def known(node: URIRef, data: Graph, metadata: Graph) -> bool:
    """Whether we describe `node`: it is the subject of some triple of the data or the metadata."""
    return (node, None, None) in data or (node, None, None) in metadata
