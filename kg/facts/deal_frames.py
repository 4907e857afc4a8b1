"""Deals read as frames over the dependency parse: a predicate lemma and its arguments by role.

A deal predicate is a verb or noun of buying, selling, lending, investing, fining, supplying or
leasing («купить», «продажа», «кредит», «инвестировать», «оштрафовать», «поставка», «сделка»).
Its sides are the people and bodies standing in its argument slots, with their conjuncts:

- of a verb: the subject (active or passive), the object, the dative («продал компании X»), the
  instrumental agent of a passive or participle («куплено холдингом X», «купленный компанией X»),
  and the prepositional sides «у X», «с X», «между X и Y», «в X» (investments only);
- of a noun: its genitive and «с», «между», «у» dependents («продажа X компании Y», «сделка
  между X и Y»), and the sides of the verb it is the object or subject of («выдал X кредит»,
  «получило кредит X»);
- a slot that is a common noun stands for the participant named below it («75% акций ООО «А»»,
  «компанией «Б»»), short of prepositional phrases.

What a deal is about («о создании X»), venues and frames («на выставке X», «в рамках X») and
news sources («сообщает X») hang elsewhere in the tree and are no side. A denied or planned
predicate («не стало покупать», «планирует купить») gives no deal.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.extract.context import Context
from kg.extract.frames import modality
from kg.extract.syntax import Tree, Word
from kg.facts.fact_frames import entities_of
from kg.model import Kind

__all__ = ["DEAL_LEMMAS", "DealFrame", "read_deal_frames"]

_PURCHASE = "договор купли-продажи"
_LOAN = "кредитный договор"
_INVEST = "инвестиционное соглашение"
_FINE = "штраф"
_SUPPLY = "договор поставки"
_LEASE = "договор аренды"
_DEBT = "договор займа"

DEAL_LEMMAS: dict[str, str] = {
    **dict.fromkeys("купить покупать приобрести приобретать продать продавать выкупить выкупать поглотить "
                    "поглощать скупать скупить прикупить покупка продажа приобретение поглощение выкуп скупка "
                    "слияние закупить закупать закупка".split(), _PURCHASE),
    **dict.fromkeys("кредит заем займ ссуда кредитовать прокредитовать грант".split(), _LOAN),
    **dict.fromkeys("долг задолженность".split(), _DEBT),
    **dict.fromkeys("инвестировать инвестиция вложить вкладывать вложение профинансировать финансировать "
                    "финансирование".split(), _INVEST),
    **dict.fromkeys("оштрафовать штрафовать штраф".split(), _FINE),
    **dict.fromkeys("поставка поставлять поставить".split(), _SUPPLY),
    **dict.fromkeys("аренда арендовать".split(), _LEASE),
    "сделка": "сделка",
}
_SIDE_CASES = frozenset({"у", "с", "со", "между", "от"})
_PARTY_KINDS = frozenset({Kind.PERSON, Kind.ORGANIZATION, Kind.COMPANY, Kind.AUTHORITY, Kind.CLUSTER, Kind.COUNTRY,
                          Kind.REGION})
# a verb whose object or subject is a deal noun brings its sides: «выдал X кредит», «получило кредит X»
_VERB_SLOTS = ("nsubj", "nsubj:pass", "obj", "iobj", "obl")
_NOUN_SLOTS = ("nmod", "appos")
# verbs that only speak of a deal («одобрили сделку», «сообщил о покупке»): their subject is no side
_TALK = frozenset({"одобрить", "сообщить", "сообщать", "заявить", "объявить", "рассказать", "обсудить", "обсуждать",
                   "рассматривать", "рассмотреть", "согласовать", "разрешить", "запретить", "комментировать",
                   "прокомментировать", "отметить", "подтвердить", "опровергнуть"})

_REFUSE = frozenset({"отказаться", "отказываться", "отменить", "отменять", "сорвать", "заблокировать", "запретить"})


@dataclass(frozen=True, slots=True)
class DealFrame:
    """One deal predicate of a sentence and the sides its slots name."""

    type: str
    predicate: Word
    parties: tuple[str, ...]  # entity ids in the order of the sentence
    modality: str | None  # "negated", "planned" or None


def read_deal_frames(ctx: Context, start: int, stop: int) -> list[DealFrame]:
    """The deal frames of the parsed words between raw offsets ``start`` and ``stop``."""
    tree = ctx.syntax
    first, last = ctx.cleaned.cleaned_offset(start), ctx.cleaned.cleaned_offset(stop)
    frames = []
    for word in tree.words:
        if not first <= word.start < last or word.entity is not None:
            continue
        typ = DEAL_LEMMAS.get(word.lemma)
        if typ is None or not _is_deal_word(tree, word):
            continue
        slots = _slots(tree, word)
        parties: list[str] = []
        for slot in slots:
            for entity in entities_of(ctx, tree, slot, _PARTY_KINDS):
                if entity not in parties:
                    parties.append(entity)
        head = tree.head(word)
        mood = modality(tree, word, *([head] if head is not None and word.pos == "NOUN" else []))
        if head is not None and head.lemma in _REFUSE:
            mood = "negated"  # «отказалось от покупки»
        frames.append(DealFrame(typ, word, tuple(parties), mood))
    return frames


def _is_deal_word(tree: Tree, word: Word) -> bool:
    if word.pos in ("VERB", "AUX"):
        return word.lemma != "поставить" or bool(tree.children(word, "iobj")) or any(
            c.case == "Dat" for c in tree.children(word, "obl", "obj"))  # «поставить задачу» is no supply
    return word.pos == "NOUN"


def _slots(tree: Tree, word: Word) -> list[Word]:
    """The words standing in the predicate's argument slots."""
    invest = DEAL_LEMMAS[word.lemma] == _INVEST
    if word.pos in ("VERB", "AUX"):
        candidates = tree.children(word, *_VERB_SLOTS, "obl:agent", "nmod")
    else:
        candidates = tree.children(word, *_NOUN_SLOTS)
        head = tree.head(word)
        if head is not None and head.pos in ("VERB", "AUX") and word.rel in ("obj", "nsubj", "nsubj:pass", "obl") \
                and head.lemma not in _TALK and head.lemma not in DEAL_LEMMAS:
            candidates += [c for c in tree.children(head, *_VERB_SLOTS) if c.index != word.index]
    out = []
    for slot in candidates:
        cases = {c.lemma for c in tree.children(slot, "case")}
        if not cases or cases & _SIDE_CASES or (invest and cases & {"в", "во"}) or \
                (DEAL_LEMMAS[word.lemma] == _FINE and cases & {"на"}):
            out.append(slot)
    return out
