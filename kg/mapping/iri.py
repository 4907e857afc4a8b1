"""Deterministic IRIs: the only place in kg that builds instance IRIs.

The same ``(kind, key)`` gives the same IRI in every run and every document, so
an entity met in several documents becomes one node of the union graph.

>>> minter = IriMinter()
>>> minter.document("seed-news:11")
'https://w3id.org/cluster-kg/id/doc/seed-news:11'
>>> minter.mention("seed-news:11", 54, 68)
'https://w3id.org/cluster-kg/id/doc/seed-news:11#char=54,68'
>>> minter.entity(Kind.PERSON, "алексей орлов")
'https://w3id.org/cluster-kg/id/person/aleksei-orlov-4c46f9f6'
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote, urlsplit

from kg.errors import KgError
from kg.model import Kind
from kg.vocab import DEFAULT_BASE, ENTITY_CLASSES

__all__ = ["DEFAULT_BASE", "IriMinter", "check_base", "digest", "slug"]

# Organisation kinds share one IRI space (kg.vocab): a company read as a plain
# organisation elsewhere is still the same node.
_GROUP = {c.kind: c.group for c in ENTITY_CLASSES}

_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch  y  e yu ya".split(" "),
        strict=True,
    )
)
_TRANSLIT_TABLE = str.maketrans(_TRANSLIT)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SLUG_MAX = 48
# Characters kept as they are in an IRI path segment; everything else is %-encoded.
_SAFE = "-._~:@"


def slug(text: str) -> str:
    """ASCII slug of ``text`` (Cyrillic transliterated), at most 48 characters.

    >>> slug("Титановый кластер «ОЭЗ»")
    'titanovyi-klaster-oez'
    """
    latin = text.lower().translate(_TRANSLIT_TABLE)
    return _NOT_SLUG.sub("-", latin).strip("-")[:_SLUG_MAX].strip("-")


def digest(*parts: str) -> str:
    """First 8 hex digits of the SHA-1 of the parts joined by NUL."""
    return hashlib.sha1("\0".join(parts).encode("utf-8")).hexdigest()[:8]


def check_base(base: str) -> str:
    """Return ``base`` if it is an absolute http(s) IRI ending in ``/``, without ``#``.

    A ``#`` is refused because mention IRIs add ``#char=…`` to document IRIs, and
    an IRI has at most one fragment.
    """
    try:
        parts = urlsplit(base)
    except ValueError as exc:  # e.g. "Invalid IPv6 URL"
        raise KgError(f"base IRI is not a valid IRI ({exc}): {base!r}") from exc
    if parts.scheme not in {"http", "https"} or not parts.netloc or not base.endswith("/"):
        raise KgError(f"base IRI must be an absolute http(s) IRI ending in '/': {base!r}")
    if "#" in base:
        raise KgError(f"base IRI must not contain '#' (mention IRIs add '#char=...'): {base!r}")
    if any(ch in base for ch in ' <>"{}|\\^`') or any(ord(ch) < 0x21 for ch in base):
        raise KgError(f"base IRI contains characters not allowed in an IRI: {base!r}")
    from pyoxigraph import NamedNode  # the store's own IRI check: DEL, bad host or %-escape, ...

    try:
        NamedNode(base)
    except ValueError as exc:
        raise KgError(f"base IRI is not a valid IRI ({exc}): {base!r}") from exc
    return base


class IriMinter:
    """Mints every instance IRI from a base."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = check_base(base)

    def document(self, doc_id: str) -> str:
        return f"{self.base}doc/{quote(doc_id, safe=_SAFE)}"

    def mention(self, doc_id: str, start: int, stop: int) -> str:
        return f"{self.document(doc_id)}#char={start},{stop}"

    def entity(self, kind: Kind, key: str) -> str:
        group = _GROUP[kind]
        name = slug(key)
        tail = digest(group, key)
        return f"{self.base}{group}/{name}-{tail}" if name else f"{self.base}{group}/{tail}"

    def post(self, holder_key: str, title: str, post_in_key: str | None) -> str:
        return f"{self.base}post/{slug(title)}-{digest(holder_key, title, post_in_key or '')}"

    def statement(self, doc_id: str, subject: str, predicate: str, obj: str) -> str:
        """IRI of the reading of one triple (``rdf:Statement``) in document ``doc_id``: subject and
        object IRIs, the predicate named by a stable word (a cluster role)."""
        return f"{self.base}link/{digest('link', doc_id, subject, predicate, obj)}"

    def fact(self, kind: str, doc_id: str, start: int, label: str) -> str:
        """IRI of an agreement or event read at ``start`` of document ``doc_id``."""
        return f"{self.base}{kind}/{slug(label)}-{digest(kind, doc_id, str(start), label)}"
