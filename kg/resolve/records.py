"""What one document says about each of its entities, in the form resolution compares.

``records_of(extraction, minter, lexicon)`` runs where the document is extracted (a
build worker); the records travel with the document's graph and are kept in the
workspace's identity index (``kg.resolve.index``), so resolving the whole workspace
never reads a text again.

Match keys (strings with a prefix naming the rule that compares them):

- ``name:K`` — one real entity per key: organisations and named clusters by their
  lemmatised name without legal form or quotes; authorities by the name without its
  region, qualified by the region («правительство@RU-KIR»);
- ``ref:ID`` — an entry of the reference table (``kg/data/organisations.csv``);
- ``sig:R:S`` — a described cluster by its region and main sector
  («аэрокосмический кластер» in a Samara document: ``sig:RU-SAM:авиационно-…``);
- ``nsig:R:S`` — the same signature of a named cluster, which joins the described
  ones only when it is the one named cluster with that signature;
- ``skel:SCRIPT:S`` — the consonant skeleton of a Latin or Cyrillic name
  (Hemofarm / Хемофарм), which joins the two scripts only when unambiguous;
- persons: ``name:F S`` for a first name and a surname stem («Павла Зимина» is ``name:павел
  зимин``); ``per:S@R`` and ``per:I S@R`` for that person's surname stem and initial in the
  document's region R (``per:I S@*`` too: anywhere); ``psur:S@R`` for a surname alone and ``pin:I S@R`` for
  an initial and a surname, which join the one full-name group with the ``per:`` key; when the name says
  the person's gender (``kg.extract.gender``), the stem is marked with it (``per:никитин~m@R`` besides
  ``per:никитин@R``; ``psur:никитин~f@R``), so «Никитина сообщила» joins no «Павел Никитин».
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from kg.extract.gender import first_name_gender, surname_gender
from kg.mapping.iri import IriMinter
from kg.model import Entity, Extraction, Kind
from kg.resolve.lexicon import FEDERAL, REGIONAL_ADJECTIVES, Lexicon
from kg.resolve.names import (abbreviates, fold, initials, is_abbreviation, name_key, person_parts, script,
                              skeleton, strip_legal_form, words)
from kg.resolve.reference import RefEntry

RESOLVED = frozenset({Kind.CLUSTER, Kind.ORGANIZATION, Kind.COMPANY, Kind.AUTHORITY, Kind.PERSON})
ORG_KINDS = frozenset({Kind.ORGANIZATION, Kind.COMPANY, Kind.AUTHORITY})
# heads of a body's name that make it a public authority, placed in a region
_AUTHORITY_HEADS = frozenset({
    "правительство", "министерство", "администрация", "управление", "департамент", "комитет", "дума", "агентство",
    "служба", "инспекция", "мэрия", "совет", "собрание", "законодательный", "губернатор", "аппарат", "минпромторг",
})
# words of a cluster's description that say nothing about which cluster it is
_GENERIC = frozenset({
    "кластер", "территориальный", "промышленный", "инновационный", "региональный", "российский", "новый",
    "отраслевой", "межрегиональный", "национальный", "пилотный", "федеральный", "международный", "научно-производственный",
    "территориально-производственный", "уровень", "в", "сфера", "область", "по", "и",
})
MIN_SKELETON = 4


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """One entity of one document, as resolution sees it."""

    iri: str  # the node minted from (kind, key) in this document
    key: str  # the extraction key (posts' IRIs are minted from keys)
    kind: str  # kg.model.Kind value
    label: str
    names: tuple[str, ...]  # the label and other names read in this document
    region: str | None  # ISO 3166-2 of its region, RU for federal bodies
    keys: tuple[str, ...]  # match keys, see the module docstring
    links: tuple[str, ...] = ()  # IRIs of entities of this document read as the same one
    named: bool = True  # clusters: a proper name («Вятка-Биополис»), not a description
    ref: str | None = None  # id in the reference table

    def to_json(self) -> list[object]:
        return [self.iri, self.key, self.kind, self.label, list(self.names), self.region, list(self.keys),
                list(self.links), self.named, self.ref]

    @classmethod
    def from_json(cls, row: list[object]) -> EntityRecord:
        iri, key, kind, label, names, region, keys, links, named, ref = row
        return cls(str(iri), str(key), str(kind), str(label), tuple(names), region, tuple(keys),  # type: ignore[arg-type]
                   tuple(links), bool(named), ref)  # type: ignore[arg-type]


def scoped(extraction: Extraction, lexicon: Lexicon) -> Extraction:
    """The extraction with the keys of names that say nothing about which entity they are
    qualified by a region, so two documents of two regions never share their node:

    - a company named by one common word («ООО «Вектор»», «АО «Энергия»»): the document's region;
    - a cluster «named» by common words only, without quotes or Latin letters («Агропромышленный
      кластер» as a heading): its region, else the document's;
    - a person named by a surname alone or an initial and a surname («Лебедев», «И. Лебедев»):
      the document's region;
    - a federal body of the reference table named with a region after it, every time
      («Минпромторг Татарстана», «Минэкономразвития Томской области»): that region's ministry.
    """
    region = _document_region(extraction)
    by_id = {e.id: e for e in extraction.entities}
    changed = False
    entities = []
    for entity in extraction.entities:
        where = None
        if entity.kind in (Kind.COMPANY, Kind.ORGANIZATION) and "@" not in entity.key:
            tokens = strip_legal_form(words(entity.label))
            if len(tokens) == 1 and "-" not in tokens[0] and lexicon.common(tokens[0]) \
                    and lexicon.reference.find(tokens[0]) is None:
                where = region
        elif entity.kind == Kind.CLUSTER and "@" not in entity.key and _generic_name(entity, lexicon):
            where = _region_of(entity, by_id) or region
        elif entity.kind == Kind.PERSON and "@" not in entity.key:
            parts = person_parts(entity.key)
            if parts is not None and not parts[0]:
                where = region
        elif entity.kind == Kind.AUTHORITY and "@" not in entity.key and _reference_entry(entity, lexicon):
            where = _region_after(extraction.document.text, entity, lexicon)
        if where is not None:
            entity = replace(entity, key=f"{entity.key} @{where}")
            changed = True
        entities.append(entity)
    return replace(extraction, entities=tuple(entities)) if changed else extraction


def _reference_entry(entity: Entity, lexicon: Lexicon) -> RefEntry | None:
    """The reference-table entry one of the entity's names is."""
    for name in dict.fromkeys((entity.label, *entity.alt_labels)):
        entry = lexicon.reference.find(name_key(name, lexicon.lemma)) or lexicon.reference.find(fold(name))
        if entry is not None:
            return entry
    return None


