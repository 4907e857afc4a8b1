"""yargy grammars: organisations with legal forms, named clusters, titles set apart from their holder.

The rules are module-level constants (cheap objects, no dictionaries loaded); ``YargyGrammars``
builds one ``Parser`` per grammar when an ``Extractor`` is built, with a tokenizer that reuses the
extractor's pymorphy2 analyser (no second dictionary load). Each parser runs only on sentences that
contain its trigger words (and, for the cluster and verb grammars, the tokens every match holds: ``_Anchor``); ``find_*`` return spans in the text's offsets for the regex-era readers.
ORG_WITH_FORM, small and bounded, is the specification of ``_org_spans``, which lists its matches
without the parser (ten times faster; a test compares the two on generated sentences).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterator, Sequence

from yargy import Parser, and_, not_, or_, rule
from yargy.parser import Context as YargyContext
from yargy.interpretation import fact
from yargy.morph import MorphAnalyzer, prepare_form
from yargy.span import resolve_spans
from yargy.predicates import caseless, dictionary, eq, gram, in_, in_caseless, is_capitalized, normalized, type as type_
from yargy.tokenizer import MorphTokenizer

from kg.extract.context import Context
from kg.extract.readers.lexicon import load_vocabulary
from kg.extract.morph import Morph

# -- organisations with a legal form: «ООО «Ромашка»», «ФГУП «НПО «Микроген»»», «ЗАО Intel Labs» ---------------
LEGAL_FORMS = ("ООО", "ОАО", "ЗАО", "ПАО", "АО", "ИП", "ТОО", "ГУП", "МУП", "ФГУП", "ОГУП", "НПФ", "НПО", "НПП", "ГК",
               "ТД", "ФКП", "АКБ", "КБ", "ЧАО", "ОДО", "СП", "НП", "АНО", "ФГБОУ", "ФГАОУ", "ФГБУ", "ФГУ", "ГБУ", "ГАУ",
               "АУ", "ОГКУ", "ОГАУ", "КГБУ", "НКО", "ЧОУ", "МКУ", "ГКУ", "ФГБНУ", "ФБУ", "ГБОУ", "МБУ", "ОГБУ", "ФГКУ",
               "НОУ", "РОО", "ГНП", "ФНПЦ", "ВО", "ВПО")
_HEAD_FORMS = tuple(f for f in LEGAL_FORMS if f not in ("ВО", "ВПО", "ГНП", "ФНПЦ"))
OPEN_QUOTES = ("«", '"', "“", "„")
CLOSE_QUOTES = ("»", '"', "”", "“")
LegalOrg = fact("LegalOrg", ["form", "name"])

# «ФГБОУ ВО», «ООО НПФ», «ФГУП ФНПЦ»: a legal form of one or two abbreviations
LEGAL_FORM = rule(in_(set(_HEAD_FORMS)), in_(set(LEGAL_FORMS)).optional())
# the words of a quoted name: tokens of these types or these punctuation marks (``_org_spans`` reads
# the same constants)
_INNER_TYPES = ("RU", "LATIN", "INT", "OTHER")
_INNER_MARKS = frozenset({"-", ".", ",", "&", "+", "/", "№", "'", "(", ")", ":"})
_QUOTED_MAX = 14  # words of «А»
_NESTED_MAX = (8, 10, 6)  # words before, inside and after the inner quotes of «А «Б» В»
_QUOTE_WORD = or_(*(type_(t) for t in _INNER_TYPES))
_QUOTE_INNER = or_(_QUOTE_WORD, in_(set(_INNER_MARKS)))
# «А», "А", «А «Б»», «А «Б» В»: a quoted name, one nested level, the outer close may be missing
QUOTED_NAME = or_(
    rule(in_(set(OPEN_QUOTES)), _QUOTE_INNER.repeatable(max=_QUOTED_MAX), in_(set(CLOSE_QUOTES))),
    rule(eq("«"), _QUOTE_INNER.repeatable(max=_NESTED_MAX[0]).optional(), eq("«"),
         _QUOTE_INNER.repeatable(max=_NESTED_MAX[1]), eq("»"),
         rule(_QUOTE_INNER.repeatable(max=_NESTED_MAX[2]).optional(), eq("»")).optional()),
)
# a Latin word then a capitalised token (two tokens: «Intel Labs», «X5 Retail»)
_LATIN_WORD = rule(type_("LATIN"), is_capitalized())
_LATIN_JOINS = frozenset({"-", "&", "."})
_LATIN_MORE = 4  # further Latin words or numbers, each after an optional join
# «Intel», «Mail.Ru Group», «X5 Retail Group»
LATIN_NAME = rule(_LATIN_WORD, rule(in_(set(_LATIN_JOINS)).optional(), or_(type_("LATIN"), type_("INT")))
                  .repeatable(max=_LATIN_MORE).optional())
ORG_WITH_FORM = rule(LEGAL_FORM.interpretation(LegalOrg.form), or_(QUOTED_NAME, LATIN_NAME).interpretation(LegalOrg.name)
                     ).interpretation(LegalOrg)

# -- named clusters: «кластер «Аэрокосмос»», «кластер под названием «Сибирский лес»», «кластер Tatarstan IT» --------
ClusterName = fact("ClusterName", ["name"])
CLUSTER_NOUN = rule(normalized("кластер"))
CLUSTER_NAMED = rule(
    CLUSTER_NOUN,
    rule(eq("под"), normalized("название")).optional(),
    or_(QUOTED_NAME, rule(_LATIN_WORD, type_("LATIN").repeatable(max=3).optional())).interpretation(ClusterName.name),
).interpretation(ClusterName)

# -- a title set apart from its holder: «назначен на должность заместителя министра», «занимающий пост мэра»,
#    «в должности генерального директора», «на посту губернатора» -------------------------------------------
TitleApart = fact("TitleApart", ["title"])
POST_NOUN = dictionary({"должность", "пост"})
_MODIFIER = or_(gram("ADJF"), gram("PRTF"), caseless("вице"), eq("-"))
_PREFIX = or_(rule(caseless("и"), eq("."), caseless("о"), eq(".")), rule(normalized("исполнять"), normalized("обязанность")),
              rule(caseless("врио")))


# [acting] modifiers* head genitive*: «первого заместителя председателя правительства области»
POST_TITLE = rule(_PREFIX.optional(), _MODIFIER.repeatable(max=4).optional(), dictionary(set(load_vocabulary().heads)),
                  or_(gram("gent"), eq("-")).repeatable(max=6).optional())


POST_CUE = or_(
    rule(in_({"на", "в", "с"}).optional(), POST_NOUN),  # «на должность», «в должности», «с поста»
    rule(normalized("занимать"), POST_NOUN),
    rule(eq("в"), eq("качестве")),  # «в качестве первого заместителя»
)
# a post cue then a title; the reader finds the holder around it
POST_APART = rule(POST_CUE, POST_TITLE.interpretation(TitleApart.title)).interpretation(TitleApart)

# a title in the instrumental after a copular or appointment word, with at most three words between
# (the holder may stand there): «стал премьер-министром», «назначил Петрова министром», «является членом …»
POST_VERB = dictionary({"являться", "стать", "становиться", "назначить", "назначать", "избрать", "избирать",
                        "избрание", "назначение", "работать", "служить", "оставаться", "остаться", "переизбрать",
                        "утвердить", "выбрать", "выступать", "числиться"})
_ABLT_HEAD = and_(dictionary(set(load_vocabulary().heads)), gram("ablt"))
_COMPOUND = rule(in_caseless({"премьер", "вице", "экс", "генерал", "контр", "вице-премьер"}), eq("-"))  # «премьер-министром»
POST_TITLE_ABLT = rule(_PREFIX.optional(), and_(_MODIFIER, gram("ablt")).repeatable(max=3).optional(), _COMPOUND.optional(), _ABLT_HEAD,
                       or_(gram("gent"), eq("-")).repeatable(max=6).optional())
_BETWEEN = and_(not_(type_("PUNCT")), not_(_ABLT_HEAD))
POST_BY_VERB = rule(POST_VERB, _BETWEEN.repeatable(max=3).optional(),
                    POST_TITLE_ABLT.interpretation(TitleApart.title)).interpretation(TitleApart)

# the same title before a copular verb, its holder the subject after it: «капитаном стал Михаель Баллак»,
# «премьер-министром страны станет глава партии … Саломе Зурабишвили»
POST_VERB_AFTER = dictionary({"стать", "становиться", "являться", "остаться", "оставаться"})
POST_BEFORE_VERB = rule(POST_TITLE_ABLT.interpretation(TitleApart.title), POST_VERB_AFTER).interpretation(TitleApart)


@dataclass(frozen=True, slots=True)
class Found:
    """A grammar match in text offsets: the whole match and its main part (a name or a title)."""

    start: int
    stop: int
    part_start: int
    part_stop: int
    form: str = ""


class _SharedMorph(MorphAnalyzer):  # type: ignore[misc]
    """yargy's analyser interface over our cached pymorphy2 parses."""

    def __init__(self, morph: Morph) -> None:
        self.raw = morph.analyzer
        self._morph = morph
        self._forms = lru_cache(maxsize=100_000)(self._call)

    def _call(self, word: str) -> list[Any]:
        return [prepare_form(p) for p in self._morph.parses(word.lower())]

    def __call__(self, word: str) -> list[Any]:
        return self._forms(word)

    def check_gram(self, gram: str) -> None:
        return None


