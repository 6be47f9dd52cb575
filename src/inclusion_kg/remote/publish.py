"""`inclusion-kg publish --to URL`: put the validated graph in a remote store, switch, verify.

1. The triples go to a new staging graph (`<graph>/staging-<hash>`), in chunks, by the SPARQL 1.1 Graph
   Store HTTP Protocol (POST) or, without a GSP URL, by INSERT DATA through the Update URL.
2. The staging graph is checked: its triple count and content hash (`digest.py`) must be what was sent.
   If not, it is dropped and nothing else has changed.
3. The switch is one SPARQL Update request: the served graph moves aside to `<graph>/previous` and the
   staging graph takes its name (`MOVE`). Oxigraph runs one request as one transaction; Virtuoso, Fuseki and
   GraphDB run it as one transaction too; elsewhere it is as atomic as the store's update request is.
4. The served graph is checked again; if it differs, the previous graph is moved back. Only then is the
   previous graph dropped. A publish that fails at any step leaves the previous graph serving.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import httpx
import pyoxigraph as ox

from inclusion_kg.remote.digest import content_digest, digest_of_ntriples
from inclusion_kg.remote.location import RemoteStore
from inclusion_kg.remote.progress import Progress

CHUNK = 100_000  # triples per request
COUNT = "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
EXPORT = "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"


class PublishError(RuntimeError):
    """The publish failed; the message says at which step. The previous graph still serves."""


@dataclass(frozen=True)
class Published:
    graph: str
    triples: int
    digest: str


class Publisher:
    def __init__(self, store: RemoteStore, *, timeout: float = 600.0, progress: bool | None = None):
        if not store.update_url:
            raise PublishError("publishing needs the store's SPARQL Update URL (--update)")
        self.store = store
        self.progress = progress
        self.client = httpx.Client(auth=store.auth(), timeout=timeout)

    # -- the four steps ------------------------------------------------------------------------------------
    def publish(self, triples: list, graph: str) -> Published:
        count, digest = content_digest(triples)
        staging = f"{graph}/staging-{digest[7:19]}-{secrets.token_hex(4)}"
        previous = f"{graph}/previous"
        self.update(f"DROP SILENT GRAPH <{staging}>")
        try:
            self.upload(triples, staging)
            self.verify(staging, count, digest, "the staging graph")
        except BaseException:
            self._quietly(f"DROP SILENT GRAPH <{staging}>")
            raise
        self.update(
            f"DROP SILENT GRAPH <{previous}> ;\n"
            f"MOVE SILENT GRAPH <{graph}> TO <{previous}> ;\n"
            f"MOVE SILENT GRAPH <{staging}> TO <{graph}>"
        )
        try:
            self.verify(graph, count, digest, "the served graph after the switch")
        except BaseException:
            self._quietly(f"MOVE SILENT GRAPH <{previous}> TO <{graph}>")
            raise
        self._quietly(f"DROP SILENT GRAPH <{previous}>")
        return Published(graph, count, digest)

    def upload(self, triples: list, graph: str) -> None:
        with Progress(len(triples), f"load <{graph}>", enabled=self.progress) as bar:
            for start in range(0, len(triples), CHUNK):
                chunk = triples[start : start + CHUNK]
                body = ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES)
                if self.store.gsp_url:
                    self._check(self.client.post(
                        self.store.gsp_url, params=_graph_param(self.store, graph), content=body,
                        headers={"Content-Type": "application/n-triples"},
                    ), "loading into the staging graph")
                else:
                    self.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body.decode('utf-8')}\n}} }}")
                bar.update(len(chunk))

    def verify(self, graph: str, count: int, digest: str, what: str) -> None:
        stored = self.count(graph)
        if stored != count:
            raise PublishError(f"{what} holds {stored} triples, not the {count} sent")
        _, stored_digest = digest_of_ntriples(self.export(graph))
        if stored_digest != digest:
            raise PublishError(f"{what} has content hash {stored_digest}, not {digest} as sent")

    # -- the protocol --------------------------------------------------------------------------------------
    def count(self, graph: str) -> int:
        response = self.client.post(
            self.store.query_url, data={"query": COUNT.format(graph=graph)},
            headers={"Accept": "application/sparql-results+xml"},
        )
        self._check(response, "counting the triples")
        result = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.XML)
        return int(next(iter(result))["n"].value)

    def export(self, graph: str) -> bytes:
        """The graph as N-Triples: GSP GET when there is a GSP URL, else a CONSTRUCT."""
        headers = {"Accept": "application/n-triples"}
        if self.store.gsp_url:
            response = self.client.get(self.store.gsp_url, params=_graph_param(self.store, graph), headers=headers)
        else:
            response = self.client.post(self.store.query_url, data={"query": EXPORT.format(graph=graph)}, headers=headers)
        self._check(response, "reading the graph back")
        return response.content

    def update(self, text: str) -> None:
        self._check(self.client.post(self.store.update_url, data={"update": text}), "updating the store")

    def _quietly(self, text: str) -> None:
        try:
            self.update(text)
        except (PublishError, httpx.HTTPError):
            pass

    @staticmethod
    def _check(response: httpx.Response, doing: str) -> None:
        if response.status_code >= 400:
            text = " ".join(response.text.split())[:400]
            raise PublishError(f"{doing}: the store answered {response.status_code}: {text}")

    def close(self) -> None:
        self.client.close()


def _graph_param(store: RemoteStore, graph: str) -> dict[str, str]:
    """The GSP names the graph `graph`; Virtuoso's /sparql-graph-crud endpoints call it `graph-uri`."""
    return {"graph-uri" if "sparql-graph-crud" in (store.gsp_url or "") else "graph": graph}


def publish(store: RemoteStore, triples: list, graph: str, *, progress: bool | None = None) -> Published:
    """Load `triples` as `graph` of `store`, switch, verify (PublishError if any step fails)."""
    publisher = Publisher(store, progress=progress)
    try:
        return publisher.publish(triples, graph)
    except httpx.HTTPError as error:
        raise PublishError(f"the store cannot be reached: {type(error).__name__}: {error}") from None
    finally:
        publisher.close()
