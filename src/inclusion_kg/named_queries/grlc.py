"""Read a named query the way grlc does: `#+` YAML decorators and BASIL-style parameter variables.

Decorators (lines starting `#+`, together one YAML document): `summary`, `description`, `tags`,
`method`, `pagination`, `enumerate` (`- name` for values found in the data, or `- name: [values]`),
`defaults` (`- name: value`); others are kept and ignored.

Parameters (grlc's conventions, https://github.com/CLARIAH/grlc#parameter-mapping):
`?_name` a required plain literal, `?__name` an optional one; `?_name_iri` an IRI; `?_name_number`
a number; `?_name_literal` a plain literal; `?_name_integer` (or any XSD type, `?_name_xsd_date`) a
typed literal; `?_name_prefix_type` a literal of datatype `prefix:type`; `?_name_en` a literal in
language `en`. Names are letters and digits only (grlc's rule), so `employmentRate`, not
`employment_rate`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from inclusion_kg.named_queries import sparql_text
from inclusion_kg.namespaces import PREFIXES, XSD

# XSD datatypes grlc recognises as a single type suffix (`?_n_integer`); others need `_xsd_type`.
XSD_TYPES = {
    "anyURI", "base64Binary", "boolean", "byte", "date", "dateTime", "decimal", "double", "duration",
    "float", "gDay", "gMonth", "gMonthDay", "gYear", "gYearMonth", "hexBinary", "int", "integer",
    "language", "long", "negativeInteger", "nonNegativeInteger", "nonPositiveInteger", "normalizedString",
    "positiveInteger", "short", "string", "time", "token", "unsignedByte", "unsignedInt", "unsignedLong",
    "unsignedShort",
}  # fmt: skip

_PARAMETER = re.compile(
    r"^(?P<required>__?)(?P<name>[A-Za-z0-9]+)"
    r"(?:_(?P<type>iri|number|literal|integer)"
    r"|_(?P<prefix>[A-Za-z0-9]+)_(?P<local>[A-Za-z0-9]+)"
    r"|_(?P<lang>[A-Za-z0-9]+))?$"
)


@dataclass(frozen=True)
class Parameter:
    """One API parameter of a named query."""

    name: str
    variable: str  # the variable's name in the query, without '?'
    kind: str  # "iri" | "number" | "literal" (plain, typed or language-tagged)
    required: bool
    datatype: str | None = None  # full IRI of the literal's datatype
    lang: str | None = None
    enum: tuple[str, ...] | None = None  # accepted values, when the query says (or the data gives)
    enumerate_from_data: bool = False  # grlc's bare `- name` under `enumerate`
    default: str | None = None
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str  # the file stem: served at /queries/{name}
    text: str  # the whole file, decorators included (valid SPARQL: they are comments)
    summary: str
    description: str
    tags: tuple[str, ...]
    method: str
    parameters: tuple[Parameter, ...]
    form: str  # SELECT | CONSTRUCT | DESCRIBE | ASK
    decorators: dict[str, Any] = field(default_factory=dict)

    def parameter(self, name: str) -> Parameter | None:
        return self._by_name.get(name)

    @cached_property
    def _by_name(self) -> dict[str, Parameter]:  # a bound question looks up every parameter by name
        return {p.name: p for p in self.parameters}


def decorators(text: str) -> dict[str, Any]:
    """The YAML of the `#+` lines; an empty mapping when there is none."""
    yaml_text = "\n".join(line[2:] for line in text.splitlines() if line.startswith("#+"))
    try:
        loaded = yaml.safe_load(yaml_text) if yaml_text.strip() else {}
    except yaml.YAMLError as error:
        raise ValueError(f"the #+ decorators are not valid YAML: {error}") from error
    if not isinstance(loaded, dict):
        raise ValueError("the #+ decorators must be a YAML mapping (`#+ summary: ...`)")
    return loaded


def _list_entry(entries: Any, name: str) -> tuple[bool, Any]:
    """grlc's lists of `- name` or `- name: value` entries: (found, value or None)."""
    for entry in entries or []:
        if isinstance(entry, dict) and name in entry:
            return True, entry[name]
        if entry == name:
            return True, None
    return False, None


def _expand(prefixed: str) -> str:
    prefix, _, local = prefixed.partition(":")
    if prefix not in PREFIXES:
        raise ValueError(f"unknown prefix {prefix!r} in a parameter's datatype")
    return PREFIXES[prefix] + local


def parameter_for(variable: str, meta: dict[str, Any]) -> Parameter | None:
    """The parameter a variable stands for, or None for an ordinary variable."""
    match = _PARAMETER.match(variable)
    if match is None:
        return None
    name = match["name"]
    kind, datatype, lang = "literal", None, None
    if match["type"] in {"iri", "number"}:
        kind = match["type"]
    elif match["type"] == "integer":
        datatype = str(XSD.integer)
    elif match["prefix"]:
        datatype = _expand(f"{match['prefix']}:{match['local']}")
    elif match["lang"]:
        if match["lang"] in XSD_TYPES:
            datatype = str(XSD[match["lang"]])
        elif match["lang"] == "literal":
            pass
        else:
            lang = match["lang"]
    listed, values = _list_entry(meta.get("enumerate"), name)
    has_default, default = _list_entry(meta.get("defaults"), name)
    descriptions = meta.get("parameters") if isinstance(meta.get("parameters"), dict) else {}
    return Parameter(
        name=name,
        variable=variable,
        kind=kind,
        required=match["required"] == "_" and not has_default,
        datatype=datatype,
        lang=lang,
        enum=tuple(str(v) for v in values) if listed and values else None,
        enumerate_from_data=listed and not values,
        default=None if default is None else _scalar(default),
        description=str(descriptions.get(name, "")),
    )


def _scalar(value: Any) -> str:
    if isinstance(value, bool):  # YAML reads `true` as a boolean; SPARQL writes it in lower case
        return "true" if value else "false"
    return str(value)


def parse(name: str, text: str) -> NamedQuery:
    meta = decorators(text)
    found: dict[str, Parameter] = {}
    for variable in sparql_text.variables(text):
        parameter = parameter_for(variable, meta)
        if parameter is None:
            continue
        if parameter.name in found and found[parameter.name].variable != variable:
            raise ValueError(f"{name}: parameter {parameter.name!r} is written two ways")
        found[parameter.name] = parameter
    words = [t.text.upper() for t in sparql_text.tokens(text) if t.kind == "word"]
    form = next((w for w in words if w in {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}), "")
    if not form:
        raise ValueError(f"{name}: not a SELECT, CONSTRUCT, DESCRIBE or ASK query")
    tags = meta.get("tags") or []
    return NamedQuery(
        name=name,
        text=text,
        summary=str(meta.get("summary", name)),
        description=str(meta.get("description", "")).strip(),
        tags=tuple(str(t) for t in (tags if isinstance(tags, list) else [tags])),
        method=str(meta.get("method", "GET")).upper(),
        parameters=tuple(found.values()),
        form=form,
        decorators=meta,
    )


def load_folder(folder: Path) -> dict[str, NamedQuery]:
    """Every `*.rq` directly in `folder` (not `checks/`), by file stem."""
    queries = {}
    for path in sorted(folder.glob("*.rq")):
        queries[path.stem] = parse(path.stem, path.read_text(encoding="utf-8"))
    return queries
