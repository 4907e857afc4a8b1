"""``Rows``: the answer of a SELECT query, independent of the engine that gave it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kg.errors import KgError
from kg.sparql.terms import XSD, Term, literal

_NUMERIC = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger",
                              "positiveInteger", "unsignedInt", "decimal", "double", "float")}


@dataclass(frozen=True, slots=True)
class Rows:
    """Variables in SELECT order and one tuple of terms (``None`` when unbound) per solution."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]

    def __iter__(self) -> Iterator[tuple[Term | None, ...]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[Term | None]:
        index = self.variables.index(name)
        return [row[index] for row in self.rows]

    def as_dicts(self) -> list[dict[str, str | int | float | None]]:
        """Each solution as ``{variable: python value}``: IRIs and strings as str, numbers as numbers."""
        return [{v: python_value(t) for v, t in zip(self.variables, row, strict=True)}
                for row in self.rows]

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame``: one column per variable, values as in ``as_dicts`` (numbers as
        numbers, unbound as None). pandas is optional: ``pip install 'kg[notebook]'``."""
        try:
            import pandas
        except ImportError as exc:
            raise KgError("Rows.to_pandas needs pandas, which is not installed: "
                          "pip install 'kg[notebook]' (or pip install pandas)") from exc
        return pandas.DataFrame(self.as_dicts(), columns=list(self.variables))

    def to_json(self) -> dict[str, Any]:
        """The SPARQL 1.1 Query Results JSON document."""
        bindings = []
        for row in self.rows:
            binding: dict[str, dict[str, str]] = {}
            for var, term in zip(self.variables, row, strict=True):
                if term is None:
                    continue
                entry = {"type": term.type, "value": term.value}
                if term.lang:
                    entry["xml:lang"] = term.lang
                elif term.datatype:
                    entry["datatype"] = term.datatype
                binding[var] = entry
            bindings.append(binding)
        return {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> Rows:
        """Rows from a SPARQL 1.1 JSON results document (``typed-literal`` of old servers too)."""
        variables = tuple(document["head"]["vars"])
        rows = []
        for binding in document["results"]["bindings"]:
            rows.append(tuple(_term(binding[v]) if v in binding else None for v in variables))
        return cls(variables, tuple(rows))


def _term(entry: dict[str, str]) -> Term:
    kind = entry["type"]
    if kind == "uri":
        return Term("uri", entry["value"])
    if kind == "bnode":
        return Term("bnode", entry["value"])
    return literal(entry["value"], entry.get("datatype"), entry.get("xml:lang"))


def python_value(term: Term | None) -> str | int | float | None:
    if term is None:
        return None
    if term.datatype in _NUMERIC:
        try:
            number = float(term.value)
        except ValueError:
            return term.value
        return int(number) if number.is_integer() and "." not in term.value else number
    return term.value
