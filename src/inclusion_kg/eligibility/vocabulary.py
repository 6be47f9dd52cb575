"""What the eligibility inputs accept, read from the graph once at start-up.

Each input is an information concept with `ikg:inputName`: its `ikg:valueScheme` lists the concepts it
accepts (by slug, `dct:identifier`, or IRI), its `ikg:valueDatatype` the literal type. The region input
accepts the regions measures are offered in (`dct:spatial`). Nothing about a particular measure, agency,
region or code is written in Python. The labels of guards (`ikg:appliesOnlyIf`) are read here too: an answer
names a condition's guard, and the query, kept short, does not label it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from inclusion_kg.named_queries.binding import slug_of
from inclusion_kg.named_queries.results import Select
from inclusion_kg.namespaces import sparql_prologue

REGION = "region"  # the one input that is not an information concept: the employee's domicile region

VOCABULARY_QUERY = sparql_prologue("ikg", "dct", "skos", "rdfs") + """
SELECT ?input ?datatype ?value ?slug ?label ?definition WHERE {
  {
    ?concept ikg:inputName ?input .
    OPTIONAL { ?concept ikg:valueDatatype ?datatype }
    OPTIONAL { ?concept skos:definition ?definition }
    OPTIONAL {
      ?concept ikg:valueScheme ?scheme .
      ?value skos:inScheme ?scheme .
      OPTIONAL { ?value dct:identifier ?slug }
      OPTIONAL { ?value skos:prefLabel ?label }
    }
  } UNION {
    SELECT DISTINCT ?input ?value ?slug ?label WHERE {
      ?measure a ikg:SupportMeasure ; dct:spatial ?value .
      BIND("region" AS ?input)
      OPTIONAL { ?value dct:identifier ?slug }
      OPTIONAL { ?value skos:prefLabel ?label }
    }
  }
}
"""

TERM_QUERY = sparql_prologue("ikg", "rdfs", "skos") + """
SELECT ?label ?definition WHERE {
  OPTIONAL { ikg:independentOfHiring rdfs:label ?label }
  OPTIONAL { ikg:independentOfHiring skos:definition ?definition }
}
"""

GUARD_QUERY = sparql_prologue("ikg", "skos") + """
SELECT DISTINCT ?guard ?label WHERE { [] ikg:appliesOnlyIf ?guard . ?guard skos:prefLabel ?label }
"""


@dataclass
class Input:
    name: str
    datatype: str | None = None  # literal inputs
    values: dict[str, str] = field(default_factory=dict)  # slug -> IRI (concept inputs)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # IRI -> {lang: label}
    definitions: dict[str, str] = field(default_factory=dict)  # lang -> definition

    @property
    def is_concept(self) -> bool:
        return bool(self.values)

    def slugs(self) -> list[str]:
        return sorted(self.values)

    def label(self, iri: str, lang: str) -> str:
        labels = self.labels.get(iri, {})
        return labels.get(lang) or labels.get("en") or next(iter(labels.values()), slug_of(iri))


@dataclass
class Vocabulary:
    inputs: dict[str, Input]
    independent_of_hiring: dict[str, dict[str, str]]  # {"label": {lang: ...}, "definition": {lang: ...}}
    guards: dict[str, dict[str, str]] = field(default_factory=dict)  # guard IRI -> {lang: label}

    def names(self) -> list[str]:
        return list(self.inputs)

    def guard_label(self, iri: str, lang: str) -> str:
        labels = self.guards.get(iri, {})
        return labels.get(lang) or labels.get("en") or slug_of(iri)


def _text(row: dict, name: str) -> tuple[str | None, str]:
    term = row.get(name)
    if term is None:
        return None, ""
    return term["value"], term.get("xml:lang", "")


def load_vocabulary(select: Select) -> Vocabulary:
    inputs: dict[str, Input] = {}
    for row in select(VOCABULARY_QUERY):
        name = row["input"]["value"]
        found = inputs.setdefault(name, Input(name))
        if "datatype" in row:
            found.datatype = row["datatype"]["value"]
        definition, lang = _text(row, "definition")
        if definition:
            found.definitions[lang] = definition
        if "value" in row:
            iri = row["value"]["value"]
            found.values[row["slug"]["value"] if "slug" in row else slug_of(iri)] = iri
            label, lang = _text(row, "label")
            if label:
                found.labels.setdefault(iri, {})[lang] = label
    order = [REGION] + sorted(n for n in inputs if n != REGION)
    term: dict[str, dict[str, str]] = {"label": {}, "definition": {}}
    for row in select(TERM_QUERY):
        for key in term:
            text, lang = _text(row, key)
            if text:
                term[key][lang] = text
    guards: dict[str, dict[str, str]] = {}
    for row in select(GUARD_QUERY):
        label, lang = _text(row, "label")
        guards.setdefault(row["guard"]["value"], {})[lang] = label
    return Vocabulary({n: inputs[n] for n in order if n in inputs}, term, guards)
