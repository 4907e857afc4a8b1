"""What resolution knows about names: lemmas, the regions' names and adjectives, the reference table.

Built once per process (``Lexicon.build(lemma)``) from ``kg/data/regions.csv`` and
``kg/data/organisations.csv``; ``lemma`` comes from the extractor's morphology, so
keys are built from the same analyses as the labels.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources

from kg.resolve.names import Lemma, fold, name_key
from kg.resolve.reference import Reference, load_reference

FEDERAL = "RU"  # the «region» of a federal body: «… Российской Федерации», «… РФ», «… России»
_FEDERAL_NAMES = ("российская федерация", "рф", "россия", "российский")
# adjectives that place a body in the document's region: «областное министерство», «региональное правительство»
REGIONAL_ADJECTIVES = frozenset({"областной", "краевой", "республиканский", "региональный", "окружной"})


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Lemmas, region names (as lemma keys, longest first) and region adjectives, the reference table."""

    lemma: Lemma
    region_names: tuple[tuple[str, str], ...]  # (lemma key of a region's name, ISO code)
    region_adjectives: dict[str, str]  # lemma of «калужский» -> RU-KLU
    reference: Reference = field(default_factory=Reference)
    common: Callable[[str], bool] = lambda word: False  # a common word: «Вектор», «Энергия», not «Нанолек»
    # short names of regions, as written: «РТ» -> RU-TA, «РФ» -> RU (too short for ``region_names``)
    region_abbreviations: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, lemma: Lemma | None = None, common: Callable[[str], bool] | None = None) -> Lexicon:
        lemma = lemma or _plain_lemma
        names: dict[str, str] = {}
        adjectives: dict[str, str] = {}
        abbreviations: dict[str, str] = {"РФ": FEDERAL}
        text = resources.files("kg.data").joinpath("regions.csv").read_text(encoding="utf-8")
        for row in csv.DictReader(text.splitlines()):
            iso = row["iso_3166_2"].strip()
            if not iso:
                continue
            forms = [row["official_name_ru"], row["short_name"], row["name_genitive"]]
            forms += [re.sub(r"\(.*?\)", "", a) for a in row["aliases"].split(";")]
            abbreviations.update({a.strip(): iso for a in forms if 2 <= len(a.strip()) <= 3 and a.strip().isupper()})
            for form in forms:
                key = name_key(form, lemma) if form.strip() else ""
                if key and len(key) > 2:
                    names.setdefault(key, iso)
            for adj in (row["adj_masc"], row["demonym_adj"]):
                adj = adj.split("(")[0].strip()
                if adj and " " not in adj and "неоднозначно" not in row["demonym_adj"]:
                    adjectives.setdefault(lemma(fold(adj)), iso)
        for federal in _FEDERAL_NAMES:
            names.setdefault(name_key(federal, lemma), FEDERAL)
        ordered = tuple(sorted(names.items(), key=lambda kv: (-len(kv[0]), kv[0])))
        return cls(lemma, ordered, adjectives, load_reference(lemma), common or (lambda word: False), abbreviations)

    def split_region(self, key: str) -> tuple[str, str | None]:
        """A name key without the region it ends with: «правительство кировский область» ->
        («правительство», RU-KIR); keys without one are returned whole, with None."""
        for name, iso in self.region_names:
            if key.endswith(" " + name):
                return key[: -len(name) - 1].strip(), iso
        return key, None

    def region_named(self, words: list[str]) -> str | None:
        """The region the words name whole («Томской области», «Татарстана», «РТ», «России»), or None."""
        if len(words) == 1 and words[0] in self.region_abbreviations:
            return self.region_abbreviations[words[0]]
        key = name_key(" ".join(words), self.lemma)
        return next((iso for name, iso in self.region_names if name == key), None) if key else None

    def leading_region_adjective(self, key: str) -> tuple[str, str | None]:
        """«калужский фармацевтический кластер» -> («фармацевтический кластер», RU-KLU)."""
        first, _, rest = key.partition(" ")
        iso = self.region_adjectives.get(first)
        return (rest, iso) if iso and rest else (key, None)


_PROPER = ("Orgn", "Surn", "Name", "Patr", "Geox", "Abbr", "Trad", "Init")


def common_words(morph: object) -> Callable[[str], bool]:
    """``word -> bool``: a dictionary word whose first analysis is not a proper name (pymorphy2's
    ``Orgn``, ``Surn``, ``Geox`` … grammemes), from ``kg.extract.morph.Morph``."""
    analyzer = getattr(morph, "analyzer")
    parses = getattr(morph, "parses")

    def common(word: str) -> bool:
        low = word.lower()
        found = parses(low)
        if not found or not analyzer.word_is_known(low):
            return False
        return not any(g in found[0].tag for g in _PROPER)

    return common


def _plain_lemma(word: str) -> str:
    return word.lower()


def plain_lexicon() -> Lexicon:
    """A lexicon without morphology (keys are folded words): for tests and fakes."""
    return Lexicon.build(_plain_lemma)


LemmaFactory = Callable[[], Lemma]
