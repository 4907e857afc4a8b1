"""factRuEval-2016 response files (``.task1``, ``.task3``) and how an Extraction becomes one.

Mapping decisions (documented in EVALUATION.md):

- PERSON -> ``per``; ORGANIZATION, COMPANY, AUTHORITY, CLUSTER -> ``org``;
  REGION, SETTLEMENT, COUNTRY -> ``loc``, or ``locorg`` when the place acts as an
  organisation: (1) the mention lies inside the evidence of a fact where the place is
  the ``post_in`` of a Post, a party or signatory of an Agreement, a participant of an
  Event, or the target of a ClusterLink; (2) the word before it is an authority noun
  («власти», «правительство», «губернатор», «глава» ...); (3) a COUNTRY mention that
  neither follows a locative preposition («в», «на», «из» ...) nor opens a parenthesis,
  because a country named in the news mostly acts (signs, demands, decides).
- Post -> ``occupation`` (who, position, where); Agreement -> ``deal`` (participant
  for every party and signatory, ``type`` when the agreement type maps onto a
  factRuEval deal type); Event with two or more participants -> ``meeting``. Each
  fact type says so itself (``FactType.factru`` and ``FactType.acting``, ``kg.facts``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import kg.facts
from kg.errors import InputError
from kg.model import Entity, Extraction, Kind, Span

TAGS = ("per", "org", "loc", "locorg")
FACT_TYPES = ("occupation", "deal", "meeting")

_KIND_TAG = {
    Kind.PERSON: "per",
    Kind.ORGANIZATION: "org",
    Kind.COMPANY: "org",
    Kind.AUTHORITY: "org",
    Kind.CLUSTER: "org",
    Kind.REGION: "loc",
    Kind.SETTLEMENT: "loc",
    Kind.COUNTRY: "loc",
}
_PLACES = {Kind.REGION, Kind.SETTLEMENT, Kind.COUNTRY}
_LOCATIVE = frozenset("в во на из по к ко до от через".split())
# national capitals, which news use for their states («переговоры с Москвой», «Анкара заявила»)
_CAPITALS = frozenset(
    "москва вашингтон пекин лондон париж берлин токио киев минск тбилиси анкара тегеран дамаск каир рим мадрид "
    "брюссель варшава прага вена астана ереван баку кишинев рига таллин таллинн вильнюс пхеньян сеул дели нью-дели "
    "исламабад кабул багдад эр-рияд иерусалим тель-авив триполи бейрут афины стокгольм хельсинки осло копенгаген "
    "оттава канберра бразилиа гавана каракас душанбе бишкек ташкент ашхабад белград софия бухарест будапешт "
    "братислава лиссабон дублин амстердам гаага берн ханой бангкок джакарта манила улан-батор".split()
)
_AUTHORITY_NOUNS = frozenset(
    "власти властей властям правительство правительства правительству администрация администрации "
    "руководство руководства парламент парламента губернатор губернатора глава главы мэр мэра "
    "президент президента премьер министр министра посол посла лидер лидера".split()
)
_LAST_WORD = re.compile(r"(\w+)\W*$")


@dataclass(frozen=True, slots=True)
class ResponseMention:
    tag: str  # per, org, loc, locorg
    start: int
    length: int


@dataclass(frozen=True, slots=True)
class ResponseFact:
    type: str  # occupation, deal, meeting
    arguments: tuple[tuple[str, str], ...]  # (role, value)


def format_task1(mentions: list[ResponseMention]) -> str:
    """``TAG START LENGTH`` lines, sorted by position.

    >>> format_task1([ResponseMention("per", 5, 4), ResponseMention("loc", 0, 3)])
    'loc 0 3\\nper 5 4\\n'
    """
    ordered = sorted(set(mentions), key=lambda m: (m.start, m.length, m.tag))
    return "".join(f"{m.tag} {m.start} {m.length}\n" for m in ordered)


def parse_task1(text: str, origin: str = "<task1>") -> list[ResponseMention]:
    mentions = []
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split()
        if not fields:
            continue
        try:
            tag, start, length = fields[0].lower(), int(fields[1]), int(fields[2])
        except (IndexError, ValueError) as exc:
            raise InputError(f"{origin}:{number}: expected 'TAG START LENGTH'") from exc
        if tag not in TAGS or len(fields) != 3:
            raise InputError(f"{origin}:{number}: expected 'TAG START LENGTH' with TAG in {', '.join(TAGS)}")
        mentions.append(ResponseMention(tag, start, length))
    return mentions


def clean_value(value: str) -> str:
    """One line, no ``:`` (the official reader splits on it), single spaces, lower case."""
    return " ".join(value.replace(":", " ").split()).lower()


def format_task3(facts: list[ResponseFact]) -> str:
    """Blocks separated by a blank line: fact type, then ``role : value`` lines.

    >>> print(format_task3([ResponseFact("deal", (("participant", "ООО Ромашка"),))]), end="")
    deal
    participant : ооо ромашка
    """
    blocks = []
    for fact in facts:
        lines = [fact.type] + [f"{role} : {clean_value(value)}" for role, value in fact.arguments]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def parse_task3(text: str, origin: str = "<task3>") -> list[ResponseFact]:
    facts: list[ResponseFact] = []
    fact_type = ""
    arguments: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines() + [""], 1):
        if not line.strip():
            if fact_type:
                facts.append(ResponseFact(fact_type, tuple(arguments)))
            fact_type, arguments = "", []
        elif not fact_type:
            fact_type = line.strip(" :\t").lower()
        else:
            role, sep, value = line.partition(":")
            if not sep or ":" in value:
                raise InputError(f"{origin}:{number}: expected 'role : value'")
            arguments.append((role.strip().lower(), value.strip()))
    return facts


def person_value(label: str) -> str:
    """«фамилия имя» from a label written «Имя [Отчество] Фамилия».

    >>> person_value("Алексей Орлов"), person_value("Юрий Михайлович Лужков"), person_value("Путин")
    ('орлов алексей', 'лужков юрий', 'путин')
    """
    words = label.split()
    if len(words) in (2, 3) and all(word[:1].isupper() for word in words):
        return f"{words[-1]} {words[0]}".lower()
    return label.lower()


def _value(entity: Entity) -> str:
    return person_value(entity.label) if entity.kind is Kind.PERSON else entity.label.lower()


def _acting_places(extraction: Extraction) -> list[tuple[str, int, int]]:
    """(entity id, start, stop) of fact evidence in which an entity acts (``FactType.acting``)."""
    types = kg.facts.by_class(kg.facts.FACTS)
    acting: list[tuple[str, int, int]] = []
    for fact in extraction.facts:
        span = fact.evidence
        acting.extend((entity_id, span.start, span.stop) for entity_id in types[type(fact)].acting(fact))
    return acting


def _previous_word(text: str, start: int) -> str:
    found = _LAST_WORD.search(text, max(0, start - 40), start)
    return found.group(1).lower() if found else ""


def _acts(extraction: Extraction, entity: Entity, span: Span, acting: list[tuple[str, int, int]]) -> bool:
    """Whether this mention of a place names it as an organisation (the LocOrg rule)."""
    if any(e == entity.id and start <= span.start and span.stop <= stop for e, start, stop in acting):
        return True
    text = extraction.document.text
    before = _previous_word(text, span.start)
    if before in _AUTHORITY_NOUNS:
        return True
    if entity.kind is Kind.COUNTRY or entity.kind is Kind.SETTLEMENT and entity.label.lower().replace("ё", "е") in _CAPITALS:
        return before not in _LOCATIVE and not text[: span.start].endswith("(")
    return False


def task1_mentions(extraction: Extraction) -> list[ResponseMention]:
    acting = _acting_places(extraction)
    mentions = []
    for entity in extraction.entities:
        tag = _KIND_TAG.get(entity.kind)
        if tag is None:
            continue
        for span in entity.mentions:
            if span.stop <= span.start:
                continue
            mention_tag = tag
            if entity.kind in _PLACES and _acts(extraction, entity, span, acting):
                mention_tag = "locorg"
            mentions.append(ResponseMention(mention_tag, span.start, span.stop - span.start))
    return mentions


class _Answers:
    """How the entities of one extraction are written in answers (``kg.facts.spec.Answers``)."""

    def __init__(self, extraction: Extraction) -> None:
        self.extraction = extraction
        self.entities = {entity.id: entity for entity in extraction.entities}

    def value(self, entity_id: str | None) -> str | None:
        entity = self.entities.get(entity_id) if entity_id else None
        return _value(entity) if entity else None

    def as_written(self, entity_id: str | None, evidence: Span) -> str | None:
        """A fact's place argument as written in the fact's evidence («КНР», «Подмосковья»), which
        factRuEval accepts as a mention text, rather than our canonical label («Китай»); other
        entities (and places not mentioned in the evidence) by their label."""
        entity = self.entities.get(entity_id) if entity_id else None
        if entity is None:
            return None
        if entity.kind in _PLACES:
            inside = [s for s in entity.mentions if evidence.start <= s.start and s.stop <= evidence.stop]
            if inside:
                return self.extraction.document.text[inside[0].start:inside[0].stop].lower()
        return _value(entity)


def task3_facts(extraction: Extraction) -> list[ResponseFact]:
    """The Track 3 answers of an extraction: each fact as its type answers it (``FactType.factru``), once."""
    types = kg.facts.by_class(kg.facts.FACTS)
    answers = _Answers(extraction)
    facts: list[ResponseFact] = []
    seen: set[ResponseFact] = set()
    for fact in extraction.facts:
        factru = types[type(fact)].factru
        if factru is None:
            continue
        arguments = factru.arguments(fact, answers)
        if arguments is None:
            continue
        response = ResponseFact(factru.fact_type, tuple((role, clean_value(v)) for role, v in arguments))
        if response not in seen:
            seen.add(response)
            facts.append(response)
    return facts


def write_response(extraction: Extraction, out: Path, name: str) -> tuple[Path, Path]:
    """Write ``name.task1`` and ``name.task3`` into ``out``; return both paths."""
    task1, task3 = out / f"{name}.task1", out / f"{name}.task3"
    try:
        task1.write_text(format_task1(task1_mentions(extraction)), encoding="utf-8")
        task3.write_text(format_task3(task3_facts(extraction)), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{out}: cannot write responses: {exc}") from exc
    return task1, task3
