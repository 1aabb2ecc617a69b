"""check_answers(): a right table passes, each classic slip is named, later errors are traced to the first."""

from __future__ import annotations

import math

import pytest
from graphs import lecture_sigmoid

from autograd import Value, check_answers, exercise, table

SECTION_1 = {
    "h6": 1,
    "h5": -0.25,
    "h4": -0.25,
    "h3": -0.25,
    "h2": 0.25,
    "h1": 0.25,
    "w": 0.25,
    "x": 0,
    "b": 0.25,
}


def test_the_worked_table_is_right() -> None:
    f, *_ = lecture_sigmoid()
    report = check_answers(f, SECTION_1)
    assert report.ok and report.first_wrong is None and not report.missing
    assert str(report).splitlines()[0] == "All 9 answers right."
    # rounded as the notes round (−0.53 for −0.534447) is wrong at the default tolerance, right at 1%
    y = 1 / Value(1.367879, "m2")
    assert not check_answers(y, {"m2": -0.53}).ok and check_answers(y, {"m2": -0.53}, rtol=0.01).ok


def test_values_are_marked_too() -> None:
    f, *_ = lecture_sigmoid()
    report = check_answers(f, {"h6": {"grad": 1, "value": 0.5}, "h4": {"value": 1}, "h5": {"value": 1.0}})
    assert not report.ok
    first = report.first_wrong
    assert first is not None and (first.name, first.quantity, first.expected) == ("h5", "value", 2.0)
    assert [m.ok for m in report.marks] == [True, True, False, True]  # gradients first, then values


def test_sign_flip_is_found_where_it_entered_and_later_errors_are_carried_over() -> None:
    f, *_ = lecture_sigmoid()
    answers = {**SECTION_1, "h3": 0.25, "h2": -0.25, "h1": -0.25, "w": -0.25, "b": -0.25}
    report = check_answers(f, answers)
    assert not report.ok
    first = report.first_wrong
    assert first is not None and first.name == "h3" and first.slip is not None
    assert first.slip.kind == "sign flip"
    later = {m.name: m.slip.kind for m in report.wrong if m.slip is not None}
    assert later == {"h3": "sign flip", "h2": "carried over", "h1": "carried over", "w": "carried over",
                     "b": "carried over"}  # fmt: skip
    assert "the first wrong is ∂f/∂h3" in str(report)


def test_carried_over_through_a_node_the_student_left_blank() -> None:
    f, *_ = lecture_sigmoid()
    report = check_answers(f, {"h3": 0.25, "w": -0.25})  # h2, h1 not given: implied by h3
    w_mark = report.wrong[-1]
    assert w_mark.name == "w" and w_mark.slip is not None and w_mark.slip.kind == "carried over"
    assert w_mark.slip.text == "it follows from your ∂f/∂h3: the error entered there"


def test_a_consumer_left_out_of_the_sum() -> None:
    a = Value(3.0, "a")
    f = a * a + a  # ∂f/∂a = 3 + 3 + 1
    report = check_answers(f, {"a": 6})
    mark = report.first_wrong
    assert mark is not None and mark.slip is not None
    assert mark.slip.kind == "consumer left out" and "h2" in mark.slip.text
    four = check_answers(f, {"a": 4}).first_wrong
    assert four is not None and four.slip is not None
    assert four.slip.kind == "consumer left out" and "h1 (1st operand)" in four.slip.text


def test_only_one_term_kept_as_with_assignment_instead_of_plus_equals() -> None:
    a = Value(3.0, "a")
    mark = check_answers(a * a + a, {"a": 3}).first_wrong
    assert mark is not None and "only one term" in [s.kind for s in mark.slips]
    assert any("`=` instead of `+=`" in s.text for s in mark.slips)


def test_exp_derivative_taken_from_the_input() -> None:
    """f = exp(y·y) at y = 2: ∂f/∂h1 = exp(h1) = e⁴; taking exp′(h1) as h1 gives 4."""
    y = Value(2.0, "y")
    f = (y * y).exp()
    report = check_answers(f, {"h1": 4.0})
    mark = report.first_wrong
    assert mark is not None and mark.slip is not None and mark.slip.kind == "input for output"
    assert mark.slip.text == "∂h2/∂h1 was taken with the input h1 where the output h2 = exp(h1) belongs"
    assert math.isclose(mark.expected, math.exp(4.0))


def test_tanh_derivative_taken_from_the_input() -> None:
    x = Value(0.5, "x")
    f = (x * 2.0).tanh()  # ∂f/∂h1 = 1 − tanh²(1); a student writes 1 − 1² = 0
    mark = check_answers(f, {"h1": 0.0}).first_wrong
    assert mark is not None and mark.slip is not None and mark.slip.kind == "input for output"


