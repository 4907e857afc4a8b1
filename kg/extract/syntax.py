"""The dependency parse of a document's sentences, read by natasha's syntax parser (slovnet).

natasha's ``NewsSyntaxParser.map(sentences)`` takes sentences as lists of words and gives
each word an ``id`` (``"5"``), a ``head_id`` (``"0"`` for the root) and a Universal
Dependencies relation ``rel`` (nsubj, obj, obl, nmod, conj, appos, acl, xcomp, parataxis ...);
``Doc.parse_syntax`` is the same call on the document's own tokens. We call ``map`` on words
of our own: every entity mention the readers found («ООО «Сады Приобья»», «Игорь Лебедев»,
«кластера «Сибирский лес»») is given to the parser as ONE word, its case-bearing word
(«ООО», «Лебедев», «кластера»), so that quoted names do not split into nouns the parser
attaches at random. Measured on our challenge sentences, this is what makes lists,
copulas and participles come out as trees a reader can follow.

A ``Tree`` holds ``Word``s with exact cleaned-text offsets (an entity word covers its whole
mention and carries its entity id; ``Context.span`` maps offsets to the raw text), lemma,
UD part of speech and features (from natasha's morphology tagger, run on the whole text),
head and relation. Readers navigate it only through ``Tree``'s methods.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

# relations that open a clause of their own
CLAUSE_RELS = frozenset({"acl", "acl:relcl", "advcl", "ccomp", "csubj", "xcomp", "root"})


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a parsed sentence."""

    index: int  # position in the Tree
    sent: int  # sentence number (Context.sents)
    start: int  # cleaned-text offsets; an entity word covers its whole mention
    stop: int
    text: str  # what the parser read
    lemma: str
    pos: str  # NOUN, PROPN, VERB, ADJ, ADP, PUNCT, ...
    feats: Mapping[str, str]  # {"Case": "Ins", "Number": "Plur", "VerbForm": "Part", ...}
    head: int  # index of the head word; -1 at the sentence's root
    rel: str  # UD relation to the head
    entity: str | None = None  # the entity id when the word stands for a mention

    @property
    def case(self) -> str | None:
        return self.feats.get("Case")

    def feat(self, name: str) -> str | None:
        return self.feats.get(name)


@dataclass(frozen=True, slots=True)
class Piece:
    """A word to parse: the text the parser reads, and what the Word will carry."""

    start: int
    stop: int
    text: str
    lemma: str
    pos: str
    feats: Mapping[str, str]
    entity: str | None = None


@dataclass(slots=True)
class Tree:
    """Dependency trees of some of a document's sentences, one list of words in text order."""

    words: list[Word] = field(default_factory=list)
    _children: list[list[int]] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._children = [[] for _ in self.words]
        for word in self.words:
            if word.head >= 0:
                self._children[word.head].append(word.index)
        self._starts = [w.start for w in self.words]

    def __len__(self) -> int:
        return len(self.words)

    def __getitem__(self, index: int) -> Word:
        return self.words[index]

    def head(self, word: Word) -> Word | None:
        """The head of ``word``; None at a root."""
        return self.words[word.head] if word.head >= 0 else None

    def children(self, word: Word, *rels: str) -> list[Word]:
        """Dependents of ``word`` in text order; only those with one of ``rels`` when given."""
        return [self.words[i] for i in self._children[word.index] if not rels or self.words[i].rel in rels]

    def subtree(self, word: Word, keep: Callable[[Word], bool] | None = None) -> list[Word]:
        """``word`` and its descendants in text order; a dependent for which ``keep`` is
        false is left out with everything below it."""
        out = {word.index}
        stack = [word.index]
        while stack:
            current = stack.pop()
            for i in self._children[current]:
                if i not in out and (keep is None or keep(self.words[i])):
                    out.add(i)
                    stack.append(i)
        return [self.words[i] for i in sorted(out)]

    def ancestors(self, word: Word) -> Iterator[Word]:
        """The head of ``word``, its head, and so on up to the root."""
        seen = {word.index}
        head = word.head
        while head >= 0 and head not in seen:
            seen.add(head)
            yield self.words[head]
            head = self.words[head].head

    def conjuncts(self, word: Word) -> list[Word]:
        """``word`` and the words coordinated with it (``conj`` both ways), in text order."""
        first = word
        while first.rel == "conj" and first.head >= 0:
            first = self.words[first.head]
        out = {first.index}
        stack = [first.index]
        while stack:
            current = stack.pop()
            for child in self._children[current]:
                if self.words[child].rel == "conj" and child not in out:
                    out.add(child)
                    stack.append(child)
        return [self.words[i] for i in sorted(out)]

    def sentence(self, word: Word) -> list[Word]:
        """The words of ``word``'s sentence."""
        first = word.index
        while first > 0 and self.words[first - 1].sent == word.sent:
            first -= 1
        last = word.index
        while last + 1 < len(self.words) and self.words[last + 1].sent == word.sent:
            last += 1
        return self.words[first:last + 1]

    def at(self, offset: int) -> Word | None:
        """The word covering cleaned-text ``offset``."""
        position = bisect.bisect_right(self._starts, offset) - 1
        if position >= 0 and self.words[position].start <= offset < self.words[position].stop:
            return self.words[position]
        return None

    def of_entity(self, entity: str) -> list[Word]:
        """The words standing for mentions of ``entity``."""
        return [w for w in self.words if w.entity == entity]


class SyntaxParser(Protocol):
    """natasha's ``NewsSyntaxParser``: ``map`` over sentences given as lists of words."""

    def map(self, items: Sequence[Sequence[str]]) -> Iterator[Any]: ...


def parse(parser: SyntaxParser, sentences: Sequence[tuple[int, Sequence[Piece]]]) -> Tree:
    """Parse ``(sentence number, pieces)`` in one batch; the Tree's words follow the pieces.

    A head the parser leaves out of the sentence (or a word headed by itself) becomes -1.
    """
    batch = [[p.text for p in pieces] for _, pieces in sentences if pieces]
    markups = iter(parser.map(batch)) if batch else iter(())
    words: list[Word] = []
    for number, pieces in sentences:
        if not pieces:
            continue
        markup = next(markups)
        base = len(words)
        for position, (piece, token) in enumerate(zip(pieces, markup.tokens)):
            try:
                head = int(token.head_id) - 1
            except (TypeError, ValueError):
                head = -1
            head = base + head if 0 <= head < len(pieces) and head != position else -1
            words.append(Word(base + position, number, piece.start, piece.stop, piece.text, piece.lemma,
                              piece.pos, piece.feats, head, str(token.rel or "dep"), piece.entity))
    return Tree(words)


class Lemmatiser:
    """Lemmas chosen by the tagged part of speech and features (natasha's rule), memoised."""

    def __init__(self, morph_vocab: Any) -> None:
        self.vocab = morph_vocab
        self._lemma = lru_cache(maxsize=200_000)(self._compute)

    def __call__(self, text: str, pos: str, feats: Mapping[str, str]) -> str:
        return self._lemma(text, pos, tuple(sorted(feats.items())))

    def _compute(self, text: str, pos: str, feats: tuple[tuple[str, str], ...]) -> str:
        if not any(ch.isalpha() for ch in text):
            return text.lower()
        return str(self.vocab.lemmatize(text, pos, dict(feats))).replace("ё", "е")