_HEAD_SET = frozenset(_HEAD_FORMS)
_FORM_SET = frozenset(LEGAL_FORMS)
_OPEN_SET, _CLOSE_SET = frozenset(OPEN_QUOTES), frozenset(CLOSE_QUOTES)
_LATIN_OR_INT = ("LATIN", "INT")


def _org_spans(tokens: Sequence[Any]) -> list[tuple[int, int]]:
    """ORG_WITH_FORM's matches in a sentence's yargy tokens, as ``Parser(ORG_WITH_FORM).findall`` gives
    them: the ``(first, stop)`` token ranges.

    The grammar is small and every match is at most 30 tokens, so the ranges it derives are
    listed directly (``_name_stops``) instead of by yargy's Earley chart, which cost about 5%
    of a build; they are ordered as findall orders them (by first token, longer first) and
    yargy's own ``resolve_spans`` keeps those that cover the most tokens without overlapping.
    The predicates read the constants the grammar is built from; a test compares the two on
    generated sentences.
    """
    found: set[tuple[int, int]] = set()
    for head, token in enumerate(tokens):
        if token.value in _HEAD_SET:
            names = [head + 1]
            if head + 1 < len(tokens) and tokens[head + 1].value in _FORM_SET:
                names.append(head + 2)
            found.update((head, stop) for name in names for stop in _name_stops(tokens, name))
    return list(resolve_spans(sorted(found, key=lambda span: (span[0], -span[1]))))


