"""Agreements, events, deals, places and dates."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.extract.readers.dates import find_dates
from kg.model import Agreement, DateKind, Event, Kind

from .conftest import by_label, labels, read

pytestmark = pytest.mark.slow


def test_facts_agreement_sides_signatories_witness(extractor: Extractor) -> None:
    text = ("12 мая в присутствии губернатора Омской области Виталия Хоценко состоялось подписание соглашения "
            "о сотрудничестве кластера «Омский химик» с компанией Nordchem. Со стороны кластера соглашение подписал "
            "директор АНО «Центр кластерного развития» Павел Орлов. Со стороны партнёра — генеральный директор "
            "компании Nordchem Ларс Нильсен.")
    result = read(extractor, text, date="2023-06-01")
    agreement = next(f for f in result.facts if isinstance(f, Agreement))
    assert agreement.type == "соглашение о сотрудничестве"
    assert labels(result, agreement.signatories) == {"Павел Орлов", "Ларс Нильсен"}
    assert labels(result, agreement.witnesses) == {"Виталий Хоценко"}
    assert {"Омский химик", "Nordchem"} <= labels(result, agreement.parties)
    assert agreement.date is not None and agreement.date.value == "2023-05-12"


def test_facts_agreement_parties_before_signing_verb(extractor: Extractor) -> None:
    text = "Правительство Томской области и ООО «Сибирский лес» подписали договор о сотрудничестве."
    result = read(extractor, text)
    agreement = next(f for f in result.facts if isinstance(f, Agreement))
    assert labels(result, agreement.parties) == {"Правительство Томской области", "Сибирский лес"}


@pytest.mark.parametrize(
    "text, typ, label",
    [
        ("На Петербургском международном экономическом форуме подписали соглашение.", "форум",
         "Петербургский международный экономический форум"),
        ("В Омске прошёл круглый стол о развитии кластеров.", "круглый стол", None),
        ("Губернатор Игорь Васильев провёл совещание с руководителями предприятий.", "совещание", None),
        ("Открылась выставка «Иннопром».", "выставка", "выставка «Иннопром»"),
    ],
)
def test_facts_events(extractor: Extractor, text: str, typ: str, label: str | None) -> None:
    events = [f for f in read(extractor, text).facts if isinstance(f, Event)]
    assert any(e.type == typ and e.label == label for e in events), events


def test_facts_meeting_participants(extractor: Extractor) -> None:
    text = "Губернатор Андрей Никитин встретился с министром Денисом Мантуровым в Москве."
    result = read(extractor, text)
    event = next(f for f in result.facts if isinstance(f, Event))
    assert event.type == "встреча"
    assert labels(result, event.participants) == {"Андрей Никитин", "Денис Мантуров"}


@pytest.mark.parametrize(
    "text",
    [
        "Компания Oracle купила компанию Sun Microsystems за 7,4 млрд долларов.",
        "Регулятор одобрил слияние компаний Intel и Nokia.",
        "Фонд Orion продолжает скупать акции компании Zenit.",
    ],
)
def test_facts_purchase_is_a_deal(extractor: Extractor, text: str) -> None:
    result = read(extractor, text)
    deal = next(f for f in result.facts if isinstance(f, Agreement))
    assert "купли-продажи" in deal.type
    assert len(deal.parties) == 2


@pytest.mark.parametrize(
    "text, label, kind, container, iso",
    [
        ("Завод открыли в Череповце.", "Череповец", Kind.SETTLEMENT, "Вологодская область", None),
        ("Делегация приехала в Обнинск.", "Обнинск", Kind.SETTLEMENT, "Калужская область", None),
        ("В Калужском регионе растёт выпуск.", "Калужская область", Kind.REGION, None, "RU-KLU"),
        ("Делегация из французской провинции Лимузен прибыла.", "Лимузен", Kind.REGION, "Франция", None),
        ("Переговоры с немецким партнёром идут.", "Германия", Kind.COUNTRY, None, "DE"),
    ],
)
def test_facts_places(extractor: Extractor, text: str, label: str, kind: Kind, container: str | None,
                      iso: str | None) -> None:
    result = read(extractor, text)
    place = by_label(result, label, kind)
    if container is not None:
        assert result.entity(place.located_in or "").label == container
    if iso is not None:
        assert place.iso_code == iso


def test_facts_region_wikidata_only_when_verified(extractor: Extractor) -> None:
    result = read(extractor, "Проект в Свердловской области и в Калужской области.")
    assert by_label(result, "Свердловская область").wikidata == "Q5462"  # NEREL-verified
    assert by_label(result, "Калужская область").wikidata is None  # UNVERIFIED in the reference


@pytest.mark.parametrize(
    "text, doc_date, value, kind",
    [
        ("9 апреля прошла встреча", "2024-06-01", "2024-04-09", DateKind.DATE),
        ("9 апреля прошла встреча", None, "--04-09", DateKind.MONTH_DAY),
        ("17 апреля 2014 года прошла встреча", None, "2014-04-17", DateKind.DATE),
        ("в апреле 2014 г. прошла встреча", None, "2014-04", DateKind.YEAR_MONTH),
        ("создать к 2030 году", None, "2030", DateKind.YEAR),
        ("в 2012-2014 гг. создать", None, "2012", DateKind.YEAR),
    ],
)
def test_facts_dates(text: str, doc_date: str | None, value: str, kind: DateKind) -> None:
    hits = find_dates(text, doc_date)
    assert hits and hits[0].value.value == value and hits[0].value.kind == kind
