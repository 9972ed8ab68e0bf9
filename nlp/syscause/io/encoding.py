"""Guessing a text file's encoding from a sample, and spotting binary files."""

from __future__ import annotations

import codecs

SAMPLE_BYTES = 1 << 20


def is_binary(sample: bytes) -> bool:
    """True where a sample holds NUL bytes (never found in a text export)."""
    return b"\x00" in sample


def has_undecodable(text: str) -> bool:
    """True where text decoded with ``surrogateescape`` kept bytes it could not decode."""
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def guess_encoding(sample: bytes) -> str:
    """Return a Python codec name for a file that starts with ``sample``.

    UTF-8 (with or without BOM) wins whenever the sample holds valid multi-byte UTF-8,
    even with a few broken bytes: those rows become error rows rather than the whole file
    being misread. Only a sample with no valid UTF-8 beyond ASCII is taken as a legacy
    code page (cp1252 unless charset detection says otherwise).
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    # final=False keeps a multi-byte character cut at the sample's end out of the verdict.
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    decoded = decoder.decode(sample, final=False)
    broken = has_undecodable(decoded)
    if not broken:
        return "utf-8"
    valid_multibyte = any(ord(ch) > 127 and not has_undecodable(ch) for ch in decoded)
    if valid_multibyte:
        return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(sample[:65536]).best()
    name = best.encoding if best is not None else "cp1252"
    # Western exports are overwhelmingly cp1252; latin-1 guesses are its strict subset, and
    # a sample without NUL bytes cannot be UTF-16/32 (a BOM-less guess of those is noise).
    if name in ("latin_1", "iso8859_1", "ascii") or name.startswith(("utf_16", "utf_32")):
        return "cp1252"
    return name