def test_the_wrong_operand_of_a_product() -> None:
    w, x = Value(2.0, "w"), Value(3.0, "x")
    mark = check_answers(w * x, {"w": 2.0}).first_wrong
    assert mark is not None and mark.slip is not None and mark.slip.kind == "wrong operand"
    assert mark.slip.text == "∂h1/∂w is x (the other factor), not w itself"


def test_doubled_by_not_zeroing() -> None:
    f, _, w, b = lecture_sigmoid()
    f.backward()
    f.backward()  # gradients not zeroed: each leaf has its gradient twice
    report = check_answers(f, {w: w.grad, b: b.grad})
    assert w.grad == 0.5 and not report.ok
    assert {m.slip.kind for m in report.wrong if m.slip} == {"doubled"}


def test_an_unexplained_error_has_no_slip() -> None:
    f, *_ = lecture_sigmoid()
    mark = check_answers(f, {"h5": 0.125}).first_wrong
    assert mark is not None and mark.slips == ()
    assert "you wrote 0.125, the engine gives −0.25" in str(check_answers(f, {"h5": 0.125}))


def test_the_key_from_table_is_accepted_with_nodes_as_keys() -> None:
    f, *_ = lecture_sigmoid()
    answers = {row.node: {"grad": row.grad, "value": row.value} for row in table(f)}
    assert check_answers(f, answers).ok


def test_bad_input_gets_clear_errors() -> None:
    f, _, w, _ = lecture_sigmoid()
    with pytest.raises(
        ValueError, match=r"unknown node name 'h7' in answers; the nodes are w, x, h1, b, h2, h3, h4, h5, h6$"
    ):
        check_answers(f, {"h7": 1.0})
    stranger = Value(1.0, "s") * 2
    with pytest.raises(ValueError, match="is not part of the graph"):
        check_answers(f, {stranger: 1.0})
    with pytest.raises(TypeError, match=r"the answer for h1 must be a number .* got str '0.25'"):
        check_answers(f, {"h1": "0.25"})
    with pytest.raises(TypeError, match="got bool"):
        check_answers(f, {"h1": True})
    with pytest.raises(ValueError, match="finite number"):
        check_answers(f, {"h1": math.nan})
    with pytest.raises(ValueError, match="answers is empty"):
        check_answers(f, {})
    with pytest.raises(ValueError, match="may have the keys 'grad' and 'value'"):
        check_answers(f, {"h1": {"gradient": 1}})
    with pytest.raises(ValueError, match="answered twice"):
        check_answers(f, {"w": 0.25, w: 0.25})
    with pytest.raises(TypeError, match="must be a node name"):
        check_answers(f, {1: 0.25})
    twins = Value(1.0, "t") + Value(2.0, "t")
    with pytest.raises(ValueError, match="2 nodes are called 't'"):
        check_answers(twins, {"t": 1.0})
    with pytest.raises(TypeError, match="answers must be a dict"):
        check_answers(f, [("h1", 1.0)])  # type: ignore[arg-type]


