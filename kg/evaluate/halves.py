"""The fixed halves of a development set: A (read while writing rules) and B (held out).

A document's half follows from its identifier alone, so it never changes when documents
are added, removed or reordered: the SHA-256 digest of the identifier's UTF-8 bytes, read
as a big-endian integer, is even for half A and odd for half B. The identifier is the
record's ``id`` for JSONL gold and the book's file stem (``book_100``) for factRuEval.

>>> half_of("pages-001"), half_of("book_100")
('B', 'A')
"""

from __future__ import annotations

import hashlib
from typing import Literal

Half = Literal["A", "B"]
HALVES: tuple[Half, ...] = ("A", "B")
RULE = "SHA-256 of the identifier (UTF-8) even -> A, odd -> B"


def half_of(identifier: str) -> Half:
    """``"A"`` or ``"B"``: the half that ``identifier`` belongs to."""
    digest = hashlib.sha256(identifier.encode("utf-8")).digest()
    return "A" if digest[-1] % 2 == 0 else "B"


def in_half(identifier: str, half: Half | None) -> bool:
    """True when no half is asked for, or ``identifier`` lies in ``half``."""
    return half is None or half_of(identifier) == half
