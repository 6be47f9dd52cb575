"""Malformed and hostile RDF given to `serve --data`, `validate FILE` and `--store`: a clear refusal that
names the file (and the line, where the format has lines), an exit code, never a traceback, never a crash.

Parser bombs are refused before a parser sees them (src/inclusion_kg/rdf_input.py): pyoxigraph's RDF/XML
parser expands entities in memory and aborts the whole process when the allocation fails, and its JSON-LD
parser does the same on a 10 000-deep document.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inclusion_kg.cli import main
from inclusion_kg.graph import DataParseError, parse_files
from inclusion_kg.rdf_input import MAX_JSON_DEPTH, json_depth
from inclusion_kg.store import DataFileError, build_store, load_files

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def billion_laughs(levels: int = 9) -> str:
    entities = '<!ENTITY a "aaaaaaaaaa">\n' + "".join(
        f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">\n' for i in range(levels)
    )
    last = chr(97 + levels)
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{entities}]>\n'
        f'<rdf:RDF xmlns:rdf="{RDF}" xmlns:ex="http://e/"><rdf:Description rdf:about="http://e/x">'
        f"<ex:p>&{last};</ex:p></rdf:Description></rdf:RDF>\n"
    )


def rdfxml(doctype: str, value: str) -> str:
    return (
        f'<?xml version="1.0"?>\n{doctype}\n<rdf:RDF xmlns:rdf="{RDF}" xmlns:ex="http://e/">\n'
        f'<rdf:Description rdf:about="http://e/x"><ex:p>{value}</ex:p></rdf:Description></rdf:RDF>\n'
    )


def deep_jsonld(depth: int) -> str:
    return '{"@id":"http://e/x","http://e/p":' * depth + '{"@id":"http://e/y"}' + "}" * depth


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HOSTILE = {
    "laughs.rdf": (billion_laughs(), "expand to more than"),
    "external.rdf": (rdfxml('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;"), "external entity"),
    "public.owl": (rdfxml('<!DOCTYPE r [<!ENTITY x PUBLIC "-//x" "http://127.0.0.1:9/x">]>', "&x;"), "external entity"),
    "param.xml": (rdfxml('<!DOCTYPE r [<!ENTITY % p "x"> ]>', "v"), "parameter entity"),
    "loop.rdf": (rdfxml('<!DOCTYPE r [<!ENTITY a "&b;"><!ENTITY b "&a;">]>', "&a;"), "refers to itself"),
    "deep.jsonld": (deep_jsonld(10_000), "nests"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_parser_bombs_are_refused_fast_before_parsing(tmp_path, name):
    text, reason = HOSTILE[name]
    path = write(tmp_path, name, text)
    started = time.monotonic()
    with pytest.raises(DataFileError, match=reason) as error:
        load_files(pyoxigraph.Store(), [path])
    assert name in str(error.value) and "refused" in str(error.value)
    assert time.monotonic() - started < 1.0
    with pytest.raises(DataParseError, match=reason):  # validate FILE takes the same way
        parse_files([path])


def test_namespace_entities_as_protege_writes_them_still_load(tmp_path):
    doctype = f'<!DOCTYPE rdf:RDF [<!ENTITY ex "http://e/"> <!ENTITY rdf "{RDF}">]>'
    text = rdfxml(doctype, "x").replace('rdf:about="http://e/x"', 'rdf:about="&ex;y"')
    store = pyoxigraph.Store()
    load_files(store, [write(tmp_path, "owl.rdf", text)])
    assert any(quad.subject.value == "http://e/y" for quad in store)


def test_json_ld_within_the_depth_limit_loads(tmp_path):
    store = pyoxigraph.Store()
    load_files(store, [write(tmp_path, "ok.jsonld", deep_jsonld(MAX_JSON_DEPTH // 2 - 1))])
    assert len(store) > 0
    assert json_depth(b'{"a": "[[[[{{{{", "b": [[1]]}') == 3  # brackets in strings do not count


MALFORMED = {  # file -> (text, the line the error is on)
    "bad.ttl": ("@prefix ex: <http://e/> .\nex:a ex:b .\n", "line 2"),
    "bad.nt": ("<http://e/a> <http://e/b> <http://e/c> .\n<http://e/a> <http://e/b> .\n", "line 2"),
    "bad.nq": ("\n<http://e/a> <http://e/b> <http://e/c> <http://e/g> <x> .\n", "line 2"),
    "bad.trig": ("<http://e/g> {\n <http://e/a> <http://e/b> }\n", "line 2"),
    "bad.jsonld": ('{"@id": "http://e/a",\n "http://e/p": [1,\n}', "line 3"),
    "bad.rdf": (f"<?xml version='1.0'?>\n<rdf:RDF xmlns:rdf='{RDF}'>\n<rdf:Description>\n</rdf:RDF>\n", "line 4"),
    "binary.ttl": ("\udcff\udcfe garbage", "line 1"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_rdf_is_named_with_file_and_line_by_validate(tmp_path, name, capsys):
    text, line = MALFORMED[name]
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert name in err and line in err, err
    assert "Traceback" not in err
    with pytest.raises(DataFileError, match=line):
        load_files(pyoxigraph.Store(), [path])


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "inclusion_kg.cli", *args], capture_output=True, text=True,
                          timeout=timeout)


def test_serve_refuses_a_billion_laughs_data_file_with_a_message_not_a_crash(tmp_path):
    path = write(tmp_path, "laughs.rdf", billion_laughs())
    result = run_cli("serve", "--port", "0", "--data", str(path))
    assert result.returncode == 1, result.stderr[-2000:]
    assert "refusing to serve" in result.stderr and "laughs.rdf" in result.stderr
    assert "Traceback" not in result.stderr and "memory allocation" not in result.stderr


def test_a_corrupt_or_wrong_store_folder_is_refused_with_what_to_do(tmp_path, capsys):
    from rdflib import Graph

    corrupt = tmp_path / "store"
    corrupt.mkdir()
    (corrupt / "CURRENT").write_text("garbage\n")
    (corrupt / "MANIFEST-000001").write_text("x")
    for location in (corrupt, write(tmp_path, "a-file", "not a folder")):
        with pytest.raises(DataFileError, match="cannot open it as an Oxigraph store.*remove that folder"):
            build_store(Graph(), str(location))
    assert (corrupt / "CURRENT").read_text() == "garbage\n"  # never deleted: it may not be ours


def test_serve_on_a_corrupt_store_exits_1_with_a_message(tmp_path):
    corrupt = tmp_path / "store"
    corrupt.mkdir()
    (corrupt / "CURRENT").write_text("garbage\n")
    result = run_cli("serve", "--port", "0", "--store", str(corrupt))
    assert result.returncode == 1
    assert "cannot open it as an Oxigraph store" in result.stderr and "Traceback" not in result.stderr


SAMPLES = {
    ".ttl": b'@prefix ex: <http://e/> .\nex:a ex:b "c"@en ; ex:d ( 1 2.5 true ) .\n',
    ".rdf": rdfxml('<!DOCTYPE r [<!ENTITY e "http://e/">]>', "v &e;").encode(),
    ".jsonld": json.dumps({"@context": {"ex": "http://e/"}, "@id": "ex:a", "ex:p": [{"@id": "ex:b"}, 1]}).encode(),
    ".trig": b"<http://e/g> { <http://e/a> <http://e/b> <http://e/c> . }\n",
}


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    suffix=st.sampled_from(sorted(SAMPLES)),
    cuts=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 8), st.binary(max_size=6)), max_size=4),
)
def test_mutated_rdf_loads_or_is_refused_with_a_message(tmp_path, suffix, cuts):
    data = bytearray(SAMPLES[suffix])
    for at, drop, insert in cuts:  # delete a few bytes and insert others, anywhere
        at %= len(data) + 1
        data[at:at + drop] = insert
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(bytes(data))
    try:
        load_files(pyoxigraph.Store(), [path])
    except DataFileError as error:
        assert str(error).startswith(str(path)) and len(str(error)) > len(str(path)) + 2
