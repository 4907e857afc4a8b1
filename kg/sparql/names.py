"""Entities by name: what ``kg find`` lists, and how a query parameter takes a name instead of an IRI.

A name matches whatever the graph calls an entity (its ``rdfs:label`` or any ``skos:altLabel``)
with case, ё/е, quotes and punctuation ignored, and Russian word endings too: two words match
when they share all but their last three letters (at least three of them), so «Кировской»
finds «Кировская область» and «Ольгу Сухову» finds «Ольга Сухова», while «Киров» stays the city.

Candidates are fetched with one SPARQL query (works on the workspace and on any endpoint):
the names containing a fragment of the longest word of the text, in lower and upper case
(no engine's case folding is trusted with Cyrillic); they are then ranked here:

4. the whole name, exactly (after folding);
3. the same words, inflected;
2. every word of the text among the name's words («Кировская» in «Кировская область»);
1. every word of the text begins a word of the name («Титан» in «Титановый кластер»).

Only the best rank found counts: «Титан» finds the company «Титан-Пром» (rank 2) before the
cluster «Титановый кластер» (rank 1), and a parameter given «Титан» takes the company.

>>> fold("  ООО «Вятка-Биополис»,  Киров! ")
('ооо', 'вятка', 'биополис', 'киров')
>>> rank(fold("кировской"), fold("Кировская область")), rank(fold("Киров"), fold("Кировская область"))
(2, 1)
>>> rank(fold("Ольгу Сухову"), fold("Ольга Сухова")), rank(fold("ольга сухова"), fold("Ольга Сухова"))
(3, 4)
>>> _fragment(fold("Титанового кластера")), _fragment(fold("Орлов"))
('итанов', '')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from kg.errors import KgError
from kg.sparql.catalog import Param
from kg.sparql.rows import Rows
from kg.sparql.terms import STANDARD_PREFIXES, Term, literal
from kg.vocab import CKG_NS, ENTITY_CLASS_BY_IRI, ENTITY_CLASSES, most_specific_first

_WORD = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+")
ENDING = 3  # letters a Russian ending may change
MAX_LISTED = 12  # candidates named in an ambiguity error

Run = Callable[[str], Rows]  # runs a SELECT on the workspace or endpoint being asked


class NameNotFound(KgError):
    """No entity of the wanted classes is called by this name."""


class AmbiguousName(KgError):
    """Several entities are called by this name equally well; the message lists them."""


@dataclass(frozen=True, slots=True)
class Match:
    """An entity a name matched: its IRI, canonical label, most specific class and how well (4 best)."""

    iri: str
    label: str
    cls: str
    rank: int


def fold(text: str) -> tuple[str, ...]:
    """The words of ``text``, lower case, ё as е; punctuation and quotes dropped."""
    return tuple(w.lower().replace("ё", "е") for w in _WORD.findall(text))


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    if a.isdigit() or b.isdigit() or min(len(a), len(b)) < 3:
        return False
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    return common >= 3 and common >= max(len(a), len(b)) - ENDING


def rank(words: Sequence[str], name: Sequence[str]) -> int:
    """How well ``words`` (folded) name ``name`` (folded): 4 exactly, 3 inflected, 2 in part,
    1 by the beginnings of its words, 0 not."""
    if not words:
        return 0
    if tuple(words) == tuple(name):
        return 4
    if len(words) == len(name) and all(_same_word(a, b) for a, b in zip(words, name)):
        return 3
    if all(any(_same_word(a, b) for b in name) for a in words):
        return 2
    if all(any(_same_word(a, b) or (len(a) >= 3 and b.startswith(a)) for b in name) for a in words):
        return 1
    return 0


def _fragment(words: Sequence[str]) -> str:
    """A piece of the longest word that any form of it contains: no first letter (its case),
    no ending, and no е (the graph may write ё); empty when too short to narrow anything."""
    longest = max(words, key=len)
    core = longest[1: len(longest) - ENDING]  # what every form of it within ENDING letters contains
    pieces = [p for p in core.split("е") if p]
    best = max(pieces, key=len) if pieces else ""
    return best if len(best) >= 3 else ""


def _string(text: str) -> str:
    return literal(text).n3()


def _classes_filter(classes: Iterable[str]) -> str:
    return " ".join(f"<{c}>" for c in classes)


def candidates(text: str, classes: Sequence[str], run: Run) -> list[Match]:
    """Entities of ``classes`` (class IRIs; every entity class when empty) that ``text`` names,
    best first, each once."""
    words = fold(text)
    if not words:
        raise KgError("an empty name matches nothing; give a few letters of it")
    wanted = list(classes) or [c.iri for c in ENTITY_CLASSES]
    fragment = _fragment(words)
    narrow = (f"FILTER(CONTAINS(STR(?name), {_string(fragment)}) || CONTAINS(STR(?name), {_string(fragment.upper())}))"
              if fragment else "")
    rows = run(f"""
        SELECT DISTINCT ?entity ?class ?name ?label WHERE {{
          VALUES ?class {{ {_classes_filter(wanted)} }}
          {{ SELECT DISTINCT ?entity ?name WHERE {{
              {{ ?entity rdfs:label ?name }} UNION {{ ?entity skos:altLabel ?name }} {narrow} }} }}
          ?entity a ?class .
          ?entity rdfs:label ?label .
        }}""")
    found: dict[str, tuple[int, str, set[str]]] = {}
    for entity, cls, name, label in rows:
        if entity is None or cls is None or name is None or label is None:
            continue
        score = rank(words, fold(name.value))
        if score == 0:
            continue
        best, shown, types = found.get(entity.value, (0, label.value, set()))
        types.add(cls.value)
        found[entity.value] = (max(best, score), min(shown, label.value), types)
    order = [c.iri for c in most_specific_first(ENTITY_CLASSES)]
    matches = [Match(iri, label, _short(next((c for c in order if c in types), min(types))), score)
               for iri, (score, label, types) in found.items()]
    return sorted(matches, key=lambda m: (-m.rank, m.label.casefold(), m.iri))


def _short(iri: str) -> str:
    cls = ENTITY_CLASS_BY_IRI.get(iri)
    return cls.name if cls else iri.removeprefix(CKG_NS)


def lookup(text: str, classes: Sequence[str], run: Run, *, what: str = "entity") -> Match:
    """The one entity ``text`` names best; NameNotFound, or AmbiguousName listing the candidates."""
    found = candidates(text, classes, run)
    if not found:
        raise NameNotFound(f"no {what} is called {text!r} (case, ё and word endings ignored); "
                           f"`kg find {_quote(text)}` lists what any name matches")
    best = [m for m in found if m.rank == found[0].rank]
    if len(best) > 1:
        listed = "; ".join(f"{m.label} ({m.cls}) <{m.iri}>" for m in best[:MAX_LISTED])
        more = f"; and {len(best) - MAX_LISTED} more" if len(best) > MAX_LISTED else ""
        raise AmbiguousName(f"{text!r} names {len(best)} {what}s: {listed}{more}; "
                            f"give a longer name or one of these IRIs")
    return best[0]


def _quote(text: str) -> str:
    return f'"{text}"' if re.search(r"\s", text) else text


def find_rows(text: str, classes: Sequence[str], run: Run) -> Rows:
    """``kg find``: every entity ``text`` names, one row each: IRI, label, class, match
    (exact, inflected, partial or prefix)."""
    kinds = {4: "exact", 3: "inflected", 2: "partial", 1: "prefix"}
    found = candidates(text, classes, run)
    rows = tuple((Term("uri", m.iri), literal(m.label, lang="ru"), literal(m.cls), literal(kinds[m.rank]))
                 for m in found)
    return Rows(("entity", "label", "class", "match"), rows)


def is_name(value: str, prefixes: Iterable[str]) -> bool:
    """True when a parameter value is a name rather than an IRI (``<…>``, ``scheme:…``, ``prefix:…``)."""
    text = value.strip()
    if text.startswith("<"):
        return False
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*):", text)
    if scheme and (scheme[1] in prefixes or scheme[1].lower() in ("http", "https", "urn", "mailto", "file")):
        return False  # an IRI, checked as one (a bad one is an error, not a name)
    return True


def resolve_names(params: Sequence[Param], values: Mapping[str, str | Term], run: Callable[[], Run],
                  where: str) -> dict[str, str | Term]:
    """``values`` with each name given to an ``of CLASS`` parameter replaced by its entity:
    the entity's IRI for an ``iri`` parameter, its canonical label for a ``label`` one.
    ``run()`` gives the query runner, asked for only when a name is to be looked up."""
    out = dict(values)
    runner: Run | None = None
    for param in params:
        value = out.get(param.name)
        if not param.classes or not isinstance(value, str):
            continue
        if param.type == "iri" and not is_name(value, STANDARD_PREFIXES):
            continue
        runner = runner or run()
        what = " or ".join(_short(c).lower() for c in param.classes)
        try:
            match = lookup(value, param.classes, runner, what=what)
        except KgError as exc:
            raise type(exc)(f"{where}: parameter {param.name}: {exc}") from exc
        out[param.name] = Term("uri", match.iri) if param.type == "iri" else literal(match.label, lang="ru")
    return out
