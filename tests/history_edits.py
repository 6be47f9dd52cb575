"""A hypothetical next edition of the data, made in a temporary copy of the project for the history tests:
a threshold changed, a measure withdrawn (with its condition and output), a measure added, a label corrected.

Nothing here is a fact about the world: it only exercises `release`, `diff`, the feed and the catalogue.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from inclusion_kg.namespaces import CV, ID, IKG, SKOS, XSD, bind_prefixes
from inclusion_kg.turtle_format import format_turtle, split_header

ROOT = Path(__file__).resolve().parents[1]
QUOTA = ID["condition/phare-employment-quota"]
WITHDRAWN = ID["measure/phare-tussenkomst-verplaatsingskosten"]
WITHDRAWN_PARTS = (ID["condition/phare-tussenkomst-verplaatsingskosten-contract-type"],
                   ID["output/phare-tussenkomst-verplaatsingskosten"])
MODEL = ID["measure/phare-mentoring-premie"]  # the added measure is shaped like this one
ADDED = ID["measure/phare-test-added-premie"]
RELABELLED = ID["measure/phare-inzetpremie"]
OLD_LABEL, NEW_LABEL = Literal("Insertion premium", lang="en"), Literal("Integration premium", lang="en")


def copy_project(target: Path) -> Path:
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / folder, target / folder)
    return target


def rewrite(path: Path, change) -> None:
    """Parse a Turtle file, let `change(graph)` edit it, write it back formatted (its header kept)."""
    text = path.read_text(encoding="utf-8")
    graph = bind_prefixes(Graph(bind_namespaces="none")).parse(data=text, format="turtle")
    change(graph)
    header, _ = split_header(text)
    path.write_text(format_turtle(header + graph.serialize(format="longturtle")), encoding="utf-8")


def next_edition(root: Path) -> None:
    phare = root / "data" / "measures" / "phare.ttl"
    gone = {WITHDRAWN, *WITHDRAWN_PARTS}

    def edit(graph: Graph) -> None:
        graph.set((QUOTA, IKG.minInclusive, Literal("0.025", datatype=XSD.decimal)))
        for node in gone:
            graph.remove((node, None, None))
            graph.remove((None, None, node))
        for p, o in list(graph.predicate_objects(MODEL)):
            if p in (SKOS.prefLabel, CV.hasCompetentAuthority) or str(p).endswith("identifier"):
                continue
            graph.add((ADDED, p, o))
        graph.add((ADDED, SKOS.prefLabel, Literal("Test premium", lang="en")))
        for text, lang in (("Testpremie", "nl"), ("Prime de test", "fr"), ("Testprämie", "de")):
            graph.add((ADDED, SKOS.prefLabel, Literal(text, lang=lang)))
        graph.add((ADDED, CV.hasCompetentAuthority, ID["agency/phare"]))
        graph.add((ADDED, URIRef("http://purl.org/dc/terms/identifier"), Literal("phare-test-added-premie")))
        graph.remove((RELABELLED, SKOS.prefLabel, OLD_LABEL))
        graph.add((RELABELLED, SKOS.prefLabel, NEW_LABEL))

    rewrite(phare, edit)
    for path in sorted((root / "data").rglob("*.ttl")):  # what pointed to the withdrawn measure elsewhere
        if path != phare and "history" not in path.parts and any(str(n) in path.read_text() for n in gone):
            rewrite(path, lambda graph: [graph.remove((None, None, node)) for node in gone])


SECOND = ["2026.03", "--time", "2027-03-01T09:00:00Z", "--follows", "source:brochure-2025",
          "--notes-nl", "Tweede editie.", "--notes-fr", "Deuxième édition.", "--notes-de", "Zweite Ausgabe.",
          "--notes-en", "Second edition."]


def second_release(target: Path) -> Path:
    """A copy of the project with the next edition's changes and its release 2026.03 written."""
    from inclusion_kg.cli import main

    root = copy_project(target)
    next_edition(root)
    if main(["--root", str(root), "release", *SECOND]) != 0:
        raise RuntimeError("the second release failed")
    return root
