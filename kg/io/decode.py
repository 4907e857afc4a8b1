"""Bytes to text lines: BOM, binary sniffing, encoding checks and guesses.

A file is read as UTF-8 (a UTF-8 byte order mark is removed, so offsets index the
text after it). A file that is not valid UTF-8 is decoded with the caller's
``encoding`` when one is given; otherwise it is refused with a message that names
the likely encoding (``cp1251``, ``koi8_r`` or ``cp866`` by a letter-frequency
heuristic). A file is binary when at least 10% (and 4) of its first 8 KiB are NUL bytes, or
when they are not UTF-8 and over 5% of them are control bytes; a file with NUL
bytes at every other position that reads as UTF-16 is named as such. Otherwise a
NUL is text like any control character: the record keeps it as U+FFFD
(``kg.io.chars``), wherever it is in the file.

Lines are split on ``\\n`` only and keep their terminator; ``\\r`` is left to the
format parsers.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from kg.errors import InputError
from kg.model import Problem

SNIFF_BYTES = 8192  # binary check and BOM look at this much of the head
GUESS_BYTES = 65536  # the encoding guess looks at this much
LEGACY_CYRILLIC = ("cp1251", "koi8_r", "cp866")
GUESS_THRESHOLD = 0.6  # share of letters that must be lowercase Cyrillic

_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f")
_NEEDS_BOM = {  # these codecs read the byte order from the BOM and fail without one
    "utf-16": (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE),
    "utf-32": (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE),
}
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32", "utf-32"),
    (codecs.BOM_UTF32_BE, "UTF-32", "utf-32"),
    (codecs.BOM_UTF16_LE, "UTF-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "UTF-16", "utf-16"),
)


@dataclass(frozen=True, slots=True)
class Plan:
    """How to decode one file: codec name, BOM bytes to skip, and whether it is wide."""

    encoding: str
    bom: int = 0
    wide: bool = False  # UTF-16/32: lines cannot be split on the byte b"\n"


def check_encoding(encoding: str | None) -> str | None:
    """Return the canonical codec name of ``encoding``; raise InputError if unknown."""
    if encoding is None:
        return None
    try:
        name = codecs.lookup(encoding).name
        io.TextIOWrapper(io.BytesIO(), encoding=name)  # rejects bytes codecs such as base64
    except LookupError as exc:
        raise InputError(f"unknown text encoding {encoding!r}") from exc
    return name


def is_wide(encoding: str) -> bool:
    """True for UTF-16/UTF-32, whose text contains NUL bytes and no byte-wise newlines."""
    return encoding.startswith(("utf-16", "utf-32", "utf_16", "utf_32"))


def plan(path: Path, encoding: str | None) -> Plan | Problem:
    """Decide how to decode ``path``, reading it once to validate; OSError propagates."""
    where = str(path)
    with path.open("rb") as stream:
        head = stream.read(SNIFF_BYTES)
    if encoding is not None and is_wide(encoding):
        if encoding in _NEEDS_BOM and not head.startswith(_NEEDS_BOM[encoding]):
            endian = encoding.replace("_", "-")
            return Problem(where, f"no byte order mark, which --encoding {encoding} needs; "
                                  f"pass --encoding {endian}-le or {endian}-be, skipped")
        chosen = Plan(encoding, wide=True)
        return _validated(path, chosen, where)
    for bom, label, codec in _WIDE_BOMS:
        if head.startswith(bom):
            return Problem(where, f"looks like {label} (byte order mark); pass --encoding {codec}")
    if b"\0" in head:
        wide = utf16_without_bom(head)
        if wide is not None:
            return Problem(where, f"looks like UTF-16 without a byte order mark; pass --encoding {wide}")
        if is_binary(head):
            return Problem(where, "binary file (NUL and control bytes in the first 8 KiB), skipped")
    if head.startswith(codecs.BOM_UTF8):
        return _validated(path, Plan("utf-8", bom=len(codecs.BOM_UTF8)), where)
    error = first_error(path, Plan("utf-8"))
    if error is None:
        return Plan("utf-8")
    if encoding is not None:
        return _validated(path, Plan(encoding), where)
    line, byte = error
    with path.open("rb") as stream:
        sample = stream.read(GUESS_BYTES)
    return Problem(where, not_utf8_message(line, byte, guess_encoding(sample)))


def _validated(path: Path, chosen: Plan, where: str) -> Plan | Problem:
    error = first_error(path, chosen)
    if error is None:
        return chosen
    line, byte = error
    near = "near " if chosen.wide else ""
    label = "UTF-8 (despite its byte order mark)" if chosen.bom else chosen.encoding
    return Problem(where, f"not valid {label}: byte 0x{byte:02X} {near}line {line}, skipped")


def is_binary(head: bytes) -> bool:
    """At least 10% (and 4) NUL bytes, or not UTF-8 with over 5% control bytes (text has few of either)."""
    if not head:
        return False
    nuls = head.count(b"\0")
    if nuls >= 4 and nuls * 10 >= len(head):
        return True
    controls = sum(head.count(bytes([b])) for b in _CONTROL_BYTES)
    if controls * 20 <= len(head):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start < len(head) - 3  # not just a character cut at the end of the sample
    return False


def utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when ``head`` reads as Latin/Cyrillic text in it, else None.

    UTF-16 puts the NUL half of every space, digit and Latin letter at odd offsets
    (little-endian) or even ones (big-endian); and decoded with the right one, the
    text is letters below U+0500, where 8-bit text read as UTF-16 gives CJK.
    """
    nuls = [i for i, byte in enumerate(head) if byte == 0]
    if len(nuls) < 2:
        return None
    odd = sum(i % 2 for i in nuls)
    for codec, share in (("utf-16-le", odd), ("utf-16-be", len(nuls) - odd)):
        if share * 20 < len(nuls) * 19:
            continue
        text = head[: len(head) - len(head) % 2].decode(codec, errors="replace")
        low = sum(1 for ch in text if ch < "\u0500" and (ch.isprintable() or ch in "\t\r\n"))
        if low * 10 >= len(text) * 9:
            return codec
    return None


