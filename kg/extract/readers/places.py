"""Places: regions, settlements, countries and foreign regions, from gazetteers and NER."""

from __future__ import annotations

import re
from collections import Counter

from kg.extract.context import Context
from kg.extract.gazetteer import Gazetteer, Place
from kg.extract.readers.orgs import supranational
from kg.extract.keys import norm, org_key
from kg.model import Kind

_NOT_PLACES = {"кремль", "белый дом", "смольный", "старая площадь"}
PLACE_KINDS = {Kind.REGION, Kind.SETTLEMENT, Kind.COUNTRY}
_TOWN_CUES = {"г", "г.", "город", "города", "городе", "городу", "городом", "поселок", "посёлок", "поселке", "посёлке",
              "поселка", "посёлка", "пгт", "село", "селе", "наукоград", "наукограде", "наукограда", "станица", "деревня"}
_OFFICE_NOUNS = re.compile(r"^(президент|премьер|министр|лидер|посол|глав[аеуы]|губернатор|мэр|канцлер|парламентари|"
                           r"депутат|сенатор|спикер|дипломат)", re.I)
_ADJ_NOUNS = re.compile(
    r"^(партн[её]р|компани|концерн|фирм|делегаци|сторон|провинци|регион|штат|земл|инвестор|производител|"
    r"правительств|министерств|посольств|корпораци|группа|групп|холдинг|банк|фонд|коллег|специалист|эксперт|бизнес|предприяти)",
    re.I,
)


def place_entity(ctx: Context, gaz: Gazetteer, place: Place, start: int, stop: int) -> str:
    """Register ``place`` with a mention; settlements and foreign regions get their container."""
    located = None
    if place.kind == Kind.SETTLEMENT and place.region_iso and place.region_iso not in ("RU-MOW", "RU-SPE"):
        region = gaz.region(place.region_iso)
        if region is not None:
            located = _region_entity(ctx, region, start, stop, implied=True)
    return ctx.entity(
        place.kind, place.key, place.name, start, stop,
        iso_code=place.iso, wikidata=place.wikidata, located_in=located,
    )


def _region_entity(ctx: Context, region: Place, start: int, stop: int, implied: bool = False) -> str:
    existing = ctx.by_key.get((Kind.REGION, region.key))
    if existing is not None and implied:
        return existing
    return ctx.entity(Kind.REGION, region.key, region.name, start, stop, iso_code=region.iso, wikidata=region.wikidata)


