from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import kg.api
from kg.cli import cli

DATA = Path(__file__).parent / "data"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, fake_extractor: Any) -> Any:
    monkeypatch.setattr(kg.api, "make_extractor", lambda name="default": fake_extractor)
    return fake_extractor


FACTRU_TABLE = """\
documents: 3 responses written

Track 1 (entity mentions, 2 documents with gold)
tag           P      R     F1       TP  gold  resp
per       1.000  1.000  1.000     3.00     3     3
org       1.000  1.000  1.000     1.00     1     1
loc       1.000  1.000  1.000     1.00     1     1
locorg    1.000  1.000  1.000     1.00     1     1
overall   1.000  1.000  1.000     6.00     6     6

Track 3 (facts, easy mode, 2 documents with gold)
fact             P      R     F1       TP  gold  resp
occupation   1.000  1.000  1.000     1.00     1     1
deal         1.000  1.000  1.000     0.00     0     0
meeting      1.000  1.000  1.000     1.00     1     1
overall      1.000  1.000  1.000     2.00     2     2
"""


def test_cli_eval_factru_writes_responses_and_scores(fake: Any, tmp_path: Path) -> None:
    out = tmp_path / "resp"
    result = CliRunner().invoke(cli, ["eval", "factru", str(DATA / "factru"), "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output == FACTRU_TABLE
    assert sorted(p.name for p in out.iterdir()) == [
        f"book_{n}.{ext}" for n in (1, 2, 3) for ext in ("task1", "task3")]
    assert (out / "book_3.task1").read_text(encoding="utf-8") == ""
    assert fake.seen == ["book_1", "book_2", "book_3"]


def test_cli_eval_factru_limit(fake: Any, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["eval", "factru", str(DATA / "factru"), "--out", str(tmp_path),
                                      "--limit", "1"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "documents: 1 responses written"
    assert fake.seen == ["book_1"]


@pytest.mark.parametrize(("half", "books"), [("A", ["book_1", "book_2"]), ("B", ["book_3"])])
def test_cli_eval_factru_half(fake: Any, tmp_path: Path, half: str, books: list[str]) -> None:
    out = tmp_path / "resp"
    result = CliRunner().invoke(cli, ["eval", "factru", str(DATA / "factru"), "--out", str(out), "--half", half],
                                catch_exceptions=False)
    assert result.exit_code == 0
    assert fake.seen == books
    assert sorted(p.stem for p in out.iterdir()) == sorted(b for b in books for _ in (1, 2))
    assert result.output.splitlines()[:2] == [
        f"documents: {len(books)} responses written",
        f"half {half}: {len(books)} of 3 books (SHA-256 of the identifier (UTF-8) even -> A, odd -> B)"]


def test_cli_eval_factru_without_gold_scores_nothing(fake: Any, tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "book_7.txt").write_text("Просто текст.", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "factru", str(folder), "--out", str(tmp_path / "r")],
                                catch_exceptions=False)
    assert result.output == "documents: 1 responses written\nno gold files found: nothing scored\n"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing", "missing: not a directory"),
        (lambda p: p, ": no book_N.txt files"),
    ],
)
def test_cli_eval_factru_errors(fake: Any, tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "factru", str(make(tmp_path)), "--out", str(tmp_path / "r")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.rstrip().endswith(message)
    assert len(result.output.strip().splitlines()) == 1
    assert fake.seen == []


GOLD_LINES = [
    {"id": "a", "text": "Губернатор Калужской области Иван Петров встретился с Анной Смирновой в Москве.",
     "gold": {"persons": [["Иван Петров", "губернатор Калужской области"], ["Анна Смирнова", "министр"]],
              "regions": ["Калужская область"], "events": ["встреча"]}},
    {"id": "b", "text": "Пусто.", "gold": {}},
]


def test_cli_eval_gold_table_and_misses(fake: Any, tmp_path: Path) -> None:
    fake.readers = {"a": fake.readers["book_1"]}
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in GOLD_LINES) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "gold", str(path)], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output == """\
documents: 1 scored, 1 without gold skipped
class                   P      R     F1       TP  gold  resp
persons             1.000  1.000  1.000     2.00     2     2
persons-with-post   1.000  0.500  0.667     1.00     2     1
regions             1.000  1.000  1.000     1.00     1     1
events              1.000  1.000  1.000     1.00     1     1

persons-with-post: 1 missed, 0 extracted but not in the gold
  miss  a: Анна Смирнова — министр
"""
    as_json = CliRunner().invoke(cli, ["eval", "gold", str(path), "--json"], catch_exceptions=False)
    data = json.loads(as_json.output)
    assert data["metrics"]["persons-with-post"]["recall"] == 0.5
    assert data["documents"][0]["misses"] == [["persons-with-post", "Анна Смирнова — министр"]]
    assert data["skipped"] == ["b"]


def test_cli_eval_gold_lists_extras_per_relation(fake: Any, tmp_path: Path) -> None:
    fake.readers = {"a": fake.readers["book_1"]}
    line = dict(GOLD_LINES[0], gold={"persons": [["Иван Петров", "губернатор"]], "events": ["совещание"]})
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "gold", str(path)], catch_exceptions=False)
    assert result.output.endswith("""
persons: 0 missed, 1 extracted but not in the gold
  extra a: Анна Смирнова

events: 1 missed, 1 extracted but not in the gold
  miss  a: совещание
  extra a: встреча
""")


def test_cli_eval_gold_half_scores_only_that_half(fake: Any, tmp_path: Path) -> None:
    # kg.evaluate.halves: "a" and "b" lie in half B, "c" and "d" in half A
    lines = [dict(GOLD_LINES[0], id=name) for name in ("a", "b", "c", "d")]
    fake.readers = {name: fake.readers["book_1"] for name in ("a", "b", "c", "d")}
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    for half, seen in (("A", ["c", "d"]), ("B", ["a", "b"])):
        fake.seen.clear()
        result = CliRunner().invoke(cli, ["eval", "gold", str(path), "--half", half], catch_exceptions=False)
        assert result.exit_code == 0
        assert fake.seen == seen
        assert result.output.splitlines()[:2] == [
            "documents: 2 scored, 0 without gold skipped",
            f"half {half}: 2 of 4 records (SHA-256 of the identifier (UTF-8) even -> A, odd -> B)"]
    data = json.loads(CliRunner().invoke(cli, ["eval", "gold", str(path), "--half", "A", "--json"]).output)
    assert data["half"] == "A" and [d["id"] for d in data["documents"]] == ["c", "d"]


def test_cli_eval_gold_half_must_be_a_or_b(fake: Any, tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(GOLD_LINES[0], ensure_ascii=False) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "gold", str(path), "--half", "C"])
    assert result.exit_code == 2 and "'C' is not one of 'A', 'B'" in result.output
    assert fake.seen == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json}\n", "gold.jsonl:1: invalid JSON"),
        ('{"id": "x", "text": "t"}\n', "gold.jsonl:1: a record needs a 'gold' object"),
        ("\n", "gold.jsonl: no records"),
    ],
)
def test_cli_eval_gold_errors(fake: Any, tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "gold", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and message in result.output
    assert len(result.output.strip().splitlines()) == 1
