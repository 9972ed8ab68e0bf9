"""English verb forms the rewrites need: past participle, gerund, and base from a participle."""

from __future__ import annotations

from syscause.reframe.data import lexicon

_VOWELS = set("aeiou")


def _doubles(base: str) -> bool:
    """Whether the final consonant doubles before -ed/-ing ("scan" -> "scanned")."""
    if base in lexicon().doubling_verbs:
        return True
    # one-syllable consonant-vowel-consonant verbs ("stop", "scan", "put"), not w/x/y endings
    return (
        len(base) >= 3
        and sum(ch in _VOWELS for ch in base) == 1
        and base[-1] not in _VOWELS | set("wxy")
        and base[-2] in _VOWELS
        and base[-3] not in _VOWELS
    )


def participle(base: str) -> str:
    """The past participle of a verb's base form ("check" -> "checked", "give" -> "given")."""
    word = base.lower()
    irregular = lexicon().irregular_verbs
    if word in irregular:
        return irregular[word]
    if word.endswith("e"):
        return word + "d"
    if word.endswith("y") and len(word) > 1 and word[-2] not in _VOWELS:
        return word[:-1] + "ied"
    if _doubles(word):
        return word + word[-1] + "ed"
    return word + "ed"


def gerund(base: str) -> str:
    """The -ing form of a verb's base form ("scan" -> "scanning", "use" -> "using")."""
    word = base.lower()
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if word.endswith("e") and not word.endswith(("ee", "ye", "oe")) and len(word) > 2:
        return word[:-1] + "ing"
    if _doubles(word):
        return word + word[-1] + "ing"
    return word + "ing"
