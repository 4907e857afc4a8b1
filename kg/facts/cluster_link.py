"""Cluster links: a cluster's members, initiators and anchors, as one triple each.

Read after a trigger word: members («компании-участники кластера: …»), initiators
(«инициаторы — …»), anchors («на базе …», «ядром кластера станут …»); and, once agreements
are read, the companies signing an agreement about a cluster (its members). Stated as
``cluster org:hasMember|ckg:initiatedBy|ckg:basedOn organisation``; drawn as those edges.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.extract.context import Context, Mention
from kg.extract.readers.clusters import ClusterHit
from kg.facts.agreement import AGREEMENTS
from kg.facts.deal import DEALS
from kg.facts.post import POSTS
from kg.facts.spec import FactGraph, FactType, Found, ReaderSpec, Reading, Relation
from kg.mapping.vocab import CKG, ORG
from kg.model import Agreement, ClusterLink, ClusterRole, Kind, Post
from kg.vocab import CKG_NS, ORG_NS

if TYPE_CHECKING:
    from kg.extract.tools import Tools

__all__ = ["CLUSTER_LINKS", "ClusterLink", "read_links"]

TARGETS = {Kind.ORGANIZATION, Kind.COMPANY, Kind.AUTHORITY}
# trigger -> role; the list of organisations follows the trigger once the cluster name and verb are skipped
TRIGGERS: list[tuple[re.Pattern[str], ClusterRole]] = [
    (re.compile(r"(?<![\w-])(?:инициатор\w*|по\s+инициативе)(?![\w-])", re.I), ClusterRole.INITIATOR),
    (re.compile(r"(?<![\w-])(?:на\s+баз[еау]|якорн\w+(?:\s+(?:предприяти|компани|резидент|участник|инвестор)\w*)?|"
                r"ядр(?:ом|о|а)|основ(?:ой|у|а|ы))(?![\w-])", re.I), ClusterRole.ANCHOR),
    (re.compile(r"(?<![\w-])(?:в\s+состав|участник\w*|член\w*|резидент\w*|компании-участники|предприяти\w+\s+(?=кластер)|"
                r"объединя\w+|объединил\w*|включа\w+|"
                r"в\s+(?:него|кластер\w*(?:\s+\S+){0,3}?)\s+(?:вош\w+|вход\w+|войд\w+|включ\w+))", re.I), ClusterRole.MEMBER),
]
_SKIP = re.compile(
    r"\s*(?:[—–:,(-]|кластер\w*|создани\w*|формировани\w*|[«\"][^«»\"]{1,80}[»\"]|вош\w+|вход\w+|войд\w+|стал\w*|станут|станет|"
    r"явля\w+|выступ\w+|составля\w+|составят|составил\w*|объедин\w+|включ\w+|\d+|предприяти\w*|компани\w*|"
    r"организаци\w*|участник\w*|в\s+том\s+числе|такие,?\s+как|будут|будет|него|него|планиру\w+|в\s+него)(?![\w-])",
    re.I,
)


_LIST_END = re.compile(r"[.;]\s|\)\s*[,.]?|\s—\s(?!\w+\s*»)|\s(?:а\s+также\s+вузы|и\s+другие|и\s+др\.)")


_GAP = re.compile(
    r"[\s,;»\"“”()]*(?:(?:и|а\s+также|также|в\s+том\s+числе)\s+)?"
    r"(?:(?:компани|предприяти|завод|фирм|концерн|организаци|институт|университет|вуз|центр|бюро|авиакомпани)\w*\s+)?[\s«\"“]*",
    re.I,
)


def _list_targets(ctx: Context, start: int, limit: int, kinds: set[Kind]) -> list[Mention]:
    """Entity mentions in the list that starts at ``start`` (until the list ends)."""
    text = ctx.text
    end = _LIST_END.search(text, start, limit)
    stop = end.start() + (1 if end and text[end.start()] == ")" else 0) if end else limit
    out: list[Mention] = []
    seen = set()
    for m in ctx.mentions_in(start, stop, kinds):
        if m.entity in seen or any(o.start <= m.start and m.stop <= o.stop for o in out):
            continue
        gap = text[out[-1].stop if out else start:m.start]
        if not _GAP.fullmatch(gap):
            break
        seen.add(m.entity)
        out.append(m)
    return out


def _skip(ctx: Context, offset: int, limit: int) -> int:
    """Skip the cluster name, verbs and punctuation between a trigger and its list."""
    while offset < limit:
        covered = ctx.covered(offset, offset + 1, {Kind.CLUSTER})
        if covered is not None and covered.stop > offset:
            offset = covered.stop
            continue
        match = _SKIP.match(ctx.text, offset, limit)
        if match is None or match.end() == offset:
            break
        if ctx.mentions_in(match.start(), match.end(), TARGETS):
            break  # a quoted organisation: the list starts here
        offset = match.end()
    return offset


def _cluster_before(hits: list[ClusterHit], offset: int, sent_start: int) -> ClusterHit | None:
    best = None
    for hit in hits:
        if hit.start < offset:
            best = hit
    return best


def _cluster_after(hits: list[ClusterHit], offset: int, sent_stop: int) -> ClusterHit | None:
    for hit in hits:
        if offset <= hit.start < sent_stop:
            return hit
    return None


def read_links(ctx: Context, hits: list[ClusterHit]) -> list[ClusterLink]:
    links: list[ClusterLink] = []
    if not hits:
        return links
    text = ctx.text
    seen: set[tuple[str, str, ClusterRole]] = set()

    def add(cluster: str, target: Mention, role: ClusterRole, start: int) -> None:
        if target.entity == cluster or (cluster, target.entity, role) in seen:
            return
        if role == ClusterRole.MEMBER and any((cluster, target.entity, r) in seen for r in ClusterRole):
            return  # an anchor or initiator is already read for this pair
        seen.add((cluster, target.entity, role))
        links.append(ClusterLink(cluster, target.entity, role, ctx.span(start, max(target.stop, start + 1))))

    for sent_start, sent_stop in ctx.sents:
        sentence = text[sent_start:sent_stop]
        if "кластер" not in sentence.lower() and not any(h.start < sent_start for h in hits):
            continue
        for pattern, role in TRIGGERS:
            for match in pattern.finditer(text, sent_start, sent_stop):
                start = _skip(ctx, match.end(), sent_stop)
                cluster = _cluster_after(hits, match.start(), start) or _cluster_before(hits, match.start(), sent_start)
                if cluster is None:
                    continue
                kinds = TARGETS | {Kind.PERSON} if role == ClusterRole.INITIATOR else TARGETS
                for target in _list_targets(ctx, start, sent_stop, kinds):
                    add(cluster.entity, target, role, match.start())
    return links


class LinkReader:
    """Links read after their trigger words, around the document's cluster mentions."""

    def __init__(self, tools: Tools) -> None:
        pass

    def read(self, doc: Reading, found: Found) -> list[ClusterLink]:
        return read_links(doc.ctx, doc.clusters)


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
                    links.append(ClusterLink(cluster, party, ClusterRole.MEMBER, agreement.evidence))
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
    g.add(g.iris[link.cluster], ROLE_PROPERTY[link.role], g.iris[link.target])


CLUSTER_LINKS: FactType[ClusterLink] = FactType(
    name="cluster_link",
    cls=ClusterLink,
    readers=(ReaderSpec(LinkReader), ReaderSpec(AgreementMembers, needs=("post", "agreement", "deal"))),
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
