"""Where the remote store is: `--store sparql+http://HOST:PORT/PATH` and its credentials.

The query URL is the `--store` value without `sparql+`; user and password come from the URL
(`sparql+https://user:password@host/sparql`) or, to keep them out of process lists, from the environment:
INCLUSION_KG_STORE_USER and INCLUSION_KG_STORE_PASSWORD. INCLUSION_KG_STORE_AUTH picks the HTTP scheme:
`basic` (default: Fuseki, GraphDB, a proxy in front of Neptune) or `digest` (Virtuoso's /sparql-auth).
Publishing also needs where to write: a Graph Store Protocol URL (`--gsp`) and an Update URL (`--update`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit, urlunsplit

if TYPE_CHECKING:
    import httpx

SCHEMES = ("sparql+http://", "sparql+https://")


def is_remote(store: str) -> bool:
    return store.startswith(SCHEMES)


@dataclass(frozen=True)
class RemoteStore:
    query_url: str
    update_url: str | None = None
    gsp_url: str | None = None
    user: str | None = None
    password: str | None = None
    scheme: str = "basic"

    def auth(self) -> httpx.Auth | None:
        if not self.user:
            return None
        import httpx  # not imported by a server of the embedded store

        if self.scheme == "digest":
            return httpx.DigestAuth(self.user, self.password or "")
        return httpx.BasicAuth(self.user, self.password or "")

    def describe(self) -> str:
        """The query URL without credentials, for messages and logs."""
        return self.query_url


def parse_store(store: str, update: str | None = None, gsp: str | None = None) -> RemoteStore:
    """A RemoteStore from `sparql+http(s)://[user[:password]@]host[:port]/path` (ValueError otherwise)."""
    if not is_remote(store):
        raise ValueError(f"not a remote store: {store!r} (expected sparql+http://HOST:PORT/PATH)")
    parts = urlsplit(store.removeprefix("sparql+"))
    if not parts.hostname:
        raise ValueError(f"no host in {store!r} (expected sparql+http://HOST:PORT/PATH)")
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    user = unquote(parts.username) if parts.username else os.environ.get("INCLUSION_KG_STORE_USER")
    password = unquote(parts.password) if parts.password else os.environ.get("INCLUSION_KG_STORE_PASSWORD")
    scheme = os.environ.get("INCLUSION_KG_STORE_AUTH", "basic").lower()
    if scheme not in ("basic", "digest"):
        raise ValueError(f"INCLUSION_KG_STORE_AUTH must be basic or digest, not {scheme!r}")
    return RemoteStore(
        query_url=urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")),
        update_url=update,
        gsp_url=gsp,
        user=user,
        password=password,
        scheme=scheme,
    )
