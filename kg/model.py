"""Typed records passed between the pipeline stages.

read (kg.io) -> Document -> extract (kg.extract) -> Extraction -> to_graph (kg.mapping)

The fact dataclasses of the fact types kg ships are here, as every stage reads them;
each fact type module of ``kg.facts`` says how they are read, stated, drawn and scored.

Entities inside one Extraction refer to each other by their local ``id``
(e.g. ``"e3"``); only ``kg.mapping`` turns ``(kind, key)`` into IRIs, so the same
key met in two documents becomes the same node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol


class Kind(str, Enum):
    """Entity classes of the published vocabulary (ONTOLOGY.md)."""

    CLUSTER = "cluster"
    ORGANIZATION = "organization"
    COMPANY = "company"
    AUTHORITY = "authority"
    PERSON = "person"
    REGION = "region"
    SETTLEMENT = "settlement"
    COUNTRY = "country"
    SECTOR = "sector"


class DateKind(str, Enum):
    """How much of a date is known; names follow the XSD datatypes."""

    DATE = "date"  # 2024-04-09
    YEAR_MONTH = "gYearMonth"  # 2024-04
    YEAR = "gYear"  # 2024
    MONTH_DAY = "gMonthDay"  # --04-09


class ClusterRole(str, Enum):
    """How an organisation relates to a cluster."""

    MEMBER = "member"  # org:hasMember
    INITIATOR = "initiator"  # ckg:initiatedBy
    ANCHOR = "anchor"  # ckg:basedOn


@dataclass(frozen=True, slots=True)
class Span:
    """Code-point offsets into the raw document text; ``text == doc.text[start:stop]``."""

    start: int
    stop: int
    text: str


@dataclass(frozen=True, slots=True)
class Document:
    """One input record, exactly as read."""

    id: str
    text: str
    date: str | None = None  # ISO 8601, full or partial ("2024-09", "2020")
    title: str | None = None
    url: str | None = None
    origin: str = ""  # "path:line" where the record was read, for messages


@dataclass(frozen=True, slots=True)
class DateValue:
    """A (possibly partial) date in its XSD lexical form, e.g. ``--04-09`` for gMonthDay."""

    value: str
    kind: DateKind
    stated: str | None = None  # the day and month the text gave («9 апреля»: --04-09), when kg added the year


def document_date(raw: str) -> DateValue | None:
    """The DateValue of an ISO 8601 record date: ``2024-09-18``, ``2024-09`` or ``2024``; None otherwise."""
    kind = {10: DateKind.DATE, 7: DateKind.YEAR_MONTH, 4: DateKind.YEAR}.get(len(raw))
    return DateValue(raw, kind) if kind and re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", raw) else None


@dataclass(frozen=True, slots=True)
class Entity:
    """One entity as read from one document.

    ``key`` identifies the entity across documents (the mapping mints its IRI from
    ``(kind, key)``); ``label`` is the canonical nominative form.
    """

    id: str
    kind: Kind
    key: str
    label: str
    mentions: tuple[Span, ...] = ()
    alt_labels: tuple[str, ...] = ()
    legal_form: str | None = None
    iso_code: str | None = None  # regions: RU-KLU; countries: DE
    wikidata: str | None = None  # "Q1234", only when verified
    located_in: str | None = None  # id of a REGION/SETTLEMENT/COUNTRY entity
    sectors: tuple[str, ...] = ()  # ids of SECTOR entities


@dataclass(frozen=True, slots=True)
class Post:
    """A position held by one person: org:Post."""

    holder: str  # PERSON entity id
    title: str  # nominative, without the organisation: "заместитель губернатора"
    post_in: str | None  # ORGANIZATION/AUTHORITY/COMPANY/CLUSTER/REGION entity id
    evidence: Span
    rule: str = ""  # the reading rule: "post.grammar", "post.verb", ...
    confidence: float | None = None  # None: the rule gives no confidence


@dataclass(frozen=True, slots=True)
class ClusterLink:
    """A cluster's member, initiator or anchor organisation."""

    cluster: str  # CLUSTER entity id
    target: str  # entity id
    role: ClusterRole
    evidence: Span
    rule: str = ""  # the reading rule that produced it: "member.enter", "anchor.base+coref", ...
    confidence: float | None = None  # ordinal: 0.9 stated, 0.8 through coreference, 0.7 a region's unnamed cluster


@dataclass(frozen=True, slots=True)
class Agreement:
    """A signed agreement, memorandum or contract."""

    type: str  # "меморандум о взаимопонимании"
    evidence: Span
    parties: tuple[str, ...] = ()
    signatories: tuple[str, ...] = ()
    witnesses: tuple[str, ...] = ()
    about: tuple[str, ...] = ()
    date: DateValue | None = None
    place: str | None = None
    rule: str = ""  # the reading rule: "agreement.grammar", "deal.grammar", ...
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """A meeting, session, round table, forum, visit or exhibition."""

    type: str  # "круглый стол"
    evidence: Span
    participants: tuple[str, ...] = ()
    about: tuple[str, ...] = ()
    date: DateValue | None = None
    place: str | None = None
    label: str | None = None  # a proper name, when it has one: "Восточный экономический форум"
    rule: str = ""  # the reading rule: "event.grammar", ...
    confidence: float | None = None


class Fact(Protocol):
    """A fact of any type (``kg.facts``: Post, ClusterLink, Agreement, Event and whatever a fact
    type module adds): a frozen dataclass with the span of text it was read from."""

    @property
    def evidence(self) -> Span: ...


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything read from one document.

    ``sentences``: the ``(start, stop)`` raw-text offsets of the sentences the facts were read
    in (one per fact's evidence, the sentences it overlaps joined), ascending; the mapping
    states each as the ``nif:Sentence`` of its fact's evidence.
    """

    document: Document
    entities: tuple[Entity, ...] = ()
    facts: tuple[Fact, ...] = field(default_factory=tuple)
    sentences: tuple[tuple[int, int], ...] = ()

    def entity(self, entity_id: str) -> Entity:
        for entity in self.entities:
            if entity.id == entity_id:
                return entity
        raise KeyError(entity_id)


@dataclass(frozen=True, slots=True)
class Problem:
    """A bad record or file that was skipped; ``where`` is ``path:line`` or ``path``."""

    where: str
    message: str
    severity: str = "error"  # "warning": reported, but the record was kept (e.g. a bad date)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"
