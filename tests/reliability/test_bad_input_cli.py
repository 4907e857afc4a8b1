"""Bad input through `kg build`: each bad record is reported as `Warning: file:line: ...`
and skipped, every good record is in the store, and the exit status is 0, or 2 with --strict.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.io.record import MAX_TEXT

CYRILLIC = "Кластер Титан подписал соглашение с Калугой"
TEN_MB = 10 * 1024 * 1024

DOCS_QUERY = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
SELECT ?g ?id ?text WHERE { GRAPH ?g { ?g dcterms:identifier ?id ; nif:isString ?text } }
"""
MENTIONS_QUERY = """
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
SELECT ?text ?begin ?end ?anchor WHERE { GRAPH ?g {
  ?m nif:referenceContext ?g ; nif:beginIndex ?begin ; nif:endIndex ?end ; nif:anchorOf ?anchor .
  ?g nif:isString ?text } }
"""


@dataclass
class Case:
    """Input files, extra options, expected warnings (where, fragment) and the kept documents."""

    inputs: list[Path]
    warnings: list[tuple[str, str]]
    texts: dict[str, str]  # document id -> text, exactly as stored
    options: list[str] = field(default_factory=list)


def _write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def _good(tmp: Path) -> tuple[Path, dict[str, str]]:
    """A good file that goes along with every bad one: it must always be kept."""
    return _write(tmp / "good.txt", f"{CYRILLIC}.\nФорум в Обнинске.\n"), {
        "good:1": f"{CYRILLIC}.", "good:2": "Форум в Обнинске."}


def case_cp1251(tmp: Path) -> Case:
    good, texts = _good(tmp)
    bad = _write(tmp / "legacy.txt", f"{CYRILLIC} в 2024 году.\n".encode("cp1251"))
    return Case([bad, good], [(str(bad), "cp1251")], texts)


def case_cp1251_with_encoding(tmp: Path) -> Case:
    bad = _write(tmp / "legacy.txt", f"{CYRILLIC} в 2024 году.\n".encode("cp1251"))
    return Case([bad], [], {"legacy:1": f"{CYRILLIC} в 2024 году."}, ["--encoding", "cp1251"])


def case_bom(tmp: Path) -> Case:
    txt = _write(tmp / "bom.txt", "\ufeff" + CYRILLIC + "\n")
    jsonl = _write(tmp / "bom.jsonl", "\ufeff" + json.dumps({"id": "j", "text": CYRILLIC}) + "\n")
    csv = _write(tmp / "bom.csv", "\ufeffid,text\nc," + CYRILLIC + "\n")
    return Case([txt, jsonl, csv], [], {"bom:1": CYRILLIC, "j": CYRILLIC, "c": CYRILLIC})


