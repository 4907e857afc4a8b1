"""The extractor: natasha (segmentation, morphology, NER, names, syntax) + our readers -> Extraction.

Stages, in order, on a cleaned view of the text (``clean.py``; every span maps back to raw offsets).
Each stage reads what the earlier ones put in the document's ``Context`` (its entity registry)
and adds its own; the order below is the contract:

1. ``_analyse`` natasha: segmentation, morphology tags, NER (PER/LOC/ORG), span normalisation,
   name facts (memoised per Extractor by the span's tokens and tags, ``names.py``);
2. ``_entities`` the entity readers (``readers/``), in this order:
   organisations with legal forms (yargy ORG_WITH_FORM); places from gazetteers and NER LOC,
   then the document's region (the most mentioned Russian region); authorities («Правительство
   … области», «областное министерство …» -> the document's region); clusters, named and
   described (only in documents a fact type's trigger words select, see below); quoted lists;
   the remaining NER ORG spans; NER persons (bare surnames join their full name); places and
   organisations after a country adjective + kind noun put in that country; labels folded;
   coreference. Output: a ``kg.facts.spec.Reading`` (the context, the region, the cluster mentions,
   a maker of unnamed clusters tied to a region);
3. ``_parse`` natasha's dependency parse (slovnet syntax) of the sentences a frame reader may
   need (``_worth_parsing``: a person and a verb of taking a post; in a triggered document, a
   membership, agreement or event word and a mention or «кластер»), every mention given to the
   parser as one word (``frames.parse_sentences``, ``syntax.py``): ``ctx.syntax``;
4. ``_facts`` the fact readers of ``kg.facts.FACTS``, in ``reading_order`` (each after the types
   it needs): posts; cluster links; agreements; deals (read as agreements); members of
   agreements about a cluster (cluster links); events. Readers of a type with trigger words run
   only in documents where some type's trigger words occur;
5. ``_keep`` each fact type's ``keep``: references to entities that were dropped go.

yargy grammars (``readers/rules.py``: ORG_WITH_FORM, CLUSTER_NAMED, POST_APART, POST_BY_VERB) are
module constants; their parsers are built once in ``Extractor()`` (``Tools``) and run only on
sentences with their trigger words (ORG_WITH_FORM's matches are listed without its parser, ``_org_spans``). Regex readers are precompiled at import; models, gazetteers and
readers are built once in ``Extractor()``.

A text longer than ``windows.WINDOW`` characters goes through these stages window by window
(``windows.py``): time and memory grow with its length, not faster.
"""

from __future__ import annotations

import logging
from bisect import bisect_left, bisect_right
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from natasha import (Doc, MorphVocab, NamesExtractor, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser,
                     Segmenter)

import kg.facts
from kg.extract.clean import Cleaned, clean
from kg.extract.context import Context, Mention, Tok
from kg.extract.frames import parse_sentences
from kg.extract.gazetteer import Gazetteer
from kg.extract.keys import fold_homoglyphs
from kg.extract.morph import Morph
from kg.extract.names import SpanNormaliser
from kg.extract.readers.clusters import ClusterReader
from kg.extract.readers.coref import propagate
from kg.extract.readers.lexicon import Lexicon, load_vocabulary
from kg.extract.readers.orgs import find_authorities, find_legal_orgs, find_ner_orgs, find_quoted_lists
from kg.extract.readers.person import find_persons
from kg.extract.readers.places import countries_by_adjective, doc_region, find_places, place_entity
from kg.extract.readers.rules import YargyGrammars
from kg.extract.syntax import Lemmatiser
from kg.facts.fact_frames import PARSE_WORDS as FACT_WORDS
from kg.facts.memberships import PARSE_WORDS as MEMBERSHIP_WORDS
from kg.facts.post_frames import PARSE_WORDS as POST_WORDS
from kg.extract.tools import Tools
from kg.extract.windows import WINDOW, join, split
from kg.facts.spec import FactReader, FactType, Found, Reading, reading_order
from kg.model import Document, Entity, Extraction, Fact, Kind

log = logging.getLogger(__name__)

# a span natasha's NER read: (start, stop, PER/LOC/ORG, normal form, name parts)
NerSpan = tuple[int, int, str, str, dict[str, str]]
WINDOWS_AT_ONCE = 4  # windows of a long text read in one NER batch (memory: ~WINDOWS_AT_ONCE x WINDOW characters)


