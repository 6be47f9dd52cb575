"""The view-model of one resource's page: a summary a person reads (agency, region, contract types,
conditions in plain words, what it gives and to whom, sources, notes, links elsewhere), then all its data.

Everything is read from the graph through the vocabulary (CPSV-AP, CCCEV, the ikg: ontology); no measure,
agency or region is named here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS
from rdflib.term import Node

from inclusion_kg.namespaces import CPSV, CV, IKG, PROV
from inclusion_kg.publish.formats import RDF_FORMATS
from inclusion_kg.publish.view import (
    Link, Page, Text, description, incoming, label, link, literal_text, property_table, sort_links,
)

SOURCE_PROPS = (DCTERMS.source, PROV.wasDerivedFrom, CV.isDerivedFrom, IKG.furtherInformation)
# the mapping property is shown with each link: a broader match (a larger area) is not the same place
MATCH_PROPS = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, OWL.sameAs, DCTERMS.isPartOf)
THRESHOLDS = ((IKG.minInclusive, "at_least"), (IKG.minExclusive, "more_than"),
              (IKG.maxInclusive, "at_most"), (IKG.maxExclusive, "less_than"))


@dataclass
class Condition:
    link: Link
    description: Text | None
    rule: str  # the constraint in plain words: "<concept>: at least 0.03"
    guard: Link | None
    sources: list[Link]


@dataclass
class Output:
    link: Link
    description: Text | None
    kinds: list[Link]
    paid_to: list[Link]  # empty: the source does not state who is paid (the page says so)
    wage_share: str | None


@dataclass
class ResourceView:
    iri: str
    title: Text
    description: Text | None
    types: list[Link]
    facts: list[tuple[str, list]] = field(default_factory=list)  # (interface label, values)
    conditions: list[Condition] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    sources: list[Link] = field(default_factory=list)
    notes: list[tuple[Link, Text | None]] = field(default_factory=list)
    external: list[tuple[Link, Link]] = field(default_factory=list)  # (link elsewhere, mapping property)
    properties: list = field(default_factory=list)
    referenced_by: list = field(default_factory=list)
    formats: list[dict] = field(default_factory=list)


def number(value: Literal, lang: str) -> str:
    """A threshold as written in the data, with a decimal comma in Dutch, French and German."""
    return str(value).replace(".", ",") if lang in ("nl", "fr", "de") else str(value)


def rule_text(graph: Graph, page: Page, condition: Node) -> str:
    """A constraint as words: the information concept, then its allowed values or threshold."""
    t = page.t
    concept = graph.value(condition, CV.constrains)
    parts = []
    allowed = sorted(graph.objects(condition, IKG.allowedValue))
    if allowed:
        names = [literal_text(v, page).text if isinstance(v, Literal) else label(graph, v, page.lang).text
                 for v in allowed]
        parts.append(names[0] if len(names) == 1 else f"{t('one_of')} {', '.join(names)}")
    for prop, word in THRESHOLDS:
        for value in graph.objects(condition, prop):
            parts.append(f"{t(word)} {number(value, page.lang)}")
    head = label(graph, concept, page.lang).text if concept is not None else ""
    return f"{head}: {'; '.join(parts)}" if head and parts else head or "; ".join(parts)


def conditions_of(graph: Graph, page: Page, holder: Node) -> list[Condition]:
    items = []
    for condition in graph.objects(holder, CV.holdsRequirement):
        guard = graph.value(condition, IKG.appliesOnlyIf)
        items.append(Condition(
            link=link(graph, page, condition),
            description=description(graph, condition, page.lang),
            rule=rule_text(graph, page, condition),
            guard=link(graph, page, guard) if guard is not None else None,
            sources=sort_links(link(graph, page, s) for p in SOURCE_PROPS for s in graph.objects(condition, p)),
        ))
    # contract-type conditions first, as in the brochure's columns, then by label
    return sorted(items, key=lambda c: (IKG.contractType != graph.value(URIRef(c.link.iri), CV.constrains),
                                        c.link.text.text.lower()))


def outputs_of(graph: Graph, page: Page, measure: Node) -> list[Output]:
    items = []
    for output in graph.objects(measure, CPSV.produces):
        share = graph.value(output, IKG.wageCostShare)
        items.append(Output(
            link=link(graph, page, output),
            description=description(graph, output, page.lang),
            kinds=sort_links(link(graph, page, k) for k in graph.objects(output, DCTERMS.type)),
            paid_to=sort_links(link(graph, page, b) for b in graph.objects(output, IKG.beneficiary)),
            wage_share=f"{round(float(share) * 100, 2):g}%" if share is not None else None,
        ))
    return sorted(items, key=lambda o: o.link.text.text.lower())


def contract_types(graph: Graph, page: Page, measure: Node) -> list[Link]:
    values = {v for c in graph.objects(measure, CV.holdsRequirement)
              if graph.value(c, CV.constrains) == IKG.contractType
              for v in graph.objects(c, IKG.allowedValue)}
    return sort_links(link(graph, page, v) for v in values)


def format_links(page: Page) -> list[dict]:
    return [{"href": page.href("", format=fmt.key), "label": fmt.label, "media_type": fmt.media_type}
            for fmt in RDF_FORMATS]


def resource_view(graph: Graph, page: Page, node: URIRef) -> ResourceView:
    t = page.t
    view = ResourceView(
        iri=str(node),
        title=label(graph, node, page.lang),
        description=description(graph, node, page.lang),
        types=sort_links(link(graph, page, k) for k in graph.objects(node, RDF.type)),
    )
    for prop, key in ((CV.hasCompetentAuthority, "agency"), (DCTERMS.spatial, "region")):
        values = sort_links(link(graph, page, v) for v in graph.objects(node, prop))
        if values:
            view.facts.append((t(key), values))
    kinds = contract_types(graph, page, node)
    if kinds:
        view.facts.append((t("contract_types"), kinds))
    if graph.value(node, IKG.independentOfHiring) == Literal(True):
        view.facts.append((t("independent_of_hiring"), [Text(t("yes"))]))
    # the source's own statement (the brochure's "**"); without it the source says nothing about the quota
    if graph.value(node, IKG.notConditionalOnQuota) == Literal(True):
        view.facts.append((label(graph, IKG.notConditionalOnQuota, page.lang).text, [Text(t("yes"))]))
    view.conditions = conditions_of(graph, page, node)
    if (node, RDF.type, CV.Constraint) in graph:
        view.facts.append((t("conditions"), [Text(rule_text(graph, page, node))]))
    view.outputs = outputs_of(graph, page, node)
    view.sources = sort_links(link(graph, page, s) for p in SOURCE_PROPS for s in graph.objects(node, p))
    view.notes = sorted(((link(graph, page, n), description(graph, n, page.lang))
                         for n in graph.subjects(DCTERMS.subject, node)
                         if (n, RDF.type, IKG.Note) in graph), key=lambda n: n[0].text.text.lower())
    view.external = sorted(((link(graph, page, m), link(graph, page, p)) for p in MATCH_PROPS
                            for m in graph.objects(node, p)
                            if isinstance(m, URIRef) and link(graph, page, m).external),
                           key=lambda e: (e[0].text.text.lower(), e[0].iri))
    view.properties = property_table(graph, page, node)
    view.referenced_by = incoming(graph, page, node)
    view.formats = format_links(page)
    return view
