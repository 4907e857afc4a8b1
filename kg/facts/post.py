"""Posts: a person's title read next to the name, or set apart from it after a post cue.

``PostReader.read`` looks for each person's title before the name («губернатор Тверской области
Игорь Руденя», two stacked titles), else after it («Николай Сидоров, ректор …», «Имя (тренер)», a
signature line), then reads the titles the yargy grammar POST_APART found after a cue («назначен на
должность министра»). ``titles.build_post`` turns the title's tokens into a ``Post``.

Stated as ``{base}post/{hash}`` ``a org:Post`` of (holder, title, organisation), held by the
person; drawn as an edge person -> organisation labelled with the title (``kg.viz.network``);
answered to factRuEval as an ``occupation``. Read in every document.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from kg.extract.context import Context, Mention
from kg.extract.readers.titles import ORGISH, PLACES, acting_prefix, acting_prefix_before, build_post, field_end, is_abbr_dot
from kg.facts.nodes import reading
from kg.facts.post_frames import read_post_frames
from kg.facts.spec import Answers, Factru, FactGraph, FactType, Found, ReaderSpec, Reading, ruled
from kg.mapping.vocab import CKG, ORG, PROV, RDF, RDFS
from kg.model import Kind, Post
from kg.vocab import POST

if TYPE_CHECKING:
    from kg.extract.readers.rules import Found as Match
    from kg.extract.tools import Tools

__all__ = ["POSTS", "Post", "PostReader"]

_CANDIDACY = re.compile(r"(кандидат\w*|претенд\w*|баллотир\w*|выдвину\w*|выдвига\w*)\s+$", re.I)
_FORMER = {"бывший", "бывшая", "бывшего", "бывшей", "экс"}
_JOINERS = {",", "и", "—", "–", "-", "«", "»", '"', "(", ")", "по", "в", "при", "на", "от"}
_PROFESSION = re.compile(
    r"^(?:[а-яё-]+\s+)?(журналист|писатель|аналитик|архитектор|основатель|сооснователь|космонавт|астронавт|предприниматель|"
    r"бизнесмен|адвокат|юрист|академик|профессор|акт[её]р|актриса|певец|певица|композитор|режисс[её]р|художник|поэт|"
    r"фотограф|оператор|инвестор|экономист|политолог|социолог|уч[её]ный|исследователь|инженер|специалист|сотрудник|"
    r"владелец|совладелец|учредитель|продюсер|обозреватель|корреспондент|солист|хореограф|тренер|наблюдатель)\b",
    re.I,
)


class PostReader:
    """Reads «должность [организация] Имя Фамилия» and «Имя Фамилия, должность ...»."""

    def __init__(self, tools: Tools) -> None:
        self._left_start = -1  # token index where the last title read by _left starts
        self.morph = tools.morph
        self.lexicon = tools.lexicon
        self.yargy = tools.yargy

    def read(self, doc: Reading, found: Found) -> list[Post]:
        """Posts next to their holder, then titles after a post cue (yargy POST_APART), then
        posts stated by a verb over the parse (``post_frames``)."""
        ctx = doc.ctx
        posts = ruled(self.read_posts(ctx, doc.region, self.yargy.titles_apart(ctx)), "post.grammar")
        return read_post_frames(ctx, self.lexicon, posts, doc.region)

    def read_posts(self, ctx: Context, doc_region: str | None, apart: "list[Match] | None" = None) -> list[Post]:
        """Posts next to their holder, then ``apart``: titles after a post cue."""
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

    def _apart(self, ctx: Context, found: "Match", persons: list[Mention], doc_region: str | None) -> Post | None:
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
        return build_post(ctx, self.lexicon, holder, first, end, doc_region)

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
            role = self.lexicon.role(token.text)
            if role == "head" and covered is not None and ctx.kind(covered.entity) in ORGISH:
                role = None  # «член Палаты представителей Конгресса …»: a word of a name is no title
            if head_at is not None and role is None and covered is None and self.lexicon.genitive(token.text) \
                    and self.lexicon.head_behind(tokens, index, sent):
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
            if head_at is not None and role is None and not (token.text == "." and is_abbr_dot(ctx, index)):
                break
            if role == "head":
                parses = self.morph.parses(token.text.lower())
                adjective = bool(parses) and parses[0].tag.POS in ("ADJF", "PRTF")  # «управляющий директор»
                if head_at is not None and not adjective and "gent" not in self.lexicon.cases(tokens[head_at].text):
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
                if token.text == "и" and head_at is None and self.lexicon.own_phrase(tokens[index + 1:end_index]):
                    break  # «Президент и первая леди Мишель Обама»: the title before «и» is another person's
            elif token.text == "." and is_abbr_dot(ctx, index):
                pass
            elif not self.lexicon.nominal(token.text):
                break
            index -= 1
            steps += 1
        if head_at is None:
            return None
        after = ctx.tok_at(person.stop - 1) + 1
        if stop_index is None and field_end(ctx, self.morph, after, min(len(tokens), after + 8)) > after:
            person_cases = self.lexicon.person_cases(ctx, person)
            if not person_cases or "gent" in person_cases:
                return None  # «Помощник Хиллари Клинтон по европейским делам»: the name is inside the title
        start_index = head_at
        while start_index > 0:
            acting = acting_prefix_before(tokens, start_index)  # «И. о.» may look like a sentence end
            if acting:
                start_index -= acting
                continue
            role = self.lexicon.role(tokens[start_index - 1].text)
            if tokens[start_index - 1].sent == sent and role in ("mod", "prefix") and tokens[start_index - 1].text.lower() not in ("и", "о"):
                start_index -= 1
                continue
            if (start_index > 1 and tokens[start_index - 1].text == "и" and self.lexicon.role(tokens[start_index].text) == "mod"
                    and self.lexicon.role(tokens[start_index - 2].text) == "mod"):
                start_index -= 2  # «чрезвычайный и полномочный посол»
                continue
            break
        first_word = tokens[start_index].text.lower()
        if not (first_word in ("врио", "и", "и.о.", "экс") or first_word.startswith("исполняющ")):
            head_cases = self.lexicon.cases(tokens[head_at].text)
            person_cases = self.lexicon.person_cases(ctx, person)
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
        return build_post(ctx, self.lexicon, person, start_index, end_index, doc_region, default_in)

    def _right(self, ctx: Context, person: Mention, doc_region: str | None) -> Post | None:
        tokens = ctx.tokens
        index = ctx.tok_at(person.stop - 1) + 1
        if index < len(tokens) and tokens[index].text == "(":
            close = next((i for i in range(index, min(len(tokens), index + 12)) if tokens[i].text == ")"), None)
            if close is not None and close > index + 1 and self.lexicon.role(tokens[index + 1].text) in ("head", "mod"):
                return build_post(ctx, self.lexicon, person, index + 1, close, doc_region)  # «Йоахим Лёв (второй тренер)»
            if close is not None:
                index = close + 1  # «Скотт Хоровитц (Scott Horowitz), бывший астронавт»
        if index < len(tokens) and self._signature(ctx, person, index):
            end = index
            while end < len(tokens) and "\n" not in ctx.text[tokens[index].start:tokens[end].start]:
                end += 1
            return build_post(ctx, self.lexicon, person, index, end, doc_region)  # «Кирсан Илюмжинов Президент ФИДЕ»
        if index + 1 >= len(tokens) or tokens[index].text not in (",", "—", "–", "-", "("):
            return None
        comma = tokens[index].text == ","
        person_cases = self.lexicon.person_cases(ctx, person)
        for segment in range(2 if comma else 1):
            first = index + 1
            if first < len(tokens) and tokens[first].text.lower() in _FORMER:
                first += 1  # «…, бывший астронавт»: the title without «бывший»
            if first + 2 < len(tokens) and tokens[first + 1].text == "и" and self.lexicon.role(tokens[first].text) is None \
                    and self.lexicon.nominal(tokens[first].text) and self.lexicon.role(tokens[first + 2].text) in ("head", "mod"):
                first += 2  # «Гергей Ковач - политик и лидер партии …»: the title after an occupation
            lead = first
            first += acting_prefix(tokens, first)  # «…, исполняющий обязанности официального представителя …»
            end = first
            while end < len(tokens) and tokens[end].sent == tokens[first].sent and tokens[end].text not in (",", ".", ")", ";", "—"):
                end += 1
            if end > first and self.lexicon.role(tokens[first].text) in ("head", "mod", "prefix"):
                if segment and person_cases and not person_cases & self.lexicon.title_cases(tokens[first:end]):
                    return None  # a later apposition agrees with its holder: «Брода, …, члена палаты»
                if ctx.mentions_in(tokens[first].start, tokens[end - 1].stop, {Kind.PERSON}):
                    return None  # «Лев Пономарев, координатор движения Сергей Удальцов»: the title is the next person's
                return build_post(ctx, self.lexicon, person, lead, end, doc_region)
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
            and self.lexicon.role(word) == "head" and not re.search(r"[.,;:!?—–]", rest)

    def _agree(self, ctx: Context, second: int, first: int) -> bool:
        """Stacked titles (from token ``second`` and ``first``) of one person agree in case
        («По словам губернатора, президент …» do not)."""
        a = self.lexicon.title_cases(ctx.tokens[second:first])
        b = self.lexicon.title_cases(ctx.tokens[first:first + 8])
        return bool(a and b and a & b)


# -- the fact type: what is kept, its triples, its factRuEval answer -----------------------------


def keep(post: Post, ids: frozenset[str]) -> Post | None:
    """A post of a holder that made it, its organisation dropped when that did not."""
    if post.holder not in ids:
        return None
    if post.post_in is not None and post.post_in not in ids:
        return replace(post, post_in=None)
    return post


def triples(g: FactGraph, p: Post) -> None:
    """``{base}post/{hash}``: a org:Post held by the person (who org:holds it), with its title,
    organisation and a label «title, organisation: person»."""
    holder = g.by_id[p.holder]
    post_in = g.by_id[p.post_in] if p.post_in else None
    node = g.t.iri(g.minter.post(holder.key, p.title, post_in.key if post_in else None))
    g.add(node, RDF.type, ORG.Post)
    g.add(node, ORG.heldBy, g.iris[p.holder])
    g.add(g.iris[p.holder], ORG.holds, node)
    g.add(node, CKG.title, g.t.lang(p.title, "ru"))
    if p.post_in:
        g.add(node, ORG.postIn, g.iris[p.post_in])
    where = f", {post_in.label}" if post_in else ""
    g.add(node, RDFS.label, g.t.lang(f"{p.title}{where}: {holder.label}", "ru"))
    g.add(node, PROV.wasDerivedFrom, g.doc_iri)
    reading(g, node, p)
    g.mention(p.evidence, node)


def title_as_written(post: Post) -> str:
    """A Post's `position` as written at the start of its evidence («губернатора», «членом»): the gold
    accepts the text of the position span, and a nominative «член» is too far from «членом»."""
    words = post.title.split()
    written = post.evidence.text.split()[:len(words)]
    if len(written) == len(words) and all(w[:2].lower() == t[:2].lower() for w, t in zip(written, words)):
        return re.sub(r"[,;:]+$", "", " ".join(written)).lower()
    return post.title.lower()


def occupation(post: Post, answers: Answers) -> list[tuple[str, str]] | None:
    """factRuEval ``occupation``: who, position (as written) and where."""
    who, where = answers.value(post.holder), answers.as_written(post.post_in, post.evidence)
    if who is None:
        return None
    arguments = [("who", who), ("position", title_as_written(post))]
    if where:
        arguments.append(("where", where))
    return arguments


POSTS: FactType[Post] = FactType(
    name="post",
    cls=Post,
    readers=(ReaderSpec(PostReader),),
    keep=keep,
    triples=triples,
    class_iri=POST,
    acting=lambda post: (post.post_in,) if post.post_in else (),
    factru=Factru("occupation", occupation),
)
