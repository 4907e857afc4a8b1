"""docs/ARCHITECTURE.md's walk-through "How to add a fact type", followed step by step.

The toy type (an award: «… вручили премию Ивану Петрову») is defined here, not shipped:
its dataclass, its reader, its triples in a vocabulary of its own, registered in
``kg.facts.FACTS`` for the test. A real build then stores its triples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import kg.facts
from kg import api
from kg.facts.spec import Factru, FactGraph, FactType, Found, ReaderSpec, Reading
from kg.mapping.vocab import ITSRDF, NIF, PROV, RDF, RDFS
from kg.model import Kind, Span
from kg.sparql import Rows
from kg.vocab import NodeClass, Relation, Style

if TYPE_CHECKING:
    from kg.extract.tools import Tools

TOY = "http://example.org/toy#"  # a new type's terms go to ontology/cluster-kg.ttl; a test's stay here


# 1. the dataclass: frozen, with the evidence it was read from
@dataclass(frozen=True, slots=True)
class Award:
    winner: str  # PERSON entity id
    evidence: Span


# 2. the reader: built once from Tools, reads one document's facts
class AwardReader:
    def __init__(self, tools: Tools) -> None:
        self.morph = tools.morph

    def read(self, doc: Reading, found: Found) -> list[Award]:
        ctx = doc.ctx
        awards = []
        for start, stop in ctx.sents:
            if re.search(r"преми", ctx.text[start:stop], re.I):
                for person in ctx.mentions_in(start, stop, {Kind.PERSON}):
                    awards.append(Award(person.entity, ctx.span(start, stop)))
        return awards


# 3. what is kept once entities are final, and the triples
def keep(award: Award, ids: frozenset[str]) -> Award | None:
    return award if award.winner in ids else None


def triples(g: FactGraph, award: Award) -> None:
    from rdflib import URIRef

    node = g.t.iri(g.minter.fact("award", g.doc.id, award.evidence.start, "премия"))
    g.add(node, RDF.type, URIRef(TOY + "Award"))
    g.add(node, URIRef(TOY + "winner"), g.iris[award.winner])
    g.add(node, RDFS.label, g.t.lang(f"премия: {g.by_id[award.winner].label}", "ru"))
    g.add(node, PROV.wasDerivedFrom, g.doc_iri)
    g.mention(award.evidence, node)


# 4. the FactType: readers, trigger words, view and evaluation hooks
AWARDS: FactType[Award] = FactType(
    name="award",
    cls=Award,
    readers=(ReaderSpec(AwardReader),),
    keep=keep,
    triples=triples,
    trigger=re.compile(r"преми", re.I),
    class_iri=TOY + "Award",
    node_class=NodeClass(TOY + "Award", "Award", "Премия", Style("star", "#000000", "★")),
    relations=(Relation(TOY + "winner", "winner", "лауреат"),),
    acting=lambda award: (award.winner,),
    factru=Factru("occupation", lambda award, answers: None),
)

TEXT = "В Казани вручили премию Ивану Петрову. Губернатор Калужской области Анатолий Артамонов поздравил его."


@pytest.fixture
def with_awards(monkeypatch: pytest.MonkeyPatch) -> None:
    # 5. list it in kg.facts.FACTS
    monkeypatch.setattr(kg.facts, "FACTS", (*kg.facts.FACTS, AWARDS))


def test_new_fact_type_is_read_in_reading_order() -> None:
    order = [t.name for t, _ in kg.facts.reading_order((*kg.facts.FACTS, AWARDS))]
    assert order[-1] == "award" and order.count("award") == 1


@pytest.mark.slow
def test_new_fact_type_is_read_stated_and_counted(with_awards: None, tmp_path: Path) -> None:
    news = tmp_path / "news.jsonl"
    news.write_text('{"id": "n1", "text": "%s"}\n' % TEXT, encoding="utf-8")
    summary = api.build([news], tmp_path / "ws", views=False)
    assert summary.added == 1
    assert summary.stats.classes[TOY + "Award"] == 1
    assert summary.stats.facts == 2  # the award and the governor's post
    rows = api.query(f"""PREFIX toy: <{TOY}>
        PREFIX rdfs: <{RDFS}> PREFIX prov: <{PROV}> PREFIX itsrdf: <{ITSRDF}> PREFIX nif: <{NIF}>
        SELECT ?label ?who ?text WHERE {{
          ?a a toy:Award ; toy:winner ?p ; rdfs:label ?label ; prov:wasDerivedFrom ?doc .
          ?p rdfs:label ?who . ?m itsrdf:taIdentRef ?a ; nif:anchorOf ?text }}""", workspace=tmp_path / "ws")
    assert isinstance(rows, Rows)
    assert [tuple(term.value if term else None for term in row) for row in rows] == [
        ("премия: Иван Петров", "Иван Петров", "В Казани вручили премию Ивану Петрову.")]


@pytest.mark.slow
def test_new_fact_type_only_when_listed(tmp_path: Path) -> None:
    news = tmp_path / "news.jsonl"
    news.write_text('{"id": "n1", "text": "%s"}\n' % TEXT, encoding="utf-8")
    summary = api.build([news], tmp_path / "ws", views=False)
    assert TOY + "Award" not in summary.stats.classes
    assert summary.stats.facts == 1  # the governor's post
