"""Scoring kg's extraction against gold: factRuEval-2016 (``factru``) and JSONL gold (``gold``)."""
