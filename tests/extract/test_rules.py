"""yargy grammars (kg/extract/readers/rules.py): each rule on our own sentences, then through the extractor."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.extract.readers import rules
from kg.model import Kind, Post

from .conftest import by_label, read

pytestmark = pytest.mark.slow


def _spans(parser: object, text: str) -> list[str]:
    return [text[m.span.start:m.span.stop] for m in parser.findall(text)]  # type: ignore[attr-defined]


def test_rules_are_module_constants_and_import_builds_no_parser() -> None:
    for name in ("LEGAL_FORM", "QUOTED_NAME", "ORG_WITH_FORM", "CLUSTER_NAMED", "POST_TITLE", "POST_APART"):
        assert hasattr(rules, name), name
    assert not any(type(v).__name__ == "Parser" for v in vars(rules).values())


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Договор подписало ООО «Ромашка» в среду.", ["ООО «Ромашка»"]),
        ("Учредители: ФГУП «НПО «Микроген»» и АНО «Центр».", ["ФГУП «НПО «Микроген»»", "АНО «Центр»"]),
        ("Директор ОАО «ОЭЗ «Технополис» выступил.", ["ОАО «ОЭЗ «Технополис»"]),
        ("Заказ получило ЗАО Intel Labs из Нижнего Новгорода.", ["ЗАО Intel Labs"]),
        ("В проекте ФГБОУ ВО «Томский университет» и ООО НПФ «Сапфир».",
         ["ФГБОУ ВО «Томский университет»", "ООО НПФ «Сапфир»"]),
        ("Слово ООО без названия ничего не значит.", []),
        ("Компания «Ромашка» работает без формы.", []),
    ],
)
def test_rules_org_with_form_matches(extractor: Extractor, text: str, expected: list[str]) -> None:
    assert _spans(extractor.yargy.orgs, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("В области создан кластер «Аэрокосмос».", ["кластер «Аэрокосмос»"]),
        ("Появился кластер под названием «Сибирский лес».", ["кластер под названием «Сибирский лес»"]),
        ("Кластер Tatarstan IT принял резидентов.", ["Кластер Tatarstan IT"]),
        ("Участники кластера «Уральский станок» встретились.", ["кластера «Уральский станок»"]),
        ("Кластер развивается третий год.", []),
    ],
)
def test_rules_cluster_named_matches(extractor: Extractor, text: str, expected: list[str]) -> None:
    assert _spans(extractor.yargy.clusters, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Петров назначен на должность заместителя министра финансов.", ["на должность заместителя министра финансов"]),
        ("Сидоров, занимающий пост мэра, уехал.", ["занимающий пост мэра"]),
        ("Она работала в должности генерального директора компании.", ["в должности генерального директора компании"]),
        ("Иванова освобождена от должности и. о. ректора.", ["должности и. о. ректора"]),
        ("Должность осталась вакантной.", []),
        ("Пост охраны перенесли.", []),
    ],
)
def test_rules_post_apart_matches(extractor: Extractor, text: str, expected: list[str]) -> None:
    assert _spans(extractor.yargy.posts, text) == expected


def _posts(extractor: Extractor, text: str) -> set[tuple[str, str]]:
    result = read(extractor, text)
    return {(result.entity(f.holder).label, f.title) for f in result.facts if isinstance(f, Post)}


@pytest.mark.parametrize(
    "text, holder, title",
    [
        ("Вчера Андрей Смирнов был назначен на должность заместителя губернатора.", "Андрей Смирнов", "заместитель губернатора"),
        ("На пост министра промышленности назначен Олег Кузнецов.", "Олег Кузнецов", "министр промышленности"),
        ("Сергей Волков, занимающий пост ректора, выступил первым.", "Сергей Волков", "ректор"),
        ("Об этом сообщила Анна Белова. Она работает в должности заместителя директора.", "Анна Белова", "заместитель директора"),
    ],
)
def test_rules_post_apart_gives_holder_a_post(extractor: Extractor, text: str, holder: str, title: str) -> None:
    assert (holder, title) in _posts(extractor, text)


@pytest.mark.parametrize(
    "text, label, kind",
    [
        ("Поставщиком стало ООО «Северный луч».", "Северный луч", Kind.COMPANY),
        ("Грант получило АНО «Центр развития».", "Центр развития", Kind.ORGANIZATION),
    ],
)
def test_rules_legal_orgs_reach_entities(extractor: Extractor, text: str, label: str, kind: Kind) -> None:
    assert by_label(read(extractor, text), label).kind == kind


@pytest.mark.parametrize(
    "text, holder, title",
    [
        # the acting prefix stays in the title, as before a name («и. о. заместителя министра», test_persons)
        ("Ольга Зайцева, исполняющая обязанности директора департамента, выступила.", "Ольга Зайцева",
         "исполняющая обязанности директора"),
        ("Для Игоря Носова, известного борца с коррупцией, члена Общественной палаты, это важно.", "Игорь Носов", "член"),
        ("Вчера член Палаты представителей Конгресса США Джон Смит уехал.", "Джон Смит", "член"),
        ("В команду в качестве первого заместителя входит Павел Орлов.", "Павел Орлов", "первый заместитель"),
    ],
)
def test_rules_posts_across_appositions_and_names(extractor: Extractor, text: str, holder: str, title: str) -> None:
    assert (holder, title) in _posts(extractor, text)


def test_rules_second_apposition_must_agree_with_holder(extractor: Extractor) -> None:
    text = "Пришёл Игорь Носов, известный борец с коррупцией, члена семьи не было."
    assert not any(h == "Игорь Носов" and t == "член" for h, t in _posts(extractor, text))


@pytest.mark.parametrize(
    "text, holder, title, present",
    [
        ("Выступил председатель Совета директоров, народный депутат Украины Павел Орлов.", "Павел Орлов", "председатель Совета директоров", True),
        ("Утром представитель армии полковник Олег Жуков выступил.", "Олег Жуков", "представитель", True),
        ("По словам губернатора, президент Объединённой компании Олег Жуков доволен.", "Олег Жуков", "губернатор", False),
        ("Со стороны немецкого партнёра — управляющий директор компании Omega Ханс Мюллер.", "Ханс Мюллер", "партнёр", False),
    ],
)
def test_rules_stacked_titles_of_one_person(extractor: Extractor, text: str, holder: str, title: str, present: bool) -> None:
    assert ((holder, title) in _posts(extractor, text)) is present


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Он является членом бюджетного комитета.", ["является членом бюджетного комитета"]),
        ("Президент назначил Петрова министром обороны.", ["назначил Петрова министром обороны"]),
        ("Иванов стал капитаном команды.", ["стал капитаном команды"]),
        ("Он стал быстро работать дома.", []),
    ],
)
def test_rules_post_by_verb_matches(extractor: Extractor, text: str, expected: list[str]) -> None:
    assert _spans(extractor.yargy.verb_posts, text) == expected


@pytest.mark.parametrize(
    "text, holder, title",
    [
        ("Вчера губернатор назначил Ивана Петрова министром финансов.", "Иван Петров", "министр финансов"),
        ("Ольга Белова стала депутатом городской думы.", "Ольга Белова", "депутат"),
    ],
)
def test_rules_post_by_verb_gives_holder_a_post(extractor: Extractor, text: str, holder: str, title: str) -> None:
    assert (holder, title) in _posts(extractor, text)
