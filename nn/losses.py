"""Losses, penalties and accuracy, built from Values so that they appear in the computation graph.

Conventions: a loss takes a model's output(s) and the target(s). Given one sample it returns
that sample's loss; given a list of samples it returns the mean over the list, so
`loss.backward()` yields the batch-averaged gradient of the lecture notes, part 2.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from autograd import Value

from ._arguments import check_real, is_int, is_real

__all__ = [
    "accuracy",
    "bce",
    "count_correct",
    "bce_with_logits",
    "cross_entropy",
    "hinge",
    "l1",
    "l2",
    "log_softmax",
    "mse",
    "softmax",
]

Scalar = Value | float
#: Targets for `accuracy`: a list (of labels or one-hot vectors) or a numpy array.
Targets = Sequence[object] | NDArray[Any]


def _is_number(x: object) -> bool:
    return isinstance(x, Value) or is_real(x)


def _data(x: Scalar) -> float:
    return x.data if isinstance(x, Value) else float(x)


def _total(terms: list[Value]) -> Value:
    """Σ terms of a non-empty list, starting from the first term (plain sum() would add a 0 node)."""
    return sum(terms[1:], terms[0])


def _mean(terms: list[Value]) -> Value:
    """The mean of a non-empty list of Values: (1/n)·Σ terms (a single term is returned as it is)."""
    if len(terms) == 1:
        return terms[0]
    return _total(terms) * (1.0 / len(terms))


def _plain(x: object) -> object:
    """A numpy array of targets as (nested) Python lists; anything else as it is."""
    return x.tolist() if isinstance(x, np.ndarray) else x


def _how_many(targets: object) -> str:
    """What a loss was given as targets, for a size-mismatch message: "3 targets" or "a single target 1"."""
    if isinstance(targets, Sequence) and not isinstance(targets, str):
        return f"{len(targets)} targets"
    return f"a single target {targets!r}"


def _pairs(name: str, output: object, target: object) -> list[tuple[Scalar, Scalar]]:
    """Pair scalar outputs with scalar targets: one sample, or two equal-length (nested) lists."""
    target = _plain(target)
    if _is_number(output):
        if not _is_number(target):
            raise TypeError(
                f"{name}: the output is one number, so the target must be one number, got {target!r}"
            )
        return [(output, target)]  # type: ignore[list-item]
    if not isinstance(output, Sequence) or isinstance(output, str):
        raise TypeError(
            f"{name}: the output must be a Value or a list of Values, got {type(output).__name__}"
        )
    if isinstance(target, str) or not isinstance(target, Sequence) or len(target) != len(output):
        raise ValueError(f"{name}: {len(output)} outputs need {len(output)} targets, got {_how_many(target)}")
    if len(output) == 0:
        raise ValueError(f"{name}: the list of outputs is empty")
    pairs: list[tuple[Scalar, Scalar]] = []
    for o, t in zip(output, target):
        pairs += _pairs(name, o, t)
    return pairs


def _mean_of_terms(
    name: str, what: str, output: object, target: object, term: Callable[[Value, Scalar], Value]
) -> Value:
    """The mean of term(o, t) over the (output, target) pairs, each output checked to be a Value."""
    terms: list[Value] = []
    for o, t in _pairs(name, output, target):
        if not isinstance(o, Value):
            raise TypeError(f"{name}: {what} must be a Value, got {o!r}")
        terms.append(term(o, t))
    return _mean(terms)


def mse(output: object, target: object) -> Value:
    """Mean squared error: (1/n)·Σᵢ (oᵢ − tᵢ)² over every output number of every sample.

    ∂/∂oᵢ = 2(oᵢ − tᵢ)/n.

    Args:
        output: A Value, a list of Values (a vector output or a batch) or a list of lists.
        target: Numbers (or Values) of the same shape.
    """
    return _mean_of_terms("mse", "an output", output, target, lambda o, t: (o - t) ** 2)


def _check_label01(name: str, t: Scalar) -> float:
    y = _data(t)
    if not 0.0 <= y <= 1.0:
        raise ValueError(f"{name}: a target must be a probability in [0, 1] (usually 0 or 1), got {y!r}")
    return y


def bce(probability: object, target: object) -> Value:
    """Binary cross-entropy from a probability p ∈ (0, 1): −[y ln p + (1 − y) ln(1 − p)].

    A term whose coefficient is 0 is left out, so p = 1 with y = 1 gives 0 rather than ln 0.
    ∂/∂p = (p − y) / (p(1 − p)). For a model without a final sigmoid use `bce_with_logits`.

    Args:
        probability: A Value in (0, 1), or a list of them (the mean is returned).
        target: The label y ∈ [0, 1] (usually 0 or 1), or a list of them.
    """

    def term(p: Value, t: Scalar) -> Value:
        y = _check_label01("bce", t)
        if not 0.0 < p.data < 1.0 and not (p.data == 1.0 and y == 1.0) and not (p.data == 0.0 and y == 0.0):
            raise ValueError(
                f"bce: a probability must lie in (0, 1), got {p.data!r}; use bce_with_logits on logits"
            )
        if y == 1.0:
            return -p.log()
        if y == 0.0:
            return -(1 - p).log()
        return -(y * p.log() + (1.0 - y) * (1 - p).log())

    return _mean_of_terms("bce", "the probability", probability, target, term)


def bce_with_logits(logit: object, target: object) -> Value:
    """Binary cross-entropy of σ(z), computed stably from the logit z.

    −[y ln σ(z) + (1 − y) ln(1 − σ(z))] = softplus(z) − y·z, with softplus(z) = ln(1 + eᶻ)
    written as z + ln(1 + e⁻ᶻ) for z ≥ 0 and ln(1 + eᶻ) for z < 0, so exp never overflows.
    ∂/∂z = σ(z) − y.

    Args:
        logit: A Value (any real number), or a list of them (the mean is returned).
        target: The label y ∈ [0, 1] (usually 0 or 1), or a list of them.
    """

    def term(z: Value, t: Scalar) -> Value:
        y = _check_label01("bce_with_logits", t)
        if z.data >= 0.0:  # ln(1 + e⁻ᶻ) + (1 − y)·z
            rest, c = ((-z).exp() + 1).log(), 1.0 - y
        else:  # ln(1 + eᶻ) − y·z
            rest, c = (z.exp() + 1).log(), -y
        return rest if c == 0.0 else rest + z * c

    return _mean_of_terms("bce_with_logits", "the logit", logit, target, term)


def _vector(name: str, logits: object) -> list[Value]:
    if isinstance(logits, str) or not isinstance(logits, Sequence) or len(logits) == 0:
        raise TypeError(f"{name}: needs a non-empty list of Values (the logits), got {logits!r}")
    if not all(isinstance(z, Value) for z in logits):
        raise TypeError(f"{name}: every logit must be a Value, got {logits!r}")
    return list(logits)


_SAFE_LOGIT = 300.0  # |z| up to this: e^z fits a float with room to spare (e^709 would not)


def _shifted(name: str, logits: object) -> list[Value]:
    """The logits exp is taken of: z itself while every |zⱼ| ≤ 300, else zᵢ − m with m = maxⱼ zⱼ.

    Up to 300, e^z and Σ e^z are far from overflow and underflow, so softmax is computed as the
    notes write it. Beyond, the largest logit m, a plain number, is subtracted first, so that exp
    never sees an argument above 0; softmax and log-softmax do not depend on m, so treating it as a
    constant loses no gradient. (The test compares each logit with a fixed bound, so a trace makes
    one graph for every row; m itself differs from row to row and would re-trace each one.)
    """
    z = _vector(name, logits)
    if all(-_SAFE_LOGIT <= v.data <= _SAFE_LOGIT for v in z):
        return list(z)
    m = max(v.data for v in z)
    return [v - m for v in z]


def _log_total(shifted: list[Value]) -> Value:
    """ln Σⱼ exp(sⱼ) of the (shifted) logits."""
    return _total([s.exp() for s in shifted]).log()


def log_softmax(logits: Sequence[Value]) -> list[Value]:
    """ln softmax(z)ᵢ = zᵢ − ln Σⱼ exp(zⱼ), stable for any logits (beyond |z| = 300, z − max z is used)."""
    shifted = _shifted("log_softmax", logits)
    minus_log_total = -_log_total(shifted)  # one neg node, shared by every entry
    return [s + minus_log_total for s in shifted]


def softmax(logits: Sequence[Value]) -> list[Value]:
    """softmax(z)ᵢ = exp(zᵢ) / Σⱼ exp(zⱼ), stable for any logits (beyond |z| = 300, z − max z is used).

    Example (the lecture notes, part 5, Softmax): logits (1.2, 0.9, 0.4) → (0.456590, 0.338250, 0.205159).
    """
    exps = [s.exp() for s in _shifted("softmax", logits)]
    inverse = 1 / _total(exps)
    return [e * inverse for e in exps]


def _one_sample_ce(logits: Sequence[Value], target: object) -> Value:
    shifted = _shifted("cross_entropy", logits)
    n = len(shifted)
    if is_int(target):
        k = int(target)
        if not 0 <= k < n:
            raise ValueError(f"cross_entropy: a class label must be an int in 0…{n - 1}, got {k}")
        # Only ln ŷₖ is needed: −ln ŷₖ = ln Σⱼ exp(sⱼ) − sₖ, with sⱼ = zⱼ − m.
        loss: Value = _log_total(shifted) - shifted[k]
        return loss
    if isinstance(target, str) or not isinstance(target, Sequence) or len(target) != n:
        raise ValueError(
            f"cross_entropy: the target must be a class label (int) or a vector of {n} "
            f"probabilities (one-hot), got {target!r}"
        )
    y = [_data(t) for t in target]
    if any(not (0.0 <= yi <= 1.0) for yi in y) or not math.isclose(sum(y), 1.0, abs_tol=1e-9):
        raise ValueError(
            f"cross_entropy: a one-hot target must be numbers in [0, 1] summing to 1, got {target!r}"
        )
    minus_log_total = -_log_total(shifted)
    # ln ŷⱼ = sⱼ − ln Σ exp(s), needed only where yⱼ ≠ 0
    return -_total([yi * (s + minus_log_total) for yi, s in zip(y, shifted) if yi != 0.0])


def _is_batch(logits: object) -> bool:
    return isinstance(logits, Sequence) and len(logits) > 0 and not isinstance(logits[0], Value)


def cross_entropy(logits: object, target: object) -> Value:
    """Categorical cross-entropy of softmax(z): L = −Σⱼ yⱼ ln softmax(z)ⱼ.

    With one-hot y the gradient is ∂L/∂zᵢ = ŷᵢ − yᵢ, ŷ = softmax(z) (the lecture notes, part 5).

    Args:
        logits: One sample's logits (a list of Values), or a list of such lists (the mean
            over samples is returned).
        target: A class label (int) or a one-hot / probability vector; a list of them for a batch.
    """
    target = _plain(target)
    if _is_batch(logits):
        samples: Sequence[Sequence[Value]] = logits  # type: ignore[assignment]
        if isinstance(target, str) or not isinstance(target, Sequence) or len(target) != len(samples):
            raise ValueError(
                f"cross_entropy: {len(samples)} samples need {len(samples)} targets, got {_how_many(target)}"
            )
        return _mean([_one_sample_ce(z, t) for z, t in zip(samples, target)])
    return _one_sample_ce(logits, target)  # type: ignore[arg-type]


def hinge(score: object, target: object, margin: float = 1.0) -> Value:
    """Hinge (max-margin) loss max(0, margin − y·s) for a label y ∈ {−1, +1} and a score s.

    ∂/∂s = −y where y·s < margin, else 0.

    Args:
        score: A Value, or a list of Values (the mean is returned).
        target: The label −1 or +1, or a list of them.
        margin: The margin (default 1, as in the SVM), a finite real number.
    """
    margin = check_real("hinge: margin", margin)

    def term(s: Value, t: Scalar) -> Value:
        y = _data(t)
        if y not in (-1.0, 1.0):
            raise ValueError(f"hinge: a label must be −1 or +1, got {y!r}")
        return (margin - s).relu() if y == 1.0 else (margin + s).relu()

    return _mean_of_terms("hinge", "the score", score, target, term)


def _params(name: str, params: Iterable[Value]) -> list[Value]:
    ps = list(params)
    if not ps:
        raise ValueError(f"{name}: needs at least one parameter")
    for p in ps:
        if not isinstance(p, Value):
            raise TypeError(f"{name}: parameters must be Values, got {type(p).__name__} {p!r}")
    return ps


def l2(params: Iterable[Value]) -> Value:
    """The L2 penalty Σᵢ wᵢ² (multiply by a coefficient λ yourself): ∂/∂wᵢ = 2wᵢ."""
    ps = _params("l2", params)
    return _total([p * p for p in ps])


def l1(params: Iterable[Value]) -> Value:
    """The L1 penalty Σᵢ |wᵢ| = Σᵢ (relu(wᵢ) + relu(−wᵢ)): ∂/∂wᵢ = sign(wᵢ), and 0 at wᵢ = 0."""
    ps = _params("l1", params)
    return _total([p.relu() + (-p).relu() for p in ps])


def _number(name: str, x: object) -> float:
    if isinstance(x, Value):
        return x.data
    if is_real(x):
        return float(x)
    raise TypeError(f"{name} must be a Value or a number, got {type(x).__name__} {x!r}")


def _predicted_class(output: object, threshold: float) -> int:
    if isinstance(output, Sequence) and not isinstance(output, str):
        scores = [_number("accuracy: an output", o) for o in output]
        return max(range(len(scores)), key=scores.__getitem__)
    return 1 if _number("accuracy: an output", output) > threshold else 0


def _true_class(target: object) -> int:
    if isinstance(target, Sequence) and not isinstance(target, str):
        ys = [_number("accuracy: a target", t) for t in target]
        return max(range(len(ys)), key=ys.__getitem__)
    y = _number("accuracy: a target", target)
    if y in (-1.0, 0.0):
        return 0
    if y == 1.0:
        return 1
    if float(y).is_integer() and y > 1:
        return int(y)
    raise ValueError(
        f"accuracy: a label must be −1/+1, 0/1, a class index or a one-hot vector, got {target!r}"
    )


def accuracy(outputs: Sequence[object], targets: Targets, threshold: float = 0.0) -> float:
    """The fraction of samples classified correctly, a float in [0, 1].

    A vector output predicts the class of its largest entry (argmax), compared with an int label
    or the argmax of a one-hot target. A single output predicts the positive class when it is
    above `threshold` (0 for scores and logits; pass 0.5 for probabilities), compared with a
    label in {−1, +1} or {0, 1}.
    """
    return count_correct(outputs, targets, threshold) / len(outputs)


def count_correct(outputs: Sequence[object], targets: Targets, threshold: float = 0.0) -> int:
    """How many samples are classified correctly (the numerator of `accuracy`, same rules)."""
    labels = _plain(targets)
    if isinstance(labels, str) or not isinstance(labels, Sequence) or len(outputs) != len(labels):
        raise ValueError(
            f"accuracy: {len(outputs)} outputs need {len(outputs)} targets, got {_how_many(labels)}"
        )
    threshold = check_real("accuracy: threshold", threshold)
    if len(outputs) == 0:
        raise ValueError("accuracy: the list of outputs is empty")
    return sum(_predicted_class(o, threshold) == _true_class(t) for o, t in zip(outputs, labels))
