"""The extractor: natasha (segmentation, morphology, NER, names) + our grammars -> Extraction.

Stages, in order, on a cleaned view of the text (``clean.py``; every span maps back to raw offsets):

1. natasha: segmentation, morphology tags, NER (PER/LOC/ORG), span normalisation, name facts
   (memoised per Extractor by the span's tokens and tags, ``names.py``).
2. organisations with legal forms and typed quoted names (``grammars/orgs.py``);
3. places from gazetteers (regions, cities -> region, countries, foreign regions) and NER LOC;
   the document's region is the most mentioned Russian region;
4. authorities («Правительство … области», «областное министерство …» -> the document's region);
5. clusters, named and described, generic mentions skipped (only when the text mentions a trigger word);
6. remaining NER ORG spans, NER persons (bare surnames join their full name);
7. facts: posts, cluster links, agreements (signed documents; purchases, loans, investments and fines
   are read as agreements too, so that factRuEval deals are covered), events.

yargy grammars (``grammars/rules.py``: ORG_WITH_FORM, CLUSTER_NAMED, POST_APART, POST_BY_VERB) are
module constants; their parsers are built once in ``Extractor()`` and run only on sentences with their
trigger words. Regex grammars are precompiled at import; models and gazetteers are built once in ``Extractor()``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from natasha import Doc, MorphVocab, NamesExtractor, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

from kg.extract.clean import Cleaned, clean
from kg.extract.context import Context, Tok
from kg.extract.gazetteer import Gazetteer
from kg.extract.grammars.agreements import AgreementReader, members_of_agreements
from kg.extract.grammars.clusters import ClusterReader
from kg.extract.grammars.coref import propagate
from kg.extract.grammars.deals import read_deals
from kg.extract.grammars.events import EventReader
from kg.extract.grammars.lexicon import load_vocabulary
from kg.extract.grammars.links import read_links
from kg.extract.grammars.orgs import find_authorities, find_legal_orgs, find_ner_orgs, find_quoted_lists
from kg.extract.grammars.person import find_persons
from kg.extract.grammars.post import PostReader
from kg.extract.grammars.rules import YargyGrammars
from kg.extract.grammars.places import doc_region, find_places, place_entity
from kg.extract.keys import fold_homoglyphs
from kg.extract.morph import Morph
from kg.extract.names import SpanNormaliser
from kg.model import Agreement, ClusterLink, Document, Entity, Event, Extraction, Fact, Kind, Post

log = logging.getLogger(__name__)
_NEEDS_FACTS = re.compile(r"кластер|подпис|соглашен|меморанд|договор|совещан|заседан|форум|встреч|встрет|визит|выставк|"
                          r"конференц|сесси|собрани|круглы|переговор|саммит|купи|купл|покуп|приобр|прода|поглот|выкуп|скуп|слиян|слил|"
                          r"кредит|займ|заём|заем|ссуд|инвест|вложи|вложен|штраф|выплат|грант|погаш|погаси|задолж|долг", re.I)


class Extractor:
    """Builds the natasha models once; ``extract(doc)`` is then a pure function of ``doc``."""

    def __init__(self) -> None:
        self.segmenter = Segmenter()
        self.morph_vocab = MorphVocab()
        embedding = NewsEmbedding()
        self.morph_tagger = NewsMorphTagger(embedding)
        self.ner_tagger = NewsNERTagger(embedding)
        self.names_extractor = NamesExtractor(self.morph_vocab)
        self.normalise = SpanNormaliser(self.morph_vocab, self.names_extractor)
        self.morph = Morph(self.morph_vocab)
        self.gazetteer = Gazetteer(self.morph)
        self.posts = PostReader(self.morph, load_vocabulary())
        self.clusters = ClusterReader(self.morph)
        self.clusters.region_adjectives = dict(self.gazetteer.region_adjectives)
        self.clusters.region_adjective = dict(self.gazetteer.adjective_of)
        self.agreements = AgreementReader(self.morph)
        self.events = EventReader(self.morph)
        self.yargy = YargyGrammars(self.morph)

    def extract(self, doc: Document) -> Extraction:
        """Read entities and facts from ``doc``; never raises on any text."""
        return self._extract_safely(doc)

    def extract_many(self, docs: Sequence[Document]) -> list[Extraction]:
        """``extract`` of each document, with natasha's NER run over all of them at once.

        One slovnet call over a batch of texts costs less than a call per text
        (numpy's per-operation overhead is paid once a batch; about a third of NER's
        time on demo-corpus documents), and gives each text the same spans: the
        batch's shorter sequences are padded with zeros that the CNN encoder zeroes
        again after every layer, and the CRF decodes each sequence to its own length
        (a test compares the two on whole corpora). If the batch call fails, each
        document is extracted on its own.
        """
        cleaned = {n: clean(d.text) for n, d in enumerate(docs) if _has_text(d)}
        try:
            batch = [(n, c) for n, c in cleaned.items() if c.text.strip()]
            markups = dict(zip((n for n, _ in batch), self.ner_tagger.map([c.text for _, c in batch])))
        except Exception:  # noqa: BLE001 - fall back to one document at a time
            log.exception("batch NER failed; extracting %d documents one by one", len(docs))
            return [self.extract(doc) for doc in docs]
        return [self._extract_safely(doc, cleaned.get(n), markups.get(n)) for n, doc in enumerate(docs)]

    def _extract_safely(self, doc: Document, cleaned: Cleaned | None = None, ner: Any = None) -> Extraction:
        """``_extract``, or no facts for a document without text or whose extraction fails."""
        if not _has_text(doc):
            return Extraction(document=doc)
        try:
            return self._extract(doc, cleaned, ner)
        except Exception:  # noqa: BLE001 - one bad document must not stop a build
            log.exception("extraction failed for document %s", doc.id)
            return Extraction(document=doc)

    def _places_inside(self, ctx: Context, start: int, stop: int) -> list:  # type: ignore[type-arg]
        """Regions named inside a quoted name («Кластер Удмуртской Республики») become mentions."""
        first, last = ctx.tok_at(start), ctx.tok_at(max(start, stop - 1))
        tokens = ctx.tokens[first:last + 1]
        for hit in self.gazetteer.match([t.text for t in tokens]):
            if hit.place.kind == Kind.REGION and (hit.place.country or "RU") == "RU":
                a, b = tokens[hit.first].start, tokens[hit.last].stop
                place_entity(ctx, self.gazetteer, hit.place, a, b)
                return ctx.mentions_in(a, b, {Kind.REGION})
        return []

    # -- stages ---------------------------------------------------------------------
    def _analyse(self, doc: Document, cleaned: Cleaned | None = None,
                 ner: Any = None) -> tuple[Context, list[tuple[int, int, str, str, dict[str, str]]]]:
        """natasha over the cleaned text; ``ner`` is its NER markup when already computed."""
        cleaned = cleaned or clean(doc.text)
        ndoc = Doc(cleaned.text)
        ndoc.segment(self.segmenter)
        ndoc.tag_morph(self.morph_tagger)
        ndoc.tag_ner(self.ner_tagger if ner is None else _Computed(ner))
        tokens: list[Tok] = []
        sents: list[tuple[int, int]] = []
        for number, sent in enumerate(ndoc.sents):
            sents.append((sent.start, sent.stop))
            for token in sent.tokens:
                tokens.append(Tok(token.text, token.start, token.stop, number, len(tokens)))
        spans = []
        for span in ndoc.spans:
            normal, fact = self.normalise(span)
            spans.append((span.start, span.stop, span.type, normal, fact))
        return Context(doc, cleaned, sents, tokens), spans

    def _extract(self, doc: Document, cleaned: Cleaned | None = None, ner: Any = None) -> Extraction:
        ctx, spans = self._analyse(doc, cleaned, ner)
        find_legal_orgs(ctx, self.yargy.legal_orgs(ctx))
        find_places(ctx, self.gazetteer, [(s, e, n) for s, e, t, n, _ in spans if t == "LOC"])
        region = doc_region(ctx)
        region_info = None
        if region is not None:
            place = self.gazetteer.region(ctx.entities[region].key)
            genitive = ctx.entities[region].label if place is None else _genitive(self.gazetteer, place.key, place.name)
            region_info = (region, genitive)
        ner_orgs = [(s, e, n) for s, e, t, n, _ in spans if t == "ORG"]
        find_authorities(ctx, self.morph, region_info, ner_orgs, [(s, e) for s, e, t, _, _ in spans if t == "PER"])
        needs_facts = bool(_NEEDS_FACTS.search(ctx.text))

        def region_for(start: int, stop: int) -> str | None:
            """A cluster's region: named in it, «в Череповце кластер…», else in its sentence, else the document's."""
            sent_start, sent_stop = ctx.sent_of(start)
            places = {Kind.REGION, Kind.SETTLEMENT}
            inside = ctx.mentions_in(start, stop, places) or self._places_inside(ctx, start, stop)
            if not inside:
                inside = [m for m in ctx.mentions_in(sent_start, sent_stop, places)
                          if (0 <= start - m.stop <= 25 or 0 <= m.start - stop <= 25)
                          and re.search(r"\b(в|во)\s+$", ctx.text[max(0, m.start - 4):m.start])]
            if not inside:
                inside = sorted((m for m in ctx.mentions_in(sent_start, sent_stop, {Kind.REGION})
                                 if (ctx.entities[m.entity].iso_code or "").startswith("RU-")),
                                key=lambda m: abs(m.start - start))
            if inside:
                entity = inside[0].entity
                builder = ctx.entities[entity]
                if builder.kind == Kind.SETTLEMENT and builder.located_in:
                    return builder.located_in
                return entity
            return region

        hits = self.clusters.read(ctx, region_for, self.yargy.named_clusters(ctx)) if needs_facts else []
        find_quoted_lists(ctx)
        find_ner_orgs(ctx, self.morph, ner_orgs, self.posts.is_position)
        find_persons(ctx, [(s, e, n, f) for s, e, t, n, f in spans if t == "PER"])
        _fold_org_labels(ctx)
        propagate(ctx, self.morph)
        facts: list[Fact] = []
        posts = self.posts.read(ctx, region, self.yargy.titles_apart(ctx))
        facts.extend(posts)
        if needs_facts:
            links = read_links(ctx, hits)
            agreements = self.agreements.read(ctx, posts)
            taken = {ctx.sent_of(a.evidence.start) for a in agreements} if agreements else set()
            agreements += read_deals(ctx, self.morph, taken)
            known = {(l.cluster, l.target) for l in links}
            links += [l for l in members_of_agreements(ctx, agreements, posts) if (l.cluster, l.target) not in known]
            facts.extend(links)
            facts.extend(agreements)
            facts.extend(self.events.read(ctx))
        entities = ctx.freeze()
        return Extraction(document=doc, entities=_consistent(entities), facts=tuple(_valid_facts(facts, entities)))


class _Computed:
    """A NER "tagger" for ``natasha.Doc.tag_ner`` that returns a markup computed beforehand."""

    def __init__(self, markup: Any) -> None:
        self.markup = markup

    def __call__(self, text: str) -> Any:
        return self.markup


def _has_text(doc: Document) -> bool:
    return isinstance(doc.text, str) and bool(doc.text.strip())


def _genitive(gaz: Gazetteer, key: str, name: str) -> str:
    return gaz.genitive.get(key, name)


def _fold_org_labels(ctx: Context) -> None:
    for builder in ctx.entities.values():
        if builder.kind in (Kind.COMPANY, Kind.ORGANIZATION):
            folded = fold_homoglyphs(builder.label)
            if folded != builder.label:
                builder.alt_labels.append(builder.label)
                builder.label = folded


def _consistent(entities: tuple[Entity, ...]) -> tuple[Entity, ...]:
    ids = {e.id for e in entities}
    out = []
    for entity in entities:
        changes: dict[str, Any] = {}
        if entity.located_in is not None and (entity.located_in not in ids or entity.located_in == entity.id):
            changes["located_in"] = None
        if any(s not in ids for s in entity.sectors):
            changes["sectors"] = tuple(s for s in entity.sectors if s in ids)
        if changes:
            entity = replace(entity, **changes)
        out.append(entity)
    return tuple(out)


def _valid_facts(facts: list[Fact], entities: tuple[Entity, ...]) -> list[Fact]:
    ids = {e.id for e in entities}
    out: list[Fact] = []
    for fact in facts:
        if isinstance(fact, Post):
            if fact.holder not in ids:
                continue
            if fact.post_in is not None and fact.post_in not in ids:
                fact = replace(fact, post_in=None)
        elif isinstance(fact, ClusterLink):
            if fact.cluster not in ids or fact.target not in ids:
                continue
        elif isinstance(fact, (Agreement, Event)):
            keep: dict[str, Any] = {}
            for name in ("parties", "signatories", "witnesses", "about", "participants"):
                if hasattr(fact, name):
                    keep[name] = tuple(x for x in getattr(fact, name) if x in ids)
            if fact.place is not None and fact.place not in ids:
                keep["place"] = None
            fact = replace(fact, **keep)
        out.append(fact)
    return out
