"""Unit tests of forge_lessons.cv: fold audits, pictures, repeated splits, small-data study, validators."""

import warnings

import matplotlib

matplotlib.use("Agg")  # in-process only; never exported to notebook kernels

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import (
    GroupKFold,
    GroupShuffleSplit,
    KFold,
    LeaveOneOut,
    RepeatedStratifiedKFold,
    StratifiedGroupKFold,
    StratifiedKFold,
    TimeSeriesSplit,
    train_test_split,
)

from forge_lessons import cv


@pytest.fixture(scope="module")
def imbalanced():
    """200 rows, 10 positives, 40 groups of 5 rows, in time order (one row per day)."""
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"x": rng.normal(size=200)})
    y = np.zeros(200, dtype=int)
    y[rng.choice(200, 10, replace=False)] = 1
    groups = np.repeat(np.arange(40), 5)
    rng.shuffle(groups)
    times = pd.date_range("2025-01-01", periods=200, freq="D")
    return X, y, groups, times


@pytest.fixture(scope="module")
def separable():
    X, y = make_classification(n_samples=300, n_features=5, n_informative=3, random_state=0)
    return X, y


# --------------------------------------------------------------------------- minority_per_fold


def test_minority_per_fold_counts_the_rare_class_in_each_test_fold(imbalanced):
    X, y, _, _ = imbalanced
    table = cv.minority_per_fold(StratifiedKFold(5, shuffle=True, random_state=0), X, y)
    assert list(table.index) == [1, 2, 3, 4, 5]
    assert table["test_minority"].tolist() == [2, 2, 2, 2, 2]
    assert (table["train_minority"] == 8).all()
    assert table["test_rows"].sum() == 200
    assert table["test_minority_share"].iloc[0] == pytest.approx(2 / 40)


def test_minority_per_fold_shows_kfold_on_sorted_labels_emptying_folds(imbalanced):
    X, y, _, _ = imbalanced
    order = np.argsort(y, kind="stable")
    table = cv.minority_per_fold(KFold(5), X.iloc[order], y[order])
    assert table["test_minority"].tolist() == [0, 0, 0, 0, 10]


def test_minority_is_the_least_frequent_label_even_when_it_is_zero():
    y = np.array([0, 0, 1, 1, 1, 1, 1, 1])
    table = cv.minority_per_fold(KFold(2), np.zeros((8, 1)), y)
    assert table["test_minority"].tolist() == [2, 0]


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"y": np.zeros(199)}, ValueError, "199 labels but X has 200 rows"),
        ({"y": np.zeros((200, 2))}, ValueError, "one-dimensional"),
        ({"y": np.zeros(200)}, ValueError, "at least two classes"),
        ({"y": None}, ValueError, "y is required"),
        ({"cv": KFold}, TypeError, "add parentheses"),
        ({"cv": 5}, TypeError, "split() and get_n_splits()"),
        ({"X": "not a table"}, TypeError, "array-like of rows"),
    ],
)
def test_minority_per_fold_rejects_bad_input_clearly(imbalanced, kwargs, error, message):
    X, y, _, _ = imbalanced
    arguments = {"cv": KFold(5), "X": X, "y": y, **kwargs}
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        cv.minority_per_fold(**arguments)


def test_a_splitter_that_cannot_split_says_which_one(imbalanced):
    X, y, _, _ = imbalanced
    with pytest.raises(ValueError, match="KFold could not split"):
        cv.minority_per_fold(KFold(500), X, y)


# --------------------------------------------------------------------------- group_overlap


def test_group_overlap_is_zero_for_group_splitters_and_large_for_kfold(imbalanced):
    X, y, groups, _ = imbalanced
    grouped = cv.group_overlap(GroupKFold(5), X, y, groups)
    assert (grouped["shared_groups"] == 0).all() and (grouped["shared_row_share"] == 0).all()
    shuffled = cv.group_overlap(KFold(5, shuffle=True, random_state=0), X, y, groups)
    assert shuffled["shared_row_share"].mean() > 0.5
    assert (shuffled["shared_groups"] <= shuffled["test_groups"]).all()


