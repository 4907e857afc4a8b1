"""Storage: the embedded Oxigraph store of a workspace."""

from kg.store.oxigraph import OxigraphStore, open_store

__all__ = ["OxigraphStore", "open_store"]
