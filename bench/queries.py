"""The query mix of the benchmark: what analysts ask most (lists with labels, lookups, counts, a graph)."""

from inclusion_kg.namespaces import sparql_prologue

MIX: list[tuple[str, str]] = [
    (
        "measures-with-labels",
        sparql_prologue("cv", "dct", "ikg", "skos")
        + """SELECT ?measure ?label ?agency ?region WHERE {
  ?measure a ikg:SupportMeasure ; skos:prefLabel ?label ; cv:hasCompetentAuthority ?agency ; dct:spatial ?region .
  FILTER(lang(?label) = "en")
} ORDER BY ?region ?label""",
    ),
    (
        "regions-and-links",
        sparql_prologue("skos", "dct")
        + """SELECT ?region ?label ?match WHERE {
  ?region a dct:Location ; skos:prefLabel ?label .
  OPTIONAL { ?region skos:exactMatch ?match }
  FILTER(lang(?label) = "en")
} ORDER BY ?region""",
    ),
    (
        "lookup-one-resource",
        "SELECT ?p ?o WHERE { <https://w3id.org/inclusion-kg/id/measure/phare-inzetpremie> ?p ?o }",
    ),
    ("class-counts", "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)"),
    (
        "ask-measure",
        "ASK { ?m a <https://w3id.org/inclusion-kg/ontology#SupportMeasure> }",
    ),
]