_AFTER = re.compile(r"^[\s\u00a0]*([^.,;:!?()«»\"—–\n]*)")


def _region_after(text: str, entity: Entity, lexicon: Lexicon) -> str | None:
    """The region (not the federation) named right after every mention of the entity: the one to
    three words that follow it in its clause («Минпромторг РТ», «… Томской области»)."""
    found: set[str | None] = set()
    for mention in entity.mentions:
        clause = _AFTER.match(text[mention.stop:mention.stop + 80])
        following = clause.group(1).split()[:3] if clause else []
        found.add(next((iso for n in (1, 2, 3) if len(following) >= n
                        and (iso := lexicon.region_named(following[:n]))), None))
    iso = found.pop() if len(found) == 1 else None
    return iso if iso and iso != FEDERAL else None


def _generic_name(entity: Entity, lexicon: Lexicon) -> bool:
    """A cluster name of common words only: no quotes, no Latin letters, every word a dictionary word."""
    names = (entity.label, *entity.alt_labels)
    if any(re.search(r"[«»\"“”„a-zA-Z]", name) for name in names):
        return False
    return all(w in _GENERIC or lexicon.common(part) for w in words(entity.label) for part in w.split("-"))


def records_of(extraction: Extraction, minter: IriMinter, lexicon: Lexicon) -> tuple[EntityRecord, ...]:
    """The records of the document's clusters, organisations and persons."""
    by_id = {e.id: e for e in extraction.entities}
    doc_region = _document_region(extraction)
    iris = {e.id: minter.entity(e.kind, e.key) for e in extraction.entities if e.kind in RESOLVED}
    orgs = [e for e in extraction.entities if e.kind in ORG_KINDS]
    clusters = [e for e in extraction.entities if e.kind == Kind.CLUSTER]
    out = []
    for entity in extraction.entities:
        if entity.kind not in RESOLVED:
            continue
        names = tuple(dict.fromkeys((entity.label, *entity.alt_labels)))
        region = _region_of(entity, by_id)
        if entity.kind == Kind.CLUSTER:
            region = region or _adjective_region(extraction.document.text, entity, lexicon)
            record = _cluster(entity, iris[entity.id], names, region, by_id, lexicon)
            links = tuple(sorted(iris[o.id] for o in clusters if o.id != entity.id
                                 and _renamed(entity, o, extraction.document.text)))
            if links:
                record = _replace_links(record, links)
        elif entity.kind == Kind.PERSON:
            record = EntityRecord(iris[entity.id], entity.key, entity.kind.value, entity.label, names, region,
                                  _person_keys(entity.key, doc_region, _gender(entity, extraction.document.text)))
        else:
            record = _organisation(entity, iris[entity.id], names, region, doc_region, lexicon)
            links = tuple(sorted(iris[o.id] for o in orgs if o.id != entity.id and _same_body(entity, o, lexicon)))
            if links:
                record = _replace_links(record, links)
        out.append(record)
    return tuple(out)


