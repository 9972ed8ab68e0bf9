"""kill -9 ``syscause analyze`` about half way, rerun with --resume, and check the output.

PASS when the resumed output holds exactly one record per input row, in input order, and
its records and error rows are byte-identical to an uninterrupted run's. Inputs are ASRS
narratives resampled to ``--rows`` rows (see scripts/benchmark.py). The whole process group
is killed, workers included, as an OOM killer or a lost machine would.

    python scripts/resume_check.py --rows 2000 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmark import ANALYZE_CODE, load_narratives, write_input


def rows_done(checkpoint: Path) -> int:
    """Rows the checkpoint says are written (0 before the first one)."""
    try:
        return int(json.loads(checkpoint.read_text(encoding="utf-8"))["rows_done"])
    except (FileNotFoundError, json.JSONDecodeError, KeyError):
        return 0


def analyze_cmd(src: Path, out: Path, workers: int, batch_size: int) -> list[str]:
    """The ``syscause analyze`` command line used for every run."""
    return [
        sys.executable,
        "-c",
        ANALYZE_CODE,
        "analyze",
        str(src),
        "-o",
        str(out),
        "--no-parser",
        "-q",
        "--workers",
        str(workers),
        "--batch-size",
        str(batch_size),
    ]


def kill_half_way(cmd: list[str], checkpoint: Path, rows: int) -> int:
    """Start ``cmd``, SIGKILL its process group once half the rows are done; rows done then."""
    proc = subprocess.Popen(cmd, start_new_session=True)
    while rows_done(checkpoint) < rows // 2:
        if proc.poll() is not None:
            raise SystemExit("FAIL: the run finished before it could be killed; use more --rows")
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return rows_done(checkpoint)


def main(argv: list[str] | None = None) -> int:
    """Run reference, killed and resumed runs; print PASS or FAIL with counts."""
    from syscause.splits import default_asrs_path

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--asrs", type=Path, default=None)
    args = parser.parse_args(argv)
    texts = load_narratives(args.asrs or Path(default_asrs_path()))
    with tempfile.TemporaryDirectory(prefix="syscause-resume-") as tmp:
        work = Path(tmp)
        src, ref, out = work / "in.csv", work / "ref.jsonl", work / "out.jsonl"
        write_input(texts, args.rows, src, seed=1)
        subprocess.run(analyze_cmd(src, ref, args.workers, args.batch_size), check=False)
        cmd = analyze_cmd(src, out, args.workers, args.batch_size)
        killed_at = kill_half_way(cmd, work / "out.jsonl.progress.json", args.rows)
        size_at_kill = out.stat().st_size
        subprocess.run([*cmd, "--resume"], check=False)
        records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        expected = [json.loads(x) for x in ref.read_text(encoding="utf-8").splitlines()]
        ids = [r["id"] for r in records]
        once_in_order = ids == [f"b{i}" for i in range(args.rows)]
        identical = (
            records == expected
            and (work / "out.errors.jsonl").read_bytes() == (work / "ref.errors.jsonl").read_bytes()
        )
    verdict = "PASS" if once_in_order and identical else "FAIL"
    print(
        f"{verdict}: {args.rows} input rows, killed after {killed_at} rows were checkpointed "
        f"({size_at_kill} bytes written); after --resume {len(records)} records, "
        f"{len(set(ids))} distinct ids, in input order: {once_in_order}, identical to the "
        f"uninterrupted run ({len(expected)} records): {identical}"
    )
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
