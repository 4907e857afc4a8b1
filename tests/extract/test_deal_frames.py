"""Deals and meetings read as frames over the parse name their rule and confidence (kg.facts.deal_frames)."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.model import Agreement, Event

from .conftest import labels, read

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("text, kind, sides", [
    ("Холдинг «Северсталь-Инвест» купил ООО «Вологодский бумажный комбинат».", "договор купли-продажи",
     {"Северсталь-Инвест", "Вологодский бумажный комбинат"}),
    ("Кредит в 1 млрд рублей ООО «Сурские поля» выдал Россельхозбанк.", "кредитный договор",
     {"Сурские поля", "Россельхозбанк"}),
    ("ФАС оштрафовала ПАО «Пермэнерго» на 500 тысяч рублей.", "штраф", {"ФАС", "Пермэнерго"}),
])
def test_deal_frames_rule_and_sides(extractor: Extractor, text: str, kind: str, sides: set[str]) -> None:
    result = read(extractor, text)
    deals = [f for f in result.facts if isinstance(f, Agreement)]
    assert [(d.type, d.rule, d.confidence) for d in deals] == [(kind, "deal.frame", 0.9)]
    assert labels(result, deals[0].parties) == sides


def test_deal_frames_denied_or_planned_give_nothing(extractor: Extractor) -> None:
    for text in ("ПАО «Ростелеком» планирует купить ООО «Ферма Софт».",
                 "ООО «Агроплюс» отказалось от покупки ООО «Молпродукт».",
                 "АО «Светотех» не стало покупать ООО «Пермский лазер»."):
        assert not [f for f in read(extractor, text).facts if isinstance(f, Agreement)], text


def test_meeting_frame_rule(extractor: Extractor) -> None:
    result = read(extractor, "Министр Ольга Рудакова приняла делегацию компании Bosch.")
    events = [f for f in result.facts if isinstance(f, Event)]
    assert [(e.type, e.rule, e.confidence) for e in events] == [("встреча", "meeting.frame", 0.9)]
    assert labels(result, events[0].participants) == {"Ольга Рудакова", "Bosch"}