def test_bad_tolerances() -> None:
    f, *_ = lecture_sigmoid()
    with pytest.raises(ValueError, match="rtol must be a finite number ≥ 0, got -1"):
        check_answers(f, {"h6": 1}, rtol=-1)
    with pytest.raises(ValueError, match="atol must be a finite number ≥ 0, got 'x'"):
        check_answers(f, {"h6": 1}, atol="x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="rtol must be a finite number ≥ 0"):
        check_answers(f, {"h6": 1}, rtol=10**400)  # an int past any float: not a bare OverflowError


def test_an_integer_too_large_for_a_float_is_refused_clearly() -> None:
    f, *_ = lecture_sigmoid()
    with pytest.raises(
        ValueError, match="the answer for h6 is too large to be a gradient: an integer of 401 digits"
    ):
        check_answers(f, {"h6": 10**400})
    with pytest.raises(ValueError, match=r"the answer for h6 \(value\) is too large"):
        check_answers(f, {"h6": {"value": -(10**400)}})


def test_the_sheets_own_notation_names_the_node() -> None:
    f, *_ = lecture_sigmoid()
    report = check_answers(f, {"∂f/∂h4": -0.25, "df/dh5": -0.25, " ∂f / ∂w ": 0.25})
    assert report.ok and [m.name for m in report.marks] == ["h5", "h4", "w"]
    f.label = "y"  # the output's own name: ∂y/∂h4
    assert check_answers(f, {"∂y/∂h4": -0.25}).ok
    with pytest.raises(ValueError, match="unknown node name '∂f/∂h4'"):
        check_answers(f, {"∂f/∂h4": -0.25})
    with pytest.raises(ValueError, match="answered twice"):
        check_answers(f, {"h4": -0.25, "∂y/∂h4": -0.25})


def test_one_answer_is_singular() -> None:
    f, *_ = lecture_sigmoid()
    assert str(check_answers(f, {"h6": 1})).splitlines()[0].startswith("1 of 9 answers given, it is right; ")
    assert str(check_answers(Value(2.0, "x"), {"x": 1})).splitlines()[0] == "The 1 answer is right."
    assert str(check_answers(f, {"h4": 1})).splitlines()[0] == "The 1 answer, ∂f/∂h4, is wrong."
    assert str(check_answers(f, {"h6": 1, "h5": 1})).splitlines()[0].startswith("1 of 2 answers right; ")


def test_every_slip_is_found_on_many_practice_graphs() -> None:
    """On 60 generated graphs: flip one gradient's sign, drop one use, double a leaf — each is named there."""
    from autograd import exercise, explain, topological_order

    found = {"sign flip": 0, "consumer left out": 0, "doubled": 0}
    for seed in range(20):
        for level in (1, 2, 3):
            ex = exercise(seed, level)
            key = {name: answer["grad"] for name, answer in ex.answers().items()}
            assert check_answers(ex.root, key).ok
            nodes = [n for n in reversed(topological_order(ex.root)) if not n.is_constant and n != ex.root]
            names = {n: name for n, name in zip(ex.nodes(), ex.answers())}
            for node in nodes:
                e = explain(ex.root, node)
                g = e.grad
                if abs(g) > 1e-3:
                    mark = check_answers(ex.root, {**key, names[node]: -g}).first_wrong
                    assert mark is not None and mark.name == names[node]
                    assert "sign flip" in [s.kind for s in mark.slips]
                    found["sign flip"] += 1
                    if node.is_leaf:
                        mark = check_answers(ex.root, {**key, names[node]: 2 * g}).first_wrong
                        assert mark is not None and "doubled" in [s.kind for s in mark.slips]
                        found["doubled"] += 1
                if len(e.terms) >= 2 and abs(e.terms[0].product) > 1e-3:
                    dropped = g - e.terms[0].product
                    mark = check_answers(ex.root, {**key, names[node]: dropped}).first_wrong
                    assert mark is not None and mark.name == names[node]
                    assert "consumer left out" in [s.kind for s in mark.slips]
                    found["consumer left out"] += 1
    assert min(found.values()) >= 10, found


def test_a_slip_carried_down_at_three_significant_digits_is_still_carried_over() -> None:
    # h3's sign flipped, then every answer below worked from the student's own 0.0183 (−0.0183156 exactly)
    f = exercise(986878, 2).root
    given = {"h4": 1, "h3": 1, "h2": 0.0183, "c": -0.0366, "w": 0.0366, "x": -0.0733}
    report = check_answers(f, given)
    kinds = {m.name: m.slip.kind for m in report.wrong if m.slip is not None}
    assert kinds == {"h3": "sign flip", "h2": "carried over", "c": "carried over", "w": "carried over",
                     "x": "carried over"}  # fmt: skip
    # the allowance is the precision the student used: two digits further off is not carried over
    x = check_answers(f, {**given, "x": -0.0745}).marks[-1]
    assert x.name == "x" and x.slip is None
    # upstream numbers of one or two digits are taken as exact: −0.251 does not follow from 0.25
    sigmoid, *_ = lecture_sigmoid()
    w = check_answers(sigmoid, {"h3": 0.25, "w": -0.251}).marks[-1]
    assert w.name == "w" and w.slip is None


def test_a_half_filled_table_says_how_much_is_missing_before_calling_it_right() -> None:
    f, *_ = lecture_sigmoid()
    report = check_answers(f, {"h6": 1, "h5": -0.25})
    assert report.ok and report.missing == ["h4", "h3", "h2", "b", "h1", "x", "w"]
    head, *rest = str(report).splitlines()
    assert head == "2 of 9 answers given, both right; 7 missing: h4, h3, h2, b, h1, x, w."
    assert rest == ["  ✓ ∂f/∂h6 = 1", "  ✓ ∂f/∂h5 = −0.25"]  # the missing names are said once
    with_values = check_answers(f, {"h6": {"grad": 1, "value": 0.5}, "h5": -0.25})
    assert str(with_values).splitlines()[0].startswith("2 of 9 gradients given, all 3 right; 7 missing: h4, ")
    assert str(check_answers(f, SECTION_1)).splitlines()[0] == "All 9 answers right."
