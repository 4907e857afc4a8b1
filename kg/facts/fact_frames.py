"""Agreements and events checked against the dependency parse of their sentence.

The grammar readers (``agreement.py``, ``deal.py``, ``event.py``) find an agreement or an
event by its noun and take every organisation or person of the sentence as a party or
participant. The parse tells what the sentence says of them:

- an agreement or event whose verb is denied or only planned («не подписали», «планируют
  подписать», «встреча не состоялась») is dropped;
- a party that the sentence places «в рамках» something, at a venue («на форуме X»), or inside
  what the agreement is about («соглашение о создании технопарка X») is no party — unless it
  is the other side of the thing («о сотрудничестве с X»);
- a meeting's participants are the people and bodies of its frame: the subject and the «с»
  side of «встретиться», «провести переговоры», the genitive and «с» of «встреча X с Y»; the
  noun standing for someone stands for the person named below it, else the body («с генеральным
  директором АО «А» Мариной Котовой» -> Котова; «с представителями кластера X», «с делегацией
  компании X» -> X; «с делегацией из провинции X» -> X). When the frame names fewer than two,
  the reader's participants stay;
- an event with no town named in its sentence takes place in the town «город» stands for («В
  городе металлургов прошло совещание» after «в Череповце»).
"""

from __future__ import annotations

import re
from dataclasses import replace

from kg.extract.context import Context
from kg.extract.frames import antecedent, modality
from kg.extract.syntax import Tree, Word
from kg.model import Agreement, Event, Kind

# a sentence worth parsing for an agreement or event check names one of these (stems of the
# lemmas the checks look for: AGREEMENT_NOUNS, SIGN_VERBS, the meeting and event words)
PARSE_WORDS = re.compile(r"соглашен|договор|меморанд|контракт|документ|подпис|заключ|парафир|скреп|встреч|встрет|"
                         r"переговор|совещан|заседан|форум|визит|выставк|конференц|сесси|собрани|саммит|съезд|стол|"
                         r"обсуд|приня|"  # meetings: «обсудили с», «принял делегацию»
                         # deals (kg.facts.deal_frames.DEAL_LEMMAS)
                         r"купи|купл|покуп|закуп|приобр|прода|поглот|поглощ|выкуп|скуп|слиян|кредит|займ|заём|заем|ссуд|"
                         r"грант|долг|задолж|инвест|влож|вклад|финансир|штраф|постав|аренд|сделк", re.I)
AGREEMENT_NOUNS = frozenset({"соглашение", "договор", "меморандум", "контракт", "договоренность", "документ"})
SIGN_VERBS = frozenset({"подписать", "подписывать", "заключить", "заключать", "парафировать", "скрепить",
                        "подписаться"})
VENUES = frozenset({"форум", "выставка", "конференция", "саммит", "площадка", "съезд", "мероприятие", "сессия",
                    "поле", "рамка", "ход"})
MEETING_NOUNS = frozenset({"встреча", "переговоры", "переговор"})
MEETING_VERBS = frozenset({"встретиться", "встречаться", "провести", "проводить", "обсудить", "обсуждать",
                           "договориться", "переговорить", "принять"})
# words that make a meeting only with two participants in their frame («обсудили с», «принял делегацию»)
FRAMED_ONLY = frozenset({"обсудить", "обсуждать", "принять"})
CANCEL_VERBS = frozenset({"отменить", "отменять", "сорвать", "отложить", "откладывать", "перенести"})
HAPPEN_VERBS = frozenset({"состояться", "пройти", "проходить", "провести", "проводить", "открыться", "начаться"})
RELATION_NOUNS = frozenset({"сотрудничество", "взаимопонимание", "партнерство", "взаимодействие", "кооперация",
                            "намерение", "союз", "дружба"})
SOURCE_VERBS = frozenset({"сообщить", "сообщать", "передать", "передавать", "писать", "информировать", "уточнить",
                          "уточнять"})
