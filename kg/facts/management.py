"""Cluster bodies: the organisation that runs a cluster, tied to it, not confused with it.

A cluster is a network of companies; an association, a partnership or a managing company
runs it. The two are different nodes, linked ``cluster ckg:managedBy organisation``, so
the people holding posts in the body show in the cluster's profile and view. Read two ways:

- by name: an organisation whose name holds a cluster's name — the cluster's mention lies
  inside the organisation's («Ассоциация «Промышленный кластер Республики Татарстан»»), or
  both end in the same quoted proper name («Ассоциация «ИННОКАМ»» and «кластер «ИННОКАМ»»);
- by role: «управляющая компания» / «управляющая организация» / «специализированная
  организация» (any case) in a sentence with an organisation and a cluster: the organisation
  nearest the role words (the one they describe: «АО «Технопарк», управляющая компания
  кластера», «управляющей компанией кластера стало АНО …»), the cluster nearest after them
  («… компания Пермского фармацевтического кластера»), else before them, else the
  document's only cluster.

Stated as one triple; drawn as an edge cluster -> organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.extract.context import Context, Mention
from kg.extract.keys import norm
from kg.facts.spec import FactGraph, FactType, Found, ReaderSpec, Reading, Relation
from kg.mapping.vocab import CKG
from kg.model import Kind, Span
from kg.vocab import CKG_NS

if TYPE_CHECKING:
    from kg.extract.readers.clusters import ClusterHit
    from kg.extract.tools import Tools

__all__ = ["MANAGEMENT", "Management", "ManagementReader"]

BODIES = {Kind.ORGANIZATION, Kind.COMPANY}
ROLE = re.compile(r"(?<![\w-])(?:управляющ\w+\s+(?:компани|организаци)\w*|специализированн\w+\s+организаци\w*)(?![\w-])",
                  re.I)
NEAR = 80  # characters between the role words and the organisation they describe, at most
_QUOTED = re.compile(r"[«\"„“]([^«»\"„“”]+)[»\"“”]")


@dataclass(frozen=True, slots=True)
class Management:
    """``body`` (an organisation entity id) runs ``cluster``; ``rule`` is "name" or "role"."""

    cluster: str
    body: str
    evidence: Span
    rule: str


def _proper_name(text: str) -> str | None:
    """The innermost quoted name of a mention, folded («ИННОКАМ» -> "иннокам"), if it has one."""
    found = _QUOTED.findall(text)
    return (norm(found[-1]) or None) if found else None


class ManagementReader:
    def __init__(self, tools: Tools) -> None:
        pass  # reads mentions and cluster hits only: nothing to build from the tools

    def read(self, doc: Reading, found: Found) -> list[Management]:
        ctx = doc.ctx
        facts: dict[tuple[str, str], Management] = {}
        for fact in (*self._by_name(ctx, doc.clusters), *self._by_role(ctx, doc.clusters)):
            if fact.cluster != fact.body:
                facts.setdefault((fact.cluster, fact.body), fact)
        return list(facts.values())

    @staticmethod
    def _by_name(ctx: Context, clusters: list[ClusterHit]) -> list[Management]:
        out = []
        names: dict[str, str] = {}
        for hit in clusters:
            name = _proper_name(ctx.text[hit.start:hit.stop])
            if name:
                names.setdefault(name, hit.entity)
        for body in ctx.mentions_in(0, len(ctx.text), BODIES):
            inside = [h for h in clusters if body.start <= h.start and h.stop <= body.stop
                      and (h.start, h.stop) != (body.start, body.stop)]
            if inside:
                out.append(Management(inside[0].entity, body.entity, ctx.span(body.start, body.stop), "name"))
                continue
            name = _proper_name(ctx.text[body.start:body.stop])
            if name and name in names:
                out.append(Management(names[name], body.entity, ctx.span(body.start, body.stop), "name"))
        return out

    @staticmethod
    def _by_role(ctx: Context, clusters: list[ClusterHit]) -> list[Management]:
        out = []
        only = {h.entity for h in clusters}
        for role in ROLE.finditer(ctx.text):
            start, stop = ctx.sent_of(role.start())
            bodies = [m for m in ctx.mentions_in(start, stop, BODIES)
                      if (m.stop <= role.start() or m.start >= role.end())
                      and not any(h.start <= m.start and m.stop <= h.stop for h in clusters)]
            body = min(bodies, key=lambda m: _distance(m, role.start(), role.end()), default=None)
            if body is None or _distance(body, role.start(), role.end()) > NEAR:
                continue
            here = [h for h in clusters if start <= h.start and h.stop <= stop
                    and not (body.start <= h.start and h.stop <= body.stop)]
            after = [h for h in here if h.start >= role.end()]
            before = [h for h in here if h.stop <= role.start()]
            if after:
                cluster = min(after, key=lambda h: h.start).entity
            elif before:
                cluster = max(before, key=lambda h: h.stop).entity
            elif len(only) == 1:
                cluster = next(iter(only))
            else:
                continue
            out.append(Management(cluster, body.entity, ctx.span(start, stop), "role"))
        return out


def _distance(mention: Mention, start: int, stop: int) -> int:
    return start - mention.stop if mention.stop <= start else mention.start - stop


def keep(fact: Management, ids: frozenset[str]) -> Management | None:
    return fact if fact.cluster in ids and fact.body in ids else None


def triples(g: FactGraph, fact: Management) -> None:
    g.add(g.iris[fact.cluster], CKG.managedBy, g.iris[fact.body])


MANAGEMENT: FactType[Management] = FactType(
    name="management",
    cls=Management,
    readers=(ReaderSpec(ManagementReader),),
    keep=keep,
    triples=triples,
    trigger=re.compile(r"кластер", re.I),
    relations=(Relation(CKG_NS + "managedBy", "managedBy", "управляющая организация"),),
)
