"""Name forms used for matching: table tests with our own examples."""

from __future__ import annotations

import pytest

from kg.resolve.names import abbreviates, fold, initials, is_abbreviation, name_key, skeleton, strip_legal_form, words


@pytest.mark.parametrize(("text", "expected"), [
    ("ООО «Ферма Софт»", "ооо ферма софт"),
    ("Пётр  Дёмин", "петр демин"),
    ("АSIS", "asis"),  # Cyrillic А in a Latin word
    ("«Сигнал–Пенза»", "сигнал-пенза"),
    ("ЗАО\u00a0«Алтайские травы»", "зао алтайские травы"),
])
def test_names_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_names_strip_legal_form_both_ends() -> None:
    assert strip_legal_form(words("ООО «Логикон»")) == ["логикон"]
    assert strip_legal_form(words("ФГБОУ ВО «Пензенский университет»")) == ["пензенский", "университет"]
    assert strip_legal_form(words("«Вектор» ООО")) == ["вектор"]


def test_names_key_ignores_inflection() -> None:
    lemma = {"объединенной": "объединенный", "объединенная": "объединенный", "судостроительной": "судостроительный",
             "судостроительная": "судостроительный", "корпорации": "корпорация", "корпорация": "корпорация"}.get
    assert name_key("Объединённой судостроительной корпорации", lambda w: lemma(w, w)) == \
        name_key("Объединённая судостроительная корпорация", lambda w: lemma(w, w))


@pytest.mark.parametrize(("latin", "cyrillic"), [
    ("Hemofarm", "Хемофарм"), ("Novo Nordisk", "Ново Нордиск"), ("Novo Nordisk", "Нова Нордиск"),
    ("Berlin-Chemie", "Берлин-Хеми"), ("Siemens", "Сименс"), ("Schneider Electric", "Шнайдер Электрик"),
    ("Indesit", "Индезит"), ("Microsoft", "Майкрософт"),
])
def test_names_skeleton_is_script_neutral(latin: str, cyrillic: str) -> None:
    assert skeleton(latin) == skeleton(cyrillic)


@pytest.mark.parametrize(("a", "b"), [("Газпром", "Газпром нефть"), ("Ростех", "Роснефть"), ("Сибур", "Сбербанк")])
def test_names_skeleton_tells_different_names_apart(a: str, b: str) -> None:
    assert skeleton(a) != skeleton(b)


@pytest.mark.parametrize(("short", "full", "expected"), [
    ("Минпромторг", "Министерство промышленности и торговли", True),
    ("Минпромэнерго", "министерство промышленности и энергетики Чувашской Республики", True),
    ("Минэкономразвития", "Министерство экономического развития и внешних связей", True),
    ("Минсельхоз", "Министерство сельского хозяйства", True),
    ("Минпромторг", "Министерство природных ресурсов", False),
    ("Минсельхоз", "Министерство строительства", False),
    ("Минфин", "Департамент финансов", False),
])
def test_names_abbreviates(short: str, full: str, expected: bool) -> None:
    assert abbreviates(short, full) is expected


def test_names_initials_and_abbreviations() -> None:
    assert initials("Объединённая авиастроительная компания") == "оак"
    assert initials("Фонд развития промышленности") == "фрп"
    assert is_abbreviation("ОАК") and is_abbreviation("КнААПО")
    assert not is_abbreviation("Ростех") and not is_abbreviation("О")
