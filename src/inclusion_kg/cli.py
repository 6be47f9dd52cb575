"""The `inclusion-kg` command: validate, serve, format, export, eligibility, publish, release, diff."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from inclusion_kg.graph import (
    DataParseError,
    check_queries,
    data_files,
    parse_files,
    project_root,
    shape_files,
    validate_dataset,
)


def cmd_validate(args: argparse.Namespace) -> int:
    root = Path(args.root) if args.root else project_root()
    try:
        data = parse_files(data_files(root) + [Path(p) for p in args.extra])
    except DataParseError as error:  # names the file and the line; no traceback for users
        print(f"error: cannot parse the data: {error}", file=sys.stderr)
        return 2
    report = validate_dataset(data, root)
    print(report)
    print(
        f"{len(data)} triples checked against {len(shape_files(root))} shape file(s)"
        f" and {len(check_queries(root))} check queries."
    )
    from inclusion_kg.history.log import LogError, load_log

    try:  # the change log (data/history/), against shapes/history.ttl
        log = load_log(root)
    except (LogError, DataParseError) as error:
        print(error)
        return 1
    print(f"The change log conforms: {len(log.releases)} release(s), {len(log.versions)} version objects.")
    return 0 if report.conforms else 1


def cmd_format(args: argparse.Namespace) -> int:
    from inclusion_kg.turtle_format import check_file, format_file, turtle_files

    root = Path(args.root) if args.root else project_root()
    paths = [Path(p) for p in args.files] or turtle_files(root)
    if args.check:
        problems = [problem for path in paths if (problem := check_file(path))]
        print("\n".join(problems) or f"{len(paths)} Turtle file(s) formatted.")
        return 1 if problems else 0
    changed = [path for path in paths if format_file(path)]
    print(f"reformatted {len(changed)} of {len(paths)} file(s)")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from inclusion_kg.graph import InvalidDataError
    from inclusion_kg.publish.export import export

    try:
        written = export(Path(args.out), base_url=args.base_url, root=Path(args.root) if args.root else None)
    except (InvalidDataError, DataParseError) as error:
        print(f"refusing to export: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(f"{path}  {path.stat().st_size} bytes")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from inclusion_kg.server import serve
    from inclusion_kg.settings import Settings

    settings = Settings(
        store=args.store,
        data=tuple(Path(p) for p in args.data),
        query_timeout=args.query_timeout,
        base_url=args.base_url,
        root=Path(args.root) if args.root else None,
        max_rows=args.max_rows,
        query_workers=args.query_workers,
        max_query_bytes=args.max_query_bytes,
        max_body_bytes=args.max_body_bytes,
        max_concurrent=args.max_concurrent,
        max_queue=args.max_queue,
        queue_timeout=args.queue_timeout,
        retry_after=args.retry_after,
        graphs=tuple(args.graph),
        cache_bytes=args.cache_bytes,
    )
    return serve(settings, host=args.host, port=args.port, workers=args.workers, access_log=args.access_log)


def cmd_eligibility(args: argparse.Namespace) -> int:
    from inclusion_kg.eligibility.command import run

    return run(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="inclusion-kg", description=__doc__)
    parser.add_argument("--root", help="project folder with ontology/, data/, shapes/, queries/")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check the data against the SHACL shapes")
    validate.add_argument("extra", nargs="*", help="more Turtle files to validate with the data")
    validate.set_defaults(func=cmd_validate)

    fmt = commands.add_parser("format", help="rewrite Turtle files deterministically")
    fmt.add_argument("files", nargs="*", help="files to format (default: ontology, data, shapes)")
    fmt.add_argument("--check", action="store_true", help="fail on any unformatted file")
    fmt.set_defaults(func=cmd_format)

    export = commands.add_parser("export", help="write the dumps, DCAT-AP catalogue and VoID to a folder")
    export.add_argument("--out", required=True, metavar="DIR", help="folder to write (created if missing)")
    export.add_argument("--base-url", default="https://w3id.org/inclusion-kg/",
                        help="public address of the server, for the URLs in the catalogue")
    export.set_defaults(func=cmd_export)

    serve = commands.add_parser("serve", help="serve the validated graph over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=0,
                       help="HTTP worker processes, each evaluating queries in threads (default: one per CPU)")
    serve.add_argument(
        "--store", default="memory",
        help="'memory' (default), a folder for Oxigraph on disk, or a SPARQL store: sparql+http(s)://HOST:PORT/PATH "
        "(its query URL; see docs/deploy.md)",
    )
    serve.add_argument("--graph", action="append", default=[], metavar="IRI",
                       help="with a SPARQL store: a graph of it served beside ours (repeatable)")
    serve.add_argument("--data", nargs="*", default=[], metavar="FILE", help="more RDF files served beside ours")
    serve.add_argument("--query-timeout", type=float, default=10.0, metavar="SECONDS")
    serve.add_argument("--base-url", default="https://w3id.org/inclusion-kg/")
    serve.add_argument("--max-rows", type=int, default=10_000, help="rows or triples an answer may have")
    serve.add_argument("--query-workers", type=int, default=0,
                       help="queries evaluated at once by each HTTP worker (default 16)")
    serve.add_argument("--cache-bytes", type=int, default=64 << 20,
                       help="answer bytes kept in memory, shared among the HTTP workers (default 64 MiB; 0: none)")
    # Limits of a public endpoint (limits.py); defaults and why: docs/reliability.md
    serve.add_argument("--max-query-bytes", type=int, default=100_000, help="larger queries get 413")
    serve.add_argument("--max-body-bytes", type=int, default=1 << 20, help="larger request bodies get 413")
    serve.add_argument("--max-concurrent", type=int, default=64,
                       help="requests to /sparql, /queries, /eligibility in the app at once (default 64)")
    serve.add_argument("--max-queue", type=int, default=256,
                       help="requests that wait for a slot (default 256); beyond: 503 + Retry-After")
    serve.add_argument("--queue-timeout", type=float, default=5.0, metavar="SECONDS",
                       help="longest wait in that queue before 503 + Retry-After (default 5)")
    serve.add_argument("--retry-after", type=int, default=5, metavar="SECONDS", help="Retry-After of every 503")
    serve.add_argument(
        "--access-log", action="store_true", help="log every request (off by default: it costs ~40%% of throughput)"
    )
    serve.set_defaults(func=cmd_serve)

    from inclusion_kg.remote import command as remote_command

    publish = commands.add_parser("publish", help="load the validated graph into a SPARQL store, switch, verify")
    remote_command.add_arguments(publish)
    publish.set_defaults(func=remote_command.run)

    from inclusion_kg.eligibility.command import add_arguments

    answer = commands.add_parser("eligibility", help="which support applies to a hire, and why (as GET /eligibility)")
    add_arguments(answer)
    answer.add_argument("--no-validate", action="store_true", help="skip the SHACL check of the data (faster)")
    answer.set_defaults(func=cmd_eligibility)

    from inclusion_kg.history import command as history

    release = commands.add_parser("release", help="append the changes since the last release to the change log")
    history.add_release_arguments(release)
    release.set_defaults(func=history.run_release)
    diff = commands.add_parser("diff", help="what changed between two releases (or 'current')")
    history.add_diff_arguments(diff)
    diff.set_defaults(func=history.run_diff)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
