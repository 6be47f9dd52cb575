"""The home page's view-model: the brochure's tables rebuilt from the graph, and the eligibility form.

Per region and agency, a table of measures × contract types (✓/✗), each measure's other conditions as
numbered footnotes (the brochure's * quota condition, Actiris's restriction to contractual hires in some
organisations), and the notes about the agency. The form's fields come from the information concepts of
the ontology (their `ikg:inputName`, value scheme or datatype), so a new input in the data shows up here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS, XSD
from rdflib.term import Node

from inclusion_kg.namespaces import CV, IKG
from inclusion_kg.publish.i18n import pick
from inclusion_kg.publish.resource import rule_text
from inclusion_kg.publish.view import Link, Page, Text, description, label, link


@dataclass
class Footnote:
    number: int
    link: Link
    description: Text | None
    rule: str


@dataclass
class Row:
    measure: Link
    cells: list[bool] | None  # one per column; None when the measure is independent of hiring
    markers: list[int]
    support: Text | None


@dataclass
class AgencyTable:
    agency: Link
    anchor: str
    rows: list[Row] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    notes: list[tuple[Link, Text | None]] = field(default_factory=list)


@dataclass
class RegionSection:
    region: Link
    anchor: str
    tables: list[AgencyTable]


@dataclass
class Field:
    name: str  # the /eligibility parameter
    label: Text
    kind: str  # "select", "number", "boolean"
    options: list[tuple[str, Text, int]] = field(default_factory=list)  # (value, label, depth)
    step: str = "any"
    hint: str = ""


def slug(node: Node) -> str:
    return str(node).rstrip("/").rsplit("/", 1)[-1]


def contract_scheme_columns(graph: Graph) -> list[URIRef]:
    """The top concepts of the contract-type scheme, from the narrowest support to the widest
    (the brochure's order: the column fewest measures tick comes first)."""
    scheme = graph.value(IKG.contractType, IKG.valueScheme)
    tops = set(graph.subjects(SKOS.topConceptOf, scheme)) | set(graph.objects(scheme, SKOS.hasTopConcept))
    ticks = {top: len(set(graph.subjects(IKG.allowedValue, top))) for top in tops}
    return sorted(tops, key=lambda top: (ticks[top], str(top)))


def allowed_contracts(graph: Graph, measure: Node) -> set | None:
    """The contract types a measure is offered for; None when no condition limits them."""
    values = None
    for condition in graph.objects(measure, CV.holdsRequirement):
        if graph.value(condition, CV.constrains) == IKG.contractType:
            values = (values or set()) | set(graph.objects(condition, IKG.allowedValue))
    return values


def covers(graph: Graph, allowed: set, column: URIRef) -> bool:
    return column in allowed or any(
        column in graph.transitive_objects(value, SKOS.broader) for value in allowed
    )


def agency_table(graph: Graph, page: Page, agency: Node, region: Node, columns: list[URIRef]) -> AgencyTable:
    table = AgencyTable(agency=link(graph, page, agency), anchor=f"agency-{slug(agency)}")
    numbers: dict[Node, int] = {}
    measures = [m for m in graph.subjects(CV.hasCompetentAuthority, agency)
                if (m, RDF.type, IKG.SupportMeasure) in graph and (m, DCTERMS.spatial, region) in graph]
    for measure in sorted(measures, key=lambda m: label(graph, m, page.lang).text.lower()):
        independent = graph.value(measure, IKG.independentOfHiring) == Literal(True)
        allowed = allowed_contracts(graph, measure)
        cells = None if independent else [allowed is None or covers(graph, allowed, c) for c in columns]
        markers = []
        others = [c for c in graph.objects(measure, CV.holdsRequirement)
                  if graph.value(c, CV.constrains) != IKG.contractType]
        for condition in sorted(others, key=lambda c: label(graph, c, page.lang).text.lower()):
            if condition not in numbers:
                numbers[condition] = len(numbers) + 1
                table.footnotes.append(Footnote(numbers[condition], link(graph, page, condition),
                                                description(graph, condition, page.lang),
                                                rule_text(graph, page, condition)))
            markers.append(numbers[condition])
        table.rows.append(Row(link(graph, page, measure), cells, sorted(markers),
                              description(graph, measure, page.lang)))
    table.notes = sorted(((link(graph, page, n), description(graph, n, page.lang))
                          for n in graph.subjects(DCTERMS.subject, agency) if (n, RDF.type, IKG.Note) in graph),
                         key=lambda n: n[0].text.text.lower())
    return table


def region_sections(graph: Graph, page: Page) -> tuple[list[Link], list[RegionSection]]:
    columns = contract_scheme_columns(graph)
    regions = {r for m in graph.subjects(RDF.type, IKG.SupportMeasure) for r in graph.objects(m, DCTERMS.spatial)}
    regions |= {r for a in graph.subjects(RDF.type, CV.PublicOrganisation) for r in graph.objects(a, DCTERMS.spatial)}
    sections = []
    for region in sorted(regions, key=lambda r: label(graph, r, page.lang).text.lower()):
        agencies = sorted(set(graph.subjects(DCTERMS.spatial, region)) & set(graph.subjects(RDF.type, CV.PublicOrganisation)),
                          key=lambda a: label(graph, a, page.lang).text.lower())
        tables = [agency_table(graph, page, a, region, columns) for a in agencies]
        sections.append(RegionSection(link(graph, page, region), f"region-{slug(region)}", tables))
    return [link(graph, page, c) for c in columns], sections


def concept_options(graph: Graph, page: Page, scheme: Node) -> list[tuple[str, Text, int]]:
    """The concepts of a scheme as (slug, label, depth), narrower ones after their broader one."""
    concepts = set(graph.subjects(SKOS.inScheme, scheme))
    options = []

    def add(concept: Node, depth: int) -> None:
        options.append((slug(concept), label(graph, concept, page.lang), depth))
        for child in sorted(set(graph.subjects(SKOS.broader, concept)) & concepts,
                            key=lambda c: label(graph, c, page.lang).text.lower()):
            add(child, depth + 1)

    roots = [c for c in concepts if not (set(graph.objects(c, SKOS.broader)) & concepts)]
    for root in sorted(roots, key=lambda c: label(graph, c, page.lang).text.lower()):
        add(root, 0)
    return options


def form_fields(graph: Graph, page: Page) -> list[Field]:
    """One field per information concept with an input name, in the order of the ontology's labels."""
    fields = []
    for concept in graph.subjects(IKG.inputName, None):
        name = str(graph.value(concept, IKG.inputName))
        scheme = graph.value(concept, IKG.valueScheme)
        datatype = graph.value(concept, IKG.valueDatatype)
        text = label(graph, concept, page.lang)
        if scheme is not None:
            fields.append(Field(name, text, "select", concept_options(graph, page, scheme)))
        elif datatype == XSD.boolean:
            fields.append(Field(name, text, "boolean"))
        else:
            integer = datatype == XSD.integer
            note = pick(graph, concept, [SKOS.scopeNote], page.lang)  # how to give it, from the ontology
            fields.append(Field(name, text, "number", step="1" if integer else "0.001",
                                hint=str(note) if note is not None else ""))
    return sorted(fields, key=lambda f: (f.kind != "select", f.kind == "boolean", f.label.text.lower()))


def region_options(graph: Graph, page: Page, sections: list[RegionSection]) -> list[tuple[str, Text]]:
    return [(slug(s.region.iri), s.region.text) for s in sections]


def script_labels(graph: Graph, lang: str) -> dict[str, str]:
    """Labels the eligibility script needs for the IRIs /eligibility returns: agencies, sources, concepts."""
    kinds = (CV.PublicOrganisation, CV.ReferenceFramework, FOAF.Document, SKOS.Concept)
    return {str(node): label(graph, node, lang).text
            for kind in kinds for node in graph.subjects(RDF.type, kind) if isinstance(node, URIRef)}


def home_view(graph: Graph, page: Page) -> dict:
    columns, sections = region_sections(graph, page)
    return {
        "columns": columns,
        "sections": sections,
        "regions": region_options(graph, page, sections),
        "fields": form_fields(graph, page),
    }
