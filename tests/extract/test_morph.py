"""The memoised nominative_phrase answers as the uncached computation, phrase by phrase."""

from __future__ import annotations

import pytest

from kg.extract import Extractor

pytestmark = pytest.mark.slow

# our own phrases: the same words in other cases, numbers and capitalisations
PHRASES = [
    "генерального директора",
    "Генерального директора",
    "ГЕНЕРАЛЬНОГО ДИРЕКТОРА",
    "генеральным директором",
    "заместителя Председателя Правительства",
    "заместителю председателя правительства",
    "Передовые инженерные школы",
    "Передовых инженерных школ",
    "машиностроительного кластера Алтайского края",
    "машиностроительному кластеру",
    "Тверской области",
]


def test_morph_memoised_nominative_agrees_with_uncached(extractor: Extractor) -> None:
    morph = extractor.morph
    expected = {phrase: morph._nominative_phrase(phrase, True) for phrase in PHRASES}
    for _ in range(2):  # the second pass is answered from the memo
        for phrase in PHRASES:
            assert morph.nominative_phrase(phrase) == expected[phrase], phrase
    assert len(set(expected.values())) > len(PHRASES) // 2  # the table holds different answers


def test_morph_nominative_keeps_the_case_of_letters(extractor: Extractor) -> None:
    morph = extractor.morph
    assert morph.nominative_phrase("генерального директора") == "генеральный директор"
    assert morph.nominative_phrase("Генерального директора") == "Генеральный директор"
    assert morph.nominative_phrase("ГЕНЕРАЛЬНОГО ДИРЕКТОРА") == "ГЕНЕРАЛЬНЫЙ ДИРЕКТОР"
