"""tests/data/identity2: the second own identity set (session 5) is consistent, split by its
fixed rule, and keeps covering its cases, hard negatives included."""

from __future__ import annotations

from collections import defaultdict

import pytest

from .identity_sets import HALVES, IdentitySet

SET = IdentitySet("identity2", minimum=30)


@pytest.mark.parametrize("half", HALVES)
def test_identity2_gold_matches_the_texts(half: str) -> None:
    SET.check_gold_matches_the_texts(half)


def test_identity2_halves_follow_the_story_rule() -> None:
    SET.check_halves_follow_the_story_rule()


@pytest.mark.parametrize("half", HALVES)
def test_identity2_covers_merges_and_hard_negatives(half: str) -> None:
    mentions = SET.gold(half)
    docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    surnames: dict[str, set[str]] = defaultdict(set)
    heads: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        docs[m.cls, m.entity].add(m.doc)
        if m.cls == "person":
            surnames[m.mention.split()[-1][:5].casefold()].add(m.entity)
        if m.cls == "org" and m.mention.casefold().startswith("министерств"):
            heads["министерство"].add(m.entity)
        if m.cls == "org" and "ООО" in m.mention:
            heads[m.mention.split(maxsplit=1)[1].strip("«»\"„“").casefold()].add(m.entity)
        if m.cls == "cluster" and m.mention.split()[0].casefold().endswith("кластер"):
            heads[m.mention.split()[0].casefold()].add(m.entity)
    for cls in ("cluster", "org", "person"):
        assert sum(1 for (c, _), d in docs.items() if c == cls and len(d) > 1) >= 3, cls
    persons = [m.mention for m in mentions if m.cls == "person"]
    assert any(len(p.split()) == 1 for p in persons)  # a surname alone
    assert any(p.split()[0].endswith(".") for p in persons)  # an initial
    # hard negatives: one surname, one ministry head, one company name, one cluster head
    # for two entities of two regions
    assert any(len(e) > 1 for e in surnames.values())
    assert len(heads["министерство"]) > 1
    assert any(len(e) > 1 for k, e in heads.items() if k != "министерство" and not k.endswith("кластер"))
    assert any(len(e) > 1 for k, e in heads.items() if k.endswith("кластер"))
    # Latin and Cyrillic spellings of one company
    assert any(m.mention.isascii() for m in mentions if m.cls == "org")
