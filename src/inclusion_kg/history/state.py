"""What the server knows of the history, built once at start-up: the validated log, its feed, and the name of
the release the served data is (the latest release, or "<latest>+data.<hash>" when the data has changed since).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from inclusion_kg.history.diff import property_changes, sentence
from inclusion_kg.history.feed import Feed
from inclusion_kg.history.log import ChangeLog, Version, load_log
from inclusion_kg.history.release import compare, descriptions
from inclusion_kg.publish.view import label

WORDS = {
    "history": {"nl": "Geschiedenis", "fr": "Historique", "de": "Verlauf", "en": "History"},
    "all_versions": {"nl": "Alle versies", "fr": "Toutes les versions", "de": "Alle Versionen", "en": "All versions"},
    "release": {"nl": "Release", "fr": "Version", "de": "Version", "en": "Release"},
    "date": {"nl": "Datum", "fr": "Date", "de": "Datum", "en": "Date"},
    "change": {"nl": "Wijziging", "fr": "Changement", "de": "Änderung", "en": "Change"},
    "created": {"nl": "nieuw", "fr": "nouveau", "de": "neu", "en": "new"},
    "updated": {"nl": "gewijzigd", "fr": "modifié", "de": "geändert", "en": "changed"},
    "deleted": {"nl": "ingetrokken", "fr": "retiré", "de": "zurückgezogen", "en": "withdrawn"},
    "feed": {"nl": "Wijzigingsstroom (LDES)", "fr": "Flux des changements (LDES)",
             "de": "Änderungsstrom (LDES)", "en": "Change feed (LDES)"},
    "no_release": {"nl": "Nog geen release.", "fr": "Pas encore de version.", "de": "Noch keine Version.",
                   "en": "No release yet."},
}


def word(key: str, lang: str) -> str:
    return WORDS[key].get(lang, WORDS[key]["en"])


@dataclass
class History:
    log: ChangeLog
    feed: Feed
    release: str  # the release the served data is, as /health and /eligibility name it
    data: Graph  # the served data: labels of resources and properties
    _rows: dict = field(default_factory=dict)

    def versions_of(self, iri) -> list[Version]:
        return self.log.versions_of(URIRef(str(iri)))

    def rows(self, iri, lang: str) -> list[dict]:
        """The versions of a resource for a page: release, date, change, notes and what changed, in words
        (computed once per resource and language: the log does not change while the app lives)."""
        key = (str(iri), lang)
        if key not in self._rows:
            self._rows[key] = self._compute_rows(iri, lang)
        return self._rows[key]

    def _compute_rows(self, iri, lang: str) -> list[dict]:
        rows, before = [], None
        resource = URIRef(str(iri))
        for version in self.versions_of(resource):
            release = self.log.release(version.release)
            after = self.log.description(version)
            name = label(after if len(after) else (before or self.data), resource, lang).text
            changes = []
            if version.change == "updated" and before is not None:
                changes = [sentence(self.data + before + after, name, p, lang)
                           for p in property_changes(before, after, resource)]
            rows.append({
                "version": version.release, "iri": str(version.iri), "date": str(version.time)[:10],
                "change": version.change, "word": word(version.change, lang),
                "notes": release.notes.get(lang, release.notes.get("en", "")), "changes": changes,
            })
            before = after
        return rows


def release_name(log: ChangeLog, data: Graph, data_version: str) -> str:
    """The latest release when the data is what it describes; else that release plus the data's hash."""
    if log.latest is None:
        return f"unreleased+data.{data_version}"
    if compare(log.state(), descriptions(data)):
        return f"{log.latest.version}+data.{data_version}"
    return log.latest.version


def build_history(data: Graph, data_version: str, base_url: str, shapes: Graph, context: dict | None,
                  root: Path | None = None) -> History:
    log = load_log(root)
    return History(log, Feed(log, base_url, shapes, context), release_name(log, data, data_version), data)
