"""``syscause analyze``: a report archive in, one result record per row out."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from syscause.cli._common import EXIT_OK, fail, guarded, setup_logging

if TYPE_CHECKING:
    from syscause.api import Pipeline, PipelineRef
    from syscause.batch import BatchSummary, SeenIds
    from syscause.io.checkpoint import CheckpointWriter
    from syscause.io.readers import ReadOptions
    from syscause.io.rows import InputRow

DEFAULT_TEXT_COLUMN = "text"
DEFAULT_ID_COLUMN = "id"


class Engine(StrEnum):
    """Where the analysis runs."""

    local = "local"
    dask = "dask"


@dataclass(frozen=True, slots=True)
class FileJob:
    """The options of one file-to-file run."""

    text_column: str
    id_column: str
    model: str
    errors: str | None
    encoding: str | None
    batch_size: int
    parser: bool | None
    quiet: bool
    workers: int = 1
    resume: bool = False
    keep_columns: tuple[str, ...] = ()
    engine: Engine = Engine.local
    scheduler: str | None = None
    redact: bool = False


def _parse_columns(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    columns = tuple(c.strip() for c in value.split(","))
    if any(not c for c in columns):
        raise fail("--keep-columns: give column names separated by commas, e.g. date,unit")
    return columns


def _errors_path(output: str, errors: str | None) -> str | None:
    if errors:
        return errors
    if output == "-":
        return None
    out = Path(output)
    return str(out.with_name(out.stem + ".errors.jsonl"))


@guarded
def analyze(
    input: Annotated[
        str | None,
        typer.Argument(
            help="Report archive: .csv, .jsonl, .parquet, .xlsx, or - for JSONL on stdin."
        ),
    ] = None,
    output: Annotated[
        str,
        typer.Option(
            "--output", "-o", help="Results: .jsonl, .csv, .parquet, or - for JSONL on stdout."
        ),
    ] = "-",
    text: Annotated[
        str | None, typer.Option("--text", help="Analyse one narrative and show it highlighted.")
    ] = None,
    text_column: Annotated[str, typer.Option(help="Column holding the narrative.")] = (
        DEFAULT_TEXT_COLUMN
    ),
    id_column: Annotated[
        str, typer.Option(help="Column holding the report id (row number when absent).")
    ] = DEFAULT_ID_COLUMN,
    model: Annotated[str, typer.Option(help="'default' or a model directory.")] = "default",
    errors: Annotated[
        str | None,
        typer.Option(help="Where error rows go (JSONL); default OUTPUT's name + .errors.jsonl."),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Input encoding (detected when omitted), e.g. cp1252.")
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Narratives per batch.")] = 256,
    parser: Annotated[
        bool | None,
        typer.Option(
            "--parser/--no-parser",
            help="Use the English parser for blame cues (default: when installed).",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1, help="Worker processes (each loads the model once); output order is kept."
        ),
    ] = 1,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Finish an interrupted run from OUTPUT.progress.json (.jsonl and .csv "
            "outputs): every input row ends up in OUTPUT exactly once, in input order.",
        ),
    ] = False,
    keep_columns: Annotated[
        str | None,
        typer.Option(
            help="Input columns to copy into each result record as top-level keys, "
            "comma-separated (e.g. date,unit for syscause report).",
        ),
    ] = None,
    engine: Annotated[
        Engine,
        typer.Option(help="local: this machine's processes; dask: a Dask cluster."),
    ] = Engine.local,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="With --engine dask: scheduler address (tcp://host:8786); default a "
            "LocalCluster of --workers processes."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="With --text: print the JSON record.")
    ] = False,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            help="Replace names, record and account numbers, dates, phone numbers, emails and "
            "addresses before analysis; every span written then indexes the redacted text.",
        ),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar and no summary line.")
    ] = False,
) -> None:
    """Tag contributing factors, evidence and blame framing for every report.

    Each input row yields one result row (in input order) or one error row in the errors
    file. The blame score describes the narrative's framing, never a person. A progress bar
    with rate and ETA shows on stderr when it is a terminal.
    """
    setup_logging(quiet)
    import syscause

    if text is not None:
        if input is not None:
            raise fail("give either INPUT or --text, not both")
        if redact:
            from syscause.redact import redact as redact_text

            text = redact_text(text).text
        result = syscause.load(model, use_parser=parser).analyze(text, id="text")
        if as_json:
            import json

            typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        else:
            from syscause.cli.render import render_analysis

            render_analysis(text, result)
        raise typer.Exit(EXIT_OK)
    if input is None:
        raise fail("missing INPUT (a file, or - for JSONL on stdin) or --text")
    if scheduler is not None and engine is not Engine.dask:
        raise fail("--scheduler needs --engine dask")
    _run_file(
        input,
        output,
        FileJob(
            text_column=text_column,
            id_column=id_column,
            model=model,
            errors=errors,
            encoding=encoding,
            batch_size=batch_size,
            parser=parser,
            quiet=quiet,
            workers=workers,
            resume=resume,
            keep_columns=_parse_columns(keep_columns),
            engine=engine,
            scheduler=scheduler,
            redact=redact,
        ),
    )


@dataclass(slots=True)
class _Start:
    """Where a run starts: fresh, or after the rows an interrupted run finished."""

    rows: Iterator[InputRow]
    summary: BatchSummary
    seen: SeenIds
    done: int = 0


def _run_file(input: str, output: str, job: FileJob) -> None:
    import itertools

    import syscause
    from syscause.batch import BatchSummary, SeenIds
    from syscause.io.readers import ReadOptions, input_format, read_rows
    from syscause.io.writers import RESUMABLE_FORMATS, check_keep_columns, output_format

    input_format(input)  # unsupported suffixes fail before anything is written
    out_format = output_format(output)
    if job.resume and (output == "-" or out_format not in RESUMABLE_FORMATS or input == "-"):
        raise fail(
            "--resume needs an INPUT file and a .jsonl or .csv OUTPUT file: Parquet and XLSX "
            "are written whole at the end, and stdin/stdout cannot be re-read"
        )
    options = ReadOptions(
        text_column=job.text_column,
        id_column=job.id_column,
        id_column_required=job.id_column != DEFAULT_ID_COLUMN,
        encoding=job.encoding,
        keep_columns=job.keep_columns,
    )
    rows = read_rows(input, options)
    if job.redact:
        rows = _redacted(rows)
    first = next(rows, None)  # file-level problems (missing column, binary) surface here
    pipeline: Pipeline | PipelineRef
    if job.workers > 1 or job.engine is Engine.dask:
        from syscause.api import PipelineRef

        pipeline = PipelineRef(job.model, use_parser=job.parser)  # the workers load it
    else:
        pipeline = syscause.load(job.model, use_parser=job.parser)
    check_keep_columns(job.keep_columns, pipeline.labels)
    errors_path = _errors_path(output, job.errors)
    all_rows = itertools.chain([first] if first is not None else [], rows)
    start = _Start(all_rows, BatchSummary(), SeenIds())
    checkpoint = None
    if errors_path is not None and out_format in RESUMABLE_FORMATS and "-" not in (input, output):
        checkpoint, start = _checkpoint_and_start(input, output, errors_path, options, job, start)
    _run(input, output, errors_path, pipeline, job, options, start, checkpoint)


def _redacted(rows: Iterator[InputRow]) -> Iterator[InputRow]:
    """Rows whose narrative has its identifiers replaced (see :mod:`syscause.redact`)."""
    import dataclasses

    from syscause.redact import redact

    for row in rows:
        if row.ok and row.text is not None:
            yield dataclasses.replace(row, text=redact(row.text).text)
        else:
            yield row


def _job_key(
    input: str, errors_path: str, options: ReadOptions, job: FileJob, out_format: str
) -> dict[str, Any]:
    """What must match for a resume: the same input file, options, model and outputs."""
    from syscause.io.checkpoint import input_fingerprint

    fingerprint = input_fingerprint(input)
    return {
        "input file": fingerprint["path"],
        "input size": fingerprint["size"],
        "input modification time": fingerprint["mtime_ns"],
        "text column": options.text_column,
        "id column": options.id_column,
        "encoding": options.encoding,
        "keep columns": list(options.keep_columns),
        "model": job.model,
        "parser setting": job.parser,
        "redact": job.redact,
        "output format": out_format,
        "errors file": str(Path(errors_path).resolve()),
    }


def _checkpoint_and_start(
    input: str, output: str, errors_path: str, options: ReadOptions, job: FileJob, start: _Start
) -> tuple[CheckpointWriter, _Start]:
    """Open the run's checkpoint; with --resume, cut the files back and skip the done rows."""
    import logging

    from syscause.batch import BatchSummary, skip_done
    from syscause.io.checkpoint import CheckpointWriter, check_job, read_checkpoint, truncate_to
    from syscause.io.writers import output_format

    key = _job_key(input, errors_path, options, job, output_format(output))
    checkpoint = CheckpointWriter(output, errors_path, key)
    previous = read_checkpoint(checkpoint.path) if job.resume else None
    if previous is None:
        if job.resume:
            logging.getLogger("syscause").warning(
                "%s: no checkpoint of an interrupted run; analysing from the first row",
                output,
            )
        checkpoint.remove()  # a stale checkpoint must not describe this run's new files
        return checkpoint, start
    check_job(checkpoint.path, previous, key)
    truncate_to(output, previous.output_bytes)
    truncate_to(errors_path, previous.errors_bytes)
    summary = BatchSummary(previous.rows_done, previous.ok, previous.errors, previous.warnings)
    rows = skip_done(start.rows, previous.rows_done, start.seen)
    return checkpoint, _Start(rows, summary, start.seen, previous.rows_done)


