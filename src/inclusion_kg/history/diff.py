"""What changed between two states of the data (two releases, or a release and the current data), in words
people read ("Inzetpremie: new"; "<condition>: minimum (inclusive) changed from 0.03 to 0.025") and as JSON.

Values are paired by property and language, so a corrected Dutch label reads as one change, not as a removal
and an addition.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS
from rdflib.term import Node

from inclusion_kg.history.log import new_graph
from inclusion_kg.history.release import compare
from inclusion_kg.publish.view import label, local_name

WORDS = {"created": "new", "deleted": "withdrawn"}
# Names of common external properties (the ontology labels its own, ikg:minInclusive "minimum (inclusive)")
PROPERTY_NAMES = {SKOS.prefLabel: "label", SKOS.altLabel: "other label", DCTERMS.title: "title",
                  DCTERMS.description: "description", RDF.type: "type"}


def value_text(graph: Graph, value: Node, lang: str) -> str:
    if isinstance(value, Literal):
        return str(value)
    if isinstance(value, BNode):
        return "(a structured value)"
    return label(graph, value, lang).text


def property_changes(before: Graph, after: Graph, resource: URIRef) -> list[dict]:
    """Per property (and language), the values removed and added."""
    old = {(p, o) for p, o in before.predicate_objects(resource)}
    new = {(p, o) for p, o in after.predicate_objects(resource)}
    groups: dict[tuple, dict] = {}
    for side, pairs in (("removed", old - new), ("added", new - old)):
        for predicate, value in pairs:
            language = value.language if isinstance(value, Literal) else None
            entry = groups.setdefault((predicate, language or ""), {"removed": [], "added": []})
            entry[side].append(value)
    # blank-node values always differ by label: a change inside them shows as both removed and added
    return [{"property": p, "language": lang or None, "removed": sorted(v["removed"]), "added": sorted(v["added"])}
            for (p, lang), v in sorted(groups.items())]


def sentence(graph: Graph, name: str, prop: dict, lang: str) -> str:
    what = PROPERTY_NAMES.get(prop["property"]) or label(graph, prop["property"], lang).text
    what += (f" ({prop['language']})" if prop["language"] else "")
    removed = [value_text(graph, v, lang) for v in prop["removed"]]
    added = [value_text(graph, v, lang) for v in prop["added"]]
    if removed and added:
        return f"{name}: {what} changed from {', '.join(removed)} to {', '.join(added)}"
    if added:
        return f"{name}: {what} added: {', '.join(added)}"
    return f"{name}: {what} removed: {', '.join(removed)}"


def diff_states(before: dict[URIRef, Graph], after: dict[URIRef, Graph], vocabulary: Graph,
                lang: str = "en") -> list[dict]:
    """The changes from `before` to `after`: one entry per resource, with sentences; `vocabulary` (the
    ontology, or the whole data) names the properties."""
    names = new_graph()
    for graph in (vocabulary, *before.values(), *after.values()):
        names += graph
    entries = []
    for change in compare(before, after):
        resource = change.resource
        name = label(after[resource] if resource in after else before[resource], resource, lang).text
        entry = {"resource": str(resource), "id": local_name(resource), "label": name, "change": change.change,
                 "properties": [], "text": []}
        if change.change in WORDS:
            entry["text"].append(f"{name}: {WORDS[change.change]}")
        else:
            props = property_changes(before[resource], after[resource], resource)
            entry["properties"] = [
                {"property": str(p["property"]), "language": p["language"],
                 "removed": [value_text(names, v, lang) for v in p["removed"]],
                 "added": [value_text(names, v, lang) for v in p["added"]]}
                for p in props
            ]
            entry["text"] = [sentence(names, name, p, lang) for p in props]
        entries.append(entry)
    return entries
