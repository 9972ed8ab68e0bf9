"""syscause: contributing factors and blame-vs-system framing in incident narratives.

Importing the package is cheap: no spaCy model, torch or transformers is loaded until
:func:`load`, :func:`analyze` or :func:`analyze_many` is first called.

>>> import syscause
>>> result = syscause.analyze("Two call-outs were not replaced; the RN had 7 patients.")
>>> result.to_dict()["factors"][0]["label"]
'understaffing'
"""

from __future__ import annotations

from syscause.api import Pipeline, analyze, analyze_many, load
from syscause.errors import InputError, ModelError, RuleFileError, SyscauseError, TaxonomyError
from syscause.schemas import Analysis, Blame, Cue, Evidence, Factor, Reframe

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Blame",
    "Cue",
    "Evidence",
    "Factor",
    "InputError",
    "ModelError",
    "Pipeline",
    "Reframe",
    "RuleFileError",
    "SyscauseError",
    "TaxonomyError",
    "__version__",
    "analyze",
    "analyze_many",
    "load",
]