SOURCE_NOUNS = frozenset({"данные", "данный", "сообщение", "информация", "слово", "оценка"})
TOWN_NOUNS = frozenset({"город", "поселок", "село", "райцентр", "моногород"})
DELEGATES = frozenset({"представитель", "делегация", "делегат", "руководство", "команда"})
_PLACES = (Kind.REGION, Kind.COUNTRY, Kind.SETTLEMENT)
_BODIES = frozenset({Kind.ORGANIZATION, Kind.COMPANY, Kind.AUTHORITY})
_PARTICIPANT_KINDS = frozenset({Kind.PERSON, Kind.ORGANIZATION, Kind.COMPANY, Kind.AUTHORITY, Kind.CLUSTER})


def check_agreements(ctx: Context, agreements: list[Agreement]) -> list[Agreement]:
    out = []
    for agreement in agreements:
        nouns = _words_in(ctx, agreement.evidence.start, agreement.evidence.stop, AGREEMENT_NOUNS)
        if any(modality(ctx.syntax, *_predicates(ctx.syntax, noun, SIGN_VERBS)) for noun in nouns):
            continue
        asides = {p: _no_party(ctx, p, nouns) for p in agreement.parties}
        parties = tuple(p for p in agreement.parties if asides[p] is None)
        # a cluster the agreement is signed «в рамках» of, or is about («о развитии кластера»): what
        # it is about, as the grammar takes «о создании кластера X»; a venue («на форуме») is neither
        about = agreement.about + tuple(p for p, why in asides.items()
                                        if why in ("frame", "topic") and ctx.kind(p) == Kind.CLUSTER
                                        and p not in agreement.about)
        if parties != agreement.parties or about != agreement.about:
            agreement = replace(agreement, parties=parties, about=about)
        out.append(agreement)
    return out


def check_events(ctx: Context, events: list[Event]) -> list[Event]:
    out = []
    tree = ctx.syntax
    for event in events:
        lemmas = MEETING_NOUNS | MEETING_VERBS | {"совещание", "заседание", "форум", "визит", "выставка",
                                                  "конференция", "сессия", "собрание", "саммит", "съезд", "стол"}
        words = _words_in(ctx, event.evidence.start, event.evidence.stop, lemmas)
        if any(modality(tree, *_predicates(tree, w, HAPPEN_VERBS)) == "negated" for w in words):
            continue
        if any(head is not None and head.lemma in CANCEL_VERBS for head in map(tree.head, words)):
            continue  # «встреча была отменена»
        if event.place is None:
            event = replace(event, place=_town_named_before(ctx, words))
        if event.type in ("встреча", "переговоры"):
            # «принял делегацию», «принял X»; not «принял участие», «принято решение»
            received = [w for w in words if w.lemma != "принять" or any(
                o.lemma in DELEGATES or o.entity is not None and ctx.kind(o.entity) in _PARTICIPANT_KINDS
                for o in tree.children(w, "obj", "nsubj:pass"))]  # «делегация была принята губернатором»
            if words and not received:
                continue
            words = received
            framed = _meeting_participants(ctx, [w for w in words if w.lemma in MEETING_NOUNS | MEETING_VERBS])
            if len(set(framed)) >= 2:  # the participants of the frame: a meeting stated in the sentence
                event = replace(event, participants=tuple(dict.fromkeys(framed)), rule="meeting.frame", confidence=0.9)
            elif words and all(w.lemma in FRAMED_ONLY for w in words):
                continue  # «обсудили законопроект», «принял закон»: no meeting
        out.append(event)
    return out


def _town_named_before(ctx: Context, words: list[Word]) -> str | None:
    """«В городе металлургов прошло совещание»: «город» stands for the town named before."""
    tree = ctx.syntax
    for word in words:
        for node in tree.sentence(word):
            if node.lemma in TOWN_NOUNS and node.entity is None and {c.lemma for c in tree.children(node, "case")} & {"в", "во"}:
                return antecedent(ctx, node.start, {Kind.SETTLEMENT}, sentences=3)
    return None


