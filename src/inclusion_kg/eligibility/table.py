"""The /eligibility answer as a readable table for the terminal (`inclusion-kg eligibility`)."""

from __future__ import annotations

from inclusion_kg.eligibility.vocabulary import Vocabulary
from inclusion_kg.named_queries.binding import slug_of

MARKS = {"eligible": "✓", "undetermined": "?", "not-eligible": "✗", "met": "✓", "unknown": "?", "unmet": "✗"}


def _given(value, vocabulary: Vocabulary, name: str | None, lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    spec = vocabulary.inputs.get(name or "")
    if spec is not None and spec.is_concept and isinstance(value, str):
        return f"{spec.label(value, lang)} ({slug_of(value)})"
    return str(value)


def render(answer: dict, vocabulary: Vocabulary) -> str:
    inputs = answer["inputs"]
    lang = inputs["lang"]
    given = ", ".join(f"{name}={_given(value, vocabulary, name, lang)}" for name, value in inputs.items()
                      if name not in ("date", "lang"))  # fmt: skip
    lines = [f"Support on {inputs['date']} for: {given}", ""]
    counts = {s: sum(m["status"] == s for m in answer["measures"]) for s in ("eligible", "undetermined", "not-eligible")}
    lines.append(", ".join(f"{n} {s}" for s, n in counts.items()))
    for measure in answer["measures"]:
        lines.append("")
        lines.append(f"{MARKS[measure['status']]} {measure['status']:<13} {measure['label']} — {measure['agency_label']}")
        lines.append(f"  {measure['measure']}")
        if measure.get("reason"):
            lines.append(f"  not offered for a hire: {measure['reason']['label']} (ikg:independentOfHiring)")
        width = max((len(c["label"] or "") for c in measure["conditions"]), default=0)
        for condition in measure["conditions"]:
            detail = f"expected {condition['expected'] or '—'}; given {_given(condition['given'], vocabulary, condition['input'], lang)}"
            lines.append(f"    {MARKS[condition['status']]} {condition['status']:<7} {condition['label']:<{width}}  {detail}")
            if condition.get("applies_only_if"):
                guard = condition["applies_only_if"]
                lines.append(f"      only if: {guard['label']} (that one is {guard['status']})")
        if measure["missing"]:
            lines.append(f"  to decide, give: {', '.join(measure['missing'])}")
        if measure["sources"]:
            lines.append(f"  sources: {' '.join(measure['sources'])}")
    return "\n".join(lines) + "\n"
