"""The change history: releases of the data as an append-only log of version objects (log, release, diff),
served as a Linked Data Event Stream at /feed and per resource at /id/{kind}/{slug}/history (feed, routes)."""
