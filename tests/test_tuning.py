"""Unit tests of forge_lessons.tuning (lesson 05's plumbing)."""

import threading
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from scipy.stats import loguniform
from sklearn.compose import ColumnTransformer
from sklearn.datasets import make_classification
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, StratifiedGroupKFold, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from forge_lessons import tuning

# The fail-fast tests check that a bad address or a silent server does not hang (the operating
# system's own connect timeout is about two minutes; a silent server waits forever). The bound is
# loose because the test suite shares two cores with notebook executions.
NO_HANG_SECONDS = 30


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(n_samples=240, n_features=5, weights=[0.8], random_state=0)
    return X[:180], y[:180], X[180:], y[180:]


@pytest.fixture(scope="module")
def grid(data):
    X, y, _, _ = data
    search = GridSearchCV(LogisticRegression(), {"C": [0.01, 1.0], "fit_intercept": [True, False]}, cv=3,
                          scoring="roc_auc")
    return search.fit(X, y)


@pytest.fixture(scope="module")
def random_search(data):
    X, y, _, _ = data
    search = RandomizedSearchCV(LogisticRegression(), {"C": loguniform(1e-3, 1e2)}, n_iter=12, cv=3,
                                scoring="roc_auc", random_state=0)
    return search.fit(X, y)


# ------------------------------------------------------------------ counting
def test_count_fits_multiplies_values_and_folds():
    grid = {"a": [1, 2, 3], "b": [1, 2]}
    assert tuning.count_fits(grid, 5) == 31
    assert tuning.count_fits(grid, 5, refit=False) == 30
    assert tuning.count_fits([grid, {"a": [9]}], 2) == 15


@pytest.mark.parametrize("n_splits", [1, 0, 2.5, True, "5"])
def test_count_fits_rejects_bad_folds(n_splits):
    with pytest.raises(ValueError, match="n_splits must be an integer of at least 2"):
        tuning.count_fits({"a": [1]}, n_splits)


def test_count_fits_rejects_non_grid():
    with pytest.raises(TypeError, match="param_grid must be a dict"):
        tuning.count_fits("C=1", 3)


def test_n_fits_and_compute_seconds(grid):
    assert tuning.n_fits(grid) == 4 * 3 + 1
    assert tuning.n_fits(grid) == tuning.count_fits(grid.param_grid, 3)
    assert tuning.compute_seconds(grid) > 0


def test_unfitted_search_is_refused():
    with pytest.raises(ValueError, match="expected a fitted search"):
        tuning.compute_seconds(GridSearchCV(LogisticRegression(), {"C": [1.0]}))


def test_warm_up_workers():
    assert tuning.warm_up_workers(1) == 1
    assert 1 <= tuning.warm_up_workers(2) <= 2
    with pytest.raises(ValueError, match="n_jobs must be a positive integer or -1"):
        tuning.warm_up_workers(0)


def test_stopwatch_measures():
    with tuning.Stopwatch() as watch:
        time.sleep(0.01)
    assert watch.seconds >= 0.009


# ------------------------------------------------------------------ tables
def test_results_table_is_sorted_short_and_rounded(grid):
    table = tuning.results_table(grid)
    assert list(table.columns[:2]) == ["C", "fit_intercept"]
    assert list(table["rank_test_score"]) == sorted(table["rank_test_score"])
    assert (table["mean_test_score"] == table["mean_test_score"].round(3)).all()
    assert len(tuning.results_table(grid, top=2)) == 2
    assert not any("time" in column for column in table.columns)


def test_results_table_errors(grid):
    with pytest.raises(ValueError, match="top must be a positive integer"):
        tuning.results_table(grid, top=0)
    with pytest.raises(ValueError, match="return_train_score=True"):
        tuning.results_table(grid, train=True)


def test_results_table_multimetric(data):
    X, y, _, _ = data
    search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=3, return_train_score=True,
                          scoring={"auc": "roc_auc", "ap": "average_precision"}, refit="ap").fit(X, y)
    table = tuning.results_table(search, train=True)
    assert {"mean_test_ap", "mean_train_ap", "rank_test_ap"} <= set(table.columns)


def test_search_summary(grid, data):
    _, _, X_test, y_test = data
    row = tuning.search_summary(grid, X_test, y_test, method="grid", seconds=1.5)
    assert row["method"] == "grid" and row["candidates"] == 4 and row["fits"] == 13
    assert row["best_cv"] == pytest.approx(grid.best_score_)
    assert row["test_score"] == pytest.approx(grid.score(X_test, y_test))
    assert row["seconds"] == 1.5 and row["compute_seconds"] > 0