class Extractor:
    """Builds the natasha models and every reader once; ``extract(doc)`` is then a pure function of ``doc``.

    ``facts``: the fact types to read (default ``kg.facts.FACTS``, as it is when the Extractor is built).
    """

    def __init__(self, facts: Sequence[FactType[Any]] | None = None) -> None:
        self.segmenter = Segmenter()
        self.morph_vocab = MorphVocab()
        embedding = NewsEmbedding()
        self.morph_tagger = NewsMorphTagger(embedding)
        self.ner_tagger = NewsNERTagger(embedding)
        self.syntax_parser = NewsSyntaxParser(embedding)
        self.lemmatise = Lemmatiser(self.morph_vocab)
        self.names_extractor = NamesExtractor(self.morph_vocab)
        self.normalise = SpanNormaliser(self.morph_vocab, self.names_extractor)
        self.morph = Morph(self.morph_vocab)
        self.gazetteer = Gazetteer(self.morph)
        self.yargy = YargyGrammars(self.morph)
        self.tools = Tools(self.morph, self.gazetteer, Lexicon(self.morph, load_vocabulary()), self.yargy)
        self.clusters = ClusterReader(self.tools)
        self.facts: tuple[FactType[Any], ...] = tuple(kg.facts.FACTS if facts is None else facts)
        self.fact_readers: list[tuple[FactType[Any], frozenset[str], FactReader[Any]]] = [
            (fact_type, frozenset((*spec.needs, fact_type.name)), spec.make(self.tools))
            for fact_type, spec in reading_order(self.facts)
        ]
        self.keepers = kg.facts.by_class(self.facts)
        self.triggers = [t.trigger for t in self.facts if t.trigger is not None]

    def extract(self, doc: Document) -> Extraction:
        """Read entities and facts from ``doc``; never raises on any text. A text longer than
        ``windows.WINDOW`` characters is read in windows (``_extract_long``)."""
        if _is_long(doc):
            return self._extract_long(doc)
        return self._extract_safely(doc)

    def extract_many(self, docs: Sequence[Document]) -> list[Extraction]:
        """``extract`` of each document, with natasha's NER run over all of them at once.

        One slovnet call over a batch of texts costs less than a call per text
        (numpy's per-operation overhead is paid once a batch; about a third of NER's
        time on demo-corpus documents), and gives each text the same spans: the
        batch's shorter sequences are padded with zeros that the CNN encoder zeroes
        again after every layer, and the CRF decodes each sequence to its own length
        (a test compares the two on whole corpora). If the batch call fails, each
        document is extracted on its own. A long text is read in windows (``_extract_long``).
        """
        long = {n for n, doc in enumerate(docs) if _is_long(doc)}
        if long:
            short = iter(self.extract_many([doc for n, doc in enumerate(docs) if n not in long]))
            return [self._extract_long(doc) if n in long else next(short) for n, doc in enumerate(docs)]
        cleaned = {n: clean(d.text) for n, d in enumerate(docs) if _has_text(d)}
        try:
            batch = [(n, c) for n, c in cleaned.items() if c.text.strip()]
            markups = dict(zip((n for n, _ in batch), self.ner_tagger.map([c.text for _, c in batch])))
        except Exception:  # noqa: BLE001 - fall back to one document at a time
            log.exception("batch NER failed; extracting %d documents one by one", len(docs))
            return [self.extract(doc) for doc in docs]
        return [self._extract_safely(doc, cleaned.get(n), markups.get(n)) for n, doc in enumerate(docs)]

    def _extract_long(self, doc: Document) -> Extraction:
        """``doc`` cut into windows of at most ``WINDOW`` characters (``windows.cut``), read
        ``WINDOWS_AT_ONCE`` at a time (one NER batch each) and joined into one Extraction with
        offsets into the whole text: time and memory grow with the text's length, not faster."""
        parts = split(doc, WINDOW)
        read: list[tuple[int, Extraction]] = []
        for first in range(0, len(parts), WINDOWS_AT_ONCE):
            group = parts[first:first + WINDOWS_AT_ONCE]
            read.extend(zip((offset for offset, _ in group), self.extract_many([w for _, w in group]), strict=True))
        return join(doc, read)

    def _extract_safely(self, doc: Document, cleaned: Cleaned | None = None, ner: Any = None) -> Extraction:
        """``_extract``, or no facts for a document without text or whose extraction fails."""
        if not _has_text(doc):
            return Extraction(document=doc)
        try:
            return self._extract(doc, cleaned, ner)
        except Exception:  # noqa: BLE001 - one bad document must not stop a build
            log.exception("extraction failed for document %s", doc.id)
            return Extraction(document=doc)

    def _places_inside(self, ctx: Context, start: int, stop: int) -> list[Mention]:
        """Regions named inside a quoted name («Кластер Удмуртской Республики») become mentions."""
        first, last = ctx.tok_at(start), ctx.tok_at(max(start, stop - 1))
        tokens = ctx.tokens[first:last + 1]
        for hit in self.gazetteer.match([t.text for t in tokens]):
            if hit.place.kind == Kind.REGION and (hit.place.country or "RU") == "RU":
                a, b = tokens[hit.first].start, tokens[hit.last].stop
                place_entity(ctx, self.gazetteer, hit.place, a, b)
                return ctx.mentions_in(a, b, {Kind.REGION})
        return []

    def _region_adjective(self, ctx: Context, start: int, stop: int, sent_start: int) -> list[Mention]:
        """A Russian region's adjective in a cluster's name or among the two words before it
        («пермский кластер», «кластер «Тюменские нефтесервисы»») becomes that region's mention."""
        first = max(ctx.tok_at(sent_start), ctx.tok_at(start) - 2)
        for token in ctx.tokens[first:ctx.tok_at(max(start, stop - 1)) + 1]:
            if token.pos != "ADJ":
                continue
            place = self.gazetteer.region_adjectives.get(self.morph.lemma(token.text.lower()))
            if place is not None and place.kind == Kind.REGION and (place.iso or "").startswith("RU-"):
                place_entity(ctx, self.gazetteer, place, token.start, token.stop)
                return ctx.mentions_in(token.start, token.stop, {Kind.REGION})
        return []

    # -- stages ---------------------------------------------------------------------
    def _analyse(self, doc: Document, cleaned: Cleaned | None = None,
                 ner: Any = None) -> tuple[Context, list[NerSpan]]:
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
                tokens.append(Tok(token.text, token.start, token.stop, number, len(tokens), token.pos or "",
                                  token.feats or {}))
        spans = []
        for span in ndoc.spans:
            normal, fact = self.normalise(span)
            spans.append((span.start, span.stop, span.type, normal, fact))
        return Context(doc, cleaned, sents, tokens), spans

    def _extract(self, doc: Document, cleaned: Cleaned | None = None, ner: Any = None) -> Extraction:
        ctx, spans = self._analyse(doc, cleaned, ner)
        triggered = any(trigger.search(ctx.text) for trigger in self.triggers)
        reading = self._entities(ctx, spans, triggered)
        self._parse(ctx, triggered)
        facts = self._facts(reading, triggered)
        entities = ctx.freeze()
        kept = tuple(self._keep(facts, entities))
        return Extraction(document=doc, entities=_consistent(entities), facts=kept,
                          sentences=evidence_sentences(ctx, kept))

    def _entities(self, ctx: Context, spans: list[NerSpan], triggered: bool) -> Reading:
        """The entity readers, in order (see the module docstring); clusters only when ``triggered``."""
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

        def region_for(start: int, stop: int) -> str | None:
            """A cluster's region: named in it or by its adjective («пермский кластер», «Тюменские
            нефтесервисы»), «в Череповце кластер…», else in its sentence, else the document's; the
            venue of a forum or exhibition («на форуме в Екатеринбурге») is no cluster's region."""
            sent_start, sent_stop = ctx.sent_of(start)
            places = {Kind.REGION, Kind.SETTLEMENT}
            inside = ctx.mentions_in(start, stop, places) or self._places_inside(ctx, start, stop) \
                or self._region_adjective(ctx, start, stop, sent_start)
            if not inside:
                inside = [m for m in ctx.mentions_in(sent_start, sent_stop, places)
                          if (0 <= start - m.stop <= 25 or 0 <= m.start - stop <= 25)
                          and re.search(r"\b(в|во)\s+$", ctx.text[max(0, m.start - 4):m.start])
                          and not _venue(ctx.text, sent_start, m.start)]
            if not inside:
                inside = sorted((m for m in ctx.mentions_in(sent_start, sent_stop, {Kind.REGION})
                                 if (ctx.entities[m.entity].iso_code or "").startswith("RU-")
                                 and not _venue(ctx.text, sent_start, m.start)),
                                key=lambda m: abs(m.start - start))
            if inside:
                entity = inside[0].entity
                builder = ctx.entities[entity]
                if builder.kind == Kind.SETTLEMENT and builder.located_in:
                    return builder.located_in
                return entity
            return None if region is not None and _venue_only(ctx, region) else region

        hits = self.clusters.read(ctx, region_for, self.yargy.named_clusters(ctx)) if triggered else []
        find_quoted_lists(ctx)
        find_ner_orgs(ctx, self.morph, ner_orgs, self.tools.lexicon.is_position)
        find_persons(ctx, [(s, e, n, f) for s, e, t, n, f in spans if t == "PER"])
        countries_by_adjective(ctx)
        _fold_org_labels(ctx)
        propagate(ctx, self.morph)
        return Reading(ctx, region, hits,
                       lambda start, stop, adjectives: self.clusters.unnamed(ctx, region_for, start, stop, adjectives))

    def _parse(self, ctx: Context, triggered: bool) -> None:
        """The dependency parse of the sentences a frame reader may need (``ctx.syntax``)."""
        parse_sentences(ctx, self.syntax_parser, self.lemmatise, lambda a, b: _worth_parsing(ctx, a, b, triggered))

    def _facts(self, reading: Reading, triggered: bool) -> list[Any]:
        """Every fact reader in reading order, each seeing the facts of the types it needs;
        the facts in the order of ``self.facts``."""
        found: dict[str, list[Any]] = {fact_type.name: [] for fact_type in self.facts}
        for fact_type, visible, reader in self.fact_readers:
            if fact_type.trigger is None or triggered:
                found[fact_type.name].extend(reader.read(reading, Found(found, visible)))
        return [fact for fact_type in self.facts for fact in found[fact_type.name]]

    def _keep(self, facts: list[Any], entities: tuple[Entity, ...]) -> list[Any]:
        """Each fact as its type keeps it once the entities are final, or not at all."""
        ids = frozenset(e.id for e in entities)
        kept = (self.keepers[type(fact)].keep(fact, ids) for fact in facts)
        return [fact for fact in kept if fact is not None]


