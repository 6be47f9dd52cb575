"""Every number, date, URL and Dutch name in data/ appears in the sources, or says where else it comes from.

The sources are the two documents copied in tests/sources/ (the brochure of October 2025 and the 2018 written
question with its answer). The test walks every literal and page address of data/ and lists those that are
found in neither and whose subject has no `dct:source` to another document with a URL (`foaf:page`).

What is checked:
- numbers: literals of a numeric datatype, and plain literals that are only digits (e.g. a notation "17");
- dates: literals of xsd:date, xsd:gYearMonth, xsd:gYear, xsd:dateTime;
- URLs: page addresses (`foaf:page`, `foaf:homepage`, `dcat:accessURL`, `dcat:downloadURL`) and literals
  holding an http(s) address. Linked-data identifiers of other datasets (Wikidata, NUTS, the EU authority
  tables) are identifiers, not page addresses: data/regions.ttl cites, in its header, the pages that
  were read to check them;
- Dutch names: the `@nl` values of skos:prefLabel, skos:altLabel, skos:hiddenLabel, dct:title, foaf:name and
  rdfs:label of everything the sources name or describe. What the sources name (agencies, organisations,
  people, regions, measures, the kinds of contract, organisation, staff and appointment) is named as printed.
  What the 2018 answer describes without a title of its own (documents, initiatives, recommendations) may
  carry a heading we compose, but only from the sources' own words: every word of it occurs in them.
  Not checked: the labels we write to describe our own resources, which name nothing in the world:
  conditions (cv:Constraint), what a measure gives (cv:Output), notes (ikg:Note), concept schemes,
  activities, identifiers, and the concepts of our own classifications (kinds of support, of initiative,
  who is paid, eligibility statuses); their Dutch descriptions quote the sources, but their labels are
  ours. Translations into French, German and English are ours and exempt. The change log (data/history/) is not checked: it keeps
  earlier states of the data, each checked while it was current.

How a text is found (the normalisation):
- both texts: Unicode NFKC, case-folded; in the sources, markdown emphasis and link syntax are removed
  (`**x**`, `*x*`, `<u>x</u>`, `[x](#)` give x);
- a text is then cut into words (runs of letters and digits: punctuation, hyphens, apostrophes, quotes and
  line breaks separate words) and is found when its words occur, in order and next to each other, in the
  sources' words. So "re-\\nintegratietrajecten" and "re-integratietrajecten" are the same, and "Grip
  vzw/Handicap & Arbeid" is found as printed;
- a number is found as written ("6", "17"), as a Dutch number word ("zes"), or, for a fraction below 1, as a
  percentage ("0.25" as "25%");
- a date is found in its Dutch long form ("26 oktober 2018", "oktober 2025", "2019");
- a URL is found in the sources once their line breaks are removed (the answer breaks its two addresses
  across lines).
- A label that corrects the source's spelling (e.g. "Tussenkomst" for the printed "Tussenkost") is
  accepted when the same resource keeps the printed form as `skos:hiddenLabel` (which must be found) and
  says so in a Dutch `skos:editorialNote`.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from inclusion_kg.graph import parse_files, project_root
from inclusion_kg.namespaces import CV, IKG, PREFIXES

ROOT = project_root()
SOURCES = Path(__file__).resolve().parent / "sources"
ADMS_IDENTIFIER = URIRef("http://www.w3.org/ns/adms#Identifier")

# described, often untitled, by the sources: a composed heading may use only the sources' words
COMPOSED_CLASSES = (FOAF.Document, IKG.Initiative, IKG.Recommendation)
NAME_PROPERTIES = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, DCTERMS.title, FOAF.name, RDFS.label)
PAGE_PROPERTIES = (FOAF.page, FOAF.homepage, DCAT.accessURL, DCAT.downloadURL)
# resources we describe with labels of our own (they name nothing the sources name)
OWN_CLASSES = (CV.Constraint, CV.Output, IKG.Note, SKOS.ConceptScheme, PROV.Activity, ADMS_IDENTIFIER)
OWN_SCHEMES = tuple(URIRef(PREFIXES["scheme"] + s)
                    for s in ("benefit-type", "beneficiary", "eligibility-status", "initiative-type"))
NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.nonNegativeInteger,
           XSD.positiveInteger}
DATES = {XSD.date, XSD.gYearMonth, XSD.gYear, XSD.dateTime}
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
NUMBER_WORDS = ("nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf",
                "twaalf")


# ------------------------------------------------------------------------------------ normalisation
def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def unmark(text: str) -> str:
    """The sources' text without markdown: emphasis, underlining and link syntax."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text.replace("\\(", "(").replace("\\)", ")"))
    return re.sub(r"\*+|</?u>", "", text)


