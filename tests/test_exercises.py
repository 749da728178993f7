"""Self-checks and student stubs."""

import pytest

from forge_lessons.exercises import check, student_stub


def test_unanswered_check_says_not_attempted_and_does_not_raise(capsys):
    assert check("Exercise 1", None, expected=3).status == "not attempted"
    assert not check("Exercise 1", ..., expected=3)
    assert "not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize(
    "answer, expected, result",
    [
        (0.8004, 0.8, True),
        (0.81, 0.8, False),
        (" GroupKFold ", "groupkfold", True),
        ("KFold", "GroupKFold", False),
        ({"a", "b"}, {"a", "b"}, True),
        (["a"], {"a", "b"}, False),
        (True, True, True),
        (1, True, False),
        ("abc", 0.5, False),
        ((1, 2), (1, 2), True),
    ],
)
def test_check_compares_answers(answer, expected, result, capsys):
    assert bool(check("Ex", answer, expected=expected, hint="look again")) is result
    out = capsys.readouterr().out
    assert ("✅" in out) is result
    if not result:
        assert "Hint: look again" in out and "not yet" in out


def test_wrong_number_says_what_was_expected_and_found(capsys):
    check("Ex", 0.5, expected=0.8, tol=0.01)
    assert "expected about 0.8 (±0.01), found 0.5" in capsys.readouterr().out


def test_missing_items_are_named(capsys):
    check("Ex", {"a", "z"}, expected={"a", "b"})
    out = capsys.readouterr().out
    assert "1 missing" in out and "'z'" in out


def test_validator_feedback_and_errors_never_raise(capsys):
    assert check("Ex", 4, validate=lambda a: None if a % 2 == 0 else "must be even").status == "correct"
    assert check("Ex", 3, validate=lambda a: None if a % 2 == 0 else "must be even").status == "wrong"
    assert check("Ex", "x", validate=lambda a: a.fit()).status == "wrong"
    out = capsys.readouterr().out
    assert "must be even" in out and "raised AttributeError" in out


def test_check_without_expectation_is_a_programming_error():
    with pytest.raises(ValueError, match="expected= or validate="):
        check("Ex", 1)


def test_stub_sets_every_top_level_name_to_none():
    source = "import numpy as np\nanswer_1 = 3\nx, (y, z) = 1, (2, 3)\nclass Fixed:\n    pass\ndef helper():\n    return 1\nanswer_1 += 1\n"
    stub = student_stub(source)
    namespace = {}
    exec(stub, namespace)
    for name in ["answer_1", "x", "y", "z", "Fixed", "helper"]:
        assert namespace[name] is None
    assert stub.count("answer_1 = None") == 1
    assert stub.startswith("import numpy as np\n")


def test_stub_of_broken_source_is_a_clear_error():
    with pytest.raises(ValueError, match="solution cell is not valid Python"):
        student_stub("answer = (")


def test_feedback_shows_nothing_as_a_cell_value():
    feedback = check("Ex", 1, expected=1)
    assert feedback._ipython_display_() is None and repr(feedback) == "Feedback('correct')"


def test_stub_covers_names_bound_inside_blocks_but_not_inside_functions():
    source = "with open('f') as handle:\n    answer_4 = 1\nfor i in range(2):\n    total = i\nif True:\n    flag = 1\nelse:\n    other = 2\ntry:\n    t = 1\nexcept ValueError:\n    e = 2\ndef f():\n    hidden = 1\n"
    namespace = {}
    exec(student_stub(source), namespace)
    for name in ["handle", "answer_4", "i", "total", "flag", "other", "t", "e", "f"]:
        assert namespace[name] is None
    assert "hidden" not in namespace
