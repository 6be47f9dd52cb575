"""What the eligibility answer shows of each measure and condition beyond the query's rows, read once at
start-up: the conditions' allowed values and bounds, what each measure gives and to whom (as the source
states it), and the source's statement that a measure is not conditional on the quota (the brochure's **).
All question-independent, so the query stays short (docs/eligibility.md).
"""

from __future__ import annotations

from decimal import Decimal

from inclusion_kg.named_queries.results import Select
from inclusion_kg.namespaces import IKG, SKOS, sparql_prologue

BOUND_KINDS = {str(IKG.minInclusive): "min-inclusive", str(IKG.minExclusive): "min-exclusive",
               str(IKG.maxInclusive): "max-inclusive"}  # fmt: skip

CONDITION_QUERY = sparql_prologue("ikg", "cv") + """
SELECT ?condition ?kind ?value WHERE {
  ?condition a cv:Constraint ; ?kind ?value .
  FILTER(?kind IN (ikg:allowedValue, ikg:minInclusive, ikg:minExclusive, ikg:maxInclusive))
}
"""


OUTPUT_QUERY = sparql_prologue("ikg", "cpsv", "dct", "skos") + """
SELECT ?measure ?output ?property ?object WHERE {
  ?measure a ikg:SupportMeasure ; cpsv:produces ?output .
  { ?output ?property ?object FILTER(?property IN (skos:prefLabel, dct:description)) }
  UNION { ?output ikg:beneficiary ?object BIND(ikg:beneficiary AS ?property) }
}
"""

# The brochure's "**" (ikg:notConditionalOnQuota true): the source declares the measure is not conditional
# on the 3% quota; without it the source says nothing, which is not the same.
QUOTA_QUERY = sparql_prologue("ikg", "dct", "rdfs") + """
SELECT ?measure ?free ?source ?label WHERE {
  ?measure ikg:notConditionalOnQuota ?free ; dct:source ?source .
  OPTIONAL { ikg:notConditionalOnQuota rdfs:label ?label }
}
"""

BENEFICIARY_QUERY = sparql_prologue("ikg", "skos") + """
SELECT DISTINCT ?beneficiary ?label WHERE { [] ikg:beneficiary ?beneficiary . ?beneficiary skos:prefLabel ?label }
"""



def _text(row: dict, name: str) -> tuple[str | None, str]:
    term = row.get(name)
    if term is None:
        return None, ""
    return term["value"], term.get("xml:lang", "")


def quota_free(select: Select) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for row in select(QUOTA_QUERY):
        if row["free"]["value"] not in ("true", "1"):  # Virtuoso spells true as 1
            continue
        entry = found.setdefault(row["measure"]["value"], {"source": row["source"]["value"], "label": {}})
        entry["source"] = min(entry["source"], row["source"]["value"])
        label, lang = _text(row, "label")
        if label:
            entry["label"][lang] = label
    return found


def outputs(select: Select) -> dict[str, dict[str, dict]]:
    outputs: dict[str, dict[str, dict]] = {}
    for row in select(OUTPUT_QUERY):
        texts = outputs.setdefault(row["measure"]["value"], {}).setdefault(
            row["output"]["value"], {"label": {}, "description": {}, "beneficiaries": {}})
        prop, (text, lang) = row["property"]["value"], _text(row, "object")
        if prop == str(IKG.beneficiary):
            texts["beneficiaries"].setdefault(text, {})
        else:
            texts["label" if prop == str(SKOS.prefLabel) else "description"][lang] = text
    for row in select(BENEFICIARY_QUERY):
        for texts_by_output in outputs.values():
            for texts in texts_by_output.values():
                if row["beneficiary"]["value"] in texts["beneficiaries"]:
                    label, lang = _text(row, "label")
                    texts["beneficiaries"][row["beneficiary"]["value"]][lang] = label
    return outputs


def conditions(select: Select) -> dict[str, dict]:
    conditions: dict[str, dict] = {}
    for row in select(CONDITION_QUERY):
        entry = conditions.setdefault(row["condition"]["value"], {"allowed": [], "bounds": []})
        kind, value = row["kind"]["value"], row["value"]
        if kind in BOUND_KINDS:
            entry["bounds"].append({"kind": BOUND_KINDS[kind], "value": float(Decimal(value["value"]))})
        elif value["type"] == "uri":
            entry["allowed"].append(value["value"])
    for entry in conditions.values():
        entry["allowed"].sort()
        entry["bounds"].sort(key=lambda b: (b["kind"], b["value"]))
    return conditions