def _person_keys(key: str, doc_region: str | None, gender: str | None = None) -> tuple[str, ...]:
    """A person's match keys (module docstring); a name of more than two words is matched whole.
    A full name's ``per:`` keys come again with the surname stem marked with its ``gender``
    (``никитин~m``; with both marks when the first name does not say); a surname alone or an
    initial whose gender is known takes only the marked key: it joins no full name of the other."""
    parts = person_parts(key)
    if parts is None:
        return (f"name:{fold(key)}",)
    first, letter, base = parts
    scope = doc_region or "*"
    if first:  # a surname alone is matched in its region only; an initial also anywhere
        keys = [f"name:{first} {base}", f"per:{letter} {base}@*"]
        if doc_region:
            keys += [f"per:{base}@{doc_region}", f"per:{letter} {base}@{doc_region}"]
        for mark in (gender,) if gender else ("f", "m"):  # a first name that does not say: either
            keys += [k.replace(f"{base}@", f"{base}~{mark}@") for k in keys if k.startswith("per:")]
        return tuple(keys)
    stem = f"{base}~{gender}" if gender else base
    return (f"pin:{letter} {stem}@{scope}",) if letter else (f"psur:{stem}@{scope}",)


def _gender(entity: Entity, text: str) -> str | None:
    """What a person's name says of the gender (``kg.extract.gender``): a full name by its first
    name; a surname alone or an initial by the forms written and their clauses, when they agree."""
    parts = person_parts(entity.key)
    if parts is None:
        return None
    if parts[0]:
        return first_name_gender(parts[0])
    found: set[str] = set()
    for mention in entity.mentions:
        written = mention.text.split()
        gender = surname_gender(written[-1], text[max(0, mention.start - 80):mention.start],
                                text[mention.stop:mention.stop + 80]) if written else None
        if gender:
            found.add(gender)
    return found.pop() if len(found) == 1 else None


# what stands between a cluster's name and its former name: «X (до января — Y)», «X (ранее — Y)»,
# «X (бывший Y)», «X (прежнее название — Y)», «X, ранее называвшийся Y»
_FORMER_NAME = re.compile(
    r"^[»\"”]?\s*(?:\(\s*(?:до\s[^()—–,]{1,30}?\s*[—–]|(?:ранее|прежде|прежнее\s+название|старое\s+название)\s*[—–-]?"
    r"|бывш(?:ий|ее|ая))\s*|,\s*(?:ранее|прежде)\s+(?:называвш\w+|носивш\w+\s+название)\s+)$")


