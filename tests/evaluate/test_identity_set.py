"""tests/data/identity: our own identity test set is consistent and keeps covering its cases."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from kg.evaluate.identity import load_identity_gold, occurrences
from kg.model import Problem

OWN = Path(__file__).resolve().parents[1] / "data" / "identity"


def test_identity_set_gold_matches_the_texts() -> None:
    texts = {r["id"]: r["text"] for r in map(json.loads, (OWN / "news.jsonl").read_text(encoding="utf-8").splitlines())}
    problems: list[Problem] = []
    gold = load_identity_gold(OWN / "gold.json", problems.append)
    assert problems == []
    assert 20 <= len(texts) <= 30
    assert {m.doc for m in gold} == set(texts)  # every item has gold mentions
    for m in gold:
        assert occurrences(texts[m.doc], m.mention), f"{m.doc}: {m.mention!r} not in the text"


def test_identity_set_covers_merges_and_non_merges() -> None:
    gold = load_identity_gold(OWN / "gold.json")
    docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    names: dict[str, set[str]] = defaultdict(set)
    for m in gold:
        docs[m.cls, m.entity].add(m.doc)
        names[m.mention.casefold()].add(m.entity)
    for cls in ("cluster", "org"):
        # entities named in several documents: pairs a resolver must merge
        assert sum(1 for (c, _), d in docs.items() if c == cls and len(d) > 1) >= 5
    # the same words for different entities (generic descriptions, one company name in two
    # regions): pairs a resolver must keep apart
    assert {"фармацевтический кластер области", "ооо «вектор»"} <= {n for n, e in names.items() if len(e) > 1}
    # a homoglyph: the same name with a Latin letter
    assert any(any("A" <= ch <= "z" for ch in m.mention) and "мтехмаш" in m.mention for m in gold)
