"""natasha span normalisation (``DocSpan.normalize`` + ``extract_fact``) behind a bounded memo.

``DocSpan.normalize`` reads, for every token of the span, its text, UD part of speech and features
(and, for ORG spans, its syntax ``id``/``head_id``), plus the gaps between tokens (``recover_spaces``);
``extract_fact`` reads only the normal form. The memo key is therefore the span's type and surface text
with, per token, (text, offsets relative to the span, pos, all features, id, head_id): two spans with
equal keys get equal results, so a hit returns exactly what an uncached call would. The same surface
form tagged in another case or gender («Ивана Петрова» as genitive or accusative) is another key.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

# (normal form, name fact as (slot, value) pairs in natasha's slot order)
Normal = tuple[str, tuple[tuple[str, str], ...]]
SpanKey = tuple[Any, ...]


def span_key(span: Any) -> SpanKey:
    """Everything ``normalize_span`` depends on, as a hashable value."""
    base = span.start
    tokens = tuple((t.text, t.start - base, t.stop - base, t.pos, tuple(sorted((t.feats or {}).items())), t.id, t.head_id)
                   for t in span.tokens)
    return (span.type, span.text, tokens)


def normalize_span(span: Any, morph_vocab: Any, names_extractor: Any) -> Normal:
    """The span's normal form and, for PER spans, its name fact; the surface text when natasha fails."""
    try:
        span.normalize(morph_vocab)
        normal = span.normal or span.text
        fact: dict[str, str] = {}
        if span.type == "PER":
            span.extract_fact(names_extractor)
            fact = dict(span.fact.as_dict) if span.fact else {}
    except Exception:  # noqa: BLE001 - natasha normalisation can fail on odd tokens
        return span.text, ()
    return normal, tuple(fact.items())


class SpanNormaliser:
    """``normalize_span`` with a per-extractor LRU memo of at most ``maxsize`` spans."""

    def __init__(self, morph_vocab: Any, names_extractor: Any, maxsize: int = 50_000) -> None:
        self.morph_vocab = morph_vocab
        self.names_extractor = names_extractor
        self.maxsize = maxsize
        self._memo: OrderedDict[SpanKey, Normal] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def __call__(self, span: Any) -> tuple[str, dict[str, str]]:
        key = span_key(span)
        found = self._memo.get(key)
        if found is None:
            self.misses += 1
            found = normalize_span(span, self.morph_vocab, self.names_extractor)
            self._memo[key] = found
            if len(self._memo) > self.maxsize:
                self._memo.popitem(last=False)
        else:
            self.hits += 1
            self._memo.move_to_end(key)
        normal, fact = found
        return normal, dict(fact)
