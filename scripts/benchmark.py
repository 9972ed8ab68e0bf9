"""Throughput and peak memory of ``syscause analyze`` beside spaCy's blank English tokenizer.

Real-length narratives: the ASRS reports (``syscause.splits.default_asrs_path()``, field
``narrative``) resampled with replacement to ``--rows`` rows and written to a temporary CSV.
``syscause analyze`` (default model, ``--no-parser``, the archive path) runs as a subprocess
with each ``--workers`` count; so does ``spacy.blank("en")``'s tokenizer over the same texts
with as many processes, each tokenising its own share and sending nothing back: the floor
cost of touching every token on that many cores. analyze's rate is the one its summary
line reports (from the first row read, so it includes the workers' model load: about 4 s);
the tokenizer's counts only tokenising (the slowest process's time), which favours the
tokenizer. Peak memory is the largest summed RSS of the process tree, sampled every 50 ms
(psutil), or the largest single process's (``getrusage``) where psutil is missing.
``--small-rows`` repeats analyze at a smaller size to compare peak memory.

    python scripts/benchmark.py --rows 100000 --small-rows 10000
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

TOKENIZER_CODE = """
import csv, sys, time
from concurrent.futures import ProcessPoolExecutor
import spacy

def shard(args):
    path, k, n = args
    csv.field_size_limit(2**31 - 1)
    rows = csv.DictReader(open(path, encoding="utf-8", newline=""))
    texts = [r["text"] for i, r in enumerate(rows) if i % n == k]
    nlp = spacy.blank("en")
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.tokenizer.pipe(texts, batch_size=256))
    return len(texts), tokens, time.perf_counter() - started

if __name__ == "__main__":
    n = int(sys.argv[2])
    with ProcessPoolExecutor(n) as pool:
        done = list(pool.map(shard, [(sys.argv[1], k, n) for k in range(n)]))
    rows = sum(d[0] for d in done)
    print(f"rate {rows / max(d[2] for d in done):.3f} rows {rows}")
"""
ANALYZE_CODE = "from syscause.cli.main import main; main()"
SUMMARY_RATE = re.compile(r"(\d+) rows: .*?; ([\d.]+) rows/s")


@dataclass
class Measure:
    """One run: what, how many rows, rate (rows/s), wall seconds and peak RSS in MiB."""

    what: str
    workers: int
    rows: int
    rate: float
    wall: float
    peak_mib: float


def load_narratives(path: Path) -> list[str]:
    """The non-empty narratives of an ASRS JSON Lines file."""
    texts = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line).get("narrative")
            if isinstance(text, str) and text.strip():
                texts.append(text)
    if not texts:
        raise SystemExit(f"{path}: no narratives")
    return texts


def write_input(texts: list[str], rows: int, path: Path, seed: int = 0) -> None:
    """Resample ``texts`` with replacement to ``rows`` rows of a CSV (id, text)."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "text"])
        for i in range(rows):
            writer.writerow([f"b{i}", rng.choice(texts)])


def run_measured(cmd: list[str]) -> tuple[str, float, float]:
    """Run ``cmd``; return its stdout+stderr, wall seconds and peak tree RSS in MiB."""
    try:
        import psutil
    except ImportError:
        psutil = None
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    if psutil is not None:
        root = psutil.Process(proc.pid)
        while proc.poll() is None:
            try:
                tree = [root, *root.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.05)
    out, _ = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[:3])}... failed ({proc.returncode}):\n{out[-2000:]}")
    if psutil is None:  # kilobytes on Linux: the largest single finished child
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return out, wall, peak / 2**20


def measure_analyze(src: Path, rows: int, workers: int, workdir: Path) -> Measure:
    """``syscause analyze`` on ``src`` with ``workers`` processes."""
    out_path = workdir / f"out-{rows}-{workers}.jsonl"
    cmd = [sys.executable, "-c", ANALYZE_CODE, "analyze", str(src), "-o", str(out_path)]
    cmd += ["--no-parser", "--workers", str(workers)]
    out, wall, peak = run_measured(cmd)
    match = SUMMARY_RATE.search(out)
    if match is None:
        raise SystemExit(f"no summary line from syscause analyze:\n{out[-2000:]}")
    out_path.unlink(missing_ok=True)
    return Measure("syscause analyze", workers, int(match[1]), float(match[2]), wall, peak)


def measure_tokenizer(src: Path, rows: int, workers: int) -> Measure:
    """spaCy's blank English tokenizer over the same texts with ``workers`` processes."""
    out, wall, peak = run_measured([sys.executable, "-c", TOKENIZER_CODE, str(src), str(workers)])
    match = re.search(r"rate ([\d.]+) rows (\d+)", out)
    if match is None:
        raise SystemExit(f"tokenizer run printed no rate:\n{out[-2000:]}")
    return Measure('spacy.blank("en")', workers, int(match[2]), float(match[1]), wall, peak)


def print_table(measures: list[Measure]) -> None:
    """A plain-text table of every run."""
    print(f"{'run':<20} {'workers':>7} {'rows':>8} {'reports/s':>10} {'wall s':>8} {'peak MiB':>9}")
    for m in measures:
        print(
            f"{m.what:<20} {m.workers:>7} {m.rows:>8} {m.rate:>10.1f} {m.wall:>8.1f} "
            f"{m.peak_mib:>9.0f}"
        )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table and ratios."""
    from syscause.splits import default_asrs_path

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows to analyse")
    parser.add_argument(
        "--small-rows", type=int, default=10_000, help="also analyse this many (0: skip)"
    )
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--asrs", type=Path, default=None, help="ASRS JSON Lines file")
    args = parser.parse_args(argv)
    workers = [int(w) for w in args.workers.split(",")]
    texts = load_narratives(args.asrs or Path(default_asrs_path()))
    print(
        f"{len(texts)} ASRS narratives, mean {sum(map(len, texts)) / len(texts):.0f} chars; "
        f"resampled to {args.rows} rows"
    )
    measures: list[Measure] = []
    with tempfile.TemporaryDirectory(prefix="syscause-bench-") as tmp:
        workdir = Path(tmp)
        src = workdir / f"in-{args.rows}.csv"
        write_input(texts, args.rows, src)
        for n in workers:
            measures.append(measure_analyze(src, args.rows, n, workdir))
            measures.append(measure_tokenizer(src, args.rows, n))
        small = None
        if args.small_rows:
            small_src = workdir / f"in-{args.small_rows}.csv"
            write_input(texts, args.small_rows, small_src)
            small = [measure_analyze(small_src, args.small_rows, n, workdir) for n in workers]
            measures.extend(small)
    print_table(measures)
    for n in workers:
        ours = next(m for m in measures if m.what == "syscause analyze" and m.workers == n)
        floor = next(m for m in measures if m.what != "syscause analyze" and m.workers == n)
        print(f"ratio analyze/tokenizer, {n} worker(s): {ours.rate / floor.rate:.3f}")
    for m in small or []:
        big = next(
            x
            for x in measures
            if x.what == "syscause analyze" and x.workers == m.workers and x.rows == args.rows
        )
        print(
            f"peak memory {big.rows} vs {m.rows} rows, {m.workers} worker(s): "
            f"{big.peak_mib:.0f} / {m.peak_mib:.0f} MiB = {big.peak_mib / m.peak_mib:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