def test_group_overlap_needs_groups_and_passes_them_without_warnings(imbalanced):
    X, y, groups, _ = imbalanced
    with pytest.raises(ValueError, match="groups is required"):
        cv.group_overlap(KFold(5), X, y)
    with pytest.raises(ValueError, match="one group label per row"):
        cv.group_overlap(KFold(5), X, y, groups[:-1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # KFold would warn that it ignores groups
        cv.group_overlap(KFold(5), X, y, groups)


# --------------------------------------------------------------------------- repeated_split_scores


def test_repeated_split_scores_repeats_train_test_split_with_successive_seeds(separable):
    X, y = separable
    model = LogisticRegression()
    scores = cv.repeated_split_scores(model, X, y, n_repeats=5, test_size=0.25, random_state=3)
    assert scores.shape == (5,)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=4)
    by_hand = roc_auc_score(y_test, LogisticRegression().fit(X_train, y_train).predict_proba(X_test)[:, 1])
    assert scores[1] == pytest.approx(by_hand)
    assert np.ptp(scores) > 0, "different splits give different scores"
    again = cv.repeated_split_scores(model, X, y, n_repeats=5, test_size=0.25, random_state=3, n_jobs=2)
    np.testing.assert_allclose(scores, again)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_repeats": 1}, "n_repeats must be an integer >= 2"),
        ({"test_size": 1.5}, "test_size must be a share"),
        ({"test_size": 0}, "test_size must be a share"),
        ({"random_state": None}, "random_state must be an integer"),
    ],
)
def test_repeated_split_scores_rejects_bad_parameters(separable, kwargs, message):
    X, y = separable
    with pytest.raises(ValueError, match=message):
        cv.repeated_split_scores(LogisticRegression(), X, y, **kwargs)


# --------------------------------------------------------------------------- describe_scores


def test_describe_scores_reports_mean_sd_folds_repeats_and_range():
    text = cv.describe_scores([0.70, 0.80, 0.75, 0.85], n_repeats=2)
    assert text == "0.775 ± 0.065 (mean ± sd over 2 folds × 2 repeats; range 0.700–0.850)"
    assert "5 folds × 1 repeat;" in cv.describe_scores(np.linspace(0.7, 0.8, 5))