def _words_in(ctx: Context, raw_start: int, raw_stop: int, lemmas: frozenset[str]) -> list[Word]:
    start, stop = ctx.cleaned.cleaned_offset(raw_start), ctx.cleaned.cleaned_offset(raw_stop)
    return [w for w in ctx.syntax.words if start <= w.start and w.stop <= stop and w.lemma in lemmas
            and w.entity is None]


def _predicates(tree: Tree, noun: Word, verbs: frozenset[str]) -> list[Word]:
    """The noun and the verb it is the subject or object of («соглашение подписано»,
    «подписали соглашение», «встреча не состоялась»)."""
    head = tree.head(noun)
    if head is not None and head.lemma in verbs and noun.rel in ("obj", "nsubj", "nsubj:pass", "obl"):
        return [noun, head]
    return [noun]


def _no_party(ctx: Context, party: str, nouns: list[Word]) -> str | None:
    """Why the party is none, when every word of it in the agreement's sentences stands where no
    party stands: "venue" («на форуме X»), "frame" («в рамках X», «на полях X»), "topic" («о
    создании X»); None: a party."""
    tree = ctx.syntax
    if not nouns:
        return None
    sents = {n.sent for n in nouns}
    words = [w for w in tree.words if w.entity == party and w.sent in sents]
    reasons = [_source(tree, w) or _parent(ctx, tree, w) or _placed_aside(tree, w, {n.index for n in nouns})
               for w in words]
    return reasons[0] if reasons and all(reasons) else None


def _parent(ctx: Context, tree: Tree, word: Word) -> str | None:
    """"parent" for the body another party belongs to, in the genitive right after it: «НМИЦ
    онкологии Минздрава России» is one side, the ministry no side of its own."""
    head = tree.head(word)
    if head is None or head.entity is None or word.entity is None or word.rel != "nmod" or tree.children(word, "case"):
        return None
    between = ctx.cleaned.text[head.stop:word.start]
    if between.strip(" «»\"") or ctx.kind(head.entity) not in _BODIES or ctx.kind(word.entity) not in _BODIES:
        return None
    return "parent"


def _source(tree: Tree, word: Word) -> str | None:
    """"source" for the news outlet a sentence quotes: «как сообщает ТАСС», «…, сообщает РБК», «по
    данным РБК»; not the subject of a main verb («Компания X сообщила о контракте с Y»)."""
    head = tree.head(word)
    if head is None:
        return None
    aside = (head.rel in ("parataxis", "advcl", "acl", "acl:relcl") or any(c.lemma == "как" for c in tree.children(head))
             or word.start > head.start and any(c.text == "," and c.start < head.start
                                                for c in tree.children(head, "punct")))  # «…, сообщает ТАСС»
    if word.rel == "nsubj" and head.lemma in SOURCE_VERBS and aside:
        return "source"
    cases = {c.lemma for c in tree.children(head, "case")}
    if head.lemma in SOURCE_NOUNS and "по" in cases and word.rel in ("nmod", "appos"):
        return "source"
    return None


def _placed_aside(tree: Tree, word: Word, nouns: set[int]) -> str | None:
    counterpart = False
    previous: Word | None = None
    for node in [word, *tree.ancestors(word)]:
        if node.index in nouns or (node.pos in ("VERB", "AUX") and node.lemma in SIGN_VERBS):
            return None
        cases = {c.lemma for c in tree.children(node, "case")}
        if cases & {"с", "со", "между"}:
            counterpart = True
        if node.lemma in VENUES and (cases & {"в", "на", "во"} or node.lemma in ("рамка", "поле", "ход")):
            # «в рамках кластера», «на форуме «Иннопром»», «на полях …»: what the venue's one genitive
            # names; a second genitive hung on it is the parser's place for the sentence's subject
            below = [c for c in tree.children(node, "nmod", "appos") if not tree.children(c, "case")]
            if previous is not None and previous.index != word.index and _subject_hung_below(tree, node):
                return None  # «На форуме «Иннопром» АО «А» и ООО «Б» подписали»: the body under the name is the subject
            if previous is None or not below or below[0].index == previous.index:
                return "frame" if node.lemma in ("рамка", "поле", "ход") else "venue"
            return None
        previous = node
        head = tree.head(node)
        if cases & {"о", "об"} and head is not None and head.index in nouns:
            # «о создании технопарка X»: what the agreement is about; but the sides of a relation
            # are parties: «о сотрудничестве с X», «о взаимопонимании Титанового кластера с …»
            return "topic" if not counterpart and node.lemma not in RELATION_NOUNS else None
    return None


