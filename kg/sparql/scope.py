"""Which subqueries a bound parameter may also constrain, for an endpoint that gets text only.

A remote query gets its parameters as a FILTER at the end of its outermost WHERE group
(``kg.sparql.bind.with_values``). A subquery is evaluated before that filter: a
``{ SELECT DISTINCT ?subject ?doc WHERE { GRAPH ?doc { ?subject ?p ?o } } }`` reads every
subject of the store, and Oxigraph cannot turn the final FILTER into a lookup. So the
parameter is also joined, as a one-row ``VALUES`` block, into each subquery where that
gives the same answers:

- the subquery projects the variable plainly (``?v``, not ``(… AS ?v)``), and so does every
  subquery around it: only then is its ``?v`` the query's ``?v``;
- every row of the subquery binds it (a triple pattern outside OPTIONAL, FILTER, BIND, VALUES;
  or a group, subquery or UNION of which every branch does): then each answer that uses a row
  of it has ``?v`` equal to that row's, and the rows dropped are those the final filter drops;
- none of these subqueries has a LIMIT or OFFSET (which would pick other rows), and none is
  inside MINUS, EXISTS or SERVICE (which compare rows without joining them).

>>> from kg.sparql.terms import Term
>>> text = "SELECT ?s ?n WHERE { ?s ?p ?o { SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?q ?x } GROUP BY ?s } }"
>>> print(constrain_subqueries(text, {"s": Term("uri", "https://x/a")}))
SELECT ?s ?n WHERE { ?s ?p ?o { SELECT ?s (COUNT(*) AS ?n) WHERE { VALUES ?s { <https://x/a> } ?s ?q ?x } GROUP BY ?s } }
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from kg.sparql.syntax import code_only
from kg.sparql.terms import Term


@dataclass
class _Group:
    start: int  # offset of "{"
    end: int  # offset of "}"
    children: list[_Group] = field(default_factory=list)


def constrain_subqueries(text: str, terms: Mapping[str, Term]) -> str:
    """``text`` with ``VALUES`` blocks binding ``terms`` in the subqueries where that is exact
    (module docstring); the text is unchanged elsewhere and no line break is added."""
    code = code_only(text)
    roots = _tree(code)
    if not roots or not terms:
        return text
    inserts: list[tuple[int, tuple[str, ...]]] = []
    _visit(code, roots[-1], set(terms), inserts)
    for at, names in sorted(inserts, reverse=True):
        block = _values({name: terms[name] for name in names})
        text = f"{text[:at]} {block}{text[at:]}"
    return text


# The LIMIT ``detach_subqueries`` gives a subquery: far above any answer a server returns.
DETACHED_LIMIT = 100_000_000


def detach_subqueries(text: str, limit: int = DETACHED_LIMIT) -> str:
    """``text`` with ``LIMIT limit`` on each ``DISTINCT`` or grouped subquery that is joined to
    other patterns and has no LIMIT, OFFSET or ORDER BY: a subquery with a LIMIT takes no
    bindings from the rest of the query, so a server evaluates it on its own.

    Virtuoso 7.2 evaluates such a subquery for a batch of rows of the patterns it is joined
    to, with their keys bound, and drops some rows when a key repeats across the batch: an
    organisation that is a member and an initiator of one cluster lost its initiator rows
    in ``cluster-members`` (queries/README.md rule 18). The answers are the same: no subquery
    of ours comes near ``limit`` rows. A subquery joined to nothing (alone in the query's
    WHERE group, or in a plain subquery that is) is left as it is, and so is every other one.

    >>> print(detach_subqueries("SELECT * WHERE { ?s ?p ?o { SELECT DISTINCT ?s WHERE { ?s ?q ?x } } }"))
    SELECT * WHERE { ?s ?p ?o { SELECT DISTINCT ?s WHERE { ?s ?q ?x } LIMIT 100000000 } }
    >>> print(detach_subqueries("SELECT * WHERE { { SELECT DISTINCT ?s WHERE { ?s ?q ?x } } FILTER(?s != ?x) }"))
    SELECT * WHERE { { SELECT DISTINCT ?s WHERE { ?s ?q ?x } } FILTER(?s != ?x) }
    """
    code = code_only(text)
    roots = _tree(code)
    if not roots:
        return text
    inserts: list[int] = []
    _detach(code, text, roots[-1], False, inserts)
    for at in sorted(inserts, reverse=True):
        text = f"{text[:at].rstrip(' ')} LIMIT {limit} {text[at:].lstrip(' ')}"
    return text


_AGGREGATE = re.compile(r"\b(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", re.I)
_SLICED = re.compile(r"\b(LIMIT|OFFSET|ORDER\s+BY)\b", re.I)
_MEMBER = re.compile(r"[?$]\w|\b[A-Za-z][\w.-]*:|\bVALUES\b", re.I)
_IRI = "\x00"
_OPTIONAL_BEFORE = re.compile(r"\bOPTIONAL\s*$", re.I)


def _detach(code: str, text: str, group: _Group, joined: bool, inserts: list[int]) -> None:
    """Detach the subqueries under ``group``; ``joined``: whether the group itself is joined
    to other patterns (then so is each of its members)."""
    for child in group.children:
        kind = _kind(code, child)
        if kind == "skip":
            continue
        # A LIMIT on a grouped subquery alone in an OPTIONAL lost every row on Virtuoso 7.2
        # (clusters-per-year): what an OPTIONAL holds is left as it is.
        child_joined = (joined or _has_other_members(code, text, group, child)) \
            and not _OPTIONAL_BEFORE.search(code[: child.start])
        if kind != "subquery":
            _detach(code, text, child, child_joined, inserts)
            continue
        where = _where(child)
        if where is None:
            continue
        head = code[child.start + 1: where.start]
        tail = code[where.end + 1: child.end]
        sliced = bool(_SLICED.search(tail))
        merges = bool(re.search(r"\b(DISTINCT|REDUCED)\b", head, re.I) or re.search(r"\bGROUP\s+BY\b", tail, re.I)
                      or _AGGREGATE.search(head) or _AGGREGATE.search(tail))
        if merges and child_joined and not sliced:
            values = re.search(r"\bVALUES\b", tail, re.I)
            inserts.append(where.end + 1 + values.start() if values else child.end)
        # A subquery evaluated on its own joins its insides to nothing outside it.
        _detach(code, text, where, child_joined and not (merges or sliced), inserts)


def _has_other_members(code: str, text: str, group: _Group, member: _Group) -> bool:
    """Whether ``group`` joins ``member`` to something: another group (plain, GRAPH, OPTIONAL,
    UNION, a subquery) or a triple pattern or VALUES block; FILTER and BIND join nothing."""
    if any(other is not member and _kind(code, other) != "skip" for other in group.children):
        return True
    # IRIs are blanked in ``code``: mark each (a ``<`` of the text where the code is blank).
    flat = [_IRI if text[i] == "<" and code[i] == " " else code[i] for i in range(group.start + 1, group.end)]
    for child in group.children:
        flat[child.start - group.start - 1: child.end - group.start] = " " * (child.end - child.start + 1)
    top = _without_parens("".join(flat))
    return bool(_MEMBER.search(top) or _IRI in top)


def _values(terms: Mapping[str, Term]) -> str:
    if len(terms) == 1:
        (name, term), = terms.items()
        return f"VALUES ?{name} {{ {term.n3()} }}"
    names = " ".join(f"?{name}" for name in terms)
    return f"VALUES ({names}) {{ ({' '.join(term.n3() for term in terms.values())}) }}"


def _tree(code: str) -> list[_Group]:
    """The ``{ … }`` groups of ``code`` (comments, strings and IRIs already blanked), nested."""
    roots: list[_Group] = []
    stack: list[_Group] = []
    for match in re.finditer(r"[{}]", code):
        if match.group() == "{":
            stack.append(_Group(match.start(), -1))
        elif stack:
            group = stack.pop()
            group.end = match.start()
            (stack[-1].children if stack else roots).append(group)
    return roots


_SELECT = re.compile(r"\s*SELECT\b", re.I)
_SKIP = re.compile(r"(\bMINUS|\bEXISTS|\bSERVICE\s+(SILENT\s+)?\S*|\bVALUES\s*(\?\w+|\$\w+|\([^)]*\)))\s*$", re.I)
_OPTIONAL = re.compile(r"(\bOPTIONAL|\bUNION)\s*$", re.I)
_GRAPH = re.compile(r"\bGRAPH\s*([?$]\w+|[\w-]*:[\w.-]*)?\s*$", re.I)
_UNION_AFTER = re.compile(r"\s*UNION\b", re.I)
_LIMIT = re.compile(r"\b(LIMIT|OFFSET)\b", re.I)


def _kind(code: str, group: _Group) -> str:
    """How a group is joined to its parent: subquery, skip (MINUS, EXISTS, SERVICE, VALUES data),
    optional (OPTIONAL or a UNION branch) or mandatory (plain or GRAPH)."""
    before = code[: group.start]
    if _SKIP.search(before):
        return "skip"
    if _SELECT.match(code, group.start + 1):
        return "subquery"
    return "optional" if _optional(code, group) else "mandatory"


def _optional(code: str, group: _Group) -> bool:
    return bool(_OPTIONAL.search(code[: group.start]) or _UNION_AFTER.match(code, group.end + 1))


def _visit(code: str, group: _Group, names: set[str], inserts: list[tuple[int, tuple[str, ...]]]) -> None:
    """Constrain the subqueries under ``group`` (a WHERE group where ``names`` are the query's)."""
    for child in group.children:
        kind = _kind(code, child)
        if kind == "skip":
            continue
        if kind != "subquery":
            _visit(code, child, names, inserts)
            continue
        where = _where(child)
        if where is None or _LIMIT.search(code[where.end + 1: child.end]):
            continue
        inner = {name for name in names if name in _projected(code, child, where)
                 and not re.search(rf"\bAS\s*[?$]{name}\b", code[child.start: child.end], re.I)}
        bound = {name for name in inner if _binds(code, where, name)}
        if bound:
            inserts.append((where.start + 1, tuple(sorted(bound))))
        if inner:
            _visit(code, where, inner, inserts)


def _where(subquery: _Group) -> _Group | None:
    return subquery.children[0] if subquery.children else None


def _projected(code: str, subquery: _Group, where: _Group) -> set[str]:
    """The variables a subquery projects plainly (not ``(expr AS ?v)``; none for ``*``)."""
    head = _without_parens(code[subquery.start + 1: where.start])
    return {m.group(1) for m in re.finditer(r"[?$](\w+)", head)}


def _binds(code: str, group: _Group, name: str) -> bool:
    """Whether every solution of ``group`` binds ``?name`` (a conservative yes)."""
    flat = list(code[group.start + 1: group.end])
    for child in group.children:
        flat[child.start - group.start - 1: child.end - group.start] = " " * (child.end - child.start + 1)
    top = re.sub(r"\bVALUES\s*[?$]\w+", " ", _without_parens("".join(flat)), flags=re.I)
    if re.search(rf"[?$]{name}\b", top):
        return True
    branches: list[_Group] = []  # the UNION being read: every branch must bind it
    for child in group.children:
        kind = _kind(code, child)
        if kind == "skip":
            continue
        joined = _UNION_AFTER.match(code, child.end + 1)
        if branches or joined:
            branches.append(child)
            if not joined:
                if all(_member_binds(code, branch, name) for branch in branches):
                    return True
                branches = []
            continue
        if kind != "optional" and _member_binds(code, child, name):
            return True
    return False


def _member_binds(code: str, group: _Group, name: str) -> bool:
    """Whether a group joined to its parent (plain, GRAPH, a UNION branch, a subquery) binds ``?name``."""
    if not _SELECT.match(code, group.start + 1):
        return _binds(code, group, name)
    where = _where(group)
    return where is not None and name in _projected(code, group, where) and _binds(code, where, name)


def _without_parens(text: str) -> str:
    """``text`` with every balanced ``( … )`` removed (expressions: FILTER, BIND, ``AS``)."""
    while True:
        stripped = re.sub(r"\([^()]*\)", " ", text)
        if stripped == text:
            return text
        text = stripped