def _renamed(entity: Entity, other: Entity, text: str) -> bool:
    """The text gives ``other``'s name as the former name of ``entity`` or the other way round:
    one cluster under two names."""
    for a, b in ((entity, other), (other, entity)):
        for first in a.mentions:
            for second in b.mentions:
                if 0 <= second.start - first.stop <= 40 and _FORMER_NAME.match(text[first.stop:second.start]):
                    return True
    return False


def _replace_links(record: EntityRecord, links: tuple[str, ...]) -> EntityRecord:
    return EntityRecord(record.iri, record.key, record.kind, record.label, record.names, record.region, record.keys,
                        links, record.named, record.ref)


def _document_region(extraction: Extraction) -> str | None:
    """The Russian region mentioned most often (ties: the first mentioned)."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for e in extraction.entities:
        if e.kind == Kind.REGION and (e.iso_code or "").startswith("RU-"):
            counts[e.iso_code] += len(e.mentions)  # type: ignore[index]
            first[e.iso_code] = min(m.start for m in e.mentions) if e.mentions else 0  # type: ignore[index]
    if not counts:
        return None
    return min(counts, key=lambda iso: (-counts[iso], first[iso]))


def _region_of(entity: Entity, by_id: dict[str, Entity]) -> str | None:
    place = by_id.get(entity.located_in or "")
    for _ in range(3):
        if place is None:
            return None
        if place.kind == Kind.REGION and place.iso_code:
            return place.iso_code
        if place.kind == Kind.COUNTRY and place.iso_code == "RU":
            return "RU"
        place = by_id.get(place.located_in or "")
    return None


_WORD_BEFORE = re.compile(r"([А-ЯЁа-яё-]+)[\s\u00a0]+$")


def _adjective_region(text: str, entity: Entity, lexicon: Lexicon) -> str | None:
    """The region of a cluster whose description is preceded by a region's adjective, one word
    apart at most: «Алтайского био фармацевтического кластера» -> RU-ALT."""
    for mention in entity.mentions:
        before = text[max(0, mention.start - 60):mention.start]
        for _ in range(2):
            found = _WORD_BEFORE.search(before)
            if found is None:
                break
            iso = lexicon.region_adjectives.get(lexicon.lemma(fold(found.group(1))))
            if iso:
                return iso
            before = before[:found.start()]
    return None


def _cluster(entity: Entity, iri: str, names: tuple[str, ...], region: str | None, by_id: dict[str, Entity],
             lexicon: Lexicon) -> EntityRecord:
    key = name_key(entity.label, lexicon.lemma)
    named = "@" not in entity.key
    quoted = bool(re.search(r"[«\"“„]", " ".join(names)))
    if named and not quoted:
        rest, iso = lexicon.leading_region_adjective(key)
        if iso and (region is None or region == iso):  # «Калужский фармацевтический кластер»: a description
            key, region, named = rest, iso, False
    sectors = [by_id[s].label for s in entity.sectors if s in by_id]
    keys: list[str] = []
    if named:
        keys.append(f"name:{key}")
        if region and sectors:
            keys.append(f"nsig:{region}:{sectors[0]}")
    elif region:
        rest, _ = lexicon.split_region(key)
        residual = " ".join(w for w in rest.split() if w not in _GENERIC and lexicon.region_adjectives.get(w) != region)
        if sectors:
            keys.append(f"sig:{region}:{sectors[0]}")
        elif residual:
            keys.append(f"sig:{region}:~{residual}")
        else:
            keys.append(f"name:{rest}@{region}")
    return EntityRecord(iri, entity.key, entity.kind.value, entity.label, names, region, tuple(keys), named=named)


def _organisation(entity: Entity, iri: str, names: tuple[str, ...], region: str | None, doc_region: str | None,
                  lexicon: Lexicon) -> EntityRecord:
    keys: list[str] = []
    if entity.kind == Kind.AUTHORITY and " @" in entity.key:  # a federal body's name with a region (``scoped``)
        entry = _reference_entry(entity, lexicon)
        base = lexicon.split_region(name_key(entry.label, lexicon.lemma))[0] if entry else name_key(entity.label, lexicon.lemma)
        return EntityRecord(iri, entity.key, entity.kind.value, entity.label, names, region,
                            (f"name:{base}@{entity.key.rpartition(' @')[2]}",))
    ref = None
    for name in names:
        key = name_key(name, lexicon.lemma)
        entry = lexicon.reference.find(key) or lexicon.reference.find(fold(name))
        if entry is None and "," in name and len(key.split()) >= 3:  # a list cut before its last item
            entry = lexicon.reference.completing(key) or lexicon.reference.completing(fold(name))
        if entry is not None:
            ref = ref or entry.id
    scope = entity.key.rpartition(" @")[2] if " @" in entity.key and entity.kind != Kind.AUTHORITY else None
    if ref is not None:
        keys.append(f"ref:{ref}")
    elif scope is not None:  # a common word for a name: one company per region (``scoped``)
        keys.extend(f"name:{name_key(name, lexicon.lemma)}@{scope}" for name in names)
        return EntityRecord(iri, entity.key, entity.kind.value, entity.label, names, region, tuple(dict.fromkeys(keys)))
    else:
        for name in names:
            keys.extend(_name_keys(entity, name, region, doc_region, lexicon))
    for name in names:
        for part in re.split(r"\s*/\s*", name):
            kind = script(part)
            if kind in ("latin", "cyrillic") and not is_abbreviation(part):
                bones = skeleton(part)
                if len(bones) >= MIN_SKELETON:
                    keys.append(f"skel:{kind}:{bones}")
    return EntityRecord(iri, entity.key, entity.kind.value, entity.label, names, region,
                        tuple(dict.fromkeys(keys)), ref=ref)


def _name_keys(entity: Entity, name: str, region: str | None, doc_region: str | None,
               lexicon: Lexicon) -> list[str]:
    key = name_key(name, lexicon.lemma)
    if not key:
        return []
    tokens = key.split()
    regional = tokens[0] in REGIONAL_ADJECTIVES or tokens[0] in lexicon.region_adjectives
    if entity.kind != Kind.AUTHORITY and tokens[0] not in _AUTHORITY_HEADS and not regional:
        return [f"name:{key}"]
    where = None
    if regional:
        where = lexicon.region_adjectives.get(tokens[0]) or doc_region
        tokens = tokens[1:]
    base, named_region = lexicon.split_region(" ".join(tokens))
    where = named_region or where or region or doc_region
    if not base:
        return []
    return [f"name:{base}@{where}" if where else f"name:{base}"]


def _same_body(entity: Entity, other: Entity, lexicon: Lexicon) -> bool:
    """Two organisations of one document that are one body: «ОАК» and «Объединённая
    авиастроительная компания»; «Минпромэнерго» and «Министерство промышленности и энергетики»."""
    short, full = entity.label, other.label
    if len(words(full)) < 2:
        short, full = full, short
        if len(words(full)) < 2:
            return False
    bare = " ".join(w for w in words(short) if w not in REGIONAL_ADJECTIVES
                    and lexicon.lemma(w) not in REGIONAL_ADJECTIVES and lexicon.lemma(w) not in lexicon.region_adjectives)
    if not bare or " " in bare:
        return False
    if is_abbreviation(short.split()[-1]) and len(bare) >= 2:
        name = " ".join(w for w in words(full) if w not in _LEGAL)
        return initials(name) == bare
    return abbreviates(bare, full)


_LEGAL = frozenset({"ооо", "оао", "зао", "пао", "ао", "фгуп", "гуп", "нп", "ано"})
