"""Checks a SPARQL query must pass before it reaches the engine.

Oxigraph parses and evaluates recursively: a query ~3,000 groups deep (10 KB of
``{``), 3,000 ``BIND``s or ``MINUS`` blocks, or 10,000 ``+`` or ``||`` overflows the
stack and the process aborts (a server with it). ``SERVICE`` makes the engine
call any URL the query names (a read-only endpoint turned into a web client).
``check_query`` reads the query's tokens, outside strings, IRIs and comments, and
refuses:

- text longer than ``Limits.max_chars`` (1,000,000 characters);
- brackets ``{ ( [`` nested deeper than ``Limits.max_depth`` (64);
- more than ``Limits.max_operators`` (1,500) keywords, operators, ``.``/``;`` and
  opening brackets in all: each can add a level to the engine's expression and
  pattern trees, and the limit stays at half of the smallest count measured to
  crash it. Terms and commas do not count, nor anything inside a ``VALUES`` block,
  so ``VALUES`` and ``IN`` lists of any length pass;
- ``SERVICE`` unless federation was allowed.

>>> check_query("SELECT * WHERE { ?s ?p ?o }")
>>> check_query("SELECT * WHERE " + "{" * 100 + "}" * 100)
Traceback (most recent call last):
...
kg.errors.QueryRefused: brackets nested 65 deep (the limit is 64)
>>> check_query('SELECT * WHERE { SERVICE <http://127.0.0.1/x> { ?s ?p "SERVICE" } }')
Traceback (most recent call last):
...
kg.errors.QueryRefused: SERVICE (federated query) at 1:18 is off (--allow-service turns it on)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.errors import QueryRefused


@dataclass(frozen=True, slots=True)
class Limits:
    """What a query may be: its size, bracket depth, operator count, and whether it may federate."""

    max_chars: int = 1_000_000
    max_depth: int = 64
    max_operators: int = 1500
    allow_service: bool = False


DEFAULT_LIMITS = Limits()

# One token per match, tried in this order at each position (strings before IRIs before
# comments: a '#' inside an IRI or a string starts no comment).
_TOKEN = re.compile(
    r"""
      (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
               |\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'
               |"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<comment>\#[^\n\r]*)
    | (?P<space>\s+)
    | (?P<var>[?$][\w\u00b7-\uffff]+)
    | (?P<name>(?:[A-Za-z\u00c0-\uffff][\w.\-\u00b7-\uffff]*)?:(?:[\w.\-:%\u00b7-\uffff]|\\.)*
               |_:[\w.\-\u00b7-\uffff]+
               |@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<word>[A-Za-z_][\w]*)
    | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
    | (?P<operator>\|\||&&|!=|<=|>=|\^\^|[{(\[!=<>+\-*/|^.;])
    | (?P<other>.)
    """,
    re.X | re.S,
)
_OPEN = {"{": "}", "(": ")", "[": "]"}
_CLOSE = set(_OPEN.values())
# Words that name no node of the query tree: literal values and the rdf:type shorthand.
_TERM_WORDS = {"a", "true", "false"}


def check_query(text: str, limits: Limits = DEFAULT_LIMITS, where: str = "") -> None:
    """Raise QueryRefused when ``text`` is too large, too deep, too long a chain, or federates.

    ``where`` (the query's file or name) starts the message. Says nothing about
    whether the query parses: the engine reports that.
    """
    try:
        _check(text, limits)
    except QueryRefused as exc:
        if where:
            raise QueryRefused(f"{where}: {exc}") from None
        raise


def _check(text: str, limits: Limits) -> None:
    if len(text) > limits.max_chars:
        raise QueryRefused(f"the query has {len(text):,} characters (the limit is {limits.max_chars:,})")
    depth = operators = 0
    values_at = 0  # depth of the VALUES block being read (its data counts as terms), else 0
    values_next = False
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        value = match.group()
        if kind == "operator" or kind == "word":
            if kind == "word" and value.lower() in _TERM_WORDS:
                continue
            if not values_at:
                operators += 1
            if operators > limits.max_operators:
                raise QueryRefused(f"the query has more than {limits.max_operators:,} keywords and "
                                   "operators; split it or use VALUES for long lists")
            if value in _OPEN:
                depth += 1
                if depth > limits.max_depth:
                    raise QueryRefused(f"brackets nested {depth} deep (the limit is {limits.max_depth})")
                if values_next and value == "{":
                    values_at, values_next = depth, False
            elif kind == "word" and value.upper() == "VALUES":
                values_next = True
            elif kind == "word" and value.upper() == "SERVICE" and not limits.allow_service:
                line, column = _position(text, match.start())
                raise QueryRefused(f"SERVICE (federated query) at {line}:{column} is off "
                                   "(--allow-service turns it on)")
        elif value in _CLOSE:
            if depth == values_at:
                values_at = 0
            depth = max(0, depth - 1)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
