"""Training: `Batches` (full batch, stochastic or mini-batch, reshuffled each epoch) and `fit`.

The lecture notes (part 2) distinguish three regimes of gradient descent by how many samples each
update averages over: all n (full batch), one (stochastic) or m (mini-batch). One epoch is one
pass over the data, so it takes ⌈n/m⌉ updates — 2,560,000 samples in batches of 256 give 10,000.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from autograd import StaticGraph, Value, no_grad, trace
from autograd.views.words import check_lang

from . import losses
from ._arguments import check_int, check_real
from .live import Live, check_live
from .live_page import save_html
from .module import Module, Seed, make_rng
from .optim import SGD, Optimizer

__all__ = ["Batches", "History", "LOSSES", "fit"]

#: The losses `fit` knows by name, each loss(outputs, targets) → the mean over the batch.
LOSSES: dict[str, Callable[[Any, Any], Value]] = {
    "mse": losses.mse,
    "bce": losses.bce,
    "bce_with_logits": losses.bce_with_logits,
    "cross_entropy": losses.cross_entropy,
    "hinge": losses.hinge,
}
_CLASSIFICATION = {"bce": 0.5, "bce_with_logits": 0.0, "cross_entropy": 0.0, "hinge": 0.0}  # name → threshold


class Batches:
    """The batches of one or more epochs, as arrays of sample indices.

    `len(batches)` is the number of updates per epoch, ⌈n / batch_size⌉; iterating yields one
    epoch's batches, reshuffled (from the seed) every time unless shuffle=False. A full batch keeps
    its order: reshuffling one batch would change only the order of a sum, and would make
    `fit(static=True)` trace a new graph every epoch. No sample data
    is touched, so `len(Batches(2_560_000, 256))` is 10,000 at once.

    Args:
        n: Number of samples (≥ 1).
        batch_size: Samples per update: None or n for full batch, 1 for stochastic, 1 < m < n
            for mini-batch. The last batch of an epoch may be smaller.
        shuffle: Reshuffle the order every epoch (default True; a full batch is never reshuffled).
        seed: An int or numpy Generator for the shuffles.
    """

    def __init__(
        self, n: int, batch_size: int | None = None, *, shuffle: bool = True, seed: Seed = 0
    ) -> None:
        self.n = check_int("the number of samples", n)
        if batch_size is None:
            batch_size = self.n
        self.batch_size = check_int(
            "batch_size", batch_size, 1, f"None (full batch) or an int from 1 to {self.n}"
        )
        if self.batch_size > self.n:
            raise ValueError(
                f"batch_size must be None (full batch) or an int from 1 to {self.n} (the number of samples), "
                f"got {batch_size}"
            )
        self.shuffle = bool(shuffle)
        self._rng = make_rng(seed)

    @property
    def regime(self) -> str:
        """ "full batch", "stochastic" or "mini-batch"."""
        if self.batch_size == self.n:
            return "full batch"
        return "stochastic" if self.batch_size == 1 else "mini-batch"

    def __len__(self) -> int:
        return math.ceil(self.n / self.batch_size)

    def __iter__(self) -> Iterator[NDArray[np.int64]]:
        whole = self.batch_size == self.n
        order = self._rng.permutation(self.n) if self.shuffle and not whole else np.arange(self.n)
        for start in range(0, self.n, self.batch_size):
            yield order[start : start + self.batch_size]

    def __repr__(self) -> str:
        return (
            f"Batches(n={self.n}, batch_size={self.batch_size}: {self.regime}, {len(self)} updates per epoch)"
        )


@dataclass
class History:
    """What `fit` measured, one entry per epoch.

    Attributes:
        loss: The training objective (loss + penalty), averaged over the epoch's batches
            (weighted by batch size), measured before each update.
        accuracy: Training accuracy over the epoch, from the same outputs (classification only).
        val_loss: The loss on the validation set after each epoch (empty without validation).
        val_accuracy: Validation accuracy after each epoch (classification with validation only).
        best_epoch: The epoch (0-based) with the lowest validation loss, or None.
        stopped_early: True if early stopping ended training before `epochs`.
        restored: True if the weights of `best_epoch` were put back at the end.
        live: The epochs fit(live=True) recorded (see nn/live.py), else None.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False
    restored: bool = False
    live: Live | None = field(default=None, repr=False, compare=False)

    def save_html(
        self, path: str | os.PathLike[str], title: str | None = None, lang: str | None = None
    ) -> Path:
        """Write the epochs fit(live=True) recorded as one offline page; ← and → step through them."""
        return save_html(self, path, title, lang)

    @property
    def epochs(self) -> int:
        """How many epochs were run."""
        return len(self.loss)