def test_search_summary_errors(grid, data):
    _, _, X_test, y_test = data
    with pytest.raises(ValueError, match="rows"):
        tuning.search_summary(grid, X_test, y_test[:-1], method="grid", seconds=1.0)
    with pytest.raises(ValueError, match="seconds must be a non-negative number"):
        tuning.search_summary(grid, X_test, y_test, method="grid", seconds=-1)
    with pytest.raises(TypeError, match="scoring must be a metric name"):
        tuning.search_summary(grid, X_test, y_test, method="grid", seconds=1.0, scoring=3)


# ------------------------------------------------------------------ frontier
def test_candidate_scorer_caches_and_matches_refit(random_search, data):
    X, y, X_test, y_test = data
    scorer = tuning.CandidateScorer(random_search, X, y, X_test, y_test)
    best = random_search.best_index_
    assert scorer.test_score(best) == pytest.approx(random_search.score(X_test, y_test))
    scorer.test_score(best)
    assert list(scorer.cache) == [best]
    with pytest.raises(IndexError, match="between 0 and 11"):
        scorer.test_score(12)


def test_candidate_scorer_checks_lengths(random_search, data):
    X, y, X_test, y_test = data
    with pytest.raises(ValueError, match="X_train has 180 rows but y_train has 179"):
        tuning.CandidateScorer(random_search, X, y[:-1], X_test, y_test)


def test_budget_frontier_uses_prefixes_of_chunks(random_search, data):
    X, y, X_test, y_test = data
    scorer = tuning.CandidateScorer(random_search, X, y, X_test, y_test)
    table = tuning.budget_frontier(scorer, budgets=[2, 4], n_chunks=3)
    assert list(table["candidates"]) == [2, 4] * 3
    n_splits = sum(key.endswith("_test_score") and key.startswith("split") for key in random_search.cv_results_)
    assert list(table["fits"]) == [2 * n_splits + 1, 4 * n_splits + 1] * 3
    scores = random_search.cv_results_["mean_test_score"]
    assert table["best_cv"].iloc[3] == pytest.approx(scores[4:8].max())  # chunk 1, budget 4
    assert (table.groupby("chunk")["best_cv"].diff().dropna() >= 0).all()
    with pytest.raises(ValueError, match="need 15 candidates, the search has 12"):
        tuning.budget_frontier(scorer, budgets=[5], n_chunks=3)
    with pytest.raises(TypeError, match="CandidateScorer"):
        tuning.budget_frontier(random_search, budgets=[2])


def test_expected_best_of_k_is_exact_order_statistics():
    from itertools import combinations

    values = [0.71, 0.74, 0.70, 0.78, 0.73]
    table = tuning.expected_best_of_k(values)
    assert list(table["k"]) == [1, 2, 3, 4, 5]
    assert table["expected_best"].iloc[0] == pytest.approx(np.mean(values))
    assert table["expected_best"].iloc[-1] == pytest.approx(max(values))
    brute = np.mean([max(c) for c in combinations(values, 3)])
    assert table["expected_best"].iloc[2] == pytest.approx(brute)
    assert (table["expected_best"].diff().dropna() >= 0).all()


@pytest.mark.parametrize("bad", [[0.7], [], [0.7, np.nan]])
def test_expected_best_of_k_rejects_bad_input(bad):
    with pytest.raises(ValueError, match="at least two finite estimates"):
        tuning.expected_best_of_k(bad)


# ------------------------------------------------------------------ "60 trials"
def test_sixty_trials_arithmetic():
    assert tuning.chance_in_top(60, 0.05) == pytest.approx(1 - 0.95**60)
    assert tuning.chance_in_top(60, 0.05) > 0.95
    assert tuning.trials_needed(0.05, 0.95) == 59
    assert tuning.chance_in_top(58, 0.05) < 0.95 <= tuning.chance_in_top(59, 0.05)
    assert tuning.trials_needed(0.02, 0.90) == 114
    assert tuning.chance_in_top(0, 0.05) == 0


@pytest.mark.parametrize("bad", [0, 1, -0.1, 1.5, "0.05", True])
def test_fractions_are_validated(bad):
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        tuning.trials_needed(bad, 0.95)
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        tuning.chance_in_top(10, bad)


def test_chance_in_top_rejects_bad_trials():
    with pytest.raises(ValueError, match="n_trials must be a non-negative integer"):
        tuning.chance_in_top(-1)


