"""The text of a SPARQL query: the project's prefixes predefined, and parser errors made one readable line.

>>> undeclared_prefixes('SELECT * WHERE { ?s foo:bar "a:b" ; <x:y> ckg:z } # c:d', STANDARD_PREFIXES)
['foo']
>>> print(with_prefixes("SELECT * WHERE { ?s rdfs:label ?o }", {"rdfs": "http://www.w3.org/2000/01/rdf-schema#"}))
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT * WHERE { ?s rdfs:label ?o }
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from kg.sparql.terms import STANDARD_PREFIXES

_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.I)
# A prefixed name: PN_PREFIX? ':' not inside a variable, a longer name, a string, an IRI or a comment.
_PREFIXED = re.compile(r"(?<![\w?$.:-])([A-Za-z][\w.-]*[\w-]|[A-Za-z])?:")
_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_WORDS = re.compile(r'"(?:[^"\\]|\\.)*"|\b[A-Za-z][A-Za-z]*\b')


def code_only(text: str) -> str:
    """``text`` with comments, strings and IRIs blanked (offsets and line breaks kept)."""
    return _scan(text)[0]


def _scan(text: str) -> tuple[str, int | None]:
    """``code_only``'s text, and the offset of a string left open at the end (or None)."""
    out = list(text)
    open_at: int | None = None
    i, n = 0, len(text)

    def blank(start: int, stop: int) -> None:
        for k in range(start, min(stop, n)):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
            blank(i, end)
            i = end
        elif ch in "\"'":
            quote = ch * 3 if text.startswith(ch * 3, i) else ch
            j = i + len(quote)
            while j < n and not text.startswith(quote, j) and (len(quote) == 3 or text[j] != "\n"):
                j += 2 if text[j] == "\\" else 1
            if not text.startswith(quote, j):
                open_at = i if open_at is None else open_at
            blank(i, j + len(quote))
            i = j + len(quote)
        elif ch == "<" and (match := _IRI.match(text, i)):
            blank(i, match.end())
            i = match.end()
        else:
            i += 1
    return "".join(out), open_at


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def declared_prefixes(text: str) -> set[str]:
    return {m.group(1) or "" for m in _DECLARED.finditer(code_only(text))}


def undeclared_prefixes(text: str, known: Mapping[str, str] | None = None) -> list[str]:
    """Prefixes the query uses but neither declares nor finds in ``known`` (blank nodes ``_:`` aside)."""
    code = code_only(text)
    declared = declared_prefixes(text)
    known = {} if known is None else known
    used = [m.group(1) or "" for m in _PREFIXED.finditer(code)]
    return [p for p in dict.fromkeys(used) if p not in declared and p not in known and p != "_"]


def missing_prefixes(text: str, known: Mapping[str, str] = STANDARD_PREFIXES) -> dict[str, str]:
    """The ``known`` prefixes the query does not declare itself (what ``with_prefixes`` adds)."""
    declared = declared_prefixes(text)
    return {p: iri for p, iri in known.items() if p not in declared}


def with_prefixes(text: str, prefixes: Mapping[str, str]) -> str:
    """The query with ``prefixes`` declared in front of it, on its first line (line numbers unchanged)."""
    if not prefixes:
        return text
    return " ".join(f"PREFIX {p}: <{iri}>" for p, iri in prefixes.items()) + " " + text


def prefix_error(text: str, known: Mapping[str, str] = STANDARD_PREFIXES) -> str | None:
    """``line:column: undefined prefix 'foo:' …`` for the first prefix used and declared nowhere
    (or ``line:column: unterminated string``)."""
    code, open_at = _scan(text)
    if open_at is not None:
        return f"{_position(text, open_at)}: a string opened here is not closed"
    missing = undeclared_prefixes(text, known)
    if not missing:
        return None
    for match in _PREFIXED.finditer(code):
        if (match.group(1) or "") == missing[0]:
            names = ", ".join(sorted(p for p in known if p))
            return (f"{_position(text, match.start())}: undefined prefix '{missing[0]}:'; declare it with PREFIX "
                    f"{missing[0]}: <…>, or use one of the prefixes kg declares for you: {names}")
    return None


def readable(message: str, text: str, line: int, column: int) -> str:
    """pyoxigraph's grammar message as one short line, with the query text where it stopped.

    The grammar lists every character class it expected (a page of Unicode ranges
    after a prefixed name); the keywords and punctuation it expected are kept.
    """
    lines = text.splitlines()
    rest = lines[line - 1][max(column - 1, 0):] if 0 < line <= len(lines) else ""
    near = " ".join(rest.split())[:30]
    at = f' near "{near}"' if near else " at the end of the query"
    body = " ".join(message.split())
    if "IRI parsing failed" in body:
        return f"invalid IRI{at}"
    if body.startswith("expected"):
        alternatives = body.partition(" one of ")[2] or body[len("expected"):]
        alternatives = re.sub(r"\[[^\]]*\]", " ", alternatives)  # character classes
        wanted = [w for w in dict.fromkeys(_WORDS.findall(alternatives)) if w not in ("not", "found", "Prefix")]
        if wanted:
            shown = ", ".join(wanted[:8]) + (", …" if len(wanted) > 8 else "")
            return f"syntax error{at}; expected {shown}"
        return f"syntax error{at}"
    return f"{body}{at}"
