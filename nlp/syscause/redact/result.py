"""The result of redacting a narrative, and offset mapping between original and redacted text."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

# The identifier types and the token that replaces each.
IDENTIFIER_TYPES = ("NAME", "MRN", "ACCOUNT", "DATE", "PHONE", "EMAIL", "ADDRESS")


def token_for(kind: str) -> str:
    """The replacement token for an identifier type, e.g. ``[NAME]``."""
    return f"[{kind}]"


@dataclass(frozen=True, slots=True)
class RedactedSpan:
    """One replaced identifier: its type, where it was, and where its token now is."""

    type: str
    start: int  # offsets into the original text
    end: int
    redacted_start: int  # offsets of the replacement token in the redacted text
    redacted_end: int
    source: str  # the detector that found it, e.g. "pattern:phone" or "name:title"

    def to_dict(self) -> dict[str, int | str]:
        """A JSON-ready record (no original text: it is the identifier)."""
        return {
            "type": self.type,
            "start": self.start,
            "end": self.end,
            "redacted_start": self.redacted_start,
            "redacted_end": self.redacted_end,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class RedactionResult:
    """A redacted text and the spans that were replaced, in text order."""

    text: str
    spans: tuple[RedactedSpan, ...]
    original_length: int

    def to_redacted(self, offset: int) -> int:
        """Map an offset of the original text to the redacted text.

        An offset inside a replaced identifier maps to the start of its token (or, at the
        identifier's end, to the token's end), so a span that covers an identifier covers
        its token.
        """
        _check_offset(offset, self.original_length)
        i = bisect_right([s.start for s in self.spans], offset) - 1
        if i < 0:
            return offset
        span = self.spans[i]
        if offset >= span.end:
            return span.redacted_end + (offset - span.end)
        return span.redacted_start if offset == span.start else span.redacted_end

    def to_original(self, offset: int) -> int:
        """Map an offset of the redacted text back to the original text.

        An offset inside a token maps to the start (or end) of the identifier it replaced.
        """
        _check_offset(offset, len(self.text))
        i = bisect_right([s.redacted_start for s in self.spans], offset) - 1
        if i < 0:
            return offset
        span = self.spans[i]
        if offset >= span.redacted_end:
            return span.end + (offset - span.redacted_end)
        return span.start if offset == span.redacted_start else span.end

    def to_redacted_span(self, start: int, end: int) -> tuple[int, int]:
        """Map an original ``(start, end)`` span to the redacted text."""
        new_start = self.to_redacted(start)
        # an end inside an identifier takes the whole token
        return new_start, max(new_start, self.to_redacted(end))


def _check_offset(offset: int, length: int) -> None:
    if not 0 <= offset <= length:
        raise ValueError(f"offset {offset} outside the text (length {length})")


def apply_spans(text: str, found: list[tuple[int, int, str, str]]) -> RedactionResult:
    """Replace non-overlapping ``(start, end, type, source)`` spans, sorted by start."""
    parts: list[str] = []
    spans: list[RedactedSpan] = []
    cursor = 0
    length = 0
    for start, end, kind, source in found:
        parts.append(text[cursor:start])
        length += start - cursor
        token = token_for(kind)
        spans.append(RedactedSpan(kind, start, end, length, length + len(token), source))
        parts.append(token)
        length += len(token)
        cursor = end
    parts.append(text[cursor:])
    return RedactionResult("".join(parts), tuple(spans), len(text))
