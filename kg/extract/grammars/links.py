"""Cluster links: members («компании-участники кластера: …»), initiators («инициаторы — …»),
anchors («на базе …», «ядром кластера станут …»)."""

from __future__ import annotations

import re

from kg.extract.context import Context, Mention
from kg.extract.grammars.clusters import ClusterHit
from kg.model import ClusterLink, ClusterRole, Kind

TARGETS = {Kind.ORGANIZATION, Kind.COMPANY, Kind.AUTHORITY}
INITIATOR = re.compile(r"инициатор\w*(?:\s+(?:создания|выступил\w*|стал\w*|являются|является|проекта|кластера))*\s*(?:[—–:-]\s*)?|по\s+инициативе\s+", re.I)
ANCHOR = re.compile(
    r"на\s+баз[еау]\s+|ядр(?:ом|о)\s+(?:\w+\s+){0,2}(?:станут|станет|стали|является|являются|будут|будет|выступ\w+)\s*|"
    r"якорн\w+\s+(?:предприяти|компани|резидент|участник)\w*(?:\s+\w+){0,4}?\s*[—–:-]\s*|"
    r"основ(?:ой|у|а)\s+(?:\w+\s+){0,2}(?:станут|станет|стали|составляют|составят|являются|является)\s*|"
    r"(?:основ[аы]|ядр[ао])\s*[—–:-]\s*",
    re.I,
)
MEMBER = re.compile(
    r"(?:участник\w*|член\w*|резидент\w*|предприяти\w*|компани\w*|организаци\w*)(?:-участник\w*)?\s+"
    r"(?:(?:\w+\s+){0,3}?)кластер\w*\s*(?:[—–:,(-]\s*)?(?:в\s+том\s+числе\s+|такие,?\s+как\s+|—\s*)?|"
    r"(?:вош(?:ли|ел|ёл)|войдут|входят|входит|включ\w+)\s+(?:в\s+(?:него|кластер\w*|состав\s+кластера)\s*)?(?:(?:\w+\s+){0,6}?)(?:в\s+том\s+числе\s+|\(в\s+том\s+числе\s+)|"
    r"(?:компании-участники|участники)\s+кластер\w*\s*:?\s*",
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
        if out and not _GAP.fullmatch(gap):
            break
        seen.add(m.entity)
        out.append(m)
    return out


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
        seen.add((cluster, target.entity, role))
        links.append(ClusterLink(cluster, target.entity, role, ctx.span(start, max(target.stop, start + 1))))

    for sent_start, sent_stop in ctx.sents:
        sentence = text[sent_start:sent_stop]
        if "кластер" not in sentence.lower() and not any(h.start < sent_start for h in hits):
            continue
        for match in INITIATOR.finditer(text, sent_start, sent_stop):
            cluster = _cluster_before(hits, match.start(), sent_start)
            if cluster is None:
                continue
            for target in _list_targets(ctx, match.end(), sent_stop, TARGETS | {Kind.PERSON}):
                add(cluster.entity, target, ClusterRole.INITIATOR, match.start())
        for match in ANCHOR.finditer(text, sent_start, sent_stop):
            phrase = match.group(0).lower()
            cluster = _cluster_before(hits, match.start(), sent_start)
            if phrase.startswith(("ядр", "основ")):
                after = _cluster_after(hits, match.start(), match.end() + 20)
                cluster = after or cluster
            if cluster is None:
                continue
            for target in _list_targets(ctx, match.end(), sent_stop, TARGETS):
                add(cluster.entity, target, ClusterRole.ANCHOR, match.start())
        for match in MEMBER.finditer(text, sent_start, sent_stop):
            cluster = _cluster_after(hits, match.start(), match.end()) or _cluster_before(hits, match.end(), sent_start)
            if cluster is None:
                continue
            for target in _list_targets(ctx, match.end(), sent_stop, TARGETS):
                add(cluster.entity, target, ClusterRole.MEMBER, match.start())
    return links