def find_places(ctx: Context, gaz: Gazetteer, ner_locs: list[tuple[int, int, str]]) -> None:
    """Gazetteer places over all tokens; NER LOC spans outside the gazetteer become foreign places."""
    tokens = ctx.tokens
    texts = [t.text for t in tokens]
    loc_tokens = set()
    for start, stop, _ in ner_locs:
        for index in range(ctx.tok_at(start), len(tokens)):
            if tokens[index].start >= stop:
                break
            loc_tokens.add(index)
    matched: list[tuple[int, int]] = []
    for hit in gaz.match(texts):
        place = hit.place
        first, last = tokens[hit.first], tokens[hit.last]
        if ctx.covered(first.start, last.stop):
            continue
        previous = texts[hit.first - 1].lower() if hit.first else ""
        if previous == "." and hit.first > 1 and texts[hit.first - 2].lower() == "г":
            previous = "г."
        if place.kind == Kind.SETTLEMENT and hit.first not in loc_tokens and previous not in _TOWN_CUES:
            continue
        if place.kind == Kind.REGION and place.country and place.country != "RU":
            _foreign_region(ctx, gaz, place, hit.first, first.start, last.stop)
            matched.append((first.start, last.stop))
            continue
        entity = place_entity(ctx, gaz, place, first.start, last.stop)
        if place.kind == Kind.SETTLEMENT and previous in _TOWN_CUES and len(previous) > 3:
            cue = gaz.morph.nominative_phrase(previous)
            builder = ctx.entities[entity]
            if f"{cue} {place.name}" not in builder.alt_labels:
                builder.alt_labels.append(f"{cue} {place.name}")
        matched.append((first.start, last.stop))
    for start, stop, normal in ner_locs:
        if any(s < stop and start < e for s, e in matched) or ctx.covered(start, stop):
            continue
        name = normal.strip() or ctx.text[start:stop]
        following = ctx.text[stop:stop + 12].lower()
        if "кластер" in name.lower() or following.lstrip().startswith("кластер"):
            continue
        if norm(name) in _NOT_PLACES:
            continue
        union = supranational(gaz.morph, ctx.text[start:stop])
        if union is not None:
            ctx.entity(Kind.ORGANIZATION, org_key(union), union, start, stop)
            continue
        if not re.search(r"[А-ЯЁA-Z]", name[:1]):
            continue
        if all(gaz.morph.parses(w.lower()) and gaz.morph.parses(w.lower())[0].tag.POS == "ADJF"
               for w in ctx.text[start:stop].split()):
            continue  # «Обнинская (муниципальная зона)»: an adjective alone names no place
        if _looks_like_person(gaz, ctx.text[start:stop]):
            label = gaz.morph.nominative_phrase(ctx.text[start:stop])
            ctx.entity(Kind.PERSON, norm(label), label, start, stop)
            continue
        # a place outside our gazetteers: best effort, a (foreign) region keyed by its name
        ctx.entity(Kind.REGION, f"loc:{norm(name)}", name, start, stop)
    _country_adjectives(ctx, gaz)
    _region_adjectives(ctx, gaz)


def _foreign_region(ctx: Context, gaz: Gazetteer, place: Place, first: int, start: int, stop: int) -> None:
    located = None
    country = gaz.country(place.country or "")
    if country is not None:
        located = _adjective_country_before(ctx, gaz, first, country)
    ctx.entity(Kind.REGION, place.key, place.name, start, stop, iso_code=place.iso, located_in=located)


def _adjective_country_before(ctx: Context, gaz: Gazetteer, first: int, country: Place) -> str | None:
    """«французская провинция Лимузен»: the adjective two tokens back names the country."""
    for index in range(max(0, first - 5), first):
        token = ctx.tokens[index]
        for lemma in gaz.morph.lemmas(token.text):
            if gaz.country_adjectives.get(lemma) is country:
                return ctx.entity(Kind.COUNTRY, country.key, country.name, token.start, token.stop, iso_code=country.iso)
    existing = ctx.by_key.get((Kind.COUNTRY, country.key))
    if existing is None:  # the region's own mention stands for its country
        token = ctx.tokens[first]
        existing = ctx.entity(Kind.COUNTRY, country.key, country.name, token.start, token.stop, iso_code=country.iso)
    return existing


def _country_adjectives(ctx: Context, gaz: Gazetteer) -> None:
    """«немецкого партнёра», «сербский концерн»: the adjective is a mention of the country."""
    tokens = ctx.tokens
    for index, token in enumerate(tokens[:-1]):
        if len(token.text) < 5 or not token.text.isalpha() or token.text[:4].lower() not in gaz.adjective_prefixes:
            continue
        country = None
        for lemma in gaz.morph.lemmas(token.text):
            country = gaz.country_adjectives.get(lemma)
            if country is not None:
                break
        if country is None:
            continue
        following = tokens[index + 1].text
        if country.key == "RU":
            # «российский президент»: the title's country when Russia is named; the adjective is no mention
            russia = ctx.by_key.get((Kind.COUNTRY, country.key))
            if russia is not None and _OFFICE_NOUNS.match(following):
                ctx.adjective_places[index] = russia
            continue
        if ctx.covered(token.start, token.stop):
            continue
        if _OFFICE_NOUNS.match(following):
            # «французский президент»: a mention only when the country is not named otherwise
            if ctx.by_key.get((Kind.COUNTRY, country.key)) is None and _named_later(ctx, gaz, country):
                continue
            if ctx.by_key.get((Kind.COUNTRY, country.key)) is not None:
                ctx.adjective_places[index] = ctx.by_key[(Kind.COUNTRY, country.key)]
                continue
        elif not _ADJ_NOUNS.match(following):
            continue
        ctx.entity(Kind.COUNTRY, country.key, country.name, token.start, token.stop, iso_code=country.iso)


