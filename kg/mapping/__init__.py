"""Facts -> RDF: the vocabulary, IRIs, graph building and SHACL validation."""