@contextmanager
def _executor(
    job: FileJob, pipeline: Pipeline | PipelineRef
) -> Iterator[tuple[Executor | None, int]]:
    """The executor for the job's engine and workers, and how many chunks to keep in flight."""
    if job.engine is Engine.dask:
        from syscause.dask import dask_executor

        with dask_executor(job.workers, job.scheduler) as (executor, slots):
            yield executor, 2 * slots
        return
    if job.workers == 1:
        yield None, 1
        return
    from syscause.batch import process_pool

    pool = process_pool(pipeline, job.workers)
    try:
        yield pool, 2 * job.workers
    finally:
        # An interrupted run must not wait for queued chunks.
        pool.shutdown(wait=True, cancel_futures=True)


def _run(
    input: str,
    output: str,
    errors_path: str | None,
    pipeline: Pipeline | PipelineRef,
    job: FileJob,
    options: ReadOptions,
    start: _Start,
    checkpoint: CheckpointWriter | None,
) -> None:
    from syscause.batch import run_batch
    from syscause.cli.progress import progress_bar, progress_wanted
    from syscause.io.readers import count_rows
    from syscause.io.writers import open_writer

    resumed = start.done > 0
    writer = open_writer(output, pipeline.labels, job.keep_columns, append=resumed)
    err_fh: IO[str]
    if errors_path:
        err_fh = open(errors_path, "a" if resumed else "w", encoding="utf-8")  # noqa: SIM115
    else:
        err_fh = sys.stderr
    show = progress_wanted(job.quiet)
    total = count_rows(input, options) if show else None

    def save(s: BatchSummary) -> None:
        if checkpoint is not None:
            checkpoint.save(s.rows, s.ok, s.errors, s.warnings)

    started = time.perf_counter()
    try:
        with (
            _executor(job, pipeline) as (executor, in_flight),
            progress_bar(total, enabled=show, completed=start.done) as advance,
        ):
            summary = run_batch(
                start.rows,
                pipeline,
                writer,
                err_fh,
                source=input,
                batch_size=job.batch_size,
                executor=executor,
                in_flight=in_flight,
                on_progress=advance,
                on_flushed=save,
                summary=start.summary,
                seen=start.seen,
            )
    finally:
        writer.close()
        if err_fh is not sys.stderr:
            err_fh.close()
    if checkpoint is not None:
        checkpoint.remove()
    elapsed = max(time.perf_counter() - started, 1e-9)
    if not job.quiet:
        typer.echo(_summary_line(summary, errors_path, elapsed, start.done, job), err=True)
    raise typer.Exit(summary.exit_code)


def _rate(rows: int, seconds: float) -> str:
    rate = rows / seconds
    return f"{rate:.1f}" if rate < 10 else f"{rate:.0f}"


def _summary_line(
    summary: BatchSummary, errors_path: str | None, elapsed: float, done: int, job: FileJob
) -> str:
    where = f" (see {errors_path})" if summary.errors and errors_path else ""
    resumed = f", resumed after row {done}" if done else ""
    workers = f"{job.workers} worker{'s' if job.workers > 1 else ''}"
    if job.engine is Engine.dask:
        workers = f"dask, {job.scheduler}" if job.scheduler else f"dask, {workers}"
    return (
        f"syscause: {summary.rows} rows: {summary.ok} analysed, {summary.errors} "
        f"errors{where}, {summary.warnings} with warnings; "
        f"{_rate(summary.rows - done, elapsed)} rows/s ({workers}, {elapsed:.1f} s{resumed})"
    )