_KIND_NOUNS = re.compile(r"^(компани|фирм|концерн|корпораци|групп|производител|холдинг|предприяти|завод|"
                        r"регион|провинци|област|земл|штат|округ|департамент|кантон|город)", re.I)


def countries_by_adjective(ctx: Context) -> None:
    """«итальянской компанией Meccanica Padana», «французского региона Овернь»: a foreign region
    outside our gazetteer, or an organisation, is located in the country whose adjective comes
    right before its kind noun."""
    tokens = ctx.tokens
    for builder in list(ctx.entities.values()):
        foreign = builder.kind == Kind.REGION and builder.key.startswith("loc:")
        if builder.located_in is not None or not (foreign or builder.kind in (Kind.COMPANY, Kind.ORGANIZATION)):
            continue
        for start, _ in builder.mentions:
            at = ctx.tok_at(start)
            if at < 2 or not _KIND_NOUNS.match(tokens[at - 1].text):
                continue
            country = ctx.covered(tokens[at - 2].start, tokens[at - 2].stop, {Kind.COUNTRY})
            if country is not None:
                builder.located_in = country.entity
                break


def _region_adjectives(ctx: Context, gaz: Gazetteer) -> None:
    """«подмосковного губернатора», «калужский губернатор»: the region a title belongs to."""
    tokens = ctx.tokens
    for index, token in enumerate(tokens[:-1]):
        if len(token.text) < 5 or not token.text.isalpha() or not _OFFICE_NOUNS.match(tokens[index + 1].text):
            continue
        region = next((gaz.region_adjectives[l] for l in gaz.morph.lemmas(token.text) if l in gaz.region_adjectives), None)
        if region is None or region.iso in ("RU-MOW", "RU-SPE") or ctx.covered(token.start, token.stop):
            continue
        existing = ctx.by_key.get((Kind.REGION, region.key))
        if existing is None:
            existing = ctx.entity(Kind.REGION, region.key, region.name, token.start, token.stop,
                                  iso_code=region.iso, wikidata=region.wikidata)
        ctx.adjective_places[index] = existing


def _looks_like_person(gaz: Gazetteer, text: str) -> bool:
    """«Кирсану Илюмжинову», «Гата Камский»: NER read a first name + surname as a place."""
    words = text.split()
    if len(words) != 2 or not all(w[:1].isupper() for w in words):
        return False
    first = gaz.morph.parses(words[0].lower())
    return bool(first) and "Name" in first[0].tag and first[0].score > 0.3


def _named_later(ctx: Context, gaz: Gazetteer, country: Place) -> bool:
    return any(hit.place is country for hit in gaz.match([t.text for t in ctx.tokens if t.text[:1].isupper()]))


def doc_region(ctx: Context) -> str | None:
    """The region the document is about: the most mentioned Russian region (cities count)."""
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for m in ctx.mentions:
        builder = ctx.entities[m.entity]
        target = None
        if builder.kind == Kind.REGION and builder.iso_code and builder.iso_code.startswith("RU-"):
            target = builder.id
        elif builder.kind == Kind.SETTLEMENT and builder.located_in:
            target = builder.located_in
        if target is not None and builder.iso_code != "RU-MOW":
            counts[target] += 1
            first_seen.setdefault(target, m.start)
    if not counts:
        return None
    return max(counts, key=lambda e: (counts[e], -first_seen[e]))
