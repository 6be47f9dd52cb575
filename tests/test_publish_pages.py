"""Pages people read: one per resource in nl/fr/de/en (Accept-Language or ?lang=), with a switcher, and the
home page's brochure tables rebuilt from the graph."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from inclusion_kg.graph import load_graph
from inclusion_kg.namespaces import BASE, CPSV, CV, IKG
from inclusion_kg.publish.i18n import TEXT

LANGS = ("nl", "fr", "de", "en")
MEASURE = URIRef(BASE + "id/measure/aviq-integratiepremie")


@pytest.fixture(scope="module")
def data() -> Graph:
    return load_graph(validate=False)


class Outline(HTMLParser):
    """The html lang, the h1 text, the links and the table cells of a page."""

    def __init__(self):
        super().__init__()
        self.lang, self.h1, self.links, self.stack = None, "", [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "a":
            self.links.append(attrs.get("href"))
        self.stack.append(tag)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, text):
        if "h1" in self.stack:
            self.h1 += text


def text_of(response) -> str:
    return unescape(response.text)


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def label(data: Graph, node, lang: str) -> str:
    return str(next(v for v in data.objects(node, SKOS.prefLabel) if v.language == lang))


@pytest.mark.parametrize("lang", LANGS)
def test_measure_page_in_each_language(client, data, lang):
    response = client.get(f"/id/measure/aviq-integratiepremie?lang={lang}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    page = outline(response.text)
    assert page.lang == lang and response.headers["content-language"] == lang
    assert page.h1.strip() == label(data, MEASURE, lang)
    html = text_of(response)
    agency = data.value(MEASURE, CV.hasCompetentAuthority)
    region = data.value(MEASURE, DCTERMS.spatial)
    assert label(data, region, lang) in html and str(data.value(agency, SKOS.prefLabel)) in html
    description = next(v for v in data.objects(MEASURE, DCTERMS.description) if v.language == lang)
    assert str(description) in html
    for condition in data.objects(MEASURE, CV.holdsRequirement):  # conditions in plain words
        assert label(data, condition, lang) in html
    # the brochure does not say who is paid for the Integratiepremie, and the page says so
    assert not [b for o in data.objects(MEASURE, CPSV.produces) for b in data.objects(o, IKG.beneficiary)]
    assert TEXT["not_stated"][lang] in html
    assert "../agency/aviq" in [h.split("?")[0] for h in page.links]
    assert any(h.startswith("aviq-integratiepremie?format=ttl") for h in page.links)
    assert any(h.startswith("aviq-integratiepremie?format=jsonld") for h in page.links)
    # the switcher offers the same page in every language, and the chosen one is kept in links
    for other in LANGS:
        assert f'hreflang="{other}"' in html
    assert f"../agency/aviq?lang={lang}" in page.links


@pytest.mark.parametrize("lang", LANGS)
def test_payee_and_quota_statement_where_the_brochure_gives_them(client, data, lang):
    """PHARE's workstation adaptations: property to the employer, movable equipment to the employee, and "**"
    (not conditional on the 3% quota) shown as the ontology names it; the German-speaking Community's measure
    has neither, and its page shows no quota statement."""
    measure = URIRef(BASE + "id/measure/phare-arbeidspost-aanpassingen")
    html = text_of(client.get(f"/id/measure/phare-arbeidspost-aanpassingen?lang={lang}", headers={"Accept": "text/html"}))
    paid_to = {b for o in data.objects(measure, CPSV.produces) for b in data.objects(o, IKG.beneficiary)}
    assert len(paid_to) == 2 and all(label(data, b, lang) in html for b in paid_to)
    assert TEXT["not_stated"][lang] not in html
    quota_free = str(next(v for v in data.objects(IKG.notConditionalOnQuota, RDFS.label) if v.language == lang))
    assert quota_free in html
    silent = text_of(client.get(f"/id/measure/dsl-redelijke-aanpassingen?lang={lang}", headers={"Accept": "text/html"}))
    assert quota_free not in silent
    assert TEXT["not_stated"][lang] in silent


def test_accept_language_chooses_the_language(client):
    response = client.get("/id/region/wallonia", headers={"Accept": "text/html", "Accept-Language": "de-BE,de;q=0.9"})
    assert outline(response.text).lang == "de"
    assert "Wallonien" in outline(response.text).h1
    assert "Accept-Language" in response.headers["vary"]
    french = client.get("/id/region/wallonia", headers={"Accept": "text/html", "Accept-Language": "es, fr;q=0.5"})
    assert outline(french.text).lang == "fr"


def test_region_page_links_to_wikidata_and_nuts(client):
    html = client.get("/id/region/brussels?lang=en", headers={"Accept": "text/html"}).text
    assert 'href="http://www.wikidata.org/entity/Q240"' in html
    assert 'href="http://data.europa.eu/nuts/code/BE1"' in html


def test_text_in_another_language_is_marked(client, data):
    # a source document titled only in Dutch, on the English page, carries lang="nl"
    html = client.get("/id/measure/aviq-integratiepremie?lang=en", headers={"Accept": "text/html"}).text
    assert re.search(r'<span lang="fr">Aides financières \| AVIQ</span>', html)


def measure_rows(html: str, agency_anchor: str) -> str:
    start = html.index(f'id="{agency_anchor}"')
    return html[start: html.index("</table>", start)]


@pytest.mark.parametrize("lang", LANGS)
def test_home_tables_are_rebuilt_from_the_graph(client, data, lang):
    html = text_of(client.get(f"/?lang={lang}", headers={"Accept": "text/html"}))
    assert outline(html).lang == lang
    for agency in data.subjects(RDF.type, CV.PublicOrganisation):
        slug = str(agency).rsplit("/", 1)[1]
        section = html[html.index(f'id="agency-{slug}"'):]
        for measure in data.subjects(CV.hasCompetentAuthority, agency):
            assert label(data, measure, lang) in section.split('class="agency"')[0]


def test_home_table_ticks_follow_the_contract_conditions(client):
    html = client.get("/?lang=en", headers={"Accept": "text/html"}).text
    table = measure_rows(html, "agency-phare")
    # Insertion premium: employment only; contribution to travel costs: every contract type
    insertion = table[table.index("Insertion premium"):].split("</tr>")[0]
    assert insertion.count("✗") == 2 and insertion.count("✓") == 1
    travel = table[table.index("Contribution to travel costs"):].split("</tr>")[0]
    assert travel.count("✓") == 3 and "✗" not in travel


def test_home_footnotes_quota_and_actiris_restriction(client):
    html = client.get("/?lang=en", headers={"Accept": "text/html"}).text
    aviq = html[html.index('id="agency-aviq"'):]
    assert "Employment rate of at least 3%" in aviq.split("</ol>")[0]
    actiris = html[html.index('id="agency-actiris"'):]
    footnotes = actiris.split("</ol>")[0]
    assert "Contractual (non-statutory) hire" in footnotes
    assert "Only certain kinds of public organisation" in footnotes
    assert "Independent of hiring" in aviq


def test_home_form_offers_every_input_of_the_ontology(client, data):
    html = client.get("/?lang=en", headers={"Accept": "text/html"}).text
    assert 'action="./#result"' in html  # the form asks the home page itself: the question stays in the URL
    for name in data.objects(None, IKG.inputName):
        assert f'name="{name}"' in html or f'name="{name}_percent"' in html
    for region in ("flanders", "brussels", "wallonia", "german-speaking-community"):
        assert f'<option value="{region}"' in html


def test_pages_work_without_javascript(client):
    html = client.get("/id/measure/aviq-integratiepremie", headers={"Accept": "text/html"}).text
    assert "<script" not in html  # server-rendered; only the home page's form is enhanced by a script


@pytest.mark.parametrize("suffix, media_type, parse_as", [
    ("ttl", "text/turtle", "turtle"), ("nt", "application/n-triples", "nt"),
    ("jsonld", "application/ld+json", "json-ld"), ("rdf", "application/rdf+xml", "xml")])
def test_a_suffix_on_an_iri_serves_that_format(client, suffix, media_type, parse_as):
    """/id/agency/vdab.ttl is /id/agency/vdab in Turtle, whatever the Accept header says."""
    response = client.get(f"/id/agency/vdab.{suffix}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    graph = Graph().parse(data=response.text, format=parse_as)
    assert (URIRef(BASE + "id/agency/vdab"), None, None) in graph
    assert client.get("/id/agency/vdab.docx").status_code == 404  # not a format: an unknown resource


def test_api_docs_load_nothing_from_another_site(client):
    """/docs and /redoc refer only to files this server serves (the fastapi-offline package's), never a CDN."""
    for path in ("/docs", "/redoc"):
        html = client.get(path).text
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert sources and not [s for s in sources if s.startswith(("http:", "https:", "//"))], (path, sources)
        for source in sources:
            assert client.get(source).status_code == 200, source
    assert "SwaggerUIBundle" in client.get("/docs").text


def test_favicon(client):
    html = client.get("/?lang=en", headers={"Accept": "text/html"}).text
    icon = re.search(r'<link rel="icon" href="([^"]+)"', html).group(1)
    assert client.get(icon).headers["content-type"].startswith("image/svg+xml")
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")
