"""Errors raised by kg; the CLI turns each into one ``Error: ...`` line."""

from __future__ import annotations


class KgError(Exception):
    """Base class of every error kg reports to a user."""


class InputError(KgError):
    """An input file or record cannot be read; the message names file and record."""


class QuerySyntaxError(KgError):
    """A SPARQL query does not parse; the message gives line and column."""


class StoreError(KgError):
    """The store or a remote endpoint failed."""


class ShapeViolation(KgError):
    """The graph does not conform to the SHACL shapes."""


class WorkspaceLocked(StoreError):
    """Another kg process holds the workspace."""


class QueryRefused(KgError):
    """A query was refused before it ran: too large, nested too deeply, or federated (SERVICE)."""


class QueryTimeout(KgError):
    """A query ran past its time limit and was stopped."""
