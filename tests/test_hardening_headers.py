"""Header injection, cache poisoning, CORS and local file reads over HTTP (docs/security.md)."""

from __future__ import annotations

import pytest

INJECTIONS = ["en\r\nSet-Cookie: stolen=1", "json\r\nX-Injected: 1", "nl%0d%0aX-Injected:%201", "\u2028X-Injected: 1"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_crlf_in_parameters_never_becomes_a_response_header(client, value):
    for path, params in (
        ("/id/agency/vdab", {"lang": value}),
        ("/eligibility", {"region": "flanders", "lang": value}),
        ("/sparql", {"query": "ASK {}", "format": value}),
        ("/queries/measures-by-region", {"region": "flanders", "lang": value, "format": value}),
    ):
        response = client.get(path, params=params, headers={"accept-language": "en"})
        assert response.status_code < 500, (path, response.text)
        names = {name.lower() for name in response.headers}
        assert "set-cookie" not in names and "x-injected" not in names, (path, response.headers)
        for header_value in response.headers.values():
            assert "\r" not in header_value and "\n" not in header_value
        if "content-language" in names:
            assert response.headers["content-language"] in ("nl", "fr", "de", "en")


def test_a_cached_answer_is_kept_per_accept_and_cors_headers_are_added_per_request(client):
    url = "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"
    seen = {}
    for _ in range(2):  # the second round comes from the answer cache
        for accept, media in (("application/sparql-results+json", "application/sparql-results+json"),
                              ("application/sparql-results+xml", "application/sparql-results+xml"),
                              ("text/csv", "text/csv")):
            response = client.get(url, headers={"accept": accept})
            assert response.headers["content-type"].startswith(media)
            assert "access-control-allow-origin" not in response.headers
            seen.setdefault(accept, response.content)
            assert response.content == seen[accept]
    with_origin = client.get(url, headers={"accept": "text/csv", "origin": "https://notebook.example"})
    assert with_origin.headers["access-control-allow-origin"] == "*"
    assert "accept" in with_origin.headers.get("vary", "").lower()


def test_cors_lets_any_page_read_but_never_with_credentials(client):
    preflight = client.options("/sparql", headers={
        "origin": "https://evil.example", "access-control-request-method": "POST",
        "access-control-request-headers": "content-type"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] in ("*", "https://evil.example")
    assert "access-control-allow-credentials" not in preflight.headers
    response = client.get("/eligibility", params={"region": "flanders"},
                          headers={"origin": "https://evil.example", "cookie": "session=1"})
    assert "access-control-allow-credentials" not in response.headers
    assert "set-cookie" not in response.headers  # there is no session to steal


@pytest.mark.parametrize("path", [
    "/dumps/..%2F..%2Fpyproject.toml", "/dumps/../../pyproject.toml", "/static/..%2F..%2F..%2Fpyproject.toml",
    "/static/../app.py", "/id/..%2F..%2F..%2Fetc%2Fpasswd", "/queries/..%2Fpyproject", "/queries/checks%2Fx",
    "/dumps/%2Fetc%2Fpasswd",
])
def test_no_path_reads_a_local_file(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404, 405), (path, response.status_code)
    assert b"[project]" not in response.content and b"root:" not in response.content
