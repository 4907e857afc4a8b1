"""Events: совещание, заседание, круглый стол, форум, встреча, визит, выставка, конференция, сессия."""

from __future__ import annotations

import re

from kg.extract.context import Context
from kg.extract.grammars.dates import best_date, find_dates
from kg.extract.grammars.orgs import QUOTED, strip_quotes
from kg.extract.morph import Morph
from kg.model import Event, Kind

EVENT = re.compile(
    r"(?<![\w-])(?:(«?круглы[йхм]\w*\s+стол\w*»?)|(совещани\w*|заседани\w*|форум\w*|встреч[аеиу]\b|встречами?\b|встречах\b|"
    r"встретил\w*|встретят\w*|встретит\w*|встреча(?:ет|ют|л|ть)\w*|переговор\w*|визит\w*|выставк\w*|конференци\w*|сесси[яиюей]\w*|"
    r"собрани[еяю]\w*|саммит\w*|съезд\w*|штаб\w*|коллеги[иея]\b))",
    re.I,
)
_TYPES = [
    ("круглы", "круглый стол"), ("совещан", "совещание"), ("заседан", "заседание"), ("форум", "форум"),
    ("встрет", "встреча"), ("встреч", "встреча"), ("переговор", "переговоры"), ("визит", "визит"), ("выставк", "выставка"),
    ("конференц", "конференция"), ("сесси", "сессия"), ("собрани", "собрание"), ("саммит", "саммит"), ("съезд", "съезд"),
    ("штаб", "штаб"), ("коллеги", "заседание"),
]
_NAME_AFTER = re.compile(rf"\s*({QUOTED})")
_SKIP_BEFORE = re.compile(r"(?:на\s+полях|в\s+рамках)\s+$", re.I)
PARTICIPANT_KINDS = {Kind.PERSON}
_NOT_EVENT_CONTEXT = re.compile(r"(общее\s+собрание\s+акционеров|собрани[ея]\s+сочинений|законодательн\w+\s+собрани|народн\w+\s+собрани)", re.I)


class EventReader:
    def __init__(self, morph: Morph) -> None:
        self.morph = morph

    def read(self, ctx: Context) -> list[Event]:
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
                if typ == "форум" and label is None and re.match(r"\s*(ВЭФ|ПМЭФ|МАКС)", text[match.end():match.end() + 6]) is None:
                    pass
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
                capital = token.text[:1].isupper() and token.start != ctx.sent_of(token.start)[0] or capital
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
