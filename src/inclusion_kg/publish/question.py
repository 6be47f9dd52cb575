"""The eligibility question the home page asks: the form's answers, read from the page's URL.

The form submits to the home page itself (`/?region=wallonia&contract=employment#result`), so a question
can be bookmarked and shared, and the answer is a page rendered here, with or without JavaScript. The
answers are checked by `parse_inputs`, exactly as /eligibility checks them; only what people type differs:
a percentage where the API takes a fraction, and a decimal comma. A bad answer is an error in the page's
language that names the field by its label.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from inclusion_kg.eligibility.inputs import InputError, Inputs, parse_inputs
from inclusion_kg.eligibility.vocabulary import Vocabulary
from inclusion_kg.publish.home import Field
from inclusion_kg.publish.i18n import parse_number
from inclusion_kg.publish.view import Page


@dataclass
class Question:
    values: dict[str, str] = field(default_factory=dict)  # the page's parameters as typed (refill the form)
    error: str | None = None  # in the page's language
    inputs: Inputs | None = None  # checked inputs, when the question was asked and is valid

    @property
    def asked(self) -> bool:
        return "region" in self.values


def _number(text: str) -> str:
    number = parse_number(text)
    return format(number, "f") if number is not None else text  # not a number: parse_inputs says so


def api_inputs(fields: list[Field], values: dict[str, str], page: Page) -> dict[str, str]:
    """The /eligibility inputs of the form's answers; ValueError (the page's message) for a bad percentage."""
    raw = {}
    for f in fields:
        text = values.get(f.name)
        if text is None:
            continue
        if f.kind == "percent":
            number = parse_number(text)
            if number is None or not 0 <= number <= 100:
                raise ValueError(page.t("bad_input").format(field=f.label.text, value=text,
                                                            accepted=page.t("percent_range")))
            raw[f.input] = format(number / 100, "f")
        elif f.kind == "number":
            raw[f.input] = _number(text)
        else:
            raw[f.input] = text
    return raw


def read_question(params, fields: list[Field], vocabulary: Vocabulary, page: Page) -> Question:
    """The question in `params` (the page's query), checked; not asked when no region is given."""
    question = Question({f.name: params[f.name].strip() for f in fields if (params.get(f.name) or "").strip()})
    if not question.asked:
        return question
    try:
        raw = api_inputs(fields, question.values, page)
        question.inputs = parse_inputs(vocabulary, {**raw, "lang": page.lang})
    except ValueError as error:
        question.error = str(error)
    except InputError as error:
        named = next((f for f in fields if f.input == error.name), None)
        accepted = named.hint.text if named is not None and named.hint is not None else ""
        given = question.values.get(named.name, "") if named is not None else ""
        question.error = page.t("bad_input").format(
            field=named.label.text if named is not None else error.name, value=given, accepted=accepted)
    return question
