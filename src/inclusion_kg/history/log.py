"""The change log: data/history/{VERSION}.ttl, one file per release, appended and never edited.

A release (a dcat:Dataset with dcat:version, dct:issued, adms:versionNotes in nl/fr/de/en, the source
edition it follows as prov:wasDerivedFrom, dcat:previousVersion) lists with dct:hasPart its version objects.
A version object is {resource}/version/{VERSION}: `dct:isVersionOf` the resource, `prov:generatedAtTime` the
release time, typed as:Create, as:Update or as:Delete (the LDES vocabulary's create/update/delete objects),
and, unless it is a deletion, the resource's whole description at that release: its own triples restated on
the version IRI, with their blank nodes.

The state the log describes after a release is, per resource, its latest version object mapped back onto the
resource IRI (deletions: absent).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF

from inclusion_kg.graph import (HISTORY_FOLDER, closure, content_key, keep_verdict, kept_verdict, parse_files, project_root,
                                 validate_graph)
from inclusion_kg.namespaces import ADMS, AS, DATASET, ID, bind_prefixes

DCAT3 = Namespace(str(DCAT))  # DCAT 3 terms (dcat:version, dcat:previousVersion) rdflib's closed DCAT lacks
VERSION = re.compile(r"^(\d{4})\.(\d{2})(?:\.(\d+))?$")  # calendar versions: 2025.10, 2025.10.1
VERSION_HELP = "YYYY.MM or YYYY.MM.N (e.g. 2025.10, 2026.03.1)"
CHANGES = {AS.Create: "created", AS.Update: "updated", AS.Delete: "deleted"}
KINDS_OF_CHANGE = {name: kind for kind, name in CHANGES.items()}
# Triples of a version object that say which version it is; the rest is the resource's description.
VERSION_PREDICATES = (DCTERMS.isVersionOf, PROV.generatedAtTime)
SHAPES_FILE = Path("shapes") / "history.ttl"
RESOURCES = str(ID)
NOT_VERSIONED = str(DATASET)  # the catalogue's own IRIs (dataset, releases, distributions): metadata


class LogError(ValueError):
    """The change log does not parse or does not conform to shapes/history.ttl; the message says where."""


def version_key(version: str) -> tuple[int, int, int]:
    match = VERSION.match(version)
    if match is None:
        raise ValueError(f"{version!r} is not a release version; expected {VERSION_HELP}")
    return int(match[1]), int(match[2]), int(match[3] or 0)


def release_iri(version: str) -> URIRef:
    return URIRef(f"{DATASET}/release/{version}")


def version_iri(resource: URIRef, version: str) -> URIRef:
    return URIRef(f"{resource}/version/{version}")


def is_versioned(node) -> bool:
    """The resources the log follows: our /id/ IRIs, except the catalogue's own."""
    return isinstance(node, URIRef) and str(node).startswith(RESOURCES) and not str(node).startswith(NOT_VERSIONED)


def new_graph() -> Graph:
    """A graph to write out, with our prefixes."""
    return bind_prefixes(Graph(bind_namespaces="none"))


def description_graph() -> Graph:
    """A graph to compare or read, never written out: without prefixes (binding them costs a millisecond,
    and a start compares hundreds of descriptions)."""
    return Graph(bind_namespaces="none")


@dataclass(frozen=True)
class Release:
    version: str
    iri: URIRef
    time: Literal  # xsd:dateTime
    notes: dict[str, str]  # language -> release notes
    follows: tuple[URIRef, ...]  # the source editions


@dataclass(frozen=True)
class Version:
    iri: URIRef
    resource: URIRef
    release: str
    change: str  # created, updated or deleted
    time: Literal


