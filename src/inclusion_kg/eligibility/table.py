"""The /eligibility answer as a readable table for the terminal (`inclusion-kg eligibility`), in the answer's
language: statuses, inputs and concepts are labelled from the graph; the few words of the table itself are
below, in each of the languages the answers are labelled in (a test checks that every language has them)."""

from __future__ import annotations

from inclusion_kg.eligibility.vocabulary import REGION, Vocabulary
from inclusion_kg.named_queries.binding import slug_of

MARKS = {"eligible": "✓", "undetermined": "?", "not-eligible": "✗", "met": "✓", "unknown": "?", "unmet": "✗"}

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "support": "Support on {date} for: {given}", "expected": "expected", "given": "given",
        "only_if": "only if: {label} (that one is {status})", "decide": "to decide, answer: {inputs}",
        "which": "which kind of {concept}? One of: {options}",
        "not_covered": "the source does not cover {concept} for this measure: ask the agency",
        "not_for_hire": "not offered for a hire: {label}", "sources": "sources", "gives": "gives",
        "to": "to", "payee_not_stated": "who is paid is not stated in the source", "true": "yes", "false": "no", "region": "region", "since": "since",
    },
    "nl": {
        "support": "Steun op {date} voor: {given}", "expected": "verwacht", "given": "gegeven",
        "only_if": "enkel als: {label} (die is {status})", "decide": "om te beslissen, beantwoord: {inputs}",
        "which": "welk soort {concept}? Een van: {options}",
        "not_covered": "de bron dekt {concept} niet voor deze maatregel: vraag het aan de dienst",
        "not_for_hire": "niet aangeboden bij een aanwerving: {label}", "sources": "bronnen", "gives": "geeft",
        "to": "aan", "payee_not_stated": "wie betaald wordt, staat niet in de bron", "true": "ja", "false": "nee", "region": "regio", "since": "sinds",
    },
    "fr": {
        "support": "Aides au {date} pour : {given}", "expected": "attendu", "given": "donné",
        "only_if": "seulement si : {label} (celle-ci est {status})",
        "decide": "pour décider, répondez : {inputs}",
        "which": "quel type de {concept} ? L'un de : {options}",
        "not_covered": "la source ne couvre pas {concept} pour cette mesure : renseignez-vous auprès de l'organisme",
        "not_for_hire": "non proposé pour un engagement : {label}", "sources": "sources", "gives": "donne",
        "to": "à", "payee_not_stated": "la source ne dit pas qui est payé", "true": "oui", "false": "non", "region": "région", "since": "depuis",
    },
    "de": {
        "support": "Unterstützung am {date} für: {given}", "expected": "erwartet", "given": "angegeben",
        "only_if": "nur wenn: {label} (diese ist {status})", "decide": "zur Entscheidung beantworten: {inputs}",
        "which": "welche Art von {concept}? Eine von: {options}",
        "not_covered": "die Quelle deckt {concept} für diese Maßnahme nicht ab: fragen Sie die Dienststelle",
        "not_for_hire": "nicht für eine Einstellung angeboten: {label}", "sources": "Quellen", "gives": "gewährt",
        "to": "an", "payee_not_stated": "wer bezahlt wird, steht nicht in der Quelle", "true": "ja", "false": "nein", "region": "Region", "since": "seit",
    },
}  # fmt: skip


def _given(value, vocabulary: Vocabulary, name: str | None, words: dict[str, str], lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return words["true"] if value else words["false"]
    spec = vocabulary.inputs.get(name or "")
    if spec is not None and spec.is_concept and isinstance(value, str):
        return f"{spec.label(value, lang)} ({slug_of(value)})"
    return str(value)


def _concepts(concepts: list[dict]) -> str:
    return ", ".join(f"{c['label']} ({slug_of(c['concept'])})" for c in concepts)


def _condition_lines(condition: dict, vocabulary: Vocabulary, words: dict[str, str], lang: str, width: int):
    given = _given(condition["given"], vocabulary, condition["input"], words, lang)
    detail = f"{words['expected']} {condition['expected'] or '—'}; {words['given']} {given}"
    yield f"    {MARKS[condition['status']]} {condition['status_label']:<12} {condition['label']:<{width}}  {detail}"
    if condition.get("applies_only_if"):
        guard = condition["applies_only_if"]
        yield "      " + words["only_if"].format(label=guard["label"], status=vocabulary.status_label(guard["status"], lang))
    spec = vocabulary.inputs.get(condition["input"] or "")
    concept = spec.label(condition["given"], lang) if spec and isinstance(condition["given"], str) else ""
    concept = concept if lang == "de" else concept.lower()  # German nouns keep their capital
    if condition.get("options"):
        yield "      → " + words["which"].format(concept=concept, options=_concepts(condition["options"]))
    if condition.get("not_covered"):
        yield "      → " + words["not_covered"].format(concept=concept)


def render(answer: dict, vocabulary: Vocabulary) -> str:
    inputs = answer["inputs"]
    lang = inputs["lang"]
    words = WORDS.get(lang, WORDS["en"])
    titles = {name: spec.title(lang) for name, spec in vocabulary.inputs.items()} | {REGION: words["region"]}
    titles |= {since: f"{titles[name]} ({words['since']})" for since, name in vocabulary.date_inputs().items()}
    given = ", ".join(f"{titles.get(name, name)}={_given(value, vocabulary, name, words, lang)}"
                      for name, value in inputs.items() if name not in ("date", "lang"))  # fmt: skip
    lines = [words["support"].format(date=inputs["date"], given=given), ""]
    counts = answer.get("summary") or {}
    lines.append(", ".join(f"{n} {vocabulary.status_label(s, lang)}" for s, n in counts.items()))
    for measure in answer["measures"]:
        lines.append("")
        lines.append(f"{MARKS[measure['status']]} {measure['status_label']:<24} {measure['label']} — {measure['agency_label']}")
        lines.append(f"  {measure['measure']}")
        for output in measure.get("gives", []):
            payees = ", ".join(b["label"] for b in output["beneficiaries"])
            to = f" ({words['to']} {payees})" if payees else f" ({words['payee_not_stated']})"
            lines.append(f"  {words['gives']}: {output['label']}{to}")
        if measure.get("quota_free"):
            lines.append(f"  ** {measure['quota_free']['label']} ({measure['quota_free']['source']})")
        if measure.get("reason"):
            lines.append("  " + words["not_for_hire"].format(label=measure["reason"]["label"]))
        width = max((len(c["label"] or "") for c in measure["conditions"]), default=0)
        for condition in measure["conditions"]:
            lines.extend(_condition_lines(condition, vocabulary, words, lang, width))
        if measure["missing"]:
            lines.append("  " + words["decide"].format(inputs=", ".join(titles.get(n, n) for n in measure["missing"])))
        if measure["sources"]:
            lines.append(f"  {words['sources']}: {' '.join(measure['sources'])}")
    return "\n".join(lines) + "\n"
