"""Likely duplicates the rules left apart, for a person to review (``kg suggest``).

Nodes of one class group whose names share a word that is not generic (blocking: a word
carried by more than ``MAX_BLOCK`` nodes is not used to pair them, so the work stays
linear), in the same region when both have one, scored by the mean of two overlaps
(Jaccard) of their names' words: the words that are not generic, and all words. A pair a
curation ``different`` line separates is never suggested.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kg.resolve.curation import Curation
from kg.resolve.identity import Resolution
from kg.resolve.lexicon import Lexicon
from kg.resolve.names import STOP_WORDS, words
from kg.resolve.records import EntityRecord

MAX_BLOCK = 50
MIN_SCORE = 0.5
_GENERIC = frozenset({
    "кластер", "компания", "ооо", "ао", "оао", "зао", "пао", "ассоциация", "центр", "министерство", "правительство",
    "управление", "департамент", "область", "край", "республика", "российский", "федерация", "россия", "рф",
    "промышленный", "инновационный", "развитие", "государственный", "университет", "завод", "группа", "фонд",
    "российской", "россии", "федерации", "области", "края", "республики", "компании", "кластера",
    "региональный", "регион", "национальный", "исследовательский", "технологический", "предприятие", "корпорация",
})
_GENERIC_STEMS = frozenset(w[:6] for w in _GENERIC)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Two nodes that may be one entity."""

    score: float
    a: str
    a_label: str
    b: str
    b_label: str
    region: str | None


@dataclass(slots=True)
class _Node:
    iri: str
    label: str
    group: str
    regions: set[str]
    words: set[str]  # stems of every word of its names
    rare: set[str]  # the stems that are not generic: the blocking keys


def suggest(records: Mapping[str, Iterable[EntityRecord]], resolution: Resolution, curation: Curation = Curation(),
            limit: int = 50, lexicon: Lexicon | None = None) -> list[Suggestion]:
    """The ``limit`` likeliest duplicates among the resolved nodes, best first; words naming a
    region (``lexicon``'s region names and adjectives) count as generic."""
    generic = _GENERIC_STEMS | (_region_stems(lexicon) if lexicon is not None else frozenset())
    nodes: dict[str, _Node] = {}
    for doc in sorted(records):
        for record in records[doc]:
            canonical = resolution.get(record.iri)
            iri, label = (canonical.iri, canonical.label) if canonical else (record.iri, record.label)
            node = nodes.get(iri)
            if node is None:
                group = "cluster" if record.kind == "cluster" else "person" if record.kind == "person" else "org"
                node = nodes[iri] = _Node(iri, label, group, set(), set(), set())
            if record.region:
                node.regions.add(record.region)
            for name in record.names:
                stems = {part[:6] for w in words(name) if w not in STOP_WORDS for part in w.split("-") if len(part) > 2}
                node.words |= stems
                node.rare |= stems - generic
    apart = {frozenset(pair) for pair in curation.different}
    blocks: dict[tuple[str, str], list[str]] = defaultdict(list)
    for iri in sorted(nodes):
        node = nodes[iri]
        for word in sorted(node.rare):
            blocks[(node.group, word)].append(iri)
    seen: set[tuple[str, str]] = set()
    found: list[Suggestion] = []
    for members in blocks.values():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if (a, b) in seen:
                    continue
                seen.add((a, b))
                x, y = nodes[a], nodes[b]
                if x.regions and y.regions and not x.regions & y.regions:
                    continue
                if frozenset((a, b)) in apart or frozenset((x.label, y.label)) in apart:
                    continue
                score = (_overlap(x.rare, y.rare) + _overlap(x.words, y.words)) / 2
                if score >= MIN_SCORE:
                    region = min(x.regions & y.regions) if x.regions & y.regions else None
                    found.append(Suggestion(round(score, 3), a, x.label, b, y.label, region))
    found.sort(key=lambda s: (-s.score, s.a, s.b))
    return found[:limit]


def _region_stems(lexicon: Lexicon) -> frozenset[str]:
    stems = {w[:6] for name, _ in lexicon.region_names for w in name.split() if len(w) > 2}
    stems |= {a[:6] for a in lexicon.region_adjectives}
    return frozenset(stems)


def _overlap(a: set[str], b: set[str]) -> float:
    """Jaccard overlap of the two nodes' name words that are not generic (compared by their first six letters)."""
    return len(a & b) / len(a | b) if a and b else 0.0
