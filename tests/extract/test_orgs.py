"""Organisations: legal forms, nested quotes, homoglyphs, authorities."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.model import Kind

from .conftest import by_label, read

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    "text, label, form, kind",
    [
        ("Завод построит ООО «Ромашка».", "Ромашка", "ООО", Kind.COMPANY),
        ("Соглашение подписало ЗАО «Северный ветер».", "Северный ветер", "ЗАО", Kind.COMPANY),
        ("Проект ведёт АНО «Центр компетенций».", "Центр компетенций", "АНО", Kind.ORGANIZATION),
        ("Директор ОАО «ОЭЗ «Технополис» выступил с докладом.", "ОЭЗ «Технополис»", "ОАО", Kind.COMPANY),
        ("Учредителем стало НП «Союз станкостроителей».", "Союз станкостроителей", "НП", Kind.ORGANIZATION),
    ],
)
def test_orgs_legal_form_is_split_from_label(extractor: Extractor, text: str, label: str, form: str, kind: Kind) -> None:
    org = by_label(read(extractor, text), label)
    assert org.legal_form == form
    assert org.kind == kind
    assert org.key == label.lower().replace("«", "").replace("»", "").strip()


def test_orgs_homoglyphs_fold_into_one_company(extractor: Extractor) -> None:
    text = "Меморандум подписан с компанией АSIS (с кириллической А). Компания ASIS из Германии довольна."
    result = read(extractor, text)
    companies = [e for e in result.entities if e.key == "asis"]
    assert len(companies) == 1
    assert companies[0].label == "ASIS"
    assert len(companies[0].mentions) == 2


@pytest.mark.parametrize(
    "text, label, iso",
    [
        ("Правительство Курской области одобрило проект.", "Правительство Курской области", "RU-KRS"),
        ("Министерство промышленности Самарской области поддержало идею.", "Министерство промышленности Самарской области",
         "RU-SAM"),
    ],
)
def test_orgs_authorities_are_located(extractor: Extractor, text: str, label: str, iso: str) -> None:
    result = read(extractor, text)
    authority = by_label(result, label, Kind.AUTHORITY)
    assert result.entity(authority.located_in or "").iso_code == iso


def test_orgs_bare_government_takes_the_document_region(extractor: Extractor) -> None:
    text = "Кировская область готовит кластер. Проект поддержало правительство области."
    result = read(extractor, text)
    authority = next(e for e in result.entities if e.kind == Kind.AUTHORITY)
    assert authority.key == "правительство кировской области"
    assert result.entity(authority.located_in or "").iso_code == "RU-KIR"


def test_orgs_quoted_member_list_are_companies(extractor: Extractor) -> None:
    text = "Продукцию показали компании-участники: «Альфа-Сервис», «Omega Systems», «Бета»."
    result = read(extractor, text)
    for label in ("Альфа-Сервис", "Omega Systems", "Бета"):
        assert by_label(result, label).kind == Kind.COMPANY


@pytest.mark.parametrize(
    "text, label, mention",
    [
        ("Председатель Исламского комитета России Гейдар Джемаль дал интервью.", "Исламский комитет России",
         "Исламского комитета России"),
        ("Член Палаты представителей Конгресса США Джон Смит прилетел в Москву.",
         "Палата представителей Конгресса США", "Палаты представителей Конгресса США"),
        ("Заместитель директора Федеральной службы безопасности России Олег Петров выступил.",
         "Федеральная служба безопасности России", "Федеральной службы безопасности России"),
    ],
)
def test_orgs_name_goes_on_over_the_country_after_it(extractor: Extractor, text: str, label: str, mention: str) -> None:
    result = read(extractor, text)
    org = by_label(result, label)
    assert [m.text for m in org.mentions] == [mention]
    assert by_label(result, label.split()[-1] if label.endswith("США") else "Россия", Kind.COUNTRY)


def test_orgs_country_after_an_organisation_and_a_comma_stays_apart(extractor: Extractor) -> None:
    result = read(extractor, "Исламский комитет, Россия и Казахстан подписали обращение.")
    assert not any(e.label.endswith("Россия") and e.kind != Kind.COUNTRY for e in result.entities)


def test_orgs_country_adjective_after_an_organisation_stays_apart(extractor: Extractor) -> None:
    result = read(extractor, "Наблюдатель от ОБСЕ испанский парламентарий Хуан Гарсия сообщил о нарушениях.")
    assert by_label(result, "ОБСЕ").mentions[0].text == "ОБСЕ"
    assert by_label(result, "Испания", Kind.COUNTRY).mentions[0].text == "испанский"


def test_orgs_abbreviation_in_brackets_is_a_second_mention(extractor: Extractor) -> None:
    result = read(extractor, "Заявление сделал Объединённый союз фермеров (ОСФ) в понедельник.")
    org = by_label(result, "Объединённый союз фермеров")
    assert [m.text for m in org.mentions] == ["Объединённый союз фермеров", "ОСФ"]
    assert "ОСФ" in org.alt_labels


def test_orgs_authority_name_stops_before_a_person(extractor: Extractor) -> None:
    result = read(extractor, "Позицию объяснил глава министерства иностранных дел Барри Лоуенкрон.")
    assert by_label(result, "министерство иностранных дел").mentions[0].text == "министерства иностранных дел"
