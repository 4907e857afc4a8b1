"""The entity readers and the text tools fact readers share.

Entity readers add entities and mentions to a document's ``Context``, in the order
``kg.extract.pipeline`` runs them: ``orgs`` (legal forms, authorities, quoted lists, NER
organisations; ``org_groups``: units named inside groups), ``places`` (gazetteers, NER
locations, the document's region), ``clusters``, ``person``, ``coref``. Tools: ``rules``
(the yargy grammars), ``dates``, ``lexicon`` (position words), ``titles`` (a post's title
from its tokens). Fact readers live with their fact types, in ``kg.facts``.
"""
