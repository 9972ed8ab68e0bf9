"""PipelineRef: what a coordinating process holds instead of a loaded pipeline."""

from __future__ import annotations

import pickle

import pytest

import syscause
from syscause.api import Pipeline, PipelineRef
from syscause.batch import analyse_items
from syscause.errors import ModelError


def test_reference_carries_labels_and_name_and_unpickles_as_the_loaded_pipeline(pipeline):
    ref = PipelineRef("default", use_parser=pipeline.use_parser)
    assert ref.labels == pipeline.labels
    assert ref.name == pipeline.name
    loaded = pickle.loads(pickle.dumps(ref))
    assert isinstance(loaded, Pipeline)
    assert loaded is syscause.load("default", use_parser=pipeline.use_parser)


def test_analyse_items_accepts_a_reference_and_gives_the_pipelines_records(pipeline):
    items = [("a", "Two call-outs were not replaced and the nurse had eight patients.")]
    ref = PipelineRef("default", use_parser=pipeline.use_parser)
    assert analyse_items(ref, items) == analyse_items(pipeline, items)


def test_a_bad_model_fails_in_the_parent(tmp_path):
    with pytest.raises(ModelError):
        PipelineRef(str(tmp_path))
