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
