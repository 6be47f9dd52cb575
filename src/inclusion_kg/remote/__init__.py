"""A remote SPARQL 1.1 store as the backend: `serve --store sparql+http://...` and `publish --to`.

Modules, one concern each: `location` (the store's URLs and credentials), `engine` (queries over the
SPARQL 1.1 Protocol with the embedded engine's safety rules), `publish` (load, switch, verify), `digest`
(the content hash both sides agree on), `progress` (a stderr bar), `servers` (throwaway Virtuoso and
Oxigraph servers for the tests and bench/). See docs/deploy.md.
"""
