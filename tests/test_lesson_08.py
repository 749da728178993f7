"""Lesson 08 (reproducible production): quick-profile execution for two seeds, claims, notebook structure.

The claims are the ones the lesson's prose makes from its recorded figures:
- the fixed workflow's development estimate is much closer to its production score than the leaky
  workflow's, whose gap is far beyond noise;
- the attribution of the gap to its causes adds up (the waterfall's steps sum to the leaky gap, the fixed
  workflow's gap is its drift step), and leakage in the evaluation is far beyond noise;
- the golden check passes for the approved model (reloaded from disk, and retrained from the same code)
  and fails for the silently altered pipeline, whose production score drops;
- the KMeans default change: ten starts never end with a higher inertia than one start from the same
  seed, and customers change segment exactly when the inertia differs;
- the Dockerfile's pins equal the lock's.
The full profile is executed by the nbval run over the committed notebook.
"""

import ast
import math

import nbformat
import pytest

from forge_lessons.course import NOTEBOOKS_DIR

NAME = "08_reproducible_production"
SEEDS = [42, 7]
ISSUE_FIGURES = {
    "kmeans_segments_changed",
    "kmeans_inertia_auto",
    "kmeans_inertia_10",
    "golden_check_passed",
    "golden_check_detects_change",
    "altered_step_score_drop",
    "fixed_dev_estimate",
    "fixed_prod_score",
    "leaky_dev_estimate",
    "leaky_prod_score",
}


@pytest.fixture(scope="module")
def runs(run_lesson):
    return {seed: run_lesson(NAME, profile="quick", seed=seed) for seed in SEEDS}


def test_records_every_figure_the_issue_names(runs):
    for seed, figures in runs.items():
        missing = ISSUE_FIGURES - set(figures)
        assert not missing, f"seed {seed}: missing {sorted(missing)}"
        assert isinstance(figures["golden_check_passed"], bool)
        assert isinstance(figures["golden_check_detects_change"], bool)
        assert isinstance(figures["kmeans_segments_changed"], int)


# ----------------------------------------------------------------------------- the incident, answered


def test_fixed_estimate_is_much_closer_to_production_than_the_leaky_one(runs):
    for seed, f in runs.items():
        assert f["leaky_gap"] == pytest.approx(f["leaky_dev_estimate"] - f["leaky_prod_score"])
        assert f["fixed_gap"] == pytest.approx(f["fixed_dev_estimate"] - f["fixed_prod_score"])
        assert abs(f["fixed_gap"]) < abs(f["leaky_gap"]), seed
        assert f["leaky_gap_in_se"] >= 2, f"seed {seed}: the leaky gap should be far beyond noise"
    fixed = sum(abs(f["fixed_gap"]) for f in runs.values()) / len(runs)
    leaky = sum(abs(f["leaky_gap"]) for f in runs.values()) / len(runs)
    assert fixed < 0.5 * leaky, f"mean |gap|: fixed {fixed:.3f}, leaky {leaky:.3f}"


def test_the_leaky_promise_is_inflated_and_the_honest_one_is_not(runs):
    for seed, f in runs.items():
        assert f["leaky_dev_estimate"] > 0.9, seed
        assert f["leaky_dev_estimate"] - f["fixed_dev_estimate"] > 0.05, seed
        assert 0.6 < f["fixed_dev_estimate"] < 0.95, seed
        assert 0.5 < f["fixed_prod_score"] < 0.9 and 0.5 < f["leaky_prod_score"] < 0.9, seed


def test_the_causes_add_up_to_the_gaps(runs):
    for seed, f in runs.items():
        steps = (f["cause_leakage"] + f["model_swap_random_split"] + f["cause_split"] + f["cause_drift"]
                 - f["leaky_minus_fixed_in_production"])
        assert steps == pytest.approx(f["leaky_gap"], abs=1e-9), seed
        assert f["cause_drift"] == pytest.approx(f["fixed_gap"], abs=1e-9), seed
        assert f["cause_leakage"] == pytest.approx(f["leaky_dev_estimate"] - f["recipe_random_split_score"]), seed
        assert f["cause_split"] == pytest.approx(f["fixed_random_split_score"] - f["fixed_dev_estimate"]), seed
        for cause in ("leakage", "split", "serving", "drift"):
            assert f[f"cause_{cause}_se"] > 0, (seed, cause)


def test_leakage_is_far_beyond_noise_and_the_split_is_not_the_story(runs):
    for seed, f in runs.items():
        assert f["cause_leakage"] > 2 * f["cause_leakage_se"], seed
        assert f["cause_leakage"] > abs(f["cause_split"]), seed
        # serving was consistent: a weekly re-fitted scaler barely moves the ranking (it moves the decisions)
        assert abs(f["cause_serving"]) < 0.05, seed


def test_production_costs_are_consistent(runs):
    for seed, f in runs.items():
        for name in ("fixed_prod_cost", "leaky_prod_cost", "never_flag_prod_cost"):
            assert f[name] > 0, (seed, name)
        assert 0 < f["fixed_threshold"] < 0.5, seed  # rare, expensive frauds: flag well below 0.5
        assert 0 < f["leaky_alert_rate"] < 1, seed


