"""inclusion-kg: regional support for employers who hire people with a disability, as linked open data."""

from inclusion_kg.graph import load_graph

__all__ = ["load_graph"]
__version__ = "0.1.0"
