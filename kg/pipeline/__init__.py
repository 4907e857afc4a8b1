"""Orchestration: what ``kg build`` and ``kg remove`` do to a workspace, end to end.

``worker.py`` is what a worker process runs on a chunk of documents, ``build.py`` streams documents through extraction into the store (``run_build``),
``remove.py`` drops documents (``run_remove``), ``views.py`` writes graph.ttl,
graph.trig and graph.html, ``stats.py`` counts. ``kg.api`` calls these; nothing here
imports ``kg.api``.
"""
