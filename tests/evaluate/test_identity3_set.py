"""tests/data/identity3: the third own identity set (session 6) is consistent, split by its
fixed rule, and keeps covering its cases, hard negatives included."""

from __future__ import annotations

from collections import defaultdict

import pytest

from kg.evaluate.identity import occurrences
from kg.resolve.names import surname_base

from .identity_sets import HALVES, IdentitySet

SET = IdentitySet("identity3", minimum=40)


@pytest.mark.parametrize("half", HALVES)
def test_identity3_gold_matches_the_texts(half: str) -> None:
    SET.check_gold_matches_the_texts(half)


def test_identity3_halves_follow_the_story_rule() -> None:
    SET.check_halves_follow_the_story_rule()


@pytest.mark.parametrize("half", HALVES)
def test_identity3_covers_merges_and_hard_negatives(half: str) -> None:
    items = SET.texts(half)
    mentions = SET.gold(half)
    docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    forms: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        docs[m.cls, m.entity].add(m.doc)
        forms[m.entity].add(m.mention)
    for cls in ("cluster", "org", "person"):
        assert sum(1 for (c, _), d in docs.items() if c == cls and len(d) > 1) >= (1 if cls == "cluster" else 3), cls
    persons = [m for m in mentions if m.cls == "person"]
    orgs = [m for m in mentions if m.cls == "org"]
    assert any(len(p.mention.split()) == 3 and "." not in p.mention for p in persons)  # a patronymic
    assert any(p.mention.split()[0].endswith(".") for p in persons)  # an initial
    assert any(len(p.mention.split()) == 1 for p in persons)  # a surname alone
    assert any(m.mention.isascii() for m in orgs)  # a Latin spelling
    assert any(len(forms[e]) >= 3 for (c, e) in docs if c == "cluster")  # a cluster by three names
    # hard negatives: a man and a woman of one surname; one full name, two persons
    by_stem: dict[str, set[str]] = defaultdict(set)
    by_name: dict[str, set[str]] = defaultdict(set)
    for p in persons:
        by_stem[surname_base(p.mention.split()[-1])].add(p.entity)
        if len(p.mention.split()) == 2 and "." not in p.mention:
            by_name[p.mention.replace("ё", "е")].add(p.entity)
    assert any(len(e) > 1 for e in by_stem.values())
    assert any(len(e) > 1 for e in by_name.values())
    # a federal ministry and a regional one in one document, as two entities
    assert any(len({m.entity for m in orgs if m.doc == doc and "мин" in m.mention.casefold()}) > 1 for doc in items)
    # a branch: «филиал» next to an organisation of the gold
    assert any("филиал" in items[m.doc][max(0, start - 40):start + len(m.mention) + 40]
               for m in orgs for start in occurrences(items[m.doc], m.mention))
