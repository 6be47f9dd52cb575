"""The SPARQL 1.1 endpoint. One concern per module: `safety` (what a query is, whether it may run), `engine`
(the one way a query reaches a backend: limits, cache, evaluation threads, deadline), `backend` (the backend
contract and the embedded store), `formats` and `negotiation` (media types, the HTTP answer),
`service_description`, `html` (UI and result pages), `router` (/sparql and `respond`). See
docs/architecture.md and docs/sparql.md.
"""