def case_binary(tmp: Path) -> Case:
    good, texts = _good(tmp)
    bad = _write(tmp / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return Case([bad, good], [(str(bad), "binary")], texts)


def case_empty(tmp: Path) -> Case:
    good, texts = _good(tmp)
    files = [_write(tmp / "empty.txt", ""), _write(tmp / "empty.jsonl", ""), _write(tmp / "empty.csv", ""),
             _write(tmp / "blank.txt", "\n  \n\t\n"), _write(tmp / "blank.jsonl", "\n\n")]
    spaced = _write(tmp / "spaced.txt", "\n\nПервая новость.\n\n   \nВторая новость.\n")
    texts |= {"spaced:3": "Первая новость.", "spaced:6": "Вторая новость."}
    return Case([*files, spaced, good], [], texts)


def case_ten_megabyte_line(tmp: Path) -> Case:
    """A text over MAX_TEXT characters (11,010,054) is reported and skipped; one of MAX_TEXT
    characters is kept, in a JSONL record and as a line of a .txt file."""
    good, texts = _good(tmp)
    filler = "и кластер подписал соглашение о поставках " * (TEN_MB // 40)
    line = f"Титан {filler}Калуга."
    at_limit = line[:MAX_TEXT]
    big = _write(tmp / "big.jsonl", "\n".join(json.dumps({"id": i, "text": t}, ensure_ascii=False)
                                              for i, t in (("big", line), ("limit", at_limit))) + "\n")
    txt = _write(tmp / "long.txt", f"{at_limit}\n{line}\n")
    over = f"'text' is {len(line):,} characters, over the limit of {MAX_TEXT:,}; record skipped"
    return Case([big, txt, good], [(f"{big}:1", over), (f"{txt}:2", over)],
                texts | {"limit": at_limit, "long:1": at_limit})


def case_malformed_jsonl(tmp: Path) -> Case:
    lines = [json.dumps({"id": "a", "text": CYRILLIC}, ensure_ascii=False), '{"id": "b", "text": "обрыв',
             "[1, 2]", json.dumps({"id": "c", "text": "Форум"}, ensure_ascii=False), '{"id": "d"}']
    path = _write(tmp / "mixed.jsonl", "\n".join(lines) + "\n")
    warnings = [(f"{path}:2", "malformed JSON"), (f"{path}:3", "JSON object"), (f"{path}:5", "text")]
    return Case([path], warnings, {"a": CYRILLIC, "c": "Форум"})


def case_csv_without_text(tmp: Path) -> Case:
    good, texts = _good(tmp)
    bad = _write(tmp / "notext.csv", "id,body\n1,что-то\n")
    return Case([bad, good], [(f"{bad}:1", "no 'text' column")], texts)


def case_duplicate_ids(tmp: Path) -> Case:
    first = _write(tmp / "one.jsonl", json.dumps({"id": "x", "text": "Первый Титан"}, ensure_ascii=False) + "\n")
    second = _write(tmp / "two.csv", "id,text\ny,Калуга\nx,Второй Титан\n")
    return Case([first, second], [(f"{second}:3", "duplicate id 'x'")], {"x": "Первый Титан", "y": "Калуга"})


def case_html(tmp: Path) -> Case:
    text = ('<p class="lead">Кластер &laquo;Титан&raquo; &amp; <b>Калуга</b>&nbsp;подписали</p>'
            '<script>var Форум = "<b>";</script> &#1058;&#x438;тан &lt;Форум&gt;')
    path = _write(tmp / "page.jsonl", json.dumps({"id": "html", "text": text}, ensure_ascii=False) + "\n")
    return Case([path], [], {"html": text})


def case_control_characters(tmp: Path) -> Case:
    """C0 controls but tab/LF/CR cannot be in RDF/XML: each becomes U+FFFD (offsets kept), with
    a warning per field; DEL, C1 controls, U+2028/2029, ZWSP and U+FEFF are text and stay."""
    text = "Титан\x01 и\x0b Калуга\x1f\x7f \u2028Форум\u2029 \x85конец\u200b\ufeff"
    path = _write(tmp / "ctl.jsonl", json.dumps({"id": "ctl\x02", "text": text}) + "\n")
    tsv = _write(tmp / "ctl.txt", "Титан\x0cКалуга\x1b[31m\n")
    repaired = "Титан\ufffd и\ufffd Калуга\ufffd\x7f \u2028Форум\u2029 \x85конец\u200b\ufeff"
    return Case([path, tsv], [(f"{path}:1", "'id' has a character RDF/XML cannot hold (the first, U+0002"),
                              (f"{path}:1", "'text' has 3 characters RDF/XML cannot hold (the first, U+0001, "
                                            "at offset 5); replaced by U+FFFD, record kept"),
                              (f"{tsv}:1", "'text' has 2 characters RDF/XML cannot hold (the first, U+000C")],
                {"ctl\ufffd": repaired, "ctl:1": "Титан\ufffdКалуга\ufffd[31m"})


def case_nul_and_lone_surrogates(tmp: Path) -> Case:
    """Issue 16: one lone surrogate aborted the build; a NUL in the first 8 KiB dropped the file.
    Now each is one record's warning, the same early or late in the file, and nothing else is lost."""
    good, texts = _good(tmp)
    late = "x" * 9000
    jsonl = _write(tmp / "odd.jsonl", "".join(line + "\n" for line in [
        '{"id": "s1", "text": "Титан \\ud800 Калуга"}',
        '{"id": "s2\\udfff", "text": "Форум", "title": "\\udbff!", "url": "http://x.org/\\ud800"}',
        '{"id": "n1", "text": "нуль \\u0000 внутри"}',
        json.dumps({"id": "pad", "text": late}),
        '{"id": "n2", "text": "нуль \\u0000 в конце"}']))
    txt = _write(tmp / "nul.txt", "первая \x00 строка\n" + late + "\nпоследняя \x00\n")
    where = str(jsonl)
    return Case([jsonl, txt, good], [
        (f"{where}:1", "'text' has a character RDF/XML cannot hold (the first, U+D800, at offset 6)"),
        (f"{where}:2", "'id' has a character RDF/XML cannot hold (the first, U+DFFF"),
        (f"{where}:2", "'title' has a character"),
        (f"{where}:2", "'url' has a character"),
        (f"{where}:3", "'text' has a character RDF/XML cannot hold (the first, U+0000, at offset 5)"),
        (f"{where}:5", "'text' has a character RDF/XML cannot hold (the first, U+0000"),
        (f"{txt}:1", "'text' has a character RDF/XML cannot hold (the first, U+0000, at offset 7)"),
        (f"{txt}:3", "'text' has a character RDF/XML cannot hold (the first, U+0000"),
    ], {"s1": "Титан \ufffd Калуга", "s2\ufffd": "Форум", "n1": "нуль \ufffd внутри", "pad": late,
        "n2": "нуль \ufffd в конце", "nul:1": "первая \ufffd строка", "nul:2": late, "nul:3": "последняя \ufffd",
        **texts})


def case_names_that_are_bad_iris(tmp: Path) -> Case:
    ids = ["a b", "<x>", 'q"uote', "{}|\\^`", "#frag", "50%", "../../etc", "Калуга/2024", "tab\there",
           "\u202eRTL", "?a=1&b=2", ":", "_:b0"]
    urls = ["http://example.org/a b", "http://x/<y>", "javascript:alert(1)", "http://ex\x01ample.org/",
            "http://пример.рф/новость", "not a url", "http://example.org/ok"]
    records = [{"id": i, "text": f"Титан {n}", "url": urls[n % len(urls)]} for n, i in enumerate(ids)]
    path = _write(tmp / "iris.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    control = [(f"{path}:{n + 1}", "'url' has a character RDF/XML cannot hold (the first, U+0001")
               for n in range(len(ids)) if "\x01" in urls[n % len(urls)]]
    return Case([path], control, {r["id"]: r["text"] for r in records})


CASES: dict[str, Callable[[Path], Case]] = {
    name.removeprefix("case_"): f for name, f in globals().items() if name.startswith("case_")
}


def _stored(ws: Path) -> tuple[dict[str, str], list[tuple[str, int, int, str]]]:
    store = ox.Store.read_only(str(ws / "store"))
    docs = {row["id"].value: row["text"].value for row in store.query(DOCS_QUERY)}  # type: ignore[union-attr]
    mentions = [(r["text"].value, int(r["begin"].value), int(r["end"].value), r["anchor"].value)
                for r in store.query(MENTIONS_QUERY)]  # type: ignore[union-attr]
    del store
    return docs, mentions


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize("name", CASES)
@pytest.mark.usefixtures("fake_extractor")
def test_bad_input_cli_reported_skipped_and_good_kept(tmp_path: Path, name: str, strict: bool) -> None:
    case = CASES[name](tmp_path)
    ws = tmp_path / "ws"
    args = ["build", *map(str, case.inputs), "-w", str(ws), "-q", *case.options, *(["--strict"] if strict else [])]
    result = CliRunner().invoke(cli, args)
    assert isinstance(result.exception, SystemExit | None), result.exception
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]
    assert len(warnings) == len(case.warnings), result.stderr
    for (where, fragment), line in zip(case.warnings, warnings, strict=True):
        assert line.startswith(f"Warning: {where}: "), line
        assert fragment in line, line
    assert result.stderr.splitlines() == warnings, "stderr holds something other than warnings"
    assert result.exit_code == (2 if strict and case.warnings else 0), result.stderr
    docs, mentions = _stored(ws)
    assert docs == case.texts
    for text, begin, end, anchor in mentions:  # offsets index the raw text
        assert text[begin:end] == anchor


def test_bad_input_cli_mistyped_path_is_an_error(tmp_path: Path) -> None:
    """Issue 16: a mistyped input path exited 0 and left an empty workspace."""
    good, _ = _good(tmp_path)
    ws = tmp_path / "ws"
    result = CliRunner().invoke(cli, ["build", str(good), str(tmp_path / "nwes.txt"), "-w", str(ws), "-q"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: no such file or directory: {tmp_path / 'nwes.txt'}; nothing was built\n"
    assert not ws.exists()
