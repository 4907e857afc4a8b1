"""kg.io.read_documents: formats, ids, problems, directories, stdin."""

from __future__ import annotations

import csv
import json
import logging
import os
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.io import SUPPORTED_SUFFIXES, read_documents
from kg.io.dates import parse_date
from kg.io.record import MAX_TEXT
from kg.model import Document, Problem

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parents[2]
SHARED_CORPUS = Path("/work/shared/corpora/cluster-news-dev.jsonl")


def read(sources: list[str | Path], **options: object) -> tuple[list[Document], list[Problem]]:
    problems: list[Problem] = []
    docs = list(read_documents(sources, report=problems.append, **options))  # type: ignore[arg-type]
    return docs, problems


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


# ---- .txt -------------------------------------------------------------------

TXT_CASES = [
    # content, expected (line, text) pairs
    ("Первая.\nВторая.\n", [(1, "Первая."), (2, "Вторая.")]),
    ("Без перевода строки в конце", [(1, "Без перевода строки в конце")]),
    ("\n\n  \t \nПосле пустых.\n\n", [(4, "После пустых.")]),
    ("Окна.\r\nТоже.\r\n", [(1, "Окна."), (2, "Тоже.")]),
    ("  отступ и хвост \t\n", [(1, "  отступ и хвост \t")]),
    ("одинокий возврат\r", [(1, "одинокий возврат\r")]),
    ("a\rb\n", [(1, "a\rb")]),
    ("разделитель\u2028внутри\x85строки\n", [(1, "разделитель\u2028внутри\x85строки")]),
]


@pytest.mark.parametrize(("content", "expected"), TXT_CASES)
def test_read_txt_one_document_per_non_blank_line(
    tmp_path: Path, content: str, expected: list[tuple[int, str]]
) -> None:
    path = write(tmp_path / "news.txt", content)
    docs, problems = read([path])
    assert problems == []
    assert [(d.id, d.text, d.origin) for d in docs] == [
        (f"news:{line}", text, f"{path}:{line}") for line, text in expected
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("Весь файл.\nДве строки.\n", "Весь файл.\nДве строки.\n"),
        ("a\r\n\r\nb", "a\r\n\r\nb"),
        ("\n \n", None),
        ("", None),
    ],
)
def test_read_txt_per_file(tmp_path: Path, content: str, expected: str | None) -> None:
    path = write(tmp_path / "whole.txt", content)
    docs, problems = read([path], per_file=True)
    assert problems == []
    assert [(d.id, d.text, d.origin) for d in docs] == (
        [] if expected is None else [("whole", expected, str(path))]
    )


def test_read_seed_news_matches_its_lines() -> None:
    seed = REPO / "data" / "seed-news.txt"
    if not seed.exists():
        pytest.skip("data/seed-news.txt is not in this checkout")
    lines = seed.read_bytes().decode("utf-8-sig").split("\n")
    docs, problems = read([seed])
    assert problems == []
    expected = {f"seed-news:{n}": line.removesuffix("\r") for n, line in enumerate(lines, 1)}
    assert {d.id: d.text for d in docs} == {k: v for k, v in expected.items() if v.strip()}


# ---- .jsonl -----------------------------------------------------------------

JSONL_CASES = [
    # record, expected (id, text, date, title, url)
    ({"id": "n1", "text": "Текст."}, ("n1", "Текст.", None, None, None)),
    ({"text": "Без id."}, ("in:1", "Без id.", None, None, None)),
    ({"id": "", "text": "Пустой id."}, ("in:1", "Пустой id.", None, None, None)),
    ({"id": 7, "text": "Число."}, ("7", "Число.", None, None, None)),
    (
        {
            "id": "n2",
            "text": " пробелы \n",
            "date": "2018-02-15",
            "title": "Т",
            "url": "http://a.ru/1",
        },
        ("n2", " пробелы \n", "2018-02-15", "Т", "http://a.ru/1"),
    ),
    (
        {"id": "n3", "text": "Источник.", "source": "http://b.ru/2"},
        ("n3", "Источник.", None, None, "http://b.ru/2"),
    ),
    (
        {"id": "n4", "text": "Оба.", "url": "http://u.ru", "source": "http://s.ru"},
        ("n4", "Оба.", None, None, "http://u.ru"),
    ),
    (
        {"id": "n5", "text": "Дата.", "date": "15.02.2018", "gold": {"x": 1}},
        ("n5", "Дата.", "2018-02-15", None, None),
    ),
    ({"id": "n6", "text": "Год числом.", "date": 2020}, ("n6", "Год числом.", "2020", None, None)),
]


