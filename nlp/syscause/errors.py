"""The errors syscause raises.

Every error derives from :class:`SyscauseError` and, where one fits, from the natural builtin
too, so callers can catch either. Messages say what happened and what to do next, and never
contain narrative text: reports are sensitive.
"""

from __future__ import annotations


class SyscauseError(Exception):
    """Base class of every error raised by syscause."""


class InputError(SyscauseError, ValueError):
    """An input file, row or value cannot be used as given."""


class TaxonomyError(SyscauseError, ValueError):
    """A taxonomy file is missing, malformed or inconsistent."""


class RuleFileError(SyscauseError, ValueError):
    """A rule or lexicon data file does not follow its schema."""


class ModelError(SyscauseError, RuntimeError):
    """A model directory is missing, incomplete, incompatible or fails its integrity check."""
