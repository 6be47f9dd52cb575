"""The part of queries/eligibility.rq that maps an input name to its parameter, generated from the ontology.

Each information concept with `ikg:inputName` is an input; the query reads the given value of a condition's
input with one `IF(?input = "name", ?__name_type, ?none)` per input, in a COALESCE. Those lines are written
between the `# BEGIN inputs` and `# END inputs` markers of the file (grlc, which reads the file itself, must
see every parameter), by `inclusion-kg eligibility --write-query`; the server refuses to start when the
file's lines differ from what the ontology gives. Adding an input is then a change to the ontology and a
regenerated query, with no Python change.
"""

from __future__ import annotations

import re
from pathlib import Path

from inclusion_kg.eligibility.vocabulary import Vocabulary
from inclusion_kg.namespaces import XSD

BEGIN, END = "# BEGIN inputs", "# END inputs"
# A parameter's type suffix (grlc's convention) by the input's datatype; concept inputs take an IRI.
SUFFIXES = {str(XSD[t]): f"_xsd_{t}" for t in ("decimal", "integer", "boolean", "date")} | {str(XSD.string): ""}
_BLOCK = re.compile(rf"^([ \t]*){re.escape(BEGIN)}[^\n]*\n(.*?)^[ \t]*{re.escape(END)}", re.S | re.M)


def camel(name: str) -> str:
    """The query parameter of an input (grlc names have no underscore): employment_rate -> employmentRate."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def parameter(vocabulary: Vocabulary, name: str) -> str:
    spec = vocabulary.inputs[name]
    suffix = "_iri" if spec.is_concept else SUFFIXES.get(spec.datatype or "", "")
    return f"?__{camel(name)}{suffix}"


def binding(vocabulary: Vocabulary, input_variable: str, indent: str) -> str:
    """`BIND(COALESCE(IF(?input = "contract", ?__contract_iri, ?none), ...) AS ?value)`, one IF a line."""
    names = vocabulary.query_inputs()
    ifs = [f'IF({input_variable} = "{name}", {parameter(vocabulary, name)}, ?none)' for name in names]
    inner = (",\n" + indent + "    ").join(ifs)
    return f"{indent}BIND(COALESCE(\n{indent}    {inner}) AS ?value)\n"


def generated(text: str, vocabulary: Vocabulary) -> str:
    """The query text with each marked block rewritten from the vocabulary (the input variable is the one the
    block's sub-select reads: the first `cv:constrains/ikg:inputName ?var` before it)."""

    def rewrite(match: re.Match) -> str:
        indent = match.group(1)
        before = text[: match.start()]
        variable = re.findall(r"ikg:inputName (\?\w+)", before)[-1]
        header = text[match.start() : text.index("\n", match.start()) + 1]
        return header + binding(vocabulary, variable, indent) + indent + END

    return _BLOCK.sub(rewrite, text)


def check(path: Path, vocabulary: Vocabulary) -> None:
    """ValueError when the query's generated lines are not what the ontology's inputs give."""
    text = path.read_text(encoding="utf-8")
    if not _BLOCK.search(text):
        raise ValueError(f"{path.name} has no '{BEGIN}' ... '{END}' block for the inputs")
    if generated(text, vocabulary) != text:
        raise ValueError(f"{path.name}'s input lines differ from the ontology's inputs: run "
                         "`inclusion-kg eligibility --write-query`")  # fmt: skip


def write(path: Path, vocabulary: Vocabulary) -> bool:
    """Rewrite the generated lines in place; True when the file changed."""
    text = path.read_text(encoding="utf-8")
    new = generated(text, vocabulary)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text
