"""Frames over the dependency parse: the toolkit relation readers share.

A relation is read as a *frame*: a predicate found by its lemma (участник, войти, объединять,
подписать, назначить …) whose arguments are found by dependency role and case, not by their
place in the sentence. This module

- parses the sentences a reader needs, every entity mention given to the parser as one word
  (``parse_sentences``; see ``kg.extract.syntax``);
- expands an argument into the entities it names: coordination, apposition, «в том числе»,
  «а также», «такие как», «среди них», colons — whatever hangs below the argument's head,
  short of a clause of its own (``members``);
- tells facts from denials and plans: «не вошла», «планирует войти», «может стать»
  (``modality``);
- points «компания», «она», «ведомство», «кластер» back to the entity named before
  (``antecedent``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from kg.extract.context import Context, Mention
from kg.extract.syntax import CLAUSE_RELS, Lemmatiser, Piece, SyntaxParser, Tree, Word, parse
from kg.model import Kind

ORG_KINDS = frozenset({Kind.ORGANIZATION, Kind.COMPANY, Kind.AUTHORITY})
_QUOTES = "«»\"“”„‘’'"
_OPEN_QUOTES = "«“„‘"

# a verb on whose infinitive or clause the predicate hangs makes it a plan, not a fact
PLAN_LEMMAS = frozenset(
    "планировать намереваться собираться хотеть желать рассчитывать готовиться стремиться мочь "
    "предполагать предлагать рассматривать обсуждать мечтать надеяться решить решать договориться "
    "обещать пообещать намеренный намерен предстоять".split())
_PLAN_NOUNS = frozenset("заявка намерение план планы возможность предложение перспектива".split())
NEGATIONS = frozenset({"не", "нет", "ни"})


def parse_sentences(ctx: Context, parser: SyntaxParser, lemmatise: Lemmatiser,
                    wanted: Callable[[int, int], bool]) -> Tree:
    """Parse the sentences for which ``wanted(start, stop)`` holds; the result is also ``ctx.syntax``."""
    mentions = _outermost(ctx)
    batch: list[tuple[int, list[Piece]]] = []
    for number, (start, stop) in enumerate(ctx.sents):
        if wanted(start, stop):
            batch.append((number, _pieces(ctx, lemmatise, start, stop, mentions)))
    ctx.syntax = parse(parser, batch)
    return ctx.syntax


def _outermost(ctx: Context) -> dict[int, Mention]:
    """Mentions by their first token, the longest where several start together; a mention
    inside another one is left to the outer one."""
    out: dict[int, Mention] = {}
    covered_until = -1
    for mention in ctx.mentions_in(0, len(ctx.text)):
        if ctx.kind(mention.entity) == Kind.SECTOR or mention.start < covered_until:
            continue
        first = ctx.tok_at(mention.start)
        if first >= len(ctx.tokens) or ctx.tokens[first].start != mention.start:
            continue
        out[first] = mention
        covered_until = mention.stop
    return out


def _pieces(ctx: Context, lemmatise: Lemmatiser, start: int, stop: int,
            mentions: dict[int, Mention]) -> list[Piece]:
    pieces: list[Piece] = []
    index = ctx.tok_at(start)
    tokens = ctx.tokens
    while index < len(tokens) and tokens[index].start < stop:
        token = tokens[index]
        mention = mentions.get(index)
        if mention is not None and mention.stop <= stop:
            last = index
            while last + 1 < len(tokens) and tokens[last + 1].stop <= mention.stop:
                last += 1
            if tokens[last].stop == mention.stop:
                pieces.append(_entity_piece(ctx, lemmatise, mention, index, last))
                index = last + 1
                continue
        pieces.append(Piece(token.start, token.stop, token.text, lemmatise(token.text, token.pos or "X", token.feats),
                            token.pos or "X", token.feats))
        index += 1
    return pieces


def _entity_piece(ctx: Context, lemmatise: Lemmatiser, mention: Mention, first: int, last: int) -> Piece:
    """One word for a mention: a person's last word (the surname carries the case), else the
    first noun outside quotes («ООО», «правительством», «кластера»), else a stand-in."""
    kind = ctx.kind(mention.entity)
    tokens = ctx.tokens[first:last + 1]
    chosen = None
    if kind == Kind.PERSON:
        chosen = next((t for t in reversed(tokens) if t.text[:1].isalpha()), None)
    else:
        depth = 0
        for token in tokens:
            if token.text in _OPEN_QUOTES or (token.text == '"' and depth == 0):
                depth += 1
                continue
            if token.text in _QUOTES:
                depth = max(0, depth - 1)
                continue
            if depth == 0 and token.pos in ("NOUN", "PROPN") and token.text[:1].isalpha():
                chosen = token
                break
    if chosen is None and len(tokens) == 1 and tokens[0].text[:1].isalpha():
        chosen = tokens[0]  # «французской», «Сибприбор»: the word itself
    if chosen is None:
        stand_in = "кластер" if kind == Kind.CLUSTER else "ООО"
        return Piece(mention.start, mention.stop, stand_in, stand_in.lower(), "PROPN" if stand_in == "ООО" else "NOUN",
                     {}, mention.entity)
    pos = chosen.pos if kind == Kind.CLUSTER or chosen.pos not in ("NOUN", "PROPN") else "PROPN"
    return Piece(mention.start, mention.stop, chosen.text, lemmatise(chosen.text, chosen.pos, chosen.feats),
                 pos, chosen.feats, mention.entity)


# -- arguments ------------------------------------------------------------------------
# markers that introduce list items rather than modifiers: «такие как X», «среди них X», «в том числе X»
LIST_PREPOSITIONS = frozenset({"как", "среди"})


def members(ctx: Context, tree: Tree, word: Word, kinds: Iterable[Kind] = ORG_KINDS,
            stop: Callable[[Word], bool] | None = None) -> list[Word]:
    """The entity words an argument names: ``word`` and what hangs below it (coordination,
    apposition, «в том числе …», colons), short of clauses of their own and of ``stop``."""
    wanted = set(kinds)

    def keep(child: Word) -> bool:
        if stop is not None and stop(child):
            return False
        if child.rel in CLAUSE_RELS:
            # «…, среди которых X и Y»: a relative clause that only lists
            return child.lemma == "который" and any(c.lemma in LIST_PREPOSITIONS for c in tree.children(child, "case"))
        # a prepositional modifier («при поддержке правительства», «из Томска») is no list item;
        # «в том числе», «среди них» hang below the item they introduce and hold no entity
        if child.rel in ("nmod", "obl") and child.lemma != "число" and any(
                c.rel == "case" and c.lemma not in LIST_PREPOSITIONS for c in tree.children(child)):
            return False
        return True

    found = [w for w in tree.subtree(word, keep) if w.entity is not None and ctx.kind(w.entity) in wanted]
    return found


def modality(tree: Tree, *words: Word) -> str | None:
    """``"negated"`` when a predicate word, or a verb whose infinitive it is, is denied («не
    вошла», «не является»), ``"planned"`` when it is the infinitive of a plan («планирует
    войти», «может стать», «намерены вступить»); None for a stated fact."""
    for word in words:
        current: Word | None = word
        depth = 0
        while current is not None:
            if any(child.lemma in NEGATIONS for child in tree.children(current, "advmod", "discourse", "dep", "neg")):
                return "negated"
            if depth and (current.lemma in PLAN_LEMMAS or current.lemma in _PLAN_NOUNS):
                return "planned"
            if current.rel not in ("xcomp", "csubj"):
                break
            current = tree.head(current)
            depth += 1
    return None


# -- coreference -----------------------------------------------------------------------
def antecedent(ctx: Context, offset: int, kinds: Iterable[Kind], *, sentences: int = 2) -> str | None:
    """The entity of ``kinds`` mentioned last before ``offset``, within the same sentence or
    the ``sentences`` before it."""
    wanted = set(kinds)
    first_sent = max(0, _sent_index(ctx, offset) - sentences)
    window_start = ctx.sents[first_sent][0] if ctx.sents else 0
    best: Mention | None = None
    for mention in ctx.mentions_in(window_start, offset):
        if ctx.kind(mention.entity) in wanted and (best is None or mention.start >= best.start):
            best = mention
    return best.entity if best is not None else None


def _sent_index(ctx: Context, offset: int) -> int:
    for index, (start, stop) in enumerate(ctx.sents):
        if start <= offset < stop:
            return index
    return max(0, len(ctx.sents) - 1)


def text_of(ctx: Context, words: Iterable[Word]) -> str:
    words = list(words)
    return ctx.text[words[0].start:words[-1].stop] if words else ""


__all__ = ["ORG_KINDS", "antecedent", "members", "modality", "parse_sentences", "text_of"]
