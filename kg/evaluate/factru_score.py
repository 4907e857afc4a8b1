"""Scores of factRuEval-2016 responses against the gold layers of one document.

Track 1 follows ``dialent/task1/eval.py`` of github.com/dialogue-evaluation/factRuEval-2016:
mentions become sets of tokens; a pair's quality counts name-bearing gold tokens
found against gold tokens missed and extra response tokens; unnamed and embedded
gold mentions are ignored. Track 3 follows ``dialent/task3/eval.py`` with a
one-to-one pairing (see EVALUATION.md for every difference).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from kg.evaluate.factru_gold import FactruDocument, GoldArgument, GoldEntity, GoldFact, Token
from kg.evaluate.factru_response import FACT_TYPES, TAGS, ResponseFact, ResponseMention
from kg.evaluate.match import assign, close, normalise
from kg.evaluate.metrics import Metrics, simple

# span types that carry weight in a mention of each tag (dialent/config.py, Tables.QUALITY)
NAME_SPANS = {
    "per": {"name", "surname", "patronymic", "nickname", "none"},
    "org": {"org_name", "loc_name", "none"},
    "loc": {"loc_name", "org_name", "none"},
    "locorg": {"loc_name", "org_name", "none"},
}
# a mention of the key tag may be embedded in mentions of these tags (Tables.PARENT_TAGS)
PARENT_TAGS = {
    "per": {"loc", "org", "locorg"},
    "loc": {"loc", "org", "locorg"},
    "org": {"org", "locorg"},
    "locorg": {"org", "locorg"},
}


@dataclass(frozen=True, slots=True)
class TokenSet:
    tag: str
    tokens: frozenset[int]  # token indices
    marks: dict[int, int]  # token index -> 1 when inside a name-bearing span


def _punctuation(token: Token) -> bool:
    return len(token.text) == 1 and not token.text.isalpha()


def _ignored_tokens(tokens: tuple[Token, ...]) -> set[int]:
    """One-character punctuation glued to a neighbour (dialent Token.isIgnored)."""
    ignored = set()
    for i, token in enumerate(tokens):
        if token.stop - token.start == 1 and _punctuation(token):
            glued_left = i > 0 and tokens[i - 1].stop == token.start
            glued_right = i + 1 < len(tokens) and tokens[i + 1].start == token.stop
            if glued_left or glued_right:
                ignored.add(i)
    return ignored


def _covered(tokens: tuple[Token, ...], start: int, stop: int) -> set[int]:
    return {i for i, token in enumerate(tokens) if token.start >= start and token.stop <= stop}


def gold_token_sets(doc: FactruDocument) -> list[TokenSet]:
    result = []
    for mention in doc.mentions:
        tag = mention.tag
        if tag is None:
            continue
        marks: dict[int, int] = {}
        for span in mention.spans:
            mark = 1 if span.type in NAME_SPANS[tag] else 0
            for index in _covered(doc.tokens, span.start, span.stop):
                marks[index] = max(marks.get(index, 0), mark)
        result.append(TokenSet(tag, frozenset(marks), marks))
    return result


def response_token_sets(doc: FactruDocument, mentions: list[ResponseMention]) -> list[TokenSet]:
    ignored = _ignored_tokens(doc.tokens)
    result = []
    for mention in sorted(set(mentions), key=lambda m: (m.start, m.length, m.tag)):
        tokens = _covered(doc.tokens, mention.start, mention.start + mention.length) - ignored
        result.append(TokenSet(mention.tag, frozenset(tokens), {}))
    return result


def priority(gold: TokenSet, test: TokenSet) -> float:
    """Token Jaccard of a same-tag pair; the weight the pairing maximises."""
    if gold.tag != test.tag:
        return 0.0
    union = len(gold.tokens | test.tokens)
    return len(gold.tokens & test.tokens) / union if union else 0.0


def quality(gold: TokenSet, test: TokenSet, tokens: tuple[Token, ...]) -> float:
    """Name tokens found / (found + name tokens missed + extra response tokens)."""
    if gold.tag != test.tag:
        return 0.0
    found = sum(gold.marks[i] for i in gold.tokens & test.tokens)
    missed = sum(gold.marks[i] for i in gold.tokens - test.tokens if not _punctuation(tokens[i]))
    extra = len(test.tokens - gold.tokens)
    total = found + missed + extra
    return found / total if total else priority(gold, test)


def _ignored_gold(gold: list[TokenSet], matched: set[int]) -> set[int]:
    """Gold mentions left out of the counts (dialent isStandardIgnored)."""
    ignored = set()
    for i, s in enumerate(gold):
        if not any(s.marks.values()):
            ignored.add(i)  # unnamed
            continue
        siblings = []
        for j, other in enumerate(gold):
            if j == i:
                continue
            if s.tokens < other.tokens and other.tag in PARENT_TAGS[s.tag]:
                ignored.add(i)  # embedded
                break
            if s.tokens == other.tokens and (other.tag in PARENT_TAGS[s.tag] or s.tag in PARENT_TAGS[other.tag]):
                siblings.append(j)  # synonymous mentions, e.g. an Org and a Location
        else:
            for j in siblings:
                if (i in matched) != (j in matched):
                    if i not in matched:
                        ignored.add(i)
                elif gold[j].tag == s.tag:
                    if j < i:
                        ignored.add(i)
                elif s.tag != "org":
                    ignored.add(i)
    return ignored


def score_track1(doc: FactruDocument, mentions: list[ResponseMention]) -> dict[str, Metrics]:
    """Metrics per tag and ``overall`` for one document."""
    gold = gold_token_sets(doc)
    test = response_token_sets(doc, mentions)
    pairs: list[tuple[int, int]] = []
    for tag in TAGS:
        rows = [i for i, s in enumerate(gold) if s.tag == tag]
        cols = [j for j, t in enumerate(test) if t.tag == tag and t.tokens]
        weights = [[priority(gold[i], test[j]) for j in cols] for i in rows]
        pairs.extend((rows[a], cols[b]) for a, b in assign(weights))
    ignored = _ignored_gold(gold, {i for i, _ in pairs})
    paired_test = {j for _, j in pairs}
    result: dict[str, Metrics] = {}
    for tag in TAGS + ("overall",):
        def wanted(item: TokenSet) -> bool:
            return tag == "overall" or item.tag == tag

        relevant = [(i, j) for i, j in pairs if wanted(gold[i]) and i not in ignored]
        tp = sum(quality(gold[i], test[j], doc.tokens) for i, j in relevant)
        paired_gold = {i for i, _ in pairs}
        n_std = len(relevant) + sum(
            1 for i, s in enumerate(gold) if wanted(s) and i not in paired_gold and i not in ignored
        )
        n_test = len(relevant) + sum(1 for j, t in enumerate(test) if wanted(t) and j not in paired_test)
        result[tag] = simple(tp, n_std, n_test)
    return result


# ---------------------------------------------------------------- Track 3


class _Values:
    """Every acceptable string of each gold entity, span and Where expansion."""

    def __init__(self, doc: FactruDocument) -> None:
        self.doc = doc
        self.entities = {entity.id: entity for entity in doc.entities}
        self.mentions = {mention.id: mention for mention in doc.mentions}
        self.wholes: dict[str, list[str]] = {}
        for fact in doc.facts:
            if fact.type == "ispartof":
                parts = self._refs(fact, {"part", "company"}, first=True)
                wholes = self._refs(fact, {"whole", "company"}, first=False)
                for part in parts:
                    self.wholes.setdefault(part, []).extend(w for w in wholes if w != part)

    @staticmethod
    def _refs(fact: GoldFact, roles: set[str], first: bool) -> list[str]:
        explicit = [a for a in fact.arguments if a.role in roles - {"company"}]
        company = [a for a in fact.arguments if a.role == "company"]
        chosen = explicit or (company[:1] if first else company[1:])
        return [value.ref for argument in chosen for value in argument.values if value.kind == "obj"]

    def entity(self, entity_id: str) -> set[str]:
        entity: GoldEntity | None = self.entities.get(entity_id)
        values: set[str] = set()
        if entity is None:
            return values
        for mention_id in entity.mention_ids:
            mention = self.mentions.get(mention_id)
            if mention is not None:
                values.add(mention.span_text)
                values.add(self.doc.text[mention.start : mention.stop])
        values.update(entity.values("name"))
        names = [entity.values(key) for key in ("firstname", "lastname", "patronymic", "nickname")]
        first, last, middle, nick = names
        for combination in (
            (last, first, middle), (first, middle, last), (first, middle), (first, last),
            (last, first), (nick,), (first,), (middle,), (last,), (first, nick),
        ):
            for parts in product(*combination):
                values.add(" ".join(parts))
        return values

    def argument(self, argument: GoldArgument) -> set[str]:
        values: set[str] = set()
        for value in argument.values:
            values.add(value.text)
            if value.kind == "obj":
                values |= self.entity(value.ref)
                if argument.role == "where":
                    for whole in self._closure(value.ref):
                        values |= self.entity(whole)
            elif value.kind == "span":
                values.update(span.text for span in self.doc.spans.get(value.ref, ()))
        return {normalise(v) for v in values if v.strip()}

    def _closure(self, entity_id: str) -> list[str]:
        seen: list[str] = []
        queue = list(self.wholes.get(entity_id, []))
        while queue:
            whole = queue.pop()
            if whole not in seen and whole != entity_id:
                seen.append(whole)
                queue.extend(self.wholes.get(whole, []))
        return seen


@dataclass(frozen=True, slots=True)
class GoldFactValues:
    fact: GoldFact
    arguments: tuple[tuple[str, frozenset[str]], ...]  # (role, acceptable strings)


def gold_fact_values(doc: FactruDocument, easy: bool = True) -> list[GoldFactValues]:
    """Gold facts of the scored types with every acceptable value spelled out."""
    values = _Values(doc)
    result = []
    for fact in doc.facts:
        if fact.type not in FACT_TYPES:
            continue
        arguments = tuple(
            (argument.role, frozenset(values.argument(argument)))
            for argument in fact.arguments
            if not (easy and argument.role == "фаза")
        )
        result.append(GoldFactValues(fact, arguments))
    return result


def fact_quality(gold: GoldFactValues, test: ResponseFact) -> float:
    """Matched arguments / (matched + missed gold + extra response arguments)."""
    if gold.fact.type != test.type or not gold.arguments and not test.arguments:
        return 0.0
    weights = [
        [1.0 if role == t_role and any(close(normalise(t_value), v) for v in accepted) else 0.0
         for t_role, t_value in test.arguments]
        for role, accepted in gold.arguments
    ]
    matched = len(assign(weights))
    return matched / (len(gold.arguments) + len(test.arguments) - matched)


@dataclass(frozen=True, slots=True)
class FactPair:
    """One outcome of the Track 3 pairing: a matched pair, a missed gold fact
    (``response`` None) or a false positive (``gold`` None)."""

    gold: GoldFactValues | None
    response: ResponseFact | None
    quality: float
    counted: bool = True  # False: paired with a hard gold fact in easy mode (counts neither way)


def pair_track3(
    doc: FactruDocument, facts: list[ResponseFact], fact_type: str, easy: bool = True
) -> list[FactPair]:
    """Pair response and gold facts of one type one-to-one, maximising the summed quality
    (pairs of quality 0 are not pairs); unpaired facts of both sides follow. In easy mode
    hard gold facts left unpaired are omitted."""
    g = [item for item in gold_fact_values(doc, easy) if item.fact.type == fact_type]
    t = [fact for fact in facts if fact.type == fact_type]
    weights = [[fact_quality(item, fact) for fact in t] for item in g]
    pairs = assign(weights)
    result = [FactPair(g[i], t[j], weights[i][j], not (easy and g[i].fact.hard)) for i, j in pairs]
    paired_gold, paired_test = {i for i, _ in pairs}, {j for _, j in pairs}
    result.extend(
        FactPair(item, None, 0.0) for i, item in enumerate(g)
        if i not in paired_gold and not (easy and item.fact.hard)
    )
    result.extend(FactPair(None, fact, 0.0) for j, fact in enumerate(t) if j not in paired_test)
    return result


def score_track3(doc: FactruDocument, facts: list[ResponseFact], easy: bool = True) -> dict[str, Metrics]:
    """Metrics per fact type and ``overall``; in easy mode hard gold facts are ignored,
    and a response fact paired with one counts neither way."""
    result: dict[str, Metrics] = {}
    for fact_type in FACT_TYPES:
        pairs = [pair for pair in pair_track3(doc, facts, fact_type, easy) if pair.counted]
        tp = sum(pair.quality for pair in pairs)
        n_std = sum(1 for pair in pairs if pair.gold is not None)
        n_test = sum(1 for pair in pairs if pair.response is not None)
        result[fact_type] = simple(tp, n_std, n_test)
    overall = Metrics()
    for fact_type in FACT_TYPES:
        overall = overall + result[fact_type]
    result["overall"] = overall
    return result
