"""The organisation a title names by a descriptive noun group.

«лидер фракции КПРФ», «глава отдела корпоративных серверов и сетей HP», «глава представительства
США», «глава японского МИДа», «председатель Совета муфтиев России», «официальный представитель
Следственного комитета при прокуратуре», «заместитель начальника пресс-службы МЧС по
Санкт-Петербургу»: the post is held in the unit the whole genitive group names, not in the
party, company or country inside it. The group is read after the title: genitive adjectives and
nouns (joined by «и» when a genitive follows, but not right after the head: «палаты и группы» are two
bodies), names already found (organisations, places, in any
case), then «при» + a noun and «по» + place names, the qualifiers of Russian unit names. It is an
organisation when its head, its first noun, is a unit noun (``UNIT_NOUNS``) or lies in a name, and
it names something: it holds a name found before, or a country adjective.
"""

from __future__ import annotations

from kg.extract.context import Context, Mention
from kg.extract.keys import org_key
from kg.extract.morph import Morph
from kg.model import Kind

_ORGISH = {Kind.ORGANIZATION, Kind.COMPANY, Kind.AUTHORITY, Kind.CLUSTER}
_PLACES = {Kind.REGION, Kind.COUNTRY, Kind.SETTLEMENT}
# lemmas of nouns that name a unit or body of an organisation or state; type nouns that stand in
# apposition to a name («компании Helios», «партии «Яблоко»», «банка ВТБ») are not among them
UNIT_NOUNS = frozenset(
    "отдел отделение управление департамент служба пресс-служба фракция представительство делегация ведомство "
    "министерство комитет комиссия совет собрание палата парламент правительство администрация кафедра "
    "факультет лаборатория штаб суд прокуратура полиция армия флот сборная редакция посольство консульство "
    "мэрия дума филиал подразделение секретариат аппарат коллегия трибунал епархия патриархия синод миссия "
    "кабинет правление дирекция жюри госдепартамент".split()
)
_CASE_WORDS = ("ADJF", "PRTF", "NOUN")


def _genitive(morph: Morph, word: str) -> bool:
    """A genitive adjective or noun; function words («в», «с») never, whatever their rare parses."""
    parses = morph.parses(word.lower())
    return len(word) > 1 and word.replace("-", "").isalpha() and bool(parses) and parses[0].tag.POS in _CASE_WORDS \
        and any(p.tag.case in ("gent", "gen2") and p.tag.POS in _CASE_WORDS for p in parses)


def _unit_noun(morph: Morph, word: str) -> bool:
    return _genitive(morph, word) and bool(morph.lemmas(word) & UNIT_NOUNS)


def _case(morph: Morph, word: str, case: str) -> bool:
    return any(p.tag.case == case and p.tag.POS in _CASE_WORDS for p in morph.parses(word.lower()))


def _noun(morph: Morph, word: str) -> bool:
    parses = morph.parses(word.lower())
    return bool(parses) and parses[0].tag.POS == "NOUN"


def unit_group(ctx: Context, morph: Morph, first: int, end: int) -> tuple[int, int, Mention | None] | None:
    """Token range ``[first, stop)`` of the organisation group starting at token ``first`` (before
    token ``end``) and the organisation mention that is its head, if any; None when there is none."""
    tokens = ctx.tokens
    index = first
    head: int | None = None  # token index of the head noun
    head_mention: Mention | None = None
    head_last = -1  # last token of the head: «и» right after it joins a second organisation, not a dependent
    named = False
    mentions = 0
    while index < end:
        token = tokens[index]
        word = token.text
        found = ctx.covered(token.start, token.stop, _ORGISH | _PLACES | {Kind.PERSON})
        if found is not None:
            if ctx.kind(found.entity) == Kind.PERSON or found.start < token.start:
                break
            last = ctx.tok_at(found.stop - 1)
            if last >= end:
                break
            if head is None:
                if ctx.kind(found.entity) not in _ORGISH:
                    adjective = word[:1].islower() and last + 1 < end and _unit_noun(morph, tokens[last + 1].text)
                    if index == first and not adjective:
                        return None  # «губернатора Калужской области»: a place, read as such («палестинской делегации» goes on)
                else:
                    head, head_mention, head_last = index, found, last
            named, mentions = True, mentions + 1
            index = last + 1
            continue
        if word in ("при",) and head is not None and index + 1 < end and _case(morph, tokens[index + 1].text, "loct"):
            index += 2  # «Следственного комитета при прокуратуре»
            continue
        if word == "по" and head is not None and index + 1 < end \
                and ctx.covered(tokens[index + 1].start, tokens[index + 1].stop, _PLACES) is not None:
            index += 1  # «пресс-службы МЧС по Санкт-Петербургу и Ленобласти»
            continue
        if word == "и" and head is not None and index - 1 > head_last and index + 1 < end and (
            _genitive(morph, tokens[index + 1].text) and tokens[index + 1].text[:1].islower()
            or ctx.covered(tokens[index + 1].start, tokens[index + 1].stop, _PLACES) is not None
        ):
            index += 1  # «серверов и сетей», «по Санкт-Петербургу и Ленобласти»
            continue
        if not _genitive(morph, word):
            break
        if word[:1].isupper() and index > first and head is not None:
            break  # a capitalised word that no name covers: not ours to guess
        if head is None and _noun(morph, word):
            if not morph.lemmas(word) & UNIT_NOUNS:
                return None  # «министр экономики …»: the title's field, not an organisation
            head = head_last = index
        if index in ctx.adjective_places:
            named = True
        index += 1
    if head is None or not named:
        return None
    if mentions == 1 and head_mention is not None and ctx.tok_at(head_mention.start) == first \
            and ctx.tok_at(head_mention.stop - 1) == index - 1:
        return None  # the group is one name found before: nothing to add
    return first, index, head_mention


def unit_entity(ctx: Context, morph: Morph, first: int, end: int) -> str | None:
    """The organisation entity of the group at token ``first`` (see ``unit_group``), registered with
    the group as its mention; a name found before that is the group's head gives way to it."""
    group = unit_group(ctx, morph, first, end)
    if group is None:
        return None
    start, stop, head = group
    a, b = ctx.tokens[start].start, ctx.tokens[stop - 1].stop
    text = ctx.text[a:b]
    label = morph.nominative_phrase(text)
    if head is not None and ctx.kind(head.entity) == Kind.CLUSTER:
        # «директор Металлургического кластера Республики Татарстан»: the group names the cluster
        # itself (its region in the genitive), not an organisation of the same name
        ctx.mention(head.entity, a, b)
        return head.entity
    kind = ctx.kind(head.entity) if head is not None else Kind.ORGANIZATION
    if head is not None:
        ctx.drop_mention(head)
    return ctx.entity(kind, org_key(label), label, a, b)