def _inner(token: Any) -> bool:
    return token.type in _INNER_TYPES or token.value in _INNER_MARKS


def _name_stops(tokens: Sequence[Any], at: int) -> Iterator[int]:
    """Where each derivation of ``or_(QUOTED_NAME, LATIN_NAME)`` begun at token ``at`` ends."""
    n = len(tokens)
    if at >= n:
        return
    first = tokens[at].value
    if first in _OPEN_SET:  # «А»: 1 to 14 words, then a closing quote
        for last in range(at + 1, min(n, at + 1 + _QUOTED_MAX)):
            if not _inner(tokens[last]):
                break
            if last + 1 < n and tokens[last + 1].value in _CLOSE_SET:
                yield last + 2
    if first == "«":  # «А «Б» В»: 0-8 words, «, 1-10 words, », then 0-6 words and » or nothing
        before, inside, after = _NESTED_MAX
        for opening in range(at + 1, min(n, at + 2 + before)):
            if tokens[opening].value == "«":
                for last in range(opening + 1, min(n, opening + 1 + inside)):
                    if not _inner(tokens[last]):
                        break
                    if last + 1 < n and tokens[last + 1].value == "»":
                        closing = last + 1
                        yield closing + 1
                        for end in range(closing + 1, min(n, closing + 2 + after)):
                            if tokens[end].value == "»":
                                yield end + 1
                            if not _inner(tokens[end]):
                                break
            if not _inner(tokens[opening]):
                break
    if at + 1 < n and tokens[at].type == "LATIN" and tokens[at + 1].value[0].isupper():  # _LATIN_WORD
        stop = at + 2
        yield stop
        for _ in range(_LATIN_MORE):  # [- & .] Latin word or number
            if stop + 1 < n and tokens[stop].value in _LATIN_JOINS and tokens[stop + 1].type in _LATIN_OR_INT:
                stop += 2
            elif stop < n and tokens[stop].type in _LATIN_OR_INT:
                stop += 1
            else:
                break
            yield stop
