"""Fine-tuning MiniLM's top layers with a multi-label head, on cached lower-layer states.

On two shared CPU cores a full end-to-end pass is too slow (one 16 x 256 training step took
~26 s under load), so the lower layers stay frozen: their output for each document's first
256-token window is computed once (layers 0-3 in embed_cache, any further frozen layer by
``advance_states``) and only the top layer(s), the mean pooling and a linear head are
trained (BCE, AdamW, linear warm-up and decay). The head starts with zero weights and a bias
at each label's log-odds, so early steps do not swamp the pretrained layers.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class FinetuneConfig:
    """Training settings for one dataset."""

    epochs: int
    lr: float = 5e-5
    head_lr: float = 1e-2
    batch_size: int = 16
    weight_decay: float = 0.01
    warmup: float = 0.1
    seed: int = 0


def _build(encoder_model: Any, first_layer: int, n_labels: int, prevalence: np.ndarray) -> Any:
    import torch
    from transformers.masking_utils import create_bidirectional_mask

    config = encoder_model.config

    class TopLayersClassifier(torch.nn.Module):
        """MiniLM layers ``first_layer``.. + mean pooling + dropout + linear head."""

        def __init__(self) -> None:
            super().__init__()
            self.layers = torch.nn.ModuleList(
                copy.deepcopy(layer) for layer in encoder_model.encoder.layer[first_layer:]
            )
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(config.hidden_size, n_labels)
            torch.nn.init.zeros_(self.head.weight)
            p = np.clip(prevalence, 1e-3, 1 - 1e-3)
            with torch.no_grad():
                self.head.bias.copy_(torch.tensor(np.log(p / (1 - p)), dtype=torch.float32))

        def forward(self, states: Any, mask: Any) -> Any:
            ext = create_bidirectional_mask(
                config=config, inputs_embeds=states, attention_mask=mask
            )
            h = states
            for layer in self.layers:
                out = layer(h, attention_mask=ext)
                h = out[0] if isinstance(out, tuple) else out
            m = mask.unsqueeze(-1).to(h.dtype)
            pooled = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
            return self.head(self.dropout(pooled))

    return TopLayersClassifier()


def _batches(lengths: np.ndarray, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffled batches of similar length (sort within shuffled pools of 8 batches)."""
    order = rng.permutation(len(lengths))
    pools = [order[i : i + batch_size * 8] for i in range(0, len(order), batch_size * 8)]
    batches: list[np.ndarray] = []
    for pool in pools:
        pool = pool[np.argsort(lengths[pool], kind="stable")]
        batches.extend(pool[i : i + batch_size] for i in range(0, len(pool), batch_size))
    rng.shuffle(batches)
    return batches


def _tensors(states: np.ndarray, lengths: np.ndarray, idx: np.ndarray) -> tuple[Any, Any]:
    """Float32 states trimmed to the batch's longest document, and the attention mask."""
    import torch

    width = int(lengths[idx].max())
    x = torch.from_numpy(np.asarray(states[idx, :width], dtype=np.float32))
    mask = torch.from_numpy((np.arange(width)[None, :] < lengths[idx][:, None]).astype(np.int64))
    return x, mask


def advance_states(
    encoder_model: Any, states: np.ndarray, lengths: np.ndarray, start: int, stop: int
) -> np.ndarray:
    """Run frozen layers ``start``..``stop - 1`` once over cached states (float16 out)."""
    import torch
    from transformers.masking_utils import create_bidirectional_mask

    out = np.zeros(states.shape, dtype=np.float16)
    if start == stop:
        out[:] = states
        return out
    order = np.argsort(lengths, kind="stable")
    with torch.inference_mode():
        for i in range(0, len(order), 32):
            idx = order[i : i + 32]
            h, mask = _tensors(states, lengths, idx)
            ext = create_bidirectional_mask(
                config=encoder_model.config, inputs_embeds=h, attention_mask=mask
            )
            for layer in encoder_model.encoder.layer[start:stop]:
                res = layer(h, attention_mask=ext)
                h = res[0] if isinstance(res, tuple) else res
            out[idx, : h.shape[1]] = h.numpy().astype(np.float16)
    return out


class Finetuned:
    """A trained top-layers classifier that predicts from cached lower-layer states."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def predict(self, states: np.ndarray, lengths: np.ndarray, batch_size: int = 32) -> np.ndarray:
        """Probabilities (n x L) for documents given their cached states."""
        import torch

        self.model.eval()
        order = np.argsort(lengths, kind="stable")
        out = np.zeros((len(lengths), self.model.head.out_features), dtype=np.float32)
        with torch.inference_mode():
            for i in range(0, len(order), batch_size):
                idx = order[i : i + batch_size]
                x, mask = _tensors(states, lengths, idx)
                out[idx] = torch.sigmoid(self.model(x, mask)).numpy()
        return out


def train(
    encoder_model: Any,
    first_layer: int,
    states: np.ndarray,
    lengths: np.ndarray,
    y: np.ndarray,
    config: FinetuneConfig,
    log: Any = print,
) -> Finetuned:
    """Fine-tune layers ``first_layer``.. and a head on (states, y); returns the model."""
    import torch

    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    model = _build(encoder_model, first_layer, y.shape[1], y.mean(axis=0))
    body = [p for n, p in model.named_parameters() if not n.startswith("head.")]
    opt = torch.optim.AdamW(
        [
            {"params": body, "lr": config.lr},
            {"params": list(model.head.parameters()), "lr": config.head_lr},
        ],
        weight_decay=config.weight_decay,
    )
    steps_per_epoch = -(-len(y) // config.batch_size)
    total = steps_per_epoch * config.epochs
    warm = max(1, int(config.warmup * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    loss_fn = torch.nn.BCEWithLogitsLoss()
    yt = torch.from_numpy(y.astype(np.float32))
    step = 0
    t0 = time.perf_counter()
    for epoch in range(config.epochs):
        model.train()
        running = 0.0
        for idx in _batches(lengths, config.batch_size, rng):
            x, mask = _tensors(states, lengths, idx)
            loss = loss_fn(model(x, mask), yt[torch.from_numpy(idx)])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            running += float(loss.detach())
            step += 1
            if step % 20 == 0:
                rate = step / (time.perf_counter() - t0)
                log(
                    f"  step {step}/{total} epoch {epoch + 1} loss {running / 20:.4f} "
                    f"({rate * 60:.1f} steps/min)"
                )
                running = 0.0
    return Finetuned(model)