@pytest.mark.parametrize(
    "scores, kwargs, message",
    [
        ([0.8], {}, "at least two fold scores"),
        ([0.8, np.nan, 0.7], {}, "a fold failed"),
        ([0.8, 0.7, 0.6], {"n_repeats": 2}, "cannot come from 2 repeats"),
        ([0.8, 0.7, 0.6, 0.5], {"n_splits": 3}, "do not match 3 folds"),
    ],
)
def test_describe_scores_rejects_scores_that_do_not_fit(scores, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cv.describe_scores(scores, **kwargs)


# --------------------------------------------------------------------------- bootstrap_interval


def test_bootstrap_interval_brackets_the_score_and_is_reproducible():
    rng = np.random.default_rng(1)
    y = np.r_[np.zeros(300, dtype=int), np.ones(30, dtype=int)]
    scores = rng.normal(size=330) + y
    low, high = cv.bootstrap_interval(y, scores, n_resamples=200, random_state=0)
    assert low < roc_auc_score(y, scores) < high
    assert (low, high) == cv.bootstrap_interval(y, scores, n_resamples=200, random_state=0)
    assert cv.bootstrap_interval(y, y.astype(float), n_resamples=20) == (1.0, 1.0)


def test_bootstrap_interval_rejects_bad_input():
    with pytest.raises(ValueError, match="both classes"):
        cv.bootstrap_interval(np.zeros(10), np.arange(10.0))
    with pytest.raises(ValueError, match="equal length"):
        cv.bootstrap_interval(np.r_[0, 1, 1], np.arange(2.0))
    with pytest.raises(ValueError, match="level"):
        cv.bootstrap_interval(np.r_[0, 1], np.r_[0.1, 0.9], level=1.5)


# --------------------------------------------------------------------------- small-data study


def test_small_sample_study_measures_each_splitter_against_the_same_truth(separable):
    X, y = separable
    splitters = {"LOO": LeaveOneOut(), "RSKF": RepeatedStratifiedKFold(n_splits=3, n_repeats=2, random_state=0)}
    study = cv.small_sample_study(LogisticRegression(), X, y, splitters=splitters, sample_size=20, n_draws=3,
                                  random_state=0)
    assert list(study.columns) == ["draw", "splitter", "estimate", "truth", "error", "fits", "seconds"]
    assert len(study) == 6
    assert study.groupby("draw")["truth"].nunique().eq(1).all(), "one truth per draw, shared by the splitters"
    assert study.loc[study["splitter"] == "LOO", "fits"].eq(20).all()
    assert study.loc[study["splitter"] == "RSKF", "fits"].eq(6).all()
    np.testing.assert_allclose(study["error"], study["estimate"] - study["truth"])
    parallel = cv.small_sample_study(LogisticRegression(), X, y, splitters=splitters, sample_size=20, n_draws=3,
                                     random_state=0, n_jobs=2)
    pd.testing.assert_frame_equal(study.drop(columns="seconds"), parallel.drop(columns="seconds"))

    summary = cv.small_sample_summary(study)
    assert list(summary.index) == ["LOO", "RSKF"]
    assert list(summary.columns) == ["bias", "sd_estimate", "rmse", "fits", "seconds"]
    loo = study[study["splitter"] == "LOO"]
    assert summary.loc["LOO", "bias"] == pytest.approx(loo["error"].mean())
    assert summary.loc["LOO", "rmse"] == pytest.approx(np.sqrt((loo["error"] ** 2).mean()))


def test_rmse_difference_is_paired_and_reproducible():
    # draw 0: errors 0.1 / 0.2, draw 1: 0.3 / 0.1, draw 2: -0.2 / 0.0
    study = pd.DataFrame({
        "draw": [0, 0, 1, 1, 2, 2],
        "splitter": ["A", "B"] * 3,
        "error": [0.1, 0.2, 0.3, 0.1, -0.2, 0.0],
    })
    difference, se = cv.rmse_difference(study, "A", "B", n_boot=200, random_state=1)
    rmse = lambda e: np.sqrt(np.mean(np.square(e)))  # noqa: E731
    assert difference == pytest.approx(rmse([0.1, 0.3, -0.2]) - rmse([0.2, 0.1, 0.0]))
    assert se > 0
    assert (difference, se) == cv.rmse_difference(study, "A", "B", n_boot=200, random_state=1)
    same, same_se = cv.rmse_difference(study, "A", "A", n_boot=50)
    assert same == 0 and same_se == 0  # paired: a splitter against itself never differs
    with pytest.raises(ValueError, match="no splitter 'C' in the study; found \\['A', 'B'\\]"):
        cv.rmse_difference(study, "A", "C")
    with pytest.raises(ValueError, match="n_boot must be an integer >= 2"):
        cv.rmse_difference(study, "A", "B", n_boot=1)
    with pytest.raises(ValueError, match="study must be the DataFrame"):
        cv.rmse_difference(study.drop(columns="draw"), "A", "B")


def test_small_sample_study_rejects_bad_input(separable):
    X, y = separable
    splitters = {"LOO": LeaveOneOut()}
    with pytest.raises(ValueError, match="smaller than the 300 rows"):
        cv.small_sample_study(LogisticRegression(), X, y, splitters=splitters, sample_size=300, n_draws=1)
    with pytest.raises(TypeError, match="classifier"):
        cv.small_sample_study(LinearRegression(), X, y, splitters=splitters, sample_size=20, n_draws=1)
    with pytest.raises(TypeError, match="add parentheses"):
        cv.small_sample_study(LogisticRegression(), X, y, splitters={"LOO": LeaveOneOut}, sample_size=20, n_draws=1)
    with pytest.raises(ValueError, match="study must be the DataFrame"):
        cv.small_sample_summary(pd.DataFrame({"a": [1]}))


# --------------------------------------------------------------------------- toy data and pictures


def test_toy_data_is_small_time_ordered_and_reproducible():
    X, y, groups = cv.toy_data(40, minority_share=0.2, n_groups=8, random_state=0)
    assert X["day"].tolist() == list(range(40))
    assert y.sum() == 8 and set(np.unique(groups)) == set(range(1, 9))
    X2, y2, groups2 = cv.toy_data(40, minority_share=0.2, n_groups=8, random_state=0)
    assert np.array_equal(y, y2) and np.array_equal(groups, groups2)
    with pytest.raises(ValueError, match="minority_share"):
        cv.toy_data(40, minority_share=0.7)
    with pytest.raises(ValueError, match="n_groups must not exceed"):
        cv.toy_data(10, n_groups=11)


def test_plot_cv_indices_draws_one_band_per_split_plus_class_and_group():
    X, y, groups = cv.toy_data(20, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = cv.plot_cv_indices(KFold(4), X, y, groups)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["1", "2", "3", "4", "class", "group"]
    assert ax.get_title() == "KFold(n_splits=4, random_state=None, shuffle=False)"
    assert ax.get_xlabel() and ax.get_ylabel()
    plt.close(ax.figure)
    ax = cv.plot_cv_indices(TimeSeriesSplit(3), X, y, title="time")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["1", "2", "3", "class"]
    assert ax.get_title() == "time"
    plt.close(ax.figure)


def test_plot_cv_indices_draws_a_panel_whose_rows_hold_one_class():
    X, y, groups = cv.toy_data(20, random_state=0)
    y = np.zeros_like(y)
    ax = cv.plot_cv_indices(LeaveOneOut(), X.iloc[:5], y[:5], groups[:5])
    assert len(ax.get_yticklabels()) == 5 + 2
    plt.close(ax.figure)


def test_plot_splitters_makes_one_panel_per_splitter_and_a_legend():
    X, y, groups = cv.toy_data(24, random_state=0)
    splitters = {"KFold": KFold(3), "groups": StratifiedGroupKFold(3), "LOO": LeaveOneOut()}
    fig = cv.plot_splitters(splitters, X, y, groups, ncols=2, n_rows={"LOO": 6})
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == ["KFold", "groups", "LOO"]
    assert len(visible[2].get_yticklabels()) == 6 + 2
    assert len(fig.legends) == 1
    plt.close(fig)
    with pytest.raises(ValueError, match="not in splitters"):
        cv.plot_splitters(splitters, X, y, groups, n_rows={"loo": 6})
    with pytest.raises(TypeError, match="non-empty dict"):
        cv.plot_splitters([], X, y)


# --------------------------------------------------------------------------- exercise validators


def test_check_splitter_choices_accepts_classes_instances_and_names():
    assert cv.check_splitter_choices(
        {"a": TimeSeriesSplit, "b": StratifiedGroupKFold, "c": RepeatedStratifiedKFold}) is None
    assert cv.check_splitter_choices(
        {"A": TimeSeriesSplit(5), "b": StratifiedGroupKFold(5), "c": "RepeatedStratifiedKFold"}) is None


def test_check_splitter_choices_says_what_is_wrong():
    wrong = cv.check_splitter_choices({"a": KFold, "b": GroupKFold, "c": RepeatedStratifiedKFold})
    assert "scenario a: KFold" in wrong and "scenario b: GroupKFold" in wrong and "scenario c" not in wrong
    assert "no splitter" in cv.check_splitter_choices({"a": TimeSeriesSplit})
    assert "dict" in cv.check_splitter_choices([TimeSeriesSplit])
    assert "not a scikit-learn splitter" in cv.check_splitter_choices(
        {"a": "ShuffleTheRows", "b": StratifiedGroupKFold, "c": RepeatedStratifiedKFold})


def test_group_split_validator_measures_overlap_and_empty_folds(imbalanced):
    X, y, groups, _ = imbalanced
    validate = cv.make_group_split_validator(X, y, groups, min_splits=3)
    assert validate(StratifiedGroupKFold(5, shuffle=True, random_state=0)) is None
    assert "on both sides" in validate(KFold(5, shuffle=True, random_state=0))
    assert "at least 3" in validate(StratifiedGroupKFold(2))
    assert "add parentheses" in validate(StratifiedGroupKFold)
    assert "tested exactly once" in validate(GroupShuffleSplit(n_splits=3, test_size=0.3, random_state=0))


def test_group_split_validator_catches_a_test_fold_without_positives():
    groups = np.array([1, 1, 2, 3, 3, 3, 4, 4, 4, 4, 5, 5])
    y = np.zeros(12, dtype=int)
    y[[2, 3]] = 1  # customers 2 and 3, which GroupKFold(2) puts in the same test fold
    validate = cv.make_group_split_validator(np.zeros((12, 1)), y, groups, min_splits=2)
    assert "hold no positive" in validate(GroupKFold(2))
    assert validate(StratifiedGroupKFold(2)) is None


def test_time_gap_validator_measures_the_gap_in_time(imbalanced):
    X, _, _, times = imbalanced  # one row per day
    validate = cv.make_time_gap_validator(times, n_splits=5, min_gap="7D")
    assert validate(TimeSeriesSplit(n_splits=5, gap=7)) is None
    assert "only 1 day(s)" in validate(TimeSeriesSplit(n_splits=5))
    assert "see the future" in validate(KFold(5, shuffle=True, random_state=0))
    assert "asks for 5" in validate(TimeSeriesSplit(n_splits=4, gap=7))
    with pytest.raises(ValueError, match="sorted"):
        cv.make_time_gap_validator(times[::-1], n_splits=5, min_gap="7D")
