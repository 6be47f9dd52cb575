"""Load the ontology and data, and gate them with SHACL.

rdflib parses; pyshacl validates. Nothing is served unless it conforms.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Node, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from inclusion_kg.namespaces import bind_prefixes


# Only for printing IRIs in reports with our prefixes.
PREFIXED = bind_prefixes(Graph(bind_namespaces="none")).namespace_manager


def project_root() -> Path:
    """The folder holding ontology/, data/, shapes/ and queries/ (INCLUSION_KG_HOME overrides)."""
    override = os.environ.get("INCLUSION_KG_HOME")
    return Path(override) if override else Path(__file__).resolve().parents[2]


HISTORY_FOLDER = Path("data") / "history"  # the change log: its own named graph, not the served graph


def data_files(root: Path | None = None) -> list[Path]:
    """The Turtle files of the served graph: the ontology and every data file, sorted (not the change log)."""
    root = root or project_root()
    data = sorted(path for path in (root / "data").rglob("*.ttl") if not path.is_relative_to(root / HISTORY_FOLDER))
    return sorted((root / "ontology").glob("*.ttl")) + data


def shape_files(root: Path | None = None) -> list[Path]:
    root = root or project_root()
    return sorted((root / "shapes").glob("*.ttl"))


class DataParseError(ValueError):
    """A data file that is not valid Turtle; the message names the file and the line."""


def parse_files(paths: list[Path]) -> Graph:
    """Turtle by rdflib; other RDF formats (by extension, as `serve --data`) by pyoxigraph, after the
    parser-bomb checks of `rdf_input` (rdflib's RDF/XML parser expands entities, quadratically)."""
    graph = bind_prefixes(Graph(bind_namespaces="none"))
    for path in paths:
        if Path(path).suffix.lower() not in (".ttl", ".turtle"):
            _parse_other(graph, Path(path))
            continue
        try:
            graph.parse(path, format="turtle")
        except UnicodeDecodeError as error:
            line = Path(path).read_bytes()[: error.start].count(b"\n") + 1
            raise DataParseError(f"{path}: not UTF-8 at line {line} (byte {error.start}); save it as UTF-8") from None
        except Exception as error:  # rdflib raises several unrelated classes for bad syntax
            raise DataParseError(f"{path}: {error}") from None
    return graph


def _parse_other(graph: Graph, path: Path) -> None:
    import pyoxigraph as ox

    from inclusion_kg.store import DataFileError, load_files

    store = ox.Store()
    try:
        load_files(store, [path])  # the same checks and messages as `serve --data`
    except DataFileError as error:
        raise DataParseError(str(error)) from None
    graph.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt")


def data_version(paths: list[Path] | None = None) -> str:
    """A short content hash of the data files: it changes whenever the served data does."""
    digest = hashlib.sha256()
    for path in paths if paths is not None else data_files():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    severity: str
    shape: str

    def __str__(self) -> str:
        return f"[{self.severity}] {self.focus}\n    path: {self.path}\n    {self.message}\n    shape: {self.shape}"


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: list[Violation]

    def __str__(self) -> str:
        if self.conforms:
            return "The data conforms to the shapes."
        lines = [f"{len(self.violations)} result(s) against the shapes:"]
        lines += [str(v) for v in self.violations]
        return "\n".join(lines)


def describe_path(graph: Graph, path: Node | None) -> str:
    """A SHACL property path as SPARQL property-path text, with our prefixes (e.g. `^cv:holdsRequirement`)."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return PREFIXED.normalizeUri(path)
    if (inverse := graph.value(path, SH.inversePath)) is not None:
        return "^" + describe_path(graph, inverse)
    if (alternatives := graph.value(path, SH.alternativePath)) is not None:
        return "(" + "|".join(describe_path(graph, p) for p in Collection(graph, alternatives)) + ")"
    for operator, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        if (inner := graph.value(path, operator)) is not None:
            return describe_path(graph, inner) + suffix
    if graph.value(path, RDF.first) is not None:
        return "/".join(describe_path(graph, p) for p in Collection(graph, path))
    return str(path)


def validate_graph(data: Graph, shapes: Graph) -> ValidationReport:
    from pyshacl import validate as shacl_validate  # here: a start with a kept verdict never imports it (0.2 s)

    conforms, results, _ = shacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        def text(prop):
            value = results.value(result, prop)
            return "" if value is None else str(value)

        severity = results.value(result, SH.resultSeverity)
        violations.append(
            Violation(
                focus=text(SH.focusNode),
                path=describe_path(results, results.value(result, SH.resultPath)),
                message=text(SH.resultMessage),
                severity=severity.split("#")[-1] if severity else "",
                shape=text(SH.sourceShape),
            )
        )
    violations.sort(key=lambda v: (v.severity != "Violation", v.focus, v.path, v.message))
    return ValidationReport(conforms=bool(conforms), violations=violations)


def check_queries(root: Path | None = None) -> list[Path]:
    """ODK-style checks: SELECTs in queries/checks/ that must return no row."""
    root = root or project_root()
    return sorted((root / "queries" / "checks").glob("*-violation.rq"))


def run_checks(data: Graph, root: Path | None = None) -> list[Violation]:
    violations = []
    for path in check_queries(root):
        for row in data.query(path.read_text(encoding="utf-8")):
            values = [str(value) for value in row if value is not None]
            violations.append(
                Violation(
                    focus=values[0] if values else "",
                    path="",
                    message=f"{path.stem}: " + ", ".join(values[1:]),
                    severity="Violation",
                    shape=f"queries/checks/{path.name}",
                )
            )
    return violations


def validate_dataset(data: Graph, root: Path | None = None) -> ValidationReport:
    """The whole gate: the SHACL shapes, then the check queries."""
    report = validate_graph(data, parse_files(shape_files(root)))
    extra = run_checks(data, root)
    if not extra:
        return report
    return ValidationReport(conforms=False, violations=report.violations + extra)


class InvalidDataError(ValueError):
    """Raised when the data does not conform; carries the report."""

    def __init__(self, report: ValidationReport):
        super().__init__(str(report))
        self.report = report


def verdict_key(root: Path | None = None) -> str:
    """The content hash of what decides the data's validation: the data, the shapes, the check queries."""
    return content_key(data_files(root) + shape_files(root) + check_queries(root))


def content_key(paths: list[Path]) -> str:
    """The content hash of `paths` and of the versions of this package and of pyshacl."""
    from importlib.metadata import version

    from inclusion_kg import __version__

    digest = hashlib.sha256(f"{__version__}\0{version('pyshacl')}\0".encode())
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def kept_verdict(key: str) -> bool:
    """Whether content of this key was found to conform before (`keep_verdict`)."""
    return (verdict_folder() / key).exists()


def keep_verdict(key: str) -> None:
    """Remember that content of this key conforms; only conforming verdicts are kept."""
    try:
        kept = verdict_folder() / key
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_text("conforms\n")
    except OSError:  # a read-only home: validate at every start
        pass


def verdict_folder() -> Path:
    """Where conforming verdicts are kept (INCLUSION_KG_CACHE overrides; else the user's cache folder)."""
    override = os.environ.get("INCLUSION_KG_CACHE")
    base = Path(override) if override else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base if override else base / "inclusion-kg" / "verdicts"


def load_graph(validate: bool = True, root: Path | None = None) -> Graph:
    """The ontology and data as one rdflib graph, validated against shapes/ unless told not to.

    Only a conforming verdict is kept, by content hash (`verdict_key`): a second start of the same data skips
    pyshacl (seconds); changed data is validated again, and data that does not conform is always refused."""
    graph = parse_files(data_files(root))
    if validate:
        key = verdict_key(root)
        if kept_verdict(key):
            return graph
        report = validate_dataset(graph, root)
        if not report.conforms:
            raise InvalidDataError(report)
        keep_verdict(key)
    return graph


def sorted_ntriples(graph: Graph) -> bytes:
    """`graph` as N-Triples, its lines sorted. rdflib's order changes from one process to the next, and what is
    compiled from a store follows the order the graph was loaded in (the eligibility rules' GROUP_CONCAT):
    every store of our graph is loaded from this, so the same data gives the same rules everywhere."""
    return b"".join(sorted(graph.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)))


def closure(graph: Graph, subject, into: Graph, rename=None) -> Graph:
    """`subject`'s triples and those of the blank nodes it reaches, into `into` (subject renamed if asked)."""
    todo, seen = [subject], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in graph.predicate_objects(node):
            into.add((rename if node == subject and rename is not None else node, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    return into