def words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", normalise(text)))


def contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[i:i + n] == needle for i in range(len(haystack) - n + 1))


def source_text() -> str:
    return "\n".join(unmark(p.read_text(encoding="utf-8")) for p in sorted(SOURCES.glob("*.txt")))


# ------------------------------------------------------------------------------------ what is checked
def is_own(graph: Graph, subject) -> bool:
    return (any((subject, RDF.type, c) in graph for c in OWN_CLASSES)
            or any((subject, SKOS.inScheme, s) in graph for s in OWN_SCHEMES))


def is_composed(graph: Graph, subject) -> bool:
    return any((subject, RDF.type, c) in graph for c in COMPOSED_CLASSES)


def cites_another_page(graph: Graph, subject) -> bool:
    """A dct:source to a document with a URL that is not one of our two sources."""
    return any(graph.value(s, FOAF.page) is not None for s in graph.objects(subject, DCTERMS.source))


def number_forms(value) -> set[str]:
    forms = {str(value)}
    number = value.toPython() if isinstance(value, Literal) else value
    try:
        number = float(number)
    except (TypeError, ValueError):
        return forms
    if number.is_integer():
        forms.add(str(int(number)))
        if 0 <= number < len(NUMBER_WORDS):
            forms.add(NUMBER_WORDS[int(number)])
    elif 0 < number < 1:
        forms.add(f"{number * 100:g}%")
    return forms


