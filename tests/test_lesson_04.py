"""Lesson 04 (cross-validation strategies): execution and the claims its prose makes.

The quick profile runs for two seeds and checks the claims that hold on 30 % of
the customers for (nearly) every seed. The comparisons that need the full data
are checked once on the full profile: on the quick profile the production
quarter holds only a few dozen frauds, so its own score is too noisy to rank two
estimates that differ by a few hundredths ("the time-aware estimate is closer to
production", "KFold is above GroupKFold", "AP rises with the frauds in a fold").
"""

import pytest

from forge_lessons.course import NOTEBOOKS_DIR

NAME = "04_cross_validation_strategies"
ISSUE_FIGURES = [
    "single_split_score_min",
    "single_split_score_max",
    "kfold_min_minority_per_fold",
    "stratified_min_minority_per_fold",
    "kfold_group_estimate",
    "groupkfold_estimate",
    "new_customer_score",
    "shuffled_time_estimate",
    "timeseries_estimate",
    "production_score",
]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=[42, 7], ids=lambda seed: f"seed{seed}")
def figures(request, run_lesson):
    return run_lesson(NAME, profile="quick", seed=request.param)


def test_notebook_exists():
    assert (NOTEBOOKS_DIR / f"{NAME}.ipynb").exists()


def test_records_every_figure_the_issue_lists(figures):
    missing = [name for name in ISSUE_FIGURES if name not in figures]
    assert not missing, f"not recorded: {missing}"
    for name in ISSUE_FIGURES:
        assert isinstance(figures[name], (int, float)) and not isinstance(figures[name], bool), name


def test_one_split_lies(figures):
    """Section 1: the same model's single-split score varies a lot; the k-fold mean barely moves on re-cutting."""
    spread = figures["single_split_score_max"] - figures["single_split_score_min"]
    assert spread > 0.05
    assert figures["single_split_score_min"] < figures["cv_mean"] < figures["single_split_score_max"]
    assert figures["repeat_mean_range"] < spread / 2


def test_stratification_never_leaves_a_fold_without_frauds(figures):
    """Section 3: stratified folds always hold frauds (up to as many folds as frauds); plain KFold does not."""
    assert figures["stratified_folds_without_fraud"] == 0
    assert figures["stratified_min_minority_per_fold"] >= 1
    assert figures["stratified_min_minority_per_fold"] > figures["kfold_min_minority_per_fold"]
    assert figures["kfold_folds_without_fraud"] >= 1  # with as many folds as frauds, about a third stay empty
    assert figures["kfold_folds_without_fraud_one_per_fraud"] >= 1


def test_stratified_counts_are_even_and_plain_ones_are_not(figures):
    """Section 3 and takeaways: stratified folds differ by at most one fraud; plain KFold's counts spread wider."""
    assert figures["stratified_max_minority_per_fold"] - figures["stratified_min_minority_per_fold"] <= 1
    assert (figures["kfold_max_minority_per_fold"] - figures["kfold_min_minority_per_fold"]
            > figures["stratified_max_minority_per_fold"] - figures["stratified_min_minority_per_fold"])
    assert figures["ap_sd_difference_se"] > 0


def test_kfold_on_label_sorted_rows_gives_empty_and_failed_folds(figures):
    """Section 4: sorted by label, all but the last test fold lack frauds and the last fold cannot be fitted."""
    assert figures["sorted_folds_without_fraud"] == 4
    assert figures["sorted_failed_folds"] == 1


def test_grouped_estimate_is_below_kfold_and_closer_to_new_customers(figures):
    """Section 5: KFold shares customers between train and test and is optimistic; GroupKFold is closer."""
    assert figures["kfold_shared_row_share"] > 0.5
    assert figures["groupkfold_closer_to_new_customers"] is True
    assert abs(figures["groupkfold_estimate"] - figures["new_customer_score"]) < abs(
        figures["kfold_group_estimate"] - figures["new_customer_score"])


def test_time_aware_estimate_is_below_shuffled_folds(figures):
    """Section 6: training on the past to test the future gives a lower, more honest estimate."""
    assert figures["timeseries_estimate"] < figures["shuffled_time_estimate"]
    assert figures["production_score"] < figures["shuffled_time_estimate"]
    assert figures["production_score_low"] <= figures["production_score"] <= figures["production_score_high"]


def test_leave_one_out_is_not_more_accurate_than_repeated_kfold(figures):
    """Section 7: on small samples LOO's error against the truth is not measurably smaller than repeated k-fold's."""
    assert abs(figures["loo_bias"]) < 0.05 and abs(figures["rskf_bias"]) < 0.05
    # the verdict the guide and the takeaways print: LOO is not more accurate beyond the paired-bootstrap noise
    assert figures["loo_rmse_difference_se"] > 0
    assert figures["loo_clearly_more_accurate"] is False
    assert abs(figures["loo_rmse_difference"] - (figures["loo_rmse"] - figures["rskf_rmse"])) < 1e-9


def test_full_profile_claims(run_lesson):
    """The comparisons with production, on the full data (one execution, seed 42)."""
    figures = run_lesson(NAME, profile="full", seed=42)
    assert figures["dev_frauds"] > 150
    # Section 3: AP rises with the frauds in an unstratified fold; plain KFold varies by many frauds per fold.
    assert figures["ap_fraud_count_correlation"] > 0
    assert figures["stratified_min_minority_per_fold"] - figures["kfold_min_minority_per_fold"] >= 5
    # Section 5: KFold is optimistic, the grouped estimate is closer to new customers, and the duplicates
    # explain KFold's optimism (without them the two splitters agree).
    assert figures["kfold_group_estimate"] > figures["groupkfold_estimate"] + 0.01
    assert figures["groupkfold_closer_to_new_customers"] is True
    assert figures["kfold_dedup_estimate"] < figures["kfold_group_estimate"] - 0.01
    assert abs(figures["kfold_dedup_estimate"] - figures["groupkfold_dedup_estimate"]) < 0.02
    assert abs(figures["kfold_dedup_estimate"] - figures["groupkfold_dedup_estimate"]) < figures["dedup_fold_sd"]
    # Section 3: at 5 folds the AP spread is the same with and without stratification, within noise.
    assert figures["ap_sd_same_within_noise"] is True
    # Section 7: one stratified 5-fold is as accurate against the truth as 25 fits; LOO is not more accurate.
    assert figures["skf_as_accurate_as_rskf"] is True
    assert figures["loo_clearly_more_accurate"] is False
    # Section 6: the time-aware estimate is closer to production, and production lies below it (2026 drift).
    assert figures["timeseries_closer_to_production"] is True
    assert figures["drift_gap"] > 0
    assert figures["timeseries_sd"] > 0
