"""Lesson 05 (hyper-parameter tuning): execution, structure and claim tests.

The quick profile is executed for two seeds; the claims below are what the
notebook's prose says, asserted on the figures it recorded.
"""

import json

import pytest

from forge_lessons.course import NOTEBOOKS_DIR

NAME = "05_hyperparameter_tuning"
SEEDS = (42, 7)
ISSUE_FIGURES = {
    "grid_candidates", "grid_fits", "grid_seconds", "grid_best_cv", "grid_test_score",
    "random_seconds", "random_best_cv", "random_test_score",
    "halving_seconds", "halving_best_cv", "halving_test_score",
    "nested_cv_score", "best_cv_optimism", "dask_matches_local", "dask_seconds", "local_seconds",
}
QUICK_FOLDS = 2
# "within a small margin": ROC AUC on a quick-profile test set with ~15 frauds moves by several
# hundredths between neighbouring models, so the margin is 0.03.
MARGIN = 0.03


@pytest.fixture(scope="module")
def runs(run_lesson):
    return {seed: run_lesson(NAME, profile="quick", seed=seed) for seed in SEEDS}


@pytest.fixture(scope="module")
def notebook():
    return json.loads((NOTEBOOKS_DIR / f"{NAME}.ipynb").read_text())


# ------------------------------------------------------------------ structure
def test_notebook_follows_the_conventions(notebook):
    cells = notebook["cells"]
    assert cells[0]["cell_type"] == "markdown" and "Time:" in "".join(cells[0]["source"])
    parameters = cells[1]
    assert "parameters" in parameters["metadata"].get("tags", [])
    source = "".join(parameters["source"])
    for line in ('PROFILE = "full"', "SEED = 42", "N_JOBS = 2", 'DASK_SCHEDULER = ""'):
        assert line in source
    assert "fl.setup(" in "".join(cells[2]["source"])
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "from sklearn.experimental import enable_halving_search_cv" in code
    for call in ("GridSearchCV(", "RandomizedSearchCV(", "HalvingGridSearchCV(", "HalvingRandomSearchCV(",
                 "cross_val_score(", 'parallel_config(backend="dask")', "Pipeline(", "memory=", "error_score="):
        assert call in code, call


def test_timing_cells_are_ignored_by_nbval(notebook):
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        if any(mark in source for mark in ("Stopwatch()", "_seconds:", "compute_seconds", "_share:", "speedup:")):
            assert "nbval-ignore-output" in cell["metadata"].get("tags", []), source[:80]


def test_exercises_have_solutions_and_checks(notebook):
    cells = notebook["cells"]
    solutions = [i for i, c in enumerate(cells) if "solution" in c["metadata"].get("tags", [])]
    assert len(solutions) >= 3
    for index in solutions:
        assert "fl.check(" in "".join(cells[index + 1]["source"])


# ------------------------------------------------------------------ execution and claims
@pytest.mark.slow
def test_quick_runs_record_the_issue_figures(runs):
    for seed, figures in runs.items():
        missing = ISSUE_FIGURES - set(figures)
        assert not missing, f"seed {seed}: missing {sorted(missing)}"


@pytest.mark.slow
def test_cost_is_candidates_times_folds_plus_refit(runs):
    for figures in runs.values():
        assert figures["grid_fits"] == figures["grid_candidates"] * QUICK_FOLDS + 1


@pytest.mark.slow
def test_random_search_is_close_to_the_grid_at_a_fraction_of_the_cost(runs):
    # The cost is asserted as a fit count, which is deterministic: seconds on a shared machine are not
    # (the lesson prints them in output-ignored cells and says so; `make benchmark` measures time).
    for seed, f in runs.items():
        assert abs(f["random_test_score"] - f["grid_test_score"]) <= MARGIN, seed
        random_fits = f["random_candidates"] * QUICK_FOLDS + 1
        assert random_fits <= f["grid_fits"] / 2, seed


@pytest.mark.slow
def test_halving_is_close_to_the_grid_but_makes_more_fits(runs):
    # The issue expected halving to be cheaper; on this small data it is not (the lesson says so):
    # every candidate is fitted in round 1 and the survivors again, and a fit on a third of the rows
    # costs nearly as much as one on all of them. Fit counts are deterministic; timings are not asserted.
    for seed, f in runs.items():
        assert abs(f["halving_test_score"] - f["grid_test_score"]) <= MARGIN, seed
        assert f["halving_fits"] > f["grid_fits"], seed
        assert f["halving_nan_first_round"] == 0, seed
        # the expected compute share weights the fit counts by a measured per-fit cost (recorded, positive)
        assert f["halving_expected_share"] > 0, seed


@pytest.mark.slow
def test_best_cv_optimism_is_best_cv_minus_test(runs):
    for f in runs.values():
        assert f["best_cv_optimism"] == pytest.approx(f["grid_best_cv"] - f["grid_test_score"])
        assert 0 < f["test_standard_error"] < 0.2


@pytest.mark.slow
def test_nested_cv_is_not_above_the_non_nested_best_on_average(runs):
    gaps = [f["nested_cv_score"] - f["nested_search_best_cv"] for f in runs.values()]
    assert sum(gaps) / len(gaps) <= 0.0


@pytest.mark.slow
def test_the_best_of_equal_candidates_looks_better_than_they_are(runs):
    for f in runs.values():
        assert f["winners_curse_gain"] > 0
        assert f["cv_reshuffle_sd"] > 0
        # "within the top 5 % of the random search, the ranking is mostly noise"
        assert f["top5_score_spread"] < f["cv_standard_error"]


@pytest.mark.slow
def test_dask_reproduces_the_local_results(runs):
    for f in runs.values():
        assert f["dask_matches_local"] is True
        assert f["dask_seconds"] > 0 and f["local_seconds"] > 0
        assert f["dask_speedup"] == pytest.approx(f["local_seconds"] / f["dask_seconds"])


@pytest.mark.slow
def test_sixty_trials_arithmetic_is_stated_correctly(runs):
    for f in runs.values():
        assert f["chance_top5_60_trials"] == pytest.approx(1 - 0.95**60)
        assert f["trials_needed_top5_95"] == 59
