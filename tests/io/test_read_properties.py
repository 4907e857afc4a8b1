"""Hypothesis properties of kg.io.read_documents."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kg.io import read_documents
from kg.io.decode import SNIFF_BYTES, is_binary, utf16_without_bom
from kg.model import Problem

# Any text but "\n" (the line separator) and surrogates (not encodable in a file); NUL,
# "\r", other controls and Unicode line separators are included.
LINE_CHARS = st.characters(codec="utf-8", exclude_characters="\n")


def repaired(text: str) -> str:
    """What kg.io keeps of a text: controls XML cannot hold, lone surrogates, U+FFFE/U+FFFF -> U+FFFD."""
    return "".join("\ufffd" if (ord(c) < 32 and c not in "\t\n\r") or "\ud800" <= c <= "\udfff"
                   or c in "\ufffe\uffff" else c for c in text)
LINES = st.lists(
    st.text(LINE_CHARS, max_size=40).filter(lambda s: not s.endswith("\r")), max_size=12
)
TERMINATORS = st.lists(st.sampled_from(["\n", "\r\n"]), min_size=12, max_size=12)


def _file_text(lines: list[str], terminators: list[str], final: bool) -> str:
    text = "".join(line + end for line, end in zip(lines, terminators, strict=False))
    return text if final or not lines else text[: -len(terminators[len(lines) - 1])]


@settings(max_examples=150, deadline=None)
@given(lines=LINES, terminators=TERMINATORS, final=st.booleans(), bom=st.booleans())
def test_read_txt_lines_round_trip(
    lines: list[str], terminators: list[str], final: bool, bom: bool
) -> None:
    content = _file_text(lines, terminators, final)
    assume(bom or not content.startswith("\ufeff"))  # a leading U+FEFF *is* a BOM
    assume(not looks_binary(content.encode("utf-8")))
    problems: list[Problem] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "prop.txt"
        path.write_bytes(("\ufeff" if bom else "").encode() + content.encode("utf-8"))
        docs = list(read_documents([path], report=problems.append))
        whole = list(read_documents([path], per_file=True, report=problems.append))
    expected = [(n, line) for n, line in enumerate(lines, 1) if line.strip()]
    repairs = [f"{path}:{n}" for n, line in expected if repaired(line) != line]
    if content.strip() and repaired(content) != content:
        repairs.append(str(path))
    assert [(p.where, p.severity) for p in problems] == [(where, "warning") for where in repairs]
    assert [d.text for d in docs] == [repaired(line) for _, line in expected]
    assert [d.id for d in docs] == [f"prop:{n}" for n, _ in expected]
    assert [d.origin for d in docs] == [f"{path}:{n}" for n, _ in expected]
    assert len({d.id for d in docs}) == len(docs)
    # identity with the file: each document is its physical line, terminator removed (and repaired)
    physical = repaired(content).split("\n")
    for doc, (n, _) in zip(docs, expected, strict=True):
        assert physical[n - 1] in (doc.text, doc.text + "\r")
    assert [d.text for d in whole] == ([repaired(content)] if content.strip() else [])


def looks_binary(data: bytes) -> bool:
    """What kg.io.decode refuses as a whole file (tested on its own in test_read_encoding)."""
    head = data[:SNIFF_BYTES]
    return b"\0" in head and (is_binary(head) or utf16_without_bom(head) is not None)


RECORD_TEXT = st.text(st.characters(codec="utf-8"), max_size=40)


@settings(max_examples=100, deadline=None)
@given(texts=st.lists(RECORD_TEXT, max_size=8), ascii_only=st.booleans())
def test_read_jsonl_and_csv_texts_round_trip(texts: list[str], ascii_only: bool) -> None:
    problems: list[Problem] = []
    jsonl = "".join(
        json.dumps({"id": f"j{n}", "text": t}, ensure_ascii=ascii_only) + "\n"
        for n, t in enumerate(texts)
    )
    table = io.StringIO(newline="")
    writer = csv.writer(table)
    writer.writerow(["id", "text"])
    writer.writerows([f"c{n}", t] for n, t in enumerate(texts))
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "a.jsonl").write_text(jsonl, encoding="utf-8", newline="")
        (Path(folder) / "b.csv").write_text(table.getvalue(), encoding="utf-8", newline="")
        docs = list(read_documents([folder], report=problems.append))
    def outcome(text: str) -> tuple[str, str]:
        if not text.strip():
            return ("error", "blank 'text', record skipped")
        return ("warning", "'text' has") if repaired(text) != text else ("", "")

    expected = [outcome(t) for t in texts if outcome(t)[0]]
    kept = [repaired(t) for t in texts if t.strip()]
    if looks_binary(table.getvalue().encode("utf-8")):  # the CSV alone is refused: NULs fill its head
        assert [d.text for d in docs] == kept
        assert [(p.severity, p.message) for p in problems] == [
            (s, m) for s, m in expected] + [("error", "binary file (NUL and control bytes in the first 8 KiB), skipped")]
        return
    assert [(p.severity, p.message[:len(m)]) for p, (_, m) in zip(problems, expected + expected, strict=True)] \
        == expected + expected
    assert [d.text for d in docs] == kept + kept
