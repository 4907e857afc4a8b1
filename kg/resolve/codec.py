"""Extractions as JSON, so the identity index can map a document again without reading its text again.

Only the dataclasses and enums of ``kg.model`` and of the modules that define the fact
types listed in ``kg.facts.FACTS`` (looked up when decoding, so a fact type added there
is known) are encoded (tagged by class name) and decoded: nothing else can be built from
the index, whatever it holds.

>>> from kg.model import Document, Entity, Extraction, Kind, Span
>>> x = Extraction(Document("d1", "Нанолек"), (Entity("e1", Kind.COMPANY, "нанолек", "Нанолек", (Span(0, 7, "Нанолек"),)),))
>>> decode(encode(x)) == x
True
"""

from __future__ import annotations

import dataclasses
import json
from enum import Enum
from typing import Any

import sys
from types import ModuleType

import kg.facts
import kg.model as model
from kg.errors import StoreError


def _module_types(module: ModuleType) -> dict[str, type]:
    found: dict[str, type] = {}
    for name in dir(module):
        value = getattr(module, name)
        if isinstance(value, type) and (dataclasses.is_dataclass(value) or issubclass(value, Enum)) \
                and value.__module__ == module.__name__:
            found[name] = value
    return found


_known: tuple[object, dict[str, type]] = ((), {})


def _types() -> dict[str, type]:
    """The classes an index may name: kg.model's, then those of each fact type's module
    (worked out again only when ``kg.facts.FACTS`` is another list)."""
    global _known
    if _known[0] is kg.facts.FACTS:
        return _known[1]
    found = _module_types(model)
    for fact_type in kg.facts.FACTS:
        module = sys.modules.get(fact_type.cls.__module__)
        for name, cls in (_module_types(module) if module else {}).items():
            found.setdefault(name, cls)
        found.setdefault(fact_type.cls.__name__, fact_type.cls)
    _known = (kg.facts.FACTS, found)
    return found


_SCALARS = (str, int, float, bool, type(None))
_FIELDS: dict[type, tuple[str, ...]] = {}  # dataclass -> its field names, read once


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is tuple or kind is list:
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return {"$": kind.__name__, "v": value.value}
    names = _FIELDS.get(kind)
    if names is None:
        if not dataclasses.is_dataclass(value):
            return value
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value))
    plain = {"$": kind.__name__}
    for name in names:
        plain[name] = _plain(getattr(value, name))
    return plain


def _typed(value: Any, types: dict[str, type]) -> Any:
    kind = type(value)
    if kind is list:
        return tuple([_typed(v, types) for v in value])
    if kind is dict:
        name = value.pop("$", None)
        cls = types.get(name) if isinstance(name, str) else None
        if cls is None:
            raise ValueError(f"unknown type {name!r}")
        if issubclass(cls, Enum):
            return cls(value["v"])
        return cls(**{k: _typed(v, types) for k, v in value.items()})
    return value


def encode(extraction: model.Extraction) -> str:
    return json.dumps(_plain(extraction), ensure_ascii=False, separators=(",", ":"))


def decode(text: str) -> model.Extraction:
    try:
        value = _typed(json.loads(text), _types())
    except (ValueError, TypeError, KeyError) as exc:
        raise StoreError(f"the identity index holds an extraction that cannot be read ({exc}); "
                         "move identity.sqlite away and build again") from exc
    if not isinstance(value, model.Extraction):
        raise StoreError("the identity index holds something that is not an extraction")
    return value
