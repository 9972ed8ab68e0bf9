"""Dask scale-out: analyse a Dask DataFrame, or run ``syscause analyze`` on a Dask cluster.

Needs the ``scale`` extra (``dask[dataframe]`` and ``distributed``). Workers need syscause
and its model installed; each loads the model once (the pipeline travels as a reference).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import Any

from syscause.api import DEFAULT_BATCH_SIZE
from syscause.errors import InputError
from syscause.scale.frame import analyze_frame, result_meta


def analyze_dataframe(
    ddf: Any,
    text_column: str = "text",
    id_column: str = "id",
    model: str = "default",
    *,
    use_parser: bool | None = None,
    keep_columns: Sequence[str] = (),
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Any:
    """Analyse every row of a Dask DataFrame, lazily: one result row per input row.

    Runs :func:`syscause.scale.analyze_frame` on each partition via ``map_partitions`` with
    an explicit ``meta`` (its flat schema: ``id``, the kept columns, ``labels``, ``framing``,
    ``blame_score``, ``needs_review``, ``warnings``, ``error`` and the JSON ``record``).
    The index and partitions of ``ddf`` are kept. Call ``.compute()`` or write it out.
    """
    columns = [str(c) for c in ddf.columns]
    if text_column not in columns:
        raise InputError(f"no column {text_column!r} in the Dask DataFrame; choose text_column")
    missing = [c for c in keep_columns if c not in columns]
    if missing:
        raise InputError(f"no column {', '.join(map(repr, missing))} to keep")
    keep = list(keep_columns)
    meta = result_meta(keep, {c: ddf._meta[c].dtype for c in keep})
    return ddf.map_partitions(
        analyze_frame,
        text_column=text_column,
        id_column=id_column,
        model=model,
        use_parser=use_parser,
        keep_columns=keep,
        batch_size=batch_size,
        meta=meta,
    )


@contextmanager
def dask_executor(workers: int, scheduler: str | None = None) -> Iterator[tuple[Executor, int]]:
    """A ``concurrent.futures`` executor on a Dask cluster, and how many tasks it runs at once.

    Connects to ``scheduler`` (``tcp://host:8786``) or, without one, starts a LocalCluster
    of ``workers`` single-threaded worker processes, closed again on exit.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError(
            "--engine dask needs Dask: pip install 'syscause[scale]' (dask[dataframe], distributed)"
        ) from None
    # Dask logs cluster life at INFO and comm tear-down tracebacks at ERROR through the
    # root handler; the summary line says what matters.
    dask_log = logging.getLogger("distributed")
    dask_log.setLevel(logging.ERROR)
    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout="30s")
        except (OSError, TimeoutError) as exc:
            raise InputError(
                f"cannot reach the Dask scheduler at {scheduler} ({type(exc).__name__})"
            ) from None
    else:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
    try:
        slots = max(1, sum(client.nthreads().values()))
        yield client.get_executor(pure=False), slots
    finally:
        dask_log.setLevel(logging.CRITICAL)
        client.close()
        if cluster is not None:
            cluster.close()
