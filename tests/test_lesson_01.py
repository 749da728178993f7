"""Lesson 01 (the estimator contract): quick-profile execution for two seeds, claims on the recorded figures."""

import math

import pytest


NAME = "01_estimator_contract"
SEEDS = [42, 7]
MODELS = {"dummy", "logistic_regression", "random_forest", "hist_gradient_boosting", "k_nearest_neighbors", "svc"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=SEEDS, ids=[f"seed{s}" for s in SEEDS])
def figures(request, run_lesson):
    return run_lesson(NAME, profile="quick", seed=request.param)


def test_issue_figures_are_recorded_with_their_types(figures):
    assert isinstance(figures["check_estimator_passed"], bool)
    assert isinstance(figures["models_compared"], int)
    assert isinstance(figures["models_with_predict_proba"], int)
    assert isinstance(figures["best_model_name"], str)
    assert isinstance(figures["best_model_score"], float)


def test_custom_transformer_passes_check_estimator(figures):
    assert figures["check_estimator_passed"] is True
    assert figures["checks_failed"] == 0
    assert figures["checks_passed"] >= 40


def test_model_comparison(figures):
    # The issue asks for four or more classifiers; the table has six, the dummy included.
    assert figures["models_compared"] == len(MODELS)
    assert figures["models_with_predict_proba"] == figures["models_compared"] - 1  # only SVC lacks it
    assert figures["svc_has_predict_proba"] is False
    assert figures["calibrated_svc_has_predict_proba"] is True
    scores = {name: figures[f"roc_auc_{name}"] for name in MODELS}
    assert figures["best_model_name"] == max(scores, key=scores.get)
    assert figures["best_model_name"] != "dummy"
    assert figures["best_model_score"] == pytest.approx(max(scores.values()))
    assert figures["roc_auc_dummy"] == pytest.approx(0.5)
    assert figures["best_model_score"] > 0.7  # clearly better than chance on the held-out quarter


def test_accuracy_cannot_rank_the_models(figures):
    # Prose: accuracies all lie within a hair of the dummy's; ROC AUC spreads widely.
    assert figures["dummy_accuracy"] == pytest.approx(1 - figures["test_fraud_rate"], abs=1e-3)
    assert figures["accuracy_spread"] < 0.01
    assert figures["accuracy_spread_rows"] == round(figures["accuracy_spread"] * figures["test_rows"])
    assert figures["roc_auc_spread"] > 0.2
    assert figures["roc_auc_spread"] > 20 * figures["accuracy_spread"]


def test_calibration_gives_probabilities_without_reordering(figures):
    # Prose: the sigmoid keeps the SVC's ranking (same ROC AUC) and the mean probability is close
    # to the training fraud share it was calibrated on.
    assert figures["calibrated_svc_roc_auc"] == pytest.approx(figures["roc_auc_svc"], abs=1e-6)
    assert abs(figures["calibrated_svc_mean_proba"] - figures["train_fraud_rate"]) <= 0.25 * figures["train_fraud_rate"]


def _reading(low, high):
    return "above 0" if low > 0 else "below 0" if high < 0 else "within noise"


def test_best_versus_runner_up_is_judged_by_the_bootstrap(figures):
    # Prose: "`best` beats `runner_up` by X; in 90 % of the redraws the gap lies between low and high",
    # then a verdict read off that interval.
    best, runner_up = figures["best_model_name"], figures["runner_up_model_name"]
    assert runner_up not in {best, "dummy"}
    scores = {name: figures[f"roc_auc_{name}"] for name in MODELS}
    assert scores[runner_up] == max(v for k, v in scores.items() if k != best)
    assert figures["best_minus_runner_up"] == pytest.approx(scores[best] - scores[runner_up], abs=1e-9)
    low, high = figures["best_minus_runner_up_low"], figures["best_minus_runner_up_high"]
    assert low < high
    assert figures["best_minus_runner_up_reading"] == _reading(low, high)


