"""Write a trained model directory: ``meta.json``, ``weights.npz`` and the taxonomy it uses."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from syscause.learned.framing import FramingModel
from syscause.learned.model import LinearFactorModel
from syscause.modelstore import open_model_dir, sha256_file
from syscause.schemas import FRAMINGS
from syscause.taxonomy import SHIPPED, Taxonomy

TAXONOMY_FILE = "taxonomy.json"


def write_model_dir(
    out: Path,
    model: LinearFactorModel,
    *,
    framing: FramingModel | None = None,
    taxonomy_ref: str,
    taxonomy: Taxonomy,
    name: str,
    version: str,
    extra: dict[str, Any] | None = None,
) -> Path:
    """Save ``model`` into ``out`` (created if needed); returns the meta.json path.

    A shipped taxonomy is referenced by name; a taxonomy file is copied into the directory
    and hashed with the weights, so the model travels with the labels it was trained on.
    """
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, dict[str, str]] = {}
    weights = model.save(out)
    files["weights"] = {"path": weights.name, "sha256": sha256_file(weights)}
    if framing is not None:
        fpath = framing.save(out)
        files["framing"] = {"path": fpath.name, "sha256": sha256_file(fpath)}
    if taxonomy_ref in SHIPPED:
        tax_meta = taxonomy_ref
    else:
        shutil.copyfile(taxonomy_ref, out / TAXONOMY_FILE)
        files["taxonomy"] = {"path": TAXONOMY_FILE, "sha256": sha256_file(out / TAXONOMY_FILE)}
        tax_meta = TAXONOMY_FILE
    # The cue-count blame scorer stays as the fallback (and for data without framing labels).
    default_meta = open_model_dir("default").meta
    meta: dict[str, Any] = {
        "name": name,
        "version": version,
        "kind": "linear",
        "taxonomy": tax_meta,
        "taxonomy_version": taxonomy.version,
        "labels": list(model.labels),
        "linear_model": model.config(),
        "blame_model": default_meta["blame_model"],
        "framing_model": {"type": "learned", "classes": list(FRAMINGS)} if framing else None,
        "review_margin": 0.1,
        "files": files,
    }
    meta.update(extra or {})
    path = out / "meta.json"
    path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return path