_LEGAL_TRIGGER = re.compile(r"(?<![\w-])(?:" + "|".join(sorted(_HEAD_FORMS, key=len, reverse=True)) + r")(?![\w-])")
_CLUSTER_TRIGGER = re.compile(r"кластер", re.I)
_POST_TRIGGER = re.compile(r"(?<![\w-])(должност|пост[аеуо]?(?:м)?(?![\w-])|в\s+качестве\s)", re.I)


_VERB_TRIGGER = re.compile(r"(?<![\w-])(явля|стал|стан|назнач|избра|избир|работа|служ|оста|переизбр|утвер|выбра|выступа|числ)", re.I)


# the copular verbs of POST_BEFORE_VERB, an instrumental word at most three words before them
_VERB_AFTER_TRIGGER = re.compile(r"\w(?:ом|ем|ой|ей|ёй)(?:\s+\S+){0,3}?\s+(?:стал|стан|явля|оста)", re.I)


_COMPOUND_WORDS = {"премьер", "вице", "экс", "генерал", "контр", "врио"}


def _is_ablt_head(token: Any, heads: frozenset[str]) -> bool:
    return any("ablt" in f.grams and f.normalized.replace("ё", "е") in heads for f in getattr(token, "forms", ()))


def _is_ablt_modifier(token: Any) -> bool:
    return any("ablt" in f.grams and ("ADJF" in f.grams or "PRTF" in f.grams) for f in getattr(token, "forms", ()))


class _Anchor:
    """Tokens that every match of a grammar holds: one passing ``first``, then one passing ``then``.

    The predicates are the grammar's own, activated as its parser activates them, and the tokens come
    from the parser's tokenizer, so a sentence without them has no match: skipping it changes nothing.
    ``adjacent``: the ``then`` token is the very next token, else any later one.
    """

    def __init__(self, tokenizer: MorphTokenizer, tokens: Callable[[str], tuple[Any, ...]], first: Any, then: Any,
                 adjacent: bool) -> None:
        context = YargyContext(tokenizer)
        self.tokens = tokens
        self.first = first.activate(context)
        self.then = then.activate(context)
        self.adjacent = adjacent

    def __call__(self, sentence: str) -> bool:
        tokens = self.tokens(sentence)
        for index, token in enumerate(tokens):
            if self.first(token):
                rest = tokens[index + 1:index + 2] if self.adjacent else tokens[index + 1:]
                if any(self.then(t) for t in rest):
                    return True
        return False


