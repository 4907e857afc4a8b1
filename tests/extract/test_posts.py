"""Posts: where a title is held (the unit a descriptive noun group names), the title's own words."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.model import Agreement, Post

from .conftest import labels, read

pytestmark = pytest.mark.slow


def posts(extractor: Extractor, text: str) -> list[tuple[str, str, str | None, str | None]]:
    """(holder, title, post_in label, post_in mention) of every Post."""
    result = read(extractor, text)
    out = []
    for fact in result.facts:
        if isinstance(fact, Post):
            where = result.entity(fact.post_in) if fact.post_in else None
            out.append((result.entity(fact.holder).label, fact.title, where.label if where else None,
                        where.mentions[0].text if where else None))
    return out


@pytest.mark.parametrize(
    "text, holder, title, where, mention",
    [
        ("Депутатов поддержал руководитель фракции ЛДПР Олег Лебедев.", "Олег Лебедев", "руководитель",
         "фракция ЛДПР", "фракции ЛДПР"),
        ("Слово взял Пётр Волков, начальник отдела продаж и маркетинга Siemens.", "Петр Волков", "начальник",
         "отдел продаж и маркетинга Siemens", "отдела продаж и маркетинга Siemens"),
        ("Глава посольства Франции в Москве Жан Дюбуа вручил награду.", "Жан Дюбуа", "глава",
         "посольство Франции", "посольства Франции"),
        ("Как заявил глава китайского МИДа Ли Мин, переговоры продолжатся.", "Ли Мин", "глава",
         "китайский МИД", "китайского МИДа"),
        ("Заявление сделал председатель Совета ветеранов России Игорь Белов.", "Игорь Белов", "председатель",
         "Совет ветеранов России", "Совета ветеранов России"),
        ("Новость подтвердил пресс-секретарь Следственного управления при прокуратуре Анна Котова.", "Анна Котова",
         "пресс-секретарь", "Следственное управление при прокуратуре", "Следственного управления при прокуратуре"),
        ("Ответил Сергей Зайцев, начальник пресс-службы МВД по Республике Карелия.", "Сергей Зайцев", "начальник",
         "пресс-служба МВД по Республике Карелия", "пресс-службы МВД по Республике Карелия"),
        ("Глава грузинской делегации на встрече Давид Бакрадзе выступил первым.", "Давид Бакрадзе", "глава",
         "грузинская делегация", "грузинской делегации"),
        ("Председатель московского отделения партии «Зелёные» Ирина Соколова выступила.", "Ирина Соколова",
         "председатель", "московское отделение партии «Зелёные»", "московского отделения партии «Зелёные»"),
    ],
)
def test_posts_held_in_the_unit_a_genitive_group_names(
    extractor: Extractor, text: str, holder: str, title: str, where: str, mention: str
) -> None:
    assert (holder, title, where, mention) in posts(extractor, text)


@pytest.mark.parametrize(
    "text, holder, title, where",
    [
        # a place right after the title is the place, not a unit
        ("Губернатор Тульской области Алексей Дюмин открыл завод.", "Алексей Дюмин", "губернатор", "Тульская область"),
        # the title's field is no organisation
        ("Выступил министр культуры Республики Коми Павел Ковалёв.", "Павел Ковалев", "министр культуры", "Республика Коми"),
        # a unit noun without a name in its group gives no organisation
        ("Выступил начальник отдела кадров Пётр Лосев.", "Петр Лосев", "начальник", None),
    ],
)
def test_posts_unit_group_needs_a_unit_noun_and_a_name(
    extractor: Extractor, text: str, holder: str, title: str, where: str | None
) -> None:
    assert [(h, t, w) for h, t, w, _ in posts(extractor, text)] == [(holder, title, where)]


@pytest.mark.parametrize(
    "text, parties",
    [
        ("Siemens объявила о покупке стартапа Alpha, сообщил Пётр Волков, начальник отдела продаж и маркетинга Siemens.",
         {"Siemens", "Alpha"}),
        # a state inside its authority stays a side of its own
        ("Правительство Белоруссии получило кредит от ВТБ.", {"Правительство Белоруссии", "Белоруссия", "ВТБ"}),
    ],
)
def test_posts_unit_and_its_organisation_are_one_deal_side(
    extractor: Extractor, text: str, parties: set[str] | None
) -> None:
    result = read(extractor, text)
    deals = [labels(result, f.parties) for f in result.facts if isinstance(f, Agreement)]
    assert deals == ([parties] if parties else [])