@pytest.mark.parametrize(("record", "expected"), JSONL_CASES)
def test_read_jsonl_fields(
    tmp_path: Path, record: dict[str, object], expected: tuple[object, ...]
) -> None:
    path = write(tmp_path / "in.jsonl", json.dumps(record, ensure_ascii=False) + "\n")
    docs, problems = read([path])
    assert problems == []
    assert [(d.id, d.text, d.date, d.title, d.url) for d in docs] == [expected]
    assert docs[0].origin == f"{path}:1"


JSONL_BAD_LINES = [
    # bad line, words the message must contain
    ('{"id": "x", "text": "обрыв', "malformed JSON"),
    ("не json вовсе", "malformed JSON"),
    ('{"id": "x", "text": 42}', "'text' must be a string, found number"),
    ('{"id": "x", "text": null}', "missing 'text'"),
    ('{"id": "x"}', "missing 'text'"),
    ('["text", "массив"]', "expected a JSON object, found list"),
    ('{"id": ["x"], "text": "id-массив"}', "'id' must be a string, found array"),
    ("[" * 100_000, "record skipped"),
]


@pytest.mark.parametrize(("bad", "message"), JSONL_BAD_LINES)
def test_read_jsonl_bad_line_reported_and_skipped(tmp_path: Path, bad: str, message: str) -> None:
    good = [json.dumps({"id": f"g{n}", "text": f"Хорошая запись {n}."}) for n in (1, 2)]
    path = write(tmp_path / "mixed.jsonl", "\n".join([good[0], bad, "", good[1]]) + "\n")
    docs, problems = read([path])
    assert [(d.id, d.origin) for d in docs] == [("g1", f"{path}:1"), ("g2", f"{path}:4")]
    assert len(problems) == 1
    assert problems[0].where == f"{path}:2"
    assert message in problems[0].message
    assert str(problems[0]).startswith(f"{path}:2: ")


@pytest.mark.parametrize("field", ["title", "url", "source"])
def test_read_jsonl_non_string_optional_field_warns_and_keeps(tmp_path: Path, field: str) -> None:
    path = write(tmp_path / "w.jsonl", json.dumps({"id": "a", "text": "Текст.", field: 5}))
    docs, problems = read([path])
    assert [(d.id, d.title, d.url) for d in docs] == [("a", None, None)]
    assert [(p.where, p.severity) for p in problems] == [(f"{path}:1", "warning")]
    assert f"'{field}' must be a string" in problems[0].message


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\n\t", "\u3000"],
)
def test_read_jsonl_blank_text_reported_and_skipped(tmp_path: Path, text: str) -> None:
    path = write(tmp_path / "b.jsonl", json.dumps({"id": "a", "text": text}))
    assert read([path]) == ([], [Problem(f"{path}:1", "blank 'text', record skipped")])


def test_read_csv_blank_text_reported_and_skipped(tmp_path: Path) -> None:
    path = write(tmp_path / "b.csv", "id,text\na,  \nb,Текст\n,,\n")
    docs, problems = read([path])
    assert [d.id for d in docs] == ["b"]
    assert problems == [Problem(f"{path}:2", "blank 'text', record skipped")]  # an empty row is no record


def test_read_jsonl_control_character_message_says_at_once(tmp_path: Path) -> None:
    path = write(tmp_path / "c.jsonl", b'{"id": "a", "text": "raw \x00 byte"}\n')
    assert read([path]) == ([], [Problem(f"{path}:1", "malformed JSON (Invalid control character "
                                                       "at column 26), record skipped")])


# ---- dates --------------------------------------------------------------------

DATE_CASES = [
    ("2018-02-15", "2018-02-15"),
    ("2024-09", "2024-09"),
    ("2020", "2020"),
    ("15.02.2018", "2018-02-15"),
    ("5.2.2018", "2018-02-05"),
    ("09.2024", "2024-09"),
    (" 2020 ", "2020"),
    ("2018-02-15T10:30:00+03:00", "2018-02-15"),
    ("2018-02-15 10:30", "2018-02-15"),
    ("31.02.2018", None),
    ("2024-13", None),
    ("2018-02-30", None),
    ("0000", None),
    ("вчера", None),
    ("15 февраля 2018", None),
    ("٢٠٢٠", None),
    ("20", None),
]


