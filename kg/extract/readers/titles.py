"""A title read from its first word: its extent, the organisation or place it is held in, its nominative.

- ``build_post``: the title from token ``first`` (position words, a minister's field) and its
  ``post_in``, the organisation or place named next (or a quoted name, the unit of a genitive
  group, the document's region for a bare «области»), put in the nominative.

Words that belong to a title beyond its head nouns:

- ``field_end``: the field of a post after «по» — «министр по делам разведки», «секретарь по
  вопросам прав человека», «директор по стратегии и развитию бизнеса»: «по» and the lower-case
  noun group after it (adjectives and nouns, joined by «и»), up to a name, a comma or any other word.
- ``joined_modifiers``: «чрезвычайный и полномочный посол» — two title modifiers joined by «и».
- ``acting_prefix``: «исполняющий обязанности» (and «временно исполняющий обязанности») before a title;
  ``acting_prefix_before``: the tokens of «и. о.» or «исполняющий обязанности» just before a token.
"""

from __future__ import annotations

import re

from kg.extract.context import Context, Mention
from kg.extract.frames import antecedent
from kg.extract.readers.lexicon import Lexicon
from kg.extract.readers.org_groups import unit_entity
from kg.extract.keys import org_key
from kg.extract.morph import Morph
from kg.model import Kind, Post

_NOMINAL = ("NOUN", "ADJF", "PRTF")
# kinds of entity a post is held in
ORGISH = {Kind.ORGANIZATION, Kind.COMPANY, Kind.AUTHORITY, Kind.CLUSTER}
PLACES = {Kind.REGION, Kind.COUNTRY, Kind.SETTLEMENT}
_PREFIX = re.compile(r"^(?:врио|и\.\s?о\.|исполняющ\w+\s+обязанности|временно\s+исполняющ\w+\s+обязанности|экс-)\s*", re.I)
# a common noun standing for a body named before, and the kinds of entity it can stand for
_GENERIC_BODIES: list[tuple[re.Pattern[str], frozenset[Kind]]] = [
    (re.compile(r"^(ведомств|министерств|департамент|администраци|правительств|комитет)"), frozenset({Kind.AUTHORITY})),
    (re.compile(r"^(компани|предприяти|завод|фирм|холдинг|концерн|корпораци|комбинат)"),
     frozenset({Kind.COMPANY, Kind.ORGANIZATION})),
    (re.compile(r"^(ассоциаци|кластер|союз|объединени|партн[её]рств)"), frozenset({Kind.CLUSTER, Kind.ORGANIZATION})),
    (re.compile(r"^(университет|вуз|институт|фонд|агентств)"), frozenset({Kind.ORGANIZATION, Kind.COMPANY})),
]


def generic_body(word: str) -> frozenset[Kind]:
    low = word.lower()
    return next((kinds for pattern, kinds in _GENERIC_BODIES if pattern.match(low)), frozenset())


_BARE_REGION = re.compile(r"^(област|кра[яюеё]|край|республик|регион)", re.I)
_ORG_NOUN_TAIL = re.compile(
    r"\s+(компани|корпораци|концерн|холдинг|групп|банк|завод|ассоциаци|фонд|университет|институт|предприяти|"
    r"организаци|агентств|центр|фирм|объединени|партнерств|партнёрств|кластер|ОЭЗ|ОАО|ООО|ЗАО|ПАО|АО)\w*$",
    re.I,
)
_QUOTED_AFTER = re.compile(r"[«\"]([А-ЯЁA-Z][^«»\"]{1,50})[»\"]")


def field_end(ctx: Context, morph: Morph, index: int, end: int) -> int:
    """Token index after the «по …» field that starts at token ``index``; ``index`` when there is none."""
    tokens = ctx.tokens
    if index >= end or tokens[index].text.lower() != "по":
        return index
    at, nouns = index + 1, 0
    while at < end:
        word = tokens[at].text
        if word == "и" and at > index + 1 and at + 1 < end and tokens[at + 1].text[:1].islower():
            at += 1
            continue
        if not (word[:1].islower() and word.replace("-", "").isalpha()):
            break
        if ctx.covered(tokens[at].start, tokens[at].stop) is not None:
            break
        parses = morph.parses(word.lower())
        if not parses or parses[0].tag.POS not in _NOMINAL:
            break
        nouns += parses[0].tag.POS == "NOUN"
        at += 1
    while at > index + 1 and tokens[at - 1].text == "и":
        at -= 1
    return at if nouns else index


def joined_modifiers(tokens: list, index: int, role: object) -> bool:  # type: ignore[type-arg]
    """Whether the «и» at token ``index`` joins two title modifiers («чрезвычайный и полномочный»);
    ``role`` maps a word to its title role (head, mod, prefix, body or None)."""
    if tokens[index].text != "и" or index == 0 or index + 1 >= len(tokens):
        return False
    return role(tokens[index - 1].text) == "mod" and role(tokens[index + 1].text) in ("mod", "head")  # type: ignore[operator]


