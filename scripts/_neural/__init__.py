"""Helpers for the neural factor-model candidates (scripts/neural_candidates.py).

Research tooling only: torch and transformers are imported here, never by the package.
"""
