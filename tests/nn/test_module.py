"""nn.Module, Neuron, Layer and MLP: parameter counts and order, forward values, seeds, state dicts."""

from __future__ import annotations

import math

import numpy as np
import pytest

import nn
from autograd import Value, topological_order


def _set(module: nn.Module, values: dict[str, float]) -> None:
    state = module.state_dict()
    state.update(values)
    module.load_state_dict(state)


# ---- parameter counts and structure ------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "count"),
    [
        (nn.Neuron(3), 4),
        (nn.Layer(3, 4), 16),
        (nn.MLP(3, [4, 4, 1]), 16 + 20 + 5),
        (nn.MLP(2, [16, 16, 1]), 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1),
    ],
)
def test_parameter_counts(model: nn.Module, count: int) -> None:
    assert len(model.parameters()) == count
    assert len(model.state_dict()) == count


def test_micrograd_model_337_parameters_and_defaults() -> None:
    model = nn.MLP(2, [16, 16, 1], seed=0)
    assert len(model.parameters()) == 337
    assert [layer.activation for layer in model.layers] == ["relu", "relu", "linear"]
    out = model([0.5, -1.0])
    assert isinstance(out, Value)
    assert repr(model) == "MLP(2 → 16 relu → 16 relu → 1 linear; 337 parameters)"


