"""Deals: purchases, loans, investments, fines («Oracle купила Sun», «Россия дала Украине кредит»).

A deal is read as an ``Agreement`` (so that factRuEval deals are covered) in a sentence no
agreement was read from; from then on it is an agreement like any other: the agreement
fact type states, draws and scores it. Where the sentence is parsed, its deal frames
(``deal_frames.py``) say who the sides are: a frame naming two sides or more gives the
deal's parties (bodies) and signatories (people); a denied or planned frame gives no deal.
Otherwise the organisations and states of the sentence nearest to the deal word are its sides.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from kg.extract.context import Context, Mention
from kg.extract.keys import org_key
from kg.extract.morph import Morph
from kg.extract.readers.dates import best_date, find_dates
from kg.facts.agreement import AGREEMENTS, trimmed
from kg.facts.deal_frames import read_deal_frames
from kg.facts.fact_frames import check_agreements
from kg.facts.spec import FactType, Found, ReaderSpec, Reading, ruled
from kg.model import Agreement, Kind

if TYPE_CHECKING:
    from kg.extract.tools import Tools

__all__ = ["DEALS", "read_deals"]

DEAL_WORDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<![\w-])(купил\w*|купит\w*|покупа\w+|покупк\w+|прикупил\w*|приобр[её]л\w*|приобрет\w+|продал\w*|продаст|"
                r"продаёт|продает|поглотил\w*|поглощени\w+|выкупил\w*|выкупит|скупа\w+|скупил\w*|скупк\w+|слияни\w+|"
                r"слил\w*с[ья])(?![\w-])", re.I), "договор купли-продажи"),
    (re.compile(r"(?<![\w-])(кредит|кредита|кредиту|кредитом|кредиты|кредитов|кредитор\w*|займ(?:а|у|ом|е|ы|ов|ам|ами|ах)?|за[её]м|ссуд[аеуыо]\w*|кредитовани\w+|"
                r"грант\w*|выплат\w+|погашени\w+|погаси\w+|погаша\w+)(?![\w-])", re.I), "кредитный договор"),
    (re.compile(r"(?<![\w-])(оштрафова\w+|штраф|штрафа|штрафом|штрафу|штрафы|штрафов|штрафные)(?![\w-])", re.I), "штраф"),
    (re.compile(r"(?<![\w-])(задолженност\w+|долг|долга|долги|долгов)(?![\w-])", re.I), "договор займа"),
    (re.compile(r"(?<![\w-])(инвестировал\w*|инвестирует|инвестиру\w+|вложил\w*|вложит|вложени\w+)(?![\w-])", re.I), "инвестиционное соглашение"),
]
PARTY_KINDS = {Kind.ORGANIZATION, Kind.COMPANY, Kind.AUTHORITY, Kind.COUNTRY}
_NOT_DEAL = re.compile(r"(?<![\w-])(не\s+(?:будет|станет|собирается)\s|отказал\w*\s+(?:от\s+)?(?:покупк|продаж))", re.I)


def read_deals(ctx: Context, morph: Morph, taken: set[tuple[int, int]]) -> list[Agreement]:
    """One agreement per sentence naming a deal and at least two organisations or states."""
    text = ctx.text
    deals: list[Agreement] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for sent in ctx.sents:
        if sent in taken:
            continue
        start, stop = sent
        frames = read_deal_frames(ctx, start, stop)
        if frames and all(f.modality for f in frames):
            continue  # «не стало покупать», «планирует купить»
        framed = max((f for f in frames if not f.modality), key=lambda f: len(f.parties), default=None)
        if framed is not None and len(framed.parties) >= 2:
            signature = (framed.type, tuple(sorted(framed.parties)))
            if signature not in seen:
                seen.add(signature)
                people = tuple(p for p in framed.parties if ctx.kind(p) == Kind.PERSON)
                framed = replace(framed, parties=framed.parties + _states_inside(ctx, framed.parties, start, stop))
                deals.append(Agreement(
                    type=framed.type, evidence=ctx.span(*trimmed(text, sent)),
                    parties=tuple(p for p in framed.parties if p not in people), signatories=people,
                    date=best_date(find_dates(text, ctx.doc.date, start, stop)), rule="deal.frame", confidence=0.9))
            continue
        for pattern, typ in DEAL_WORDS:
            match = pattern.search(text, start, stop)
            if match is None or _NOT_DEAL.search(text, start, stop):
                continue
            _quoted_companies(ctx, morph, start, stop)
            found = ctx.mentions_in(start, stop, PARTY_KINDS)
            parties = [p for p in dict.fromkeys(m.entity for m in found) if p not in _one_side(ctx, found)]
            parties = [p for p in parties if not _only_as_source(ctx, p, start, stop)]
            if len(parties) < 2:
                continue
            parties = _nearest(ctx, parties, match.start())[:3]
            signature = (typ, tuple(sorted(parties)))
            if signature in seen:
                break
            seen.add(signature)
            while start < stop and text[start].isspace():
                start += 1
            deals.append(Agreement(
                type=typ, evidence=ctx.span(start, stop.__index__() if text[stop - 1:stop].strip() else stop - 1),
                parties=tuple(parties), date=best_date(find_dates(text, ctx.doc.date, start, stop)),
            ))
            break
    return deals


def _states_inside(ctx: Context, parties: tuple[str, ...], start: int, stop: int) -> tuple[str, ...]:
    """A state named inside an authority side («Правительство Белоруссии») is a side of its own,
    as in ``_one_side``."""
    spans = [(s, e) for p in parties if ctx.kind(p) == Kind.AUTHORITY
             for s, e in ctx.entities[p].mentions if start <= s < stop]
    states = [m.entity for m in ctx.mentions_in(start, stop, {Kind.COUNTRY})
              if any(s <= m.start and m.stop <= e for s, e in spans)]
    return tuple(e for e in dict.fromkeys(states) if e not in parties)


def _one_side(ctx: Context, found: list[Mention]) -> set[str]:
    """Organisations that are not a side of their own: a unit and the organisation named inside it
    («отдела продаж Siemens» and «Siemens») are one side, the organisation when it is also named
    apart, else the unit. A state inside its authority («правительство Белоруссии») stays a side."""
    orgs = [m for m in found if ctx.kind(m.entity) != Kind.COUNTRY]

    def inside(m: Mention, o: Mention) -> bool:
        return o.start <= m.start and m.stop <= o.stop and (o.start, o.stop) != (m.start, m.stop)

    dropped: set[str] = set()
    for outer in orgs:
        for inner in (m for m in orgs if inside(m, outer) and m.entity != outer.entity):
            apart = any(n.entity == inner.entity and not inside(n, outer) for n in found)
            dropped.add(outer.entity if apart else inner.entity)
    return dropped


_SOURCE = re.compile(r"(сообща\w*|переда[её]т|передают|по\s+данным|по\s+сообщению|пишет|газет\w*|издани\w*|"
                     r"агентств\w*|информагентств\w*|со\s+ссылкой\s+на|телеканал\w*|радиостанци\w*)\s*[«\"]?$", re.I)


def _only_as_source(ctx: Context, entity: str, start: int, stop: int) -> bool:
    """«…, сообщает Лента.ру», «газета «Ведомости»»: a news source is not a party."""
    mentions = [(s, e) for s, e in ctx.entities[entity].mentions if start <= s < stop]
    return bool(mentions) and all(_SOURCE.search(ctx.text[max(start, s - 30):s]) for s, _ in mentions)


_QUOTED_NAME = re.compile(r"«([A-ZА-ЯЁа-яё][^«»]{1,40})»")


def _quoted_companies(ctx: Context, morph: Morph, start: int, stop: int) -> None:
    """«Майкрософт» in a deal sentence, not read by NER: a company."""
    for match in _QUOTED_NAME.finditer(ctx.text, start, stop):
        if len(match.group(1).split()) <= 4 and not ctx.covered(match.start(), match.end()):
            if _SOURCE.search(ctx.text[max(start, match.start() - 30):match.start()]):
                continue
            name = match.group(1)
            if name[:1].islower():
                name = morph.nominative_phrase(name)
            ctx.entity(Kind.COMPANY, org_key(name), name, match.start(1), match.end(1))


def _nearest(ctx: Context, parties: list[str], offset: int) -> list[str]:
    """Parties ordered by distance of their closest mention to the deal word."""
    def distance(entity: str) -> int:
        return min(abs(s - offset) for s, _ in ctx.entities[entity].mentions)
    return sorted(parties, key=distance)


class DealReader:
    """Deals in the sentences that hold no agreement already read."""

    def __init__(self, tools: Tools) -> None:
        self.morph = tools.morph

    def read(self, doc: Reading, found: Found) -> list[Agreement]:
        ctx = doc.ctx
        agreements = found.of(AGREEMENTS)
        taken = {ctx.sent_of(a.evidence.start) for a in agreements} if agreements else set()
        return check_agreements(ctx, ruled(read_deals(ctx, self.morph, taken), "deal.grammar"))


DEALS: FactType[Agreement] = replace(
    AGREEMENTS,
    name="deal",
    readers=(ReaderSpec(DealReader, needs=("agreement",)),),
    trigger=re.compile(r"купи|купл|покуп|закуп|приобр|прода|поглот|поглощ|выкуп|скуп|слиян|слил|кредит|займ|заём|заем|ссуд|инвест|"
                       r"вложи|вложен|вклад|финансир|штраф|выплат|грант|погаш|погаси|задолж|долг|постав|аренд|сделк", re.I),
)
