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

    def __len__(self) -> int:
        return len({e.id for e in self.by_key.values()})


def load_reference(lemma: Lemma) -> Reference:
    """Read ``kg/data/organisations.csv`` (absent: an empty table)."""
    path = resources.files("kg.data").joinpath("organisations.csv")
    if not path.is_file():
        return Reference()
    rows = csv.DictReader(path.read_text(encoding="utf-8").splitlines())
    return build_reference(rows, lemma)


def build_reference(rows: object, lemma: Lemma) -> Reference:
    """Index rows with ``id``, ``label``, ``names`` (``;``-separated), ``kind``, ``wikidata``,
    ``wikidata_source`` (an id whose source starts with UNVERIFIED is not used)."""
    by_key: dict[str, RefEntry] = {}
    clashes: set[str] = set()
    for row in rows:  # type: ignore[attr-defined]
        source = (row.get("wikidata_source") or "").strip()
        qid = (row.get("wikidata") or "").strip() or None
        if qid and (not source or source.upper().startswith("UNVERIFIED")):
            qid = None
        entry = RefEntry(row["id"].strip(), row["label"].strip(), (row.get("kind") or "organization").strip(), qid)
        names = [entry.label, *(n for n in (row.get("names") or "").split(";"))]
        for name in names:
            if not name.strip():
                continue
            for key in {name_key(name, lemma), fold(name)}:
                if not key:
                    continue
                if key in by_key and by_key[key].id != entry.id:
                    clashes.add(key)
                by_key[key] = entry
    for key in clashes:
        del by_key[key]
    return Reference(by_key)
