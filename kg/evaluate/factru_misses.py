"""The Track 3 facts a response got wrong, one readable record each.

``track3_misses(doc, facts)`` lists, per fact type, every gold fact left unpaired
(``miss``), every response fact left unpaired (``extra``) and every pair of quality
below 1 (``partial``), with the gold arguments as the gold writes them and the
sentence around the gold fact. It reads the same pairing as the scores
(``factru_score.pair_track3``), so the list explains the figures exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.evaluate.factru_gold import FactruDocument, GoldFact
from kg.evaluate.factru_response import FACT_TYPES, ResponseFact
from kg.evaluate.factru_score import pair_track3

_CONTEXT = 160  # characters of context either side, at most


@dataclass(frozen=True, slots=True)
class FactMiss:
    document: str
    fact_type: str
    kind: str  # "miss", "extra" or "partial"
    quality: float
    gold: str  # "Who=Лужков Юрий; Position=мэра; Where=Москва", or "" for an extra
    response: str  # "who=лужков юрий; position=мэр", or "" for a miss
    context: str  # the sentence around the gold fact, or ""
    gold_line: int = 0  # line of the gold fact in .facts


def _gold_text(fact: GoldFact) -> str:
    return "; ".join(
        f"{argument.role}=" + " | ".join(value.text for value in argument.values)
        for argument in fact.arguments
    )


def _response_text(fact: ResponseFact) -> str:
    return "; ".join(f"{role}={value}" for role, value in fact.arguments)


def _anchor(doc: FactruDocument, fact: GoldFact) -> int | None:
    """Start of the first span a fact argument points at, else of its first entity mention."""
    starts = [
        span.start
        for argument in fact.arguments
        for value in argument.values
        if value.kind == "span"
        for span in doc.spans.get(value.ref, ())
    ]
    if starts:
        return min(starts)
    mentions = {mention.id: mention for mention in doc.mentions}
    for argument in fact.arguments:
        for value in argument.values:
            if value.kind != "obj":
                continue
            for entity in doc.entities:
                if entity.id == value.ref:
                    found = [mentions[m].start for m in entity.mention_ids if m in mentions]
                    if found:
                        return min(found)
    return None


def sentence_at(text: str, offset: int) -> str:
    """The sentence around ``offset`` (cut at ``. `` or a line break), at most
    ``_CONTEXT`` characters either side, on one line.

    >>> sentence_at("Первое. Второе предложение. Третье.", 10)
    'Второе предложение.'
    """
    stop = text.rfind(". ", 0, offset)
    begin = max(stop + 2 if stop >= 0 else 0, text.rfind("\n", 0, offset) + 1, offset - _CONTEXT)
    ends = [i for i in (text.find(". ", offset), text.find("\n", offset)) if i >= 0]
    end = min(ends + [len(text), offset + _CONTEXT])
    if end < len(text) and text[end] == ".":
        end += 1
    return " ".join(text[begin:end].split())


def track3_misses(doc: FactruDocument, facts: list[ResponseFact], easy: bool = True) -> list[FactMiss]:
    """Misses, extras and partial pairs of every fact type, in gold order then response order."""
    result: list[FactMiss] = []
    for fact_type in FACT_TYPES:
        for pair in pair_track3(doc, facts, fact_type, easy):
            if not pair.counted or pair.quality >= 1.0:
                continue
            kind = "extra" if pair.gold is None else "miss" if pair.response is None else "partial"
            gold = pair.gold.fact if pair.gold is not None else None
            anchor = _anchor(doc, gold) if gold is not None else None
            result.append(FactMiss(
                doc.name, fact_type, kind, pair.quality,
                _gold_text(gold) if gold is not None else "",
                _response_text(pair.response) if pair.response is not None else "",
                sentence_at(doc.text, anchor) if anchor is not None else "",
                gold.line if gold is not None else 0,
            ))
    return result


def format_misses(misses: list[FactMiss]) -> str:
    """One block per miss: ``document fact_type kind quality``, then gold, response, context."""
    blocks = []
    for miss in misses:
        lines = [f"{miss.document} {miss.fact_type} {miss.kind} {miss.quality:.2f}"]
        if miss.gold:
            lines.append(f"  gold: {miss.gold}" + (f"  (.facts line {miss.gold_line})" if miss.gold_line else ""))
        if miss.response:
            lines.append(f"  ours: {miss.response}")
        if miss.context:
            lines.append(f"  text: {miss.context}")
        blocks.append("\n".join(lines))
    return "\n".join(blocks)
