"""Persons and posts: cases, orders, abbreviations; nominative titles and labels."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.model import Kind, Post

from .conftest import read

pytestmark = pytest.mark.slow


def posts(extractor: Extractor, text: str) -> dict[str, tuple[str, str | None]]:
    result = read(extractor, text)
    out = {}
    for fact in result.facts:
        if isinstance(fact, Post):
            where = result.entity(fact.post_in).label if fact.post_in else None
            out[result.entity(fact.holder).label] = (fact.title, where)
    return out


@pytest.mark.parametrize(
    "text, person, title, where",
    [
        ("Совещание провёл губернатор Тверской области Игорь Руденя.", "Игорь Руденя", "губернатор", "Тверская область"),
        ("Слово дали генеральному директору ООО «Лютик» Ивану Петрову.", "Иван Петров", "генеральный директор", "Лютик"),
        ("Документ подписан генеральным директором АО «Вектор» Олегом Смирновым.", "Олег Смирнов", "генеральный директор", "Вектор"),
        ("В присутствии заместителя губернатора Пензенской области Сергея Волкова открыли цех.",
         "Сергей Волков", "заместитель губернатора", "Пензенская область"),
        ("Выступил министр экономики Республики Татарстан Ильдар Газизов.", "Ильдар Газизов", "министр экономики",
         "Республика Татарстан"),
        ("Гендиректор ПАО «Звезда» Пётр Кузнецов сообщил о планах.", "Пётр Кузнецов", "гендиректор", "Звезда"),
        ("Со стороны партнёра — управляющий директор компании Helios Томас Мюллер.", "Томас Мюллер",
         "управляющий директор", "Helios"),
        ("Об этом рассказал Николай Сидоров, ректор Университета Лобачевского.", "Николай Сидоров", "ректор", None),
        ("Депутат Госдумы от Пермского края Иван Петров выступил.", "Иван Петров", "депутат", "Госдума"),
        ("Замглавы Федеральной таможенной службы Олег Ким заявил.", "Олег Ким", "замглавы", "Федеральная таможенная служба"),
        ("Заседание кабинета министров провёл глава правительства Омской области Пётр Орлов.", "Пётр Орлов",
         "глава", "правительство Омской области"),
    ],
)
def test_persons_post_in_every_case_and_order(extractor: Extractor, text: str, person: str, title: str,
                                              where: str | None) -> None:
    found = posts(extractor, text)
    assert person in found, found
    assert found[person][0] == title
    if where is not None:
        assert found[person][1] == where


def test_persons_deputy_chair_of_government_gets_the_authority(extractor: Extractor) -> None:
    text = "В присутствии заместителя Председателя Правительства Пермского краяИвана Смирнова подписали договор."
    result = read(extractor, text)
    post = next(f for f in result.facts if isinstance(f, Post))
    assert result.entity(post.holder).label == "Иван Смирнов"
    assert post.title == "заместитель Председателя Правительства"
    authority = result.entity(post.post_in or "")
    assert authority.kind == Kind.AUTHORITY and authority.label == "Правительство Пермского края"
    assert result.entity(authority.located_in or "").iso_code == "RU-PER"


@pytest.mark.parametrize(
    "text, title",
    [
        ("Врио губернатора Орловской области Андрей Клычков открыл форум.", "врио губернатора"),
        ("И. о. заместителя министра промышленности Ольга Лебедева выступила.", "и. о. заместителя министра промышленности"),
    ],
)
def test_persons_acting_prefix_keeps_genitive(extractor: Extractor, text: str, title: str) -> None:
    found = posts(extractor, text)
    assert [t for t, _ in found.values()] == [title]


def test_persons_surname_joins_full_name_and_namesakes_stay_apart(extractor: Extractor) -> None:
    text = ("Губернатор Андрей Петров встретился с журналистами. Петров сказал, что Ольга Петрова "
            "возглавит проект.")
    result = read(extractor, text)
    people = [e for e in result.entities if e.kind == Kind.PERSON]
    andrey = next(e for e in people if e.label == "Андрей Петров")
    assert len(andrey.mentions) == 2
    assert andrey.key == "андрей петров"
    assert any(e.label == "Ольга Петрова" for e in people)


def test_persons_plural_titles_are_not_posts(extractor: Extractor) -> None:
    found = posts(extractor, "Официальные представители компании Иван Иванов и Пётр Петров отказались от комментариев.")
    assert all(title != "официальные представители" for title, _ in found.values())


@pytest.mark.parametrize(
    "text, labels",
    [
        # hers: the verb after, a speech verb before, her full name elsewhere in the text
        ("Директор кластера М. Белова рассказала о планах.", {"М. Белова"}),
        ("Как отметила Л. Карпова, проект идёт.", {"Л. Карпова"}),
        ("«Мы довольны», — сообщила директор технопарка Н. Кольцова.", {"Н. Кольцова"}),
        ("Марина Белова возглавила кластер. М. Белова сообщила, что всё хорошо.", {"Марина Белова", "М. Белова"}),
        ("Ирина Сафронова возглавила технопарк. По данным И. Сафронова, заявки приняты.",
         {"Ирина Сафронова", "И. Сафронова"}),
        ("Встреча с Л. Карповой прошла в Казани.", {"Л. Карпова"}),
        ("Министр Ольга Лебединская открыла форум. С О. Лебединской встретились инвесторы.",
         {"Ольга Лебединская", "О. Лебединская"}),
        # his, in every case, and his genitive beside a woman's verb
        ("Как отметил Л. Карпов, проект идёт.", {"Л. Карпов"}),
        ("«Мы довольны», — сообщил директор технопарка Н. Кольцов.", {"Н. Кольцов"}),
        ("По словам М. Белова, кластер вырос.", {"М. Белов"}),
        ("Губернатор наградила Л. Карпова за вклад в развитие кластера.", {"Л. Карпов"}),
        ("Письмо подписал О. Донской.", {"О. Донской"}),
        ("Андрей Луговской открыл цех. По словам А. Луговского, цех готов.", {"Андрей Луговской", "А. Луговской"}),
        ("Игорь Сафронов возглавил технопарк. Позже И. Сафронова видели в Казани, заявила пресс-служба.",
         {"Игорь Сафронов", "И. Сафронов"}),
    ],
)
def test_persons_initial_keeps_her_surname(extractor: Extractor, text: str, labels: set[str]) -> None:
    people = [e for e in read(extractor, text).entities if e.kind == Kind.PERSON]
    assert {e.label for e in people} == labels
    assert all(e.key == e.label.lower().replace(".", "") for e in people)
