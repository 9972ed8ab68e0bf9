"""Finding, verifying and reading model directories.

A model directory holds ``meta.json`` (name, version, kind, taxonomy, labels, fitted
parameters, thresholds, metrics) and, for learned models, weight files listed under
``files`` with their sha256; every listed file is verified before anything is loaded.
``default`` resolves to the model bundled in the installed package (or to ``models/default``
in a source checkout).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from syscause.errors import ModelError

BUNDLED = ("default",)


def resolve_model_dir(name_or_path: str) -> Path:
    """Return the directory of a bundled model name or a model path."""
    if name_or_path in BUNDLED:
        packaged = Path(str(resources.files("syscause"))) / "_bundled_models" / name_or_path
        if (packaged / "meta.json").is_file():
            return packaged
        checkout = Path(__file__).resolve().parents[2] / "models" / name_or_path
        if (checkout / "meta.json").is_file():
            return checkout
        raise ModelError(
            f"bundled model {name_or_path!r} is missing from this installation; reinstall syscause"
        )
    path = Path(name_or_path)
    if not (path / "meta.json").is_file():
        raise ModelError(
            f"{name_or_path!r} is not a model directory (no meta.json); pass 'default' or the "
            "directory written by 'syscause train'"
        )
    return path


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class ModelDir:
    """A verified model directory and its metadata."""

    path: Path
    meta: dict[str, Any]

    @property
    def ref(self) -> str:
        """The model's name and version as written in every output record."""
        return f"{self.meta['name']}-{self.meta['version']}"

    def file(self, key: str) -> Path:
        """Path of a weight file listed in meta.json (already verified)."""
        return self.path / self.meta["files"][key]["path"]


_REQUIRED = ("name", "version", "kind", "taxonomy", "labels")


def open_model_dir(name_or_path: str) -> ModelDir:
    """Resolve, read and verify a model directory; fail closed on any mismatch."""
    path = resolve_model_dir(name_or_path)
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path / 'meta.json'}: unreadable model metadata ({exc})") from None
    if not isinstance(meta, dict):
        raise ModelError(f"{path / 'meta.json'}: model metadata must be a JSON object")
    missing = [k for k in _REQUIRED if k not in meta]
    if missing:
        raise ModelError(f"{path / 'meta.json'}: missing keys {missing}")
    files = meta.get("files", {})
    if not isinstance(files, dict):
        raise ModelError(f"{path / 'meta.json'}: 'files' must map names to path and sha256")
    for key, entry in files.items():
        fpath = listed_file(path, key, entry)
        if not fpath.is_file():
            raise ModelError(f"model file {key!r} ({fpath}) is missing; reinstall or retrain")
        actual = sha256_file(fpath)
        if actual != entry["sha256"]:
            raise ModelError(
                f"model file {fpath} fails its integrity check (sha256 {actual[:12]}... does "
                f"not match meta.json); refusing to load it"
            )
    return ModelDir(path, meta)


_SHA256_HEX = frozenset("0123456789abcdef")


def listed_file(model_dir: Path, key: str, entry: object) -> Path:
    """The path of a listed weight file; fail closed on a malformed entry.

    Every listed file needs a 64-hex-digit sha256 and a path that stays inside the model
    directory, so a meta.json cannot point the loader at files it does not vouch for.
    """
    meta_path = model_dir / "meta.json"
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
        raise ModelError(f"{meta_path}: file {key!r} has no 'path'; refusing to load the model")
    digest = entry.get("sha256")
    if not (isinstance(digest, str) and len(digest) == 64 and set(digest) <= _SHA256_HEX):
        raise ModelError(
            f"{meta_path}: file {key!r} has no valid sha256 (64 lowercase hex digits); "
            "refusing to load an unverified model file"
        )
    fpath = (model_dir / entry["path"]).resolve()
    if not fpath.is_relative_to(model_dir.resolve()):
        raise ModelError(
            f"{meta_path}: file {key!r} points outside the model directory; refusing to load it"
        )
    return fpath
