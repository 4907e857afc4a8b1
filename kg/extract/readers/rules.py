"""yargy grammars: organisations with legal forms, named clusters, titles set apart from their holder.

The rules are module-level constants (cheap objects, no dictionaries loaded); ``YargyGrammars``
builds one ``Parser`` per grammar when an ``Extractor`` is built, with a tokenizer that reuses the
extractor's pymorphy2 analyser (no second dictionary load). Each parser runs only on sentences that
contain its trigger words (and, for the cluster and verb grammars, the tokens every match holds: ``_Anchor``); ``find_*`` return spans in the text's offsets for the regex-era readers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterator

from yargy import Parser, and_, not_, or_, rule
from yargy.parser import Context as YargyContext
from yargy.interpretation import fact
from yargy.morph import MorphAnalyzer, prepare_form
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
_QUOTE_WORD = or_(type_("RU"), type_("LATIN"), type_("INT"), type_("OTHER"))
_QUOTE_INNER = or_(_QUOTE_WORD, in_({"-", ".", ",", "&", "+", "/", "№", "'", "(", ")", ":"}))
# «А», "А", «А «Б»», «А «Б» В»: a quoted name, one nested level, the outer close may be missing
QUOTED_NAME = or_(
    rule(in_(set(OPEN_QUOTES)), _QUOTE_INNER.repeatable(max=14), in_(set(CLOSE_QUOTES))),
    rule(eq("«"), _QUOTE_INNER.repeatable(max=8).optional(), eq("«"), _QUOTE_INNER.repeatable(max=10), eq("»"),
         rule(_QUOTE_INNER.repeatable(max=6).optional(), eq("»")).optional()),
)
_LATIN_WORD = rule(type_("LATIN"), is_capitalized())
# «Intel», «Mail.Ru Group», «X5 Retail Group»
LATIN_NAME = rule(_LATIN_WORD, rule(in_({"-", "&", "."}).optional(), or_(type_("LATIN"), type_("INT"))).repeatable(max=4).optional())
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

    def _legal_suffixes(self, ctx: Context) -> Iterator[tuple[int, Any]]:
        """ORG_WITH_FORM's matches, the parser run from the sentence's first legal-form token on.

        Every match starts with a token in ``_HEAD_FORMS``; yargy's tokenizer is a regex scan without
        lookbehind, so the text from a token's start tokenises as the rest of the sentence did, and
        the Earley states begun before the first head-form token die at once: the same matches.
        """
        for start, stop in ctx.sents:
            sentence = ctx.text[start:stop]
            if _LEGAL_TRIGGER.search(sentence):
                cut = next((t.span.start for t in self.tokens(sentence) if t.value in _HEAD_SET), None)
                if cut is not None:
                    for match in self.orgs.findall(sentence[cut:]):
                        yield start + cut, match

    def legal_orgs(self, ctx: Context) -> list[Found]:
        out = []
        for offset, match in self._legal_suffixes(ctx):
            tokens = match.tokens
            width = 2 if len(tokens) > 2 and tokens[1].value in LEGAL_FORMS and tokens[1].value not in OPEN_QUOTES else 1
            form = " ".join(t.value for t in tokens[:width])
            out.append(Found(offset + match.span.start, offset + match.span.stop,
                             offset + tokens[width].span.start, offset + match.span.stop, form))
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
