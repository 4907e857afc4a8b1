"""Cross-document identity: which entity nodes of the workspace denote one real entity.

The stage after extraction (``kg.extract``) and before the store: each document's
entities are described by records (``records``), the records of all documents are
grouped into real entities (``identity.resolve``), and every document is written with
its entities' canonical IRIs, labels and Wikidata links (``kg.mapping`` reads the
``Resolution``). ``index`` keeps each document's extraction and records beside the
store, so a workspace is resolved again after every build or removal without reading
any text again; ``curation`` holds people's corrections.
"""

from kg.resolve.curation import Curation, append_curation, load_curation, parse_curation
from kg.resolve.identity import Canonical, Group, Resolution, resolve, resolve_stream
from kg.resolve.index import IdentityIndex
from kg.resolve.lexicon import Lexicon
from kg.resolve.records import EntityRecord, records_of

__all__ = ["Canonical", "Curation", "EntityRecord", "Group", "IdentityIndex", "Lexicon", "Resolution",
           "append_curation", "load_curation", "parse_curation", "records_of", "resolve", "resolve_stream"]
