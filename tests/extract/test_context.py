"""kg.extract.context: the span look-ups of a document's mentions and sentences read only what
is near the span (issue 16, item 4: a long text's window holds thousands of mentions), and
answer as a scan of every mention in list order does."""

from __future__ import annotations

import random
from typing import Any

import pytest

from kg.extract.clean import clean
from kg.extract.context import Context, Mention
from kg.model import Document, Kind

KINDS = [Kind.PERSON, Kind.REGION, Kind.COMPANY, Kind.CLUSTER]


class Counted(list[Any]):
    """A list that counts the items read from it (by iteration or by index)."""

    reads = 0

    def __iter__(self) -> Any:
        for item in super().__iter__():
            Counted.reads += 1
            yield item

    def __getitem__(self, index: Any) -> Any:
        Counted.reads += 1
        return super().__getitem__(index)


def context(length: int, sentence: int = 40) -> Context:
    text = ("слово " * (length // 6 + 1))[:length]
    sents = [(start, min(start + sentence - 1, length)) for start in range(0, length, sentence)]
    return Context(Document("d", text), clean(text), sents, [])


def scan_covered(ctx: Context, start: int, stop: int, kinds: set[Kind] | None) -> Mention | None:
    """What ``covered`` answered before its index: the first overlapping mention in list order."""
    for m in ctx.mentions:
        if m.start < stop and start < m.stop and (kinds is None or ctx.entities[m.entity].kind in kinds):
            return m
    return None


def scan_mentions_in(ctx: Context, start: int, stop: int, kinds: set[Kind] | None) -> list[Mention]:
    ordered = sorted(ctx.mentions, key=lambda m: (m.start, -m.stop))
    return [m for m in ordered if m.start >= start and m.stop <= stop
            and (kinds is None or ctx.entities[m.entity].kind in kinds)]


@pytest.mark.parametrize("seed", range(20))
def test_context_lookups_answer_as_a_scan_of_every_mention(seed: int) -> None:
    """Mentions added, looked up, sorted (by ``mentions_in``) and dropped in a random order:
    ``covered`` gives the same mention as the scan in list order, ``mentions_in`` the same list."""
    rng = random.Random(seed)
    ctx = context(3_000)
    for _ in range(400):
        start = rng.randrange(0, 2_990, 6)
        stop = min(start + rng.choice([5, 11, 17, 60, 300]), 3_000)
        kinds = rng.choice([None, {rng.choice(KINDS)}, set(KINDS[:2])])
        action = rng.random()
        if action < 0.4:
            kind = rng.choice(KINDS)
            ctx.entity(kind, f"{kind.value}{rng.randrange(30)}", "x", start, stop)
        elif action < 0.7:
            assert ctx.covered(start, stop, kinds) is scan_covered(ctx, start, stop, kinds)
        elif action < 0.9:
            expected = scan_mentions_in(ctx, start, stop, kinds)
            assert ctx.mentions_in(start, stop, kinds) == expected
        elif ctx.mentions:
            ctx.drop_mention(rng.choice(ctx.mentions))
        assert ctx.covered(start, stop, kinds) is scan_covered(ctx, start, stop, kinds)


def test_context_covered_and_mentions_in_read_only_mentions_near_the_span() -> None:
    """With 3,000 mentions, a look-up reads a few of them, not all (it read ~1,500 on average
    when it scanned the list)."""
    ctx = context(60_000)
    for number, start in enumerate(range(0, 60_000 - 12, 20)):
        ctx.entity(KINDS[number % 4], f"k{number % 97}", "x", start, start + 11)
    ctx.mentions_in(0, 1)  # sorts and indexes the mentions, as the readers' first look-up does
    spans = [(start, start + width) for start in range(5, 60_000 - 40, 997) for width in (3, 30, 300)]
    for start, stop in spans:
        assert ctx.covered(start, stop) is scan_covered(ctx, start, stop, None)
        assert ctx.covered(start, stop, {Kind.CLUSTER}) is scan_covered(ctx, start, stop, {Kind.CLUSTER})
        assert ctx.mentions_in(start, stop) == scan_mentions_in(ctx, start, stop, None)
    ctx.mentions = Counted(ctx.mentions)
    Counted.reads = 0
    for start, stop in spans:
        ctx.covered(start, stop)
        ctx.covered(start, stop, {Kind.CLUSTER})
        ctx.mentions_in(start, stop)
    assert Counted.reads <= 3 * len(spans) * 20


def test_context_sent_of_reads_one_sentence() -> None:
    ctx = context(40_000)
    sents = list(ctx.sents)
    ctx.sents = Counted(sents)
    Counted.reads = 0
    for offset in range(0, 40_000, 101):
        expected = next(((a, b) for a, b in sents if a <= offset < b), (0, 40_000))
        assert ctx.sent_of(offset) == expected
    assert Counted.reads <= 2 * (40_000 // 101 + 1)  # one sentence per look-up (a scan read ~500)
