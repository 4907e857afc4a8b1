"""The memoised span normaliser answers exactly as natasha's uncached normalize + extract_fact."""

from __future__ import annotations

import pytest
from natasha import Doc
from natasha.doc import DocSpan, DocToken

from kg.extract import Extractor
from kg.extract.names import SpanNormaliser, normalize_span, span_key

pytestmark = pytest.mark.slow

# our own sentences: the same surface forms in several cases, genders and span types
SENTENCES = [
    "Иван Петров встретился с Анной Петровой в Казани.",
    "Премию вручили Ивану Петрову, а Анна Петрова поздравила его.",
    "Без Ивана Петрова и Анны Петровой совещание в Казани не начали.",
    "Губернатор Тверской области Игорь Руденя посетил ООО «Ромашка».",
    "В Тверской области открыли цех; Игоря Руденю встретили рабочие ООО «Ромашка».",
    "Министерство промышленности Республики Татарстан и Министерству промышленности Республики Татарстан.",
    "Саша Петрова и Саша Петров прибыли в Москву, о Саше Петровой писали газеты Москвы.",
    "Ивану Петрову, Иване Петрове, Иваном Петровым: формы одного имени.",
]


def natasha_spans(extractor: Extractor, text: str) -> list[DocSpan]:
    doc = Doc(text)
    doc.segment(extractor.segmenter)
    doc.tag_morph(extractor.morph_tagger)
    doc.tag_ner(extractor.ner_tagger)
    return list(doc.spans)


def test_names_cached_agrees_with_uncached_across_sentences(extractor: Extractor) -> None:
    cached = SpanNormaliser(extractor.morph_vocab, extractor.names_extractor)
    checked = 0
    for _ in range(2):  # the second pass is answered from the memo
        for text in SENTENCES:
            for span in natasha_spans(extractor, text):
                expected_normal, expected_fact = normalize_span(span, extractor.morph_vocab, extractor.names_extractor)
                assert cached(span) == (expected_normal, dict(expected_fact)), span.text
                checked += 1
    assert cached.hits >= checked // 2 and checked > 20


def _span(words: list[tuple[str, str, dict[str, str]]], kind: str = "PER") -> DocSpan:
    tokens, offset = [], 0
    for text, pos, feats in words:
        tokens.append(DocToken(offset, offset + len(text), text, pos=pos, feats=dict(feats)))
        offset += len(text) + 1
    return DocSpan(0, offset - 1, kind, " ".join(w for w, _, _ in words), tokens=tokens)


@pytest.mark.parametrize(
    "words",
    [
        [("Петрова", "PROPN", {"Case": "Gen", "Gender": "Masc", "Number": "Sing"})],
        [("Петрова", "PROPN", {"Case": "Nom", "Gender": "Fem", "Number": "Sing"})],
        [("Петрова", "PROPN", {"Case": "Acc", "Gender": "Masc", "Number": "Sing"})],
        [("Саше", "PROPN", {"Case": "Dat", "Gender": "Fem", "Number": "Sing"}),
         ("Петровой", "PROPN", {"Case": "Dat", "Gender": "Fem", "Number": "Sing"})],
        [("Саше", "PROPN", {"Case": "Dat", "Gender": "Masc", "Number": "Sing"}),
         ("Петрову", "PROPN", {"Case": "Dat", "Gender": "Masc", "Number": "Sing"})],
    ],
)
def test_names_same_surface_other_tags_is_another_entry(extractor: Extractor, words: list[tuple[str, str, dict[str, str]]]) -> None:
    cached = SpanNormaliser(extractor.morph_vocab, extractor.names_extractor)
    # fill the memo with the same surface in every other tagging first
    for case in ("Nom", "Gen", "Dat", "Acc", "Ins", "Loc"):
        for gender in ("Masc", "Fem"):
            cached(_span([(w, p, {**f, "Case": case, "Gender": gender}) for w, p, f in words]))
    span = _span(words)
    expected_normal, expected_fact = normalize_span(_span(words), extractor.morph_vocab, extractor.names_extractor)
    assert cached(span) == (expected_normal, dict(expected_fact))


def test_names_key_reads_tags_offsets_and_type() -> None:
    base = [("Петрова", "PROPN", {"Case": "Gen", "Gender": "Masc", "Number": "Sing"})]
    other_case = [("Петрова", "PROPN", {"Case": "Nom", "Gender": "Fem", "Number": "Sing"})]
    other_pos = [("Петрова", "NOUN", {"Case": "Gen", "Gender": "Masc", "Number": "Sing"})]
    keys = {span_key(_span(base)), span_key(_span(other_case)), span_key(_span(other_pos)), span_key(_span(base, "ORG"))}
    assert len(keys) == 4
    assert span_key(_span(base)) == span_key(_span(base))


def test_names_memo_is_bounded(extractor: Extractor) -> None:
    cached = SpanNormaliser(extractor.morph_vocab, extractor.names_extractor, maxsize=3)
    for name in ("Анна", "Ольга", "Мария", "Елена", "Ирина"):
        cached(_span([(name, "PROPN", {"Case": "Nom", "Gender": "Fem", "Number": "Sing"})]))
    assert len(cached._memo) == 3 and cached.misses == 5