def test_night_is_riskier_but_rare(figures):
    # Prose: night is N times riskier, yet holds few transactions and a minority of the frauds.
    assert figures["night_fraud_rate"] > 2 * figures["day_fraud_rate"]
    assert figures["night_share_of_frauds"] > figures["night_share_of_rows"]
    assert figures["night_share_of_rows"] < 0.15
    assert figures["night_share_of_frauds"] < 0.5  # "most frauds happen by day"
    assert figures["is_night_coefficient"] > 0


def test_date_feature_gain_verdict_matches_its_interval(figures):
    assert figures["roc_auc_with_dates"] == pytest.approx(
        figures["roc_auc_without_dates"] + figures["date_features_gain"]
    )
    low, high = figures["date_features_gain_low"], figures["date_features_gain_high"]
    assert low < high
    assert figures["date_features_gain_reading"] == _reading(low, high)
    # The data carry a real night effect, so the gain should not be clearly negative.
    assert figures["date_features_gain_reading"] != "below 0"


def test_fit_on_all_rows_changes_stored_statistics(figures):
    assert figures["scaler_mean_shift_max_pct"] > 0.5


def test_no_unseen_categories_in_production(figures):
    # The prose branches on this; with the shipped data it says "None here".
    assert figures["unseen_categories_in_production"] == 0


# The student version (solutions stubbed) is executed for every lesson by tests/test_student.py.


def test_notebook_lints_clean():
    # The model comparison scores six models on one test quarter; the lesson says the winner's score is
    # optimistic and marks that line `# leakage-ok: multi-test`. Anything else the course's lint finds fails.
    from forge_lessons import lint
    from forge_lessons.course import NOTEBOOKS_DIR

    result = lint.lint_file(NOTEBOOKS_DIR / f"{NAME}.ipynb")
    assert result.error is None
    assert [f.format() for f in result.findings if not f.expected] == []


def test_runner_up_share_matches_the_interval_reading(figures):
    # Prose: the runner-up comes out ahead or level in X % of redraws, "at least" / "fewer than" the 5 %
    # a 90 % interval leaves on each side, hence the interval contains 0 / lies above 0.
    share = figures["runner_up_share_not_behind"]
    assert 0 <= share <= 1
    if figures["best_minus_runner_up_reading"] == "within noise":
        assert share >= 0.045
    else:
        assert figures["best_minus_runner_up_reading"] == "above 0"
        assert share < 0.055


def test_night_counts_match_the_rates(figures):
    # Prose: "N frauds in M night rows (x %) against n in m (y %): r times higher"; single-hour bars hold
    # few frauds each, so the night block is the thing to read.
    assert figures["night_fraud_rate"] == pytest.approx(figures["night_frauds"] / figures["night_rows"])
    assert figures["day_fraud_rate"] == pytest.approx(figures["day_frauds"] / figures["day_rows"])
    assert figures["night_rows"] + figures["day_rows"] == figures["train_rows"]
    assert 0 <= figures["hour_frauds_min"] <= figures["hour_frauds_max"]
    assert figures["hour_frauds_max"] < figures["night_frauds"]


def test_night_coefficient_per_unit_of_the_flag(figures):
    # Prose: the table's coefficient is per SD of the 0/1 flag (SD <= 0.5); per unit it is larger, and
    # exp(per unit) is the odds multiplier.
    per_unit = figures["is_night_log_odds_per_unit"]
    assert per_unit > 0
    assert per_unit >= 2 * figures["is_night_coefficient"]
    assert figures["is_night_odds_ratio"] == pytest.approx(math.exp(per_unit))
    assert figures["is_night_odds_ratio"] > 1


def test_odd_rows_effects_are_scored_separately(figures):
    before = figures["odd_moved_proba_before"]
    channel = abs(figures["odd_moved_proba_channel_only"] - before)
    timestamp = abs(figures["odd_moved_proba_timestamp_only"] - before)
    assert figures["odd_moved_proba_after"] != pytest.approx(before, abs=1e-9)
    cause = figures["odd_moved_main_cause"]
    if cause == "channel":
        assert channel > 3 * timestamp
    elif cause == "timestamp":
        assert timestamp > 3 * channel
    else:
        assert cause == "both" and channel <= 3 * timestamp and timestamp <= 3 * channel
