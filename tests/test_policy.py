"""The policy data: Flemish written question no. 17 (2018) on werkbaar werk, its answer, the six
recommendations of the Commissie Diversiteit and the initiatives the answer offers for each.

The expected tables below are written from the answer's text
(tests/sources/schriftelijke-vraag-17-2018-werkbaar-werk.txt), not from the data.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS

from inclusion_kg.graph import data_files, parse_files, validate_dataset, validate_graph
from inclusion_kg.namespaces import ID, IKG, PREFIXES

ROOT = Path(__file__).resolve().parents[1]
XSD = Namespace(PREFIXES["xsd"])  # a plain namespace: rdflib's XSD warns when pytest inspects it
SOURCE = ROOT / "tests" / "sources" / "schriftelijke-vraag-17-2018-werkbaar-werk.txt"
POLICY_FILES = sorted((ROOT / "data" / "policy").glob("*.ttl"))
SHAPES = ROOT / "shapes" / "policy.ttl"
QUERIES = ROOT / "queries"


def doc(slug: str) -> URIRef:
    return ID[f"document/{slug}"]


def org(slug: str) -> URIRef:
    return ID[f"agency/{slug}"] if slug == "vdab" else ID[f"organisation/{slug}"]


def ini(slug: str) -> URIRef:
    return ID[f"initiative/{slug}"]


def rec(number: int) -> URIRef:
    return ID[f"recommendation/werkbaar-werk-arbeidshandicap-{number}"]


QUESTION = doc("schriftelijke-vraag-17-2018-werkbaar-werk")
ANSWER = doc("antwoord-schriftelijke-vraag-17-2018-werkbaar-werk")
ADVICE = doc("advies-commissie-diversiteit-werkbaar-werk-arbeidshandicap")

# --- Tables written from the answer -----------------------------------------------------------------

# 1. "Volgende BTOM's werden aangepast: ..." and the BVR that approved the adaptations.
POINT_1 = {
    "bvr-versterkt-doelgroepenbeleid",
    "aanpassing-vop-zelfstandigen",
    "aanpassing-vop-bepaalde-duur",
    "aanpassing-tolken-vlaamse-gebarentaal",
}
# 2. "VDAB neemt deze opdracht op." and its six examples.
POINT_2 = {
    "vdab-transitietrajecten-buso",
    "vdab-duaal-leren",
    "vdab-re-integratietrajecten",
    "vdab-jobcoaching",
    "vdab-opleidingsprojecten-knelpuntberoepen",
    "vdab-werk-zorgtrajecten",
}
# 3-5. answered together: every bullet of the point answers 3, 4 and 5.
POINT_3_5 = {
    "vdab-competentiegericht-werven",
    "vdab-hr-gerichte-projecten",  # "VDAB participeert in HR-gerichte-projecten ...", a statement of its own
    "doof-talent",
    "focus-op-talent",
    "kmo-portefeuille",
    "esf-oproep-duurzaam-loopbaanbeleid",
    "esf-oproep-anders-organiseren",
    "sectorconvenants",
    "werkbaarwerk-be",
    "talentontwikkelaar-be",
    "vdab-good-practices-werkzoekenden",
    "talenticap",
    "gezamenlijk-actieplan-werkbaar-werk",
}
# 6. the VIONA call of October and the study whose results are expected at the end of 2019.
POINT_6 = {
    "viona-oproep-werkzaamheidsgraad-arbeidshandicap",
    "viona-onderzoek-werkzaamheidsgraad-arbeidshandicap",
}
RESPONSES = {1: POINT_1, 2: POINT_2, 3: POINT_3_5, 4: POINT_3_5, 5: POINT_3_5, 6: POINT_6}

# Where the answer's text takes up one recommendation's own wording within the 3-5 group.
SPECIFIC = {
    "kmo-portefeuille": {3},  # "consultancy ... over HR-beleid"
    "vdab-good-practices-werkzoekenden": {4},  # "Het hebben van werk is belangrijk ..."
    "talenticap": {4},  # same paragraph
    "focus-op-talent": {4},  # "Ook binnen de mobiliserende strategie van het Focus op Talent beleid ..."
    "werkbaarwerk-be": {5},  # "het delen van knowhow en expertise rond werkbaar werk ..."
    "talentontwikkelaar-be": {5},
}

KINDS = {
    "bvr-versterkt-doelgroepenbeleid": "regulation",
    "aanpassing-vop-zelfstandigen": "instrument",
    "aanpassing-vop-bepaalde-duur": "instrument",
    "aanpassing-tolken-vlaamse-gebarentaal": "instrument",
    "vdab-transitietrajecten-buso": "service",
    "vdab-duaal-leren": "service",
    "vdab-re-integratietrajecten": "service",
    "vdab-jobcoaching": "service",
    "vdab-opleidingsprojecten-knelpuntberoepen": "project",
    "vdab-werk-zorgtrajecten": "service",
    "vdab-competentiegericht-werven": "service",
    "vdab-hr-gerichte-projecten": "project",
    "doof-talent": "project",
    "focus-op-talent": "policy",
    "kmo-portefeuille": "instrument",
    "esf-oproep-duurzaam-loopbaanbeleid": "call",
    "esf-oproep-anders-organiseren": "call",
    "sectorconvenants": "instrument",
    "werkbaarwerk-be": "website",
    "talentontwikkelaar-be": "website",
    "vdab-good-practices-werkzoekenden": "awareness-raising",
    "talenticap": "project",
    "gezamenlijk-actieplan-werkbaar-werk": "action-plan",
    "viona-oproep-werkzaamheidsgraad-arbeidshandicap": "call",
    "viona-onderzoek-werkzaamheidsgraad-arbeidshandicap": "study",
}

# The organisations the answer names for each initiative (none: the answer names none).
INVOLVED = {
    "bvr-versterkt-doelgroepenbeleid": {"vlaamse-regering"},
    "aanpassing-vop-zelfstandigen": {"vlaamse-regering"},
    "aanpassing-vop-bepaalde-duur": {"vlaamse-regering"},
    "aanpassing-tolken-vlaamse-gebarentaal": {"vlaamse-regering"},
    "vdab-transitietrajecten-buso": {"vdab", "gtb"},
    "vdab-duaal-leren": {"vdab"},
    "vdab-re-integratietrajecten": {"vdab", "riziv", "ziekenfondsen"},
    "vdab-jobcoaching": {"vdab", "gob"},
    "vdab-opleidingsprojecten-knelpuntberoepen": {"vdab"},
    "vdab-werk-zorgtrajecten": {"vdab"},
    "vdab-competentiegericht-werven": {"vdab"},
    "vdab-hr-gerichte-projecten": {"vdab"},
    "doof-talent": {"vdab", "doof-vlaanderen"},
    "focus-op-talent": {"grip"},  # "Grip vzw/Handicap & Arbeid": one partner, as the answer writes it
    "kmo-portefeuille": set(),
    "esf-oproep-duurzaam-loopbaanbeleid": set(),
    "esf-oproep-anders-organiseren": set(),
    "sectorconvenants": set(),
    "werkbaarwerk-be": set(),
    "talentontwikkelaar-be": set(),
    "vdab-good-practices-werkzoekenden": {"vdab"},
    "talenticap": {"nsz", "havo", "alin"},
    "gezamenlijk-actieplan-werkbaar-werk": {"sociale-partners", "vlaamse-regering"},
    "viona-oproep-werkzaamheidsgraad-arbeidshandicap": set(),
    "viona-onderzoek-werkzaamheidsgraad-arbeidshandicap": set(),
}

# Every organisation the question and answer name, with the name as printed.
NAMED_ORGANISATIONS = {
    "vdab": "VDAB",
    "vlaamse-regering": "Vlaamse regering",
    "gtb": "GTB",
    "riziv": "RIZIV",
    "ziekenfondsen": "ziekenfondsen",
    "gob": "Gespecialiseerde diensten voor Opleiding en Begeleiding (GOB)",
    "doof-vlaanderen": "Doof Vlaanderen",
    "grip": "Grip vzw/Handicap & Arbeid",
    "nsz": "NSZ",
    "havo": "havo vzw",
    "alin": "Alin vzw",
    "sociale-partners": "sociale partners",
    "commissie-diversiteit": "Commissie Diversiteit",
    "stichting-innovatie-en-arbeid": "Stichting Innovatie & Arbeid",
}

TIMELINE = [
    ("2018-10", XSD.gYearMonth, ini("viona-oproep-werkzaamheidsgraad-arbeidshandicap")),
    ("2018-10-19", XSD.date, QUESTION),
    ("2018-10-26", XSD.date, ini("bvr-versterkt-doelgroepenbeleid")),
    ("2019", XSD.gYear, ini("viona-onderzoek-werkzaamheidsgraad-arbeidshandicap")),
]


# --- Fixtures --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph() -> Graph:
    return parse_files(data_files())


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return parse_files([SHAPES])


@pytest.fixture(scope="module")
def policy_graph() -> Graph:
    return parse_files(POLICY_FILES)


@pytest.fixture(scope="module")
def store(graph) -> ox.Store:
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


@pytest.fixture(scope="module")
def source_text() -> str:
    return normalise(SOURCE.read_text(encoding="utf-8"))


def normalise(text: str) -> str:
    """One line, single spaces; a word broken at a hyphen over two lines is joined ("re-\\nintegratie")."""
    text = re.sub(r"-[ \t]*\n\s*", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def slug(iri) -> str:
    return str(iri).rsplit("/", 1)[-1]


def initiatives(graph: Graph) -> set[str]:
    return {slug(s) for s in graph.subjects(RDF.type, IKG.Initiative)}


def texts(graph: Graph, subject, prop, lang: str) -> list[str]:
    return [str(o) for o in graph.objects(subject, prop) if isinstance(o, Literal) and o.language == lang]


def run(store: ox.Store, name: str, **params: str) -> tuple[list[str], list[dict]]:
    """Run queries/{name}.rq; `params` replace grlc parameter variables (`?__lang` -> "en")."""
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    for variable, term in params.items():
        text = re.sub(rf"\?{re.escape(variable)}\b", term, text)
    result = store.query(text)
    names = [v.value for v in result.variables]
    rows = [{n: row[n] for n in names} for row in result]
    return names, rows


# --- SHACL -----------------------------------------------------------------------------------------


def test_policy_data_conforms_to_the_policy_shapes(graph, shapes):
    report = validate_graph(graph, shapes)
    assert report.conforms, str(report)


def test_whole_graph_passes_the_gate(graph):
    """All shapes (brochure and policy) and the check queries, e.g. no dangling reference."""
    report = validate_dataset(graph)
    assert report.conforms, str(report)


def _drop(predicate):
    def mutate(g: Graph, node):
        g.remove((node, predicate, None))

    return mutate


def _set(predicate, value):
    def mutate(g: Graph, node):
        g.set((node, predicate, value))

    return mutate


def _add(predicate, value):
    def mutate(g: Graph, node):
        g.add((node, predicate, value))

    return mutate


def _drop_label(lang):
    def mutate(g: Graph, node):
        for label in list(g.objects(node, SKOS.prefLabel)):
            if label.language == lang:
                g.remove((node, SKOS.prefLabel, label))

    return mutate


BROKEN = {
    "initiative without kind": (ini("talenticap"), _drop(DCTERMS.type)),
    "initiative with a kind outside the scheme": (ini("talenticap"), _set(DCTERMS.type, org("nsz"))),
    "initiative without source": (ini("talenticap"), _drop(DCTERMS.source)),
    "initiative citing the question, not the answer": (ini("talenticap"), _set(DCTERMS.source, QUESTION)),
    "initiative answering no recommendation": (ini("talenticap"), _drop(IKG.respondsTo)),
    "specific tie outside its responses": (ini("vdab-duaal-leren"), _add(IKG.respondsSpecificallyTo, rec(4))),
    "initiative without English label": (ini("talenticap"), _drop_label("en")),
    "initiative without Dutch quote": (ini("talenticap"), _drop(DCTERMS.description)),
    "initiative date as text": (ini("viona-oproep-werkzaamheidsgraad-arbeidshandicap"), _set(DCTERMS.issued, Literal("oktober 2018"))),
    "recommendation number 7": (rec(6), _set(IKG.recommendationNumber, Literal(7))),
    "recommendation number as text": (rec(6), _set(IKG.recommendationNumber, Literal("6"))),
    "recommendation number twice in the advice": (rec(6), _set(IKG.recommendationNumber, Literal(5))),
    "recommendation without Dutch label": (rec(2), _drop_label("nl")),
    "organisation without English label": (org("nsz"), _drop_label("en")),
    "answer without author": (ANSWER, _drop(DCTERMS.creator)),
    "question date as text": (QUESTION, _set(DCTERMS.issued, Literal("19 oktober 2018"))),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_shapes_catch_broken_policy_data(shapes, graph, case):
    node, mutate = BROKEN[case]
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    mutate(broken, node)
    report = validate_graph(broken, shapes)
    assert not report.conforms
    assert str(node) in {v.focus for v in report.violations}, str(report)


# --- Recommendations -------------------------------------------------------------------------------


def test_six_recommendations_numbered_one_to_six(graph):
    numbers = {}
    for r in graph.subjects(RDF.type, IKG.Recommendation):
        assert graph.value(r, DCTERMS.isPartOf) == ADVICE
        numbers[int(graph.value(r, IKG.recommendationNumber))] = r
    assert sorted(numbers) == [1, 2, 3, 4, 5, 6]
    assert all(numbers[n] == rec(n) for n in numbers)


def test_recommendation_wording_is_the_sources(graph, source_text):
    """Dutch label: the answer's restatement (6: the question's wording); description: the question's."""
    lowered = source_text.lower()
    for n in range(1, 7):
        (label,) = texts(graph, rec(n), SKOS.prefLabel, "nl")
        (wording,) = texts(graph, rec(n), DCTERMS.description, "nl")
        assert label.lower() in lowered, (n, label)
        assert wording in source_text, (n, wording)
        assert texts(graph, rec(n), SKOS.prefLabel, "en")


