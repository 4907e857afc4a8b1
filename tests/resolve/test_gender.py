"""kg.resolve.gender: the gender a name says, read from our own sentences."""

from __future__ import annotations

import pytest

from kg.resolve.gender import first_name_gender, surname_gender


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
