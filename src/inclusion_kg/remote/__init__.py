"""A remote SPARQL 1.1 store as the backend: `serve --store sparql+http://...` and `publish --to`.

Modules, one concern each: `location` (the store's URLs and credentials), `backend` (the backend contract
over the SPARQL 1.1 Protocol, and the start-up check that the store holds our data), `publish` (load, switch,
verify), `digest` (the content hash both sides agree on), `progress` (a stderr bar). See docs/deploy.md.
Only this file is imported by a server of the embedded store (httpx and the rest load with a remote one).
"""


class RemoteStoreError(RuntimeError):
    """The remote store cannot serve: unreachable, or it does not hold the data we validated."""
