"""The healthcare corpus: loader, record integrity, frozen splits."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from syscause.corpora import load, read_records
from syscause.errors import InputError
from syscause.taxonomy import load_taxonomy

from .conftest import ROOT

CORPUS = ROOT / "corpora" / "healthcare"
V1 = set(load_taxonomy("v1").ids)


@pytest.fixture(scope="module")
def records():
    return read_records("healthcare", "all")


def test_load_returns_a_dataset_per_split():
    test = load("healthcare", split="test")
    assert test.num_rows >= 400
    assert {"id", "text", "labels", "factors", "framing", "rewrites"} <= set(test.column_names)


def test_splits_partition_the_corpus(records):
    sizes = Counter(r["split"] for r in records)
    assert set(sizes) == {"train", "dev", "test"}
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    for split in ("train", "dev", "test"):
        assert {r["id"] for r in read_records("healthcare", split)} == {
            r["id"] for r in records if r["split"] == split
        }


def test_every_span_is_exact_and_every_label_known(records):
    for r in records:
        text = r["text"]
        assert set(r["labels"]) <= V1
        assert r["labels"] == [f["label"] for f in r["factors"]]
        for f in r["factors"]:
            assert f["evidence"]
            for ev in f["evidence"]:
                assert text[ev["start"] : ev["end"]] == ev["text"]
        for x in r["ruled_out"]:
            assert text[x["start"] : x["end"]] == x["text"] and x["label"] in V1
        for rw in r["rewrites"]:
            assert text[rw["start"] : rw["end"]] == rw["original"]
        assert r["framing"] in ("individual", "system", "mixed", "neutral")


def test_blame_framed_narratives_have_reference_rewrites(records):
    for r in records:
        if r["framing"] in ("individual", "mixed"):
            assert r["rewrites"], r["id"]


def test_split_file_is_frozen_against_the_corpus(records):
    split_doc = json.loads((CORPUS / "splits.json").read_text())
    assert set(split_doc["assignments"]) == {r["id"] for r in records}


def test_unknown_corpus_and_split():
    with pytest.raises(InputError, match="unknown corpus"):
        read_records("nope")
    with pytest.raises(InputError, match="unknown split"):
        read_records("healthcare", "validation")