# ------------------------------------------------------------------ Dask
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tcp://10.0.0.5:8786", "tcp://10.0.0.5:8786"),
        ("10.0.0.5:8786", "tcp://10.0.0.5:8786"),
        (" scheduler.example:8786 ", "tcp://scheduler.example:8786"),
        ("tls://host:1/", "tls://host:1"),
        ("tcp://[::1]:8786", "tcp://[::1]:8786"),
    ],
)
def test_parse_scheduler_address(text, expected):
    assert tuning.parse_scheduler_address(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("scheduler", "must look like"),
        ("http://host:8786", "scheme must be one of"),
        ("host:0", "port must be between 1 and 65535"),
        ("host:70000", "port must be between 1 and 65535"),
        ("tcp://host:port", "must look like"),
        (8786, "must be a string"),
    ],
)
def test_parse_scheduler_address_errors(text, message):
    with pytest.raises(ValueError, match=message):
        tuning.parse_scheduler_address(text)


def test_dask_client_bad_format_fails_at_once():
    start = time.perf_counter()
    with pytest.raises(ValueError, match="must look like"):
        with tuning.dask_client("not an address"):
            pass
    assert time.perf_counter() - start < NO_HANG_SECONDS


def test_dask_client_unreachable_scheduler_fails_within_seconds():
    start = time.perf_counter()
    with pytest.raises(tuning.SchedulerUnreachableError) as info:
        with tuning.dask_client("tcp://127.0.0.1:1", timeout=1):
            pass
    assert time.perf_counter() - start < NO_HANG_SECONDS
    message = str(info.value)
    assert "tcp://127.0.0.1:1" in message and "within 1 s" in message and 'DASK_SCHEDULER = ""' in message
    assert isinstance(info.value, ConnectionError)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_workers": 0}, "n_workers must be a positive integer"),
        ({"threads_per_worker": 1.5}, "threads_per_worker must be a positive integer"),
        ({"timeout": 0}, "timeout must be a positive number"),
        ({"scheduler": None}, "scheduler must be a string"),
    ],
)
def test_dask_client_validates_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        with tuning.dask_client(**kwargs):
            pass


def test_local_cluster_runs_a_search_and_closes(data):
    import joblib
    import psutil

    X, y, _, _ = data
    children_before = {p.pid for p in psutil.Process().children(recursive=True)}
    threads_before = threading.active_count()
    local = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0, 10.0]}, cv=3, scoring="roc_auc").fit(X, y)
    with tuning.dask_client("", n_workers=2, threads_per_worker=1, processes=False) as client:
        assert tuning.describe_client(client) == "2 workers × 1 thread, in this process (threads)"
        on_dask = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0, 10.0]}, cv=3, scoring="roc_auc", n_jobs=-1)
        with joblib.parallel_config(backend="dask"):
            on_dask.fit(X, y)
    assert client.status == "closed"
    assert tuning.same_search_results(local, on_dask)
    children_after = {p.pid for p in psutil.Process().children(recursive=True)}
    assert children_after <= children_before
    deadline = time.time() + 5
    while threading.active_count() > threads_before + 2 and time.time() < deadline:
        time.sleep(0.1)
    assert threading.active_count() <= threads_before + 2


def test_dask_client_closes_on_error():
    with pytest.raises(RuntimeError, match="boom"):
        with tuning.dask_client("", n_workers=1) as client:
            raise RuntimeError("boom")
    assert client.status == "closed"


def test_same_search_results_detects_differences(data, grid):
    X, y, _, _ = data
    other = GridSearchCV(LogisticRegression(), {"C": [0.01, 1.0], "fit_intercept": [True, False]},
                         cv=StratifiedKFold(3, shuffle=True, random_state=1), scoring="roc_auc").fit(X, y)
    fewer = GridSearchCV(LogisticRegression(), {"C": [0.01]}, cv=3, scoring="roc_auc").fit(X, y)
    assert tuning.same_search_results(grid, grid)
    assert not tuning.same_search_results(grid, other)
    assert not tuning.same_search_results(grid, fewer)


# ------------------------------------------------------------------ plots
def test_plots_return_axes_and_check_columns():
    import matplotlib.pyplot as plt

    cost = pd.DataFrame({"hyperparameters": [1, 2, 3], "fits": [7, 13, 25], "seconds": [1.0, 2.0, 4.0],
                         "measured": [True, True, False]})
    axes = tuning.plot_cost_growth(cost)
    assert axes[0].get_yscale() == "log" and axes[0].get_title()
    frontier = pd.DataFrame({"method": ["grid", "random", "random"], "compute_seconds": [10.0, 2.0, 4.0],
                             "fits": [25, 7, 13], "best_cv": [0.8, 0.79, 0.8], "test_score": [0.78, 0.77, 0.78],
                             "candidates": [8, 2, 4]})
    axes = tuning.plot_frontier(frontier)
    assert axes[1].get_legend() is not None and axes[0].get_xlabel().startswith("fits")
    assert list(axes[0].collections[0].get_offsets()[:, 0]) == [25]
    axes = tuning.plot_frontier(frontier, cost="compute_seconds")
    assert axes[0].get_xlabel().startswith("compute seconds")
    with pytest.raises(ValueError, match="cost must be one of"):
        tuning.plot_frontier(frontier, cost="seconds")
    curse = tuning.expected_best_of_k([0.7, 0.8, 0.75])
    ax = tuning.plot_winners_curse(curse)
    assert ax.get_ylabel() == "CV ROC AUC" and ax.get_legend() is not None
    plt.close("all")
    with pytest.raises(ValueError, match="missing"):
        tuning.plot_cost_growth(cost.drop(columns="measured"))
    with pytest.raises(ValueError, match="missing"):
        tuning.plot_frontier(frontier.drop(columns="best_cv"))
    with pytest.raises(ValueError, match="missing"):
        tuning.plot_winners_curse(curse.drop(columns="k"))