@dataclass
class ChangeLog:
    graph: Graph  # every release file, parsed together
    digest: str = ""  # of the files' bytes: a store on disk is rebuilt when the log changes
    releases: list[Release] = field(default_factory=list)  # oldest first
    versions: list[Version] = field(default_factory=list)  # by release, then resource

    @property
    def latest(self) -> Release | None:
        return self.releases[-1] if self.releases else None

    def names(self) -> list[str]:
        return [r.version for r in self.releases]

    def release(self, version: str) -> Release | None:
        return next((r for r in self.releases if r.version == version), None)

    @cached_property
    def by_resource(self) -> dict[URIRef, list[Version]]:
        found: dict[URIRef, list[Version]] = {}
        for version in self.versions:
            found.setdefault(version.resource, []).append(version)
        return found

    def versions_of(self, resource) -> list[Version]:
        return self.by_resource.get(URIRef(str(resource)), [])

    def description(self, version: Version) -> Graph:
        """The resource's description in `version`, on the resource IRI (empty for a deletion)."""
        out = description_graph()
        if version.change == "deleted":
            return out
        closure(self.graph, version.iri, out, rename=version.resource)
        for predicate in VERSION_PREDICATES:
            out.remove((version.resource, predicate, None))
        for kind in CHANGES:
            out.remove((version.resource, RDF.type, kind))
        return out

    def state(self, upto: str | None = None) -> dict[URIRef, Graph]:
        """Each resource's description after release `upto` (default: the latest); deleted ones absent."""
        order = self.names()
        last = len(order) - 1 if upto is None else order.index(upto)
        latest: dict[URIRef, Version] = {}
        for version in self.versions:
            if order.index(version.release) <= last:
                latest[version.resource] = version
        return {r: self.description(v) for r, v in sorted(latest.items()) if v.change != "deleted"}


def history_folder(root: Path | None = None) -> Path:
    return (root or project_root()) / HISTORY_FOLDER


def log_files(root: Path | None = None) -> list[Path]:
    return sorted(history_folder(root).glob("*.ttl"), key=lambda p: version_key_or_last(p.stem))


def version_key_or_last(name: str) -> tuple[int, int, int]:
    try:
        return version_key(name)
    except ValueError:
        return (10_000, 0, 0)  # a stray file sorts last; load_log then refuses it, naming it


def history_shapes(root: Path | None = None) -> Graph:
    return parse_files([(root or project_root()) / SHAPES_FILE])


def load_log(root: Path | None = None, validate: bool = True) -> ChangeLog:
    """The change log of `root`, checked against shapes/history.ttl (an empty log when there is none). A log
    found to conform before, byte for byte with the same shapes, is not checked again (graph.keep_verdict)."""
    files = log_files(root)
    graph = parse_files(files) if files else new_graph()
    key = "log-" + content_key([*files, (root or project_root()) / SHAPES_FILE]) if files else ""
    if validate and files and not kept_verdict(key):
        report = validate_graph(graph, history_shapes(root))
        if not report.conforms:
            raise LogError(f"the change log in {history_folder(root)} does not conform:\n{report}")
        keep_verdict(key)
    for path in files:
        if (release_iri(path.stem), RDF.type, DCAT.Dataset) not in graph:
            raise LogError(f"{path}: the file of release {path.stem} does not describe {release_iri(path.stem)}")
    releases = []
    for node in graph.subjects(DCAT3.version, None, unique=True):
        version = str(graph.value(node, DCAT3.version))
        releases.append(Release(
            version=version,
            iri=node,
            time=graph.value(node, DCTERMS.issued),
            notes={n.language: str(n) for n in graph.objects(node, ADMS.versionNotes)},
            follows=tuple(sorted(graph.objects(node, PROV.wasDerivedFrom))),
        ))
    releases.sort(key=lambda r: version_key(r.version))
    versions = []
    for release in releases:
        for member in sorted(graph.objects(release.iri, DCTERMS.hasPart)):
            change = next(CHANGES[k] for k in graph.objects(member, RDF.type) if k in CHANGES)
            versions.append(Version(member, graph.value(member, DCTERMS.isVersionOf), release.version, change,
                                    graph.value(member, PROV.generatedAtTime)))
    digest = hashlib.sha256(b"".join(p.name.encode() + b"\0" + p.read_bytes() for p in files)).hexdigest()[:12]
    return ChangeLog(graph, digest, releases, versions)
