"""Clusters (named and described, not generic mentions), their sectors and regions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from kg.extract.context import Context
from kg.extract.keys import cluster_key, norm
from kg.extract.morph import Morph
from kg.extract.readers.orgs import QUOTED, strip_quotes
from kg.model import Kind

if TYPE_CHECKING:
    from kg.extract.readers.rules import Found
    from kg.extract.tools import Tools

RegionFor = Callable[[int, int], "str | None"]
CLUSTER_WORD = re.compile(r"(?<![\w-])([\w]+-)?([А-ЯЁа-яё]*)кластер(а|у|ом|е|ы|ов|ам|ами|ах)?(?![\w-])", re.IGNORECASE)
QUOTED_CLUSTER = re.compile(rf"({QUOTED})")
LATIN_NAMED = re.compile(
    r"(?<![\w-])(?:[\w]+-)?[А-ЯЁа-яё]*кластер\w*\s+"
    r"(?P<names>[A-Z][\w'’\-]*(?:\s+[A-Za-z][\w'’\-]*){0,3}(?:(?:\s+и\s+|,\s*)[A-Z][\w'’\-]*(?:\s+[a-z][\w'’\-]*){0,3})*)",
    re.IGNORECASE,
)
_NAME_AFTER = re.compile(rf"\s*(?:под названием\s+)?({QUOTED})")
_PLURAL = {"ы", "ов", "ам", "ами", "ах"}
_NUMERAL = re.compile(
    r"^(\d+|один|одного|одному|одним|два|двух|три|трех|трёх|четыре|четырех|пять|пяти|шесть|шести|семь|семи|восемь|"
    r"девять|десять|несколько|нескольких|ряд|ряда|многих|много|каждый|каждого|ещ[её]|этот|этого|этому|этом|данного|данный|"
    r"такой|такого|такому|таком|такие|этих|тех|всех|свой|своего|своем|нашего|наш|его|их|ее|её|любого|любой|другой|другого|"
    r"первый|первого|новый|нового|новых|подобного|подобный|отдельного|отдельный|сам|самого)$",
    re.I,
)
_GENERIC_ADJ = {"территориальный", "промышленный", "инновационный", "региональный", "российский", "новый", "отраслевой",
                "межрегиональный", "национальный", "научно-производственный", "пилотный", "федеральный", "международный"}
SECTORS: list[tuple[str, str]] = [
    (r"биофарм|фармацевт|фармкластер|лекарств", "биофармацевтика"),
    (r"биотехнолог|биотех", "биотехнологии"),
    (r"деревообраб|деревян|лесопромышл|(?<![а-яё])лесн", "деревообработка"),
    (r"титан|металлург", "металлургия"),
    (r"\bit\b|\bит\b|it-|ит-|информационн|ikt|икт|программн", "информационные технологии"),
    (r"авиа|аэрокосм|ракет|космич", "авиационно-космическая промышленность"),
    (r"судостро|(?<![а-яё])морск", "судостроение"),
    (r"газохим|нефтехим|химич|радиохим", "химическая промышленность"),
    (r"машиностро|сельхозмаш|автомоб|станко|станок|станк[аио]", "машиностроение"),
    (r"композит", "композитные материалы"),
    (r"электротехн|энергет", "электроэнергетика"),
    (r"пищев|агро|молоч|сахар", "пищевая промышленность"),
    (r"нано", "нанотехнологии"),
    (r"медицин|биомед", "медицина"),
    (r"научно-образоват|образоват", "образование и наука"),
    (r"туризм|туристск", "туризм"),
    (r"текстил|(?<![а-яё])легк", "лёгкая промышленность"),
    (r"(?<![а-яё])строител|домостро", "строительство"),
]


def _short_name(morph: Morph, label: str) -> str | None:
    """«Камский инновационный территориально-производственный кластер» -> «Камский кластер»."""
    words = label.split()
    head = next((i for i, w in enumerate(words) if re.search(r"кластер$", w, re.I)), None)
    if head is None or head < 2 or not words[0][:1].isupper() or "«" in label:
        return None
    return f"{words[0]} {words[head]}"


@dataclass(slots=True)
class ClusterHit:
    start: int
    stop: int
    entity: str


def _sector_ids(ctx: Context, label: str, start: int, stop: int) -> list[str]:
    low = label.lower()
    ids = []
    for pattern, name in SECTORS:
        found = re.search(pattern, low)
        if found:
            ids.append(ctx.entity(Kind.SECTOR, name, name, start, stop))
    return ids[:2]


def _note_sectors(ctx: Context, cluster: str, text: str, start: int, stop: int, most: int | None = None) -> None:
    """Give ``cluster`` the sectors ``text`` names that it lacks (while it has fewer than ``most``)."""
    sectors = ctx.entities[cluster].sectors
    for sector in _sector_ids(ctx, text, start, stop):
        if sector not in sectors and (most is None or len(sectors) < most):
            sectors.append(sector)


class ClusterReader:
    """Cluster mentions: quoted names, Latin names, and the word «кластер» with its adjectives and complement."""

    def __init__(self, tools: Tools) -> None:
        self.morph = tools.morph
        # lemma of a region adjective («кировский») -> its region; region key -> its adjective
        self.region_adjectives: dict[str, object] = dict(tools.gazetteer.region_adjectives)
        self.region_adjective: dict[str, str] = dict(tools.gazetteer.adjective_of)
        self._named: dict[int, Found] = {}
        self.gazetteer = tools.gazetteer

    def read(self, ctx: Context, region_for: RegionFor, named: "dict[int, Found] | None" = None) -> list[ClusterHit]:
        """``named``: the yargy CLUSTER_NAMED matches by the offset of their cluster noun."""
        self._named = named or {}
        hits: list[ClusterHit] = []
        text = ctx.text
        taken: list[tuple[int, int]] = []
        for match in QUOTED_CLUSTER.finditer(text):
            inner = strip_quotes(match.group(1))
            nested = re.search(r"«([^«»]+)»", inner)
            if self._cluster_name(inner):
                key = cluster_key(nested.group(1) if nested else inner)
                hits.append(self._add(ctx, key, inner, match.start(), match.end(), region_for))
            elif nested and self._cluster_name(nested.group(1)):
                offset = match.start() + match.group(1).index(nested.group(0))
                hits.append(self._add(ctx, cluster_key(nested.group(1)), nested.group(1), offset, offset + len(nested.group(0)), region_for))
            else:
                continue
            taken.append((match.start(), match.end()))
        for match in LATIN_NAMED.finditer(text):
            for name in re.split(r"\s+и\s+|,\s*", match.group("names")):
                at = text.index(name, match.start("names"))
                hits.append(self._add(ctx, cluster_key(name), name, at, at + len(name), region_for))
                taken.append((at, at + len(name)))
        for match in CLUSTER_WORD.finditer(text):
            if any(s <= match.start() < e for s, e in taken):
                continue
            inside = ctx.covered(match.start(), match.end(), {Kind.ORGANIZATION, Kind.COMPANY, Kind.AUTHORITY})
            if inside is not None and inside.start < match.start() and "«" in text[inside.start:match.start()]:
                continue  # «ОГКУ «Развитие авиационного кластера»»: a word of an organisation's quoted name
            hit = self._word(ctx, match, region_for)
            if hit is not None:
                hits.append(hit)
                taken.append((hit.start, hit.stop))
            elif self._bare(ctx, match):
                previous = [h for h in hits if h.start < match.start()]
                if previous:
                    nearest = max(previous, key=lambda h: h.start)
                    ctx.mention(nearest.entity, match.start(), match.end())
                    hits.append(ClusterHit(match.start(), match.end(), nearest.entity))
        hits.sort(key=lambda h: h.start)
        return hits

    def _cluster_name(self, name: str) -> bool:
        """«Промышленный кластер Республики Татарстан» yes; «Развитие авиационного кластера», «О …» no."""
        found = re.search(r"(?<![\w-])(?:[\w]+-)?[А-ЯЁа-яё]*кластер(?:а|у|ом|е|ы|ов)?(?![\w-])", name, re.I)
        if found is None or not re.match(r"[А-ЯЁA-Z]", name):
            return False
        before = name[:found.start()].split()
        if len(before) > 4 or self._clause(name[found.end():]):
            return False
        return all(self.morph.parses(w.lower()) and self.morph.parses(w.lower())[0].tag.POS in ("ADJF", "PRTF")
                   or re.fullmatch(r"[A-ZА-ЯЁ]{2,5}", w) for w in before)

    def _clause(self, rest: str) -> bool:
        """Whether the words after a quoted phrase's «кластер» hold a finite verb (its nested
        quoted names aside): «Кластер помогает небольшим предприятиям …», — сказал он is speech,
        not a name; «Кластер информационных технологий», «Кластер «Строим вместе»» are names."""
        words = re.findall(r"[А-ЯЁа-яё]+", re.sub(r"«[^«»]*»", " ", rest))
        return any(self.morph.parses(w.lower()) and self.morph.parses(w.lower())[0].tag.POS == "VERB"
                   for w in words)

    def _bare(self, ctx: Context, match: re.Match[str]) -> bool:
        if match.group(1) or match.group(2) or (match.group(3) or "").lower() in _PLURAL:
            return False
        index = ctx.tok_at(match.start())
        return not (index > 0 and _NUMERAL.match(ctx.tokens[index - 1].text))

    def _word(self, ctx: Context, match: re.Match[str], region_for: RegionFor) -> ClusterHit | None:
        text = ctx.text
        ending = (match.group(3) or "").lower()
        found = self._named.get(match.start()) if not (match.group(1) or match.group(2)) else None
        named = None if found is not None else _NAME_AFTER.match(text, match.end())  # regex: compound nouns
        if found is None and named is None:
            # «ИТ-кластер Самарской области «Волжский код»»: the name after the region's genitive
            named = self._name_after_region(ctx, match.end())
        if found is not None and text[found.part_start] in "«\"“„":
            inner, named_end = strip_quotes(text[found.part_start:found.part_stop]), found.stop
        elif named:
            inner, named_end = strip_quotes(named.group(1)), named.end()
        if found is not None and text[found.part_start] in "«\"“„" or named:
            if inner and len(inner) < 80:
                nested = re.search(r"«([^«»]+)»", inner)
                start = self._adjectives_start(ctx, match.start())
                label = inner
                hit = self._add(ctx, cluster_key(nested.group(1) if nested else inner), label, start, named_end, region_for,
                                alt=self.morph.nominative_phrase(text[start:named_end]))
                _note_sectors(ctx, hit.entity, text[start:match.end()], start, named_end, most=2)  # «ИТ-кластер «Код»»
                return hit
        if ending in _PLURAL:
            return None
        start = self._adjectives_start(ctx, match.start())
        index = ctx.tok_at(start)
        if index > 0 and _NUMERAL.match(ctx.tokens[index - 1].text):
            return None
        if self._ranking(ctx, index):
            return None  # «стал первым промышленным кластером республики», «крупнейший кластер»: a rank, no name
        if index > 1 and ctx.tokens[index - 1].text.lower() in ("из",) and ctx.tokens[index - 2].text.lower() in ("один", "одного", "одним", "одном"):
            return None
        stop, complement = self._complement(ctx, match.end())
        compound = bool(match.group(1) or match.group(2))
        adjectives = text[start:match.start()].split()
        if not adjectives and not complement and not compound:
            return None
        lemmas = [self.morph.lemma(a) for a in adjectives]
        phrase = text[start:stop]
        label = self.morph.nominative_phrase(phrase)
        if label[:1].isupper() and not label[1:2].isupper() and start == ctx.sent_of(start)[0] and not any(self._region_adj(ctx, a) for a in adjectives[:1]):
            label = label[:1].lower() + label[1:]
        capital_name = bool(adjectives) and adjectives[0][:1].isupper() and start != ctx.sent_of(start)[0]
        region = region_for(start, stop)
        if capital_name or any(self._region_adj(ctx, a) for a in adjectives):
            key = cluster_key(label)
        else:
            if not complement and all(l in _GENERIC_ADJ for l in lemmas) and not compound:
                if ctx.by_key and any(b.kind == Kind.CLUSTER for b in ctx.entities.values()):
                    return None
            key = cluster_key(label, ctx.entities[region].iso_code or ctx.entities[region].key if region else None)
            listed = index > 0 and ctx.tokens[index - 1].text in ("и", ",")  # «…, «Б» и биотехнологический кластер»
            same = None if listed else self._same_sector(ctx, label, region)
            if same is not None:
                ctx.mention(same, start, stop)
                builder = ctx.entities[same]
                if label not in builder.alt_labels and label != builder.label:
                    builder.alt_labels.append(label)
                return ClusterHit(start, stop, same)
            hit = self._add(ctx, key, label, start, stop, region_for)
            adjective = self.region_adjective.get(ctx.entities[region].key) if region else None
            if adjective and not label.lower().startswith(adjective[:5]):
                ctx.entities[hit.entity].alt_labels.append(f"{adjective} {label}")
            return hit
        return self._add(ctx, key, label, start, stop, region_for)

    def _same_sector(self, ctx: Context, label: str, region: str | None) -> str | None:
        """A described cluster with the sector and region of one already read is that cluster."""
        sectors = {name for pattern, name in SECTORS if re.search(pattern, label.lower())}
        if not sectors:
            return None
        for builder in ctx.entities.values():
            if builder.kind != Kind.CLUSTER or builder.located_in != region:
                continue
            theirs = {ctx.entities[s].label for s in builder.sectors}
            if sectors & theirs:
                return builder.id
        return None

    def _name_after_region(self, ctx: Context, offset: int) -> re.Match[str] | None:
        """The quoted name right after a region or town in the genitive that follows the cluster
        noun at ``offset`` («кластера Самарской области «Волжский код»»), or None."""
        gap = re.match(r"[ \t\u00a0]+", ctx.text[offset:offset + 3])
        if gap is None:
            return None
        at = offset + gap.end()
        place = ctx.covered(at, at + 1, {Kind.REGION, Kind.SETTLEMENT})
        if place is None or place.start != at or not self._gen(ctx.text[at:place.stop].split()[0]):
            return None
        named = _NAME_AFTER.match(ctx.text, place.stop)
        return named if named is not None and named.group(1)[1:2].isupper() else None

    def _region_adj(self, ctx: Context, word: str) -> bool:
        return word[:1].isupper() and self.morph.lemma(word) in self.region_adjectives

    def _ranking(self, ctx: Context, index: int) -> bool:
        """Whether the phrase opening at token ``index`` (or the word before it) ranks a cluster as a
        predicate: an ordinal or superlative adjective in the instrumental, in lower case («стал первым
        кластером», «является крупнейшим кластером»); «первый кластер создан» names one."""
        for at in (index - 1, index):
            if 0 <= at < len(ctx.tokens):
                word = ctx.tokens[at].text
                parses = self.morph.parses(word.lower()) if word[:1].islower() else []
                grams = set(str(parses[0].tag).replace(" ", ",").split(",")) if parses else set()
                if (parses and parses[0].tag.POS == "ADJF" and "ablt" in grams
                        and ({"Anum", "Supr"} & grams or self.morph.lemma(word) == "единственный")):
                    return True
        return False

    def _adjectives_start(self, ctx: Context, offset: int) -> int:
        index = ctx.tok_at(offset) - 1
        start = offset
        count = 0
        while index >= 0 and count < 4:
            token = ctx.tokens[index]
            parses = self.morph.parses(token.text.lower())
            if token.text in ("и",) and count:
                index -= 1
                continue
            if parses and parses[0].tag.POS in ("ADJF", "PRTF") and "Apro" not in parses[0].tag and token.text.lower() not in ("этот", "этого", "данного", "такого", "нового", "новый", "новых", "свой", "своего", "каждого", "единого", "единый", "нашего", "другого", "ведущий", "крупнейший", "крупнейшего"):
                start = token.start
                count += 1
                index -= 1
                continue
            break
        return start

    def _complement(self, ctx: Context, offset: int) -> tuple[int, bool]:
        """«по деревообработке», «фармацевтики и биотехнологий», «в сфере ИТ Республики Татарстан»."""
        index = ctx.tok_at(offset)
        tokens = ctx.tokens
        if index < len(tokens) and tokens[index].start < offset:
            index += 1
        stop = offset
        has = False
        if index < len(tokens) and tokens[index].text.lower() in ("по",) or (index + 1 < len(tokens) and tokens[index].text.lower() == "в" and tokens[index + 1].text.lower() in ("сфере", "области")):
            skip = 1 if tokens[index].text.lower() == "по" else 2
            index += skip
            has = True
            stop = tokens[index - 1].stop
        steps = 0
        after_po = has
        while index < len(tokens) and steps < 8:
            token = tokens[index]
            word = token.text
            place = ctx.covered(token.start, token.stop, {Kind.REGION, Kind.SETTLEMENT, Kind.COUNTRY})
            if place is not None and (has or steps) and self._gen(word):
                stop = place.stop
                break
            if word == "и" and steps and index + 1 < len(tokens) and tokens[index + 1].text[:1].islower():
                index += 1
                continue
            if word[:1].islower() and word.isalpha() and (self._gen(word) or after_po) and not self._verbish(word):
                stop = token.stop
                has = True
                after_po = False
                steps += 1
                index += 1
                continue
            break
        return stop, has

    def _verbish(self, word: str) -> bool:
        parses = self.morph.parses(word.lower())
        return not parses or parses[0].tag.POS not in ("NOUN", "ADJF", "PRTF")

    def _gen(self, word: str) -> bool:
        return any(p.tag.case in ("gent", "datv") and p.tag.POS in ("NOUN", "ADJF") for p in self.morph.parses(word.lower()))

    def unnamed(self, ctx: Context, region_for: RegionFor, start: int, stop: int, adjectives: list[str]) -> str | None:
        """A cluster with no name at ``start:stop``, tied to the region named around it (else the
        document's): «фармацевтический кластер Калужской области»; None where no region is known.
        ``adjectives``: the lemmas of its adjectives («фармацевтический»)."""
        region = region_for(start, stop)
        if region is None:
            return None
        builder = ctx.entities[region]
        place = self.gazetteer.region(builder.key)
        genitive = builder.label if place is None else self.gazetteer.genitive.get(place.key, place.name)
        phrase = " ".join([*adjectives, "кластер"])
        label = f"{phrase} {genitive}"
        entity = ctx.entity(Kind.CLUSTER, cluster_key(phrase, builder.iso_code or builder.key), label,
                            start, stop, located_in=region)
        _note_sectors(ctx, entity, label, start, stop)
        return entity

    def _add(self, ctx: Context, key: str, label: str, start: int, stop: int, region_for: RegionFor,
             alt: str | None = None, name_region: bool = False) -> ClusterHit:
        region = region_for(start, stop)
        entity = ctx.entity(Kind.CLUSTER, key, label, start, stop, located_in=region, alt_label=alt)
        short = _short_name(self.morph, label)
        if short and short not in ctx.entities[entity].alt_labels:
            ctx.entities[entity].alt_labels.append(short)
        _note_sectors(ctx, entity, label, start, stop)
        return ClusterHit(start, stop, entity)


__all__ = ["ClusterReader", "ClusterHit", "CLUSTER_WORD", "RegionFor", "norm"]
