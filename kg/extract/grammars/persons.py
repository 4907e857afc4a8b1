"""Persons (NER PER spans, normalised) and their posts: title + organisation/region."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from kg.extract.context import Context, Mention
from kg.extract.grammars.org_groups import unit_entity
from kg.extract.grammars.titles import acting_prefix, field_end, joined_modifiers
from kg.extract.keys import norm, org_key, person_key
from kg.extract.morph import Morph
from kg.model import Kind, Post

if TYPE_CHECKING:
    from kg.extract.grammars.rules import Found

ORGISH = {Kind.ORGANIZATION, Kind.COMPANY, Kind.AUTHORITY, Kind.CLUSTER}
PLACES = {Kind.REGION, Kind.COUNTRY, Kind.SETTLEMENT}
_PREFIX = re.compile(r"^(?:врио|и\.\s?о\.|исполняющ\w+\s+обязанности|временно\s+исполняющ\w+\s+обязанности|экс-)\s*", re.I)
_BARE_REGION = re.compile(r"^(област|кра[яюеё]|край|республик|регион)", re.I)
_ORG_NOUN_TAIL = re.compile(
    r"\s+(компани|корпораци|концерн|холдинг|групп|банк|завод|ассоциаци|фонд|университет|институт|предприяти|"
    r"организаци|агентств|центр|фирм|объединени|партнерств|партнёрств|кластер|ОЭЗ|ОАО|ООО|ЗАО|ПАО|АО)\w*$",
    re.I,
)
_QUOTED_AFTER = re.compile(r"[«\"]([А-ЯЁA-Z][^«»\"]{1,50})[»\"]")
_CANDIDACY = re.compile(r"(кандидат\w*|претенд\w*|баллотир\w*|выдвину\w*|выдвига\w*)\s+$", re.I)
_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "ADVB", "INTJ", "PRED"})
_FORMER = {"бывший", "бывшая", "бывшего", "бывшей", "экс"}
_JOINERS = {",", "и", "—", "–", "-", "«", "»", '"', "(", ")", "по", "в", "при", "на", "от"}


@dataclass(frozen=True, slots=True)
class Vocabulary:
    heads: frozenset[str]
    mods: frozenset[str]
    domains: frozenset[str]
    bodies: frozenset[str]


def load_vocabulary() -> Vocabulary:
    heads: set[str] = set()
    mods: set[str] = set()
    domains: set[str] = set()
    bodies: set[str] = set()
    text = resources.files("kg.data").joinpath("positions.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lemma, _, role = line.partition("\t")
        {"head": heads, "mod": mods, "domain": domains, "body": bodies, "prefix": set()}[role.strip()].add(lemma.strip())
    return Vocabulary(frozenset(heads), frozenset(mods), frozenset(domains), frozenset(bodies))


def find_persons(ctx: Context, spans: list[tuple[int, int, str, dict[str, str]]]) -> None:
    """PER spans -> persons; bare surnames join a full-name person with that surname."""
    by_last: dict[str, str] = {}
    pending: list[tuple[int, int, str, dict[str, str]]] = []
    for start, stop, normal, fact in spans:
        if any(char.isdigit() for char in ctx.text[start:stop]):
            continue  # «Формулы-1»: a name has no digits
        first, last = fact.get("first"), fact.get("last")
        if not last and first and not fact.get("middle"):
            last, first = None, first
        if first and last:
            label = f"{first} {last}" if len(first) > 1 else f"{first}. {last}"
            if fact.get("middle") and len(first) == 1:
                label = f"{first}.{fact['middle']}. {last}"
            pid = ctx.entity(Kind.PERSON, person_key(first, last), label, start, stop, alt_label=normal)
            by_last.setdefault(norm(last), pid)
        else:
            pending.append((start, stop, normal, fact))
    for start, stop, normal, fact in pending:
        name = fact.get("last") or fact.get("first") or normal
        known = by_last.get(norm(name)) or _inflected_surname(by_last, norm(name))
        if known is not None:
            ctx.mention(known, start, stop)
        else:
            by_last.setdefault(norm(name), ctx.entity(Kind.PERSON, norm(normal), normal, start, stop))


def _inflected_surname(by_last: dict[str, str], name: str) -> str | None:
    """«Обамой» is «Обама»: same stem, an inflected ending of at most three letters."""
    if len(name) < 4:
        return None
    for last, pid in by_last.items():
        stem = min(len(last), len(name)) - 2
        if stem >= 3 and last[:stem] == name[:stem] and abs(len(last) - len(name)) <= 3:
            return pid
    return None


class PostReader:
    """Reads «должность [организация] Имя Фамилия» and «Имя Фамилия, должность ...»."""

    def __init__(self, morph: Morph, vocabulary: Vocabulary) -> None:
        self._left_start = -1  # token index where the last title read by _left starts
        self.morph = morph
        self.vocab = vocabulary

    def _role(self, word: str) -> str | None:
        low = word.lower()
        if "-" in low and re.match(r"[a-z]", low):
            tail = low.rsplit("-", 1)[1]
            return "head" if any(lemma in self.vocab.heads for lemma in self.morph.lemmas(tail)) else None
        if not re.match(r"[А-ЯЁа-яё]", word):
            return None
        parses = self.morph.parses(low)
        if parses and parses[0].tag.POS in _FUNCTION_POS:
            return None  # «после» is no form of «посол», «при» no title
        for lemma in self.morph.lemmas(low):
            if lemma in self.vocab.heads:
                return "head"
        if "-" in low and not low.startswith("вице-"):
            tail = low.rsplit("-", 1)[1]
            if tail and any(lemma in self.vocab.heads for lemma in self.morph.lemmas(tail)):
                return "head"
        for lemma in self.morph.lemmas(low):
            if lemma in self.vocab.mods:
                return "mod"
            if lemma in self.vocab.bodies:
                return "body"
        if low in ("врио", "и.о.", "и.", "о.", "экс", "зам"):
            return "prefix"
        return None

    def is_position(self, text: str) -> bool:
        """Whether ``text`` is only position words («Министр», «IT-эксперт»), not an organisation."""
        words = [w for w in re.findall(r"[\w.-]+", text) if w]
        return bool(words) and self._role(words[-1]) == "head" and all(self._role(w) or self._genitive(w) for w in words)

    def read(self, ctx: Context, doc_region: str | None, apart: "list[Found] | None" = None) -> list[Post]:
        """Posts next to their holder, then ``apart``: titles after a post cue (yargy POST_APART)."""
        posts: list[Post] = []
        persons = [m for m in ctx.mentions if ctx.kind(m.entity) == Kind.PERSON]
        persons.sort(key=lambda m: m.start)
        done: set[str] = set()
        for m in persons:
            self._left_start = -1
            left = self._left(ctx, m, doc_region)
            left_start = self._left_start
            found = [left] if left is not None else []
            if left is not None:
                # «лидер Меджлиса …, народный депутат Украины Мустафа Джемилев», «представитель армии полковник …»
                at = left_start  # token index (evidence offsets are raw-text offsets)
                before = ctx.tokens[at - 1].text if at > 0 else ""
                if before == "," or before.isalpha():  # not across «—»: «партнёра — управляющий директор …»
                    second = self._left(ctx, m, doc_region, at - 1 if before == "," else at)
                    if second is not None and self._agree(ctx, self._left_start, at):
                        found.append(second)
            else:
                right = self._right(ctx, m, doc_region)
                found = [right] if right is not None else []
            for post in found:
                signature = f"{post.holder}|{post.title}|{post.post_in}"
                if signature not in done:
                    done.add(signature)
                    posts.append(post)
        for hit in apart or ():
            apart_post = self._apart(ctx, hit, persons, doc_region)
            if apart_post is None:
                continue
            post = apart_post
            signature = f"{post.holder}|{post.title}|{post.post_in}"
            if signature not in done and not any(p.holder == post.holder and p.title == post.title for p in posts):
                done.add(signature)
                posts.append(post)
        located = {(p.holder, p.title) for p in posts if p.post_in is not None}
        posts = [p for p in posts if p.post_in is not None or (p.holder, p.title) not in located]
        posts = [p for p in posts if p.post_in is not None or not _PROFESSION.match(p.title)]
        return posts

    def _apart(self, ctx: Context, found: "Found", persons: list[Mention], doc_region: str | None) -> Post | None:
        """«Иванов назначен на должность министра», «на пост мэра назначен Петров», «Он занимает пост …».

        The holder is the nearest person before the cue in its sentence, else the first after the title,
        else, when the sentence has «он»/«она» before the cue, the last person of the two sentences before.
        """
        sent_start, sent_stop = ctx.sent_of(found.start)
        if _CANDIDACY.search(ctx.text, max(sent_start, found.start - 30), found.start):
            return None  # «кандидатом на пост главы»: a post sought, not held
        before = [m for m in persons if sent_start <= m.start and m.stop <= found.start]
        after = [m for m in persons if found.stop <= m.start and m.stop <= sent_stop]
        between = [m for m in persons if found.start <= m.start and m.stop <= found.part_start]
        if found.form == "verb":
            after = []  # «X стал первым представителем …, Y»: after a verb the holder precedes the title
        if found.form == "verb-after":
            before = between = []  # «капитаном стал Михаель Баллак»: the subject follows the verb
        holder = between[0] if between else before[-1] if before else after[0] if after else None
        if found.form == "verb-after" and holder is None:
            return None
        if holder is None and re.search(r"(?<![\w-])(он|она)(?![\w-])", ctx.text[sent_start:found.start], re.I):
            sent = ctx.tokens[ctx.tok_at(found.start)].sent
            earlier = [m for m in persons if m.stop <= sent_start and ctx.tokens[ctx.tok_at(m.start)].sent >= sent - 2]
            holder = earlier[-1] if earlier else None
        if holder is None:
            return None
        tokens = ctx.tokens
        first = ctx.tok_at(found.part_start)
        end = first
        while end < len(tokens) and tokens[end].sent == tokens[first].sent and tokens[end].text not in (",", ".", ")", ";", "—", "(") \
                and not ctx.covered(tokens[end].start, tokens[end].stop, {Kind.PERSON}) \
                and (found.form != "verb" or tokens[end].start < found.stop) \
                and (found.form != "verb-after" or tokens[end].start < found.part_stop):
            end += 1  # a title read after a verb ends where the grammar ended it
        return self._build(ctx, holder, first, end, doc_region)

    def _left(self, ctx: Context, person: Mention, doc_region: str | None, stop_index: int | None = None) -> Post | None:
        """The title before ``person`` (or before token ``stop_index``: a second, stacked title)."""
        tokens = ctx.tokens
        end_index = ctx.tok_at(person.start) if stop_index is None else stop_index
        index = end_index - 1
        sent = tokens[index + 1].sent if index + 1 < len(tokens) else -1
        if stop_index is None and index >= 0 and tokens[index].text in (",", ";", "и"):
            return None  # «…, Кирилл Разлогов - директор …», «лидер «Центра», и Михаил Борзыкин»: someone else's
        head_at = None
        steps = 0
        in_quote = False
        while index >= 0 and steps < 22 and tokens[index].sent == sent:
            token = tokens[index]
            covered = ctx.covered(token.start, token.stop)
            if covered is not None and ctx.kind(covered.entity) == Kind.PERSON:
                break
            role = self._role(token.text)
            if role == "head" and covered is not None and ctx.kind(covered.entity) in ORGISH:
                role = None  # «член Палаты представителей Конгресса …»: a word of a name is no title
            if head_at is not None and role is None and covered is None and self._genitive(token.text) \
                    and self._head_behind(tokens, index, sent):
                index -= 1  # «член Палаты представителей»: a genitive between two heads
                steps += 1
                continue
            if token.text in ("»", '"') and head_at is None and not in_quote:
                in_quote = True
            elif token.text == "«" or (token.text == '"' and in_quote):
                in_quote = False
            elif in_quote and head_at is None:
                index -= 1
                steps += 1
                continue  # a quoted name between the title and the person
            if head_at is not None and role is None and not (token.text == "." and _is_abbr_dot(ctx, index)):
                break
            if role == "head":
                parses = self.morph.parses(token.text.lower())
                adjective = bool(parses) and parses[0].tag.POS in ("ADJF", "PRTF")  # «управляющий директор»
                if head_at is not None and not adjective and "gent" not in self.cases(tokens[head_at].text):
                    break  # «министров глава правительства»: a head governs only a genitive head
                head_at = index
            elif role is not None or covered is not None:
                pass
            elif token.text in _JOINERS:
                if token.text == ")" and index >= 2 and tokens[index - 2].text == "(" and \
                        ctx.covered(tokens[index - 1].start, tokens[index - 1].stop, ORGISH) is not None:
                    index -= 3  # «секретарь Объединённого фронта … (ОФДД) Имя»: an abbreviation in brackets
                    steps += 3
                    continue
                if token.text in ("(", ")"):
                    break
                if token.text == "и" and head_at is None and self._own_phrase(tokens[index + 1:end_index]):
                    break  # «Президент и первая леди Мишель Обама»: the title before «и» is another person's
            elif token.text == "." and _is_abbr_dot(ctx, index):
                pass
            elif not self._nominal(token.text):
                break
            index -= 1
            steps += 1
        if head_at is None:
            return None
        after = ctx.tok_at(person.stop - 1) + 1
        if stop_index is None and field_end(ctx, self.morph, after, min(len(tokens), after + 8)) > after:
            person_cases = self._person_cases(ctx, person)
            if not person_cases or "gent" in person_cases:
                return None  # «Помощник Хиллари Клинтон по европейским делам»: the name is inside the title
        start_index = head_at
        while start_index > 0:
            acting = _acting_prefix(tokens, start_index)  # «И. о.» may look like a sentence end
            if acting:
                start_index -= acting
                continue
            role = self._role(tokens[start_index - 1].text)
            if tokens[start_index - 1].sent == sent and role in ("mod", "prefix") and tokens[start_index - 1].text.lower() not in ("и", "о"):
                start_index -= 1
                continue
            if (start_index > 1 and tokens[start_index - 1].text == "и" and self._role(tokens[start_index].text) == "mod"
                    and self._role(tokens[start_index - 2].text) == "mod"):
                start_index -= 2  # «чрезвычайный и полномочный посол»
                continue
            break
        first_word = tokens[start_index].text.lower()
        if not (first_word in ("врио", "и", "и.о.", "экс") or first_word.startswith("исполняющ")):
            head_cases = self.cases(tokens[head_at].text)
            person_cases = self._person_cases(ctx, person)
            if head_cases and person_cases and not head_cases & person_cases:
                return None  # «вдова первого президента … Наина»: the title belongs to someone else
        default_in = None
        if start_index > 0:
            place = ctx.covered(tokens[start_index - 1].start, tokens[start_index - 1].stop, PLACES)
            if place is not None:
                default_in = place.entity
            elif start_index - 1 in ctx.adjective_places:
                default_in = ctx.adjective_places[start_index - 1]
        self._left_start = start_index
        return self._build(ctx, person, start_index, end_index, doc_region, default_in)

    def _right(self, ctx: Context, person: Mention, doc_region: str | None) -> Post | None:
        tokens = ctx.tokens
        index = ctx.tok_at(person.stop - 1) + 1
        if index < len(tokens) and tokens[index].text == "(":
            close = next((i for i in range(index, min(len(tokens), index + 12)) if tokens[i].text == ")"), None)
            if close is not None and close > index + 1 and self._role(tokens[index + 1].text) in ("head", "mod"):
                return self._build(ctx, person, index + 1, close, doc_region)  # «Йоахим Лёв (второй тренер)»
            if close is not None:
                index = close + 1  # «Скотт Хоровитц (Scott Horowitz), бывший астронавт»
        if index < len(tokens) and self._signature(ctx, person, index):
            end = index
            while end < len(tokens) and "\n" not in ctx.text[tokens[index].start:tokens[end].start]:
                end += 1
            return self._build(ctx, person, index, end, doc_region)  # «Кирсан Илюмжинов Президент ФИДЕ»
        if index + 1 >= len(tokens) or tokens[index].text not in (",", "—", "–", "-", "("):
            return None
        comma = tokens[index].text == ","
        person_cases = self._person_cases(ctx, person)
        for segment in range(2 if comma else 1):
            first = index + 1
            if first < len(tokens) and tokens[first].text.lower() in _FORMER:
                first += 1  # «…, бывший астронавт»: the title without «бывший»
            if first + 2 < len(tokens) and tokens[first + 1].text == "и" and self._role(tokens[first].text) is None \
                    and self._nominal(tokens[first].text) and self._role(tokens[first + 2].text) in ("head", "mod"):
                first += 2  # «Гергей Ковач - политик и лидер партии …»: the title after an occupation
            lead = first
            first += acting_prefix(tokens, first)  # «…, исполняющий обязанности официального представителя …»
            end = first
            while end < len(tokens) and tokens[end].sent == tokens[first].sent and tokens[end].text not in (",", ".", ")", ";", "—"):
                end += 1
            if end > first and self._role(tokens[first].text) in ("head", "mod", "prefix"):
                if segment and person_cases and not person_cases & self._title_cases(tokens[first:end]):
                    return None  # a later apposition agrees with its holder: «Брода, …, члена палаты»
                if ctx.mentions_in(tokens[first].start, tokens[end - 1].stop, {Kind.PERSON}):
                    return None  # «Лев Пономарев, координатор движения Сергей Удальцов»: the title is the next person's
                return self._build(ctx, person, lead, end, doc_region)
            if end - index > 8 or end >= len(tokens) or tokens[end].text != "," \
                    or ctx.mentions_in(tokens[index].stop, tokens[end].start, {Kind.PERSON}):
                return None
            index = end  # «Александра Брода, известного борца с ксенофобией, члена …»: the next apposition
        return None

    def _signature(self, ctx: Context, person: Mention, index: int) -> bool:
        """A signature line: the name opens a line and a capitalised title follows it with no
        punctuation up to the end of the line («Кирсан Илюмжинов Президент ФИДЕ»)."""
        text = ctx.text
        line_start = text.rfind("\n", 0, person.start) + 1
        line_stop = text.find("\n", person.stop)
        line_stop = len(text) if line_stop < 0 else line_stop
        rest = text[person.stop:line_stop].strip()
        word = ctx.tokens[index].text
        return not text[line_start:person.start].strip() and 0 < len(rest) <= 80 and word[:1].isupper() \
            and self._role(word) == "head" and not re.search(r"[.,;:!?—–]", rest)

    def _own_phrase(self, tokens: list) -> bool:  # type: ignore[type-arg]
        """Words that make a noun phrase of their own: one of them can only be nominative («первая леди»),
        where a genitive dependent («и торговли») would hang on the title before."""
        for token in tokens:
            if token.text.isalpha() and token.text[:1].islower():
                cases = self.cases(token.text)
                if cases == {"nomn"}:
                    return True
        return False

    def _agree(self, ctx: Context, second: int, first: int) -> bool:
        """Stacked titles (from token ``second`` and ``first``) of one person agree in case
        («По словам губернатора, президент …» do not)."""
        a = self._title_cases(ctx.tokens[second:first])
        b = self._title_cases(ctx.tokens[first:first + 8])
        return bool(a and b and a & b)

    def _head_behind(self, tokens: list, index: int, sent: int) -> bool:  # type: ignore[type-arg]
        """A head noun within two genitive words before ``index`` (same sentence)."""
        for back in range(index - 1, max(-1, index - 3), -1):
            if tokens[back].sent != sent:
                return False
            if self._role(tokens[back].text) == "head":
                return True
            if not self._genitive(tokens[back].text):
                return False
        return False

    def _person_cases(self, ctx: Context, person: Mention) -> set[str]:
        """Cases the person's words share; empty (no check) when a word is unknown to the dictionary."""
        words = [t.text for t in ctx.tokens[ctx.tok_at(person.start):ctx.tok_at(person.stop - 1) + 1] if t.text.isalpha()]
        if not words or any(not self.morph.analyzer.word_is_known(w.lower()) for w in words):
            return set()
        return self.cases(words[0])

    def _title_cases(self, tokens: list) -> set[str]:  # type: ignore[type-arg]
        for token in tokens:
            if self._role(token.text) == "head":
                return self.cases(token.text)
        return set()

    def _build(self, ctx: Context, person: Mention, first: int, end: int, doc_region: str | None,
               default_in: str | None = None) -> Post | None:
        """Title = position words (and a minister's field) from ``first``; post_in = the next organisation/place."""
        tokens = ctx.tokens
        if first >= end:
            return None
        title_end = first
        post_in = None
        domain = False
        index = first
        for count in (4, 2, 1):
            if "".join(t.text.lower() for t in tokens[first:first + count]) == "и.о." and first + count < end:
                index = title_end = first + count
                break
        acting = acting_prefix(tokens, first)
        if acting and first + acting < end:
            index = title_end = first + acting
        while index < end:
            token = tokens[index]
            word = token.text
            covered = ctx.covered(token.start, token.stop, ORGISH | PLACES)
            role = self._role(word)
            if index > first and index == title_end and (covered is not None or role is None or role == "body" and word[:1].isupper()):
                unit = unit_entity(ctx, self.morph, index, end)  # «лидер фракции КПРФ»: the unit, not the party
                if unit is not None:
                    post_in = unit
                    break
            if covered is not None:
                post_in = covered.entity
                break
            if role in ("head", "mod", "prefix", "body") or (word == "." and _is_abbr_dot(ctx, index)):
                title_end = index + 1
                domain = domain or bool(self.morph.lemmas(word) & self.vocab.domains)
                index += 1
                continue
            if index == title_end > first and (word == "и" and joined_modifiers(tokens, index, self._role)):
                index += 1  # «чрезвычайный и полномочный посол»
                continue
            field = field_end(ctx, self.morph, index, end) if index == title_end > first else index
            if field > index:
                index = title_end = field  # «министр по делам разведки»
                continue
            if domain and word[:1].islower() and self._genitive(word):
                title_end = index + 1
                index += 1
                continue
            if domain and word in ("и", ",") and index + 1 < end and tokens[index + 1].text[:1].islower() and self._genitive(tokens[index + 1].text):
                index += 1
                continue
            # the rest describes the organisation: take the first entity in it
            rest = ctx.mentions_in(token.start, tokens[end - 1].stop, ORGISH | PLACES)
            quoted = _QUOTED_AFTER.match(ctx.text, token.start) if word in ("«", '"') else None
            if quoted is not None and quoted.end() <= tokens[end - 1].stop and not rest:
                # «глава «Яблока»», «лидер "Справедливой России"»: the quoted name is the organisation
                name = quoted.group(1)
                post_in = ctx.entity(Kind.ORGANIZATION, org_key(name), self.morph.nominative_phrase(name),
                                     quoted.start(1), quoted.end(1))
            elif rest:
                post_in = rest[0].entity
            elif _BARE_REGION.match(word) and doc_region:
                post_in = doc_region
            break
        if title_end == first:
            return None
        if post_in is None:
            post_in = default_in
        title_text = ctx.text[tokens[first].start:tokens[title_end - 1].stop]
        title_text = re.sub(r"[\s,]+$", "", title_text)
        if post_in is not None:
            title_text = _ORG_NOUN_TAIL.sub("", title_text) or title_text
        if post_in is not None and ctx.kind(post_in) == Kind.AUTHORITY and title_end < len(tokens):
            label = ctx.entities[post_in].label.lower()
            after = ctx.covered(tokens[title_end].start, tokens[title_end].stop, {Kind.AUTHORITY})
            if after is not None and label.startswith("правительств") and re.search(r"председател\w*$", title_text, re.I):
                title_text += " " + ctx.text[after.start:].split()[0]
        if self._plural(tokens[first:title_end]):
            return None
        title = self._nominative(title_text)
        if not title or len(title) > 120:
            return None
        return Post(holder=person.entity, title=title, post_in=post_in,
                    evidence=ctx.span(tokens[first].start, person.stop if person.stop > tokens[first].start else tokens[end - 1].stop))

    def _plural(self, tokens: list) -> bool:  # type: ignore[type-arg]
        """«официальные представители», «сотрудники»: a plural title is not one person's post."""
        for token in tokens:
            if self._role(token.text) == "head":
                parses = [p for p in self.morph.parses(token.text.lower()) if p.tag.POS == "NOUN"]
                return bool(parses) and all(p.tag.number == "plur" for p in parses)
        return False

    def cases(self, word: str) -> set[str]:
        return {str(p.tag.case) for p in self.morph.parses(word.lower()) if p.tag.case}

    def _nominative(self, text: str) -> str:
        prefix = _PREFIX.match(text)
        if prefix:
            return text[:1].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text
        words = text.split()
        if words and words[0].lower() in self.vocab.heads and words[0].lower().startswith("зам") and len(words[0]) > 6:
            # «замгубернатора», «замминистра»: indeclinable abbreviations
            return (words[0][:1].lower() + words[0][1:] if not words[0].isupper() else words[0]) + text[len(words[0]):]
        result = self.morph.nominative_phrase(text)
        if words and words[0][:1].isupper() and words[0][1:2].islower():
            result = result[:1].lower() + result[1:]
        return result

    def _nominal(self, word: str) -> bool:
        if word.isdigit():
            return True
        if not word[:1].islower() or not word.replace("-", "").isalpha():
            return False
        parses = self.morph.parses(word)
        return bool(parses) and parses[0].tag.POS in ("NOUN", "ADJF", "PRTF", "NUMR")

    def _genitive(self, word: str) -> bool:
        if not word.isalpha() or word.lower() in ("и", "в", "на", "с", "по"):
            return False
        return any(p.tag.case in ("gent", "gen2") and p.tag.POS in ("NOUN", "ADJF", "PRTF") for p in self.morph.parses(word.lower()))