def test_money_and_recall_differences_come_with_their_noise(runs):
    for seed, f in runs.items():
        assert f["leaky_minus_fixed_prod_cost"] == pytest.approx(f["leaky_prod_cost"] - f["fixed_prod_cost"]), seed
        assert f["never_flag_minus_fixed_prod_cost"] == pytest.approx(f["never_flag_prod_cost"] - f["fixed_prod_cost"]), seed
        assert f["leaky_minus_fixed_prod_cost_se"] > 0 and f["never_flag_minus_fixed_prod_cost_se"] > 0, seed
        # the recall difference of the weekly re-fitted scaler is the count of frauds lost, over the frauds
        lost = f["serving_frauds_caught_shipped"] - f["serving_frauds_caught_rescaled"]
        assert f["serving_recall_drop"] * f["prod_frauds"] == pytest.approx(lost), seed
        assert 0 <= f["serving_frauds_caught_rescaled"] <= f["prod_frauds"], seed
        assert f["serving_recall_drop_se"] >= 0, seed


def test_new_customers_are_measured_before_they_are_blamed(runs):
    for seed, f in runs.items():
        assert 0 <= f["prod_frauds_new_customers"] <= f["prod_frauds"], seed
        assert 0 < f["prod_rows_new_customers"] < 1, seed
        if "prod_auc_returning_minus_new" in f:
            assert f["prod_auc_returning_minus_new"] == pytest.approx(
                f["prod_auc_returning_customers"] - f["prod_auc_new_customers"]), seed
            assert f["prod_auc_returning_minus_new_se"] > 0, seed
    assert any("prod_auc_returning_minus_new" in f for f in runs.values()), "both groups should have frauds to score"


# ----------------------------------------------------------------------------- golden set


def test_golden_check_passes_untouched_and_fails_altered(runs):
    for seed, f in runs.items():
        assert f["golden_check_passed"] is True, seed
        assert f["golden_check_retrained_passed"] is True, seed
        assert f["golden_check_detects_change"] is True, seed
        assert f["golden_rows"] == 200, seed


def test_the_silent_change_costs_production_score(runs):
    for seed, f in runs.items():
        assert f["altered_step_score_drop"] > 0.03, f"seed {seed}: dropping txn_count_24h should hurt"
        assert f["altered_step_score_drop"] > 2 * f["altered_step_score_drop_se"], seed


# ----------------------------------------------------------------------------- default change, tuning, environment


def test_kmeans_default_change_is_measured_consistently(runs):
    for seed, f in runs.items():
        assert f["kmeans_inertia_10"] <= f["kmeans_inertia_auto"] * (1 + 1e-12), seed
        same = math.isclose(f["kmeans_inertia_10"], f["kmeans_inertia_auto"], rel_tol=1e-9)
        assert (f["kmeans_segments_changed"] == 0) == same, seed
        assert 0 <= f["kmeans_segments_changed"] <= f["kmeans_customers"], seed
    assert any(f["kmeans_segments_changed"] > 0 for f in runs.values()), "the default change should move customers"


def test_successive_halving_does_less_work_than_the_grid(runs):
    for seed, f in runs.items():
        assert f["halving_work_share"] < 0.6, seed
        assert f["grid_fits"] == 12 * 3 + 1, seed


def test_the_dockerfile_check_in_the_lesson_passes(runs):
    for seed, f in runs.items():
        assert f["dockerfile_matches_lock"] is True, seed


# ----------------------------------------------------------------------------- structure


def _cells():
    return nbformat.read(NOTEBOOKS_DIR / f"{NAME}.ipynb", as_version=4).cells


def test_parameters_and_setup():
    cells = _cells()
    tree = ast.parse(cells[1].source)
    values = {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body}
    assert values["PROFILE"] == "full" and values["SEED"] == 42 and values["UPDATE_GOLDEN"] is False
    assert values["DATABASE_URL"] == ""
    assert f'fl.setup("{NAME}", profile=PROFILE, seed=SEED)' in cells[2].source


def test_the_lesson_shows_the_calls_it_teaches():
    code = "\n".join(c.source for c in _cells() if c.cell_type == "code")
    for call in ("KMeans(", "ColumnTransformer(", "DateTimeFeatures()", "HalvingGridSearchCV(", "StratifiedGroupKFold(",
                 "TunedThresholdClassifierCV(", "FixedThresholdClassifier(", "persistence.save_model(",
                 "persistence.load_model(", "golden.check_golden_set(", "tracking.log_predictions(", "tracking.backtest(",
                 "cross_val_predict(", "TargetEncoder(", "ImbPipeline(", "threadpool_limits("):
        assert call in code, call


def test_exercises_leaky_cells_and_takeaways():
    cells = _cells()
    solutions = [c for c in cells if "solution" in c.metadata.get("tags", [])]
    checks = [c for c in cells if c.cell_type == "code" and "fl.check(" in c.source]
    assert len(solutions) >= 2 and len(checks) >= len(solutions)
    leaky = [c for c in cells if "leaky-demo" in c.metadata.get("tags", [])]
    assert leaky and all(c.source.startswith("# LEAKY DEMO") for c in leaky)
    assert any(c.cell_type == "markdown" and c.source.strip() == "## Key takeaways" for c in cells)
    assert "Markdown(" in cells[-1].source
