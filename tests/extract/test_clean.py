"""clean(): cleaned view with an exact map back to raw offsets."""

from __future__ import annotations

import pytest

from kg.extract.clean import clean


@pytest.mark.parametrize(
    "raw, cleaned",
    [
        ("областиАлексея Орлова", "области Алексея Орлова"),
        ("ООО «БиоХимЗавод»", "ООО «БиоХимЗавод»"),
        ("<p>Привет&nbsp;мир</p>", "\nПривет мир\n"),
        ("a<script>var x = '<b>';</script>b", "a b"),
        ("<style>p {}</style>текст", " текст"),
        ("a\x00b\x07c", "a b c"),
        ("&laquo;Ромашка&raquo;", "«Ромашка»"),
        ("", ""),
    ],
)
def test_clean_text(raw: str, cleaned: str) -> None:
    assert clean(raw).text == cleaned


@pytest.mark.parametrize(
    "raw, needle, expected",
    [
        ("заместителя областиАлексея Орлова", "Алексея Орлова", "Алексея Орлова"),
        ("<b>Иван</b> &laquo;Ромашка&raquo;", "«Ромашка»", "&laquo;Ромашка&raquo;"),
        ("<i>Иван Петров</i>", "Иван Петров", "Иван Петров"),
    ],
)
def test_clean_raw_span_maps_back(raw: str, needle: str, expected: str) -> None:
    view = clean(raw)
    start = view.text.index(needle)
    raw_start, raw_stop = view.raw_span(start, start + len(needle))
    assert raw[raw_start:raw_stop] == expected


@pytest.mark.parametrize(
    "raw, cleaned",
    [
        ("В состaв клaстерa вошли", "В состав кластера вошли"),  # Latin «a» inside Cyrillic words
        ("компанией АSIS.", "компанией ASIS."),  # Cyrillic «А» inside a Latin word
        ("ИТ-клaстер и IT-кластер", "ИТ-кластер и IT-кластер"),
        ("<p>Губернaтор</p>", "\nГубернатор\n"),
        ("Участники ‒ ООО «А» – и − всё", "Участники — ООО «А» — и — всё"),
        ("в 2012–2014 годах", "в 2012–2014 годах"),  # a dash between digits is a range, not a copula
        ("Boeing и Airbus", "Boeing и Airbus"),
    ],
)
def test_clean_noise_of_real_pages(raw: str, cleaned: str) -> None:
    view = clean(raw)
    assert view.text == cleaned
    for index in range(len(view.text)):  # one character for one: offsets stay exact
        start, stop = view.raw_span(index, index + 1)
        assert stop - start <= 1 or raw[start] == "<" or raw[start] == "&"
