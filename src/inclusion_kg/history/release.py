"""`inclusion-kg release VERSION`: append to the change log the version objects of what changed.

The validated current data is compared, resource by resource, with the state the log describes; each created,
updated or deleted resource gets a version object, and the release a file of its own,
data/history/{VERSION}.ttl, formatted like every Turtle file (same input, same bytes). Nothing changed: it
says so and writes nothing. Files of earlier releases are never touched.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, XSD

from inclusion_kg.graph import closure, validate_graph
from inclusion_kg.history.log import (
    DCAT3, KINDS_OF_CHANGE, VERSION_PREDICATES, ChangeLog, history_folder, history_shapes, is_versioned,
    description_graph, new_graph, release_iri, version_iri,
)
from inclusion_kg.namespaces import ADMS
from inclusion_kg.turtle_format import format_turtle

LANGUAGES = ("nl", "fr", "de", "en")
TITLES = {"nl": "inclusion-kg, release {v}", "fr": "inclusion-kg, version {v}",
          "de": "inclusion-kg, Version {v}", "en": "inclusion-kg, release {v}"}
HEADER = (
    "# Release {v} of the inclusion-kg data, written by `inclusion-kg release {v}` (docs/history.md).\n"
    "# The change log is append-only: never edit this file; a later release records later changes.\n"
)


class ReleaseError(ValueError):
    """A release that cannot be made; `code` is the exit status (2: bad version or argument)."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Change:
    resource: URIRef
    change: str  # created, updated, deleted


def descriptions(data: Graph) -> dict[URIRef, Graph]:
    """Each versioned resource of `data`: its own triples and those of its blank nodes."""
    found = {}
    for subject in sorted({s for s in data.subjects() if is_versioned(s)}):
        found[subject] = closure(data, subject, description_graph())
    return found


def check_reserved(current: dict[URIRef, Graph]) -> None:
    """A resource may not use the version objects' own predicates: they would be read as the version's."""
    clashes = sorted(str(r) for r, g in current.items() if any((r, p, None) in g for p in VERSION_PREDICATES))
    if clashes:
        raise ReleaseError("these resources use dct:isVersionOf or prov:generatedAtTime, which the change log "
                           f"keeps for version objects: {', '.join(clashes)}", code=1)


def fingerprint(graph: Graph) -> tuple[str, ...]:
    """The same for two descriptions exactly when they are isomorphic (blank nodes relabelled canonically)."""
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        graph = to_canonical_graph(graph)
    return tuple(sorted(" ".join(term.n3() for term in triple) for triple in graph))


def compare(before: dict[URIRef, Graph], after: dict[URIRef, Graph]) -> list[Change]:
    changes = []
    for resource in sorted(set(before) | set(after)):
        if resource not in before:
            changes.append(Change(resource, "created"))
        elif resource not in after:
            changes.append(Change(resource, "deleted"))
        elif fingerprint(before[resource]) != fingerprint(after[resource]):
            changes.append(Change(resource, "updated"))
    return changes


def parse_time(text: str) -> Literal:
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ReleaseError(f"--time {text!r} is not a date-time; give one like 2025-10-31T00:00:00Z") from None
    if moment.tzinfo is None:
        raise ReleaseError(f"--time {text!r} has no time zone; give one like 2025-10-31T00:00:00Z")
    moment = moment.astimezone(datetime.timezone.utc).replace(microsecond=0)
    return Literal(moment.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)


def release_graph(log: ChangeLog, version: str, time: Literal, notes: dict[str, str], follows: list[URIRef],
                  changes: list[Change], current: dict[URIRef, Graph]) -> Graph:
    """The release and its version objects, as they are written to the log."""
    g = new_graph()
    release = release_iri(version)
    g.add((release, RDF.type, DCAT.Dataset))
    g.add((release, DCAT3.version, Literal(version)))
    g.add((release, DCTERMS.issued, time))
    if log.latest is not None:
        g.add((release, DCAT3.previousVersion, log.latest.iri))
    for lang in LANGUAGES:
        g.add((release, ADMS.versionNotes, Literal(notes[lang], lang=lang)))
        g.add((release, DCTERMS.title, Literal(TITLES[lang].format(v=version), lang=lang)))
        g.add((release, DCTERMS.description, Literal(notes[lang], lang=lang)))
    for source in follows:
        g.add((release, PROV.wasDerivedFrom, source))
    for change in changes:
        member = version_iri(change.resource, version)
        g.add((release, DCTERMS.hasPart, member))
        g.add((member, RDF.type, KINDS_OF_CHANGE[change.change]))
        g.add((member, DCTERMS.isVersionOf, change.resource))
        g.add((member, PROV.generatedAtTime, time))
        if change.change != "deleted":
            closure(current[change.resource], change.resource, g, rename=member)
    return g


def write_release(root: Path | None, version: str, graph: Graph) -> Path:
    """Write the release file (sorted Turtle, the formatter's); refuse to overwrite one."""
    path = history_folder(root) / f"{version}.ttl"
    if path.exists():
        raise ReleaseError(f"{path} exists already: a release is never rewritten")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = HEADER.format(v=version) + graph.serialize(format="longturtle")
    path.write_text(format_turtle(text, str(path)), encoding="utf-8")
    return path


def check_release(root: Path | None, graph: Graph) -> None:
    """The log with the new release must conform to shapes/history.ttl (it always should: a safety net)."""
    report = validate_graph(graph, history_shapes(root))
    if not report.conforms:
        raise ReleaseError(f"the new release would not conform to shapes/history.ttl:\n{report}", code=1)