Array = NDArray[Any] | Sequence[Any]


def _as_inputs(name: str, x: Array, nin: int | None) -> list[list[float]]:
    """Check inputs of shape (n, nin) and return them as lists of floats."""
    xa = np.asarray(x, dtype=np.float64)
    if xa.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array of shape (samples, features), got shape {xa.shape}")
    if len(xa) == 0:
        raise ValueError(f"{name} has no samples")
    if nin is not None and xa.shape[1] != nin:
        raise ValueError(f"{name} has {xa.shape[1]} features per sample, but the model takes {nin}")
    if not np.all(np.isfinite(xa)):
        raise ValueError(f"{name} contains NaN or infinite values")
    rows: list[list[float]] = xa.tolist()
    return rows


def _as_targets(name: str, y: Array, n: int, xname: str) -> list[Any]:
    ya = np.asarray(y)
    if ya.ndim == 0 or len(ya) != n:
        got = "a single value" if ya.ndim == 0 else f"{len(ya)}"
        raise ValueError(f"{xname} has {n} samples but {name} has {got}; they must match")
    if np.issubdtype(ya.dtype, np.floating) and not np.all(np.isfinite(ya)):
        raise ValueError(f"{name} contains NaN or infinite values")
    targets: list[Any] = ya.tolist()
    return targets


