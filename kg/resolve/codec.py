"""Extractions as JSON, so the identity index can map a document again without reading its text again.

Only the frozen dataclasses and enums of ``kg.model`` are encoded (tagged by class
name) and decoded: nothing else can be built from the index, whatever it holds.

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

import kg.model as model
from kg.errors import StoreError


def _types() -> dict[str, type]:
    found: dict[str, type] = {}
    for name in dir(model):
        value = getattr(model, name)
        if isinstance(value, type) and (dataclasses.is_dataclass(value) or issubclass(value, Enum)) \
                and value.__module__ == model.__name__:
            found[name] = value
    return found


_TYPES = _types()


def register(cls: type) -> type:
    """Allow another dataclass (a fact type defined outside ``kg.model``) in the index."""
    _TYPES[cls.__name__] = cls
    return cls


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return {"$": type(value).__name__, "v": value.value}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"$": type(value).__name__, **{f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def _typed(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_typed(v) for v in value)
    if isinstance(value, dict):
        name = value.get("$")
        cls = _TYPES.get(name) if isinstance(name, str) else None
        if cls is None:
            raise ValueError(f"unknown type {name!r}")
        if issubclass(cls, Enum):
            return cls(value["v"])
        return cls(**{k: _typed(v) for k, v in value.items() if k != "$"})
    return value


def encode(extraction: model.Extraction) -> str:
    return json.dumps(_plain(extraction), ensure_ascii=False, separators=(",", ":"))


def decode(text: str) -> model.Extraction:
    try:
        value = _typed(json.loads(text))
    except (ValueError, TypeError, KeyError) as exc:
        raise StoreError(f"the identity index holds an extraction that cannot be read ({exc}); "
                         "move identity.sqlite away and build again") from exc
    if not isinstance(value, model.Extraction):
        raise StoreError("the identity index holds something that is not an extraction")
    return value