def date_forms(value: Literal) -> set[str]:
    text = str(value)
    parts = text.split("T")[0].split("-")
    if value.datatype == XSD.gYear:
        return {parts[0]}
    if value.datatype == XSD.gYearMonth:
        return {f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"}
    return {f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"}


def findings(graph: Graph, text: str) -> list[tuple[str, str, str, str]]:
    """(kind, subject, property, value) of every value that is neither found nor cited elsewhere."""
    text_words = words(text)
    vocabulary = set(text_words)
    flat = re.sub(r"\s+", "", normalise(text))
    missing = []

    def found_number(value) -> bool:
        for form in number_forms(value):
            if form.endswith("%"):
                if re.search(rf"(?<![\d.,]){re.escape(form[:-1])}\s?%", normalise(text)):
                    return True
            elif contains(text_words, words(form)):
                return True
        return False

    for s, p, o in graph:
        if isinstance(o, URIRef) and p in PAGE_PROPERTIES:
            if normalise(str(o)) not in flat and not cites_another_page(graph, s):
                missing.append(("URL", str(s), graph.qname(p), str(o)))
            continue
        if not isinstance(o, Literal) or p == DCTERMS.identifier:
            continue
        if o.datatype in DATES:
            if not any(contains(text_words, words(f)) for f in date_forms(o)) and not cites_another_page(graph, s):
                missing.append(("date", str(s), graph.qname(p), str(o)))
        elif o.datatype in NUMERIC or (o.datatype in (None, XSD.string) and o.language is None
                                       and re.fullmatch(r"\d+", str(o))):
            if not found_number(o) and not cites_another_page(graph, s):
                missing.append(("number", str(s), graph.qname(p), str(o)))
        elif re.search(r"https?://", str(o)):
            for url in re.findall(r"https?://\S+", str(o)):
                if normalise(url.rstrip(".,;)")) not in flat and not cites_another_page(graph, s):
                    missing.append(("URL", str(s), graph.qname(p), url))
        elif o.language == "nl" and p in NAME_PROPERTIES and not is_own(graph, s):
            if contains(text_words, words(o)) or cites_another_page(graph, s):
                continue
            if is_composed(graph, s) and set(words(o)) <= vocabulary:
                continue
            if p != SKOS.hiddenLabel and spelling_corrected(graph, s, text_words):
                continue
            missing.append(("Dutch name", str(s), graph.qname(p), str(o)))
    return sorted(missing)


def spelling_corrected(graph: Graph, subject, text_words) -> bool:
    printed = [h for h in graph.objects(subject, SKOS.hiddenLabel) if getattr(h, "language", None) == "nl"]
    explained = any(n.language == "nl" for n in graph.objects(subject, SKOS.editorialNote) if isinstance(n, Literal))
    return explained and bool(printed) and all(contains(text_words, words(h)) for h in printed)


# ------------------------------------------------------------------------------------ the tests
def data_graph() -> Graph:
    """The current data; the change log (data/history/) keeps earlier states, each checked when it was current."""
    history = ROOT / "data" / "history"
    return parse_files(sorted(p for p in (ROOT / "data").rglob("*.ttl") if history not in p.parents))


def test_every_number_date_url_and_dutch_name_is_in_the_sources_or_cites_its_own():
    missing = findings(data_graph(), source_text())
    assert not missing, "not in the sources and no dct:source elsewhere:\n" + "\n".join(
        f"  {kind}: {subject} {prop} {value!r}" for kind, subject, prop, value in missing)


def test_the_check_finds_what_the_sources_do_not_say():
    """The same check on a small graph: invented values are listed, the sources' own are not."""
    graph = Graph()
    ex = "https://w3id.org/inclusion-kg/id/"
    agency, measure, condition = URIRef(ex + "agency/x"), URIRef(ex + "measure/x"), URIRef(ex + "condition/x")
    graph.add((agency, SKOS.prefLabel, Literal("Vlaamse Dienst voor Arbeidsbemiddeling", lang="nl")))  # invented
    graph.add((agency, SKOS.altLabel, Literal("VDAB", lang="nl")))  # printed
    graph.add((agency, SKOS.altLabel, Literal("Office flamand", lang="fr")))  # a translation: exempt
    graph.add((measure, SKOS.prefLabel, Literal("Tussenkomst bij verplaatsingskosten", lang="nl")))
    graph.add((measure, SKOS.hiddenLabel, Literal("Tussenkost bij verplaatsingskosten", lang="nl")))
    graph.add((measure, SKOS.editorialNote, Literal("De brochure schrijft 'Tussenkost'.", lang="nl")))
    graph.add((condition, RDF.type, CV.Constraint))
    graph.add((condition, SKOS.prefLabel, Literal("Type contract: werk", lang="nl")))  # our own label
    graph.add((condition, IKG.minExclusive, Literal(6)))  # "zes maanden"
    graph.add((condition, IKG.minInclusive, Literal("0.03", datatype=XSD.decimal)))  # "3%"
    graph.add((condition, IKG.maxInclusive, Literal("0.07", datatype=XSD.decimal)))  # invented
    graph.add((measure, DCTERMS.modified, Literal("2025-10", datatype=XSD.gYearMonth)))  # "oktober 2025"
    graph.add((measure, DCTERMS.issued, Literal("2024-03", datatype=XSD.gYearMonth)))  # invented
    graph.add((measure, FOAF.page, URIRef("https://www.vlaanderen.be/fr/nbwa-news-message-document/document/"
                                          "090135578023b1a0")))  # printed over two lines
    graph.add((measure, FOAF.homepage, URIRef("https://example.org/steun")))  # invented
    found = {(kind, value) for kind, _, _, value in findings(graph, source_text())}
    assert found == {
        ("Dutch name", "Vlaamse Dienst voor Arbeidsbemiddeling"), ("number", "0.07"), ("date", "2024-03"),
        ("URL", "https://example.org/steun"),
    }
    # and a dct:source to another page with its URL lets a value stand
    page = URIRef(ex + "source/elsewhere")
    graph.add((page, FOAF.page, URIRef("https://example.org/elsewhere")))
    graph.add((agency, DCTERMS.source, page))
    found = {(kind, value) for kind, _, _, value in findings(graph, source_text())}
    assert ("Dutch name", "Vlaamse Dienst voor Arbeidsbemiddeling") not in found


def test_the_normalisation():
    text = words(unmark("**Tussenkost bij verplaatsingskosten**  de re-\nintegratietrajecten, [Actiris](#)"))
    assert contains(text, words("tussenkost bij verplaatsingskosten"))
    assert contains(text, words("re-integratietrajecten"))
    assert contains(text, words("Actiris"))
    assert not contains(text, words("Tussenkomst bij verplaatsingskosten"))
    assert number_forms(Literal("0.25", datatype=XSD.decimal)) >= {"25%"}
    assert "zes" in number_forms(Literal(6))
    assert date_forms(Literal("2018-10-26", datatype=XSD.date)) == {"26 oktober 2018"}
