"""kg.extract.gender: the gender a name says, read from our own sentences."""

from __future__ import annotations

import pytest

from kg.extract.gender import first_name_gender, her_surname, surname_gender


@pytest.mark.parametrize(("sentence", "surname", "expected"), [
    ("Как сообщил директор предприятия Белов, продукцию уже заказали.", "Белов", "m"),
    ("Заместитель министра Никитина сообщила, что заявки приняты.", "Никитина", "f"),
    ("Новых участников стало пять, сообщила директор кластера Кольцова.", "Кольцова", "f"),
    ("По словам Громова, дороги отремонтируют к осени.", "Громова", None),  # his genitive or her nominative
    ("Награду вручили Орловой на форуме.", "Орловой", "f"),
    ("Встреча с Орловым прошла в Курске.", "Орловым", "m"),
    ("Как рассказал о планах Сафронова коллегам, работа идёт.", "Сафронова", "m"),  # the verb decides
    ("М. Белова встретилась с представителями компаний.", "Белова", "f"),
    ("Директор филиала Белова подписала приказ.", "Белова", "f"),  # «филиала» is not a verb
    ("Директор Шевчук заявила о планах.", "Шевчук", None),  # no gendered family: the form never says
    ("Ковальская выступила на совете.", "Ковальская", "f"),
    ("Письмо подписал Ковальский.", "Ковальский", "m"),
])
def test_gender_surname_in_its_clause(sentence: str, surname: str, expected: str | None) -> None:
    start = sentence.index(surname)
    assert surname_gender(surname, sentence[:start], sentence[start + len(surname):]) == expected


@pytest.mark.parametrize(("first", "expected"), [
    ("Ольга", "f"), ("Лидия", "f"), ("Гульнара", "f"), ("Айгуль", "f"), ("Алексей", "m"), ("Игорь", "m"),
    ("Илья", "m"), ("Рустем", "m"), ("Anna", None),
])
def test_gender_first_name(first: str, expected: str | None) -> None:
    assert first_name_gender(first) == expected


@pytest.mark.parametrize(("sentence", "written", "natasha", "women", "expected"), [
    ("Директор кластера М. Белова рассказала о планах.", "Белова", "Белов", {}, "Белова"),
    ("Как отметила Л. Карпова, проект идёт.", "Карпова", "Карпов", {}, "Карпова"),
    ("Губернатор наградила Л. Карпова за вклад.", "Карпова", "Карпов", {}, None),  # his accusative
    ("По словам М. Белова, кластер вырос.", "Белова", "Белов", {}, None),  # no evidence: left as it is
    ("По словам М. Белова, кластер вырос.", "Белова", "Белов", {("м", "белова"): "f"}, "Белова"),
    ("По словам М. Белова, кластер вырос.", "Белова", "Белов", {("м", "белов"): "m"}, None),
    ("Как отметил Л. Карпов, проект идёт.", "Карпов", "Карпов", {}, None),  # his form
    ("М. Белова рассказала о планах.", "Белова", "Белова", {}, None),  # natasha already wrote hers
    ("Т. Шевчук сообщила о планах.", "Шевчук", "Шевчук", {}, None),  # no gendered family
    ("С О. Лебединской встретились.", "Лебединской", "Лебединской", {("о", "лебединская"): "f"}, "Лебединская"),
    ("С О. Лебединской встретились.", "Лебединской", "Лебединской", {}, None),  # hers, or his «Донской»: unsaid
    ("Письмо подписал О. Донской.", "Донской", "Донской", {}, None),
])
def test_gender_her_surname_after_an_initial(sentence: str, written: str, natasha: str,
                                             women: dict[tuple[str, str], str], expected: str | None) -> None:
    start = sentence.index(written)
    before = sentence[:start - 3]  # the text before the initial
    initial = sentence[start - 3].lower()  # «М. Белова»
    assert her_surname(written, natasha, before, sentence[start + len(written):], initial, women) == expected
