"""The library entry points: load a pipeline, analyse one narrative or a stream of them."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from syscause.errors import InputError
from syscause.schemas import Analysis, Blame, Factor
from syscause.text import clean_for_nlp, has_control_chars, looks_english

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from syscause.modelstore import ModelDir

DEFAULT_BATCH_SIZE = 256

WARN_EMPTY = "empty narrative"
WARN_NOT_ENGLISH = "not English"
WARN_CONTROL = "control characters replaced by spaces"
WARN_PARSER_SKIPPED = "very long sentence skipped by the parser (token patterns used)"


class Pipeline:
    """A loaded model and its spaCy pipeline; reusable, thread-safe to call, picklable.

    Pickling sends only the model reference: a Spark, Dask or Ray worker re-loads the
    model by name or path the first time it unpickles one.
    """

    def __init__(self, model: ModelDir, nlp: Language, model_ref: str, use_parser: bool | None):
        from syscause.blame import CueBlameScorer
        from syscause.classify import RuleFactorScorer
        from syscause.taxonomy import load_taxonomy

        self.model = model
        self.nlp = nlp
        self.model_ref = model_ref
        self.use_parser = use_parser
        self.taxonomy = load_taxonomy(model.meta["taxonomy"])
        self.labels: list[str] = list(model.meta["labels"])
        self.factor_scorer = RuleFactorScorer.from_meta(model.meta)
        self.blame_scorer = CueBlameScorer.from_meta(model.meta)
        self.review_margin = float(model.meta.get("review_margin", 0.1))
        from syscause.rules import load_evidence_rules

        self.mention_rules = frozenset(r.id for r in load_evidence_rules() if r.kind == "mention")
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """``<model name>-<version>`` as written in every record."""
        return self.model.ref

    @property
    def has_parser(self) -> bool:
        """Whether the parse-based cue component is in the pipeline."""
        return "syscause_person_failure" in self.nlp.pipe_names

    def __reduce__(self) -> tuple[Any, tuple[str, bool | None]]:
        return (_reload, (self.model_ref, self.use_parser))

    def analyze(self, text: str, *, id: str | None = None) -> Analysis:
        """Analyse one narrative."""
        return next(self.analyze_many([(id, text)], batch_size=1))

    def analyze_many(
        self,
        items: Iterable[str] | Iterable[tuple[str | None, str]],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> Iterator[Analysis]:
        """Analyse a stream of texts or ``(id, text)`` pairs, yielding results in order."""
        pairs = (_as_pair(item) for item in items)
        batch: list[tuple[str | None, str]] = []
        for pair in pairs:
            batch.append(pair)
            if len(batch) >= batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[tuple[str | None, str]]) -> list[Analysis]:
        cleaned = [clean_for_nlp(text) for _, text in batch]
        with self._lock:
            docs = list(self.nlp.pipe(cleaned))
        return [
            self._analysis(doc, text, id_) for (id_, text), doc in zip(batch, docs, strict=True)
        ]

    def _analysis(self, doc: Doc, text: str, id_: str | None) -> Analysis:
        from syscause.blame import collect_cues
        from syscause.classify import collect_evidence

        warnings: list[str] = []
        if not text.strip():
            warnings.append(WARN_EMPTY)
        elif not looks_english(text):
            warnings.append(WARN_NOT_ENGLISH)
        if has_control_chars(text):
            warnings.append(WARN_CONTROL)
        if doc.user_data.get("syscause_parser_skipped"):
            warnings.append(WARN_PARSER_SKIPPED)

        evidence = collect_evidence(doc, text, self.labels, self.mention_rules)
        scores = self.factor_scorer.score(evidence)
        thresholds = self.factor_scorer.thresholds
        factors = []
        for label in self.labels:
            if scores[label] < thresholds[label]:
                continue
            ev = evidence[label].positive
            if not ev:
                # asserted only with stated evidence: a hypothetical remedy alone is weak
                continue
            factors.append(Factor(label, scores[label], tuple(ev)))
        factors.sort(key=lambda f: -f.score)

        cues = collect_cues(doc, text)
        blame_score, framing = self.blame_scorer.score(cues, len(factors))
        near = any(abs(scores[lb] - thresholds[lb]) < self.review_margin for lb in self.labels)
        needs_review = near or WARN_NOT_ENGLISH in warnings or WARN_PARSER_SKIPPED in warnings
        return Analysis(
            id=id_,
            taxonomy_version=self.taxonomy.version,
            model=self.name,
            factors=tuple(factors),
            scores=scores,
            blame=Blame(blame_score, framing, tuple(cues)),
            reframe=(),
            needs_review=needs_review,
            warnings=tuple(warnings),
        )


def _as_pair(item: str | tuple[str | None, str]) -> tuple[str | None, str]:
    if isinstance(item, str):
        return None, item
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], str):
        return item
    raise InputError(
        f"expected a narrative string or an (id, text) pair, got {type(item).__name__}"
    )


_cache: dict[tuple[str, bool | None], Pipeline] = {}
_cache_lock = threading.Lock()


def load(model: str = "default", *, use_parser: bool | None = None) -> Pipeline:
    """Load a model by name (``default``) or directory path; cached per process.

    ``use_parser=None`` uses the English parser when installed; ``False`` never does (the
    fastest archive path).
    """
    key = (model, use_parser)
    with _cache_lock:
        if key not in _cache:
            from syscause.modelstore import open_model_dir
            from syscause.pipeline import build_nlp

            model_dir = open_model_dir(model)
            _cache[key] = Pipeline(model_dir, build_nlp(use_parser=use_parser), model, use_parser)
        return _cache[key]


def _reload(model: str, use_parser: bool | None) -> Pipeline:
    """Unpickling target: the same model, loaded (once per process) where it lands."""
    return load(model, use_parser=use_parser)


def analyze(text: str, *, id: str | None = None, model: str = "default") -> Analysis:
    """Analyse one narrative with a (cached) pipeline."""
    if not isinstance(text, str):
        raise InputError(f"text must be a string, got {type(text).__name__}")
    return load(model).analyze(text, id=id)


def analyze_many(
    texts: Iterable[str] | Iterable[tuple[str | None, str]],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    model: str = "default",
) -> Iterator[Analysis]:
    """Analyse a stream of narratives (or ``(id, text)`` pairs), yielding results in order."""
    return load(model).analyze_many(texts, batch_size=batch_size)
