"""kg.io decoding: BOM, legacy Cyrillic encodings, binary files, UTF-16, huge lines."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from kg.io import read_documents
from kg.io.decode import guess_encoding
from kg.io.record import MAX_TEXT
from kg.model import Document, Problem

# Our own sentences (not from any corpus); mostly lowercase, as news prose is.
RUSSIAN = [
    "В Калужской области обсудили создание кластера по производству фармацевтики.",
    "Соглашение подписали губернатор региона и директор завода Пример.",
    "Участники круглого стола говорили о поддержке малого бизнеса.",
]


def read(sources: list[str | Path], **options: object) -> tuple[list[Document], list[Problem]]:
    problems: list[Problem] = []
    docs = list(read_documents(sources, report=problems.append, **options))  # type: ignore[arg-type]
    return docs, problems


FORMATS = {  # suffix -> (lines, id prefix) -> file content
    ".txt": lambda lines, tag="r": "".join(f"{line}\n" for line in lines),
    ".jsonl": lambda lines, tag="r": "".join(
        json.dumps({"id": f"{tag}{n}", "text": line}, ensure_ascii=False) + "\n"
        for n, line in enumerate(lines, 1)
    ),
    ".csv": lambda lines, tag="r": (
        "id,text\n" + "".join(f'{tag}{n},"{line}"\n' for n, line in enumerate(lines, 1))
    ),
}


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_decode_utf8_bom_removed(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"bom{suffix}"
    path.write_bytes(codecs.BOM_UTF8 + FORMATS[suffix](RUSSIAN).encode("utf-8"))
    docs, problems = read([path])
    assert problems == []
    assert [d.text for d in docs] == RUSSIAN
    (whole,) = read([path], per_file=True)[0] if suffix == ".txt" else (docs[0],)
    assert not whole.text.startswith("\ufeff")


def test_decode_bom_only_on_first_line_is_removed(tmp_path: Path) -> None:
    path = tmp_path / "inner.txt"
    path.write_bytes(codecs.BOM_UTF8 + "один\n\ufeffдва\n".encode())
    assert [d.text for d in read([path])[0]] == ["один", "\ufeffдва"]


LEGACY = [
    # codec, expected guess
    ("cp1251", "cp1251"),
    ("koi8_r", "koi8_r"),
    ("cp866", "cp866"),
]


@pytest.mark.parametrize("suffix", list(FORMATS))
@pytest.mark.parametrize(("codec", "guess"), LEGACY)
def test_decode_legacy_cyrillic_detected_and_skipped(
    tmp_path: Path, suffix: str, codec: str, guess: str
) -> None:
    path = tmp_path / f"legacy{suffix}"
    path.write_bytes(FORMATS[suffix](RUSSIAN).encode(codec))
    good = tmp_path / "good.txt"
    good.write_text("Хороший файл.\n", encoding="utf-8")
    docs, problems = read([path, good])
    assert [d.id for d in docs] == ["good:1"]
    assert [p.where for p in problems] == [str(path)]
    assert f"looks like {guess}; pass --encoding {guess}" in problems[0].message


@pytest.mark.parametrize("suffix", list(FORMATS))
@pytest.mark.parametrize(
    ("codec", "given"),
    [("cp1251", "cp1251"), ("cp1251", "windows-1251"), ("koi8_r", "koi8-r"), ("cp866", "cp866")],
)
def test_decode_with_encoding_accepted(tmp_path: Path, suffix: str, codec: str, given: str) -> None:
    legacy = tmp_path / f"legacy{suffix}"
    legacy.write_bytes(FORMATS[suffix](RUSSIAN).encode(codec))
    utf8 = tmp_path / f"utf8{suffix}"
    utf8.write_bytes(FORMATS[suffix](RUSSIAN[:1], "u").encode("utf-8"))
    docs, problems = read([legacy, utf8], encoding=given)
    assert problems == []
    assert [d.text for d in docs] == RUSSIAN + RUSSIAN[:1]  # UTF-8 files stay UTF-8


def test_decode_given_encoding_that_does_not_fit_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes("строка\n".encode("cp1251") + b"\x98\n")  # 0x98 is undefined in cp1251
    docs, problems = read([path], encoding="cp1251")
    assert docs == []
    assert [p.where for p in problems] == [str(path)]
    assert "not valid cp1251: byte 0x98 line 2" in problems[0].message


def test_decode_latin_text_not_utf8_gets_no_cyrillic_guess(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Première ligne.\nDeuxième édition.\n".encode("latin-1"))
    docs, problems = read([path])
    assert docs == []
    assert problems[0].message == (
        "not UTF-8 (byte 0xE8 on line 1); pass --encoding with the file's encoding"
    )


def test_decode_error_line_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "late.txt"
    path.write_bytes("чистая строка\n".encode() * 3 + "испорчена".encode("cp1251") + b"\n")
    problems = read([path])[1]
    assert "on line 4" in problems[0].message


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        (" ".join(RUSSIAN).encode("cp1251"), "cp1251"),
        (" ".join(RUSSIAN).encode("koi8_r"), "koi8_r"),
        (" ".join(RUSSIAN).encode("cp866"), "cp866"),
        ("Première édition, déjà vu.".encode("latin-1"), None),
        (b"12345 !!!", None),
        (b"", None),
    ],
)
def test_decode_guess_encoding(sample: bytes, expected: str | None) -> None:
    assert guess_encoding(sample) == expected


BINARY = [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    b"text at first\n" + b"\x00" * 10,
    b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
]


@pytest.mark.parametrize("suffix", list(FORMATS))
@pytest.mark.parametrize("content", BINARY)
def test_decode_binary_file_skipped(tmp_path: Path, suffix: str, content: bytes) -> None:
    path = tmp_path / f"blob{suffix}"
    path.write_bytes(content)
    docs, problems = read([path], encoding="cp1251")
    assert docs == []
    assert [p.where for p in problems] == [str(path)]
    assert problems[0].message.startswith("binary file")


@pytest.mark.parametrize("before", [b"", b"a" * 9000 + b"\n"], ids=["early", "after 8 KiB"])
def test_decode_nul_is_decided_per_record(tmp_path: Path, before: bytes) -> None:
    """Issue 16: a NUL in the first 8 KiB dropped the whole file, one after it was kept: now the
    record keeps it as U+FFFD with a warning, wherever it is, and the other records are untouched."""
    path = tmp_path / "nul.txt"
    path.write_bytes(before + b"b\x00c\nnext\n")
    docs, problems = read([path])
    line = before.count(b"\n") + 1
    assert [d.text for d in docs] == (["a" * 9000] if before else []) + ["b\ufffdc", "next"]
    assert [(p.where, p.severity) for p in problems] == [(f"{path}:{line}", "warning")]
    assert problems[0].message == ("'text' has a character RDF/XML cannot hold (the first, U+0000, at offset 1); "
                                   "replaced by U+FFFD, record kept")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_decode_utf16_without_bom_is_named(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("Губернатор подписал соглашение.\nВторая строка.\n".encode(codec))
    docs, problems = read([path])
    assert (docs, [p.message for p in problems]) == (
        [], [f"looks like UTF-16 without a byte order mark; pass --encoding {codec}"])
    docs, problems = read([path], encoding=codec)
    assert problems == [] and [d.text for d in docs] == ["Губернатор подписал соглашение.", "Вторая строка."]


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_decode_bom_codec_without_bom_is_one_problem(tmp_path: Path, codec: str) -> None:
    """--encoding utf-16 on a file without a BOM raised UnicodeError (a traceback)."""
    path = tmp_path / "wide.txt"
    path.write_bytes("Губернатор.\n".encode(codec + "-le"))
    docs, problems = read([path], encoding=codec)
    assert docs == [] and [p.message for p in problems] == [
        f"no byte order mark, which --encoding {codec} needs; pass --encoding {codec}-le or {codec}-be, skipped"]


@pytest.mark.parametrize(("codec", "label"), [("utf-16", "utf-16"), ("utf-32", "utf-32")])
def test_decode_wide_unicode_needs_encoding(tmp_path: Path, codec: str, label: str) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("один\r\nдва\n".encode(codec))
    docs, problems = read([path])
    assert docs == [] and f"pass --encoding {label}" in problems[0].message
    docs, problems = read([path], encoding=codec)
    assert problems == []
    assert [(d.id, d.text) for d in docs] == [("wide:1", "один"), ("wide:2", "два")]


@pytest.mark.parametrize("suffix", [".txt", ".jsonl"])
def test_decode_ten_megabyte_single_line(tmp_path: Path, suffix: str) -> None:
    text = ("Кластер " * MAX_TEXT)[:MAX_TEXT - 1] + "."  # the longest text read (kg.io.record.MAX_TEXT)
    assert len(text.encode()) > 8 * 1024 * 1024
    path = tmp_path / f"big{suffix}"
    line = text if suffix == ".txt" else json.dumps({"id": "big", "text": text}, ensure_ascii=False)
    path.write_text(line + "\nкороткая\n" if suffix == ".txt" else line + "\n", encoding="utf-8")
    docs, problems = read([path])
    assert problems == []
    assert docs[0].text == text
    assert len(docs) == (2 if suffix == ".txt" else 1)