class YargyGrammars:
    """The parsers, built once per Extractor."""

    def __init__(self, morph: Morph) -> None:
        tokenizer = MorphTokenizer(morph=_SharedMorph(morph))
        self.orgs = Parser(ORG_WITH_FORM, tokenizer=tokenizer)
        self.clusters = Parser(CLUSTER_NAMED, tokenizer=tokenizer)
        self.posts = Parser(POST_APART, tokenizer=tokenizer)
        self.verb_posts = Parser(POST_BY_VERB, tokenizer=tokenizer)
        self.verb_after_posts = Parser(POST_BEFORE_VERB, tokenizer=tokenizer)
        self.heads = load_vocabulary().heads
        # most sentences with «кластер» or a copular verb have no match (none of 1098 and 385 on
        # demo-corpus 500); these anchors skip them for the price of a tokenisation
        # the anchors read the tokens of one sentence (the predicates only read them): tokenised once for all three
        tokens = lru_cache(maxsize=64)(lambda sentence: tuple(tokenizer(sentence)))
        self.tokens = tokens
        self.cluster_anchor = _Anchor(tokenizer, tokens, normalized("кластер"),
                                      or_(in_(set(OPEN_QUOTES) | {"под"}), type_("LATIN")), adjacent=True)
        self.verb_anchor = _Anchor(tokenizer, tokens, POST_VERB, _ABLT_HEAD, adjacent=False)
        self.verb_after_anchor = _Anchor(tokenizer, tokens, _ABLT_HEAD, POST_VERB_AFTER, adjacent=False)

    @staticmethod
    def _run(parser: Parser, ctx: Context, trigger: re.Pattern[str],
             anchor: Callable[[str], bool] | None = None) -> Iterator[tuple[int, Any]]:
        for start, stop in ctx.sents:
            sentence = ctx.text[start:stop]
            if trigger.search(sentence) and (anchor is None or anchor(sentence)):
                for match in parser.findall(sentence):
                    yield start, match

    def _legal_matches(self, ctx: Context) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """ORG_WITH_FORM's matches (``_org_spans``): the sentence's offset and the match's tokens."""
        for start, stop in ctx.sents:
            sentence = ctx.text[start:stop]
            if _LEGAL_TRIGGER.search(sentence):
                tokens = self.tokens(sentence)
                for first, last in _org_spans(tokens):
                    yield start, tokens[first:last]

    def legal_orgs(self, ctx: Context) -> list[Found]:
        out = []
        for offset, tokens in self._legal_matches(ctx):
            width = 2 if len(tokens) > 2 and tokens[1].value in LEGAL_FORMS and tokens[1].value not in OPEN_QUOTES else 1
            form = " ".join(t.value for t in tokens[:width])
            out.append(Found(offset + tokens[0].span.start, offset + tokens[-1].span.stop,
                             offset + tokens[width].span.start, offset + tokens[-1].span.stop, form))
        return out

    def named_clusters(self, ctx: Context) -> dict[int, Found]:
        """Offset of the cluster noun -> the match and its name."""
        out = {}
        for offset, match in self._run(self.clusters, ctx, _CLUSTER_TRIGGER, self.cluster_anchor):
            tokens = match.tokens
            first = 3 if len(tokens) > 3 and tokens[1].value.lower() == "под" else 1
            out[offset + match.span.start] = Found(offset + match.span.start, offset + match.span.stop,
                                                   offset + tokens[first].span.start, offset + match.span.stop)
        return out

    def titles_apart(self, ctx: Context) -> list[Found]:
        """«… назначен на должность директора …», «… стал премьер-министром»: the cue and the title."""
        out = []
        for offset, match in self._run(self.verb_posts, ctx, _VERB_TRIGGER, self.verb_anchor):
            tokens = match.tokens
            head = next((i for i, t in enumerate(tokens) if i and _is_ablt_head(t, self.heads)), None)
            if head is None:
                continue
            first = head
            while first > 1 and (_is_ablt_modifier(tokens[first - 1]) or tokens[first - 1].value == "-"
                                 or tokens[first - 1].value.lower() in _COMPOUND_WORDS):
                first -= 1
            out.append(Found(offset + match.span.start, offset + match.span.stop,
                             offset + tokens[first].span.start, offset + match.span.stop, "verb"))
        inverted = []
        for offset, match in self._run(self.verb_after_posts, ctx, _VERB_AFTER_TRIGGER, self.verb_after_anchor):
            tokens = match.tokens
            inverted.append(Found(offset + match.span.start, offset + match.span.stop,
                                  offset + match.span.start, offset + tokens[-1].span.start, "verb-after"))
        claimed = {f.part_start for f in inverted}
        out = [f for f in out if f.part_start not in claimed] + inverted  # «избрания X премьер-министром станет Y»
        for offset, match in self._run(self.posts, ctx, _POST_TRIGGER):
            tokens = match.tokens
            first = next(i for i, t in enumerate(tokens) if t.value.lower().startswith(("должност", "пост", "качестве"))) + 1
            if first >= len(tokens):
                continue
            out.append(Found(offset + match.span.start, offset + match.span.stop,
                             offset + tokens[first].span.start, offset + match.span.stop))
        return out


__all__ = ["YargyGrammars", "Found", "LEGAL_FORM", "ORG_WITH_FORM", "QUOTED_NAME", "LATIN_NAME", "CLUSTER_NAMED",
           "POST_CUE", "POST_TITLE", "POST_APART", "POST_VERB", "POST_TITLE_ABLT", "POST_BY_VERB",
           "POST_VERB_AFTER", "POST_BEFORE_VERB"]