def test_vector_output_is_a_list() -> None:
    out = nn.MLP(2, [3, 4], seed=0)([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 4 and all(isinstance(v, Value) for v in out)


def test_forward_builds_no_extra_nodes() -> None:
    """One pass of MLP(2, [16, 16, 1]): per neuron nin muls, nin adds (bias first) and the activation."""
    model = nn.MLP(2, [16, 16, 1], seed=0)
    out = model([0.3, -0.7])
    ops = [n.op for n in topological_order(out) if not n.is_leaf]
    assert len(ops) == 16 * (2 + 2 + 1) + 16 * (16 + 16 + 1) + (16 + 16)
    assert ops.count("mul") == 2 * 16 + 16 * 16 + 16


def test_named_parameters_order_names_and_labels() -> None:
    model = nn.MLP(2, [3, 1], seed=0)
    names = [name for name, _ in model.named_parameters()]
    assert names[:4] == ["layer0.neuron0.w0", "layer0.neuron0.w1", "layer0.neuron0.b", "layer0.neuron1.w0"]
    assert names[-1] == "layer1.neuron0.b"
    assert len(set(names)) == len(names) == 13
    assert [p for _, p in model.named_parameters()] == model.parameters()
    assert all(p.label == name for name, p in model.named_parameters())
    assert model.parameters() == model.parameters()  # stable order, same objects
    assert list(model.state_dict()) == names


def test_reprs() -> None:
    assert repr(nn.Neuron(3, "tanh")) == "Neuron(3 inputs, tanh)"
    assert repr(nn.Layer(3, 2, "sigmoid")) == "Layer(3 → 2, sigmoid)"


# ---- forward values by hand ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("activation", "expected"),
    [
        ("linear", -0.5),
        ("relu", 0.0),
        ("tanh", math.tanh(-0.5)),
        ("sigmoid", 1 / (1 + math.exp(0.5))),
    ],
)
def test_neuron_forward_by_hand(activation: str, expected: float) -> None:
    """z = 2·1 + (−1)·3 + 0.5 = −0.5, then the activation."""
    neuron = nn.Neuron(2, activation, seed=0)
    _set(neuron, {"w0": 2.0, "w1": -1.0, "b": 0.5})
    assert neuron([1.0, 3.0]).data == pytest.approx(expected, abs=1e-15)


def test_neuron_gradients_by_hand() -> None:
    """a = tanh(w0·x0 + w1·x1 + b): ∂a/∂wᵢ = (1 − a²)·xᵢ, ∂a/∂b = 1 − a²."""
    neuron = nn.Neuron(2, "tanh", seed=0)
    _set(neuron, {"w0": 0.2, "w1": -0.4, "b": 0.1})
    x = [Value(1.5), Value(-2.0)]
    a = neuron(x)
    a.backward()
    t = math.tanh(0.2 * 1.5 + 0.4 * 2.0 + 0.1)
    d = 1 - t * t
    assert a.data == pytest.approx(t, abs=1e-15)
    assert [p.grad for p in neuron.parameters()] == pytest.approx([d * 1.5, d * -2.0, d], abs=1e-15)
    assert [v.grad for v in x] == pytest.approx([d * 0.2, d * -0.4], abs=1e-15)


def test_mlp_forward_by_hand() -> None:
    """A 2 → 2 relu → 1 linear network with every weight set by hand."""
    model = nn.MLP(2, [2, 1], seed=0)
    model.load_state_dict(
        {
            "layer0.neuron0.w0": 1.0,
            "layer0.neuron0.w1": -1.0,
            "layer0.neuron0.b": 0.0,
            "layer0.neuron1.w0": 0.5,
            "layer0.neuron1.w1": 0.5,
            "layer0.neuron1.b": -2.0,
            "layer1.neuron0.w0": 3.0,
            "layer1.neuron0.w1": 4.0,
            "layer1.neuron0.b": 1.0,
        }
    )
    # hidden: relu(2 − 1) = 1, relu(1 + 0.5 − 2) = 0; output 3·1 + 4·0 + 1 = 4
    out = model([2.0, 1.0])
    assert isinstance(out, Value) and out.data == 4.0


def test_accepts_numpy_rows_and_values() -> None:
    model = nn.MLP(3, [4, 1], seed=0)
    row = np.array([0.1, -0.2, 0.3])
    a = model(row)
    b = model(row.tolist())
    c = model([Value(0.1), Value(-0.2), Value(0.3)])
    assert isinstance(a, Value) and isinstance(b, Value) and isinstance(c, Value)
    assert a.data == b.data == c.data


# ---- zero_grad ---------------------------------------------------------------------------------------


def test_zero_grad() -> None:
    model = nn.MLP(2, [4, 1], seed=0)
    out = model([1.0, -1.0])
    assert isinstance(out, Value)
    (out * out).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


# ---- initialisation and seeds ---------------------------------------------------------------------


def test_seed_reproducible() -> None:
    assert nn.MLP(2, [5, 1], seed=7).state_dict() == nn.MLP(2, [5, 1], seed=7).state_dict()
    assert nn.MLP(2, [5, 1], seed=7).state_dict() != nn.MLP(2, [5, 1], seed=8).state_dict()


def test_generator_seed() -> None:
    a = nn.MLP(2, [5, 1], seed=np.random.default_rng(3))
    b = nn.MLP(2, [5, 1], seed=np.random.default_rng(3))
    assert a.state_dict() == b.state_dict()
    rng = np.random.default_rng(3)
    first, second = nn.MLP(2, [5, 1], seed=rng), nn.MLP(2, [5, 1], seed=rng)
    assert first.state_dict() == a.state_dict()
    assert second.state_dict() != first.state_dict()  # the Generator advanced


def test_init_weights_uniform_biases_zero() -> None:
    model = nn.MLP(4, [32, 32, 1], seed=0)
    weights = [v for k, v in model.state_dict().items() if not k.endswith(".b")]
    biases = [v for k, v in model.state_dict().items() if k.endswith(".b")]
    assert all(-1.0 <= w < 1.0 for w in weights)
    assert min(weights) < -0.9 and max(weights) > 0.9
    assert biases == [0.0] * 65


# ---- bad arguments ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: nn.Neuron(0), "nin must be an int ≥ 1, got 0"),
        (lambda: nn.Neuron(2.0), "nin must be an int ≥ 1, got 2.0"),  # type: ignore[arg-type]
        (lambda: nn.Neuron(True), "nin must be an int ≥ 1, got True"),  # type: ignore[arg-type]
        (lambda: nn.Neuron(2, "softplus"), "activation must be one of 'relu', 'tanh', 'sigmoid', 'linear'"),
        (lambda: nn.Layer(2, 0), "nout must be an int ≥ 1, got 0"),
        (lambda: nn.MLP(2, []), "nouts must be a non-empty list"),
        (lambda: nn.MLP(2, [3, -1]), r"nouts\[1\] must be an int ≥ 1, got -1"),
        (lambda: nn.MLP(2, [3], output_activation="soft"), "got 'soft'"),
        (lambda: nn.MLP(2, [3], seed=-1), "seed must be an int ≥ 0"),
    ],
)
def test_bad_constructor_arguments(make: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()  # type: ignore[operator]


def test_bad_seed_type() -> None:
    with pytest.raises(TypeError, match="seed must be an int ≥ 0, a numpy Generator or None, got str 'x'"):
        nn.MLP(2, [3], seed="x")  # type: ignore[arg-type]


def test_wrong_input_length() -> None:
    with pytest.raises(ValueError, match="this MLP takes 2 inputs, got 3"):
        nn.MLP(2, [3, 1], seed=0)([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="this layer takes 2 inputs, got 1"):
        nn.Layer(2, 3, seed=0)([1.0])
    with pytest.raises(ValueError, match="this neuron takes 2 inputs, got 1"):
        nn.Neuron(2, seed=0)([1.0])


# ---- state_dict / load_state_dict -----------------------------------------------------------------


def test_state_dict_round_trip_between_models() -> None:
    a, b = nn.MLP(3, [4, 2], seed=1), nn.MLP(3, [4, 2], seed=2)
    b.load_state_dict(a.state_dict())
    assert b.state_dict() == a.state_dict()
    oa, ob = a([0.1, 0.2, 0.3]), b([0.1, 0.2, 0.3])
    assert isinstance(oa, list) and isinstance(ob, list)
    assert [v.data for v in oa] == [v.data for v in ob]


def test_state_dict_is_a_copy() -> None:
    model = nn.Neuron(2, seed=0)
    state = model.state_dict()
    state["w0"] = 123.0
    assert model.w[0].data != 123.0


def test_load_accepts_ints_and_numpy_numbers() -> None:
    model = nn.Neuron(2, seed=0)
    model.load_state_dict({"w0": 1, "w1": np.float64(2.5), "b": np.int64(-3)})
    assert model.state_dict() == {"w0": 1.0, "w1": 2.5, "b": -3.0}
    assert all(type(v) is float for v in model.state_dict().values())


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        (lambda s: s.pop("layer0.neuron1.w0"), ValueError, "no value for parameter 'layer0.neuron1.w0'"),
        (lambda s: s.update({"layer9.neuron0.b": 1.0}), ValueError, "unexpected key 'layer9.neuron0.b'"),
        (
            lambda s: s.update({"layer1.neuron0.b": "1.0"}),
            ValueError,
            r"'layer1.neuron0.b' must be a real number",
        ),
        (
            lambda s: s.update({"layer1.neuron0.b": True}),
            ValueError,
            r"'layer1.neuron0.b' must be a real number",
        ),
        (
            lambda s: s.update({"layer1.neuron0.b": None}),
            ValueError,
            r"'layer1.neuron0.b' must be a real number",
        ),
        (
            lambda s: s.update({"layer0.neuron0.w1": math.nan}),
            ValueError,
            "'layer0.neuron0.w1' must be finite",
        ),
        (lambda s: s.update({"layer0.neuron0.w1": -math.inf}), ValueError, "must be finite, got -inf"),
        (
            lambda s: s.update({"layer1.neuron0.b": 10**400}),
            ValueError,
            r"'layer1.neuron0.b' must be finite, got 1000000000000000000000000000000000000…, too large",
        ),
        (
            lambda s: s.update({"layer1.neuron0.b": 10**4300}),
            ValueError,
            "'layer1.neuron0.b' must be finite, got an int of about 4301 digits, too large for a float",
        ),
    ],
)
def test_failed_load_changes_nothing(change: object, error: type[Exception], message: str) -> None:
    model = nn.MLP(2, [2, 1], seed=0)
    before = model.state_dict()
    state = nn.MLP(2, [2, 1], seed=1).state_dict()
    change(state)  # type: ignore[operator]
    with pytest.raises(error, match=message):
        model.load_state_dict(state)
    assert model.state_dict() == before


def test_missing_keys_are_counted() -> None:
    model = nn.MLP(2, [2, 1], seed=0)
    with pytest.raises(ValueError, match=r"no value for parameter 'layer0.neuron0.w0' \(and 8 more\)"):
        model.load_state_dict({})


def test_load_needs_a_mapping() -> None:
    with pytest.raises(TypeError, match="needs a mapping"):
        nn.Neuron(2).load_state_dict([("w0", 1.0)])  # type: ignore[arg-type]
