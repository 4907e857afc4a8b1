"""Clusters: named, described, generic (not entities); members, initiators, anchors."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.model import ClusterLink, ClusterRole, Kind

from .conftest import read

pytestmark = pytest.mark.slow


def clusters(extractor: Extractor, text: str) -> dict[str, str | None]:
    result = read(extractor, text)
    return {e.label: (result.entity(e.located_in).label if e.located_in else None)
            for e in result.entities if e.kind == Kind.CLUSTER}


@pytest.mark.parametrize(
    "text, name, region, sectors",
    [
        ("ИТ-кластер Самарской области «Волжский код» принял трёх новых участников.",
         "Волжский код", "Самарская область", {"информационные технологии"}),
        ("Фармацевтический кластер Калужской области «Калужский фарм» объединяет 40 компаний.",
         "Калужский фарм", "Калужская область", {"биофармацевтика"}),
        ("На заседании кластера Томской области «Сибирская химия» обсудили экспорт.",
         "Сибирская химия", "Томская область", set()),
        ("Лесопромышленный кластер Вологды «Северный лес» открыл учебный центр.",
         "Северный лес", "Вологодская область", {"деревообработка"}),
    ],
)
def test_clusters_name_after_the_regions_genitive(extractor: Extractor, text: str, name: str, region: str,
                                                  sectors: set[str]) -> None:
    """«ИТ-кластер Самарской области «Волжский код»»: one cluster named «Волжский код», in its region, with
    the sector of its description (before: the description alone, or for a bare «кластера …» nothing)."""
    result = read(extractor, text)
    found = [e for e in result.entities if e.kind == Kind.CLUSTER]
    assert [e.label for e in found] == [name]
    assert result.entity(found[0].located_in).label == region
    assert {result.entity(s).label for s in found[0].sectors} == sectors
    assert not [f for f in result.facts if isinstance(f, ClusterLink) and result.entity(f.target).label == name]


@pytest.mark.parametrize(
    "text, label, region",
    [
        ("В регионе работает «Машиностроительный кластер Курганской области».",
         "Машиностроительный кластер Курганской области", "Курганская область"),
        ("Участником стал кластер «Северное сияние» в Мурманской области.", "Северное сияние", "Мурманская область"),
        ("Власти объявили, что Лесной кластер получит субсидию. Это Вологодская область.", "Лесной кластер", None),
        ("В Череповце создадут кластер по деревообработке.", "кластер по деревообработке", "Вологодская область"),
        ("Калужская область объявила о создании кластера фармацевтики и биотехнологий.",
         "кластер фармацевтики и биотехнологий", "Калужская область"),
        ("Ассоциация «Промышленный кластер Удмуртской Республики» подписала соглашение.",
         "Промышленный кластер Удмуртской Республики", "Удмуртская Республика"),
    ],
)
def test_clusters_named_and_described(extractor: Extractor, text: str, label: str, region: str | None) -> None:
    found = clusters(extractor, text)
    assert label in found, found
    if region is not None:
        assert found[label] == region


@pytest.mark.parametrize(
    "text, label, region",
    [
        # a region's adjective in the name or just before it
        ("На форуме «Иннопром» в Екатеринбурге представили кластер «Тюменские нефтесервисы».",
         "Тюменские нефтесервисы", "Тюменская область"),
        ("В Казани на выставке показал свои разработки пермский кластер «Фотоника».", "Фотоника", "Пермский край"),
        # the venue of a forum or exhibition is no cluster's region
        ("Участники кластера «Ладожские верфи» приехали на выставку в Санкт-Петербург.", "Ладожские верфи", None),
        ("На выставке в Казани показали кластер «Волжские приборы».", "Волжские приборы", None),
        ("На форуме в Сочи губернатор Томской области рассказал о кластере «Сибирский лес».",
         "Сибирский лес", "Томская область"),
        # a place that is no venue still counts
        ("В Казани создан кластер «Волжские приборы».", "Волжские приборы", "Республика Татарстан"),
        ("На форуме в Казани представили кластер «Волжские приборы». В Татарстане кластер объединяет 20 компаний.",
         "Волжские приборы", "Республика Татарстан"),
    ],
)
def test_clusters_region_by_adjective_not_by_venue(extractor: Extractor, text: str, label: str,
                                                   region: str | None) -> None:
    found = clusters(extractor, text)
    assert label in found, found
    assert found[label] == region


@pytest.mark.parametrize(
    "text",
    [
        "К 2030 году в области появятся 30 территориальных кластеров.",
        "Обсуждалось создание пяти новых промышленных кластеров.",
        "Правительство утвердило перечень кластеров.",
        "В регионе появится ещё один кластер.",
    ],
)
def test_clusters_generic_mentions_are_not_clusters(extractor: Extractor, text: str) -> None:
    assert clusters(extractor, text) == {}


@pytest.mark.parametrize(
    "text",
    [
        "«Кластер помогает малому бизнесу находить заказчиков», — сказал министр Иван Сомов.",
        "«Кластер даёт нам новых партнёров», — отметила директор завода Анна Лебедева.",
        "Губернатор сказал: «Кластеры выросли вдвое за год».",
        "«Наш кластер стал площадкой для диалога», — подчеркнул он.",
    ],
)
def test_clusters_quoted_speech_is_not_a_cluster_name(extractor: Extractor, text: str) -> None:
    assert clusters(extractor, text) == {}


@pytest.mark.parametrize(
    "text, labels",
    [
        ("Кластер «Вологодский лён» стал первым промышленным кластером области.", {"Вологодский лён"}),
        ("Кластер «Омский каучук» является крупнейшим химическим кластером Сибири.", {"Омский каучук"}),
        ("Кластер «Курганские мосты» остаётся единственным кластером такого рода в регионе.", {"Курганские мосты"}),
        ("В Вологодской области создан первый промышленный кластер.", {"первый промышленный кластер"}),
    ],
)
def test_clusters_a_rank_in_the_predicate_names_no_cluster(extractor: Extractor, text: str, labels: set[str]) -> None:
    """«стал первым кластером», «является крупнейшим кластером»: the subject ranked, no second cluster;
    a rank outside the predicate («создан первый кластер») still names one."""
    assert set(clusters(extractor, text)) == labels


@pytest.mark.parametrize(
    "text, label",
    [
        ("Резидентом стал «Кластер информационных технологий Томской области».",
         "Кластер информационных технологий Томской области"),
        ("Соглашение подписал «Кластер «Строим вместе»».", "Кластер «Строим вместе»"),
    ],
)
def test_clusters_quoted_names_without_a_verb_stay_names(extractor: Extractor, text: str, label: str) -> None:
    assert label in clusters(extractor, text)


def test_clusters_association_is_an_organisation_too(extractor: Extractor) -> None:
    result = read(extractor, "Ассоциация «Промышленный кластер Удмуртской Республики» подписала соглашение.")
    kinds = {e.kind for e in result.entities if "Промышленный кластер Удмуртской Республики" in e.label}
    assert kinds == {Kind.CLUSTER, Kind.ORGANIZATION}


@pytest.mark.parametrize(
    "text, company, role",
    [
        ("Создан «Химический кластер Пермского края» (инициаторы — ООО «Реагент» и ОАО «Синтез»).", "Реагент",
         ClusterRole.INITIATOR),
        ("Создан «Химический кластер Пермского края» (инициаторы — ООО «Реагент» и ОАО «Синтез»).", "Синтез",
         ClusterRole.INITIATOR),
        ("В области создан медицинский кластер на база ООО «Медтехника».", "Медтехника", ClusterRole.ANCHOR),
        ("Появится агрокластер на базе АО «Нива».", "Нива", ClusterRole.ANCHOR),
        ("В Туле обсуждали оружейный кластер. Ядром кластера станут АО «Арсенал» и ООО «Мушка».", "Арсенал",
         ClusterRole.ANCHOR),
        ("Работает кластер «Сибирь». Участники кластера: ООО «Кедр», ЗАО «Тайга».", "Тайга", ClusterRole.MEMBER),
        ("В состав кластера «Волга-Авто» вошли ООО «Полимер», ЗАО «Шина» и ОАО «Стекло».", "Стекло", ClusterRole.MEMBER),
        ("Кластер «Волга-Авто» объединяет ООО «Полимер» и ЗАО «Шина».", "Шина", ClusterRole.MEMBER),
        ("В кластер «Волга-Авто» входят 25 предприятий, в том числе ООО «Полимер».", "Полимер", ClusterRole.MEMBER),
        ("Якорным предприятием кластера «Волга-Авто» является ПАО «Мотор».", "Мотор", ClusterRole.ANCHOR),
        ("Основу кластера «Волга-Авто» составляют ПАО «Мотор» и ООО «Полимер».", "Полимер", ClusterRole.ANCHOR),
        ("Инициатором создания кластера «Волга-Авто» выступило ООО «Полимер».", "Полимер", ClusterRole.INITIATOR),
    ],
)
def test_clusters_links(extractor: Extractor, text: str, company: str, role: ClusterRole) -> None:
    result = read(extractor, text)
    links = [f for f in result.facts if isinstance(f, ClusterLink) and result.entity(f.target).label == company]
    assert [l.role for l in links] == [role]


def test_clusters_org_named_later_in_the_sentence_is_not_a_member(extractor: Extractor) -> None:
    text = "Кластер «Волга-Авто» растёт, чтобы его участники получали субсидии, пишет агентство «Вести»."
    result = read(extractor, text)
    assert not [f for f in result.facts if isinstance(f, ClusterLink)]


def test_clusters_listed_described_cluster_is_a_cluster_of_its_own(extractor: Extractor) -> None:
    text = ("В области работают «Фармацевтический кластер Курской области» и фармацевтический кластер, "
            "созданный на базе ООО «Курскфарм».")
    result = read(extractor, text)
    assert len([e for e in result.entities if e.kind == Kind.CLUSTER]) == 2


def test_clusters_parties_of_a_cluster_agreement_are_members(extractor: Extractor) -> None:
    text = ("ООО «Альфа», ЗАО «Бета» и министерство промышленности Омской области подписали соглашение "
            "о создании кластера «Омский химик».")
    result = read(extractor, text)
    members = {result.entity(f.target).label for f in result.facts
               if isinstance(f, ClusterLink) and f.role == ClusterRole.MEMBER}
    assert members == {"Альфа", "Бета"}


@pytest.mark.parametrize(
    "text, sectors",
    [
        ("В регионе работает Уральский станкостроительный кластер.", {"машиностроение"}),
        ("Создан Ленинградский судостроительный кластер.", {"судостроение"}),
        ("Создан Пермский строительный кластер.", {"строительство"}),
        ("Создан Вологодский лесопромышленный кластер.", {"деревообработка"}),
    ],
)
def test_clusters_sector_keywords_match_word_starts(extractor: Extractor, text: str, sectors: set[str]) -> None:
    result = read(extractor, text)
    cluster = next(e for e in result.entities if e.kind == Kind.CLUSTER)
    assert {result.entity(s).label for s in cluster.sectors} == sectors
