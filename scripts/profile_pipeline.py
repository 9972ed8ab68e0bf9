"""Time the rule pipeline against spaCy's blank English tokenizer, and diff its evidence.

Three jobs, each on real-length narratives:

- default: time ``spacy.blank("en").pipe`` and the no-parser rule path (cleaning, tokenizer,
  sentencizer, evidence and cue patterns, negation scope, ``collect_evidence``,
  ``collect_cues`` and the record warnings: everything ``Pipeline._run_batch`` and
  ``_analysis`` do except the factor and blame scorers) over the same ASRS narratives, in
  the same process, alternating on fresh texts; print docs/s of each, their ratio and a
  cProfile top-N.
  The machine is shared, so the ratio is the number to compare across runs.
- ``--compare-evidence OUT``: write every evidence span, cue and raw pattern match found on
  the healthcare corpus as JSON Lines (doc id, kind, label, start, end, source, negated,
  hypothetical); with ``--against BEFORE`` print what was lost and what was gained.
- ``--long-doc MB``: time one narrative of about MB megabytes (ASRS narratives joined),
  which must take roughly linear time.
- ``--write-frequencies``: rewrite ``resources/rules/token_frequencies.json``, the most
  frequent lower-case tokens of the healthcare corpus and of ASRS narratives, which the
  token-pattern matcher uses to pick rare anchor words (speed only, never results).

Usage:
  python scripts/profile_pipeline.py [--n 1000] [--warmup 300] [--rounds 3] [--top 20]
  python scripts/profile_pipeline.py --compare-evidence after.jsonl [--against before.jsonl]
  python scripts/profile_pipeline.py --long-doc 1
  python scripts/profile_pipeline.py --write-frequencies
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from syscause.blame import collect_cues
from syscause.classify import collect_evidence
from syscause.pipeline import build_nlp
from syscause.pipeline.extensions import CUES_KEY, EVIDENCE_KEY
from syscause.rules import mention_rule_ids
from syscause.splits import default_asrs_path, healthcare
from syscause.taxonomy import load_taxonomy
from syscause.text import clean_for_nlp, has_control_chars, looks_english

BATCH_SIZE = 256


def asrs_texts(limit: int) -> list[str]:
    """The first ``limit`` non-empty ASRS narratives."""
    out: list[str] = []
    with default_asrs_path().open(encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line).get("narrative") or ""
            if text.strip():
                out.append(text)
            if len(out) >= limit:
                break
    return out


class RulePath:
    """The no-parser path of ``Pipeline._run_batch``/``_analysis`` minus the scorers."""

    def __init__(self) -> None:
        self.nlp: Language = build_nlp(use_parser=False)
        self.labels = list(load_taxonomy("default").ids)
        self.mentions = mention_rule_ids()

    def run(self, texts: list[str]) -> Iterator[tuple[Any, ...]]:
        """Analyse ``texts`` in batches, yielding (doc, evidence, cues, warnings flags)."""
        for i in range(0, len(texts), BATCH_SIZE):
            batch = texts[i : i + BATCH_SIZE]
            cleaned = [clean_for_nlp(t) for t in batch]
            for doc, text in zip(self.nlp.pipe(cleaned), batch, strict=True):
                evidence = collect_evidence(doc, text, self.labels, self.mentions)
                cues = collect_cues(doc, text)
                flags = (not text.strip(), looks_english(text), has_control_chars(text))
                yield doc, evidence, cues, flags


def _seconds(fn: Callable[[], int]) -> tuple[float, float]:
    """Wall and CPU seconds ``fn`` takes.

    On a shared machine the wall time swings with other people's jobs; the CPU time counts
    only the time this process ran, so it is the steadier of the two.
    """
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def benchmark(n: int, warmup: int, rounds: int, top: int) -> None:
    """Print docs/s of the blank tokenizer and the rule path on the same texts, and a profile.

    Each round times both on ``n`` narratives neither has seen (spaCy's tokenizer caches
    what it has seen, so a repeated text would flatter it), after a warm-up on others.
    """
    texts = asrs_texts(warmup + rounds * n)
    warm = texts[:warmup]
    slices = [texts[warmup + r * n : warmup + (r + 1) * n] for r in range(rounds)]
    timed = [t for sl in slices for t in sl]
    mean = sum(map(len, timed)) / max(len(timed), 1)
    print(
        f"{rounds} rounds of {n} ASRS narratives, mean {mean:.0f} chars "
        f"(warm-up on {len(warm)} others)"
    )
    blank = spacy.blank("en")
    path = RulePath()
    # Both tokenizers fill their caches on the same other texts first: the steady state of
    # a long archive run, not the first seconds of one.
    for _ in blank.pipe(warm, batch_size=BATCH_SIZE):
        pass
    for _ in path.run(warm):
        pass
    totals = {"tok": [0.0, 0.0], "rules": [0.0, 0.0]}  # seconds: wall, CPU
    for r, batch in enumerate(slices):
        t = _seconds(lambda b=batch: sum(1 for _ in blank.pipe(b, batch_size=BATCH_SIZE)))
        p = _seconds(lambda b=batch: sum(1 for _ in path.run(b)))
        for name, secs in (("tok", t), ("rules", p)):
            totals[name] = [a + b for a, b in zip(totals[name], secs, strict=True)]
        print(
            f"round {r + 1}: blank tokenizer {n / t[0]:,.0f} docs/s ({n / t[1]:,.0f} per CPU s), "
            f"rule path {n / p[0]:,.0f} docs/s ({n / p[1]:,.0f} per CPU s), "
            f"ratio {t[0] / p[0]:.2f} (CPU {t[1] / p[1]:.2f})"
        )
    for i, clock in enumerate(("wall", "CPU")):
        tk, rl = len(timed) / totals["tok"][i], len(timed) / totals["rules"][i]
        print(
            f"all rounds, {clock} time: blank tokenizer {tk:,.0f} docs/s, "
            f"rule path {rl:,.0f} docs/s, ratio {rl / tk:.2f}"
        )
    if top:
        profiler = cProfile.Profile()
        profiler.runcall(lambda: sum(1 for _ in path.run(asrs_texts(n))))
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
        print(out.getvalue())


def evidence_records(path: RulePath) -> Iterator[dict[str, Any]]:
    """Every collected evidence span and cue, and every raw match, on the healthcare corpus."""
    docs = healthcare("all")
    texts = [d.text for d in docs]
    for rec, (doc, evidence, cues, _) in zip(docs, path.run(texts), strict=True):
        for label, ev in evidence.items():
            for status, items in (
                ("positive", ev.positive),
                ("hypothetical", ev.hypothetical),
                ("negated", ev.negated),
            ):
                for e in items:
                    yield {
                        "id": rec.id,
                        "kind": "evidence",
                        "label": label,
                        "start": e.start,
                        "end": e.end,
                        "source": e.source,
                        "negated": status == "negated",
                        "hypothetical": status == "hypothetical",
                    }
        for c in cues:
            yield {"id": rec.id, "kind": "cue", "label": c.type, "start": c.start, "end": c.end}
            yield {"id": rec.id, "kind": "cue_source", "source": c.source, "start": c.start}
        for key in (EVIDENCE_KEY, CUES_KEY):
            for sp in doc.spans.get(key, []):
                yield {
                    "id": rec.id,
                    "kind": f"match:{key}",
                    "label": sp.label_,
                    "start": sp.start_char,
                    "end": sp.end_char,
                    "source": sp.id_,
                    "negated": bool(sp._.syscause_negated),
                    "hypothetical": bool(sp._.syscause_hypothetical),
                }


def _load(path: Path) -> set[str]:
    return set(path.read_text(encoding="utf-8").splitlines())


def compare_evidence(out: Path, against: Path | None) -> int:
    """Dump the healthcare evidence to ``out``; with ``against``, print the differences."""
    lines = sorted({json.dumps(r, sort_keys=True) for r in evidence_records(RulePath())})
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} records to {out}")
    if against is None:
        return 0
    before, after = _load(against), set(lines)
    lost, gained = sorted(before - after), sorted(after - before)
    for name, diff in (("lost", lost), ("gained", gained)):
        print(f"{name}: {len(diff)}")
        for line in diff[:40]:
            print(f"  {line}")
    return 1 if lost else 0


def long_doc(megabytes: float) -> None:
    """Time one narrative of about ``megabytes`` MB through the rule path."""
    texts = asrs_texts(3000)
    target = int(megabytes * 1_000_000)
    parts: list[str] = []
    size = 0
    while size < target:
        for t in texts:
            parts.append(t)
            size += len(t) + 1
            if size >= target:
                break
    text = "\n".join(parts)
    path = RulePath()
    for chars in (len(text) // 8, len(text) // 2, len(text)):
        start = time.perf_counter()
        [(doc, evidence, cues, _)] = list(path.run([text[:chars]]))
        took = time.perf_counter() - start
        n_ev = sum(
            len(e.positive) + len(e.negated) + len(e.hypothetical) for e in evidence.values()
        )
        print(
            f"{chars / 1e6:.2f} MB, {len(doc):,} tokens: {took:.2f} s "
            f"({n_ev} evidence spans, {len(cues)} cues)"
        )


def write_frequencies(top: int = 1500, n_asrs: int = 3000) -> Path:
    """Write the per-million frequency of the ``top`` commonest lower-case tokens."""
    from collections import Counter

    from syscause.pipeline.token_patterns import FREQUENCY_FILE

    blank = spacy.blank("en")
    counts: Counter[str] = Counter()
    sources = {"healthcare": [d.text for d in healthcare("all")], "asrs": asrs_texts(n_asrs)}
    for texts in sources.values():
        # each source weighs the same, whatever its size
        part: Counter[str] = Counter()
        for doc in blank.pipe(texts, batch_size=BATCH_SIZE):
            part.update(t.lower_ for t in doc if not t.is_space)
        total = sum(part.values())
        counts.update({w: c / total * 1e6 / len(sources) for w, c in part.items()})
    table = {w: round(f, 1) for w, f in counts.most_common(top)}
    record = {
        "about": "per-million frequency of the commonest lower-case tokens (healthcare corpus "
        f"and {n_asrs} ASRS narratives); used only to pick rare anchor words for speed",
        "per_million": table,
    }
    FREQUENCY_FILE.write_text(json.dumps(record, indent=0, ensure_ascii=False) + "\n")
    print(f"wrote {len(table)} tokens to {FREQUENCY_FILE}")
    return FREQUENCY_FILE


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="narratives per round")
    ap.add_argument("--warmup", type=int, default=300, help="other narratives to warm up on")
    ap.add_argument("--rounds", type=int, default=3, help="rounds, each on new texts")
    ap.add_argument("--top", type=int, default=20, help="profile rows (0: no profile)")
    ap.add_argument("--compare-evidence", type=Path, metavar="OUT", help="dump evidence")
    ap.add_argument("--against", type=Path, metavar="BEFORE", help="diff against a dump")
    ap.add_argument("--long-doc", type=float, metavar="MB", help="time one long narrative")
    ap.add_argument("--write-frequencies", action="store_true", help="rewrite anchor stats")
    args = ap.parse_args(argv)
    if args.write_frequencies:
        write_frequencies()
        return 0
    if args.compare_evidence:
        return compare_evidence(args.compare_evidence, args.against)
    if args.long_doc:
        long_doc(args.long_doc)
        return 0
    benchmark(args.n, args.warmup, args.rounds, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
