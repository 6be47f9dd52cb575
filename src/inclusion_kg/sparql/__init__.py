"""The SPARQL 1.1 endpoint: safety (tokenizer), engine (worker processes, cache), negotiation, /sparql.

Modules, one concern each: `safety` (what a query is, whether it may run), `worker` and `pool` (query
processes with a hard deadline), `engine` (the one way a query reaches the store), `formats` and
`negotiation` (media types, the HTTP answer), `service_description`, `html` (UI and result pages),
`router` (/sparql) and `fastpath` (cached replay, direct dispatch). See docs/sparql.md.
"""
