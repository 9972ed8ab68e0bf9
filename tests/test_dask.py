"""Dask scale-out: a 2-worker LocalCluster gives exactly the single-process records.

The cluster uses threads (``processes=False``): worker processes would each load spaCy
and the model, too slow for CI; the records cross the same task boundary either way.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from syscause.cli.main import app
from syscause.scale import RESULT_DTYPES, analyze_frame

from .conftest import SAMPLE

pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def client():
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def _sample_frame():
    frame = pd.read_csv(SAMPLE, dtype=str)
    frame.loc[3, "text"] = None  # one row that cannot be analysed
    return frame


def test_analyze_dataframe_equals_analyze_many(client, pipeline):
    import dask.dataframe as dd

    from syscause.dask import analyze_dataframe

    pdf = _sample_frame()
    ddf = dd.from_pandas(pdf, npartitions=4)
    result = analyze_dataframe(ddf, use_parser=False, keep_columns=["unit"])
    assert list(result.columns) == ["id", "unit", *list(RESULT_DTYPES)[1:]]
    got = result.compute()
    assert list(got.index) == list(pdf.index)
    ok = pdf[pdf["text"].notna()]
    expected = [
        r.to_dict() for r in pipeline.analyze_many(list(zip(ok["id"], ok["text"], strict=True)))
    ]
    records = [json.loads(r) for r in got["record"] if isinstance(r, str)]
    assert [{k: v for k, v in r.items() if k != "unit"} for r in records] == expected
    assert [r["unit"] for r in records] == list(ok["unit"])
    assert got.loc[3, "error"] == "field 'text' is null" and pd.isna(got.loc[3, "record"])


def test_cli_dask_engine_writes_what_the_local_engine_writes(client, tmp_path):
    local, dask_out = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    common = ["--no-parser", "--batch-size", "6", "--keep-columns", "date,unit"]
    runner = CliRunner()
    assert runner.invoke(app, ["analyze", str(SAMPLE), "-o", str(local), *common]).exit_code == 0
    res = runner.invoke(
        app,
        [
            "analyze",
            str(SAMPLE),
            "-o",
            str(dask_out),
            *common,
            "--engine",
            "dask",
            "--scheduler",
            client.scheduler.address,
        ],
    )
    assert res.exit_code == 0, res.output
    assert dask_out.read_bytes() == local.read_bytes()


def test_analyze_frame_keeps_index_and_reports_bad_rows(pipeline):
    pdf = pd.DataFrame(
        {"text": ["Pt fell.", 7, "No float available."], "ward": ["A", "B", None]},
        index=[10, 11, 12],
    )
    out = analyze_frame(pdf, use_parser=False, keep_columns=["ward"])
    assert list(out.index) == [10, 11, 12]
    assert list(out["id"]) == ["10", "11", "12"]  # no id column: the index label names the row
    assert out.loc[11, "error"] == "field 'text' must be text, got number"
    assert json.loads(out.loc[12, "record"])["ward"] is None
    assert str(out["needs_review"].dtype) == "boolean"


def test_analyze_frame_on_an_empty_frame_has_the_result_schema():
    out = analyze_frame(pd.DataFrame({"text": pd.Series(dtype=str)}))
    assert list(out.columns) == list(RESULT_DTYPES) and len(out) == 0


def test_analyze_frame_names_a_missing_text_column():
    from syscause.errors import InputError

    with pytest.raises(InputError, match="no column 'text'"):
        analyze_frame(pd.DataFrame({"narrative": ["x"]}))