def not_utf8_message(line: int, byte: int, guess: str | None) -> str:
    """The message for a file (or stdin line) that is not UTF-8."""
    what = f"not UTF-8 (byte 0x{byte:02X} on line {line})"
    if guess is not None:
        return f"{what}; looks like {guess}; pass --encoding {guess}"
    return f"{what}; pass --encoding with the file's encoding"


def guess_encoding(sample: bytes) -> str | None:
    """Name the legacy Cyrillic codec under which ``sample`` is mostly lowercase Cyrillic.

    Russian prose is mostly lowercase letters; decoded with the wrong one of
    cp1251/koi8_r/cp866 it turns into uppercase Cyrillic or symbols. Returns None
    when no candidate reaches GUESS_THRESHOLD.
    """
    best, best_score = None, 0.0
    for codec in LEGACY_CYRILLIC:
        text = sample.decode(codec, errors="replace")
        letters = [char for char in text if char.isalpha()]
        if not letters:
            return None
        lower = sum(1 for char in letters if "\u0430" <= char <= "\u044f" or char == "\u0451")
        score = lower / len(letters)
        if score > best_score:
            best, best_score = codec, score
    return best if best_score >= GUESS_THRESHOLD else None


def first_error(path: Path, chosen: Plan) -> tuple[int, int] | None:
    """Line number and byte value of the first undecodable byte, or None if all decode."""
    decoded = 0
    try:
        for _line in lines(path, chosen):
            decoded += 1
    except UnicodeDecodeError as exc:
        return decoded + 1, exc.object[exc.start]
    except UnicodeError:  # a codec that fails on the stream as a whole (no byte order mark)
        return decoded + 1, 0
    return None


def lines(path: Path, chosen: Plan) -> Iterator[str]:
    """Decoded lines of ``path``, each with its ``\\n`` (if any), BOM removed."""
    if chosen.wide:
        with path.open("r", encoding=chosen.encoding, newline="\n") as text:
            yield from text
        return
    with path.open("rb") as stream:
        yield from _decode_lines(stream, chosen)


def _decode_lines(stream: BinaryIO, chosen: Plan) -> Iterator[str]:
    first = True
    for raw in stream:
        if first:
            raw, first = raw[chosen.bom :], False
        yield raw.decode(chosen.encoding)


def read_all(path: Path, chosen: Plan) -> str:
    """The whole decoded text of ``path`` (one file in memory, for per-file documents)."""
    return "".join(lines(path, chosen))


def stdin_lines(
    stream: TextIO, encoding: str | None, on_problem: Callable[[Problem], None], where: str
) -> Iterator[str]:
    """Lines of standard input, decoded one by one (stdin cannot be read twice).

    A line that is not UTF-8 is decoded with ``encoding`` when given, otherwise it
    is reported and replaced by an empty line so later line numbers stay right.
    A text stream without ``.buffer`` (e.g. io.StringIO) is used as it is.
    """
    buffer: BinaryIO | None = getattr(stream, "buffer", None)
    if buffer is None:
        yield from stream
        return
    peek = getattr(buffer, "peek", None)
    head = peek(SNIFF_BYTES)[:SNIFF_BYTES] if peek is not None else b""
    if b"\0" in head and (utf16_without_bom(head) is not None or is_binary(head)):
        on_problem(Problem(where, "binary input (NUL and control bytes in the first 8 KiB), skipped"))
        return
    for lineno, raw in enumerate(buffer, 1):
        if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield raw.decode("utf-8")
            continue
        except UnicodeDecodeError as exc:
            error = exc
        if encoding is not None:
            try:
                yield raw.decode(encoding)
                continue
            except UnicodeDecodeError as exc:
                message = f"not valid {encoding}: byte 0x{raw[exc.start]:02X}, line skipped"
        else:
            guess = guess_encoding(raw)
            message = not_utf8_message(lineno, raw[error.start], guess) + "; line skipped"
        on_problem(Problem(f"{where}:{lineno}", message))
        yield ""
