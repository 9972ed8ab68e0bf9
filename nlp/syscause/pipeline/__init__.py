"""The syscause spaCy pipeline: small components, each with its own concern."""

from __future__ import annotations

from spacy.language import Language


def build_nlp(*, use_parser: bool | None = None) -> Language:
    """Build the analysis pipeline on a blank English tokenizer.

    ``use_parser=None`` adds the parse-based blame cues when an English parser is installed,
    ``False`` never does (the fast archive path), ``True`` requires it.
    """
    import spacy

    from syscause.pipeline import factories  # noqa: F401  (registers the factories)
    from syscause.pipeline.extensions import ensure_extensions
    from syscause.pipeline.person_failure import load_parser

    ensure_extensions()
    nlp = spacy.blank("en")
    # Rule components are linear in length; the parser only sees short sentences.
    nlp.max_length = 50_000_000
    nlp.add_pipe("syscause_sentencizer")
    nlp.add_pipe("syscause_evidence_ruler")
    nlp.add_pipe("syscause_context")
    nlp.add_pipe("syscause_blame_cues")
    if use_parser is not False:
        have_parser = load_parser() is not None
        if use_parser and not have_parser:
            raise ValueError("use_parser=True but no English parser package is installed")
        if have_parser:
            nlp.add_pipe("syscause_person_failure")
    return nlp
