"""pymorphy2 helpers: cached lemmas and (memoised) inflection of phrases to the nominative."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import pymorphy2

_WORD = re.compile(r"[А-ЯЁа-яёA-Za-z0-9]+(?:-[А-ЯЁа-яёA-Za-z0-9]+)*|\S")
_CASES = {"nomn", "gent", "datv", "accs", "ablt", "loct", "voct", "gen2", "acc2", "loc2"}


class Morph:
    """One pymorphy2 analyser with caches; built once per Extractor."""

    def __init__(self, analyzer: pymorphy2.MorphAnalyzer) -> None:
        # natasha's MorphVocab is a MorphAnalyzer subclass that works on Python 3.11+;
        # its own parse() returns natasha forms, so call the base class method.
        self.analyzer = analyzer
        self.lemmas = lru_cache(maxsize=200_000)(self._lemmas)
        self.parses = lru_cache(maxsize=200_000)(self._parses)
        # a pure function of its arguments (cached parses, pymorphy2 inflection): memoised as is
        self._nominative = lru_cache(maxsize=100_000)(self._nominative_phrase)

    def _parses(self, word: str) -> tuple[Any, ...]:
        return tuple(pymorphy2.MorphAnalyzer.parse(self.analyzer, word))

    def _lemmas(self, word: str) -> frozenset[str]:
        low = word.lower().replace("ё", "е")
        forms = {p.normal_form.replace("ё", "е") for p in self.parses(low)}
        forms.add(low)
        return frozenset(forms)

    def inflect(self, parse: Any, grammemes: set[str]) -> Any:
        forms = pymorphy2.MorphAnalyzer._inflect(self.analyzer, parse, frozenset(grammemes))
        return forms[0] if forms else None

    def lemma(self, word: str) -> str:
        parses = self.parses(word.lower())
        return parses[0].normal_form.replace("ё", "е") if parses else word.lower()

    def is_case(self, word: str, case: str) -> bool:
        return any(case in p.tag for p in self.parses(word.lower()))

    def has_tag(self, word: str, tag: str) -> bool:
        return any(tag in p.tag for p in self.parses(word.lower()))

    def nominative_phrase(self, text: str, head_only: bool = True) -> str:
        """Put the head group of a noun phrase (adjectives + first noun) in the nominative.

        «заместителя Председателя Правительства» -> «заместитель Председателя Правительства»;
        «генерального директора» -> «генеральный директор». Words after the head noun
        (genitive dependents) stay as they are.
        """
        return self._nominative(text, head_only)

    def _nominative_phrase(self, text: str, head_only: bool) -> str:
        tokens = [m for m in _WORD.finditer(text)]
        if not tokens:
            return text
        out: list[str] = []
        last = 0
        noun_seen = False
        case: str | None = None
        gender: str | None = None
        number = "sing"
        head_index = None
        adjective_forms: set[tuple[str | None, str | None]] | None = None
        for index, match in enumerate(tokens):
            word = match.group(0)
            if not re.match(r"[А-ЯЁа-яё]", word):
                continue
            parses = self.parses(word.lower())
            # agree with the adjectives before the noun: «Передовые инженерные школы» is already nominative
            agreeing = [p for p in parses if p.tag.POS == "NOUN" and (p.tag.case, p.tag.number) in (adjective_forms or ())]
            noun = agreeing[0] if agreeing else None
            if noun is None:
                noun = next((p for p in parses if p.tag.POS == "NOUN" and p.tag.case != "nomn"), None)
            if noun is None:
                noun = next((p for p in parses if p.tag.POS == "NOUN"), None)
            if parses and parses[0].tag.POS in ("ADJF", "PRTF"):
                forms = {(p.tag.case, p.tag.number) for p in parses if p.tag.POS in ("ADJF", "PRTF")}
                adjective_forms = forms if adjective_forms is None else (adjective_forms & forms) or forms
            if noun is not None and not any(p.tag.POS in ("ADJF", "PRTF") for p in parses[:1]):
                head_index = index
                case = noun.tag.case
                gender = noun.tag.gender
                number = noun.tag.number or "sing"
                break
        if head_index is None:
            return text
        for index, match in enumerate(tokens):
            word = match.group(0)
            out.append(text[last:match.start()])
            last = match.end()
            if noun_seen or index > head_index or not re.match(r"[А-ЯЁа-яё]", word):
                out.append(word)
                continue
            out.append(self._inflect(word, case, gender, number, index == head_index))
            if index == head_index:
                noun_seen = True
        out.append(text[last:])
        return "".join(out)

    def _inflect(self, word: str, case: str | None, gender: str | None, number: str, is_noun: bool) -> str:
        if case in (None, "nomn"):
            return word
        parses = self.parses(word.lower())
        wanted = ("NOUN",) if is_noun else ("ADJF", "PRTF", "NUMR")
        for parse in parses:
            if parse.tag.POS in wanted and parse.tag.case == case:
                grammemes = {"nomn", number}
                if not is_noun and number == "sing" and gender:
                    grammemes.add(gender)
                form = self.inflect(parse, grammemes) or self.inflect(parse, {"nomn"})
                if form is not None:
                    return _match_case(word, form.word)
        return word


def _match_case(original: str, new: str) -> str:
    if original.isupper() and len(original) > 1:
        return new.upper()
    return "".join(n.upper() if i < len(original) and original[i].isupper() else n for i, n in enumerate(new))


def words(text: str) -> list[str]:
    return [m.group(0) for m in _WORD.finditer(text)]
