"""Lesson 01 (the estimator contract): quick-profile execution for two seeds, claims on the recorded figures."""

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
    assert figures["roc_auc_spread"] > 0.2
    assert figures["roc_auc_spread"] > 20 * figures["accuracy_spread"]


def test_calibration_gives_probabilities_without_reordering(figures):
    # Prose: the sigmoid keeps the SVC's ranking (same ROC AUC) and the mean probability is close
    # to the training fraud share it was calibrated on.
    assert figures["calibrated_svc_roc_auc"] == pytest.approx(figures["roc_auc_svc"], abs=1e-6)
    assert abs(figures["calibrated_svc_mean_proba"] - figures["train_fraud_rate"]) <= 0.25 * figures["train_fraud_rate"]


def test_night_is_riskier_and_date_features_help(figures):
    assert figures["night_fraud_rate"] > 2 * figures["day_fraud_rate"]
    assert figures["is_night_coefficient"] > 0
    assert figures["date_features_gain"] > 0.005  # prose says "improves" above this margin
    assert figures["roc_auc_with_dates"] == pytest.approx(
        figures["roc_auc_without_dates"] + figures["date_features_gain"]
    )


def test_fit_on_all_rows_changes_stored_statistics(figures):
    assert figures["scaler_mean_shift_max_pct"] > 0.5


def test_no_unseen_categories_in_production(figures):
    # The prose branches on this; with the shipped data it says "None here".
    assert figures["unseen_categories_in_production"] == 0


# The student version (solutions stubbed) is executed for every lesson by tests/test_student.py.
