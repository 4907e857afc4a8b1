"""The reference table of well-known organisations (``kg/data/organisations.csv``).

Each entry has a canonical name, its other names (past names, abbreviations, short
and Latin forms) and, when verified, a Wikidata id. An entity whose name key equals
one of an entry's name keys is that entry: it gets the entry's label, and
``owl:sameAs`` its Wikidata IRI when the id is verified.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from importlib import resources

from kg.resolve.names import Lemma, fold, name_key


@dataclass(frozen=True, slots=True)
class RefEntry:
    """One organisation of the reference table."""

    id: str  # a stable slug: «minpromtorg»
    label: str  # canonical Russian name
    kind: str  # organization | company | authority
    wikidata: str | None = None  # «Q…», only when its source is verified


@dataclass(frozen=True, slots=True)
class Reference:
    """Name key -> entry; a key shared by two entries is dropped (never guessed)."""

    by_key: dict[str, RefEntry] = field(default_factory=dict)

    def find(self, key: str) -> RefEntry | None:
        return self.by_key.get(key)

    def completing(self, key: str) -> RefEntry | None:
        """The one entry with a name that continues ``key`` by a coordination: «ассоциация кластер,
        технопарк» (a list cut before its last item) -> «ассоциация кластер, технопарк и оэз россия»."""
        found = {e.id: e for k, e in self.by_key.items() if k.startswith(key + " и ")}
        return next(iter(found.values())) if len(found) == 1 else None

    def __len__(self) -> int:
        return len({e.id for e in self.by_key.values()})


def load_reference(lemma: Lemma) -> Reference:
    """The organisations of ``kg/data/organisations.csv`` (``kg.data.orgs``), indexed by name key."""
    try:
        from kg.data.orgs import load_orgs  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # a checkout without the table
        return Reference()
    by_key: dict[str, RefEntry] = {}
    clashes: set[str] = set()
    for org in load_orgs():
        entry = RefEntry(org.id, org.name, org.kind.value, org.wikidata)
        for name in org.names:
            for key in {name_key(name, lemma), fold(name)}:
                if not key:
                    continue
                if key in by_key and by_key[key].id != entry.id:
                    clashes.add(key)
                by_key[key] = entry
    for key in clashes:  # a key two entries share says nothing
        del by_key[key]
    return Reference(by_key)