@pytest.mark.parametrize("number", range(1, 7))
def test_initiatives_answering_each_recommendation(graph, number):
    found = {slug(s) for s in graph.subjects(IKG.respondsTo, rec(number))}
    assert found == RESPONSES[number]


def test_every_initiative_is_in_the_table(graph):
    assert initiatives(graph) == set().union(*RESPONSES.values()) == set(KINDS) == set(INVOLVED)


def test_specific_ties(graph):
    found = {}
    for s, o in graph.subject_objects(IKG.respondsSpecificallyTo):
        found.setdefault(slug(s), set()).add(int(graph.value(o, IKG.recommendationNumber)))
    assert found == SPECIFIC
    for name, numbers in SPECIFIC.items():
        assert name in POINT_3_5 and numbers <= {3, 4, 5}


# --- Initiatives -----------------------------------------------------------------------------------


def test_kinds(graph):
    scheme = ID["scheme/initiative-type"]
    for name, kind in KINDS.items():
        (value,) = graph.objects(ini(name), DCTERMS.type)
        assert value == ID[f"initiative-type/{kind}"], name
        assert (value, SKOS.inScheme, scheme) in graph
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph


def test_organisations_involved(graph):
    for name, expected in INVOLVED.items():
        found = set(graph.objects(ini(name), IKG.involvedOrganisation))
        assert found == {org(o) for o in expected}, name


