"""kg.io.read_documents on standard input (``-``), with sys.stdin monkeypatched."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from kg.io import read_documents
from kg.model import Document, Problem


def read(sources: list[str | Path], **options: object) -> tuple[list[Document], list[Problem]]:
    problems: list[Problem] = []
    docs = list(read_documents(sources, report=problems.append, **options))  # type: ignore[arg-type]
    return docs, problems


STDIN_CASES = [
    # stdin text, options, expected (id, text, origin)
    (
        "Первая.\n\nТретья.\n",
        {},
        [("stdin:1", "Первая.", "<stdin>:1"), ("stdin:3", "Третья.", "<stdin>:3")],
    ),
    ("Первая.\nВторая.\n", {"per_file": True}, [("stdin", "Первая.\nВторая.\n", "<stdin>")]),
    (
        '{"id": "s", "text": "Из JSONL."}\n',
        {"stdin_format": "jsonl"},
        [("s", "Из JSONL.", "<stdin>:1")],
    ),
    ('{"text": "Без id."}\n', {"stdin_format": "jsonl"}, [("stdin:1", "Без id.", "<stdin>:1")]),
    ("text,id\nИз CSV.,c\n", {"stdin_format": "csv"}, [("c", "Из CSV.", "<stdin>:2")]),
    (
        '{"id": "s", "text": "по умолчанию txt"}\n',
        {},
        [("stdin:1", '{"id": "s", "text": "по умолчанию txt"}', "<stdin>:1")],
    ),
]


@pytest.mark.parametrize("binary", [False, True], ids=["StringIO", "bytes"])
@pytest.mark.parametrize(("content", "options", "expected"), STDIN_CASES)
def test_read_stdin(
    monkeypatch: pytest.MonkeyPatch,
    content: str,
    options: dict[str, object],
    expected: list[tuple[str, str, str]],
    binary: bool,
) -> None:
    stream = (
        io.TextIOWrapper(io.BytesIO(content.encode("utf-8")), encoding="utf-8")
        if binary
        else io.StringIO(content)
    )
    monkeypatch.setattr(sys, "stdin", stream)
    docs, problems = read(["-"], **options)
    assert problems == []
    assert [(d.id, d.text, d.origin) for d in docs] == expected


@pytest.mark.parametrize(
    ("encoding", "expected_ids", "message"),
    [
        (None, ["stdin:1", "stdin:3"], "looks like cp1251; pass --encoding cp1251"),
        ("cp1251", ["stdin:1", "stdin:2", "stdin:3"], None),
    ],
)
def test_read_stdin_bytes_not_utf8(
    monkeypatch: pytest.MonkeyPatch,
    encoding: str | None,
    expected_ids: list[str],
    message: str | None,
) -> None:
    raw = (
        "\ufeffПервая.\n".encode()
        + "Вторая строка в кодировке Windows.\n".encode("cp1251")
        + "Третья.\n".encode()
    )
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(raw))))
    docs, problems = read(["-"], encoding=encoding)
    assert [d.id for d in docs] == expected_ids
    assert docs[0].text == "Первая."
    if message is None:
        assert problems == [] and docs[1].text == "Вторая строка в кодировке Windows."
    else:
        assert [p.where for p in problems] == ["<stdin>:2"] and message in problems[0].message


def test_read_stdin_binary(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(raw))))
    docs, problems = read(["-"])
    assert docs == [] and [p.where for p in problems] == ["<stdin>"]
    assert "binary" in problems[0].message