# ------------------------------------------------------------------ exercises
def test_validate_fit_count_messages():
    validate = tuning.validate_fit_count({"a": [1, 2, 3], "b": [1, 2]}, n_splits=4, refit=True)
    assert validate(25) is None
    assert "refit" in validate(24)
    assert "number of candidates" in validate(6)
    assert "folds − 1" in validate(19)
    assert "not candidates" in validate(30)
    assert "whole number" in validate("25")


def test_validate_trials_needed_messages():
    validate = tuning.validate_trials_needed(0.02, 0.90)
    assert validate(114) is None
    assert validate(114.0) is None
    assert "round the logarithm up" in validate(113)
    assert "fewer would do" in validate(200)
    assert "you need" in validate(50)
    assert "whole number" in validate(113.5)
    assert "at least one trial" in validate(0)


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(0)
    n = 300
    table = pd.DataFrame({
        "customer_id": rng.integers(0, 60, n),
        "amount": rng.gamma(2, 20, n),
        "merchant_category": rng.choice(["a", "b", "c"], n),
        "country": rng.choice(["DE", "FR"], n),
        "channel": rng.choice(["chip", "online"], n),
    })
    y = (rng.random(n) < 0.2 + 0.3 * (table["channel"] == "online")).astype(int).to_numpy()
    return table.iloc[:240], y[:240], table.iloc[240:]


def _pipe():
    prep = ColumnTransformer([
        ("num", Pipeline([("impute", SimpleImputer()), ("scale", StandardScaler())]), ["amount"]),
        ("cat", OneHotEncoder(handle_unknown="ignore"), ["merchant_category", "country", "channel"]),
    ])
    return Pipeline([("prep", prep), ("model", LogisticRegression())])


def test_validate_search_accepts_a_grouped_pipeline_search(frame):
    X_train, y_train, _ = frame
    search = RandomizedSearchCV(_pipe(), {"model__C": loguniform(1e-2, 1e1)}, n_iter=3, random_state=0,
                                cv=StratifiedGroupKFold(3, shuffle=True, random_state=0), scoring="roc_auc")
    search.fit(X_train, y_train, groups=X_train["customer_id"])
    assert tuning.validate_search(X_train)(search) is None


def test_validate_search_rejects_leaks_and_mistakes(frame):
    X_train, y_train, X_test = frame
    validate = tuning.validate_search(X_train)
    assert "expected a search" in validate(_pipe())
    unfitted = GridSearchCV(_pipe(), {"model__C": [1.0]}, cv=StratifiedGroupKFold(3))
    assert "not fitted" in validate(unfitted)
    plain_cv = GridSearchCV(_pipe(), {"model__C": [0.1, 1.0]}, cv=3).fit(X_train, y_train)
    assert "same customer" in validate(plain_cv)
    wrong_param = GridSearchCV(_pipe(), {"model__fit_intercept": [True, False]}, cv=StratifiedGroupKFold(3))
    wrong_param.fit(X_train, y_train, groups=X_train["customer_id"])
    assert "tune 'model__C'" in validate(wrong_param)
    X_all = pd.concat([X_train, X_test])
    y_all = np.concatenate([y_train, np.zeros(len(X_test), dtype=int)])
    on_all = GridSearchCV(_pipe(), {"model__C": [0.1, 1.0]}, cv=StratifiedGroupKFold(3))
    on_all.fit(X_all, y_all, groups=X_all["customer_id"])
    assert "untouched" in validate(on_all)
    model_only = GridSearchCV(LogisticRegression(), {"C": [1.0]}, cv=StratifiedGroupKFold(3))
    model_only.fit(np.asarray(X_train[["amount"]]), y_train, groups=X_train["customer_id"])
    assert "Pipeline" in validate(model_only)
