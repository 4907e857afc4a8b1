"""String coreference: later bare surnames and one-word organisation names NER did not tag."""

from __future__ import annotations

import re

import pymorphy2

from kg.extract.context import Context
from kg.extract.morph import Morph
from kg.model import Kind

_ORGS = {Kind.ORGANIZATION, Kind.COMPANY, Kind.AUTHORITY}


def propagate(ctx: Context, morph: Morph) -> None:
    """Give known persons and one-word organisations a mention at each later untagged occurrence."""
    surnames: dict[str, str] = {}
    names: dict[str, str] = {}
    for builder in list(ctx.entities.values()):
        words = builder.label.split()
        if builder.kind == Kind.PERSON and len(words) >= 2 and len(words[-1]) >= 4 and words[-1][:1].isupper():
            surnames.setdefault(words[-1].lower(), builder.id)
        elif builder.kind in _ORGS and len(words) == 1 and len(words[0]) >= 4 and words[0][:1].isupper():
            if not _common_word(morph, words[0]):  # «Центр», «Энергия» also occur as plain words
                names.setdefault(words[0], builder.id)
    if not surnames and not names:
        return
    for token in ctx.tokens:
        word = token.text
        if len(word) < 4 or not word[:1].isupper() or not word.replace("-", "").isalpha():
            continue
        target = names.get(word) or _surname(surnames, word.lower())
        if target is None or ctx.covered(token.start, token.stop) is not None:
            continue
        ctx.mention(target, token.start, token.stop)


def _common_word(morph: Morph, word: str) -> bool:
    parses = morph.parses(word.lower())
    return bool(parses) and parses[0].score > 0.1 and "Orgn" not in parses[0].tag and any(
        p.normal_form == word.lower() or p.tag.POS in ("NOUN", "ADJF") for p in parses[:1]
    ) and bool(pymorphy2.MorphAnalyzer.word_is_known(morph.analyzer, word.lower()))


def _surname(surnames: dict[str, str], word: str) -> str | None:
    """«Топалова» is «Топалов»: the surname plus a case ending of at most three letters."""
    found = surnames.get(word)
    if found is not None:
        return found
    for surname, entity in surnames.items():
        if word.startswith(surname) and len(word) - len(surname) <= 3 and re.fullmatch(r"[а-яё]*", word[len(surname):]):
            return entity
        stem = surname[:-1]
        if surname[-1] in "аяй" and word.startswith(stem) and len(word) - len(stem) <= 3:
            return entity
    return None
