"""Named queries: `queries/*.rq` read with grlc's conventions, bound safely, served at /queries/{name}."""
