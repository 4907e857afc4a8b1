"""News templates for the demo corpus, written for kg.

A template takes the slots drawn for one item and a random generator, and
returns ``(title, text)``. Sentences name people with their posts ("министр
промышленности Томской области Игорь Лазарев"), clusters with their members,
agreements and events, the facts ``kg.extract`` reads.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.demo.corpus import Cluster, Company, Person
    from kg.demo.gazetteer import Region


@dataclass(frozen=True, slots=True)
class Slots:
    region: Region
    governor: Person
    minister: Person
    cluster: Cluster
    company: Company
    company2: Company
    company3: Company
    day: str  # "14 марта"
    exhibition: str
    number: int
    year: int


def who(p: Any) -> str:
    """Post and name, nominative: "губернатор Томской области Андрей Соколов"."""
    return f"{p.post} {p.name.first} {p.name.last}"


def whom(p: Any) -> str:
    """Post and name, genitive: "губернатора Томской области Андрея Соколова"."""
    return f"{p.post_gen} {p.name.first_gen} {p.name.last_gen}"


def female(p: Any) -> bool:
    return bool(p.name.last.endswith("а"))  # feminine surnames: -ова, -ева, -ина


def past(p: Any, masculine: str, feminine: str) -> str:
    """The past-tense verb form agreeing with the person: провёл / провела."""
    return feminine if female(p) else masculine


def said(p: Any) -> str:
    return f"{past(p, 'сообщил', 'сообщила')} {who(p)}"


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


FILLERS = (
    "По словам участников, совместные проекты позволят создать в регионе не менее {number} рабочих мест.",
    "Объём инвестиций в проекты участников оценивается в {number} млн рублей.",
    "Региональные власти рассчитывают, что первые результаты появятся уже в {year} году.",
    "Участники обсудили меры поддержки, подготовку кадров и выход на новые рынки.",
    "Часть проектов планируется реализовать при поддержке регионального фонда развития промышленности.",
)


def filler(s: Slots, rng: random.Random) -> str:
    return rng.choice(FILLERS).format(number=s.number, year=s.year)


def agreement(s: Slots, rng: random.Random) -> tuple[str, str]:
    c = s.cluster
    title = f"В {s.region.loc} подписано соглашение о развитии кластера"
    text = (
        f"{upper_first(s.day)} в {s.region.city_loc} {who(s.minister)} и {who(s.company.head)} "
        f"подписали соглашение о сотрудничестве в рамках {c.gen}. "
        f"Подписание прошло в присутствии {whom(s.governor)}. "
        f"Участниками кластера уже стали {s.company2.name}, {s.company3.name} и {c.university}. "
        f"{filler(s, rng)}"
    )
    return title, text


def members(s: Slots, rng: random.Random) -> tuple[str, str]:
    c = s.cluster
    title = f"{c.nom} расширяет состав участников"
    text = (
        f"{c.nom} принял в свой состав новых участников: {s.company.name}, {s.company2.name} "
        f"и {s.company3.name}. Об этом {said(c.director)}. "
        f"Кластер объединяет производителей {c.sector.topic} и научные организации региона. "
        f"{filler(s, rng)}"
    )
    return title, text


def created(s: Slots, rng: random.Random) -> tuple[str, str]:
    c = s.cluster
    title = f"В {s.region.loc} создан {c.sector.nom} кластер"
    text = (
        f"В {s.region.loc} создан {c.nom}. Инициаторами создания кластера выступили "
        f"{s.company.name} и {c.university}. "
        f"Директором кластера {past(c.director, 'назначен', 'назначена')} {c.director.name.first} {c.director.name.last}. "
        f"Решение {past(s.governor, 'поддержал', 'поддержала')} {who(s.governor)}. {filler(s, rng)}"
    )
    return title, text


def meeting(s: Slots, rng: random.Random) -> tuple[str, str]:
    c = s.cluster
    title = f"В {s.region.city_loc} прошло заседание совета кластера"
    text = (
        f"{upper_first(s.day)} в {s.region.city_loc} состоялось заседание координационного совета "
        f"{c.gen}. Заседание {past(s.minister, 'провёл', 'провела')} {who(s.minister)}. "
        f"В работе совета приняли участие {who(c.director)} и {who(s.company.head)}. "
        f"{filler(s, rng)} {filler(s, rng)}"
    )
    return title, text


def exhibition(s: Slots, rng: random.Random) -> tuple[str, str]:
    c = s.cluster
    title = f"Участники кластера представили продукцию на выставке «{s.exhibition}»"
    text = (
        f"Предприятия {c.gen} представили свою продукцию на выставке «{s.exhibition}». "
        f"Экспозицию {past(s.governor, 'посетил', 'посетила')} {who(s.governor)}. "
        f"{upper_first(who(s.company.head))} {past(s.company.head, 'рассказал', 'рассказала')} "
        f"о выпуске {c.sector.topic}. "
        f"{filler(s, rng)}"
    )
    return title, text


def round_table(s: Slots, rng: random.Random) -> tuple[str, str]:
    c = s.cluster
    title = f"Круглый стол о развитии кластера прошёл в {s.region.city_loc}"
    text = (
        f"В {s.region.city_loc} прошёл круглый стол, посвящённый развитию {c.gen}. "
        f"«Кластер помогает небольшим предприятиям работать вместе с крупными заказчиками», — "
        f"{said(s.minister)}. Участниками круглого стола стали представители {s.company.name} "
        f"и {s.company2.name}. {filler(s, rng)}"
    )
    return title, text


TEMPLATES: tuple[Callable[[Slots, random.Random], tuple[str, str]], ...] = (
    agreement, members, created, meeting, exhibition, round_table,
)