_PROFESSION = re.compile(
    r"^(?:[а-яё-]+\s+)?(журналист|писатель|аналитик|архитектор|основатель|сооснователь|космонавт|астронавт|предприниматель|"
    r"бизнесмен|адвокат|юрист|академик|профессор|акт[её]р|актриса|певец|певица|композитор|режисс[её]р|художник|поэт|"
    r"фотограф|оператор|инвестор|экономист|политолог|социолог|уч[её]ный|исследователь|инженер|специалист|сотрудник|"
    r"владелец|совладелец|учредитель|продюсер|обозреватель|корреспондент|солист|хореограф|тренер|наблюдатель)\b",
    re.I,
)
def _acting_prefix(tokens: list, index: int) -> int:  # type: ignore[type-arg]
    """Number of tokens of «и. о.» / «и.о.» / «исполняющий обязанности» just before ``index``."""
    texts = [t.text.lower() for t in tokens[max(0, index - 4):index]]
    joined = "".join(texts)
    for pattern, count in (("и.о.", 4), ("и.о.", 2), ("и.о.", 1)):
        if len(texts) >= count and "".join(texts[-count:]) == pattern:
            return count
    if len(texts) >= 2 and texts[-1] == "обязанности" and texts[-2].startswith("исполняющ"):
        return 2
    del joined
    return 0


def _is_abbr_dot(ctx: Context, index: int) -> bool:
    return index > 0 and len(ctx.tokens[index - 1].text) <= 2
