"""Events: совещание, заседание, круглый стол, форум, встреча, визит, выставка, конференция, сессия.

Read (``EventReader``) one per type and name in a document, with its participants (people
in the sentence, or the organisations of a meeting without people), the clusters it is
about, date and place. Stated as ``{base}event/{hash}`` ``a ckg:Event``; drawn as a node
linked to its participants and topics; answered to factRuEval as a ``meeting`` when it
has two participants or more.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from kg.extract.context import Context
from kg.extract.readers.dates import best_date, find_dates
from kg.extract.readers.orgs import QUOTED, strip_quotes
from kg.facts.nodes import fact_node, keep_known
from kg.facts.fact_frames import check_events
from kg.facts.spec import Answers, Factru, FactGraph, FactType, Found, ReaderSpec, Reading, Relation, ruled
from kg.mapping.vocab import CKG, RDF, RDFS
from kg.model import Event, Kind
from kg.vocab import CKG_NS, NodeClass, Style

if TYPE_CHECKING:
    from kg.extract.tools import Tools

__all__ = ["EVENTS", "Event", "EventReader"]

EVENT = re.compile(
    r"(?<![\w-])(?:(«?круглы[йхм]\w*\s+стол\w*»?)|(совещани\w*|заседани\w*|форум\w*|встреч[аеиу]\b|встречами?\b|встречах\b|"
    r"встречей\b|обсудил\w*|обсуждал\w*|принял[аи]?\b|принят[аы]?\b|"
    r"встретил\w*|встретят\w*|встретит\w*|встреча(?:ет|ют|л|ть)\w*|переговор\w*|визит\w*|выставк\w*|конференци\w*|сесси[яиюей]\w*|"
    r"собрани[еяю]\w*|саммит\w*|съезд\w*|штаб\w*|коллеги[иея]\b))",
    re.I,
)
_TYPES = [
    ("круглы", "круглый стол"), ("совещан", "совещание"), ("заседан", "заседание"), ("форум", "форум"),
    ("встрет", "встреча"), ("встреч", "встреча"), ("переговор", "переговоры"), ("визит", "визит"), ("выставк", "выставка"),
    ("конференц", "конференция"), ("сесси", "сессия"), ("собрани", "собрание"), ("саммит", "саммит"), ("съезд", "съезд"),
    ("штаб", "штаб"), ("коллеги", "заседание"), ("обсуд", "встреча"), ("обсужд", "встреча"),
    ("приня", "встреча"),
]
_NAME_AFTER = re.compile(rf"\s*({QUOTED})")
_SKIP_BEFORE = re.compile(r"(?:на\s+полях|в\s+рамках)\s+$", re.I)
PARTICIPANT_KINDS = {Kind.PERSON}
_NOT_EVENT_CONTEXT = re.compile(r"(общее\s+собрание\s+акционеров|собрани[ея]\s+сочинений|законодательн\w+\s+собрани|народн\w+\s+собрани)", re.I)


class EventReader:
    """Events named by their type word, in every sentence."""

    def __init__(self, tools: Tools) -> None:
        self.morph = tools.morph

    def read(self, doc: Reading, found: Found) -> list[Event]:
        return check_events(doc.ctx, ruled(self._read(doc), "event.grammar"))

    def _read(self, doc: Reading) -> list[Event]:
        ctx = doc.ctx
        text = ctx.text
        events: list[Event] = []
        seen: dict[tuple[str, str | None], int] = {}
        for sent_start, sent_stop in ctx.sents:
            for match in EVENT.finditer(text, sent_start, sent_stop):
                word = match.group(0)
                low = word.lower().strip("«»")
                if _NOT_EVENT_CONTEXT.search(text[max(sent_start, match.start() - 20):match.end() + 15]):
                    continue
                if low.startswith("штаб") and "отраслев" not in text[max(0, match.start() - 20):match.start()].lower():
                    continue
                if low.startswith("коллеги") and not re.match(r"[КкК]оллеги", word):
                    continue
                typ = next(name for stem, name in _TYPES if low.startswith(stem))
                nouns = [p for p in self.morph.parses(low.split()[-1]) if p.tag.POS == "NOUN"]
                if typ != "переговоры" and nouns and all(p.tag.number == "plur" for p in nouns):
                    continue  # «взаимные визиты», «совещания»: not one event
                if typ == "переговоры" and low.startswith("переговорн"):
                    continue
                label, start, stop = self._label(ctx, match, typ)
                key = (typ, label.lower() if label else None)
                if key in seen:
                    continue
                participants = self._participants(ctx, sent_start, sent_stop, typ, match.start())
                about = [m.entity for m in ctx.mentions_in(sent_start, sent_stop, {Kind.CLUSTER})]
                towns = ctx.mentions_in(sent_start, sent_stop, {Kind.SETTLEMENT})
                place = towns[0].entity if towns else None
                date = best_date(find_dates(text, ctx.doc.date, sent_start, sent_stop))
                if typ == "встреча" and not participants and label is None and not re.search(r"рабоч|встреч[аеиу]\s+с\s", text[max(sent_start, match.start() - 15):match.end() + 4], re.I):
                    continue
                seen[key] = len(events)
                events.append(Event(
                    type=typ, evidence=ctx.span(start, stop), participants=tuple(dict.fromkeys(participants)),
                    about=tuple(dict.fromkeys(about)), date=date, place=place, label=label,
                ))
        return events

    def _label(self, ctx: Context, match: re.Match[str], typ: str) -> tuple[str | None, int, int]:
        """A proper name: «Петербургский международный экономический форум», конференция «…»."""
        text = ctx.text
        start, stop = match.start(), match.end()
        named = _NAME_AFTER.match(text, stop)
        if named and typ not in ("встреча", "переговоры"):
            return f"{typ} {named.group(1)}" if typ != "форум" else strip_quotes(named.group(1)), start, named.end()
        index = ctx.tok_at(start) - 1
        first = start
        capital = False
        count = 0
        while index >= 0 and count < 4:
            token = ctx.tokens[index]
            parses = self.morph.parses(token.text.lower())
            if parses and parses[0].tag.POS == "ADJF" and token.text.isalpha() or re.fullmatch(r"[IVX]+", token.text):
                first = token.start
                if token.text[:1].isupper():
                    capital = True
                count += 1
                index -= 1
                continue
            break
        if typ in ("форум", "конференция", "выставка", "саммит", "съезд") and capital and first < start:
            phrase = text[first:stop]
            return self.morph.nominative_phrase(phrase), first, stop
        return None, start, stop

    def _participants(self, ctx: Context, sent_start: int, sent_stop: int, typ: str, at: int = -1) -> list[str]:
        if typ in ("встреча", "переговоры") and at >= 0:
            # «встреча между X и Y», «X встретился с Y»: the people around the word
            window = [m for m in ctx.mentions_in(sent_start, sent_stop, PARTICIPANT_KINDS) if -200 < m.start - at < 130]
            people = [m.entity for m in window]
            if len(set(people)) >= 2:
                return people
        people = [m.entity for m in ctx.mentions_in(sent_start, sent_stop, PARTICIPANT_KINDS)]
        if people or typ not in ("встреча", "переговоры", "визит"):
            return people
        return [m.entity for m in ctx.mentions_in(sent_start, sent_stop, {Kind.ORGANIZATION, Kind.COMPANY, Kind.AUTHORITY})]


# -- the fact type: what is kept, its triples, its factRuEval answer -----------------------------


def keep(event: Event, ids: frozenset[str]) -> Event:
    """The event, with only the participants, topics and place that made it."""
    return replace(event, participants=keep_known(event.participants, ids), about=keep_known(event.about, ids),
                   place=event.place if event.place in ids else None)


def triples(g: FactGraph, e: Event) -> None:
    node = fact_node(g, "event", e)
    g.add(node, RDF.type, CKG.Event)
    g.add(node, CKG.eventType, g.t.lang(e.type, "ru"))
    for entity_id in e.participants:
        g.add(node, CKG.participant, g.iris[entity_id])
    g.add(node, RDFS.label, g.t.lang(e.label or e.type, "ru"))


MEETINGS = frozenset({"встреча", "переговоры"})


def meeting(event: Event, answers: Answers) -> list[tuple[str, str]] | None:
    """factRuEval ``meeting``: a meeting or talks (not a forum, session or visit, whose people are
    those named around it), with its participants, when there are two or more."""
    if event.type not in MEETINGS:
        return None
    names = [answers.as_written(entity_id, event.evidence) for entity_id in event.participants]
    arguments = [("participant", name) for name in dict.fromkeys(names) if name]
    return arguments if len(arguments) >= 2 else None


EVENT_CLASS = NodeClass(CKG_NS + "Event", "Event", "Событие", Style("triangleDown", "#17a2b8", "▼"))

EVENTS: FactType[Event] = FactType(
    name="event",
    cls=Event,
    readers=(ReaderSpec(EventReader),),
    keep=keep,
    triples=triples,
    trigger=re.compile(r"совещан|заседан|форум|встреч|встрет|визит|выставк|конференц|сесси|собрани|круглы|переговор|саммит|"
                       r"обсуд|обсужд|приня", re.I),
    class_iri=EVENT_CLASS.iri,
    node_class=EVENT_CLASS,
    relations=(
        Relation(CKG_NS + "participant", "participant", "участник"),
        Relation(CKG_NS + "about", "about", "о"),
    ),
    acting=lambda event: event.participants,
    factru=Factru("meeting", meeting),
)
