"""Deterministic Turtle: sorted `longturtle` with our prefixes, keeping each file's opening comment.

Diffs of data files then show meaning, not noise. `check_file` also proves that formatting changes
no triple (graph isomorphism), so the formatter can never lose data.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.compare import isomorphic, to_canonical_graph

from inclusion_kg.graph import DataParseError
from inclusion_kg.namespaces import bind_prefixes


def split_header(text: str) -> tuple[str, str]:
    """The leading block of `#` comment lines, and the rest."""
    lines = text.splitlines(keepends=True)
    count = 0
    while count < len(lines) and lines[count].startswith("#"):
        count += 1
    return "".join(lines[:count]), "".join(lines[count:])


def parse_turtle(text: str, source: str = "<string>") -> Graph:
    graph = bind_prefixes(Graph(bind_namespaces="none"))
    try:
        graph.parse(data=text, format="turtle")
    except Exception as error:  # rdflib raises several unrelated classes for bad syntax
        raise DataParseError(f"{source}: {error}") from error
    return graph


def format_turtle(text: str, source: str = "<string>") -> str:
    header, _ = split_header(text)
    # Blank nodes get fresh random ids at each parse, and longturtle orders by id: canonical
    # (content-derived) ids make the order, and so the file, the same on every run.
    canonical = bind_prefixes(Graph(bind_namespaces="none"))
    for triple in to_canonical_graph(parse_turtle(text, source)):
        canonical.add(triple)
    body = canonical.serialize(format="longturtle").strip() + "\n"
    return header + body


def check_file(path: Path) -> str | None:
    """None when `path` is formatted; otherwise what is wrong with it."""
    text = path.read_text(encoding="utf-8")
    formatted = format_turtle(text, str(path))
    if not isomorphic(parse_turtle(text, str(path)), parse_turtle(formatted, str(path))):
        return f"{path}: formatting would change the graph (please report this)"
    if formatted != text:
        return f"{path}: not formatted; run `make format`"
    return None


def format_file(path: Path) -> bool:
    """Rewrite `path` formatted; True when it changed."""
    text = path.read_text(encoding="utf-8")
    formatted = format_turtle(text, str(path))
    if formatted == text:
        return False
    path.write_text(formatted, encoding="utf-8")
    return True


def turtle_files(root: Path) -> list[Path]:
    """Every Turtle file we author: ontology, data and shapes (not test fixtures)."""
    return sorted(
        path for folder in ("ontology", "data", "shapes") for path in (root / folder).rglob("*.ttl")
    )
