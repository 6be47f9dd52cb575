"""The data of the brochure "Regionale steun voor federale werkgevers" (October 2025) against the brochure.

Table-driven: BROCHURE_MATRIX below is the brochure's tables, one row per support measure (16), and each
row is checked against the graph with SPARQL. The other tests check labels, sources, the special
conditions of Actiris and AVIQ, the notes, the code lists and the region links.

Shapes are written elsewhere, so the graph is loaded without the SHACL gate, and only the ontology and the
brochure files are parsed (other data files are not this test's concern).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS as DCT, FOAF, RDF, SKOS
from rdflib import namespace as rdfns

from inclusion_kg.graph import parse_files, project_root
from inclusion_kg.namespaces import CPSV, CV, IKG, PREFIXES, sparql_prologue

ROOT = project_root()
BROCHURE_FILES = [
    "data/regions.ttl",
    "data/agencies.ttl",
    "data/contract-types.ttl",
    "data/organisation-types.ttl",
    "data/code-lists.ttl",
    "data/sources.ttl",
    "data/measures/vdab.ttl",
    "data/measures/phare.ttl",
    "data/measures/actiris.ttl",
    "data/measures/aviq.ttl",
    "data/measures/dsl.ttl",
]
LANGS = {"nl", "fr", "de", "en"}
PROLOGUE = sparql_prologue()


def iri(kind: str, slug: str) -> URIRef:
    return URIRef(PREFIXES[kind] + slug)


@pytest.fixture(scope="module")
def graph() -> Graph:
    return parse_files(sorted(ROOT.glob("ontology/*.ttl")) + [ROOT / f for f in BROCHURE_FILES])


def select(graph: Graph, query: str, **bindings) -> list:
    return list(graph.query(PROLOGUE + query, initBindings=bindings))


def column(graph: Graph, query: str, **bindings) -> set:
    return {row[0] for row in select(graph, query, **bindings)}


# ---------------------------------------------------------------------------------------- the matrix
I, A, E = "internship", "adaptation-contract", "employment"
D = "discovery-internship"  # the "Ontdekkingsstage" column of PHARE, Actiris and AVIQ


@dataclass(frozen=True)
class Row:
    slug: str
    agency: str
    region: str
    contracts: frozenset | None  # None: independent of hiring, no contract-type condition
    mark: str  # "*": only once the employer reaches the 3% rate; "**": "Niet op voorwaarde van het behalen
    #            van het quotum van 3%"; "": the brochure says nothing about the quota (German-speaking Community)
    paid_to: frozenset  # who is paid, only where the brochure says so ("Vorm van ondersteuning" column)


def row(slug, agency, region, contracts, mark, paid_to=()):
    return Row(slug, agency, region, None if contracts is None else frozenset(contracts), mark, frozenset(paid_to))


BROCHURE_MATRIX = [
    # VDAB: columns "Stages (WES, BVS, BIS, IBO et IBO+)" | "Werk"
    row("vdab-jobcoaches", "vdab", "flanders", {E}, "**"),
    # Dienst PHARE: "Ontdekkingsstage" | "Contract voor beroepsmatige aanpassing" | "Werk"
    row("phare-inzetpremie", "phare", "brussels", {E}, "*"),
    row("phare-mentoring-premie", "phare", "brussels", {E}, "**"),
    row("phare-premie-sensibilisering-inclusie", "phare", "brussels", {A, E}, "**"),
    # "Verbeteringen aan eigendommen worden aangeboden aan de werkgever, maar verplaatsbare apparatuur wordt
    # rechtstreeks aan de werknemer aangeboden."
    row("phare-arbeidspost-aanpassingen", "phare", "brussels", {A, E}, "**", {"employer", "employee"}),
    row("phare-tussenkomst-verplaatsingskosten", "phare", "brussels", {D, A, E}, "**", {"employee"}),  # "Betaling aan werknemer"
    # Actiris: "Ontdekkingsstage" | "Contract voor beroepsmatige aanpassing" | "Werkcontract"
    row("actiris-premie-activa-brussels", "actiris", "brussels", {E}, "**"),
    row("actiris-handicappremie", "actiris", "brussels", {E}, "**"),
    # AVIQ: "Ontdekkingsstage" | "Contract voor beroepsmatige aanpassing" | "Werk"
    row("aviq-integratiepremie", "aviq", "wallonia", {E}, "*"),
    row("aviq-aanpassing-arbeidsomstandigheden", "aviq", "wallonia", {E}, "*"),
    row("aviq-mentoring-premie", "aviq", "wallonia", {E}, "**"),
    row("aviq-aanpassing-arbeidspost", "aviq", "wallonia", {A, E}, "*"),
    row("aviq-ondersteuning-op-het-werk", "aviq", "wallonia", {D, A, E}, "**"),
    # "Betaling aan de werknemer in geval van individueel vervoer"
    row("aviq-tussenkomst-verplaatsingskosten", "aviq", "wallonia", {D, A, E}, "**", {"employee"}),
    row("aviq-sensibilisering-handicap", "aviq", "wallonia", None, "*"),
    # German-speaking Community: "in het kader van een stage- of arbeidscontract"; no quota mark at all
    row("dsl-redelijke-aanpassingen", "dsl", "german-speaking-community", {I, E}, ""),
]
ROWS = {r.slug: r for r in BROCHURE_MATRIX}
AGENCY_SECTION = {
    "vdab": "brochure-2025-vdab",
    "phare": "brochure-2025-phare",
    "actiris": "brochure-2025-actiris",
    "aviq": "brochure-2025-aviq",
    "dsl": "brochure-2025-german-speaking-community",
}


def test_matrix_has_the_brochures_sixteen_rows():
    per_agency = {a: sum(r.agency == a for r in BROCHURE_MATRIX) for a in AGENCY_SECTION}
    assert per_agency == {"vdab": 1, "phare": 5, "actiris": 2, "aviq": 7, "dsl": 1}


def test_the_graph_has_exactly_the_measures_of_the_matrix(graph):
    found = column(graph, """
        SELECT ?m WHERE { ?m a ikg:SupportMeasure ; dct:source/dct:isPartOf source:brochure-2025 . }""")
    assert found == {iri("measure", slug) for slug in ROWS}


@pytest.mark.parametrize("r", BROCHURE_MATRIX, ids=lambda r: r.slug)
def test_measure_row(graph, r: Row):
    m = iri("measure", r.slug)
    assert (m, RDF.type, CPSV.PublicService) in graph
    assert (m, RDF.type, IKG.SupportMeasure) in graph
    assert graph.value(m, DCT.identifier) == Literal(r.slug)
    assert set(graph.objects(m, CV.hasCompetentAuthority)) == {iri("agency", r.agency)}
    assert set(graph.objects(m, DCT.spatial)) == {iri("region", r.region)}
    assert set(graph.objects(m, DCT.source)) == {iri("source", AGENCY_SECTION[r.agency])}

    contract_conditions = select(graph, """
        SELECT ?c WHERE { ?m cv:holdsRequirement ?c . ?c cv:constrains ikg:contractType . }""", m=m)
    allowed = column(graph, """
        SELECT ?v WHERE { ?m cv:holdsRequirement ?c . ?c cv:constrains ikg:contractType ; ikg:allowedValue ?v . }""", m=m)
    if r.contracts is None:
        assert contract_conditions == []
        assert graph.value(m, IKG.independentOfHiring) == Literal(True)
    else:
        assert [c for (c,) in contract_conditions] == [iri("condition", f"{r.slug}-contract-type")]
        assert allowed == {iri("contract-type", c) for c in r.contracts}
        assert graph.value(m, IKG.independentOfHiring) is None

    quota = column(graph, """
        SELECT ?c WHERE { ?m cv:holdsRequirement ?c . ?c cv:constrains ikg:employmentRate . }""", m=m)
    assert quota == ({iri("condition", f"{r.agency}-employment-quota")} if r.mark == "*" else set())
    # "**" is a statement of the brochure, told apart from its silence (""): only "**" is quota-free
    quota_free = list(graph.objects(m, IKG.notConditionalOnQuota))
    assert quota_free == ([Literal(True)] if r.mark == "**" else [])

    beneficiaries = column(graph, """
        SELECT ?b WHERE { ?m cpsv:produces ?o . ?o a cv:Output ; ikg:beneficiary ?b ; dct:type ?t . }""", m=m)
    assert beneficiaries == {iri("beneficiary", b) for b in r.paid_to}


@pytest.mark.parametrize("slug", list(ROWS))
def test_measure_labels_sources_and_information(graph, slug):
    m = iri("measure", slug)
    for prop in (SKOS.prefLabel, DCT.title, DCT.description):
        langs = [o.language for o in graph.objects(m, prop)]
        assert sorted(langs) == sorted(LANGS), (prop, langs)
    assert set(graph.objects(m, SKOS.prefLabel)) == set(graph.objects(m, DCT.title))
    for (section,) in select(graph, "SELECT ?s WHERE { ?m dct:source ?s }", m=m):
        assert (section, DCT.isPartOf, iri("source", "brochure-2025")) in graph
        assert (section, RDF.type, CV.ReferenceFramework) in graph
    docs = set(graph.objects(m, IKG.furtherInformation))
    assert docs and all((d, RDF.type, FOAF.Document) in graph for d in docs)
    for output in graph.objects(m, CPSV.produces):
        for prop in (SKOS.prefLabel, DCT.title, DCT.description):
            assert {o.language for o in graph.objects(output, prop)} == LANGS
        assert graph.value(output, DCT.identifier) is not None


def test_dutch_labels_are_spelled_correctly(graph):
    labels = column(graph, "SELECT ?l WHERE { ?m a ikg:SupportMeasure ; skos:prefLabel ?l FILTER(lang(?l) = 'nl') }")
    assert not [str(label) for label in labels if "Tussenkost" in label]
    assert Literal("Tussenkomst bij verplaatsingskosten", lang="nl") in labels


# ---------------------------------------------------------------------------------------- conditions
def test_every_condition_is_complete(graph):
    conditions = set(graph.subjects(RDF.type, CV.Constraint))
    assert len(conditions) == 25
    for c in conditions:
        assert graph.value(c, DCT.identifier) == Literal(str(c).rsplit("/", 1)[1])
        for prop in (SKOS.prefLabel, DCT.title, DCT.description):
            assert sorted(o.language for o in graph.objects(c, prop)) == sorted(LANGS), (c, prop)
        assert len(set(graph.objects(c, CV.constrains))) == 1, c
        assert (graph.value(c, CV.constrains), RDF.type, CV.InformationConcept) in graph, c
        source = graph.value(c, CV.isDerivedFrom)
        assert (source, DCT.isPartOf, iri("source", "brochure-2025")) in graph, c
        thresholds = [p for p in (IKG.allowedValue, IKG.minInclusive, IKG.minExclusive) if graph.value(c, p) is not None]
        assert thresholds, c


@pytest.mark.parametrize("agency", ["phare", "aviq"])
def test_quota_is_three_percent_inclusive_decimal(graph, agency):
    c = iri("condition", f"{agency}-employment-quota")
    assert graph.value(c, CV.constrains) == IKG.employmentRate
    value = graph.value(c, IKG.minInclusive)
    assert value.datatype == rdfns.XSD.decimal and value == Literal("0.03", datatype=rdfns.XSD.decimal)
    assert graph.value(c, IKG.furtherInformation) == iri("source", "bosa-ciph-evaluatieverslag-2023")
    assert graph.value(c, CV.isDerivedFrom) == iri("source", f"brochure-2025-{agency}")


def test_aviq_integratiepremie_inactivity_and_wage_share(graph):
    c = iri("condition", "aviq-integratiepremie-inactivity")
    assert graph.value(c, CV.constrains) == IKG.monthsInactive
    months = graph.value(c, IKG.minExclusive)
    assert months.datatype == rdfns.XSD.decimal and months.toPython() == 6  # "langer dan zes maanden"; months are decimals
    assert (iri("measure", "aviq-integratiepremie"), CV.holdsRequirement, c) in graph
    share = graph.value(iri("output", "aviq-integratiepremie"), IKG.wageCostShare)
    assert share.datatype == rdfns.XSD.decimal and share == Literal("0.25", datatype=rdfns.XSD.decimal)


ACTIRIS_TYPES = {
    "autonomous-public-company", "public-credit-institution", "public-transport-company", "province",
    "municipality", "public-social-welfare-centre", "education-institution",
}


def test_actiris_special_conditions(graph):
    appointment = iri("condition", "actiris-contractual-appointment")
    organisation = iri("condition", "actiris-organisation-type")
    staff = iri("condition", "actiris-education-support-staff")
    guard = iri("condition", "actiris-education-institution-guard")
    assert graph.value(appointment, CV.constrains) == IKG.appointment
    assert set(graph.objects(appointment, IKG.allowedValue)) == {iri("appointment", "contractual")}
    assert graph.value(organisation, CV.constrains) == IKG.organisationType
    assert set(graph.objects(organisation, IKG.allowedValue)) == {iri("organisation-type", t) for t in ACTIRIS_TYPES}
    assert iri("organisation-type", "federal-administration") not in set(graph.objects(organisation, IKG.allowedValue))
    assert graph.value(staff, CV.constrains) == IKG.staffCategory
    assert set(graph.objects(staff, IKG.allowedValue)) == {iri("staff-category", "support")}
    assert set(graph.objects(staff, IKG.appliesOnlyIf)) == {guard}
    assert (guard, RDF.type, CV.Constraint) in graph
    assert graph.value(guard, CV.constrains) == IKG.organisationType
    assert set(graph.objects(guard, IKG.allowedValue)) == {iri("organisation-type", "education-institution")}
    for slug in ("actiris-premie-activa-brussels", "actiris-handicappremie"):
        held = set(graph.objects(iri("measure", slug), CV.holdsRequirement))
        assert {appointment, organisation, staff} <= held


def test_guards_are_held_by_no_measure(graph):
    held_guards = select(graph, "SELECT ?m ?g WHERE { ?c ikg:appliesOnlyIf ?g . ?m cv:holdsRequirement ?g . }")
    assert held_guards == []
    assert select(graph, "ASK { ?c ikg:appliesOnlyIf ?g }")[0] is True


@pytest.mark.parametrize("condition, concept, measure", [
    ("phare-mentoring-premie-mentor", IKG.mentorAppointed, "phare-mentoring-premie"),
    ("aviq-mentoring-premie-mentor", IKG.mentorAppointed, "aviq-mentoring-premie"),
    ("aviq-tussenkomst-verplaatsingskosten-individual-transport", IKG.individualTransport, "aviq-tussenkomst-verplaatsingskosten"),
])
def test_boolean_conditions(graph, condition, concept, measure):
    c = iri("condition", condition)
    assert graph.value(c, CV.constrains) == concept
    value = graph.value(c, IKG.allowedValue)
    assert value.datatype == rdfns.XSD.boolean and value.toPython() is True
    assert (iri("measure", measure), CV.holdsRequirement, c) in graph


def test_phare_workstation_adaptations_pay_employer_and_employee_separately(graph):
    outputs = select(graph, """
        SELECT ?o ?b WHERE { measure:phare-arbeidspost-aanpassingen cpsv:produces ?o . ?o ikg:beneficiary ?b }""")
    assert len(outputs) == 2
    assert {b for _, b in outputs} == {iri("beneficiary", "employer"), iri("beneficiary", "employee")}


def test_awareness_funding_is_independent_of_hiring_and_starred(graph):
    m = iri("measure", "aviq-sensibilisering-handicap")
    assert graph.value(m, IKG.independentOfHiring) == Literal(True)
    assert (m, CV.holdsRequirement, iri("condition", "aviq-employment-quota")) in graph
    types = column(graph, "SELECT ?t WHERE { ?m cpsv:produces/dct:type ?t }", m=m)
    assert types == {iri("benefit-type", "awareness-funding")}


# ---------------------------------------------------------------------------------------- notes
NOTES = {
    "domicile-region-decides": {("source", "brochure-2025")},
    "financial-incentives-only": {("source", "brochure-2025")},
    "agencies-advise-in-every-situation": {("source", "brochure-2025")},
    "brochure-purpose": {("source", "brochure-2025")},  # "Het doel is om een eenvoudige en efficiënte manier ..."
    "flanders-no-other-instruments": {("region", "flanders"), ("agency", "vdab")},
    "actiris-takes-over-phare": {("agency", "actiris"), ("agency", "phare")},
    "actiris-most-federal-organisations-not-eligible": {("agency", "actiris"), ("organisation-type", "federal-administration")},
    "german-speaking-community-specific-needs": {("region", "german-speaking-community"), ("agency", "dsl")},
    "aviq-awareness-funding-associations": {("measure", "aviq-sensibilisering-handicap")},
}


def test_notes_are_exactly_the_brochures(graph):
    assert set(graph.subjects(RDF.type, IKG.Note)) == {iri("note", n) for n in NOTES}


@pytest.mark.parametrize("slug", list(NOTES))
def test_note(graph, slug):
    n = iri("note", slug)
    for prop in (SKOS.prefLabel, DCT.description):
        assert sorted(o.language for o in graph.objects(n, prop)) == sorted(LANGS), prop
    assert {iri(kind, s) for kind, s in NOTES[slug]} <= set(graph.objects(n, DCT.subject))
    for subject in graph.objects(n, DCT.subject):
        assert (subject, None, None) in graph, subject
    source = graph.value(n, DCT.source)
    assert (source, DCT.isPartOf, iri("source", "brochure-2025")) in graph


# ---------------------------------------------------------------------------------------- regions
# The mapping property that is true: Flanders and Brussels are the Flemish and Brussels-Capital Regions; the
# brochure's Wallonia leaves out the German-speaking area (its own section), so the Walloon Region (NUTS BE3,
# Wikidata, ISO BE-WAL) is broader than Wallonia and than the German-speaking Community.
REGION_LINKS = {  # slug: (exactMatch, broadMatch, notation)
    "flanders": ({("wd", "Q9337"), ("nuts", "BE2")}, set(), {"BE-VLG"}),
    "brussels": ({("wd", "Q240"), ("nuts", "BE1")}, set(), {"BE-BRU"}),
    "wallonia": (set(), {("wd", "Q231"), ("nuts", "BE3")}, set()),
    "german-speaking-community": (set(), {("nuts", "BE3")}, set()),
}
BEL = URIRef("http://publications.europa.eu/resource/authority/country/BEL")


@pytest.mark.parametrize("slug", list(REGION_LINKS))
def test_region_links(graph, slug):
    r = iri("region", slug)
    assert {(r, RDF.type, DCT.Location), (r, RDF.type, SKOS.Concept)} <= set(graph.triples((r, RDF.type, None)))
    assert (r, SKOS.inScheme, iri("scheme", "region")) in graph
    assert (r, DCT.isPartOf, BEL) in graph
    assert graph.value(r, DCT.identifier) == Literal(slug)
    exact, broad, notations = REGION_LINKS[slug]
    assert set(graph.objects(r, SKOS.exactMatch)) == {URIRef(PREFIXES[p] + c) for p, c in exact}
    assert set(graph.objects(r, SKOS.broadMatch)) == {URIRef(PREFIXES[p] + c) for p, c in broad}
    assert {str(n) for n in graph.objects(r, SKOS.notation)} == notations
    assert (r, SKOS.closeMatch, None) not in graph and (r, SKOS.altLabel, None) not in graph


# ---------------------------------------------------------------------------------------- code lists, agencies, sources
SCHEMES = {
    "region": {"flanders", "brussels", "wallonia", "german-speaking-community"},
    "contract-type": {"internship", "adaptation-contract", "employment", "discovery-internship", "wes", "bvs", "bis", "ibo", "ibo-plus"},
    "organisation-type": ACTIRIS_TYPES | {"federal-administration"},
    "appointment": {"contractual", "statutory"},
    "staff-category": {"teaching", "support"},
    "beneficiary": {"employer", "employee"},
}


@pytest.mark.parametrize("kind", list(SCHEMES) + ["benefit-type"])
def test_concept_schemes(graph, kind):
    scheme = iri("scheme", kind)
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    assert {o.language for o in graph.objects(scheme, SKOS.prefLabel)} == LANGS
    members = set(graph.subjects(SKOS.inScheme, scheme))
    if kind in SCHEMES:
        assert members == {iri(kind, s) for s in SCHEMES[kind]}
    for c in members:
        assert (c, RDF.type, SKOS.Concept) in graph
        assert sorted(o.language for o in graph.objects(c, SKOS.prefLabel)) == sorted(LANGS), c
        assert graph.value(c, DCT.identifier) == Literal(str(c).rsplit("/", 1)[1])
        is_top = (c, SKOS.topConceptOf, scheme) in graph
        assert is_top == ((scheme, SKOS.hasTopConcept, c) in graph)
        assert is_top != ((c, SKOS.broader, None) in graph), c


def test_benefit_types_cover_every_output(graph):
    types = column(graph, "SELECT ?t WHERE { ?o a cv:Output ; dct:type ?t }")
    assert types == set(graph.subjects(SKOS.inScheme, iri("scheme", "benefit-type")))


def test_internship_forms_are_narrower_than_internship(graph):
    internship = iri("contract-type", "internship")
    narrower = {"discovery-internship", "wes", "bvs", "bis", "ibo", "ibo-plus"}
    assert set(graph.objects(internship, SKOS.narrower)) == {iri("contract-type", s) for s in narrower}
    for s in narrower:
        assert set(graph.objects(iri("contract-type", s), SKOS.broader)) == {internship}
    tops = set(graph.objects(iri("scheme", "contract-type"), SKOS.hasTopConcept))
    assert tops == {iri("contract-type", s) for s in ("internship", "adaptation-contract", "employment")}


AGENCY_REGION = {"vdab": "flanders", "phare": "brussels", "actiris": "brussels", "aviq": "wallonia", "dsl": "german-speaking-community"}


@pytest.mark.parametrize("slug", list(AGENCY_REGION))
def test_agency(graph, slug):
    a = iri("agency", slug)
    for t in (CV.PublicOrganisation, URIRef("http://www.w3.org/ns/org#Organization"), FOAF.Agent):
        assert (a, RDF.type, t) in graph
    assert {o.language for o in graph.objects(a, SKOS.prefLabel)} == LANGS
    assert set(graph.objects(a, SKOS.prefLabel)) == set(graph.objects(a, DCT.title))
    assert graph.value(a, FOAF.name) is not None
    assert set(graph.objects(a, DCT.spatial)) == {iri("region", AGENCY_REGION[slug])}
    assert set(graph.objects(a, DCT.source)) == {iri("source", AGENCY_SECTION[slug])}
    assert all((d, RDF.type, FOAF.Document) in graph for d in graph.objects(a, IKG.furtherInformation))
    assert set(graph.objects(a, IKG.furtherInformation))


def test_agencies_keep_their_own_names(graph):
    assert Literal("Dienststelle für Selbstbestimmtes Leben", lang="de") in set(graph.objects(iri("agency", "dsl"), SKOS.prefLabel))
    assert Literal("Dienst PHARE", lang="nl") in set(graph.objects(iri("agency", "phare"), SKOS.prefLabel))
    for acronym in ("vdab", "aviq"):
        assert {str(label) for label in graph.objects(iri("agency", acronym), SKOS.prefLabel)} == {acronym.upper()}


DOCUMENTS = {
    "vdab-coach-nieuwe-medewerkers": "Coach nieuwe medewerkers | VDAB Werkgevers",
    "vlaanderen-individueel-maatwerk-voor-werkgevers": "Individueel maatwerk voor werkgevers | Vlaanderen.be",
    "bosa-ciph-evaluatieverslag-2023": "CIPH: evaluatieverslag 2023 | BOSA (belgium.be)",
    "phare-tewerkstellingsmaatregelen": "Tewerkstellingsmaatregelen van de dienst PHARE | handicap.brussels",
    "actiris-werken-met-een-handicap": "Werken met een handicap | Actiris",
    "aviq-aides-financieres": "Aides financières | AVIQ",
    "dsl-ich-moechte-in-einem-unternehmen-arbeiten":
        "Ich möchte in einem öffentlichen oder privaten Unternehmen arbeiten - Dienststelle für Selbstbestimmtes Leben",
}


def test_brochure_and_sections(graph):
    b = iri("source", "brochure-2025")
    assert {(b, RDF.type, FOAF.Document), (b, RDF.type, CV.ReferenceFramework)} <= set(graph.triples((b, RDF.type, None)))
    # "Geactualiseerd : oktober 2025": the last update; the brochure prints no date of first issue
    assert graph.value(b, DCT.modified) == Literal("2025-10", datatype=rdfns.XSD.gYearMonth)
    assert graph.value(b, DCT.issued) is None
    assert graph.value(b, DCT.language) == URIRef("http://publications.europa.eu/resource/authority/language/NLD")
    assert graph.value(b, DCT.title).language == "nl"
    sections = set(graph.subjects(DCT.isPartOf, b))
    assert sections == {iri("source", f"brochure-2025-{s}") for s in
                        ("introduction", "vdab", "phare", "actiris", "aviq", "german-speaking-community")}
    for s in sections:
        assert (s, RDF.type, CV.ReferenceFramework) in graph and (s, RDF.type, FOAF.Document) in graph
        assert graph.value(s, DCT.title) == graph.value(s, SKOS.prefLabel)


@pytest.mark.parametrize("slug", list(DOCUMENTS))
def test_further_information_documents_have_their_printed_titles_and_no_url(graph, slug):
    d = iri("source", slug)
    assert (d, RDF.type, FOAF.Document) in graph
    assert [str(t) for t in graph.objects(d, DCT.title)] == [DOCUMENTS[slug]]
    assert graph.value(d, DCT.title) == graph.value(d, SKOS.prefLabel)
    assert (d, FOAF.page, None) not in graph and (d, URIRef("http://www.w3.org/ns/dcat#accessURL"), None) not in graph


def test_no_invented_links(graph):
    """Every IRI in the brochure files is ours, a vocabulary term, or one of the verified external links."""
    allowed_external = {
        "http://publications.europa.eu/resource/authority/country/BEL",
        "http://publications.europa.eu/resource/authority/language/NLD",
        "http://publications.europa.eu/resource/authority/language/DEU",
    } | {PREFIXES["wd"] + q for q in ("Q9337", "Q240", "Q231")} | {PREFIXES["nuts"] + n for n in ("BE1", "BE2", "BE3")}
    vocabularies = tuple(v for k, v in PREFIXES.items() if k not in {"wd", "nuts"})
    data = parse_files([ROOT / f for f in BROCHURE_FILES])
    for triple in data:
        for term in triple:
            if isinstance(term, URIRef):
                assert str(term).startswith(vocabularies) or str(term) in allowed_external, term
    literals = [str(o) for o in data.objects() if isinstance(o, Literal)]
    assert not [text for text in literals if re.search(r"https?://|www\.", text)]


@pytest.mark.parametrize("path", BROCHURE_FILES)
def test_files_open_with_a_comment_and_declare_only_registered_prefixes(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    assert text.startswith("# ")
    for name, namespace in re.findall(r"^(?:PREFIX|@prefix)\s+([\w-]*):\s*<([^>]*)>", text, flags=re.M | re.I):
        assert PREFIXES.get(name) == namespace, name
    Graph().parse(data=text, format="turtle")