def test_every_initiative_cites_the_answer(graph):
    for name in KINDS:
        node = ini(name)
        assert (node, PROV.wasDerivedFrom, ANSWER) in graph, name
        sources = set(graph.objects(node, DCTERMS.source))
        assert sources and all((s, DCTERMS.isPartOf, ANSWER) in graph for s in sources), name


def test_dutch_descriptions_quote_the_source_verbatim(policy_graph, source_text):
    """Every Dutch description in the policy data is taken word for word from the source
    (" … " joins two passages)."""
    checked = 0
    for subject, text in policy_graph.subject_objects(DCTERMS.description):
        if text.language != "nl":
            continue
        for passage in str(text).split(" … "):
            assert passage in source_text, (str(subject), passage)
        checked += 1
    assert checked >= len(KINDS) + 6


def test_dates_are_only_those_printed(graph):
    assert graph.value(QUESTION, DCTERMS.issued) == Literal("2018-10-19", datatype=XSD.date)
    for undated in (ANSWER, ADVICE):
        assert graph.value(undated, DCTERMS.issued) is None and graph.value(undated, DCTERMS.date) is None
    bvr = ini("bvr-versterkt-doelgroepenbeleid")
    (adoption,) = graph.objects(bvr, PROV.wasGeneratedBy)
    assert (adoption, RDF.type, PROV.Activity) in graph
    assert graph.value(adoption, DCTERMS.date) == Literal("2018-10-26", datatype=XSD.date)
    assert graph.value(adoption, PROV.wasAssociatedWith) == org("vlaamse-regering")
    call = ini("viona-oproep-werkzaamheidsgraad-arbeidshandicap")
    assert graph.value(call, DCTERMS.issued) == Literal("2018-10", datatype=XSD.gYearMonth)
    study = ini("viona-onderzoek-werkzaamheidsgraad-arbeidshandicap")
    assert graph.value(study, IKG.resultsExpected) == Literal("2019", datatype=XSD.gYear)