def _subject_hung_below(tree: Tree, venue: Word) -> bool:
    """The venue's verb is a signing verb with no subject of its own: the parser has hung the subject
    under the venue's name («На форуме «Иннопром» АО «А» и ООО «Б» подписали …»)."""
    head = tree.head(venue)
    return (head is not None and head.pos in ("VERB", "AUX") and head.lemma in SIGN_VERBS
            and not tree.children(head, "nsubj", "nsubj:pass"))


def _meeting_participants(ctx: Context, words: list[Word]) -> list[str]:
    tree = ctx.syntax
    out: list[str] = []
    for word in words:
        slots: list[Word] = []
        if word.pos in ("VERB", "AUX"):
            slots += tree.children(word, "nsubj", "obl", "nsubj:pass", "obl:agent")
            if word.lemma == "принять":  # «принял делегацию X», «принял в Берлине Y»
                slots += tree.children(word, "obj")
            objects = [o for o in tree.children(word, "obj") if o.lemma in MEETING_NOUNS]
            for obj in objects:  # «провести встречу с X»
                slots += tree.children(obj, "nmod", "obl")
        else:
            slots += tree.children(word, "nmod", "obl", "appos")
            head = tree.head(word)
            if head is not None and head.lemma in MEETING_VERBS | HAPPEN_VERBS:
                slots += tree.children(head, "nsubj", "obl")
            elif head is not None and {c.lemma for c in tree.children(word, "case")} & {"на", "во", "в"}:
                slots += tree.children(head, "nsubj")  # «X сообщил на встрече с Y»: X was there
        for slot in slots:
            cases = {c.lemma for c in tree.children(slot, "case")}
            if cases - {"с", "со", "между"}:
                continue  # «в Калуге», «по вопросам …»
            out.extend(entities_of(ctx, tree, slot))
    return out


def entities_of(ctx: Context, tree: Tree, slot: Word, kinds: frozenset[Kind] = _PARTICIPANT_KINDS) -> list[str]:
    """The participants (entities of ``kinds``) a slot names: its entity and those coordinated
    with it; a delegation, representatives or management of a body stand for the body."""
    out: list[str] = []
    for word in tree.conjuncts(slot):
        if word.entity is not None:
            if ctx.kind(word.entity) in kinds:
                out.append(word.entity)
            continue
        # «губернатора Олега Ветрова», «с представителями кластера X», «с делегацией компании X»:
        # the first participant named below the noun, short of prepositional phrases
        below = tree.subtree(word, keep=lambda w: w.rel not in ("conj", "acl", "acl:relcl", "parataxis")
                             and not tree.children(w, "case"))
        found = [w.entity for w in below if w.entity is not None and ctx.kind(w.entity) in kinds]
        if not found and word.lemma in DELEGATES:  # «с делегацией из провинции Лимузен»: the place sent it
            below = [w for c in tree.subtree(word) if {x.lemma for x in tree.children(c, "case")} & {"из"}
                     for w in tree.subtree(c, keep=lambda x: x.rel != "amod")]  # not «французской»
            found = [w.entity for w in below if w.entity is not None and ctx.kind(w.entity) in _PLACES]
        people = [e for e in found if ctx.kind(e) == Kind.PERSON]  # «с директором АО «А» Мариной Котовой»
        out.extend((people or found)[:1])
    return out
