"""Posts: where a title is held (the unit a descriptive noun group names), the title's own words."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.model import Agreement, Kind, Post

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
        ("Слово взял Пётр Волков, начальник отдела продаж и маркетинга Siemens.", "Пётр Волков", "начальник",
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
    "text, holder, title, region",
    [
        ("Исполнительный директор Фармацевтического кластера Калужской области Ирина Белова рассказала о проектах.",
         "Ирина Белова", "исполнительный директор", "Калужская область"),
        ("По словам президента Нефтехимического кластера Томской области Павла Сидорова, выручка выросла.",
         "Павел Сидоров", "президент", "Томская область"),
        ("Кластер вырос. Об этом сообщила директор Металлургического кластера Республики Татарстан Наталья Зуева.",
         "Наталья Зуева", "директор", "Республика Татарстан"),
    ],
)
def test_posts_held_in_a_cluster_its_genitive_group_names(
    extractor: Extractor, text: str, holder: str, title: str, region: str
) -> None:
    """«директор X-ского кластера Y-ской области»: the post is held in the cluster (ONTOLOGY: org:postIn
    may point to a Cluster), the group is one of its mentions, and no organisation of that name is made."""
    result = read(extractor, text)
    found = [f for f in result.facts if isinstance(f, Post)]
    assert [(result.entity(f.holder).label, f.title) for f in found] == [(holder, title)]
    cluster = result.entity(found[0].post_in)
    assert cluster.kind == Kind.CLUSTER
    assert cluster.located_in is not None and result.entity(cluster.located_in).label == region
    assert not [e for e in result.entities if e.kind != Kind.CLUSTER and "кластер" in e.label.lower()]


@pytest.mark.parametrize(
    "text, holder, title, where",
    [
        # a place right after the title is the place, not a unit
        ("Губернатор Тульской области Алексей Дюмин открыл завод.", "Алексей Дюмин", "губернатор", "Тульская область"),
        # the title's field is no organisation
        ("Выступил министр культуры Республики Коми Павел Ковалёв.", "Павел Ковалёв", "министр культуры", "Республика Коми"),
        # a unit noun without a name in its group gives no organisation
        ("Выступил начальник отдела кадров Пётр Лосев.", "Пётр Лосев", "начальник", None),
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


@pytest.mark.parametrize(
    "text, holder, title, where",
    [
        ("По инициативе гостей чрезвычайный и полномочный посол Испании в Польше Хуан Гарсия выступил.",
         "Хуан Гарсия", "чрезвычайный и полномочный посол", "Испания"),
        ("Вместо него на саммит поедет министр по делам разведки Иван Кузнецов.", "Иван Кузнецов",
         "министр по делам разведки", None),
        ("Министр по государственным сборам Канады Питер Грин подчеркнул важность реформы.", "Питер Грин",
         "министр по государственным сборам", "Канада"),
        ("Мария Смит, исполняющая обязанности официального представителя Госдепартамента США, выступила.",
         "Мария Смит", "исполняющая обязанности официального представителя", "Госдепартамент США"),
        ("Как заявил российский президент Владимир Путин, Россия готова к переговорам.", "Владимир Путин",
         "президент", "Россия"),
        ("Наблюдатель от ОБСЕ испанский парламентарий Хуан Гарсия сообщил о нарушениях.", "Хуан Гарсия",
         "парламентарий", "Испания"),
    ],
)
def test_posts_title_words_beyond_the_head(
    extractor: Extractor, text: str, holder: str, title: str, where: str | None
) -> None:
    assert (holder, title, where) in [(h, t, w) for h, t, w, _ in posts(extractor, text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # «после» is no form of «посол»
        ("После визита Пегги Уитсон вернулась на станцию.", []),
        # the title before «и» is another person's
        ("Президент и первая леди Мишель Обама посетили школу.", []),
        # a genitive after «и» still hangs on the title
        ("Министр промышленности и торговли Денис Мантуров открыл выставку.",
         [("Денис Мантуров", "министр промышленности и торговли")]),
        # a title after a comma that runs into the next person is that person's
        ("На митинг пришли Лев Орлов, координатор движения «Весна» Сергей Белов, и другие.",
         [("Сергей Белов", "координатор")]),
    ],
)
def test_posts_title_holder_is_not_guessed(extractor: Extractor, text: str, expected: list[tuple[str, str]]) -> None:
    assert [(h, t) for h, t, _, _ in posts(extractor, text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a signature line: name, then a capitalised title, nothing else on the line
        ("Мы ждём всех на турнире.\nАнатолий Карпов Президент ФИДЕ", [("Анатолий Карпов", "президент", "ФИДЕ")]),
        # an occupation before the title: «политик и лидер»
        ("На фестиваль приедут Янош Киш - политик и лидер молодёжной партии «Зелёный мост» (Венгрия), и другие.",
         [("Янош Киш", "лидер", "Зелёный мост")]),
        # an instrumental title before «стал»: the subject after the verb holds it, not the name before
        ("Вместо Петра Орлова, капитаном стал Михаил Сомов.", [("Михаил Сомов", "капитан", None)]),
        ("В случае избрания Бакрадзе премьер-министром страны станет Нино Лория.",
         [("Нино Лория", "премьер-министр", None)]),
        # an abbreviation in brackets between the organisation and the holder
        ("Генеральный секретарь Объединённого союза фермеров (ОСФ) Ирина Белова сообщила об этом.",
         [("Ирина Белова", "генеральный секретарь", "Объединённый союз фермеров")]),
        # a name with digits is no person
        ("Впервые в истории пилота Формулы-1 наградили орденом.", []),
    ],
)
def test_posts_holder_around_the_title(extractor: Extractor, text: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert [(h, t, w) for h, t, w, _ in posts(extractor, text)] == expected


def test_posts_two_bodies_joined_by_and_are_not_one_unit(extractor: Extractor) -> None:
    text = "Для Игоря Носова, члена Общественной палаты и российско-американской рабочей группы, это важно."
    assert [(h, t, w) for h, t, w, _ in posts(extractor, text)] == [("Игорь Носов", "член", "Общественная палата")]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a post sought is not held
        ("Анна Петрова стала кандидатом на пост мэра Самары.", []),
        ("Иван Петров назначен на пост мэра Самары.", [("Иван Петров", "мэр")]),
        # a genitive name with a «по …» field after it is inside the title, not its holder
        ("Помощник Ивана Сидорова по экономическим вопросам заявил об этом.", []),
        ("Помощник Хиллари Клинтон по европейским и евразийским делам посетил Белград.", []),
        ("Министр Иван Сидоров по традиции выступил первым.", [("Иван Сидоров", "министр")]),
        ("Заместитель министра по европейским и евразийским делам Иван Петров заявил об этом.",
         [("Иван Петров", "заместитель министра по европейским и евразийским делам")]),
        # a title before «и» right before a name is the previous person's
        ("Вечером Иван Сомов, лидер московской группы «Пульс», и Пётр Лосев, солист ленинградского «Маяка», выступят.",
         [("Иван Сомов", "лидер"), ("Пётр Лосев", "солист")]),
        # a title in brackets right after the name
        ("Сказал Иван Сомов (главный инженер завода «Луч»), и ушёл.", [("Иван Сомов", "главный инженер")]),
    ],
)
def test_posts_held_not_sought_nor_inside_the_title(extractor: Extractor, text: str, expected: list[tuple[str, str]]) -> None:
    assert [(h, t) for h, t, _, _ in posts(extractor, text)] == expected