def test_printed_addresses(graph, source_text):
    compact = source_text.replace("werkzaa mheidsgraad", "werkzaamheidsgraad")
    pages = {str(o) for o in graph.objects(None, FOAF.page)}
    assert pages == {
        "https://www.vlaanderen.be/fr/nbwa-news-message-document/document/090135578023b1a0",
        "https://www.werk.be/sites/default/files/rapporten/"
        "oproep_studieopdracht_werkzaamheidsgraad_personen_met_een_handicap_19_10_2018.pdf",
    }
    assert all(page in compact for page in pages)


# --- Documents, organisations, people ---------------------------------------------------------------


def test_documents(graph):
    assert (ANSWER, IKG.answers, QUESTION) in graph
    assert graph.value(QUESTION, DCTERMS.creator) == ID["person/robrecht-bothuyne"]
    assert graph.value(ANSWER, DCTERMS.creator) == ID["person/philippe-muyters"]
    assert graph.value(ADVICE, DCTERMS.creator) == org("commissie-diversiteit")
    # neither document names a publisher, so the data names none
    assert (QUESTION, DCTERMS.publisher, None) not in graph and (ANSWER, DCTERMS.publisher, None) not in graph
    for document in (QUESTION, ANSWER, ADVICE):
        assert (document, RDF.type, FOAF.Document) in graph
        assert (document, RDF.type, PROV.Entity) in graph
        assert graph.value(document, DCTERMS.identifier) == Literal(slug(document))
    assert (ini("bvr-versterkt-doelgroepenbeleid"), RDF.type, URIRef(PREFIXES["eli"] + "LegalResource")) in graph


