"""A remote SPARQL 1.1 store as the backend: `serve --store sparql+http://...` and `publish --to`.

Modules, one concern each: `location` (the store's URLs and credentials), `backend` (the backend contract
over the SPARQL 1.1 Protocol, and the start-up check that the store holds our data), `publish` (load, switch,
verify), `digest` (the content hash both sides agree on), `progress` (a stderr bar). See docs/deploy.md.
"""