@pytest.mark.parametrize(("raw", "expected"), DATE_CASES)
def test_dates_parse_date(raw: str, expected: str | None) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["вчера", "31.02.2018", "2024-13"])
def test_read_unparseable_date_warns_and_keeps_record(tmp_path: Path, raw: str) -> None:
    path = write(tmp_path / "d.jsonl", json.dumps({"id": "a", "text": "Т.", "date": raw}))
    docs, problems = read([path])
    assert [(d.id, d.date) for d in docs] == [("a", None)]
    assert [(p.where, p.severity) for p in problems] == [(f"{path}:1", "warning")]
    assert repr(raw) in problems[0].message


# ---- .csv -------------------------------------------------------------------


def test_read_csv_records_and_start_lines(tmp_path: Path) -> None:
    content = (
        "ID,Text,date,title,url\r\n"
        'c1,"Первая, с запятой.",2024-09,Заголовок,http://a.ru\r\n'
        "\r\n"
        'c2,"Многострочная\r\nзапись ""с кавычками"".",,,\r\n'
        ',"Без id.",15.02.2018,,\r\n'
    )
    path = write(tmp_path / "t.csv", content)
    docs, problems = read([path])
    assert problems == []
    assert [(d.id, d.text, d.date, d.title, d.url, d.origin) for d in docs] == [
        ("c1", "Первая, с запятой.", "2024-09", "Заголовок", "http://a.ru", f"{path}:2"),
        ("c2", 'Многострочная\r\nзапись "с кавычками".', None, None, None, f"{path}:4"),
        ("t:6", "Без id.", "2018-02-15", None, None, f"{path}:6"),
    ]


def test_read_csv_without_text_column_is_skipped_others_kept(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.csv", "id,body\n1,Текст без колонки text.\n")
    good = write(tmp_path / "good.csv", "id,text\n1,Хороший текст.\n")
    docs, problems = read([bad, good])
    assert [d.id for d in docs] == ["1"]
    assert [p.where for p in problems] == [f"{bad}:1"]
    assert "no 'text' column" in problems[0].message


def test_read_csv_field_count_mismatch_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "m.csv", "id,text\na,Один.\nb,Два.,лишнее\nc,Три.\n")
    docs, problems = read([path])
    assert [d.id for d in docs] == ["a", "c"]
    assert [p.where for p in problems] == [f"{path}:3"]
    assert "expected 2 fields, found 3" in problems[0].message


def test_read_csv_ten_megabyte_field_and_limit_restored(tmp_path: Path) -> None:
    big = ("кластер " * MAX_TEXT)[:MAX_TEXT]  # 9.4 MB, the longest text read
    path = write(tmp_path / "big.csv", f'id,text\nbig,"{big}"\nsmall,Мал.\nover,"{big}я"\n')
    limit = csv.field_size_limit()
    docs, problems = read([path])
    assert problems == [Problem(f"{path}:4", f"'text' is {MAX_TEXT + 1:,} characters, over the limit of "
                                             f"{MAX_TEXT:,}; record skipped")]
    assert [(d.id, len(d.text)) for d in docs] == [("big", len(big)), ("small", 4)]
    assert docs[0].text == big
    assert csv.field_size_limit() == limit


# ---- empty input, duplicates, sources -----------------------------------------


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
@pytest.mark.parametrize("content", ["", "\n", "\n\n \r\n", "\ufeff"])
def test_read_empty_files_yield_nothing(tmp_path: Path, suffix: str, content: str) -> None:
    path = write(tmp_path / f"empty{suffix}", content)
    assert read([path]) == ([], [])
    assert read([path], per_file=True) == ([], [])


def test_read_duplicate_ids_reported_with_first_location(tmp_path: Path) -> None:
    first = write(tmp_path / "one.jsonl", '{"id": "x", "text": "Первый."}\n')
    second = write(
        tmp_path / "two.jsonl", '{"id": "y", "text": "Другой."}\n{"id": "x", "text": "Повтор."}\n'
    )
    docs, problems = read([first, second])
    assert [(d.id, d.text) for d in docs] == [("x", "Первый."), ("y", "Другой.")]
    assert [str(p) for p in problems] == [
        f"{second}:2: duplicate id 'x' (first seen at {first}:1), skipped"
    ]


def test_read_directory_recursive_sorted_hidden_and_unknown_ignored() -> None:
    tree = DATA / "tree"
    docs, problems = read([tree])
    assert problems == []
    assert [(d.id, d.origin) for d in docs] == [
        ("c-1", f"{tree / 'a' / 'c.csv'}:2"),
        ("z-1", f"{tree / 'a' / 'z.jsonl'}:1"),
        ("b:1", f"{tree / 'b.txt'}:1"),
        ("b:3", f"{tree / 'b.txt'}:3"),
    ]


