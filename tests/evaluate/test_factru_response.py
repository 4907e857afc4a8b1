from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.evaluate.factru_response import (
    ResponseFact,
    ResponseMention,
    format_task1,
    format_task3,
    parse_task1,
    parse_task3,
    task1_mentions,
    task3_facts,
    write_response,
)
from kg.model import Document, Entity, Extraction, Kind, Post, Span

Reader = Callable[[Document], Extraction]


DATA = Path(__file__).parent / "data" / "factru"


def read(name: str) -> Document:
    return Document(name, (DATA / f"{name}.txt").read_text(encoding="utf-8"))


def test_factru_response_format_task1_exact_text() -> None:
    mentions = [ResponseMention("per", 29, 11), ResponseMention("locorg", 11, 17), ResponseMention("per", 29, 11)]
    assert format_task1(mentions) == "locorg 11 17\nper 29 11\n"


def test_factru_response_format_task3_exact_text() -> None:
    facts = [
        ResponseFact("occupation", (("who", "Орлов Алексей"), ("position", "заместитель: председателя"))),
        ResponseFact("deal", (("participant", "титановый  кластер"), ("participant", "ASIS"))),
    ]
    assert format_task3(facts) == (
        "occupation\nwho : орлов алексей\nposition : заместитель председателя\n"
        "\n"
        "deal\nparticipant : титановый кластер\nparticipant : asis\n"
    )


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("per 0 4\n\nORG 5 3\n", [ResponseMention("per", 0, 4), ResponseMention("org", 5, 3)]),
        ("", []),
    ],
)
def test_factru_response_parse_task1(text: str, parsed: list[ResponseMention]) -> None:
    assert parse_task1(text) == parsed


@pytest.mark.parametrize("line", ["per 0", "person 0 4", "per x 4", "per 0 4 extra"])
def test_factru_response_parse_task1_rejects_bad_line(line: str) -> None:
    with pytest.raises(InputError, match=r"^r\.task1:2: expected 'TAG START LENGTH'"):
        parse_task1("per 0 4\n" + line, "r.task1")


def test_factru_response_task3_round_trip() -> None:
    facts = [ResponseFact("meeting", (("participant", "шерейкин максим"), ("participant", "делегация лимузена")))]
    assert parse_task3(format_task3(facts)) == facts


def test_factru_response_parse_task3_rejects_line_without_colon() -> None:
    with pytest.raises(InputError, match=r"^r\.task3:2: expected 'role : value'"):
        parse_task3("deal\nparticipant asis\n", "r.task3")


def test_factru_response_task1_place_acting_as_organisation_is_locorg(readers: dict[str, Reader]) -> None:
    mentions = task1_mentions(readers["book_1"](read("book_1")))
    assert format_task1(mentions) == "locorg 11 17\nper 29 11\nper 54 15\nloc 72 6\n"


def test_factru_response_task3_from_extraction(readers: dict[str, Reader]) -> None:
    assert format_task3(task3_facts(readers["book_1"](read("book_1")))) == (
        "occupation\nwho : петров иван\nposition : губернатор\nwhere : калужской области\n"  # as written
        "\n"
        "meeting\nparticipant : петров иван\nparticipant : смирнова анна\n"
    )
    assert format_task3(task3_facts(readers["book_2"](read("book_2")))) == (
        "deal\nparticipant : северный ветер\nparticipant : иванова ольга\ntype : купля/продажа\n"
    )


def test_factru_response_write_response_files(tmp_path: Path, readers: dict[str, Reader]) -> None:
    task1, task3 = write_response(readers["book_2"](read("book_2")), tmp_path, "book_2")
    assert task1.read_text(encoding="utf-8") == "org 10 14\nper 41 14\n"
    assert task3.name == "book_2.task3"


@pytest.mark.parametrize(
    ("text", "kind", "part", "tag"),
    [
        ("Россия подписала договор.", "country", "Россия", "locorg"),  # a country acts by default
        ("Завод построят в России.", "country", "России", "loc"),  # locative preposition
        ("Эксперт (Германия) выступил.", "country", "Германия", "loc"),
        ("Власти Калужской области решили.", "region", "Калужской области", "locorg"),  # authority noun
        ("Туристы отдыхали в Калужской области.", "region", "Калужской области", "loc"),
        ("Праздник прошёл в Омске.", "settlement", "Омске", "loc"),
    ],
)
def test_factru_response_locorg_rule(text: str, kind: str, part: str, tag: str) -> None:
    start = text.index(part)
    place = Entity("x1", Kind(kind), part.lower(), part, (Span(start, start + len(part), part),))
    mentions = task1_mentions(Extraction(Document("d", text), (place,)))
    assert mentions == [ResponseMention(tag, start, len(part))]


@pytest.mark.parametrize(
    ("text", "part", "label", "tag"),
    [
        ("Переговоры с Москвой продолжатся.", "Москвой", "Москва", "locorg"),  # a capital for its state
        ("Анкара выразила протест.", "Анкара", "Анкара", "locorg"),
        ("Делегация прилетела в Анкару.", "Анкару", "Анкара", "loc"),  # locative preposition
        ("Омск принял гостей.", "Омск", "Омск", "loc"),  # not a capital
    ],
)
def test_factru_response_locorg_rule_capitals(text: str, part: str, label: str, tag: str) -> None:
    start = text.index(part)
    place = Entity("x1", Kind.SETTLEMENT, label.lower(), label, (Span(start, start + len(part), part),))
    mentions = task1_mentions(Extraction(Document("d", text), (place,)))
    assert mentions == [ResponseMention(tag, start, len(part))]


def test_factru_response_place_argument_as_written_in_evidence() -> None:
    text = "Губернатор Подмосковья Иван Петров приехал."
    region = Entity("r1", Kind.REGION, "ru-mos", "Московская область", (Span(11, 22, "Подмосковья"),))
    person = Entity("p1", Kind.PERSON, "петров иван", "Иван Петров", (Span(23, 34, "Иван Петров"),))
    post = Post(holder="p1", title="губернатор", post_in="r1", evidence=Span(0, 34, text[:34]))
    facts = task3_facts(Extraction(Document("d", text), (region, person), (post,)))
    assert facts == [ResponseFact("occupation", (("who", "петров иван"), ("position", "губернатор"), ("where", "подмосковья")))]


def test_factru_response_position_as_written_in_evidence() -> None:
    text = "Иван Петров стал членом комитета."
    person = Entity("p1", Kind.PERSON, "петров иван", "Иван Петров", (Span(0, 11, "Иван Петров"),))
    post = Post(holder="p1", title="член", post_in=None, evidence=Span(17, 23, "членом"))
    facts = task3_facts(Extraction(Document("d", text), (person,), (post,)))
    assert facts == [ResponseFact("occupation", (("who", "петров иван"), ("position", "членом")))]
