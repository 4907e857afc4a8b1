"""Input readers: files, directories and stdin -> Documents (see ``read_documents``)."""

from kg.io.read import STDIN_FORMATS, SUPPORTED_SUFFIXES, read_documents

__all__ = ["STDIN_FORMATS", "SUPPORTED_SUFFIXES", "read_documents"]
