"""What every page needs: labels and descriptions in the reader's language, and links that work wherever
the server stands (behind a reverse proxy, a w3id redirect, or on localhost).

Links between pages are relative to the page being served, so they never depend on the host name; the
IRIs shown stay the public ones under namespaces.BASE.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from urllib.parse import urlencode

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from inclusion_kg.namespaces import BASE, NUTS, PREFIXES, VCARD, WD
from inclusion_kg.publish.i18n import LANGUAGES, NAMES, pick, translator

LABELS = (SKOS.prefLabel, DCTERMS.title, FOAF.name, RDFS.label, VCARD.fn, SKOS.notation, DCTERMS.identifier)
DESCRIPTIONS = (DCTERMS.description, SKOS.definition, RDFS.comment, SKOS.scopeNote)
EXTERNAL_NAMES = {str(WD): "Wikidata", str(NUTS): "NUTS", "http://publications.europa.eu/resource/authority/": "EU"}


@dataclass(frozen=True)
class Text:
    """A piece of text and its language (for the lang attribute when it differs from the page's)."""
    text: str
    lang: str | None = None


@dataclass(frozen=True)
class Link:
    href: str
    text: Text
    external: bool = False
    iri: str = ""


@dataclass
class Page:
    """Everything the base layout needs: the language, its switcher, and how to link."""
    lang: str
    path: str  # the request path, e.g. "/id/measure/x"
    explicit_lang: bool  # the reader chose the language with ?lang=: keep it in links
    query: dict = field(default_factory=dict)

    @property
    def t(self):
        return translator(self.lang)

    def href(self, site_path: str, **params) -> str:
        """A link to `site_path` (e.g. "/id/agency/vdab") relative to this page, keeping ?lang= if chosen."""
        target, _, fragment = site_path.partition("#")
        start = self.path if self.path.endswith("/") else posixpath.dirname(self.path)
        relative = posixpath.relpath(target, start or "/") if target else posixpath.basename(self.path)
        if target.endswith("/") and not relative.endswith("/"):
            relative += "/"
        if relative in (".", "./"):
            relative = "./"
        if self.explicit_lang and "lang" not in params:
            params["lang"] = self.lang
        query = urlencode({k: v for k, v in params.items() if v is not None})
        return relative + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")

    def asset(self, site_path: str) -> str:
        """A link to a file or an API (stylesheet, script, /eligibility): no ?lang= carried along."""
        return Page(self.lang, self.path, explicit_lang=False).href(site_path)

    def switcher(self) -> list[dict]:
        """One link per language to this same page in that language."""
        base = posixpath.basename(self.path) if not self.path.endswith("/") else "./"
        return [
            {"lang": code, "name": NAMES[code], "current": code == self.lang,
             "href": (base or "./") + "?" + urlencode({**self.query, "lang": code})}
            for code in LANGUAGES
        ]


def site_path(iri: str) -> str | None:
    """The server path that answers for an IRI under the base, or None for an external IRI."""
    return "/" + iri[len(BASE):] if iri.startswith(BASE) else None


def label(graph: Graph, node: Node, lang: str) -> Text:
    value = pick(graph, node, LABELS, lang)
    if value is not None:
        return Text(str(value), value.language)
    return Text(local_name(node) if isinstance(node, URIRef) else str(node))


def description(graph: Graph, node: Node, lang: str) -> Text | None:
    value = pick(graph, node, DESCRIPTIONS, lang)
    return Text(str(value), value.language) if value is not None else None


def local_name(iri: Node) -> str:
    text = str(iri)
    for prefix, namespace in PREFIXES.items():
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    cut = max(text.rfind("#"), text.rfind("/"))
    return text[cut + 1:] or text


def external_text(iri: str) -> str:
    for namespace, name in EXTERNAL_NAMES.items():
        if iri.startswith(namespace):
            return f"{name} {iri[len(namespace):]}"
    return iri


def link(graph: Graph, page: Page, node: Node) -> Link:
    iri = str(node)
    path = site_path(iri)
    if path is not None:
        return Link(page.href(path), label(graph, node, page.lang), iri=iri)
    known = any(graph.triples((node, p, None)) for p in LABELS)
    text = label(graph, node, page.lang) if known else Text(external_text(iri))
    return Link(iri, text, external=True, iri=iri)


def literal_text(value: Literal, page: Page) -> Text:
    if value.datatype == XSD.boolean:
        return Text(page.t("yes") if value.toPython() is True else page.t("no"))
    return Text(str(value), value.language)


def render_value(graph: Graph, page: Page, node: Node):
    """A Link for an IRI, a Text for a literal, a nested list of (property, values) for a blank node."""
    if isinstance(node, URIRef):
        return link(graph, page, node)
    if isinstance(node, Literal):
        return literal_text(node, page)
    return [(link(graph, page, p), [render_value(graph, page, o)]) for p, o in sorted(graph.predicate_objects(node))]


def in_language(values: list[Node], lang: str) -> list[Node]:
    """Of several literals in different languages, the ones in `lang` (or untagged); others untouched."""
    tagged = [v for v in values if isinstance(v, Literal) and v.language]
    if not tagged:
        return values
    chosen = [v for v in tagged if v.language == lang] or [v for v in tagged if v.language == "en"] or tagged
    return [v for v in values if not (isinstance(v, Literal) and v.language)] + chosen


def property_table(graph: Graph, page: Page, node: Node) -> list[tuple[Link, list]]:
    rows = []
    for prop in sorted(set(graph.predicates(node))):
        values = in_language(sorted(graph.objects(node, prop)), page.lang)
        rows.append((link(graph, page, prop), [render_value(graph, page, v) for v in values]))
    rows.sort(key=lambda row: (str(row[0].iri) != str(RDF.type), row[0].text.text.lower()))
    return rows


def incoming(graph: Graph, page: Page, node: Node, limit: int = 200) -> list[tuple[Link, list[Link]]]:
    groups: dict = {}
    for subject, prop in graph.subject_predicates(node):
        if isinstance(subject, URIRef):
            groups.setdefault(prop, set()).add(subject)
    rows = []
    for prop, subjects in sorted(groups.items()):
        links = sorted((link(graph, page, s) for s in subjects), key=lambda l: l.text.text.lower())
        rows.append((link(graph, page, prop), links[:limit]))
    return rows


def sort_links(links) -> list[Link]:
    return sorted(links, key=lambda l: l.text.text.lower())
