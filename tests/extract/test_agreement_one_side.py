"""A contract whose one named side signs it («X заключило контракт на поставку …») is read with that one
party (kg.facts.agreement ``_one_side``); a lone person, a denial or a plan gives none."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.model import Agreement

from .conftest import labels, read

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("text, kind, side", [
    ("Департамент здравоохранения Тверской области заключил контракт на закупку рентгеновских аппаратов.",
     "контракт", "Департамент здравоохранения Тверской области"),
    ("ООО «Вологодская нить» подписало контракт на поставку пряжи на 300 млн рублей.", "контракт", "Вологодская нить"),
    ("АО «Кирилловская вышивка» заключило договор с иностранным покупателем.", "договор", "Кирилловская вышивка"),
])
def test_agreement_one_side_named(extractor: Extractor, text: str, kind: str, side: str) -> None:
    result = read(extractor, text)
    agreements = [f for f in result.facts if isinstance(f, Agreement)]
    assert [(a.type, a.rule) for a in agreements] == [(kind, "agreement.grammar")]
    assert labels(result, agreements[0].parties) == {side}


@pytest.mark.parametrize("text", [
    "ООО «Вологодская нить» не подписало контракт на поставку пряжи.",
    "ООО «Вологодская нить» планирует заключить контракт на поставку пряжи.",
    "Губернатор Иван Петров подписал договор с инвестором.",
    "Контракт на поставку пряжи ООО «Вологодская нить» пока не заключён.",
])
def test_agreement_one_side_denied_planned_or_personal_gives_nothing(extractor: Extractor, text: str) -> None:
    assert not [f for f in read(extractor, text).facts if isinstance(f, Agreement)], text
