"""A cluster's founding or announcement date, when the text states it.

«Кластер был создан в 2012 году», «кластер, созданный в 2015 г.», «14 марта объявили о создании
кластера …», «был образован в апреле 2014 года», «созданный в этом году кластер» (the year of
the document). Stated as ``cluster ckg:foundingDate date`` in the document's graph, and read as
an ``rdf:Statement`` (rule, confidence, evidence) as cluster links are. A day and month without
a year take the year from the document's date (``kg.extract.readers.dates.complete_date``), and
the statement says so with ``ckg:statedDate``. Planned clusters («будет создан к 2030 году»)
and dates after the document's year are not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.extract.context import Context, Mention
from kg.extract.readers.dates import DateHit, find_dates
from kg.facts.nodes import reading, statement
from kg.facts.spec import FactGraph, FactType, Found, ReaderSpec, Reading
from kg.mapping.vocab import CKG
from kg.model import DateKind, DateValue, Kind, Span, document_date

if TYPE_CHECKING:
    from kg.extract.tools import Tools

__all__ = ["FOUNDINGS", "Founding", "FoundingReader", "read_foundings"]

_FORMS = r"(?:н|на|но|ны|нн\w*|ли|л|ла)"
CREATED = re.compile(
    rf"(?<![\w-])(?:созда{_FORMS}|образова{_FORMS}|основа{_FORMS}|сформирова{_FORMS}|зарегистрирова{_FORMS}"
    r"|учрежд[её]н\w*|учреди(?:ли|л|ла)|появи(?:лся|лась))(?![\w-])", re.I)
ANNOUNCED = re.compile(r"(?<![\w-])(?:объяви\w*|объявлено|заяви\w*|сообщи\w*|анонсирова\w*)\s+(?:\w+\s+){0,2}?"
                       r"о\s+(?:создании|образовании|формировании|запуске)(?![\w-])", re.I)
PLANNED = re.compile(r"(?<![\w-])(?:будет|будут|планиру\w*|запланирова\w*|намерен\w*|предполага\w*|собира\w*"
                     r"|может|могут|должен|должна|должны|предстоит|появится|проект\w*)(?![\w-])", re.I)
RELATIVE = re.compile(r"(?<![\w-])в\s+(этом|текущем|нынешнем|прошлом|минувшем|позапрошлом)\s+году(?![\w-])", re.I)
BACK = {"этом": 0, "текущем": 0, "нынешнем": 0, "прошлом": 1, "минувшем": 1, "позапрошлом": 2}
NEAR = 80  # characters between the verb and the cluster, or the verb and the date, at most
HOLDERS = {Kind.CLUSTER, Kind.ORGANIZATION, Kind.COMPANY}  # what may be the thing created
COREF = re.compile(r"^\W*(?:он|кластер)(?![\w-])", re.I)  # «Он был создан в 2012 году»


@dataclass(frozen=True, slots=True)
class Founding:
    """``cluster`` was created, or its creation announced, at ``date`` (``rule``: how it was read)."""

    cluster: str
    date: DateValue
    evidence: Span
    rule: str
    confidence: float | None = None


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    return b[0] - a[1] if a[1] <= b[0] else a[0] - b[1] if b[1] <= a[0] else 0


def _dates(ctx: Context, start: int, stop: int) -> list[DateHit]:
    """Dates of ``ctx.text[start:stop]``, with «в этом году» as the document's year; none that is a
    target («к 2030 году», «до 2025 года»)."""
    doc_date = ctx.doc.date
    hits = [h for h in find_dates(ctx.text, doc_date, start, stop)
            if not re.search(r"(?<![\w-])(?:к|до)\s*$", ctx.text[max(start, h.start - 4):h.start], re.I)]
    if doc_date and re.match(r"\d{4}", doc_date):
        for match in RELATIVE.finditer(ctx.text, start, stop):
            year = int(doc_date[:4]) - BACK[match.group(1).lower()]
            hits.append(DateHit(match.start(), match.end(), DateValue(str(year), DateKind.YEAR)))
    return hits


def _outermost(mentions: list[Mention]) -> list[Mention]:
    return [m for m in mentions if not any(o is not m and o.start <= m.start and m.stop <= o.stop
                                           and (o.start, o.stop) != (m.start, m.stop) for o in mentions)]


def _created(ctx: Context, verb: tuple[int, int], start: int, stop: int) -> Mention | None:
    """What the verb says was created: the nearest cluster or organisation before it (its
    subject: «Кластер был создан», «кластер, созданный»), else after it («создан кластер»,
    «о создании кластера»); None when that is not a cluster."""
    candidates = _outermost([m for m in ctx.mentions_in(start, stop, HOLDERS)])
    before = [m for m in candidates if m.stop <= verb[0] and verb[0] - m.stop <= NEAR]
    after = [m for m in candidates if m.start >= verb[1] and m.start - verb[1] <= NEAR]
    chosen = max(before, key=lambda m: m.stop) if before else min(after, key=lambda m: m.start) if after else None
    return chosen if chosen is not None and ctx.kind(chosen.entity) == Kind.CLUSTER else None


def read_foundings(ctx: Context) -> list[Founding]:
    """The founding or announcement dates the document states, one per cluster (the first)."""
    found: dict[str, Founding] = {}
    doc_year = int(ctx.doc.date[:4]) if ctx.doc.date and re.match(r"\d{4}", ctx.doc.date) else None
    for start, stop in ctx.sents:
        sentence = ctx.text[start:stop]
        verbs = [(m.start() + start, m.end() + start, "announced") for m in ANNOUNCED.finditer(sentence)]
        verbs += [(m.start() + start, m.end() + start, "created") for m in CREATED.finditer(sentence)
                  if not any(a <= m.start() + start < b for a, b, _ in verbs)]
        if not verbs or PLANNED.search(sentence):
            continue
        dates = _dates(ctx, start, stop)
        for v_start, v_stop, how in verbs:
            verb = (v_start, v_stop)
            near = [h for h in dates if _distance(verb, (h.start, h.stop)) <= NEAR]
            date = min(near, key=lambda h: _distance(verb, (h.start, h.stop))) if near else None
            rule, confidence = f"founding.{how}", 0.9
            if date is None:
                if how != "announced" or not ctx.doc.date:
                    continue
                # «объявила о создании кластера» in a dated news item: announced by that day
                value = document_date(ctx.doc.date)
                if value is None:
                    continue
                date = DateHit(v_start, v_stop, value)
                rule, confidence = f"founding.{how}+document-date", 0.6
            if doc_year is not None and re.match(r"\d{4}", date.value.value) and int(date.value.value[:4]) > doc_year:
                continue  # a date after the news is a plan
            cluster = _created(ctx, verb, start, stop)
            span = (cluster.start, cluster.stop) if cluster else None
            if cluster is None and COREF.search(sentence):
                earlier = [m for m in ctx.mentions_in(max(0, start - 300), start, {Kind.CLUSTER})]
                if earlier:
                    cluster, span = earlier[-1], None
                    rule, confidence = rule + "+coref", min(confidence, 0.8)
            if cluster is None or cluster.entity in found:
                continue
            parts = [verb, (date.start, date.stop)] + ([span] if span else [])
            lo, hi = min(p[0] for p in parts), max(p[1] for p in parts)
            while hi < stop and ctx.text[hi].isalpha():
                hi += 1  # the whole last word («в 2012 году», not «год»)
            found[cluster.entity] = Founding(cluster.entity, date.value, ctx.span(lo, hi), rule, confidence)
    return list(found.values())


class FoundingReader:
    def __init__(self, tools: Tools) -> None:
        pass  # regular expressions and the document's mentions only

    def read(self, doc: Reading, found: Found) -> list[Founding]:
        return read_foundings(doc.ctx)


def keep(fact: Founding, ids: frozenset[str]) -> Founding | None:
    return fact if fact.cluster in ids else None


def triples(g: FactGraph, fact: Founding) -> None:
    """The date on the cluster, and its reading as an ``rdf:Statement``: rule, confidence, evidence,
    and the day and month the text gave when kg took the year from the document."""
    cluster, value = g.iris[fact.cluster], g.date(fact.date)
    g.add(cluster, CKG.foundingDate, value)
    entity = g.by_id[fact.cluster]
    node = g.t.iri(g.minter.statement(g.doc.id, g.minter.entity(entity.kind, entity.key), "founded", fact.date.value))
    statement(g, node, cluster, CKG.foundingDate, value)
    if fact.date.stated:
        g.add(node, CKG.statedDate, g.date(DateValue(fact.date.stated, DateKind.MONTH_DAY)))
    reading(g, node, fact)
    g.mention(fact.evidence, node)


FOUNDINGS: FactType[Founding] = FactType(
    name="founding",
    cls=Founding,
    readers=(ReaderSpec(FoundingReader),),
    keep=keep,
    triples=triples,
    trigger=re.compile(r"кластер", re.I),
)
