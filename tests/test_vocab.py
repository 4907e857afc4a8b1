"""kg.vocab, the one table of classes, checked against ontology/cluster-kg.ttl and shapes.ttl."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from kg import vocab
from kg.facts import FACTS, class_iris, drawn_classes, drawn_relations, node_classes
from kg.mapping.vocab import CKG, load_ontology, load_shapes
from kg.model import Kind
from kg.vocab import ENTITY_CLASS, ENTITY_CLASSES, ENTITY_RELATIONS, EntityClass, NodeClass, most_specific_first

NODE_CLASSES = drawn_classes()
FACT_NODE_CLASSES = node_classes()


def _russian_label(iri: str) -> str:
    labels = [o for o in load_ontology().objects(URIRef(iri), RDFS.label)
              if isinstance(o, Literal) and o.language == "ru"]
    assert len(labels) == 1, f"{iri}: {labels}"
    return str(labels[0])


def _superclasses(iri: str) -> set[str]:
    return {str(o) for o in load_ontology().transitive_objects(URIRef(iri), RDFS.subClassOf)} - {iri}


def test_vocab_namespace_is_the_ontologys() -> None:
    ontology = load_ontology()
    assert (URIRef(vocab.ONTOLOGY_IRI), RDF.type, OWL.Ontology) in ontology
    preferred = ontology.value(URIRef(vocab.ONTOLOGY_IRI), URIRef("http://purl.org/vocab/vann/preferredNamespaceUri"))
    assert str(preferred) == vocab.CKG_NS == str(CKG)


def test_vocab_every_kind_has_one_entity_class() -> None:
    assert [c.kind for c in ENTITY_CLASSES if c.kind in ENTITY_CLASS] == [c.kind for c in ENTITY_CLASSES]
    assert set(ENTITY_CLASS) == set(Kind)
    assert len({c.iri for c in NODE_CLASSES}) == len(NODE_CLASSES)


@pytest.mark.parametrize("cls", NODE_CLASSES, ids=lambda c: c.name)
def test_vocab_class_is_in_the_ontology(cls: NodeClass) -> None:
    assert (URIRef(cls.iri), RDF.type, OWL.Class) in load_ontology()
    assert cls.iri == vocab.CKG_NS + cls.name == str(CKG[cls.name])
    label = _russian_label(cls.iri)
    assert cls.label == label[:1].upper() + label[1:]


@pytest.mark.parametrize("cls", NODE_CLASSES, ids=lambda c: c.name)
def test_vocab_class_has_a_shape(cls: NodeClass) -> None:
    assert any(load_shapes().subjects(SH.targetClass, URIRef(cls.iri)))


@pytest.mark.parametrize("cls", ENTITY_CLASSES, ids=lambda c: c.name)
def test_vocab_entity_types_are_the_class_and_its_superclasses(cls: EntityClass) -> None:
    assert cls.types[0] == cls.iri
    assert set(cls.types[1:]) <= _superclasses(cls.iri)
    # every ckg superclass is stated too, so a query for ckg:Organization finds companies
    assert {s for s in _superclasses(cls.iri) if s.startswith(vocab.CKG_NS)} <= set(cls.types)


def test_vocab_table_covers_every_class_of_the_ontology() -> None:
    ontology = load_ontology()
    declared = {str(s) for s in ontology.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}
    ckg = {iri for iri in declared if iri.startswith(vocab.CKG_NS)}
    assert ckg == {c.iri for c in NODE_CLASSES} | {vocab.CKG_NS + "Document"}
    assert class_iris() == {vocab.POST} | {c.iri for c in FACT_NODE_CLASSES}
    assert class_iris() <= declared


def test_vocab_groups_keep_organisations_together() -> None:
    groups = {c.kind: c.group for c in ENTITY_CLASSES}
    assert groups[Kind.COMPANY] == groups[Kind.AUTHORITY] == groups[Kind.ORGANIZATION]
    others = [g for k, g in groups.items() if k not in (Kind.COMPANY, Kind.AUTHORITY)]
    assert len(set(others)) == len(others)


def test_vocab_most_specific_first_puts_subclasses_before_superclasses() -> None:
    ordered = [c.name for c in most_specific_first(NODE_CLASSES)]
    for cls in ENTITY_CLASSES:
        for superclass in cls.types[1:]:
            assert ordered.index(cls.name) < ordered.index(superclass.removeprefix(vocab.CKG_NS))
    assert sorted(ordered) == sorted(c.name for c in NODE_CLASSES)


def test_vocab_legend_lists_actors_then_facts_then_context() -> None:
    kinds = ["fact" if c in FACT_NODE_CLASSES else "context" if isinstance(c, EntityClass) and c.context
             else "actor" for c in NODE_CLASSES]
    assert kinds == sorted(kinds, key=["actor", "fact", "context"].index)


@pytest.mark.parametrize("relation", drawn_relations(), ids=lambda r: r.name)
def test_vocab_relation_is_a_property_of_the_ontology(relation: vocab.Relation) -> None:
    assert (URIRef(relation.predicate), RDF.type, OWL.ObjectProperty) in load_ontology()
    assert relation.predicate.endswith(("#" + relation.name, "/" + relation.name))


def test_vocab_relations_come_from_the_entities_and_every_fact_type() -> None:
    drawn = set(drawn_relations())
    assert set(ENTITY_RELATIONS) <= drawn
    assert all(set(fact.relations) <= drawn for fact in FACTS)
    assert len({r.predicate for r in drawn_relations()}) == len(drawn_relations())