def test_every_named_organisation_is_present_once(graph, source_text):
    for name, printed in NAMED_ORGANISATIONS.items():
        node = org(name)
        assert printed in source_text, printed
        assert (node, RDF.type, ORG.Organization) in graph, name
        assert texts(graph, node, SKOS.prefLabel, "nl") and texts(graph, node, SKOS.prefLabel, "en"), name
    names: dict[str, URIRef] = {}
    for node in graph.subjects(RDF.type, ORG.Organization):
        for label in texts(graph, node, SKOS.prefLabel, "nl"):
            assert names.setdefault(label.lower(), node) == node, f"two nodes named {label!r}"


def test_vdab_is_referenced_not_redefined(policy_graph, graph):
    vdab = org("vdab")
    assert not list(policy_graph.triples((vdab, None, None)))
    assert (vdab, RDF.type, ORG.Organization) in graph
    assert {o for o in policy_graph.objects(None, IKG.involvedOrganisation) if "/agency/" in str(o)} == {vdab}


def test_people_and_the_ministers_post(graph):
    muyters = ID["person/philippe-muyters"]
    for person, name in ((muyters, "Philippe Muyters"), (ID["person/robrecht-bothuyne"], "Robrecht Bothuyne")):
        assert (person, RDF.type, FOAF.Person) in graph
        assert str(graph.value(person, FOAF.name)) == name
    (post,) = graph.objects(muyters, ORG.holds)
    assert (post, RDF.type, ORG.Post) in graph
    assert (post, ORG.heldBy, muyters) in graph
    assert graph.value(post, ORG.postIn) == org("vlaamse-regering")
    assert "Vlaams minister van Werk, Economie, Innovatie en Sport" in texts(graph, post, SKOS.prefLabel, "nl")


def test_everything_has_dutch_and_english_labels(policy_graph):
    unlabelled = [
        (str(subject), lang)
        for subject in set(policy_graph.subjects(RDF.type, None))
        for lang in ("nl", "en")
        if not texts(policy_graph, subject, SKOS.prefLabel, lang)
    ]
    assert not unlabelled


# --- Ontology and files ----------------------------------------------------------------------------


