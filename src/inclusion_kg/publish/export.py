"""`inclusion-kg export --out DIR`: the files the server publishes, written to a folder for a static host
or a portal upload: the four dumps (byte for byte those of /dumps/), catalog.ttl and void.ttl."""

from __future__ import annotations

from pathlib import Path

from inclusion_kg.graph import data_files, data_version, load_graph
from inclusion_kg.publish.dumps import write_dumps
from inclusion_kg.publish.formats import TURTLE, serialize
from inclusion_kg.publish.state import build_publication


def export(out: Path, base_url: str | None = None, root: Path | None = None) -> list[Path]:
    """Validate the data, then write the dumps, the catalogue and VoID to `out`; the paths written."""
    from inclusion_kg.history import prepare_history

    graph = load_graph(root=root)
    version = data_version(data_files(root))
    history = prepare_history(graph, version, base_url, root)  # the releases, in the catalogue
    publication = build_publication(graph, base_url, version, root=root, history=history)
    written = write_dumps(publication.dumps, out)
    for name, graph in (("catalog.ttl", publication.catalog), ("void.ttl", publication.void)):
        path = out / name
        path.write_bytes(serialize(graph, TURTLE))
        written.append(path)
    return written
