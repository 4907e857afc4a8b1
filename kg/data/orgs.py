"""The reference table of well-known organisations (``organisations.csv``).

Federal authorities, development institutions, the cluster association, large state
corporations and universities that cluster news names often, with their other and past
names and Wikidata ids. An id counts only when its ``qid_source`` names a source and
does not start with ``UNVERIFIED``: ``ReferenceOrg.wikidata`` is None otherwise.

>>> org = orgs_index()[normalise_name("Минпромторг России")]
>>> org.id, org.kind.value
('minpromtorg', 'authority')
>>> orgs_index()[normalise_name("«ЦСКБ–Прогресс»")].id
'progress'
>>> orgs_index()[normalise_name("СГАУ")].wikidata
'Q21574120'
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from kg.errors import InputError
from kg.model import Kind

FILE = "organisations.csv"
COLUMNS = ("id", "name", "class", "other_names", "past_names", "wikidata_qid", "qid_source", "note")
CLASSES = {"Authority": Kind.AUTHORITY, "Company": Kind.COMPANY, "Organization": Kind.ORGANIZATION}
_QID = re.compile(r"^Q[1-9][0-9]*$")
_QUOTES = re.compile("[\"'«»„“”‘’‚‹›`]")
_DASHES = re.compile("[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")


def normalise_name(text: str) -> str:
    """A name folded for look-up: case, ё/е, quotes dropped, hyphens and dashes as spaces.

    >>> normalise_name("  «Ракетно-космический центр „Прогресс“»  ")
    'ракетно космический центр прогресс'
    >>> normalise_name("Самарский университет им. Королёва")
    'самарский университет им. королева'
    """
    text = _DASHES.sub(" ", _QUOTES.sub("", text)).casefold().replace("ё", "е")
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class ReferenceOrg:
    """One organisation of the table; ``wikidata`` is set only for a verified id."""

    id: str
    name: str
    kind: Kind  # AUTHORITY, COMPANY or ORGANIZATION
    other_names: tuple[str, ...]
    past_names: tuple[str, ...]
    wikidata: str | None
    qid_source: str
    note: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name, then the other names, then the past names."""
        return (self.name, *self.other_names, *self.past_names)


def _names(value: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in value.split(";") if name.strip())


def parse_orgs(text: str, origin: str = f"kg/data/{FILE}") -> tuple[ReferenceOrg, ...]:
    """The rows of a table in the format of ``organisations.csv``.

    A bad row raises ``InputError`` naming ``origin`` and the line: a missing column,
    an unknown class, a malformed id, a repeated id, or a name that folds
    (``normalise_name``) to a name of another row.
    """
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"{origin}:1: missing columns {', '.join(missing)}")
    orgs: list[ReferenceOrg] = []
    owner: dict[str, str] = {}
    for line, row in enumerate(reader, 2):
        where = f"{origin}:{line}"
        if None in row or any(row[c] is None for c in COLUMNS):
            raise InputError(f"{where}: expected {len(COLUMNS)} columns")
        org_id, name, cls = row["id"].strip(), row["name"].strip(), row["class"].strip()
        if not org_id or not name:
            raise InputError(f"{where}: id and name are required")
        if cls not in CLASSES:
            raise InputError(f"{where}: class {cls!r} is not one of {', '.join(CLASSES)}")
        qid, source = row["wikidata_qid"].strip(), row["qid_source"].strip()
        if qid and not _QID.match(qid):
            raise InputError(f"{where}: {qid!r} is not a Wikidata item id (Q followed by digits)")
        verified = bool(qid) and bool(source) and not source.upper().startswith("UNVERIFIED")
        org = ReferenceOrg(org_id, name, CLASSES[cls], _names(row["other_names"]), _names(row["past_names"]),
                           qid if verified else None, source, row["note"].strip())
        if any(o.id == org_id for o in orgs):
            raise InputError(f"{where}: id {org_id!r} is used twice")
        for alias in org.names:
            key = normalise_name(alias)
            if owner.get(key, org_id) != org_id:
                raise InputError(f"{where}: name {alias!r} is also a name of {owner[key]!r}")
            owner[key] = org_id
        orgs.append(org)
    return tuple(orgs)


@cache
def load_orgs() -> tuple[ReferenceOrg, ...]:
    """The organisations of ``kg/data/organisations.csv``, in file order (read once)."""
    return parse_orgs(resources.files("kg.data").joinpath(FILE).read_text(encoding="utf-8"))


@cache
def orgs_index() -> dict[str, ReferenceOrg]:
    """Every name of every organisation, folded by ``normalise_name``, to its organisation."""
    return {normalise_name(alias): org for org in load_orgs() for alias in org.names}
