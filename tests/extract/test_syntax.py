"""kg.extract.syntax: the parse adapter (Tree, parse) and the parse of a document's sentences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Sequence

import pytest

from kg.extract import Extractor
from kg.extract.frames import modality, parse_sentences
from kg.extract.syntax import Piece, Tree, Word, parse
from kg.model import Document, Kind


@dataclass
class _Token:
    id: str
    text: str
    head_id: str
    rel: str


@dataclass
class _Markup:
    tokens: list[_Token]


class _FakeParser:
    """Heads given per sentence as 1-based ids (0: root), like slovnet's markup."""

    def __init__(self, heads: list[list[tuple[int, str]]]) -> None:
        self.heads = heads
        self.seen: list[list[str]] = []

    def map(self, items: Sequence[Sequence[str]]) -> Iterator[Any]:
        for words, heads in zip(items, self.heads):
            self.seen.append(list(words))
            yield _Markup([_Token(str(n), w, str(h), rel) for n, (w, (h, rel)) in enumerate(zip(words, heads), 1)])


def _pieces(text: str, entities: dict[str, str] | None = None) -> list[Piece]:
    out, at = [], 0
    for word in text.split():
        start = text.index(word, at)
        at = start + len(word)
        out.append(Piece(start, at, word, word.lower(), "NOUN", {}, (entities or {}).get(word)))
    return out


def test_syntax_parse_builds_a_tree_with_offsets_and_heads() -> None:
    text = "Кластер объединяет Альфу и Бету"
    parser = _FakeParser([[(2, "nsubj"), (0, "root"), (2, "obj"), (5, "cc"), (3, "conj")]])
    tree = parse(parser, [(0, _pieces(text, {"Альфу": "e1", "Бету": "e2"}))])
    assert [w.head for w in tree.words] == [1, -1, 1, 4, 2]
    assert [text[w.start:w.stop] for w in tree.words] == text.split()
    verb = tree[1]
    assert [w.text for w in tree.children(verb)] == ["Кластер", "Альфу"]
    assert [w.text for w in tree.children(verb, "obj")] == ["Альфу"]
    assert [w.text for w in tree.conjuncts(tree[4])] == ["Альфу", "Бету"]
    assert [w.text for w in tree.subtree(tree[2])] == ["Альфу", "и", "Бету"]
    assert [w.text for w in tree.subtree(verb, keep=lambda w: w.rel != "obj")] == ["Кластер", "объединяет"]
    assert [w.text for w in tree.ancestors(tree[4])] == ["Альфу", "объединяет"]
    assert tree.at(text.index("Бету") + 1) is tree[4] and tree.at(7) is None
    assert [w.entity for w in tree.of_entity("e2")] == ["e2"]


def test_syntax_parse_survives_cycles_and_bad_heads() -> None:
    # a parser error: two words heading each other, a head outside the sentence, a self-loop
    parser = _FakeParser([[(2, "nmod"), (1, "nmod"), (9, "dep"), (4, "dep")]])
    tree = parse(parser, [(3, _pieces("а б в г"))])
    assert [w.head for w in tree.words] == [1, 0, -1, -1]
    assert [w.text for w in tree.subtree(tree[0])] == ["а", "б"]
    assert [w.text for w in tree.ancestors(tree[0])] == ["б"]
    assert {w.sent for w in tree.words} == {3}


def test_syntax_parse_batches_sentences_and_skips_empty_ones() -> None:
    parser = _FakeParser([[(0, "root")], [(0, "root"), (1, "obj")]])
    tree = parse(parser, [(0, _pieces("Один")), (1, []), (2, _pieces("Два три"))])
    assert parser.seen == [["Один"], ["Два", "три"]]
    assert [(w.sent, w.head) for w in tree.words] == [(0, -1), (2, -1), (2, 1)]
    assert Tree().words == [] and parse(parser, []).words == []


def _word(index: int, text: str, lemma: str, head: int, rel: str) -> Word:
    return Word(index, 0, index * 10, index * 10 + len(text), text, lemma, "VERB", {}, head, rel)


@pytest.mark.parametrize(
    "words, expected",
    [
        ([_word(0, "вошла", "войти", -1, "root")], None),
        ([_word(0, "не", "не", 1, "advmod"), _word(1, "вошла", "войти", -1, "root")], "negated"),
        ([_word(0, "планирует", "планировать", -1, "root"), _word(1, "войти", "войти", 0, "xcomp")], "planned"),
        ([_word(0, "может", "мочь", -1, "root"), _word(1, "стать", "стать", 0, "xcomp")], "planned"),
        ([_word(0, "не", "не", 1, "advmod"), _word(1, "хочет", "хотеть", -1, "root"),
          _word(2, "войти", "войти", 1, "xcomp")], "negated"),
        # a denied verb the predicate does not hang on as its infinitive does not count
        ([_word(0, "не", "не", 1, "advmod"), _word(1, "сказал", "сказать", -1, "root"),
          _word(2, "вошла", "войти", 1, "ccomp")], None),
    ],
)
def test_frames_modality(words: list[Word], expected: str | None) -> None:
    tree = Tree(words)
    assert modality(tree, tree[len(words) - 1]) == expected


@pytest.mark.slow
def test_syntax_of_a_document_has_mentions_as_words(extractor: Extractor) -> None:
    text = "В состaв клaстерa «Кама-Полимер» вошли ООО «Кампласт» и Иван Петров. Погода хорошая."
    doc = Document("t", text)
    ctx, _ = extractor._analyse(doc)
    from kg.extract.readers.orgs import find_legal_orgs

    find_legal_orgs(ctx, extractor.yargy.legal_orgs(ctx))
    person = ctx.entity(Kind.PERSON, "иван петров", "Иван Петров", text.index("Иван"), text.index("."))
    tree = parse_sentences(ctx, extractor.syntax_parser, extractor.lemmatise, lambda start, stop: start == 0)
    assert tree is ctx.syntax and {w.sent for w in tree.words} == {0}
    entity_words = [w for w in tree.words if w.entity is not None]
    assert {ctx.text[w.start:w.stop] for w in entity_words} >= {"ООО «Кампласт»", "Иван Петров"}
    assert next(w for w in entity_words if w.entity == person).text == "Петров"
    verb = next(w for w in tree.words if w.lemma == "войти")
    assert ctx.span(verb.start, verb.stop).text == "вошли"
    cluster_word = next(w for w in tree.words if w.lemma == "кластер")
    assert ctx.span(cluster_word.start, cluster_word.stop).text == "клaстерa"  # raw text, Latin «a» kept
