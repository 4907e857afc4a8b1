from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import kg.api
from kg.cli import cli
from kg.evaluate.factru_gold import FactruDocument, load_document
from kg.evaluate.factru_misses import format_misses, sentence_at, track3_misses
from kg.evaluate.factru_response import ResponseFact
from kg.model import Document, Extraction, Post

DATA = Path(__file__).parent / "data" / "factru"
SENTENCE = "Губернатор Калужской области Иван Петров встретился с Анной Смирновой в Москве."


@pytest.fixture
def book1() -> FactruDocument:
    return load_document(DATA / "book_1.txt")


def occupation(*arguments: tuple[str, str]) -> ResponseFact:
    return ResponseFact("occupation", arguments)


MEETING = ResponseFact("meeting", (("participant", "петров иван"), ("participant", "смирнова анна")))
PERFECT = occupation(("who", "петров иван"), ("position", "губернатор"), ("where", "калужская область"))


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ([PERFECT, MEETING], []),
        ([MEETING], [("occupation", "miss", 0.0)]),
        ([occupation(("who", "петров иван"), ("position", "губернатор")), MEETING], [("occupation", "partial", 2 / 3)]),
        ([PERFECT, MEETING, occupation(("who", "сидоров петр"), ("position", "мэр"))], [("occupation", "extra", 0.0)]),
        ([PERFECT], [("meeting", "miss", 0.0)]),
    ],
)
def test_factru_misses_lists_misses_partials_and_extras(
    book1: FactruDocument, response: list[ResponseFact], expected: list[tuple[str, str, float]]
) -> None:
    misses = track3_misses(book1, response)
    assert [(m.fact_type, m.kind, pytest.approx(m.quality)) for m in misses] == expected


def test_factru_misses_shows_gold_response_and_sentence(book1: FactruDocument) -> None:
    [miss] = track3_misses(book1, [occupation(("who", "петров иван"), ("position", "мэр")), MEETING])
    assert format_misses([miss]).splitlines() == [
        "book_1 occupation partial 0.25",
        "  gold: who=Петров Иван; position=Губернатор; where=Калужская область  (.facts line 1)",
        "  ours: who=петров иван; position=мэр",
        f"  text: {SENTENCE}",
    ]


@pytest.mark.parametrize(
    ("text", "offset", "sentence"),
    [
        ("Первое. Второе предложение. Третье.", 10, "Второе предложение."),
        ("Одно предложение без точки", 3, "Одно предложение без точки"),
        ("Абзац первый.\nАбзац второй", 16, "Абзац второй"),
    ],
)
def test_factru_misses_sentence_at(text: str, offset: int, sentence: str) -> None:
    assert sentence_at(text, offset) == sentence


def test_cli_eval_factru_misses_option(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, readers: dict[str, Any], fake_extractor: Any
) -> None:
    def without_post(doc: Document) -> Extraction:
        full = readers["book_1"](doc)
        return Extraction(doc, full.entities, tuple(f for f in full.facts if not isinstance(f, Post)))

    fake_extractor.readers = {"book_1": without_post}
    monkeypatch.setattr(kg.api, "make_extractor", lambda name="default": fake_extractor)
    args = ["eval", "factru", str(DATA), "--out", str(tmp_path), "--misses", "occupation"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0
    tail = result.output.split("Track 3 misses")[1].splitlines()
    assert tail[0] == " (1 miss, 0 partial, 0 extra)"
    assert tail[1] == "book_1 occupation miss 0.00"
    without = CliRunner().invoke(cli, args[:-2], catch_exceptions=False)
    assert "Track 3 misses" not in without.output
