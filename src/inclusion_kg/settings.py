"""Server settings, shared by the CLI and the app factory."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from inclusion_kg.namespaces import BASE


@dataclass(frozen=True)
class Settings:
    store: str = "memory"  # "memory", or a folder for Oxigraph on disk
    data: tuple[Path, ...] = field(default_factory=tuple)  # extra RDF files served beside ours
    query_timeout: float = 10.0  # seconds
    base_url: str = BASE  # the public address our IRIs are served at
    root: Path | None = None  # project folder (ontology/, data/, shapes/, queries/); None: the package's
