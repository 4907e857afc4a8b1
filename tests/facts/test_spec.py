"""kg.facts: the list of fact types every stage loops over, and the reading order of their readers."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest

from kg import model
from kg.facts import FACTS, by_class, class_iris, drawn_classes, node_classes
from kg.facts.founding import Founding
from kg.facts.management import Management
from kg.facts.spec import FactType, Found, ReaderSpec, reading_order


def _type(name: str, *needs: tuple[str, ...]) -> FactType[Any]:
    """A fact type with one reader per entry of ``needs`` (the types that reader needs)."""
    return FactType(name=name, cls=object, readers=tuple(ReaderSpec(lambda tools: None, n) for n in needs),  # type: ignore[arg-type,misc]
                    keep=lambda fact, ids: fact, triples=lambda g, fact: None)


def test_facts_reading_order_runs_each_reader_after_what_it_needs() -> None:
    order = [(t.name, r.needs) for t, r in reading_order(FACTS)]
    assert order == [("post", ()), ("cluster_link", ()), ("agreement", ("post",)), ("deal", ("agreement",)),
                     ("cluster_link", ("post", "agreement", "deal")), ("event", ()), ("management", ()), ("founding", ())]


def test_facts_reading_order_keeps_the_listed_order_where_needs_allow() -> None:
    a, b, c = _type("a", ("c",)), _type("b", ()), _type("c", ())
    assert [t.name for t, _ in reading_order([a, b, c])] == ["b", "c", "a"]
    assert [t.name for t, _ in reading_order([b, c, a])] == ["b", "c", "a"]


def test_facts_reading_order_refuses_unknown_needs_and_cycles() -> None:
    with pytest.raises(ValueError, match="a reader needs nothing-reads-this|needs nothing-reads-this"):
        reading_order([_type("a", ("nothing-reads-this",))])
    with pytest.raises(ValueError, match="need each other"):
        reading_order([_type("a", ("b",)), _type("b", ("a",))])


def test_facts_found_shows_a_reader_only_what_it_declared() -> None:
    posts, events = FACTS[0], next(t for t in FACTS if t.name == "event")
    found = Found({"post": ["p1"], "event": ["e1"]}, frozenset({"post"}))
    assert found.of(posts) == ["p1"]
    with pytest.raises(LookupError, match="event facts without declaring it"):
        found.of(events)


def test_facts_every_shipped_dataclass_has_one_type_that_maps_it() -> None:
    shipped = {model.Post, model.ClusterLink, model.Agreement, model.Event, Management, Founding}
    assert set(by_class()) == shipped
    assert by_class()[model.Agreement].name == "agreement"  # deals are agreements: the first type maps them
    for fact_type in FACTS:
        assert dataclasses.is_dataclass(fact_type.cls) and "evidence" in {f.name for f in dataclasses.fields(fact_type.cls)}


def test_facts_node_classes_are_fact_classes() -> None:
    assert {c.iri for c in node_classes()} <= class_iris()
    assert [c.name for c in drawn_classes()].count("Agreement") == 1


def test_facts_triggers_select_the_documents_the_old_single_pattern_selected() -> None:
    words = ["кластер", "подписали", "соглашение", "купила", "кредит", "форум", "встретились", "совещание"]
    triggers = [t.trigger for t in FACTS if t.trigger is not None]
    for word in words:
        assert any(trigger.search(word) for trigger in triggers), word
    assert not any(trigger.search("губернатор назначил министра") for trigger in triggers)
    assert FACTS[0].trigger is None  # posts are read in every document
    assert all(isinstance(t.trigger, re.Pattern) for t in FACTS[1:])
