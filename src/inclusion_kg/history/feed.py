"""The change log as a Linked Data Event Stream (SEMIC LDES 1.0 on TREE), for harvesters.

- `/feed` is the view's root node: the ldes:EventStream (timestamp path prov:generatedAtTime, version-of path
  dct:isVersionOf, as:Create/as:Update/as:Delete, tree:shape ikgsh:VersionShape, whose triples are on the page
  so that a client need not fetch them) and one pair of TREE relations per page: on prov:generatedAtTime, at
  least its release's time and, once a later release exists, less than that one's.
- `/feed/{VERSION}/{N}` are the pages: a release's version objects, PAGE_SIZE at a time, by IRI. A page's
  content is fixed when its release is written, and links to nothing, so a later release adds pages and
  relations on the root without changing any page's bytes.

The bytes are deterministic (canonical blank nodes, sorted Turtle and N-Quads, sorted JSON-LD), so an ETag
and an old page are the same in every process and after every restart.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from inclusion_kg.graph import closure
from inclusion_kg.history.log import ChangeLog, Version, new_graph
from inclusion_kg.namespaces import AS, DATASET, IKGSH, LDES, TREE
from inclusion_kg.publish.dumps import canonical, sorted_lines
from inclusion_kg.publish.formats import JSONLD, NQUADS, NTRIPLES, TURTLE, RdfFormat, serialize

PAGE_SIZE = 50  # version objects per page: the first release (every resource) fits in a few pages
STREAM = URIRef(f"{DATASET}/feed")  # described in the catalogue too (publish/catalog.py FEED_STREAM)
SHAPE = IKGSH.VersionShape
FEED_FORMATS = (TURTLE, NQUADS, JSONLD, NTRIPLES)


@dataclass(frozen=True)
class FeedPage:
    release: str
    number: int  # from 1
    members: tuple[Version, ...]

    @property
    def path(self) -> str:
        return f"feed/{self.release}/{self.number}"


@dataclass(frozen=True)
class Body:
    content: bytes
    etag: str


def render(graph: Graph, fmt: RdfFormat, context: dict | None) -> bytes:
    """Deterministic bytes of `graph` (canonical already): N-Quads in the default graph, as N-Triples lines."""
    if fmt in (NQUADS, NTRIPLES):
        return sorted_lines(graph.serialize(format="nt"))
    if fmt is TURTLE:
        return graph.serialize(format="longturtle", encoding="utf-8")
    return serialize(graph, fmt, context)


class Feed:
    def __init__(self, log: ChangeLog, base_url: str, shapes: Graph, context: dict | None = None):
        self.log = log
        self.base_url = base_url  # ends with "/"
        self.shapes = shapes
        self.context = context
        self._bodies: dict[tuple[str, str], Body] = {}

    def url(self, path: str) -> URIRef:
        return URIRef(self.base_url + path)

    @cached_property
    def pages(self) -> list[FeedPage]:
        found = []
        for release in self.log.releases:
            members = [v for v in self.log.versions if v.release == release.version]
            for start in range(0, len(members), PAGE_SIZE):
                found.append(FeedPage(release.version, start // PAGE_SIZE + 1,
                                      tuple(members[start:start + PAGE_SIZE])))
        return found

    def page(self, release: str, number: int) -> FeedPage | None:
        return next((p for p in self.pages if p.release == release and p.number == number), None)

    def is_newest(self, page: FeedPage) -> bool:
        """Pages of the latest release: they are served with a short max-age, the older ones as immutable."""
        return self.log.latest is not None and page.release == self.log.latest.version

    def root_graph(self) -> Graph:
        g = new_graph()
        view = self.url("feed")
        g.add((STREAM, RDF.type, LDES.EventStream))
        g.add((STREAM, TREE.view, view))
        g.add((STREAM, LDES.timestampPath, PROV.generatedAtTime))
        g.add((STREAM, LDES.versionOfPath, DCTERMS.isVersionOf))
        g.add((STREAM, LDES.versionCreateObject, AS.Create))
        g.add((STREAM, LDES.versionUpdateObject, AS.Update))
        g.add((STREAM, LDES.versionDeleteObject, AS.Delete))
        g.add((STREAM, TREE.shape, SHAPE))
        closure(self.shapes, SHAPE, g)  # the shape on the page: a client extracts members without a fetch
        g.add((view, RDF.type, TREE.Node))
        times = {r.version: r.time for r in self.log.releases}
        later = {r.version: nxt.time for r, nxt in zip(self.log.releases, self.log.releases[1:])}
        for page in self.pages:
            target = self.url(page.path)
            bounds = [(TREE.GreaterThanOrEqualToRelation, times[page.release])]
            if page.release in later:
                bounds.append((TREE.LessThanRelation, later[page.release]))
            for kind, value in bounds:
                relation = BNode()
                g.add((view, TREE.relation, relation))
                g.add((relation, RDF.type, kind))
                g.add((relation, TREE.node, target))
                g.add((relation, TREE.path, PROV.generatedAtTime))
                g.add((relation, TREE.value, value))
        return g

    def page_graph(self, page: FeedPage) -> Graph:
        g = new_graph()
        g.add((self.url(page.path), RDF.type, TREE.Node))
        release = self.log.release(page.release)
        for member in page.members:
            g.add((STREAM, TREE.member, member.iri))
            g.add((release.iri, DCTERMS.hasPart, member.iri))
            closure(self.log.graph, member.iri, g)
        return g

    def body(self, page: FeedPage | None, fmt: RdfFormat) -> Body:
        """The bytes of the root (`page` None) or of a page, computed once per format."""
        key = (page.path if page else "feed", fmt.key)
        if key not in self._bodies:
            graph = self.root_graph() if page is None else self.page_graph(page)
            content = render(canonical(graph), fmt, self.context)
            etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
            self._bodies[key] = Body(content, etag)
        return self._bodies[key]
