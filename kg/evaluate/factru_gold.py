"""Readers for the factRuEval-2016 gold files of one document (``book_N.*``).

Layers (see FORMAT.md beside the devset): ``.tokens``, ``.spans``, ``.objects``,
``.coref`` and ``.facts``. Offsets are code points into ``book_N.txt``. A document
without ``.objects`` has no gold; ``.facts`` alone may be missing too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError

OBJECT_TAGS = {"Person": "per", "Org": "org", "Organization": "org", "Location": "loc", "LocOrg": "locorg"}
_NUMBERED_KEY = re.compile(r"\d+$")
_REF = re.compile(r"(obj|span)(\d+)\s*(.*)$", re.S)


@dataclass(frozen=True, slots=True)
class Token:
    id: str
    start: int
    stop: int
    text: str


@dataclass(frozen=True, slots=True)
class GoldSpan:
    id: str
    type: str  # name, surname, org_name, loc_name, job, ...
    start: int
    stop: int
    text: str


@dataclass(frozen=True, slots=True)
class GoldMention:
    """One line of ``.objects``: a typed mention made of spans."""

    id: str
    type: str  # Person, Org, Location, LocOrg, Project, Facility
    spans: tuple[GoldSpan, ...]

    @property
    def tag(self) -> str | None:
        """Track 1 tag (per/org/loc/locorg), None for types Track 1 does not score."""
        return OBJECT_TAGS.get(self.type)

    @property
    def start(self) -> int:
        return min(span.start for span in self.spans)

    @property
    def stop(self) -> int:
        return max(span.stop for span in self.spans)

    @property
    def span_text(self) -> str:
        """The span texts in text order, joined by spaces."""
        ordered = sorted({(s.start, s.stop, s.text) for s in self.spans})
        return " ".join(text for _, _, text in ordered)


@dataclass(frozen=True, slots=True)
class GoldEntity:
    """One block of ``.coref``: mentions of one entity and its attributes."""

    id: str
    mention_ids: tuple[str, ...]
    attributes: tuple[tuple[str, str], ...]  # (firstname|lastname|...|name|descriptor, value)

    def values(self, key: str) -> list[str]:
        return [value for name, value in self.attributes if name == key]


@dataclass(frozen=True, slots=True)
class GoldValue:
    """One alternative of a fact argument: an entity, a span, or a plain string."""

    kind: str  # "obj", "span" or "str"
    ref: str  # entity or span id; "" for strings
    text: str  # the description written in .facts


@dataclass(frozen=True, slots=True)
class GoldArgument:
    role: str  # lower case; "job" is read as "position"
    values: tuple[GoldValue, ...]


@dataclass(frozen=True, slots=True)
class GoldFact:
    id: str
    type: str  # lower case: occupation, deal, meeting, ownership, ispartof
    arguments: tuple[GoldArgument, ...]
    hard: bool = False  # "Сложность повышенная"
    modality: str | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class FactruDocument:
    """Text and (when present) gold layers of one ``book_N``."""

    name: str
    text: str
    path: Path
    tokens: tuple[Token, ...] = ()
    spans: dict[str, tuple[GoldSpan, ...]] = field(default_factory=dict)
    mentions: tuple[GoldMention, ...] = ()
    entities: tuple[GoldEntity, ...] = ()
    facts: tuple[GoldFact, ...] = ()
    has_objects: bool = False
    has_facts: bool = False


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from exc


def _blocks(path: Path) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks with the 1-based line number of their first line."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 0
    for number, line in enumerate(_lines(path), 1):
        if line.strip():
            if not current:
                first = number
            current.append(line.strip())
        elif current:
            blocks.append((first, current))
            current = []
    if current:
        blocks.append((first, current))
    return blocks


def parse_tokens(path: Path) -> tuple[Token, ...]:
    tokens = []
    for number, line in enumerate(_lines(path), 1):
        if not line.strip():
            continue
        parts = line.split(" ", 3)
        try:
            start, length = int(parts[1]), int(parts[2])
            tokens.append(Token(parts[0], start, start + length, parts[3] if len(parts) > 3 else ""))
        except (IndexError, ValueError) as exc:
            raise InputError(f"{path}:{number}: expected 'id start length text'") from exc
    return tuple(sorted(tokens, key=lambda token: token.start))


def parse_spans(path: Path, text: str) -> dict[str, tuple[GoldSpan, ...]]:
    """Span id -> spans (one id may carry two types, e.g. surname and nickname)."""
    spans: dict[str, list[GoldSpan]] = {}
    for number, line in enumerate(_lines(path), 1):
        if not line.strip():
            continue
        fields = line.split("#", 1)[0].split()
        try:
            start, length = int(fields[2]), int(fields[3])
        except (IndexError, ValueError) as exc:
            raise InputError(f"{path}:{number}: expected 'id type start length ...'") from exc
        span = GoldSpan(fields[0], fields[1], start, start + length, text[start : start + length])
        spans.setdefault(fields[0], []).append(span)
    return {key: tuple(value) for key, value in spans.items()}


def parse_objects(path: Path, spans: dict[str, tuple[GoldSpan, ...]]) -> tuple[GoldMention, ...]:
    mentions = []
    for number, line in enumerate(_lines(path), 1):
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        if len(fields) < 3:
            raise InputError(f"{path}:{number}: expected 'id Type span_id...'")
        try:
            members = tuple(span for span_id in fields[2:] for span in spans[span_id])
        except KeyError as exc:
            raise InputError(f"{path}:{number}: unknown span {exc.args[0]}") from exc
        mentions.append(GoldMention(fields[0], fields[1], members))
    return tuple(mentions)


def parse_coref(path: Path) -> tuple[GoldEntity, ...]:
    entities = []
    for number, block in _blocks(path):
        head = block[0].split()
        if not head or not head[0].isdigit():
            raise InputError(f"{path}:{number}: expected 'entity_id mention_ids...'")
        attributes = []
        for line in block[1:]:
            key, _, value = line.partition(" ")
            attributes.append((_NUMBERED_KEY.sub("", key.lower()), value.strip()))
        entities.append(GoldEntity(head[0], tuple(head[1:]), tuple(attributes)))
    return tuple(entities)


def parse_value(text: str) -> tuple[GoldValue, ...]:
    """``obj48 Лужков Юрий | alias``, ``span1 губернатора | span2 глава`` or a string.

    A bare alternative after an ``objN`` one is another name of that entity.
    """
    values: list[GoldValue] = []
    for alternative in (part.strip() for part in text.split("|")):
        if not alternative:
            continue
        found = _REF.match(alternative)
        if found:
            values.append(GoldValue(found.group(1), found.group(2), found.group(3).strip()))
        elif values and values[-1].kind == "obj":
            values.append(GoldValue("obj", values[-1].ref, alternative))
        else:
            values.append(GoldValue("str", "", alternative))
    return tuple(values)


def parse_facts(path: Path) -> tuple[GoldFact, ...]:
    facts = []
    for number, block in _blocks(path):
        head = block[0].split()
        if len(head) < 2:
            raise InputError(f"{path}:{number}: expected 'id FactType'")
        arguments: list[GoldArgument] = []
        hard = False
        modality = None
        for line in block[1:]:
            role, _, rest = line.partition(" ")
            role = role.lower()
            if role == "сложность":
                hard = rest.strip().lower() == "повышенная"
            elif role == "модальность":
                modality = rest.strip().lower()
            else:
                role = "position" if role == "job" else role
                arguments.append(GoldArgument(role, parse_value(rest)))
        facts.append(GoldFact(head[0], head[1].lower(), tuple(arguments), hard, modality, number))
    return tuple(facts)


def load_document(txt: Path) -> FactruDocument:
    """Read ``book_N.txt`` and whichever gold layers lie beside it."""
    try:
        with txt.open(encoding="utf-8", newline="") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{txt}: cannot read: {exc}") from exc
    text = text.removeprefix("\ufeff")
    base = txt.with_suffix("")
    layer = {ext: base.with_name(f"{base.name}.{ext}") for ext in ("tokens", "spans", "objects", "coref", "facts")}
    has_objects = layer["objects"].is_file() and layer["spans"].is_file()
    tokens = parse_tokens(layer["tokens"]) if layer["tokens"].is_file() else ()
    spans = parse_spans(layer["spans"], text) if layer["spans"].is_file() else {}
    mentions = parse_objects(layer["objects"], spans) if has_objects else ()
    entities = parse_coref(layer["coref"]) if layer["coref"].is_file() else ()
    facts = parse_facts(layer["facts"]) if layer["facts"].is_file() else ()
    return FactruDocument(
        base.name, text, txt, tokens, spans, mentions, entities, facts,
        has_objects=has_objects, has_facts=layer["facts"].is_file(),
    )