_VENUE = re.compile(r"(?:форум|выставк|конференци|саммит|ярмарк|съезд|фестивал|сесси|салон)\w*"
                    r"(?:\s+«[^»]{1,60}»|\s+\"[^\"]{1,60}\")?(?:\s+\d{4}\s+года)?\s+(?:в|во)\s+$", re.I)


def _venue(text: str, sent_start: int, place_start: int) -> bool:
    """Whether the place at ``place_start`` is the venue of an event named right before it
    («на форуме «Иннопром» в Екатеринбурге», «на выставке в Казани»)."""
    return bool(_VENUE.search(text[max(sent_start, place_start - 90):place_start]))


def _venue_only(ctx: Context, region: str) -> bool:
    """Whether the document names ``region`` (or a town in it) only as an event's venue."""
    mentions = [m for m in ctx.mentions_in(0, len(ctx.text), {Kind.REGION, Kind.SETTLEMENT})
                if m.entity == region or ctx.entities[m.entity].located_in == region]
    return bool(mentions) and all(_venue(ctx.text, ctx.sent_of(m.start)[0], m.start) for m in mentions)


def _worth_parsing(ctx: Context, start: int, stop: int, triggered: bool) -> bool:
    """Whether a sentence may hold a frame a reader looks for: in a triggered document, a
    membership, agreement or event word and a mention (or «кластер»); in any document, a person
    and a verb of taking a post («стал», «назначен» …). The parser costs about a third of
    natasha's pipeline and most sentences of the news hold no frame; each reader's words are
    the stems of the lemmas its frames start from (``PARSE_WORDS`` of its module)."""
    text = ctx.text[start:stop]
    if triggered and (MEMBERSHIP_WORDS.search(text) or FACT_WORDS.search(text)):
        if ctx.mentions_in(start, stop) or "кластер" in text.lower():
            return True
    return bool(POST_WORDS.search(text)) and bool(ctx.mentions_in(start, stop, {Kind.PERSON}))


class _Computed:
    """A NER "tagger" for ``natasha.Doc.tag_ner`` that returns a markup computed beforehand."""

    def __init__(self, markup: Any) -> None:
        self.markup = markup

    def __call__(self, text: str) -> Any:
        return self.markup


def _is_long(doc: Document) -> bool:
    return isinstance(doc.text, str) and len(doc.text) > WINDOW


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


def evidence_sentences(ctx: Context, facts: Sequence[Fact]) -> tuple[tuple[int, int], ...]:
    """The raw-text ``(start, stop)`` of the sentence each fact's evidence lies in (the sentences
    it overlaps, joined), each once, ascending (``Extraction.sentences``)."""
    raw = [(span.start, span.stop) for span in (ctx.span(s, e) for s, e in ctx.sents)]
    starts = [start for start, _ in raw]
    found: set[tuple[int, int]] = set()
    for fact in facts:
        ev = fact.evidence
        first = max(0, bisect_right(starts, ev.start) - 1)
        last = max(first, bisect_left(starts, max(ev.start, ev.stop - 1) + 1) - 1)
        if not raw:
            continue
        start, stop = min(raw[first][0], ev.start), max(raw[last][1], ev.stop)
        found.add((start, stop))
    return tuple(sorted(found))
