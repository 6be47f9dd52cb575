"""What the eligibility inputs accept, and the words of the answer, read from the graph once at start-up.

Each input is an information concept with `ikg:inputName`: its `ikg:valueScheme` lists the concepts it
accepts (by slug, `dct:identifier`, or IRI), its `ikg:valueDatatype` the literal type, `ikg:minimumValue` and
`ikg:maximumValue` the range it accepts, `skos:scopeNote` how to give it, `ikg:dateInputName` a second input
that gives it as a date. The region input accepts the regions measures are offered in (`dct:spatial`). The
statuses and their labels come from scheme:eligibility-status; the labels of guards are read here too, and
the facts of measures and conditions the answer shows (`facts.py`; the query, kept short, does not).
Nothing about a particular measure, agency, region or code is written in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from inclusion_kg.eligibility import facts

from inclusion_kg.named_queries.binding import slug_of
from inclusion_kg.named_queries.results import Select
from inclusion_kg.namespaces import IKG, SKOS, sparql_prologue
from inclusion_kg.publish.i18n import LANGUAGES

REGION = "region"  # the one input that is not an information concept: the employee's domicile region
STATUS_SCHEME = "https://w3id.org/inclusion-kg/id/scheme/eligibility-status"
INPUT_QUERY = sparql_prologue("ikg", "skos") + """
SELECT ?input ?property ?object WHERE {
  ?concept ikg:inputName ?input ; ?property ?object .
  FILTER(?property IN (ikg:valueDatatype, ikg:minimumValue, ikg:maximumValue, ikg:dateInputName,
                       skos:prefLabel, skos:definition, skos:scopeNote))
}
"""

VALUES_QUERY = sparql_prologue("ikg", "dct", "skos") + """
SELECT ?input ?value ?slug ?label WHERE {
  {
    ?concept ikg:inputName ?input ; ikg:valueScheme ?scheme .
    ?value skos:inScheme ?scheme .
  } UNION {
    SELECT DISTINCT ?input ?value WHERE { ?measure a ikg:SupportMeasure ; dct:spatial ?value . BIND("region" AS ?input) }
  }
  OPTIONAL { ?value dct:identifier ?slug }
  OPTIONAL { ?value skos:prefLabel ?label }
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

STATUS_QUERY = sparql_prologue("dct", "skos") + f"""
SELECT ?status ?label WHERE {{ ?concept skos:inScheme <{STATUS_SCHEME}> ; dct:identifier ?status ; skos:prefLabel ?label }}
"""

def pick(labels: dict[str, str], lang: str, fallback: str = "") -> str:
    """The text in `lang`, else English, else any."""
    return labels.get(lang) or labels.get("en") or next(iter(labels.values()), fallback)


@dataclass
class Input:
    name: str
    datatype: str | None = None  # literal inputs
    values: dict[str, str] = field(default_factory=dict)  # slug -> IRI (concept inputs)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # IRI -> {lang: label}
    definitions: dict[str, str] = field(default_factory=dict)  # lang -> definition
    titles: dict[str, str] = field(default_factory=dict)  # lang -> the input's own label
    hints: dict[str, str] = field(default_factory=dict)  # lang -> how to give it (skos:scopeNote)
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    date_input: str | None = None  # the input that gives this one as a date (ikg:dateInputName)

    @property
    def is_concept(self) -> bool:
        return bool(self.values)

    def slugs(self) -> list[str]:
        return sorted(self.values)

    def label(self, iri: str, lang: str) -> str:
        return pick(self.labels.get(iri, {}), lang, slug_of(iri))

    def title(self, lang: str) -> str:
        return pick(self.titles, lang, self.name)


@dataclass
class Vocabulary:
    inputs: dict[str, Input]
    independent_of_hiring: dict[str, dict[str, str]]  # {"label": {lang: ...}, "definition": {lang: ...}}
    guards: dict[str, dict[str, str]] = field(default_factory=dict)  # guard IRI -> {lang: label}
    statuses: dict[str, dict[str, str]] = field(default_factory=dict)  # "met" -> {lang: label}
    conditions: dict[str, dict] = field(default_factory=dict)  # IRI -> {"allowed": [...], "bounds": [...]}
    outputs: dict[str, dict[str, dict]] = field(default_factory=dict)  # measure -> output -> texts, beneficiaries
    quota_free: dict[str, dict] = field(default_factory=dict)  # measure -> {"source": IRI, "label": {lang: ...}}

    def names(self) -> list[str]:
        return list(self.inputs)

    def query_inputs(self) -> list[str]:
        """The inputs that are parameters of the query's input block (all but the region), sorted."""
        return sorted(name for name in self.inputs if name != REGION)

    def date_inputs(self) -> dict[str, str]:
        """Inputs given as a date -> the input (in months) they give."""
        return {spec.date_input: name for name, spec in self.inputs.items() if spec.date_input}

    def guard_label(self, iri: str, lang: str) -> str:
        return pick(self.guards.get(iri, {}), lang, slug_of(iri))

    def status_label(self, status: str, lang: str) -> str:
        return pick(self.statuses.get(status, {}), lang, status)

    def gives(self, measure: str, lang: str) -> list[dict]:
        """What the measure gives (cpsv:produces), and to whom as the source states it ([] = not stated)."""
        return [
            {
                "output": output,
                "label": pick(texts["label"], lang, slug_of(output)),
                "description": pick(texts["description"], lang) or None,
                "beneficiaries": [{"concept": iri, "label": pick(labels, lang, slug_of(iri))}
                                  for iri, labels in sorted(texts["beneficiaries"].items())],  # fmt: skip
            }
            for output, texts in sorted(self.outputs.get(measure, {}).items())
        ]

    def quota_free_statement(self, measure: str, lang: str) -> dict | None:
        """The source's statement that the measure is not conditional on the quota, or None (it says nothing)."""
        found = self.quota_free.get(measure)
        if found is None:
            return None
        return {"label": pick(found["label"], lang, "not conditional on the employment quota"), "source": found["source"]}

    def concept_label(self, iri: str, lang: str) -> str:
        for spec in self.inputs.values():
            if iri in spec.labels:
                return spec.label(iri, lang)
        return slug_of(iri)


def _text(row: dict, name: str) -> tuple[str | None, str]:
    term = row.get(name)
    if term is None:
        return None, ""
    return term["value"], term.get("xml:lang", "")


def _read_input(found: Input, row: dict) -> None:
    prop, (text, lang) = row["property"]["value"], _text(row, "object")
    if prop == str(IKG.valueDatatype):
        found.datatype = text
    elif prop == str(IKG.minimumValue):
        found.minimum = Decimal(text)
    elif prop == str(IKG.maximumValue):
        found.maximum = Decimal(text)
    elif prop == str(IKG.dateInputName):
        found.date_input = text
    else:
        texts = {str(SKOS.prefLabel): found.titles, str(SKOS.definition): found.definitions,
                 str(SKOS.scopeNote): found.hints}[prop]  # fmt: skip
        texts[lang] = text


def load_vocabulary(select: Select) -> Vocabulary:
    inputs: dict[str, Input] = {}
    for row in select(INPUT_QUERY):
        _read_input(inputs.setdefault(row["input"]["value"], Input(row["input"]["value"])), row)
    for row in select(VALUES_QUERY):
        found = inputs.setdefault(row["input"]["value"], Input(row["input"]["value"]))
        iri = row["value"]["value"]
        found.values[row["slug"]["value"] if "slug" in row else slug_of(iri)] = iri
        label, lang = _text(row, "label")
        found.labels.setdefault(iri, {})
        if label:
            found.labels[iri][lang] = label
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
    statuses: dict[str, dict[str, str]] = {}
    for row in select(STATUS_QUERY):
        label, lang = _text(row, "label")
        statuses.setdefault(row["status"]["value"], {})[lang] = label
    return Vocabulary({n: inputs[n] for n in order if n in inputs}, term, guards, statuses,
                      facts.conditions(select), facts.outputs(select), facts.quota_free(select))  # fmt: skip


__all__ = ["LANGUAGES", "REGION", "Input", "Vocabulary", "load_vocabulary", "pick"]
