"""The README is the map: every endpoint of the app is in its table, and every example there works.

Each `curl` of the endpoint table and each Python block runs, as written, against a live server (uvicorn on
a free port stands in for `make serve`'s http://127.0.0.1:8000). Every command of the CLI and every file the
README links to exists.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fastapi.routing import APIRoute

from conftest import require

from inclusion_kg.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ADDRESS = "http://127.0.0.1:8000"
NOT_LISTED = {"/favicon.ico"}  # browsers ask for it by themselves


def section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def endpoint_rows() -> list[tuple[str, str]]:
    """(endpoint column, example command) of each row of the endpoint table."""
    rows = []
    for line in section("Endpoints").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3 and cells[2].startswith("`curl "):
            rows.append((cells[0], cells[2].strip("`")))
    return rows


def python_blocks() -> list[str]:
    return [textwrap.dedent(block) for block in re.findall(r"```python\n(.*?)```", README, re.S)]


def test_every_route_is_in_the_endpoint_table(app):
    listed = " ".join(endpoint for endpoint, _ in endpoint_rows())
    paths = {route.path for route in app.routes if isinstance(route, APIRoute)} - NOT_LISTED
    def named(path: str) -> bool:  # by its first segment: /id/{path:path} is the row `/id/{kind}/{slug}`
        first = path.strip("/").split("/")[0]
        return re.search(rf"`/{re.escape(first)}[`/]", listed) is not None

    missing = sorted(p for p in paths if not named(p))
    assert not missing, f"routes the README's endpoint table does not name: {missing}"


@pytest.mark.parametrize("endpoint, command", endpoint_rows(), ids=[row[0] for row in endpoint_rows()])
def test_each_curl_of_the_endpoint_table_answers(live_server, tmp_path, endpoint, command):
    require(None if shutil.which("curl") else "curl is not installed (apt-get install -y curl; .ci/run does)")
    args = shlex.split(command.replace(ADDRESS, live_server))
    done = subprocess.run([*args, "--fail", "--show-error"], cwd=tmp_path, capture_output=True, timeout=60)
    assert done.returncode == 0, (command, done.stderr.decode())
    written = [f.read_bytes() for f in tmp_path.iterdir()]  # `-o FILE` writes the answer to a file
    assert done.stdout.strip() or any(written), f"{command} answered nothing"


@pytest.mark.parametrize("index", range(len(python_blocks())))
def test_each_python_example_runs(live_server, index):
    code = python_blocks()[index].replace(ADDRESS, live_server)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, timeout=120, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), "the example printed nothing"


def test_every_command_is_in_the_commands_table():
    table = section("Commands")
    commands = build_parser()._subparsers._group_actions[0].choices  # argparse keeps them there
    assert [c for c in commands if f"`inclusion-kg {c}" not in table] == []
    make_targets = re.findall(r"^([a-z]+):", (ROOT / "Makefile").read_text(), re.M)
    documented = {"install", "validate", "clean"}  # install and validate run inside serve and test
    assert [t for t in make_targets if f"make {t}" not in table and t not in documented] == []


def test_every_linked_file_exists():
    for target in re.findall(r"\]\(([^)#:]+)\)", README) + re.findall(r"`((?:docs|tests|src)/[^`* ]+)`", README):
        assert list(ROOT.glob(target)), target


def test_docs_index_lists_every_document():
    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    for doc in sorted((ROOT / "docs").glob("*.md")):
        if doc.name != "README.md":
            assert f"({doc.name})" in index, f"docs/README.md does not list {doc.name}"
