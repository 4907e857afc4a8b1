"""Per-document working state: cleaned text, tokens, sentences and the entity registry."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field

from kg.extract.clean import Cleaned
from kg.extract.syntax import Tree
from kg.model import Document, Entity, Kind, Span


_ORG_KINDS = (Kind.ORGANIZATION, Kind.COMPANY, Kind.AUTHORITY)
_ORG = Kind.ORGANIZATION


@dataclass(slots=True)
class Tok:
    """One token of the cleaned text."""

    text: str
    start: int
    stop: int
    sent: int
    index: int
    pos: str = ""  # natasha's morphology tag (UD): NOUN, VERB, ...
    feats: Mapping[str, str] = field(default_factory=dict)  # {"Case": "Gen", ...}


@dataclass(slots=True)
class Builder:
    """An entity under construction; mentions are cleaned-text offsets."""

    id: str
    kind: Kind
    key: str
    label: str
    mentions: list[tuple[int, int]] = field(default_factory=list)
    alt_labels: list[str] = field(default_factory=list)
    legal_form: str | None = None
    iso_code: str | None = None
    wikidata: str | None = None
    located_in: str | None = None
    sectors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Mention:
    start: int
    stop: int
    entity: str


class Context:
    """Everything one extraction run knows about one document."""

    def __init__(self, doc: Document, cleaned: Cleaned, sents: list[tuple[int, int]], tokens: list[Tok]) -> None:
        self.doc = doc
        self.cleaned = cleaned
        self.text = cleaned.text
        self.sents = sents
        self.tokens = tokens
        self.tok_starts = [t.start for t in tokens]
        self.entities: dict[str, Builder] = {}
        self.by_key: dict[tuple[Kind, str], str] = {}
        self.mentions: list[Mention] = []
        self.adjective_places: dict[int, str] = {}  # token index of «французский» -> country entity id
        self.syntax = Tree()  # parsed sentences, mentions as single words (kg.extract.frames.parse_sentences)
        self._sorted = True
        self._sent_starts = [start for start, _ in sents]
        # ``mentions[:_prefix]`` is sorted by (start, -stop) and indexed (``_starts``, ``_longest``), so
        # ``mentions_in`` and ``covered`` read only the mentions near a span, not all of them; the
        # mentions added since the last sort (``mentions[_prefix:]``) are scanned
        self._prefix = 0
        self._starts: list[int] = []
        self._longest = 0

    # -- entities -----------------------------------------------------------------
    def entity(self, kind: Kind, key: str, label: str, start: int, stop: int, **attrs: object) -> str:
        """Add (or find) the entity ``(kind, key)`` and record a mention ``[start:stop]``."""
        space = _ORG if kind in _ORG_KINDS else kind
        found = self.by_key.get((space, key))
        if found is None:
            found = f"e{len(self.entities) + 1}"
            self.entities[found] = Builder(found, kind, key, label)
            self.by_key[(space, key)] = found
        builder = self.entities[found]
        if builder.kind == Kind.ORGANIZATION and kind in (Kind.COMPANY, Kind.AUTHORITY):
            builder.kind = kind
        if label != builder.label and label not in builder.alt_labels:
            builder.alt_labels.append(label)
        for name, value in attrs.items():
            if value is None:
                continue
            if name == "alt_label":
                if value != builder.label and value not in builder.alt_labels:
                    builder.alt_labels.append(str(value))
            elif getattr(builder, name) is None:
                setattr(builder, name, value)
        self.mention(found, start, stop)
        return found

    def mention(self, entity_id: str, start: int, stop: int) -> None:
        # trim spaces so raw offsets never start or end on whitespace
        while start < stop and self.text[start].isspace():
            start += 1
        while stop > start and self.text[stop - 1].isspace():
            stop -= 1
        if stop <= start:
            return
        builder = self.entities[entity_id]
        if (start, stop) not in builder.mentions:
            builder.mentions.append((start, stop))
            self.mentions.append(Mention(start, stop, entity_id))
            self._sorted = False

    def drop_mention(self, mention: Mention) -> None:
        """Forget one mention (a longer name read later replaces it); an entity left without
        mentions is dropped by ``freeze``."""
        builder = self.entities[mention.entity]
        if (mention.start, mention.stop) in builder.mentions:
            builder.mentions.remove((mention.start, mention.stop))
        gone = (mention.start, mention.stop, mention.entity)
        kept = [m for m in self.mentions if m is not mention and (m.start, m.stop, m.entity) != gone]
        self._prefix -= sum(1 for m in self.mentions[:self._prefix] if m is mention or (m.start, m.stop, m.entity) == gone)
        self.mentions = kept
        self._index()

    def kind(self, entity_id: str) -> Kind:
        return self.entities[entity_id].kind

    def mentions_in(self, start: int, stop: int, kinds: set[Kind] | None = None) -> list[Mention]:
        """The mentions inside ``[start:stop]`` (of ``kinds``), by start, longest first."""
        if not self._sorted:
            self.mentions.sort(key=lambda m: (m.start, -m.stop))
            self._sorted = True
            self._prefix = len(self.mentions)
            self._index()
        out = []
        mentions = self.mentions
        for i in range(bisect.bisect_left(self._starts, start), len(mentions)):
            m = mentions[i]
            if m.start >= stop:
                break
            if m.stop <= stop and (kinds is None or self.entities[m.entity].kind in kinds):
                out.append(m)
        return out

    def covered(self, start: int, stop: int, kinds: set[Kind] | None = None) -> Mention | None:
        """The first mention (in ``mentions``' order) overlapping ``[start:stop]``, if any."""
        mentions = self.mentions
        # in the sorted prefix, a mention starting at or before start - longest ends before start
        for i in range(bisect.bisect_right(self._starts, start - self._longest), self._prefix):
            m = mentions[i]
            if m.start >= stop:
                break
            if start < m.stop and (kinds is None or self.entities[m.entity].kind in kinds):
                return m
        for i in range(self._prefix, len(mentions)):
            m = mentions[i]
            if m.start < stop and start < m.stop and (kinds is None or self.entities[m.entity].kind in kinds):
                return m
        return None

    def _index(self) -> None:
        """The starts and the longest length of the sorted prefix ``mentions[:_prefix]``."""
        prefix = self.mentions[:self._prefix]
        self._starts = [m.start for m in prefix]
        self._longest = max((m.stop - m.start for m in prefix), default=0)

    # -- text helpers -------------------------------------------------------------
    def tok_at(self, offset: int) -> int:
        """Index of the token starting at or before ``offset``."""
        return max(0, bisect.bisect_right(self.tok_starts, offset) - 1)

    def sent_of(self, offset: int) -> tuple[int, int]:
        """The sentence holding ``offset``, else the whole text (sentences are in text order)."""
        at = bisect.bisect_right(self._sent_starts, offset) - 1
        if at >= 0 and offset < self.sents[at][1]:
            return self.sents[at]
        return (0, len(self.text))

    def span(self, start: int, stop: int) -> Span:
        raw_start, raw_stop = self.cleaned.raw_span(start, stop)
        return Span(raw_start, raw_stop, self.doc.text[raw_start:raw_stop])

    def freeze(self) -> tuple[Entity, ...]:
        out = []
        for b in self.entities.values():
            spans = tuple(self.span(s, e) for s, e in sorted(b.mentions))
            spans = tuple(dict.fromkeys(s for s in spans if s.stop > s.start))
            if not spans:
                continue
            out.append(
                Entity(
                    id=b.id,
                    kind=b.kind,
                    key=b.key,
                    label=b.label,
                    mentions=spans,
                    alt_labels=tuple(a for a in b.alt_labels if a and a != b.label),
                    legal_form=b.legal_form,
                    iso_code=b.iso_code,
                    wikidata=b.wikidata,
                    located_in=b.located_in,
                    sectors=tuple(b.sectors),
                )
            )
        return tuple(out)
