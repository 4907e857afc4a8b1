"""What a fact type is: its dataclass, its readers, its triples, how the view draws it, how it is scored.

A fact type is one module of ``kg.facts`` that defines a ``FactType``; ``kg.facts.FACTS``
lists them, and every stage that handles facts loops over that list instead of asking
``isinstance`` (the contracts are the Protocols below):

- ``kg.extract`` builds each type's ``readers`` once per Extractor (from ``Tools``) and runs
  them on every document in ``reading_order``, each with the facts of the types it
  ``needs``; then ``keep`` drops references to entities that did not make it;
- ``kg.mapping`` states each fact's ``triples`` on a ``FactGraph``;
- ``kg.viz`` draws ``node_class`` facts as nodes and ``relations`` as edges;
- ``kg.evaluate`` turns a fact into a factRuEval answer (``factru``).

Several types may share a dataclass (a deal is read as an ``Agreement``): the first type
in ``FACTS`` with that class maps, draws and scores it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from kg.model import DateValue, Document, Entity, Span
from kg.vocab import NodeClass, Relation

__all__ = ["Answers", "FactGraph", "FactReader", "FactType", "Factru", "Found", "ReaderSpec", "Reading", "Relation",
           "reading_order", "ruled"]

if TYPE_CHECKING:
    from kg.extract.context import Context
    from kg.extract.readers.clusters import ClusterHit
    from kg.extract.tools import Tools
    from kg.mapping.iri import IriMinter
    from kg.mapping.to_rdf import Terms

F = TypeVar("F")
R = TypeVar("R", bound="_Ruled")
F_co = TypeVar("F_co", covariant=True)


@dataclass(slots=True)
class Reading:
    """One document as fact readers see it, once the entity readers are done.

    ``ctx`` is the document's entity registry (a reader may still add entities it meets,
    e.g. a company named only in a deal); ``region`` the entity id of the document's
    region; ``clusters`` the cluster mentions in text order (``ClusterReader``);
    ``unnamed_cluster(start, stop, adjectives)`` makes the cluster word at ``start:stop`` that
    names no cluster («новый кластер», «компании-участники кластеров») the cluster node of the
    region there (``ClusterReader.unnamed``), None where no region is known.
    """

    ctx: Context
    region: str | None = None
    clusters: list[ClusterHit] = field(default_factory=list)
    unnamed_cluster: Callable[[int, int, list[str]], str | None] | None = None


class Found:
    """The facts read so far, as one reader may see them: those of the types it ``needs``
    and of its own type (read by the type's earlier readers)."""

    def __init__(self, facts: Mapping[str, list[Any]], visible: frozenset[str]) -> None:
        self._facts = facts
        self._visible = visible

    def of(self, fact_type: FactType[F]) -> list[F]:
        if fact_type.name not in self._visible:
            raise LookupError(f"a reader asked for {fact_type.name} facts without declaring it in needs")
        return list(self._facts.get(fact_type.name, ()))


class FactReader(Protocol[F_co]):
    """Reads one document's facts of one type; built once per Extractor."""

    def read(self, doc: Reading, found: Found) -> Sequence[F_co]: ...


@dataclass(frozen=True, slots=True)
class ReaderSpec(Generic[F]):
    """How to build a reader (``make(tools)``), and the fact types whose facts it reads:
    all their readers run before it."""

    make: Callable[[Tools], FactReader[F]]
    needs: tuple[str, ...] = ()


class FactGraph(Protocol):
    """One document's graph as a fact type states its triples (``kg.mapping.to_rdf``).

    Terms come from ``t`` (IRIs, literals), vocabulary terms are rdflib URIRefs
    (``CKG.party``); ``iris[entity_id]`` is an entity's node, ``by_id[entity_id]`` the entity.
    """

    @property
    def t(self) -> Terms: ...

    @property
    def minter(self) -> IriMinter: ...

    @property
    def doc(self) -> Document: ...

    @property
    def doc_iri(self) -> Any: ...

    @property
    def by_id(self) -> Mapping[str, Entity]: ...

    @property
    def iris(self) -> Mapping[str, Any]: ...

    def add(self, s: Any, p: Any, o: Any) -> object: ...

    def mention(self, span: Span, target: Any) -> None: ...

    def date(self, value: DateValue) -> Any: ...


class Answers(Protocol):
    """How an entity is written in a factRuEval answer (``kg.evaluate.factru_response``)."""

    def value(self, entity_id: str | None) -> str | None:
        """The entity's label as factRuEval writes it («фамилия имя» for a person), or None."""

    def as_written(self, entity_id: str | None, evidence: Span) -> str | None:
        """A place as written in ``evidence`` («КНР»), other entities by ``value``."""


@dataclass(frozen=True, slots=True)
class Factru(Generic[F]):
    """A fact type's factRuEval-2016 Track 3 answer: its ``fact_type`` (occupation, deal,
    meeting) and ``arguments`` (role, value), None when the fact makes no answer."""

    fact_type: str
    arguments: Callable[[F, Answers], list[tuple[str, str]] | None]


@dataclass(frozen=True, slots=True)
class FactType(Generic[F]):
    """One kind of fact, end to end (see the module docstring).

    ``trigger``: words without which a document's facts of the gated types are not read
    (a cheap filter; a document is read for all gated types when any type's trigger
    matches, so no reader depends on its own words alone); None: read in every document.
    ``acting``: the entity ids that act in the fact (factRuEval's LocOrg rule: a place
    acting in a fact's evidence is tagged as an organisation there).
    ``class_iri``: the class of the fact's node, when it has one (``kg stats`` counts them).
    """

    name: str
    cls: type[F]
    readers: tuple[ReaderSpec[F], ...]
    keep: Callable[[F, frozenset[str]], F | None]
    triples: Callable[[FactGraph, F], None]
    trigger: re.Pattern[str] | None = None
    class_iri: str | None = None
    node_class: NodeClass | None = None
    relations: tuple[Relation, ...] = ()
    acting: Callable[[F], tuple[str, ...]] = lambda fact: ()
    factru: Factru[F] | None = None


class _Ruled(Protocol):
    @property
    def rule(self) -> str: ...


def ruled(facts: Sequence[R], rule: str) -> list[R]:
    """``facts`` (dataclasses with a ``rule`` field), each named by ``rule`` unless its reader
    named it already: a grammar reader's facts carry the rule, with no confidence given."""
    return [f if f.rule else replace(f, rule=rule) for f in facts]  # type: ignore[type-var]


def reading_order(types: Sequence[FactType[Any]]) -> list[tuple[FactType[Any], ReaderSpec[Any]]]:
    """Every reader of ``types``, each once all readers of the types it needs have run.

    Readers keep their listed order where their needs allow: the first reader whose
    needs are met runs next. Raises ValueError on a need no type provides, or a cycle.
    """
    names = {t.name for t in types}
    pending = [(t, r) for t in types for r in t.readers]
    for fact_type, reader in pending:
        unknown = set(reader.needs) - names
        if unknown:
            raise ValueError(f"a {fact_type.name} reader needs {', '.join(sorted(unknown))}, which no fact type reads")
    order: list[tuple[FactType[Any], ReaderSpec[Any]]] = []
    while pending:
        step = next((item for item in pending
                     if not any(t.name in item[1].needs for t, r in pending if r is not item[1])), None)
        if step is None:
            raise ValueError("fact readers need each other: " + ", ".join(t.name for t, _ in pending))
        pending.remove(step)
        order.append(step)
    return order
