"""Characters no RDF serialisation can carry everywhere, replaced as records are read.

XML 1.0 (RDF/XML, and every XML-based tool downstream) forbids the C0 control
characters but tab, line feed and carriage return, and U+FFFE/U+FFFF; UTF-8 cannot
encode a lone surrogate (``"\\ud800"`` in a JSON string), which made the whole
build fail. Each such character is replaced by U+FFFD, one for one, so every
offset into the text stays what it was, and the record is kept with a warning.

>>> repair("a\\x00b\\ud800c")
('a\\ufffdb\\ufffdc', 2, 1)
>>> repair("clean text\\n")
('clean text\\n', 0, -1)
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def repair(text: str) -> tuple[str, int, int]:
    """``text`` with each bad character replaced, how many there were, and where the first was (-1: none)."""
    first = _BAD.search(text)
    if first is None:
        return text, 0, -1
    repaired, count = _BAD.subn(REPLACEMENT, text)
    return repaired, count, first.start()


def describe(field: str, count: int, first: int, char: str) -> str:
    """The warning for a field that was repaired."""
    which = f"U+{ord(char):04X}"
    many = f"{count} characters" if count > 1 else "a character"
    return (f"'{field}' has {many} RDF/XML cannot hold (the first, {which}, at offset {first}); "
            f"replaced by U+FFFD, record kept")


def repair_field(field: str, value: str, warnings: list[str]) -> str:
    """``value`` repaired; a warning naming ``field`` is appended when anything changed."""
    repaired, count, first = repair(value)
    if count:
        warnings.append(describe(field, count, first, value[first]))
    return repaired