def test_policy_terms_are_defined(graph):
    ontology = parse_files([ROOT / "ontology" / "policy.ttl"])
    assert not list(ontology.subjects(RDF.type, OWL.Ontology))
    used = {p for p in parse_files(POLICY_FILES).predicates() if str(p).startswith(str(IKG))}
    used |= {o for o in parse_files(POLICY_FILES).objects(None, RDF.type) if str(o).startswith(str(IKG))}
    defined = set(ontology.subjects(RDFS.isDefinedBy, URIRef("https://w3id.org/inclusion-kg/ontology")))
    # ikg:Note (a statement of a source, e.g. the question's aim) is shared with the brochure's ontology
    shared = set(parse_files([ROOT / "ontology" / "inclusion-kg.ttl"]).subjects(RDF.type, OWL.Class))
    assert used <= defined | shared
    for term in defined:
        for prop in (RDFS.label, SKOS.definition):
            assert {o.language for o in ontology.objects(term, prop)} >= {"en", "nl"}, (term, prop)


@pytest.mark.parametrize(
    "path",
    POLICY_FILES + [ROOT / "ontology" / "policy.ttl", SHAPES],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_files_open_with_what_they_cover(path):
    first = path.read_text(encoding="utf-8").splitlines()[:2]
    assert all(line.startswith("# ") for line in first)


# --- Named queries ---------------------------------------------------------------------------------

QUERY_NAMES = ["recommendation-responses", "initiatives-by-organisation", "policy-timeline"]


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_query_decorators_and_prefixes(name):
    text = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    meta = yaml.safe_load("\n".join(line[2:] for line in text.splitlines() if line.startswith("#+")))
    assert meta["summary"] and meta["description"] and "policy" in meta["tags"]
    declared = re.findall(r"^PREFIX (\S+): <([^>]*)>$", text, re.MULTILINE)
    assert declared and all(PREFIXES[p] == iri for p, iri in declared)
    assert re.search(r"^SELECT", text, re.MULTILINE)


def test_recommendation_responses_query(store):
    names, rows = run(store, "recommendation-responses")
    assert names[0] == "recommendation"
    numbers = [int(row["number"].value) for row in rows]
    assert numbers == sorted(numbers)
    found = {(slug(row["recommendation"].value), slug(row["initiative"].value)) for row in rows}
    expected = {(slug(rec(n)), i) for n, names_ in RESPONSES.items() for i in names_}
    assert found == expected and len(rows) == len(expected)
    for row in rows:
        assert row["recommendationLabel"].language == "nl" and row["initiativeLabel"].language == "nl"
        number = int(row["number"].value)
        assert (row["specifically"].value == "true") == (number in SPECIFIC.get(slug(row["initiative"].value), set()))


def test_recommendation_responses_in_english(store):
    _, rows = run(store, "recommendation-responses", __lang='"en"')
    assert rows and all(row["initiativeLabel"].language == "en" for row in rows)


def test_initiatives_by_organisation_query(store):
    names, rows = run(store, "initiatives-by-organisation")
    assert names[0] == "organisation"
    found = {(slug(row["organisation"].value), slug(row["initiative"].value)) for row in rows}
    assert found == {(o, i) for i, orgs in INVOLVED.items() for o in orgs}
    for row in rows:
        initiative = slug(row["initiative"].value)
        numbers = {int(n) for n in row["recommendations"].value.split(", ")}
        assert numbers == {n for n, names_ in RESPONSES.items() if initiative in names_}
        assert row["organisationLabel"].language == "nl"


def test_initiatives_by_organisation_for_one_organisation(store):
    _, rows = run(store, "initiatives-by-organisation", __organisation_iri=f"<{org('vdab')}>")
    assert {slug(row["initiative"].value) for row in rows} == {i for i, o in INVOLVED.items() if "vdab" in o}
    assert {row["organisation"].value for row in rows} == {str(org("vdab"))}


def test_policy_timeline_query(store):
    names, rows = run(store, "policy-timeline")
    assert names[0] == "date"
    found = [(row["date"].value, row["date"].datatype.value, row["resource"].value) for row in rows]
    assert found == [(d, str(t), str(r)) for d, t, r in TIMELINE]
    assert [row["date"].value for row in rows] == sorted(row["date"].value for row in rows)
    assert all(row["event"] is not None and row["event"].language == "nl" for row in rows)
