"""`inclusion-kg eligibility` in the terminal: the undetermined "which kind of internship?" case and a value
the brochure's table has no column for, in each of the four languages (the table's own words included)."""

from __future__ import annotations

import pytest

from inclusion_kg.cli import main
from inclusion_kg.eligibility.table import WORDS
from inclusion_kg.eligibility.vocabulary import LANGUAGES

# The brochure's AVIQ table ticks "Ontdekkingsstage" for support at work ("Ondersteuning op het werk"): an
# "internship" is too broad to decide; the discovery internship, in each language's label, would meet it.
WHICH_KIND = {
    "en": ("which kind of internship? One of: Discovery internship (discovery-internship)", "undetermined"),
    "nl": ("welk soort stage? Een van: Ontdekkingsstage (discovery-internship)", "onbepaald"),
    "fr": ("quel type de stage ? L'un de : Stage de découverte (discovery-internship)", "indéterminé"),
    "de": ("welche Art von Praktikum? Eine von: Schnupperpraktikum (discovery-internship)", "unbestimmt"),
}
NOT_COVERED = {"en": "does not cover", "nl": "dekt", "fr": "ne couvre pas", "de": "nicht ab"}


def test_every_language_has_every_word_of_the_table():
    assert set(WORDS) == set(LANGUAGES)
    for lang in LANGUAGES:
        assert set(WORDS[lang]) == set(WORDS["en"]), lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_internship_asks_which_kind_in_every_language(capsys, lang):
    assert main(["eligibility", "--no-validate", "--region", "wallonia", "--contract", "internship",
                 "--date", "2025-10-01", "--lang", lang]) == 0  # fmt: skip
    table = capsys.readouterr().out
    question, undetermined = WHICH_KIND[lang]
    assert question in table and undetermined in table
    assert WORDS[lang]["decide"].split("{")[0] in table


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_contract_the_table_has_no_column_for_says_so(capsys, lang):
    # VDAB's table has the columns "Stages (WES, BVS, BIS, IBO et IBO+)" and "Werk", no adaptation contract.
    assert main(["eligibility", "--no-validate", "--region", "flanders", "--contract", "adaptation-contract",
                 "--date", "2025-10-01", "--lang", lang]) == 0  # fmt: skip
    assert NOT_COVERED[lang] in capsys.readouterr().out


def test_inputs_by_name_and_as_a_date(capsys):
    assert main(["eligibility", "--no-validate", "--region", "wallonia", "--contract", "employment",
                 "--employment-rate", "0.03", "--inactive-since", "2025-03-31", "--date", "2025-10-01",
                 "--input", "mentor=true", "--json"]) == 0  # fmt: skip
    import json

    answer = json.loads(capsys.readouterr().out)
    assert answer["inputs"]["inactive_since"] == "2025-03-31" and answer["inputs"]["mentor"] is True
    premium = next(m for m in answer["measures"] if m["measure"].endswith("/aviq-integratiepremie"))
    assert premium["status"] == "eligible"  # six months and a day: more than six
