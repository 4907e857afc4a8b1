"""Title words: the positions vocabulary (``kg/data/positions.tsv``) and what a word is to a title.

``Lexicon.role`` names a word's part in a title: ``head`` («министр», «заместитель», «IT-эксперт»),
``mod`` («генеральный»), ``body`` («правление»), ``prefix`` («врио», «экс») or none; the other
methods are the morphological tests the post reader makes of title and name words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from kg.extract.context import Context, Mention
from kg.extract.morph import Morph

_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "ADVB", "INTJ", "PRED"})


@dataclass(frozen=True, slots=True)
class Vocabulary:
    heads: frozenset[str]
    mods: frozenset[str]
    domains: frozenset[str]
    bodies: frozenset[str]


def load_vocabulary() -> Vocabulary:
    heads: set[str] = set()
    mods: set[str] = set()
    domains: set[str] = set()
    bodies: set[str] = set()
    text = resources.files("kg.data").joinpath("positions.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lemma, _, role = line.partition("\t")
        {"head": heads, "mod": mods, "domain": domains, "body": bodies, "prefix": set()}[role.strip()].add(lemma.strip())
    return Vocabulary(frozenset(heads), frozenset(mods), frozenset(domains), frozenset(bodies))


class Lexicon:
    """The positions vocabulary read through one pymorphy2 analyser."""

    def __init__(self, morph: Morph, vocabulary: Vocabulary) -> None:
        self.morph = morph
        self.vocab = vocabulary

    def role(self, word: str) -> str | None:
        """The word's part in a title: "head", "mod", "body", "prefix" or None."""
        low = word.lower()
        if "-" in low and re.match(r"[a-z]", low):
            tail = low.rsplit("-", 1)[1]
            return "head" if any(lemma in self.vocab.heads for lemma in self.morph.lemmas(tail)) else None
        if not re.match(r"[А-ЯЁа-яё]", word):
            return None
        parses = self.morph.parses(low)
        if parses and parses[0].tag.POS in _FUNCTION_POS:
            return None  # «после» is no form of «посол», «при» no title
        for lemma in self.morph.lemmas(low):
            if lemma in self.vocab.heads:
                return "head"
        if "-" in low and not low.startswith("вице-"):
            tail = low.rsplit("-", 1)[1]
            if tail and any(lemma in self.vocab.heads for lemma in self.morph.lemmas(tail)):
                return "head"
        for lemma in self.morph.lemmas(low):
            if lemma in self.vocab.mods:
                return "mod"
            if lemma in self.vocab.bodies:
                return "body"
        if low in ("врио", "и.о.", "и.", "о.", "экс", "зам"):
            return "prefix"
        return None

    def is_position(self, text: str) -> bool:
        """Whether ``text`` is only position words («Министр», «IT-эксперт»), not an organisation."""
        words = [w for w in re.findall(r"[\w.-]+", text) if w]
        return bool(words) and self.role(words[-1]) == "head" and all(self.role(w) or self.genitive(w) for w in words)

    def cases(self, word: str) -> set[str]:
        return {str(p.tag.case) for p in self.morph.parses(word.lower()) if p.tag.case}

    def genitive(self, word: str) -> bool:
        if not word.isalpha() or word.lower() in ("и", "в", "на", "с", "по"):
            return False
        return any(p.tag.case in ("gent", "gen2") and p.tag.POS in ("NOUN", "ADJF", "PRTF") for p in self.morph.parses(word.lower()))

    def nominal(self, word: str) -> bool:
        if word.isdigit():
            return True
        if not word[:1].islower() or not word.replace("-", "").isalpha():
            return False
        parses = self.morph.parses(word)
        return bool(parses) and parses[0].tag.POS in ("NOUN", "ADJF", "PRTF", "NUMR")

    def plural(self, tokens: list) -> bool:  # type: ignore[type-arg]
        """«официальные представители», «сотрудники»: a plural title is not one person's post."""
        for token in tokens:
            if self.role(token.text) == "head":
                parses = [p for p in self.morph.parses(token.text.lower()) if p.tag.POS == "NOUN"]
                return bool(parses) and all(p.tag.number == "plur" for p in parses)
        return False

    def title_cases(self, tokens: list) -> set[str]:  # type: ignore[type-arg]
        for token in tokens:
            if self.role(token.text) == "head":
                return self.cases(token.text)
        return set()

    def person_cases(self, ctx: Context, person: Mention) -> set[str]:
        """Cases the person's words share; empty (no check) when a word is unknown to the dictionary."""
        words = [t.text for t in ctx.tokens[ctx.tok_at(person.start):ctx.tok_at(person.stop - 1) + 1] if t.text.isalpha()]
        if not words or any(not self.morph.analyzer.word_is_known(w.lower()) for w in words):
            return set()
        return self.cases(words[0])

    def own_phrase(self, tokens: list) -> bool:  # type: ignore[type-arg]
        """Words that make a noun phrase of their own: one of them can only be nominative («первая леди»),
        where a genitive dependent («и торговли») would hang on the title before."""
        for token in tokens:
            if token.text.isalpha() and token.text[:1].islower():
                cases = self.cases(token.text)
                if cases == {"nomn"}:
                    return True
        return False

    def head_behind(self, tokens: list, index: int, sent: int) -> bool:  # type: ignore[type-arg]
        """A head noun within two genitive words before ``index`` (same sentence)."""
        for back in range(index - 1, max(-1, index - 3), -1):
            if tokens[back].sent != sent:
                return False
            if self.role(tokens[back].text) == "head":
                return True
            if not self.genitive(tokens[back].text):
                return False
        return False
