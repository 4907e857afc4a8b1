"""Fuzzy matching of names and descriptions for the JSONL gold scorer.

A gold string may carry optional context in parentheses («министерство
промышленности (Кировской области)»): the response need not contain it, but
response words beyond the main part must come from that context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.evaluate.match import assign, close, normalise

LEGAL_FORMS = frozenset(
    "ооо оао зао пао ао нао ано нп нко фгуп фгбу фгбоу гуп муп огку ау ип гк ltd llc gmbh inc ag".split()
)
GENERIC_PREFIXES = ("государственная корпорация", "госкорпорация", "группа компаний", "компания")
STOPWORDS = frozenset("и в во на по с со о об от для при к из за а или им".split())
# kinds of settlement written before a place name: «поселок Левинцы» = «Левинцы»
PLACE_WORDS = frozenset("поселок пос село деревня дер город г станица пгт рп аул хутор".split())
_PARENS = re.compile(r"\(([^()]*)\)")
_WORD = re.compile(r"[\w-]+")
_QUOTED = re.compile(r"[«\"“„](.+)[»\"”]", re.S)
_INITIALS = re.compile(r"^(?:\w\.\s*){1,2}")


@dataclass(frozen=True, slots=True)
class Name:
    """Content words of a name: the main part and the optional parenthesised context."""

    main: tuple[str, ...]
    context: tuple[str, ...] = ()


def words(text: str) -> tuple[str, ...]:
    """Normalised content words without legal forms, quotes or stop words."""
    text = normalise(text)
    for prefix in GENERIC_PREFIXES:
        if text.startswith(prefix + " "):
            text = text[len(prefix) + 1 :]
    return tuple(
        w for w in _WORD.findall(text)
        if w not in LEGAL_FORMS and w not in STOPWORDS and w not in PLACE_WORDS and w != "-"
    )


def parse_name(text: str) -> Name:
    """``main (context)`` -> Name; parentheses may appear anywhere.

    >>> parse_name("ООО «ТатхимПласт» (Казань)")
    Name(main=('татхимпласт',), context=('казань',))
    """
    context = " ".join(_PARENS.findall(text))
    return Name(words(_PARENS.sub(" ", text)), words(context))


def word_match(a: str, b: str) -> bool:
    """Same word up to a typo or an inflected ending.

    >>> word_match("области", "область"), word_match("москва", "московская")
    (True, False)
    """
    if close(a, b):
        return True
    if min(len(a), len(b)) < 4:
        return False
    prefix = 0
    for char_a, char_b in zip(a, b):
        if char_a != char_b:
            break
        prefix += 1
    return prefix >= max(4, max(len(a), len(b)) - 3)


def _matched(left: tuple[str, ...], right: tuple[str, ...]) -> int:
    weights = [[1.0 if word_match(a, b) else 0.0 for b in right] for a in left]
    return len(assign(weights))


def name_score(gold: Name, response: str | Name) -> float:
    """0..1: matched main words / (main words + response words not in main or context).

    Response words that match the parenthesised context cost nothing.
    """
    resp = response if isinstance(response, Name) else parse_name(response)
    r_words = resp.main + resp.context
    if not gold.main or not r_words:
        return 0.0
    if close(" ".join(gold.main), " ".join(resp.main)):
        return 1.0
    matched = _matched(gold.main, r_words)
    leftover = [w for w in r_words if not any(word_match(w, g) for g in gold.main)]
    extra = len(leftover) - _matched(tuple(leftover), gold.context)
    return matched / (len(gold.main) + extra)


def variants(text: str) -> list[str]:
    """The text, and the part in its outermost quotes when it has one.

    >>> variants("биофармацевтический кластер «Вятка-Биополис»")
    ['биофармацевтический кластер «Вятка-Биополис»', 'Вятка-Биополис']
    """
    found = _QUOTED.search(text)
    inner = found.group(1).strip() if found else ""
    return [text, inner] if inner and inner != text.strip() else [text]


def names_match(gold: str, response: str, threshold: float = 0.75) -> bool:
    """Whether a response string names the gold item (either may be reduced to its quoted name).

    >>> names_match("министерство промышленности (Кировской области)", "Министерство промышленности Кировской области")
    True
    >>> names_match("министерство промышленности (Кировской области)", "Министерство промышленности и торговли РФ")
    False
    """
    return any(
        name_score(parse_name(g), r) >= threshold for g in variants(gold) for r in variants(response)
    )


def person_words(text: str) -> tuple[str, ...]:
    """Name words of a person, initials and parenthesised remarks dropped."""
    text = _INITIALS.sub("", _PARENS.sub(" ", text).strip())
    return tuple(w for w in _WORD.findall(normalise(text)) if len(w) > 1)


def person_match(gold: str, response: str) -> bool:
    """Every word of the shorter name matches a word of the longer one.

    >>> person_match("М.А. Погосян (Михаил Асланович)", "Михаил Погосян")
    True
    >>> person_match("Андрей Воробьев", "Андрей Шпиленко")
    False
    """
    g, r = person_words(gold), person_words(response)
    if not g or not r:
        return False
    short, long = (g, r) if len(g) <= len(r) else (r, g)
    return _matched(short, long) == len(short)


def title_match(gold_post: str, title: str) -> bool:
    """Every word of our post title occurs (up to inflection) in the gold post.

    >>> title_match("и. о. заместителя Председателя Правительства Кировской области", "заместитель председателя правительства")
    True
    >>> title_match("губернатор Московской области", "министр")
    False
    """
    t = words(title)
    g = words(gold_post)
    return bool(t) and _matched(t, g) == len(t)
