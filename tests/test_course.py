"""setup() and the figure recorder."""

import json

import numpy as np
import pytest

import forge_lessons as fl
from forge_lessons import course


@pytest.fixture(autouse=True)
def figures_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(course.FIGURES_ENV, str(tmp_path))
    return tmp_path


def test_setup_seeds_and_starts_an_empty_record(figures_dir, capsys):
    fl.setup("99_example", profile="quick", seed=7)
    first = np.random.rand()
    fl.setup("99_example", profile="quick", seed=7)
    assert np.random.rand() == first
    assert json.loads((figures_dir / "99_example.json").read_text()) == {}
    assert "profile=quick" in capsys.readouterr().out


def test_record_writes_plain_values_and_returns_them(figures_dir):
    fl.setup("99_example")
    assert fl.record("gap", np.float64(0.25)) == 0.25
    fl.record("count", np.int64(3))
    fl.record("passed", np.bool_(True))
    fl.record("model", "forest")
    stored = json.loads((figures_dir / "99_example.json").read_text())
    assert stored == {"gap": 0.25, "count": 3, "passed": True, "model": "forest"}
    assert type(stored["passed"]) is bool
    assert fl.read_figures("99_example", figures_dir) == stored
    assert fl.recorded() == stored


def test_setup_clears_figures_of_a_previous_run(figures_dir):
    fl.setup("99_example")
    fl.record("old", 1)
    fl.setup("99_example")
    assert fl.read_figures("99_example", figures_dir) == {}


@pytest.mark.parametrize(
    "name, value, error, message",
    [
        ("Bad Name", 1, ValueError, "snake_case"),
        ("x", [1, 2], TypeError, "number, a string or a boolean, got list"),
        ("x", float("nan"), ValueError, "finite"),
        ("x", None, TypeError, "got NoneType"),
    ],
)
def test_record_rejects_bad_input(name, value, error, message):
    fl.setup("99_example")
    with pytest.raises(error, match=message):
        fl.record(name, value)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"notebook": "x", "profile": "medium"}, "profile must be one of"),
        ({"notebook": "x", "seed": "42"}, "seed must be an integer"),
        ({"notebook": "../escape"}, "notebook must be a notebook name"),
    ],
)
def test_setup_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        fl.setup(**kwargs)


def test_missing_figures_file_reads_as_empty(figures_dir):
    assert fl.read_figures("never_ran", figures_dir) == {}