def fit(
    model: Module,
    x: Array,
    y: Array,
    *,
    loss: str | Callable[[Any, Any], Value] = "mse",
    optimizer: Optimizer | None = None,
    epochs: int = 100,
    batch_size: int | None = None,
    shuffle: bool = True,
    seed: Seed = 0,
    l2: float = 0.0,
    validation: tuple[Array, Array] | None = None,
    patience: int | None = None,
    restore_best: bool = True,
    accuracy: bool | None = None,
    progress: bool = True,
    callback: Callable[[int, History], None] | None = None,
    static: bool = False,
    live: bool = False,
    lang: str = "en",
) -> History:
    """Train a model by gradient descent, epoch by epoch, and return what was measured.

    Each update: outputs for the batch, L = loss(outputs, targets) + l2·Σw², zero the
    gradients, L.backward(), optimizer.step().

    Args:
        model: The model, e.g. an `nn.MLP`.
        x: Inputs, shape (n, model.nin).
        y: Targets, n of them: numbers, class labels (ints) or vectors, as the loss expects.
        loss: "mse", "bce", "bce_with_logits", "cross_entropy", "hinge", or a function
            loss(outputs, targets) → Value over a batch (lists of outputs and targets).
        optimizer: Default: SGD(model.parameters(), lr=0.1).
        epochs: Passes over the data (≥ 1).
        batch_size: None for full batch, 1 for stochastic, m for mini-batches of m.
        shuffle: Reshuffle the samples every epoch.
        seed: An int or numpy Generator for the shuffles.
        l2: λ ≥ 0, the coefficient of the L2 penalty λ·Σw² added to the training loss.
        validation: (x_val, y_val), evaluated after every epoch.
        patience: Early stopping: stop after this many epochs (≥ 1) without a lower validation
            loss. Needs `validation`.
        restore_best: With early stopping, put back the weights of the best epoch at the end.
        accuracy: Measure accuracy; None (default) means yes for the classification losses
            (threshold 0.5 for "bce", else 0 or argmax) and no otherwise.
        progress: Show a progress bar (tqdm, notebook-aware) when tqdm is installed.
        callback: Called as callback(epoch, history) after every epoch.
        static: Train through `autograd.trace`: each batch's graph is traced once and replayed
            as a compiled program, with the same numbers (and history) as the dynamic path.
            It pays off when the same batches come back in the same order (a full batch, or
            shuffle=False) and the loss does not branch on values (mse, hinge, cross_entropy);
            otherwise it re-traces (a reshuffled batch sums in another order, so it is another
            graph) and warns: pass shuffle=False, or train without static.
        live: Show the network one box per neuron, its weights, the loss curve and (2-D data)
            the decision boundary after every epoch (Jupyter with ipywidgets; else a line of
            text per epoch, and no progress bar), and record them for `history.save_html`.
        lang: The live view's language, "en" or "zh" (损失, 权重, 梯度: the notes' terms).

    Returns:
        A History of per-epoch losses and accuracies.

    Raises:
        ValueError / TypeError: for a bad argument, before any weight changes; ValueError also
            for an optimizer that holds none of the model's parameters (it would train nothing).
        FloatingPointError: if the loss becomes NaN or infinite (training diverged); the weights
            are those that produced it.
    """
    if not isinstance(model, Module):
        raise TypeError(f"model must be an nn.Module (such as nn.MLP), got {type(model).__name__}")
    nin = getattr(model, "nin", None)
    xs = _as_inputs("x", x, nin)
    ys = _as_targets("y", y, len(xs), "x")
    epochs = check_int("epochs", epochs)
    batches = Batches(len(xs), batch_size, shuffle=shuffle, seed=seed)
    if isinstance(loss, str):
        if loss not in LOSSES:
            raise ValueError(
                f"loss must be one of {', '.join(map(repr, LOSSES))} or a function, got {loss!r}"
            )
        loss_fn = LOSSES[loss]
        threshold = _CLASSIFICATION.get(loss)
    elif callable(loss):
        loss_fn, threshold = loss, None
    else:
        raise TypeError(f"loss must be a loss name or a function, got {type(loss).__name__}")
    if accuracy is None:
        accuracy = threshold is not None
    threshold = threshold or 0.0
    l2 = check_real("l2", l2, 0.0)
    if validation is not None:
        if not isinstance(validation, (tuple, list)) or len(validation) != 2:
            raise ValueError("validation must be a pair (x_val, y_val)")
        xv = _as_inputs("x_val", validation[0], nin)
        yv = _as_targets("y_val", validation[1], len(xv), "x_val")
    if patience is not None:
        patience = check_int("patience", patience, 1, "None or an int ≥ 1")
        if validation is None:
            raise ValueError(
                "early stopping (patience) needs a validation set: pass validation=(x_val, y_val)"
            )
    if optimizer is None:
        optimizer = SGD(model.parameters(), lr=0.1)
    elif not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"optimizer must be an nn.SGD, nn.Adam or other nn.Optimizer, got {type(optimizer).__name__}"
        )
    params = model.parameters()
    # backward() adds into these leaves' .grad: the model's, and any the optimiser holds besides
    in_model = {id(p) for p in params}
    if params and not any(id(p) in in_model for p in optimizer.params):
        raise ValueError(
            f"the optimizer holds none of the model's {len(params)} parameters: it would train nothing; "
            f"make it from this model, e.g. nn.SGD(model.parameters(), lr=0.1)"
        )
    leaves = params + [p for p in optimizer.params if id(p) not in in_model]

    lang, cut = check_lang(lang), threshold if accuracy else None
    view = Live(model, xs, ys, loss_fn, cut, epochs, lang) if check_live(live) else None
    bar: Any = None
    if progress and view is None:
        try:
            from tqdm.auto import tqdm
        except ImportError:
            tqdm = None
        if tqdm is not None:
            bar = tqdm(total=epochs, desc=f"fit ({batches.regime})", unit="epoch")

    def fit_batch_loss(batch: list[list[Value]], targets: list[Any]) -> tuple[Value, list[Value]]:
        """The training objective of one batch, and the outputs (for the accuracy)."""
        outputs = [model(row) for row in batch]
        objective = loss_fn(outputs, targets)
        if l2:
            objective = objective + l2 * losses.l2(params)
        return objective, outputs

    graph: list[StaticGraph] = []  # fit(static=True): the trace, made at the first batch
    history = History()
    best_loss = math.inf
    best_state: dict[str, float] | None = None
    wait = 0
    try:
        for epoch in range(epochs):
            total, hits = 0.0, 0
            for idx in batches:
                targets = [ys[i] for i in idx]
                try:
                    if static:  # zero the gradients, then one replay: forward and backward
                        for p in leaves:
                            p.grad = 0.0
                        value, outputs = _replay(graph, fit_batch_loss, [xs[i] for i in idx], targets)
                    else:
                        outputs = [model(xs[i]) for i in idx]
                        objective = loss_fn(outputs, targets)
                        if l2:
                            objective = objective + l2 * losses.l2(params)
                        value = objective.data
                except OverflowError as exc:
                    raise FloatingPointError(
                        f"training diverged in epoch {epoch}: a number overflowed ({exc}); "
                        "try a smaller learning rate"
                    ) from exc
                if not math.isfinite(value):
                    raise FloatingPointError(
                        f"training diverged in epoch {epoch}: the loss is {value!r}; "
                        "try a smaller learning rate"
                    )
                if not static:
                    for p in leaves:
                        p.grad = 0.0
                    objective.backward()
                optimizer.step()
                total += value * len(idx)
                if accuracy:
                    hits += losses.count_correct(outputs, targets, threshold)
            history.loss.append(total / len(xs))
            if accuracy:
                history.accuracy.append(hits / len(xs))
            if validation is not None:
                with no_grad():  # scoring only: nothing to differentiate, so nothing is recorded
                    val_out = [model(row) for row in xv]
                    val_loss = loss_fn(val_out, yv).data
                history.val_loss.append(val_loss)
                if accuracy:
                    history.val_accuracy.append(losses.accuracy(val_out, yv, threshold))
                if val_loss < best_loss:
                    best_loss, history.best_epoch, wait = val_loss, epoch, 0
                    best_state = model.state_dict() if patience is not None else None
                else:
                    wait += 1
            if bar is not None:
                bar.set_postfix(_summary(history), refresh=False)
                bar.update(1)
            if view is not None:
                view.epoch(epoch, history)
            if callback is not None:
                callback(epoch, history)
            if patience is not None and wait >= patience:
                history.stopped_early = True
                break
    finally:
        if bar is not None:
            bar.close()
    if view is not None:
        view.close(history)
    if patience is not None and restore_best and best_state is not None and history.best_epoch != epoch:
        model.load_state_dict(best_state)
        history.restored = True
    return history


def _replay(
    graph: list[StaticGraph],
    fn: Callable[..., tuple[Value, list[Value]]],
    batch: list[list[float]],
    targets: list[Any],
) -> tuple[float, list[Any]]:
    """fit(static=True): one batch through the trace (made on first use; the targets are static)."""
    if not graph:
        graph.append(trace(fn, batch, targets, has_aux=True, static_argnums=(1,)))
    value, outputs = graph[0](batch, targets)
    return float(value), list(outputs)


def _summary(history: History) -> dict[str, str]:
    """The latest numbers of a history, formatted for a progress bar."""
    out = {"loss": f"{history.loss[-1]:.4g}"}
    if history.accuracy:
        out["acc"] = f"{history.accuracy[-1]:.0%}"
    if history.val_loss:
        out["val_loss"] = f"{history.val_loss[-1]:.4g}"
    if history.val_accuracy:
        out["val_acc"] = f"{history.val_accuracy[-1]:.0%}"
    return out
