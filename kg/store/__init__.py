"""Storage: the embedded Oxigraph store of a workspace."""

from kg.store.base import Store
from kg.store.oxigraph import OxigraphStore, open_store

__all__ = ["OxigraphStore", "Store", "open_store"]
