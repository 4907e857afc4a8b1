"""Gazetteers of places, loaded once from kg/data and matched on token lemmas."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any, Iterator, Sequence

from kg.errors import InputError
from kg.extract.morph import Morph, words
from kg.model import Kind

_FEDERAL_CITIES = ("RU-MOW", "RU-SPE")
# adjectives of regions' popular names («Подмосковье», «Кубань») missing from regions.csv
_EXTRA_REGION_ADJECTIVES = {"подмосковный": "RU-MOS", "кубанский": "RU-KDA", "кузбасский": "RU-KEM",
                            "ямальский": "RU-YAN", "прикамский": "RU-PER", "приамурский": "RU-AMU"}
_ABBR = re.compile(r"^[A-ZА-ЯЁ]{2,5}$|^СПб$")


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    kind: Kind  # REGION, SETTLEMENT or COUNTRY
    name: str  # canonical nominative label
    key: str
    iso: str | None = None  # ISO 3166-2 (regions), alpha-2 (countries)
    region_iso: str | None = None  # settlements: the region; foreign regions: the country
    wikidata: str | None = None
    country: str | None = None  # alpha-2 of a foreign region's country


@dataclass(frozen=True, slots=True)
class Match:
    """A gazetteer hit over tokens ``[first, last]``."""

    first: int
    last: int
    place: Place


def _data_lines(name: str) -> Iterator[tuple[int, list[str]]]:
    text = resources.files("kg.data").joinpath(name).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            yield number, line.split("\t")


class Gazetteer:
    """Regions, settlements, countries; matched by lemma sequences of tokens."""

    def __init__(self, morph: Morph) -> None:
        self.morph = morph
        self._trie: dict[str, Any] = {}
        self._case_sensitive: dict[str, Place] = {}
        self.regions: dict[str, Place] = {}  # by ISO or key
        self.countries: dict[str, Place] = {}  # by alpha-2
        self.country_adjectives: dict[str, Place] = {}  # lemma -> country
        self.region_adjectives: dict[str, Place] = {}  # «калужский» -> region
        self.genitive: dict[str, str] = {}
        self.adjective_of: dict[str, str] = {}  # region key -> «калужский»  # region key -> «Калужской области»
        self._load_regions()
        for adjective, iso in _EXTRA_REGION_ADJECTIVES.items():
            if iso in self.regions:
                self.region_adjectives.setdefault(adjective, self.regions[iso])
        self._load_countries()
        self._load_foreign_regions()
        self._load_cities()
        self.adjective_prefixes = frozenset(a[:4] for a in self.country_adjectives)
        self._first = frozenset(key[:2] for key in self._trie)

    # -- loading -------------------------------------------------------------
    def _add(self, name: str, place: Place) -> None:
        tokens = words(name)
        if len(tokens) == 1 and _ABBR.match(tokens[0]):
            self._case_sensitive.setdefault(tokens[0], place)
            return
        node = self._trie
        for token in tokens:
            node = node.setdefault(self.morph.lemma(token) if token.isalpha() or "-" in token else token.lower(), {})
        node.setdefault("$", place)

    def _load_regions(self) -> None:
        path = "regions.csv"
        text = resources.files("kg.data").joinpath(path).read_text(encoding="utf-8")
        for number, row in enumerate(csv.DictReader(text.splitlines()), 2):
            try:
                name = row["official_name_ru"].strip()
                iso = row["iso_3166_2"].strip() or None
                qid = row["wikidata_qid"].strip() or None
                source = row["qid_source"].strip()
            except KeyError as exc:
                raise InputError(f"kg/data/{path}:{number}: missing column {exc}") from exc
            if qid and (not source or source.upper().startswith("UNVERIFIED")):
                qid = None
            label = name.replace(" - ", " — ")
            key = iso or f"ru:{label.lower()}"
            place = Place(Kind.REGION, label, key, iso=iso, wikidata=qid, country="RU")
            self.regions[key] = place
            self.genitive[key] = row["name_genitive"].strip().replace(" - ", " — ") or label
            forms = {name, row["short_name"].strip(), row["name_genitive"].strip()}
            if row["adj_phrase_region"].strip():
                forms.add(row["adj_phrase_region"].strip())
            adj = row["adj_masc"].strip()
            demonym_first = row["demonym_adj"].split("(")[0].strip()
            if adj or demonym_first:
                self.adjective_of[key] = (adj or demonym_first).lower()
            if adj:
                self.region_adjectives[self.morph.lemma(adj)] = place
            demonym = row["demonym_adj"].split("(")[0].strip()
            if demonym and " " not in demonym and not row["demonym_adj"].count("неоднозначно"):
                self.region_adjectives.setdefault(self.morph.lemma(demonym), place)
                forms.add(f"{demonym} регион")
            for alias in row["aliases"].split(";"):
                alias = re.sub(r"\(.*?\)", "", alias).strip()
                if alias:
                    forms.add(alias)
            if iso in _FEDERAL_CITIES or name == "Севастополь":
                continue  # read as settlements (cities.tsv); the subject itself is rarely meant
            for form in forms:
                if form and not _is_bare_adjective(form, self.morph):
                    self._add(form, place)

    def _load_countries(self) -> None:
        for number, cols in _data_lines("countries.tsv"):
            if len(cols) < 3:
                raise InputError(f"kg/data/countries.tsv:{number}: expected 3-4 columns")
            name, iso = cols[0].strip(), cols[1].strip()
            code = None if iso == "-" else iso
            place = Place(Kind.COUNTRY, name, code or f"country:{name.lower()}", iso=code)
            self.countries[place.key] = place
            self._add(name, place)
            for alias in (cols[3].split(";") if len(cols) > 3 else []):
                if alias.strip():
                    self._add(alias.strip(), place)
            for adj in cols[2].split(";"):
                if adj.strip():
                    self.country_adjectives[self.morph.lemma(adj.strip())] = place

    def _load_foreign_regions(self) -> None:
        for number, cols in _data_lines("foreign_regions.tsv"):
            if len(cols) < 2:
                raise InputError(f"kg/data/foreign_regions.tsv:{number}: expected 3 columns")
            name, country = cols[0].strip(), cols[1].strip()
            iso = cols[2].strip() if len(cols) > 2 and cols[2].strip() else None
            place = Place(Kind.REGION, name, iso or f"{country}:{name.lower()}", iso=iso, country=country)
            self._add(name, place)

    def _load_cities(self) -> None:
        for number, cols in _data_lines("cities.tsv"):
            if len(cols) < 2:
                raise InputError(f"kg/data/cities.tsv:{number}: expected 2 columns")
            name = re.sub(r"\s*\(.*?\)", "", cols[0]).strip()
            region = None if cols[1].strip() == "-" else cols[1].strip()
            canonical = {"Петербург": "Санкт-Петербург", "Питер": "Санкт-Петербург", "СПб": "Санкт-Петербург"}.get(name, name)
            key = f"{canonical.lower().replace('ё', 'е')} @{region}" if region else canonical.lower()
            self._add(name, Place(Kind.SETTLEMENT, canonical, key, region_iso=region, country="RU"))

    # -- matching -------------------------------------------------------------
    def match(self, tokens: Sequence[str]) -> list[Match]:
        """Longest non-overlapping matches over token texts."""
        found: list[Match] = []
        index = 0
        count = len(tokens)
        while index < count:
            best: Match | None = None
            token = tokens[index]
            if token in self._case_sensitive:
                best = Match(index, index, self._case_sensitive[token])
            if (token[:1].isupper() or token[:1].isdigit()) and token[:2].lower().replace("ё", "е") in self._first:
                best = self._walk(tokens, index, self._trie, index, best)
            if best is not None:
                found.append(best)
                index = best.last + 1
            else:
                index += 1
        return found

    def _walk(self, tokens: Sequence[str], start: int, node: dict[str, Any], index: int, best: Match | None) -> Match | None:
        if index >= len(tokens) or index - start > 7:
            return best
        for lemma in self._candidates(tokens[index]):
            child = node.get(lemma)
            if child is None:
                continue
            if "$" in child and (best is None or index > best.last):
                best = Match(start, index, child["$"])
            best = self._walk(tokens, start, child, index + 1, best)
        return best

    def _candidates(self, token: str) -> frozenset[str]:
        if token.isalpha() or "-" in token:
            return self.morph.lemmas(token)
        return frozenset((token.lower(),))

    def region(self, key: str) -> Place | None:
        return self.regions.get(key)

    def country(self, code: str) -> Place | None:
        return self.countries.get(code)


def _is_bare_adjective(form: str, morph: Morph) -> bool:
    tokens = words(form)
    return len(tokens) == 1 and any(p.tag.POS == "ADJF" for p in morph.parses(tokens[0].lower())[:1])
