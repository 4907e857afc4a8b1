"""clean(): cleaned view with an exact map back to raw offsets."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
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
        ("ТОМСК, 2 июня — Томская область", "Томск, 2 июня — Томская область"),  # a dateline's town in capitals
        ("Итоги.\nРОСТОВ-НА-ДОНУ, 3 апр. ООО", "Итоги.\nРостов-на-Дону, 3 апр. ООО"),
        ("НИЖНИЙ НОВГОРОД,\xa014\xa0февраля", "Нижний Новгород, 14 февраля"),
        ("ООО «ТОМСК», 2 июня", "ООО «ТОМСК», 2 июня"),  # not at the start of a line: a name
        ("ТОМСК, ул. Ленина", "ТОМСК, ул. Ленина"),  # no date: left alone
    ],
)
def test_clean_noise_of_real_pages(raw: str, cleaned: str) -> None:
    view = clean(raw)
    assert view.text == cleaned
    for index in range(len(view.text)):  # one character for one: offsets stay exact
        start, stop = view.raw_span(index, index + 1)
        assert stop - start <= 1 or raw[start] == "<" or raw[start] == "&"


def test_clean_dateline_town_is_a_place_with_exact_offsets(extractor: Extractor) -> None:
    from kg.model import Document, Kind

    raw = "ТОМСК, 2\xa0июня\xa0—\xa0Томская область и АО «Сибирский химический комбинат» заключили соглашение."
    result = extractor.extract(Document(id="d", text=raw))
    assert not [e for e in result.entities if e.kind in (Kind.ORGANIZATION, Kind.COMPANY) and "ТОМСК" in e.label.upper()
                and "КОМБИНАТ" not in e.label.upper()]
    town = [m for e in result.entities if e.kind == Kind.SETTLEMENT for m in e.mentions]
    assert [(m.start, m.stop, m.text) for m in town] == [(0, 5, "ТОМСК")]
    for entity in result.entities:
        for mention in entity.mentions:
            assert raw[mention.start:mention.stop] == mention.text
