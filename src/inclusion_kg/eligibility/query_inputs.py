"""The parts of queries/eligibility.rq that depend on the inputs, generated from the ontology and the data.

Each information concept with `ikg:inputName` is an input; the query reads the given value of a condition's
input with one `IF(?input = "name", ?__name_type, ?none)` per input, in a COALESCE, and its `#+ enumerate:`
header lists the values of the region and of each concept input (grlc builds its API from it). Those lines are
written into the file (grlc, which reads the file itself, must see every parameter and value) by
`inclusion-kg eligibility --write-query`: between the `# BEGIN inputs` and `# END inputs` markers, and the
header's enumerate block. The server refuses to start when the file differs from what the graph gives.
Adding an input is then a change to the ontology and a regenerated query, with no Python change.
"""

from __future__ import annotations

import re
from pathlib import Path

from inclusion_kg.eligibility.vocabulary import LANGUAGES, REGION, Vocabulary
from inclusion_kg.namespaces import XSD

BEGIN, END = "# BEGIN inputs", "# END inputs"
# A parameter's type suffix (grlc's convention) by the input's datatype; concept inputs take an IRI.
SUFFIXES = {str(XSD[t]): f"_xsd_{t}" for t in ("decimal", "integer", "boolean", "date")} | {str(XSD.string): ""}
_ENUMERATE = re.compile(r"^#\+ enumerate:\n(?:#\+   .*\n)*", re.M)
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


def enumerate_header(vocabulary: Vocabulary) -> str:
    """The `#+ enumerate:` block: the region's and each concept input's values, then the languages."""
    lines = ["#+ enumerate:\n"]
    for name in [REGION] + [n for n in vocabulary.query_inputs() if vocabulary.inputs[n].is_concept]:
        lines.append(f"#+   - {camel(name)}:\n")
        lines.extend(f"#+     - {iri}\n" for iri in sorted(vocabulary.inputs[name].values.values()))
    lines.append("#+   - lang:\n")
    lines.extend(f"#+     - {lang}\n" for lang in LANGUAGES)
    return "".join(lines)


def generated(text: str, vocabulary: Vocabulary) -> str:
    """The query text with each marked block rewritten from the vocabulary (the input variable is the one the
    block's sub-select reads: the first `cv:constrains/ikg:inputName ?var` before it)."""

    def rewrite(match: re.Match) -> str:
        indent = match.group(1)
        before = text[: match.start()]
        variable = re.findall(r"ikgc?:inputName (\?\w+)", before)[-1]
        header = text[match.start() : text.index("\n", match.start()) + 1]
        return header + binding(vocabulary, variable, indent) + indent + END

    return _ENUMERATE.sub(lambda _: enumerate_header(vocabulary), _BLOCK.sub(rewrite, text), count=1)


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
