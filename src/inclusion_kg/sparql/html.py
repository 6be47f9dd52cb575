"""HTML for people: the query UI (vendored YASGUI, works offline) and results as a table.

Every value that comes from a query or its answer is escaped; links are only made for http(s) IRIs.
"""

from __future__ import annotations

import json
from html import escape

from inclusion_kg.namespaces import sparql_prologue

EXAMPLES: list[tuple[str, str]] = [
    (
        "Support measures with their agency and region",
        sparql_prologue("cv", "dct", "ikg", "skos")
        + """SELECT ?measure ?label ?agency ?region WHERE {
  ?measure a ikg:SupportMeasure ;
           skos:prefLabel ?label ;
           cv:hasCompetentAuthority ?agency ;
           dct:spatial ?region .
  FILTER(lang(?label) = "en")
}
ORDER BY ?region ?label""",
    ),
    (
        "Regions and their Wikidata / NUTS links",
        sparql_prologue("skos", "dct")
        + """SELECT ?region ?label ?match WHERE {
  ?region a dct:Location ; skos:prefLabel ?label .
  OPTIONAL { ?region skos:exactMatch ?match }
  FILTER(lang(?label) = "en")
}
ORDER BY ?region""",
    ),
    (
        "Classes and how many instances each has",
        """SELECT ?class (COUNT(?s) AS ?instances) WHERE { ?s a ?class }
GROUP BY ?class
ORDER BY DESC(?instances)""",
    ),
    (
        "Graphs in the dataset and their sizes",
        """SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } }
GROUP BY ?graph""",
    ),
    (
        "Everything about one measure (DESCRIBE)",
        sparql_prologue("measure") + "DESCRIBE measure:phare-inzetpremie",
    ),
]

_STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;
vertical-align:top;text-align:left}th{background:#f3f3f3}pre{background:#f7f7f7;padding:.75rem;
overflow:auto}.lang,.dt{color:#777;font-size:.8em}nav a{margin-right:1rem}
"""


def ui_page(endpoint: str = "sparql", static: str = "static") -> str:
    """The query UI: YASGUI pointed at our endpoint, with example queries."""
    examples = json.dumps([{"name": n, "query": q} for n, q in EXAMPLES]).replace("</", "<\\/")
    items = "".join(
        f'<li><a href="#" data-example="{i}">{escape(name)}</a></li>' for i, (name, _) in enumerate(EXAMPLES)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>inclusion-kg SPARQL endpoint</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{static}/yasgui/yasgui.min.css">
<style>{_STYLE}</style>
</head><body>
<h1>inclusion-kg SPARQL endpoint</h1>
<p>SPARQL 1.1 over the regional support for Belgian employers who hire or keep a person with a
disability. Point any SPARQL client at this address; read-only; no SERVICE.</p>
<details open><summary>Example queries</summary><ul id="examples">{items}</ul></details>
<div id="yasgui"></div>
<noscript><form method="get" action="{endpoint}"><textarea name="query" rows="12" cols="80">{escape(EXAMPLES[0][1])}</textarea>
<br><button>Run</button></form></noscript>
<script src="{static}/yasgui/yasgui.min.js"></script>
<script>
const examples = {examples};
const endpoint = new URL("{endpoint}", window.location.href).href;
const yasgui = new Yasgui(document.getElementById("yasgui"), {{
  requestConfig: {{ endpoint: endpoint, method: "POST" }},
  copyEndpointOnNewTab: false, endpointCatalogueOptions: {{ getData: () => [] }},
  persistenceId: null, populateFromUrl: true,
}});
const tab = yasgui.getTab();
if (!tab.getQuery().trim() || tab.getQuery().includes("dbpedia")) tab.setQuery(examples[0].query);
document.querySelectorAll("[data-example]").forEach((link) => link.addEventListener("click", (event) => {{
  event.preventDefault();
  const current = yasgui.getTab();
  current.setQuery(examples[Number(link.dataset.example)].query);
  current.query();
}}));
</script>
</body></html>
"""


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


def results_page(body: bytes, *, form: str, query: str | None = None, title: str = "SPARQL results") -> str:
    """An HTML page for an answer: a table for SELECT, the boolean for ASK, Turtle for graphs."""
    if form.upper() in ("CONSTRUCT", "DESCRIBE"):
        content = f"<pre>{escape(body.decode('utf-8'))}</pre>"
    else:
        data = json.loads(body)
        if "boolean" in data:
            content = f"<p>Answer: <strong>{'true' if data['boolean'] else 'false'}</strong></p>"
        else:
            names = data["head"]["vars"]
            rows = data["results"]["bindings"]
            head = "".join(f"<th>{escape(n)}</th>" for n in names)
            lines = "".join(
                "<tr>" + "".join(f"<td>{_cell(row.get(n))}</td>" for n in names) + "</tr>" for row in rows
            )
            content = f"<p>{len(rows)} row(s)</p><table><thead><tr>{head}</tr></thead><tbody>{lines}</tbody></table>"
    shown = f"<details><summary>Query</summary><pre>{escape(query)}</pre></details>" if query else ""
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body><h1>{escape(title)}</h1>{shown}{content}</body></html>"
    )
