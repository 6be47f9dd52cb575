"""The `release` and `diff` commands (docs/history.md).

Exit status: 0 done (or nothing to release), 1 invalid data or log (nothing written), 2 a bad argument: an
unknown or malformed version, listed with the versions that exist.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rdflib import URIRef

from inclusion_kg.graph import DataParseError, InvalidDataError, load_graph, project_root
from inclusion_kg.history.diff import diff_states
from inclusion_kg.history.log import VERSION_HELP, LogError, load_log, version_key
from inclusion_kg.history.release import (
    LANGUAGES, ReleaseError, check_release, check_reserved, compare, descriptions, parse_time, release_graph,
    write_release,
)
from inclusion_kg.namespaces import PREFIXES

CURRENT = "current"


def add_release_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("version", help=f"the new release's name: {VERSION_HELP}")
    parser.add_argument("--time", required=True,
                        help="the release time, ISO 8601 with a zone (e.g. 2025-10-31T00:00:00Z); given, not read "
                             "from the clock, so that the same input writes the same bytes")
    parser.add_argument("--follows", action="append", required=True, metavar="IRI",
                        help="the source edition the release follows (prefixed, e.g. source:brochure-2025, or a "
                             "full IRI; repeatable)")
    for lang in LANGUAGES:
        parser.add_argument(f"--notes-{lang}", required=True, metavar="TEXT", help=f"release notes in {lang}")


def add_diff_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("a", metavar="A", help=f"a release version, or '{CURRENT}' (the current data)")
    parser.add_argument("b", metavar="B", help=f"a release version, or '{CURRENT}'")
    parser.add_argument("--json", action="store_true", help="the changes as JSON")
    parser.add_argument("--lang", default="en", choices=LANGUAGES, help="language of the labels (default en)")


def fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def known_versions(names: list[str]) -> str:
    return ", ".join(names) if names else "none yet"


def expand(name: str) -> URIRef:
    prefix, colon, local = name.partition(":")
    if colon and prefix in PREFIXES and not local.startswith("//"):
        return URIRef(PREFIXES[prefix] + local)
    return URIRef(name)


def run_release(args: argparse.Namespace) -> int:
    root = Path(args.root) if args.root else project_root()
    try:
        key = version_key(args.version)
    except ValueError as error:
        return fail(str(error), 2)
    try:
        log = load_log(root)
    except (LogError, DataParseError) as error:
        return fail(str(error), 1)
    names = log.names()
    if args.version in names:
        return fail(f"release {args.version} exists already; releases: {known_versions(names)}", 2)
    if log.latest is not None and key <= version_key(log.latest.version):
        return fail(f"release {args.version} must come after the latest, {log.latest.version}; "
                    f"releases: {known_versions(names)}", 2)
    try:
        time = parse_time(args.time)
        if log.latest is not None and time.toPython() <= log.latest.time.toPython():
            raise ReleaseError(f"--time {time} must be after the latest release's ({log.latest.time})")
        data = load_graph(root=root)
    except ReleaseError as error:
        return fail(str(error), error.code)
    except (InvalidDataError, DataParseError) as error:  # the report names each failing node
        return fail(f"refusing to release invalid data; nothing written.\n{error}", 1)
    follows = [expand(name) for name in args.follows]
    unknown = [str(s) for s in follows if (s, None, None) not in data]
    if unknown:
        return fail(f"--follows: not a source of the data: {', '.join(unknown)} "
                    "(e.g. source:brochure-2025, document:schriftelijke-vraag-17-2018-werkbaar-werk)", 2)
    current = descriptions(data)
    try:
        check_reserved(current)
    except ReleaseError as error:
        return fail(str(error), error.code)
    changes = compare(log.state(), current)
    if not changes:
        print(f"nothing changed since release {log.latest.version if log.latest else '(none)'}; nothing written")
        return 0
    notes = {lang: getattr(args, f"notes_{lang}") for lang in LANGUAGES}
    graph = release_graph(log, args.version, time, notes, follows, changes, current)
    try:
        check_release(root, graph)
        path = write_release(root, args.version, graph)
    except ReleaseError as error:
        return fail(str(error), error.code)
    counts = {kind: sum(1 for c in changes if c.change == kind) for kind in ("created", "updated", "deleted")}
    print(f"release {args.version}: {counts['created']} created, {counts['updated']} updated, "
          f"{counts['deleted']} deleted -> {path}")
    return 0


def run_diff(args: argparse.Namespace) -> int:
    root = Path(args.root) if args.root else project_root()
    try:
        log = load_log(root)
    except (LogError, DataParseError) as error:
        return fail(str(error), 1)
    names = log.names()
    for version in (args.a, args.b):
        if version != CURRENT and version not in names:
            return fail(f"unknown version {version!r}; releases: {known_versions(names)} (or '{CURRENT}')", 2)
    try:
        data = load_graph(root=root)
    except (InvalidDataError, DataParseError) as error:
        return fail(f"the current data is invalid:\n{error}", 1)
    states = {v: descriptions(data) if v == CURRENT else log.state(v) for v in {args.a, args.b}}
    changes = diff_states(states[args.a], states[args.b], data, args.lang)
    if args.json:
        print(json.dumps({"from": args.a, "to": args.b, "changes": changes}, ensure_ascii=False, indent=2))
        return 0
    if not changes:
        print(f"no change from {args.a} to {args.b}")
    for change in changes:
        for line in change["text"]:
            print(line)
    return 0