def acting_prefix(tokens: list, first: int) -> int:  # type: ignore[type-arg]
    """Number of tokens of «[временно] исполняющий обязанности» at token ``first`` (0 when none)."""
    words = [t.text.lower() for t in tokens[first:first + 3]]
    if len(words) >= 2 and words[0].startswith("исполняющ") and words[1] == "обязанности":
        return 2
    if len(words) == 3 and words[0] == "временно" and words[1].startswith("исполняющ") and words[2] == "обязанности":
        return 3
    return 0


def build_post(ctx: Context, lexicon: Lexicon, person: Mention, first: int, end: int, doc_region: str | None,
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
        covered = ctx.covered(token.start, token.stop, ORGISH | {Kind.SETTLEMENT}) \
            or ctx.covered(token.start, token.stop, ORGISH | PLACES)  # «мэр Череповца»: the town, not its region
        role = lexicon.role(word)
        if index > first and index == title_end and (covered is not None or role is None or role == "body" and word[:1].isupper()):
            unit = unit_entity(ctx, lexicon.morph, index, end)  # «лидер фракции КПРФ»: the unit, not the party
            if unit is not None:
                post_in = unit
                break
        if covered is not None:
            post_in = covered.entity
            break
        if role in ("head", "mod", "prefix", "body") or (word == "." and is_abbr_dot(ctx, index)):
            title_end = index + 1
            domain = domain or bool(lexicon.morph.lemmas(word) & lexicon.vocab.domains)
            index += 1
            continue
        if index == title_end > first and (word == "и" and joined_modifiers(tokens, index, lexicon.role)):
            index += 1  # «чрезвычайный и полномочный посол»
            continue
        field = field_end(ctx, lexicon.morph, index, end) if index == title_end > first else index
        if field > index:
            index = title_end = field  # «министр по делам разведки»
            continue
        if domain and word[:1].islower() and lexicon.genitive(word):
            title_end = index + 1
            index += 1
            continue
        if domain and word in ("и", ",") and index + 1 < end and tokens[index + 1].text[:1].islower() and lexicon.genitive(tokens[index + 1].text):
            index += 1
            continue
        # the rest describes the organisation: take the first entity in it
        rest = ctx.mentions_in(token.start, tokens[end - 1].stop, ORGISH | PLACES)
        quoted = _QUOTED_AFTER.match(ctx.text, token.start) if word in ("«", '"') else None
        if quoted is not None and quoted.end() <= tokens[end - 1].stop and not rest:
            # «глава «Яблока»», «лидер "Справедливой России"»: the quoted name is the organisation
            name = quoted.group(1)
            post_in = ctx.entity(Kind.ORGANIZATION, org_key(name), lexicon.morph.nominative_phrase(name),
                                 quoted.start(1), quoted.end(1))
        elif rest:
            post_in = rest[0].entity
        elif _BARE_REGION.match(word) and doc_region:
            post_in = doc_region
        elif word[:1].islower() and (kinds := generic_body(word)):
            # «глава ведомства», «директор ассоциации», «генеральный директор компании»: the body named before
            post_in = antecedent(ctx, token.start, kinds, sentences=2)
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
    if lexicon.plural(tokens[first:title_end]):
        return None
    title = _nominative(lexicon, title_text)
    if not title or len(title) > 120:
        return None
    return Post(holder=person.entity, title=title, post_in=post_in,
                evidence=ctx.span(tokens[first].start, person.stop if person.stop > tokens[first].start else tokens[end - 1].stop))


def _nominative(lexicon: Lexicon, text: str) -> str:
    prefix = _PREFIX.match(text)
    if prefix:
        return text[:1].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text
    words = text.split()
    if words and words[0].lower() in lexicon.vocab.heads and words[0].lower().startswith("зам") and len(words[0]) > 6:
        # «замгубернатора», «замминистра»: indeclinable abbreviations
        return (words[0][:1].lower() + words[0][1:] if not words[0].isupper() else words[0]) + text[len(words[0]):]
    result = lexicon.morph.nominative_phrase(text)
    if words and words[0][:1].isupper() and words[0][1:2].islower():
        result = result[:1].lower() + result[1:]
    return result


def acting_prefix_before(tokens: list, index: int) -> int:  # type: ignore[type-arg]
    """Number of tokens of «и. о.» / «и.о.» / «исполняющий обязанности» just before ``index``."""
    texts = [t.text.lower() for t in tokens[max(0, index - 4):index]]
    for pattern, count in (("и.о.", 4), ("и.о.", 2), ("и.о.", 1)):
        if len(texts) >= count and "".join(texts[-count:]) == pattern:
            return count
    if len(texts) >= 2 and texts[-1] == "обязанности" and texts[-2].startswith("исполняющ"):
        return 2
    return 0


def is_abbr_dot(ctx: Context, index: int) -> bool:
    """Whether a «.» at token ``index`` ends an abbreviation: the word before has one or two letters («и. о.»)."""
    return index > 0 and len(ctx.tokens[index - 1].text) <= 2
