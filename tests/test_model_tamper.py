"""Model loading fails closed: tampered, unlisted-hash or escaping model files are refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import syscause
from syscause.errors import ModelError
from syscause.modelstore import open_model_dir, sha256_file

from .conftest import ROOT

DEFAULT = ROOT / "models" / "default"


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    """A copy of the default model with one listed weight file (the default lists none)."""
    model = tmp_path / "model"
    shutil.copytree(DEFAULT, model)
    weights = model / "weights.npz"
    np.savez(weights, w=np.arange(16, dtype=np.float32))
    meta = json.loads((model / "meta.json").read_text(encoding="utf-8"))
    meta["files"] = {"weights": {"path": "weights.npz", "sha256": sha256_file(weights)}}
    (model / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return model


def _edit_meta(model: Path, **files_entry: object) -> None:
    meta = json.loads((model / "meta.json").read_text(encoding="utf-8"))
    meta["files"]["weights"] = files_entry
    (model / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def test_untampered_copy_verifies(model_copy: Path) -> None:
    model = open_model_dir(str(model_copy))
    assert model.file("weights").read_bytes() == (model_copy / "weights.npz").read_bytes()


def test_one_flipped_byte_fails_closed(model_copy: Path) -> None:
    weights = model_copy / "weights.npz"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0x01
    weights.write_bytes(bytes(data))
    with pytest.raises(ModelError, match=r"fails its integrity check .*refusing to load it"):
        syscause.load(str(model_copy), use_parser=False)


def test_missing_listed_file_fails(model_copy: Path) -> None:
    (model_copy / "weights.npz").unlink()
    with pytest.raises(ModelError, match=r"model file 'weights' .* is missing"):
        syscause.load(str(model_copy), use_parser=False)


@pytest.mark.parametrize(
    "entry",
    [
        {"path": "weights.npz"},  # no hash
        {"path": "weights.npz", "sha256": None},
        {"path": "weights.npz", "sha256": "md5:0123456789abcdef"},  # not a sha256
        {"path": "weights.npz", "sha256": "F" * 64},  # upper case is not what we write
    ],
    ids=["absent", "null", "other-algorithm", "upper-case"],
)
def test_absent_or_unknown_hash_fails(model_copy: Path, entry: dict[str, object]) -> None:
    _edit_meta(model_copy, **entry)
    with pytest.raises(ModelError, match=r"has no valid sha256 .*refusing to load"):
        syscause.load(str(model_copy), use_parser=False)


def test_wrong_but_wellformed_hash_fails(model_copy: Path) -> None:
    _edit_meta(model_copy, path="weights.npz", sha256="0" * 64)
    with pytest.raises(ModelError, match="fails its integrity check"):
        syscause.load(str(model_copy), use_parser=False)


def test_path_outside_model_dir_fails(model_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.npz"
    shutil.copy(model_copy / "weights.npz", outside)
    _edit_meta(model_copy, path="../outside.npz", sha256=sha256_file(outside))
    with pytest.raises(ModelError, match="points outside the model directory"):
        syscause.load(str(model_copy), use_parser=False)


@pytest.mark.parametrize(
    "content",
    ["{not json", "[]", json.dumps({"name": "x"})],
    ids=["invalid-json", "not-an-object", "missing-keys"],
)
def test_bad_meta_json_fails(model_copy: Path, content: str) -> None:
    (model_copy / "meta.json").write_text(content, encoding="utf-8")
    with pytest.raises(ModelError, match=r"meta\.json"):
        syscause.load(str(model_copy), use_parser=False)


def test_files_not_a_mapping_fails(model_copy: Path) -> None:
    meta = json.loads((model_copy / "meta.json").read_text(encoding="utf-8"))
    meta["files"] = ["weights.npz"]
    (model_copy / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match="'files' must map names"):
        syscause.load(str(model_copy), use_parser=False)


def test_not_a_model_dir_fails(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="is not a model directory"):
        syscause.load(str(tmp_path), use_parser=False)


def test_pickled_weights_are_refused(tmp_path: Path) -> None:
    """The learned-model loader reads arrays with allow_pickle=False: object arrays fail."""
    from syscause.learned.model import LinearFactorModel

    path = tmp_path / "weights.npz"
    np.savez(path, idf=np.array([{"payload": 1}], dtype=object))
    with pytest.raises(ModelError, match="unreadable model weights"):
        LinearFactorModel.load(path, ["a"], {"n_features": 1})
