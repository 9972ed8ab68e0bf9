"""The library entry points: load a pipeline, analyse one narrative or a stream of them."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from syscause.errors import InputError
from syscause.schemas import Analysis, Blame, Cue, Factor
from syscause.text import clean_for_nlp, has_control_chars, looks_english

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from syscause.modelstore import ModelDir
    from syscause.reframe import Edit, FactorCheck
    from syscause.schemas import Evidence, Reframe
    from syscause.scoring import LearnedBlameScorer, Scored

DEFAULT_BATCH_SIZE = 256
PARSER_COMPONENT = "syscause_person_failure"  # the parse-based blame cue component

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
        from syscause.rules import mention_rule_ids
        from syscause.scoring import LearnedBlameScorer, LearnedScorer, make_scorer
        from syscause.taxonomy import load_taxonomy

        self.model = model
        self.nlp = nlp
        self.model_ref = model_ref
        self.use_parser = use_parser
        self.taxonomy = load_taxonomy(_taxonomy_ref(model))
        self.labels: list[str] = list(model.meta["labels"])
        # The rules speak the default taxonomy; a model of another taxonomy uses their
        # evidence counts as features only.
        self.rule_labels: list[str] = list(load_taxonomy("default").ids)
        self.factor_scorer = make_scorer(model)
        self.blame_scorer = CueBlameScorer.from_meta(model.meta)
        self.learned_blame: LearnedBlameScorer | None = None
        if "framing" in model.meta.get("files", {}) and isinstance(
            self.factor_scorer, LearnedScorer
        ):
            self.learned_blame = LearnedBlameScorer(model, self.factor_scorer)
        self.review_margin = float(model.meta.get("review_margin", 0.1))
        self.mention_rules = mention_rule_ids()
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """``<model name>-<version>`` as written in every record."""
        return self.model.ref

    @property
    def has_parser(self) -> bool:
        """Whether the parse-based cue component is in the pipeline."""
        return PARSER_COMPONENT in self.nlp.pipe_names

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
        from syscause.blame import collect_cues
        from syscause.classify import collect_evidence

        texts = [text for _, text in batch]
        cleaned = [clean_for_nlp(text) for text in texts]
        with self._lock:
            docs = list(self.nlp.pipe(cleaned))
        evidence = [
            collect_evidence(doc, text, self.rule_labels, self.mention_rules)
            for doc, text in zip(docs, texts, strict=True)
        ]
        cues = [collect_cues(doc, text) for doc, text in zip(docs, texts, strict=True)]
        scored = self.factor_scorer.score_batch(docs, texts, evidence, cues)
        blame = self.learned_blame.score_batch(scored) if self.learned_blame else None
        return [
            self._analysis(doc, text, id_, sc, cs, blame[i] if blame else None)
            for i, ((id_, text), doc, sc, cs) in enumerate(
                zip(batch, docs, scored, cues, strict=True)
            )
        ]

    def _reframe(
        self,
        text: str,
        cues: list[Cue],
        labels: list[str],
        doc: Doc | None = None,
        scored: Scored | None = None,
    ) -> tuple[Reframe, ...]:
        """Rewrites and questions for the blame-framed sentences (questions from v1 factors).

        With ``scored`` (the narrative's factor scores) a rewrite must also keep the factor
        labels the learned model asserts.
        """
        if not cues:
            return ()
        from syscause.pipeline.person_failure import load_parser
        from syscause.reframe import suggest_reframes
        from syscause.taxonomy import load_taxonomy

        v1 = load_taxonomy("default")
        known = [lb for lb in labels if lb in set(v1.ids)]
        parser = load_parser() if self.has_parser else None
        keeps = self._factor_check(text, cues, doc, scored, frozenset(labels))
        with self._lock:  # the rewrite check runs self.nlp, which is not thread-safe
            return suggest_reframes(
                text,
                cues,
                known,
                taxonomy=v1,
                parser=parser,
                rules=self.nlp,
                doc=doc,
                keeps_factors=keeps,
            )

    def _factor_check(
        self,
        text: str,
        cues: list[Cue],
        doc: Doc | None,
        scored: Scored | None,
        asserted: frozenset[str],
    ) -> FactorCheck | None:
        """Whether rewrites of sentences of ``text`` keep the learned model's labels.

        The narrative is scored with each rewritten sentence's n-grams and rule evidence
        swapped for the rewrite's, which equals analysing the rewritten narrative (n-grams
        and context scope never cross a sentence). None where the labels come from the rule
        evidence alone, which the reframing keeps as it is.
        """
        from syscause.classify import LabelEvidence, collect_evidence
        from syscause.learned.features import DocTokens, rule_features
        from syscause.scoring import LearnedScorer

        scorer = self.factor_scorer
        if (
            not isinstance(scorer, LearnedScorer)
            or doc is None
            or scored is None
            or scored.tokens is None
            or scored.rules is None
        ):
            return None
        chars = scored.tokens.sentence_chars
        original = collect_evidence(doc, text, self.rule_labels, self.mention_rules)
        # the framing model's sentence cue came after the factor scores: not a feature
        scored_cues = [c for c in cues if not c.source.startswith("model:")]
        read: dict[str, tuple[DocTokens, dict[str, LabelEvidence]]] = {}

        def reading(rewrite: str) -> tuple[DocTokens, dict[str, LabelEvidence]]:
            if rewrite not in read:
                new_doc = self.nlp(clean_for_nlp(rewrite), disable=[PARSER_COMPONENT])
                found = collect_evidence(new_doc, rewrite, self.rule_labels, self.mention_rules)
                read[rewrite] = (scorer.hasher.tokens(new_doc), found)
            return read[rewrite]

        def keeps(edits: Sequence[Edit], margin: float = 0.0) -> bool:
            sentences: dict[int, DocTokens] = {}
            added: dict[str, LabelEvidence] = {lb: LabelEvidence() for lb in original}
            for start, _end, rewrite in edits:
                number = next((k for k, (s, e) in enumerate(chars) if s <= start < e), None)
                if number is None:
                    return False
                tokens, found = reading(rewrite)
                sentences[number] = tokens
                for label, ev in found.items():
                    added[label].positive += ev.positive
                    added[label].hypothetical += ev.hypothetical
                    added[label].negated += ev.negated

            def swap(old: list[Evidence], new: list[Evidence]) -> list[Evidence]:
                kept = [e for e in old if not any(s <= e.start < t for s, t, _ in edits)]
                return kept + new

            evidence = {
                label: LabelEvidence(
                    swap(ev.positive, added[label].positive),
                    swap(ev.hypothetical, added[label].hypothetical),
                    swap(ev.negated, added[label].negated),
                )
                for label, ev in original.items()
            }
            # the cues the scorer counted, less those in the rewritten sentences (a rewrite
            # holds none): as analysing the rewritten narrative counts them
            kept = [c for c in scored_cues if not any(s <= c.start < t for s, t, _ in edits)]
            rules = rule_features(evidence, kept, scorer.model.rule_labels)
            stated = {label for label, ev in evidence.items() if ev.positive}
            labels = scorer.asserted_with_sentences(
                scored, sentences, rules[None, :], stated, margin, asserted
            )
            return labels == asserted

        return keeps

    def _sentence_cue(self, text: str, scored: Scored, framing: str, cues: list[Cue]) -> list[Cue]:
        """Where the framing model reads a narrative as blaming but no rule found a blame
        cue: the sentence naming a person that its text scorer reads as blaming most, as a
        cue with the model as its source (a person-failure cue: only a failure verb in it
        is restated). A sentence naming no one ("the armband did not scan") is never one.
        """
        from syscause.learned.framing import BLAMING
        from syscause.reframe import BLAME_CUE_TYPES, names_a_person

        if (
            framing not in BLAMING
            or self.learned_blame is None
            or scored.tokens is None
            or any(c.type in BLAME_CUE_TYPES for c in cues)
        ):
            return []
        for start, end in self.learned_blame.leaning_sentences(scored.tokens):
            if names_a_person(text[start:end]):
                source = f"model:{self.name}:framing_sentence"
                return [Cue(start, end, text[start:end], "person_failure", source)]
        return []

    def _analysis(
        self,
        doc: Doc,
        text: str,
        id_: str | None,
        scored: Scored,
        cues: list[Cue],
        learned_blame: tuple[float, str] | None,
    ) -> Analysis:
        warnings: list[str] = []
        if not text.strip():
            warnings.append(WARN_EMPTY)
        elif not looks_english(text):
            warnings.append(WARN_NOT_ENGLISH)
        if has_control_chars(text):
            warnings.append(WARN_CONTROL)
        if doc.user_data.get("syscause_parser_skipped"):
            warnings.append(WARN_PARSER_SKIPPED)

        scores = scored.scores
        thresholds = self.factor_scorer.thresholds
        factors = []
        for label in self.labels:
            ev = scored.evidence.get(label)
            # every asserted label shows at least one span of the narrative
            if scores[label] >= thresholds[label] and ev:
                factors.append(Factor(label, scores[label], tuple(ev)))
        factors.sort(key=lambda f: -f.score)

        if learned_blame is not None:
            blame_score, framing = learned_blame
            cues = cues + self._sentence_cue(text, scored, framing, cues)
        else:
            blame_score, framing = self.blame_scorer.score(cues, len(factors))
        reframe = self._reframe(text, cues, [f.label for f in factors], doc, scored)
        near = any(abs(scores[lb] - thresholds[lb]) < self.review_margin for lb in self.labels)
        needs_review = (
            near
            or scored.disagreements > 0
            or WARN_NOT_ENGLISH in warnings
            or WARN_PARSER_SKIPPED in warnings
        )
        return Analysis(
            id=id_,
            taxonomy_version=self.taxonomy.version,
            model=self.name,
            factors=tuple(factors),
            scores=scores,
            blame=Blame(blame_score, framing, tuple(cues)),
            reframe=reframe,
            needs_review=needs_review,
            warnings=tuple(warnings),
        )


def _taxonomy_ref(model: ModelDir) -> str:
    """A taxonomy name, or a file inside the model directory (trained custom taxonomies)."""
    ref = str(model.meta["taxonomy"])
    return str(model.path / ref) if ref.endswith(".json") else ref


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


class PipelineRef:
    """A verified model reference for a process that hands the work to others.

    It carries what the coordinating process needs (the label list, the record's model
    name) and pickles exactly as a :class:`Pipeline` does, so each worker loads the model
    once; the coordinator itself never builds the spaCy pipeline (seconds and hundreds of
    megabytes saved per run).
    """

    def __init__(self, model: str = "default", *, use_parser: bool | None = None) -> None:
        from syscause.modelstore import open_model_dir

        model_dir = open_model_dir(model)  # fail here, in the parent, on a bad model
        self.model_ref = model
        self.use_parser = use_parser
        self.labels: list[str] = list(model_dir.meta["labels"])
        self.name: str = model_dir.ref

    def __reduce__(self) -> tuple[Any, tuple[str, bool | None]]:
        return (_reload, (self.model_ref, self.use_parser))


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
