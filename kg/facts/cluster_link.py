"""Cluster links: a cluster's members, initiators and anchors, as one triple each.

Read as frames over the dependency parse (``kg.facts.memberships``): members («Участниками
кластера стали X и Y», «в состав кластера вошли …», «кластер объединяет …, в том числе …»),
initiators («по инициативе X»), anchors («на базе X», «якорным предприятием стала X»); and, once
agreements are read, the companies signing an agreement about a cluster (its members). Stated as
``cluster org:hasMember|ckg:initiatedBy|ckg:basedOn organisation``; drawn as those edges.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.extract.context import Context
from kg.facts.agreement import AGREEMENTS
from kg.facts.deal import DEALS
from kg.facts.memberships import new_clusters, read_memberships
from kg.facts.nodes import reading, statement
from kg.facts.post import POSTS
from kg.facts.spec import FactGraph, FactType, Found, ReaderSpec, Reading, Relation
from kg.mapping.vocab import CKG, ORG
from kg.model import Agreement, ClusterLink, ClusterRole, Kind, Post
from kg.vocab import CKG_NS, ORG_NS

if TYPE_CHECKING:
    from kg.extract.tools import Tools

__all__ = ["CLUSTER_LINKS", "ClusterLink", "read_memberships"]

class FrameReader:
    """Links read as frames over the dependency parse (``kg.facts.memberships``); a cluster being
    created and not named becomes its region's cluster node first (``new_clusters``)."""

    def __init__(self, tools: Tools) -> None:
        pass

    def read(self, doc: Reading, found: Found) -> list[ClusterLink]:
        if doc.unnamed_cluster is not None:
            new_clusters(doc.ctx, doc.unnamed_cluster)
        return read_memberships(doc.ctx, doc.unnamed_cluster)


def members_of_agreements(ctx: Context, agreements: list[Agreement], posts: list[Post]) -> list[ClusterLink]:
    """Companies and organisations signing an agreement about a cluster are its members."""
    signatory_orgs = {p.post_in for p in posts}
    links = []
    for agreement in agreements:
        clusters = [a for a in agreement.about if ctx.kind(a) == Kind.CLUSTER]
        for cluster in clusters[:1]:
            for party in agreement.parties:
                builder = ctx.entities[party]
                if party in signatory_orgs:
                    continue  # «директор Блока по развитию» signed for it: not a member for that
                if builder.kind in (Kind.COMPANY, Kind.ORGANIZATION) and "кластер" not in builder.label.lower():
                    links.append(ClusterLink(cluster, party, ClusterRole.MEMBER, agreement.evidence,
                                             "member.agreement-party", 0.6))
    return links


class AgreementMembers:
    """Members read from agreements about a cluster (``members_of_agreements``), but for the
    pairs already linked."""

    def __init__(self, tools: Tools) -> None:
        pass

    def read(self, doc: Reading, found: Found) -> list[ClusterLink]:
        known = {(link.cluster, link.target) for link in found.of(CLUSTER_LINKS)}
        agreements = found.of(AGREEMENTS) + found.of(DEALS)
        members = members_of_agreements(doc.ctx, agreements, found.of(POSTS))
        return [link for link in members if (link.cluster, link.target) not in known]


ROLE_PROPERTY = {
    ClusterRole.MEMBER: ORG.hasMember,
    ClusterRole.INITIATOR: CKG.initiatedBy,
    ClusterRole.ANCHOR: CKG.basedOn,
}


def keep(link: ClusterLink, ids: frozenset[str]) -> ClusterLink | None:
    return link if link.cluster in ids and link.target in ids else None


def triples(g: FactGraph, link: ClusterLink) -> None:
    """The triple, and its reading as an ``rdf:Statement``: rule, confidence, evidence."""
    cluster, prop, target = g.iris[link.cluster], ROLE_PROPERTY[link.role], g.iris[link.target]
    g.add(cluster, prop, target)
    ends = [g.minter.entity(g.by_id[i].kind, g.by_id[i].key) for i in (link.cluster, link.target)]
    node = g.t.iri(g.minter.statement(g.doc.id, ends[0], link.role.value, ends[1]))
    statement(g, node, cluster, prop, target)
    reading(g, node, link)
    g.mention(link.evidence, node)


CLUSTER_LINKS: FactType[ClusterLink] = FactType(
    name="cluster_link",
    cls=ClusterLink,
    readers=(ReaderSpec(FrameReader), ReaderSpec(AgreementMembers, needs=("post", "agreement", "deal"))),
    keep=keep,
    triples=triples,
    trigger=re.compile(r"кластер", re.I),
    relations=(
        Relation(ORG_NS + "hasMember", "hasMember", "участник"),
        Relation(CKG_NS + "initiatedBy", "initiatedBy", "инициатор"),
        Relation(CKG_NS + "basedOn", "basedOn", "на базе"),
    ),
    acting=lambda link: (link.target,),
)
