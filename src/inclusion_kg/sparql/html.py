"""HTML for people: the query UI (vendored YASGUI in the site's layout, works offline) and results as a table.

Every value that comes from a query or its answer is escaped; links are only made for http(s) IRIs.
"""

from __future__ import annotations

import json
from html import escape

from fastapi.responses import Response

from inclusion_kg.namespaces import sparql_prologue

# (names in nl/fr/de/en, query): the first is YASGUI's starting query. `{lang}` is the page's language.
EXAMPLES: list[tuple[dict[str, str], str]] = [
    (
        {"nl": "Steunmaatregelen met hun dienst en regio", "fr": "Mesures d'aide avec leur organisme et leur région",
         "de": "Fördermaßnahmen mit Dienststelle und Region", "en": "Support measures with their agency and region"},
        sparql_prologue("cv", "dct", "ikg", "skos")
        + """SELECT ?measure ?label ?agencyLabel ?regionLabel WHERE {
  ?measure a ikg:SupportMeasure ;
           skos:prefLabel ?label ;
           cv:hasCompetentAuthority/skos:prefLabel ?agencyLabel ;
           dct:spatial/skos:prefLabel ?regionLabel .
  FILTER(lang(?label) = "{lang}" && lang(?agencyLabel) = "{lang}" && lang(?regionLabel) = "{lang}")
}
ORDER BY ?regionLabel ?agencyLabel ?label""",
    ),
    (
        {"nl": "Voorwaarden van elke maatregel", "fr": "Conditions de chaque mesure",
         "de": "Bedingungen jeder Maßnahme", "en": "The conditions of each measure"},
        sparql_prologue("cv", "skos")
        + """SELECT ?measure ?condition ?label WHERE {
  ?measure cv:holdsRequirement ?condition .
  ?condition skos:prefLabel ?label .
  FILTER(lang(?label) = "{lang}")
}
ORDER BY ?measure ?label""",
    ),
    (
        {"nl": "Regio's en hun Wikidata/NUTS-koppelingen", "fr": "Régions et leurs liens Wikidata / NUTS",
         "de": "Regionen und ihre Wikidata-/NUTS-Verknüpfungen", "en": "Regions and their Wikidata / NUTS links"},
        sparql_prologue("skos", "dct")
        + """SELECT ?region ?label ?match WHERE {
  ?region a dct:Location ; skos:prefLabel ?label .
  OPTIONAL { ?region skos:exactMatch|skos:broadMatch ?match }
  FILTER(lang(?label) = "{lang}")
}
ORDER BY ?region""",
    ),
    (
        {"nl": "Klassen en hun aantal instanties", "fr": "Classes et leur nombre d'instances",
         "de": "Klassen und die Zahl ihrer Instanzen", "en": "Classes and how many instances each has"},
        """SELECT ?class (COUNT(?s) AS ?instances) WHERE { ?s a ?class }
GROUP BY ?class
ORDER BY DESC(?instances)""",
    ),
    (
        {"nl": "Alles over één maatregel (DESCRIBE)", "fr": "Tout sur une mesure (DESCRIBE)",
         "de": "Alles über eine Maßnahme (DESCRIBE)", "en": "Everything about one measure (DESCRIBE)"},
        sparql_prologue("measure") + "DESCRIBE measure:phare-inzetpremie",
    ),
]


def examples(lang: str) -> list[dict[str, str]]:
    """The example queries, named and filtered in the page's language."""
    return [{"name": names.get(lang, names["en"]), "query": query.replace("{lang}", lang)}
            for names, query in EXAMPLES]


def ui_page(request) -> Response:
    """The query UI in the site's layout: YASGUI (vendored in static/yasgui, works offline) pointed at this
    endpoint, starting with an example query in the page's language."""
    from inclusion_kg.publish.web import html_response, page_for  # the site's pages: layout, language

    page = page_for(request)
    listed = examples(page.lang)
    return html_response(request, "sparql.html", page=page, examples=listed,
                         examples_json=json.dumps(listed).replace("</", "<\\/"))


def _cell(term: dict | None) -> str:
    if term is None:
        return ""
    value = term.get("value", "")
    kind = term.get("type")
    if kind == "uri":
        text = escape(value)
        return f'<a href="{text}">{text}</a>' if value.startswith(("http://", "https://")) else text
    if kind == "bnode":
        return "_:" + escape(value)
    if kind == "triple":
        parts = value if isinstance(value, dict) else {}
        return "&lt;&lt; " + " ".join(_cell(parts.get(k)) for k in ("subject", "predicate", "object")) + " &gt;&gt;"
    out = escape(value)
    if "xml:lang" in term:
        out += f' <span class="lang">@{escape(term["xml:lang"])}</span>'
    elif "datatype" in term:
        out += f' <span class="dt">^^{escape(term["datatype"])}</span>'
    return out


def results_response(request, body: bytes, *, form: str, query: str | None, title: str, etag: str | None):
    """An answer as a page in the site's layout and language: a table for SELECT, the boolean for ASK,
    Turtle for graphs. Its ETag is the page's: the answer's, with the language and the path."""
    from markupsafe import Markup

    from inclusion_kg.publish.web import html_response

    context = {"title": title, "query": query, "graph": None, "boolean": None, "names": [], "rows": []}
    if form.upper() in ("CONSTRUCT", "DESCRIBE"):
        context["graph"] = body.decode("utf-8")
    else:
        data = json.loads(body)
        if "boolean" in data:
            context["boolean"] = data["boolean"]
        else:
            names = context["names"] = data["head"]["vars"]
            context["rows"] = [[Markup(_cell(row.get(n))) for n in names] for row in data["results"]["bindings"]]
    return html_response(request, "results.html", etag_extra=etag or "", **context)
