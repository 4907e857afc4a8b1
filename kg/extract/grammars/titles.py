"""Words that belong to a title beyond its head nouns.

- ``field_end``: the field of a post after «по» — «министр по делам разведки», «секретарь по
  вопросам прав человека», «директор по стратегии и развитию бизнеса»: «по» and the lower-case
  noun group after it (adjectives and nouns, joined by «и»), up to a name, a comma or any other word.
- ``joined_modifiers``: «чрезвычайный и полномочный посол» — two title modifiers joined by «и».
- ``acting_prefix``: «исполняющий обязанности» (and «временно исполняющий обязанности») before a title.
"""

from __future__ import annotations

from kg.extract.context import Context
from kg.extract.morph import Morph

_NOMINAL = ("NOUN", "ADJF", "PRTF")


def field_end(ctx: Context, morph: Morph, index: int, end: int) -> int:
    """Token index after the «по …» field that starts at token ``index``; ``index`` when there is none."""
    tokens = ctx.tokens
    if index >= end or tokens[index].text.lower() != "по":
        return index
    at, nouns = index + 1, 0
    while at < end:
        word = tokens[at].text
        if word == "и" and at > index + 1 and at + 1 < end and tokens[at + 1].text[:1].islower():
            at += 1
            continue
        if not (word[:1].islower() and word.replace("-", "").isalpha()):
            break
        if ctx.covered(tokens[at].start, tokens[at].stop) is not None:
            break
        parses = morph.parses(word.lower())
        if not parses or parses[0].tag.POS not in _NOMINAL:
            break
        nouns += parses[0].tag.POS == "NOUN"
        at += 1
    while at > index + 1 and tokens[at - 1].text == "и":
        at -= 1
    return at if nouns else index


def joined_modifiers(tokens: list, index: int, role: object) -> bool:  # type: ignore[type-arg]
    """Whether the «и» at token ``index`` joins two title modifiers («чрезвычайный и полномочный»);
    ``role`` maps a word to its title role (head, mod, prefix, body or None)."""
    if tokens[index].text != "и" or index == 0 or index + 1 >= len(tokens):
        return False
    return role(tokens[index - 1].text) == "mod" and role(tokens[index + 1].text) in ("mod", "head")  # type: ignore[operator]


def acting_prefix(tokens: list, first: int) -> int:  # type: ignore[type-arg]
    """Number of tokens of «[временно] исполняющий обязанности» at token ``first`` (0 when none)."""
    words = [t.text.lower() for t in tokens[first:first + 3]]
    if len(words) >= 2 and words[0].startswith("исполняющ") and words[1] == "обязанности":
        return 2
    if len(words) == 3 and words[0] == "временно" and words[1].startswith("исполняющ") and words[2] == "обязанности":
        return 3
    return 0