def test_read_same_file_twice_is_read_once() -> None:
    tree = DATA / "tree"
    docs, problems = read([tree / "b.txt", tree])
    assert problems == []
    assert [d.id for d in docs] == ["b:1", "b:3", "c-1", "z-1"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.txt", "no such file or directory"),
        ("notes.md", "unsupported file type '.md'"),
        ("README", "unsupported file type '(none)'"),
    ],
)
def test_read_bad_source_reported_others_kept(tmp_path: Path, name: str, message: str) -> None:
    if name != "missing.txt":
        write(tmp_path / name, "Текст.\n")
    good = write(tmp_path / "good.txt", "Хорошо.\n")
    docs, problems = read([tmp_path / name, good])
    assert [d.id for d in docs] == ["good:1"]
    assert [p.where for p in problems] == [str(tmp_path / name)]
    assert message in problems[0].message


def test_read_suffix_is_case_insensitive(tmp_path: Path) -> None:
    path = write(tmp_path / "UPPER.TXT", "Текст.\n")
    assert [d.id for d in read([path])[0]] == ["UPPER:1"]


def test_read_single_path_argument_is_one_source(tmp_path: Path) -> None:
    path = write(tmp_path / "one.txt", "Текст.\n")
    assert [d.id for d in read_documents(str(path))] == ["one:1"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"encoding": "no-such-codec"}, "unknown text encoding"),
        ({"encoding": "base64"}, "unknown text encoding"),
        ({"stdin_format": "xml"}, "unknown stdin format 'xml'; choose one of: txt, jsonl, csv"),
    ],
)
def test_read_bad_options_raise_input_error(options: dict[str, str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_documents(["-"], **options)  # type: ignore[arg-type]


def test_read_without_report_logs_problems(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="kg.io"):
        assert list(read_documents([tmp_path / "nope.txt"])) == []
    assert [r.getMessage() for r in caplog.records] == [
        f"{tmp_path / 'nope.txt'}: no such file or directory"
    ]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_read_unreadable_file_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "locked.txt", "Текст.\n")
    path.chmod(0)
    docs, problems = read([path])
    assert docs == [] and [p.where for p in problems] == [str(path)]
    assert "cannot read" in problems[0].message


# ---- the shared corpus (read in place, never copied) --------------------------


def test_read_shared_corpus_jsonl() -> None:
    if not SHARED_CORPUS.exists():
        if os.environ.get("KG_STRICT_TESTS") == "1":
            pytest.fail(f"{SHARED_CORPUS} is missing (KG_STRICT_TESTS=1)")
        pytest.skip(f"{SHARED_CORPUS} is not available")
    records = [
        json.loads(line) for line in SHARED_CORPUS.read_text("utf-8").splitlines() if line.strip()
    ]
    docs, problems = read([SHARED_CORPUS])
    assert [p for p in problems if p.severity == "error"] == []
    assert [(d.id, d.text, d.title, d.url) for d in docs] == [
        (r["id"], r["text"], r.get("title"), r.get("url") or r.get("source")) for r in records
    ]


def _read_with_deadline(sources: list[str | Path], fifo: Path) -> tuple[list[Document], list[Problem]]:
    """``read`` in a thread; a reader still blocked after 20 s fails the test (and is released)."""
    import threading

    box: list[tuple[list[Document], list[Problem]]] = []
    thread = threading.Thread(target=lambda: box.append(read(sources)), daemon=True)
    thread.start()
    thread.join(20)
    if thread.is_alive():  # blocked opening the FIFO: a writer end releases it
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        thread.join(20)
        pytest.fail(f"reading blocked on the FIFO {fifo}")
    return box[0]


def test_read_fifo_in_a_directory_is_skipped_not_opened(tmp_path: Path) -> None:
    """Issue 16: a FIFO named *.txt in an input directory hung the build."""
    write(tmp_path / "a.txt", "Первая новость.\n")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    docs, problems = _read_with_deadline([tmp_path], fifo)
    assert [d.id for d in docs] == ["a:1"]
    assert problems == [Problem(str(fifo), "a FIFO, not a regular file; skipped (pipe data into '-' instead)")]


def test_read_fifo_named_as_input_is_skipped(tmp_path: Path) -> None:
    fifo = tmp_path / "news.jsonl"
    os.mkfifo(fifo)
    docs, problems = _read_with_deadline([fifo], fifo)
    assert (docs, [p.message for p in problems]) == ([], ["a FIFO, not a regular file; skipped (pipe data into "
                                                          "'-' instead)"])
