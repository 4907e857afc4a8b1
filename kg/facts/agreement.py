"""Agreements: signed agreements, memoranda and contracts, end to end.

Read (``AgreementReader``): the type («меморандум о взаимопонимании»), parties, signatories
(«Со стороны … подписал …»), witnesses («в присутствии …»), date, place, and the clusters
it is about, over the sentences that mention one signing. Stated as ``{base}agreement/{hash}``
``a ckg:Agreement``; drawn as a node linked to its parties, signatories, witnesses and topics;
answered to factRuEval as a ``deal``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from kg.extract.context import Context
from kg.extract.morph import Morph
from kg.extract.readers.dates import best_date, find_dates
from kg.extract.readers.report import report_date
from kg.facts.nodes import fact_node, keep_known
from kg.facts.post import POSTS
from kg.facts.fact_frames import check_agreements
from kg.facts.spec import Answers, Factru, FactGraph, FactType, Found, ReaderSpec, Reading, Relation, ruled
from kg.mapping.vocab import CKG, RDF, RDFS
from kg.model import Agreement, DateValue, Kind, Post
from kg.vocab import CKG_NS, NodeClass, Style

if TYPE_CHECKING:
    from kg.extract.tools import Tools

__all__ = ["AGREEMENTS", "Agreement", "AgreementReader"]

AGREEMENT = re.compile(
    r"(?<![\w-])((?:[а-яё]+(?:ое|ые|ий|ого|ых|ому|ым|ой|ую|ая)\s+){0,2})"
    r"(меморандум\w*|соглашени\w*|договор(?:а|у|ом|е|ы|ов|ам|ами|ах)?|контракт\w*)(?![\w-])"
    r"(?:\s+(о|об)\s+([а-яё]+)|\s+(поставки|лизинга|аренды|подряда|купли-продажи|займа|франчайзинга))?",
    re.I,
)
SIGN = re.compile(
    r"подпис|парафир|скрепил|заключ[её]н|заключ(?:ил|или|ила|ат|ают|ит|ать)\w*\s+(?:\S+\s+){0,3}?(?:соглаш|договор|контракт|меморанд)",
    re.I,
)
# a singular signing verb before a contract: one side signs, the other is left unnamed
ONE_SIDE = re.compile(r"(?<![\w-])(?:заключил[оа]?|подписал[оа]?)\s+(?:[а-яё]+\s+){0,2}?(?:контракт|договор)", re.I)
SIDE = re.compile(r"[Сс]о\s+стороны\s+", re.I)
WITNESS = re.compile(r"в\s+присутствии\s+", re.I)
DOC_ANAPHORA = re.compile(r"(?<![\w-])(документ\w*|подписи)(?![\w-])", re.I)
_TYPE_COMPLEMENTS = {"сотрудничестве", "взаимопонимании", "партнерстве", "партнёрстве", "намерениях", "взаимодействии",
                     "создании", "поставке", "поставках", "реализации", "предоставлении", "намерении", "инвестициях",
                     "развитии", "кооперации", "совместной", "стратегическом", "государственно-частном", "участии",
                     "присоединении", "перезагрузке", "госудраственно-корпоративном", "государственно-корпоративном"}
_DEAL_COMPLEMENTS = {"покупке": "купле-продаже", "приобретении": "купле-продаже", "продаже": "купле-продаже",
                     "кредите": "кредите", "займе": "займе", "инвестициях": "инвестициях"}
_SKIP_ADJ = {"этот", "это", "этого", "этом", "данное", "данного", "такое", "такого", "новое", "нового", "которое", "которого", "свое", "своего"}
PARTY_KINDS = {Kind.ORGANIZATION, Kind.COMPANY, Kind.AUTHORITY, Kind.CLUSTER}


@dataclass(slots=True)
class _Draft:
    type: str
    start: int
    stop: int
    sents: list[tuple[int, int]] = field(default_factory=list)
    explicit_parties: list[str] = field(default_factory=list)
    pending: bool = False
    anaphoric: set[tuple[int, int]] = field(default_factory=set)


class AgreementReader:
    """Agreements over runs of sentences: one naming the document, the next ones its sides and signing."""

    def __init__(self, tools: Tools) -> None:
        self.morph = tools.morph

    def _type(self, match: re.Match[str]) -> str:
        adjectives = [a for a in match.group(1).split() if a.lower() not in _SKIP_ADJ]
        head = self.morph.nominative_phrase(" ".join(adjectives + [match.group(2)]))
        head = head[:1].lower() + head[1:]
        words = head.split()
        if len(words) > 1:
            head = self.morph.nominative_phrase(" ".join(words))
        comp = (match.group(4) or "").lower()
        if match.group(5):  # «договор поставки», «договора лизинга»: the genitive names the kind of contract
            return f"{_singular(self.morph, head)} {match.group(5).lower()}"
        if comp in _DEAL_COMPLEMENTS:
            head = f"{head} о {_DEAL_COMPLEMENTS[comp]}"
        elif comp in _TYPE_COMPLEMENTS or comp.replace("ё", "е") in _TYPE_COMPLEMENTS:
            head = f"{head} {match.group(3).lower()} {comp}"
        return _singular(self.morph, head)

    def read(self, doc: Reading, found: Found) -> list[Agreement]:
        read = ruled(self.read_agreements(doc.ctx, found.of(POSTS)), "agreement.grammar")
        one_side = {a.evidence for a in read if len(a.parties) == 1 and not a.signatories and not a.about and not a.witnesses}
        # a one-sided contract whose side turns out no party is nothing
        return [a for a in check_agreements(doc.ctx, read) if a.parties or a.evidence not in one_side]

    def read_agreements(self, ctx: Context, posts: list[Post]) -> list[Agreement]:
        text = ctx.text
        drafts: list[_Draft] = []
        current: _Draft | None = None
        last_index = -10
        for index, (sent_start, sent_stop) in enumerate(ctx.sents):
            sentence = text[sent_start:sent_stop]
            signed = bool(SIGN.search(sentence))
            side = bool(SIDE.search(sentence))
            adjacent = current is not None and last_index == index - 1
            match = AGREEMENT.search(text, sent_start, sent_stop)
            if match is not None:
                typ = self._type(match)
                if current is not None and adjacent and (current.pending or not signed or side):
                    if current.pending:
                        current.type, current.start, current.stop, current.pending = typ, match.start(2), match.end(), False
                    current.sents.append((sent_start, sent_stop))
                    last_index = index
                    continue
                earlier = self._same_as_earlier(ctx, drafts, typ, sent_start, sent_stop)
                if earlier is not None:
                    earlier.sents.append((sent_start, sent_stop))
                    earlier.anaphoric.add((sent_start, sent_stop))
                    continue
                current = _Draft(typ, match.start(2), match.end(), [(sent_start, sent_stop)])
                drafts.append(current)
                last_index = index
            elif current is not None and adjacent and (signed or side):
                current.sents.append((sent_start, sent_stop))
                last_index = index
            elif signed and DOC_ANAPHORA.search(sentence) and ctx.mentions_in(sent_start, sent_stop, {Kind.PERSON} | PARTY_KINDS):
                anaphora = DOC_ANAPHORA.search(sentence)
                assert anaphora is not None
                current = _Draft("соглашение", sent_start + anaphora.start(), sent_start + anaphora.end(), [(sent_start, sent_stop)], pending=True)
                drafts.append(current)
                last_index = index
        kept = [draft for draft in drafts if self._signed(ctx, draft)]
        agreements = [self._finish(ctx, draft, posts) for draft in kept]
        # one lone signatory and nobody else: too little to tell what was signed; one side named as the
        # subject of the signing («Министерство … заключило контракт на поставку …») is a contract
        return [a for draft, a in zip(kept, agreements)
                if len(a.parties) + len(a.signatories) + len(a.about) >= 2 or a.witnesses or self._one_side(ctx, draft, a)]

    def _one_side(self, ctx: Context, draft: _Draft, agreement: Agreement) -> bool:
        """A contract whose one named party signed it: «X заключило контракт», «X подписала договор»."""
        if len(agreement.parties) != 1 or agreement.signatories or agreement.about:
            return False
        start, stop = draft.sents[0]
        verb = ONE_SIDE.search(ctx.text, start, stop)
        return verb is not None and any(m.entity == agreement.parties[0] and m.stop <= verb.start()
                                        for m in ctx.mentions_in(start, stop, PARTY_KINDS))

    def _same_as_earlier(self, ctx: Context, drafts: list[_Draft], typ: str, start: int, stop: int) -> _Draft | None:
        """A later mention of an agreement already read («соглашение заключено в рамках …»)."""
        if not drafts:
            return None
        last = drafts[-1]
        if typ not in ("соглашение", "договор", "меморандум", "документ") and typ != last.type:
            return None
        known = {m.entity for s, e in last.sents for m in ctx.mentions_in(s, e, {Kind.PERSON})}
        new = {m.entity for m in ctx.mentions_in(start, stop, {Kind.PERSON})} - known
        if typ == last.type or typ in ("соглашение", "документ"):
            return last if not new and not SIDE.search(ctx.text, start, stop) else None
        return last if not new else None

    def _signed(self, ctx: Context, draft: _Draft) -> bool:
        return any(SIGN.search(ctx.text[s:e]) for s, e in draft.sents) or "меморандум" in draft.type

    def _finish(self, ctx: Context, draft: _Draft, posts: list[Post]) -> Agreement:
        text = ctx.text
        post_of = {p.holder: p.post_in for p in posts}
        witnesses: list[str] = []
        signatories: list[str] = []
        parties: list[str] = []
        explicit: list[str] = []
        about: list[str] = []
        place = None
        date: DateValue | None = None
        for number, (sent_start, sent_stop) in enumerate(draft.sents):
            if (sent_start, sent_stop) in draft.anaphoric:
                continue
            zone = []
            for match in WITNESS.finditer(text, sent_start, sent_stop):
                end = re.search(r"[.;]|\sсостоял|\sподпис|\sбыл|\sпрош", text[match.end():sent_stop])
                zone.append((match.end(), match.end() + (end.start() if end else sent_stop - match.end())))
            sides = list(SIDE.finditer(text, sent_start, sent_stop))
            for side in sides:
                window = ctx.mentions_in(side.end(), min(sent_stop, side.end() + 60), PARTY_KINDS | {Kind.COUNTRY})
                if not window or window[0].start - side.end() > 25:
                    continue
                entity = window[0].entity
                if ctx.kind(entity) == Kind.COUNTRY:
                    holder = ctx.mentions_in(window[0].stop, sent_stop, {Kind.PERSON})
                    org = post_of.get(holder[0].entity) if holder else None
                    if org is not None:
                        builder = ctx.entities[org]
                        if builder.located_in is None:
                            builder.located_in = entity
                        entity = org
                    else:
                        continue
                if entity not in explicit:
                    explicit.append(entity)
            for m in ctx.mentions_in(sent_start, sent_stop, {Kind.PERSON}):
                if any(s <= m.start < e for s, e in zone):
                    if m.entity not in witnesses:
                        witnesses.append(m.entity)
                elif m.entity not in signatories and m.entity not in witnesses:
                    signatories.append(m.entity)
            for m in ctx.mentions_in(sent_start, sent_stop, PARTY_KINDS):
                if any(s <= m.start < e for s, e in zone):
                    continue
                before = text[max(sent_start, m.start - 40):m.start]
                if ctx.kind(m.entity) == Kind.CLUSTER and re.search(r"(создани|формировани|развити|перезагрузк|образовани|присоединени)\w*[\"»]?\s+(кластера\s+)?$", before):
                    if m.entity not in about:
                        about.append(m.entity)
                    continue
                if number and (sides or m.entity in {post_of.get(x) for x in signatories}):
                    continue
                if m.entity not in parties:
                    parties.append(m.entity)
            if place is None:
                towns = ctx.mentions_in(sent_start, sent_stop, {Kind.SETTLEMENT})
                place = towns[0].entity if towns else None
            if date is None:
                date = best_date(find_dates(text, ctx.doc.date, sent_start, sent_stop))
        if date is None:  # «В Перми 14 октября открылся форум. На форуме … подписали …»
            date = report_date(text, ctx.sents, draft.sents[0], ctx.doc.date, self.morph.lemma)
        parties = list(dict.fromkeys(explicit + [p for p in parties if p not in about]))
        if not signatories:
            # «Губернатор Ульяновской области подписал соглашение …»: the place the unnamed official
            # stands for is a side
            parties += [p for p in self._officials_places(ctx, draft) if p not in parties]
        return Agreement(
            type=draft.type, evidence=ctx.span(*trimmed(ctx.text, draft.sents[0])), parties=tuple(parties),
            signatories=tuple(signatories), witnesses=tuple(witnesses), about=tuple(about), date=date, place=place,
        )


    def _officials_places(self, ctx: Context, draft: _Draft) -> list[str]:
        places = []
        for sent_start, sent_stop in draft.sents[:1]:
            for m in ctx.mentions_in(sent_start, sent_stop, {Kind.REGION, Kind.SETTLEMENT, Kind.COUNTRY}):
                before = ctx.text[max(sent_start, m.start - 30):m.start]
                official = _OFFICIAL.search(before)
                if official and not ctx.mentions_in(sent_start + official.start(), m.start, PARTY_KINDS):
                    places.append(m.entity)
        return places


_OFFICIAL = re.compile(r"(?<![\w-])(губернатор|глава|мэр|президент|премьер-министр|министр\w*)(?:а|у|ом|е)?\s+(?:\w+\s+){0,2}$",
                       re.I)


def trimmed(text: str, sent: tuple[int, int]) -> tuple[int, int]:
    start, stop = sent
    while start < stop and text[start].isspace():
        start += 1
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    return start, stop


def _singular(morph: Morph, phrase: str) -> str:
    words = phrase.split()
    out = []
    for word in words:
        parses = morph.parses(word.lower())
        plural = next((p for p in parses if p.tag.number == "plur" and p.tag.case == "nomn"), None)
        if plural is not None and not any(p.tag.number == "sing" and p.tag.case == "nomn" for p in parses):
            form = morph.inflect(plural, {"sing", "nomn"})
            out.append(form.word if form is not None else word)
        else:
            out.append(word)
    return " ".join(out)


# -- the fact type: what is kept, its triples, its factRuEval answer -----------------------------

# word stem in our agreement type -> factRuEval deal type
DEAL_TYPES = (
    ("купл", "купля/продажа"),
    ("продаж", "купля/продажа"),
    ("займ", "займ/возвращение займа"),
    ("кредит", "займ/возвращение займа"),
    ("штраф", "наложение/выплата штрафа"),
    ("инвест", "инвестиции"),
    ("услуг", "услуги"),
)


def deal_type(agreement_type: str) -> str | None:
    """The factRuEval deal type of one of our agreement types, when there is one."""
    lowered = agreement_type.lower()
    for stem, name in DEAL_TYPES:
        if stem in lowered:
            return name
    return None


def keep(agreement: Agreement, ids: frozenset[str]) -> Agreement:
    """The agreement, with only the parties, signatories, witnesses, topics and place that made it."""
    return replace(agreement, parties=keep_known(agreement.parties, ids),
                   signatories=keep_known(agreement.signatories, ids),
                   witnesses=keep_known(agreement.witnesses, ids), about=keep_known(agreement.about, ids),
                   place=agreement.place if agreement.place in ids else None)


def triples(g: FactGraph, a: Agreement) -> None:
    node = fact_node(g, "agreement", a)
    g.add(node, RDF.type, CKG.Agreement)
    g.add(node, CKG.agreementType, g.t.lang(a.type, "ru"))
    for prop, ids in ((CKG.party, a.parties), (CKG.signatory, a.signatories), (CKG.witness, a.witnesses)):
        for entity_id in ids:
            g.add(node, prop, g.iris[entity_id])
    names = ", ".join(g.by_id[i].label for i in a.parties)
    g.add(node, RDFS.label, g.t.lang(f"{a.type}: {names}" if names else a.type, "ru"))


def deal(agreement: Agreement, answers: Answers) -> list[tuple[str, str]] | None:
    """factRuEval ``deal``: every party and signatory a participant, and the deal type when known."""
    names = [answers.as_written(entity_id, agreement.evidence)
             for entity_id in agreement.parties + agreement.signatories]
    arguments = [("participant", name) for name in dict.fromkeys(names) if name]
    if not arguments:
        return None
    kind = deal_type(agreement.type)
    if kind:
        arguments.append(("type", kind))
    return arguments


AGREEMENT_CLASS = NodeClass(CKG_NS + "Agreement", "Agreement", "Соглашение", Style("diamond", "#e377c2", "◆"))

AGREEMENTS: FactType[Agreement] = FactType(
    name="agreement",
    cls=Agreement,
    readers=(ReaderSpec(AgreementReader, needs=("post",)),),
    keep=keep,
    triples=triples,
    trigger=re.compile(r"подпис|соглашен|меморанд|договор|контракт", re.I),
    class_iri=AGREEMENT_CLASS.iri,
    node_class=AGREEMENT_CLASS,
    relations=(
        Relation(CKG_NS + "party", "party", "сторона"),
        Relation(CKG_NS + "signatory", "signatory", "подписал"),
        Relation(CKG_NS + "witness", "witness", "присутствовал"),
        Relation(CKG_NS + "about", "about", "о"),
    ),
    acting=lambda agreement: agreement.parties + agreement.signatories,
    factru=Factru("deal", deal),
)
