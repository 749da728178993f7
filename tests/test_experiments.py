"""Unit tests for forge_lessons.experiments (repeated splits, gaps, attribution, plots)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import average_precision_score, roc_auc_score  # noqa: E402
from sklearn.model_selection import StratifiedShuffleSplit  # noqa: E402
from sklearn.neighbors import KNeighborsClassifier  # noqa: E402
from sklearn.pipeline import Pipeline, make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from forge_lessons import experiments as fx  # noqa: E402


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(n_samples=200, n_features=5, n_informative=3, random_state=0)
    return X * np.array([1, 10, 100, 1000, 0.01]), y


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------- #
# repeated_split_scores / paired_differences / summarize_differences
# --------------------------------------------------------------------------- #
def test_repeated_split_scores_shape_and_pairing(data):
    X, y = data
    model = LogisticRegression()
    scores = fx.repeated_split_scores(
        {"a": (model, X), "b": (model, X)}, y, n_splits=5, random_state=1
    )
    assert list(scores.columns) == ["a", "b"]
    assert scores.shape == (5, 2)
    assert scores.index.name == "split"
    # identical workflows on paired splits give exactly identical scores
    assert (scores["a"] == scores["b"]).all()
    assert scores["a"].between(0.5, 1.0).all()


def test_repeated_split_scores_matches_a_manual_loop(data):
    X, y = data
    scores = fx.repeated_split_scores(
        {"lr": (LogisticRegression(), X)}, y, n_splits=3, test_size=0.3, random_state=4
    )
    splitter = StratifiedShuffleSplit(n_splits=3, test_size=0.3, random_state=4)
    manual = [
        roc_auc_score(y[te], LogisticRegression().fit(X[tr], y[tr]).predict_proba(X[te])[:, 1])
        for tr, te in splitter.split(X, y)
    ]
    np.testing.assert_allclose(scores["lr"].to_numpy(), manual)


def test_repeated_split_scores_two_levels_and_parallel_is_deterministic(data):
    X, y = data
    Xs = StandardScaler().fit_transform(X)
    flows = {
        ("knn", "leaky"): (KNeighborsClassifier(5), Xs),
        ("knn", "pipelined"): (make_pipeline(StandardScaler(), KNeighborsClassifier(5)), X),
    }
    serial = fx.repeated_split_scores(flows, y, n_splits=4, random_state=0, n_jobs=1)
    parallel = fx.repeated_split_scores(flows, y, n_splits=4, random_state=0, n_jobs=2)
    assert isinstance(serial.columns, pd.MultiIndex)
    assert serial.columns.names == ["model", "workflow"]
    pd.testing.assert_frame_equal(serial, parallel)


def test_repeated_split_scores_accepts_dataframes_and_other_scoring(data):
    X, y = data
    frame = pd.DataFrame(X, columns=list("abcde"))
    scores = fx.repeated_split_scores(
        {"lr": (make_pipeline(StandardScaler(), LogisticRegression()), frame)},
        pd.Series(y), n_splits=2, scoring="accuracy", stratify=False,
    )
    assert scores["lr"].between(0, 1).all()


def test_repeated_split_scores_small_train_size(data):
    X, y = data
    scores = fx.repeated_split_scores(
        {"lr": (LogisticRegression(), X)}, y, n_splits=2, train_size=20, test_size=None
    )
    assert scores.shape == (2, 1)


@pytest.mark.parametrize(
    "workflows, message",
    [
        ({}, "non-empty dict"),
        ([("a", 1)], "non-empty dict"),
        ({"a": LogisticRegression()}, "must be a pair"),
        ({"a": ("not an estimator", np.zeros((200, 2)))}, "estimator with fit"),
        ({"a": (LogisticRegression(), np.zeros((10, 2)))}, "has 10 rows but y has 200"),
        ({"a": (LogisticRegression(), np.zeros((200, 2))), ("m", "w"): (LogisticRegression(), np.zeros((200, 2)))},
         "all strings or all"),
    ],
)
def test_repeated_split_scores_rejects_bad_workflows(data, workflows, message):
    _, y = data
    with pytest.raises((ValueError, TypeError), match=message):
        fx.repeated_split_scores(workflows, y, n_splits=2)


def test_repeated_split_scores_rejects_bad_arguments(data):
    X, y = data
    flows = {"lr": (LogisticRegression(), X)}
    with pytest.raises(ValueError, match="n_splits must be an integer >= 1, got 0"):
        fx.repeated_split_scores(flows, y, n_splits=0)
    with pytest.raises(ValueError, match="one-dimensional"):
        fx.repeated_split_scores(flows, y.reshape(-1, 1), n_splits=2)
    with pytest.raises(ValueError):
        fx.repeated_split_scores(flows, y, n_splits=2, scoring="no such scorer")


def test_paired_differences_flat_and_two_level():
    flat = pd.DataFrame({"leaky": [0.9, 0.8], "pipelined": [0.85, 0.8]})
    diff = fx.paired_differences(flat)
    np.testing.assert_allclose(diff.to_numpy(), [0.05, 0.0])
    two = pd.DataFrame(
        [[0.9, 0.8, 0.7, 0.7]],
        columns=pd.MultiIndex.from_tuples(
            [("a", "leaky"), ("a", "pipelined"), ("b", "leaky"), ("b", "pipelined")]
        ),
    )
    gaps = fx.paired_differences(two)
    assert list(gaps.columns) == ["a", "b"]
    np.testing.assert_allclose(gaps.iloc[0].to_numpy(), [0.1, 0.0])


def test_paired_differences_errors():
    flat = pd.DataFrame({"leaky": [0.9], "honest": [0.8]})
    with pytest.raises(KeyError, match="no workflow named 'pipelined'.*columns \\['leaky', 'honest'\\]"):
        fx.paired_differences(flat)
    with pytest.raises(TypeError, match="DataFrame"):
        fx.paired_differences([0.1, 0.2])


def test_summarize_differences():
    table = fx.summarize_differences({"a": [0.01, -0.03, 0.02], "b": [0.0, 0.0]})
    assert list(table.columns) == ["mean", "sd", "min", "max", "max_abs", "n_splits"]
    assert table.loc["a", "max_abs"] == pytest.approx(0.03)
    assert table.loc["a", "mean"] == pytest.approx(0.0)
    assert table.loc["b", "sd"] == 0.0
    assert table.loc["a", "n_splits"] == 3
    series = fx.summarize_differences(pd.Series([0.1, 0.3], name="gap"))
    assert series.loc["gap", "mean"] == pytest.approx(0.2)
    tuple_keys = fx.summarize_differences({("c1", "lr"): [0.1], ("c2", "lr"): [0.2]})
    assert isinstance(tuple_keys.index, pd.MultiIndex)


def test_summarize_differences_errors():
    with pytest.raises(ValueError, match="empty"):
        fx.summarize_differences({})
    with pytest.raises(ValueError, match="all missing"):
        fx.summarize_differences({"a": [np.nan]})
    with pytest.raises(TypeError, match="Series, a DataFrame or a dict"):
        fx.summarize_differences([0.1])


def test_reference_scaling_gap(data):
    X, y = data
    forest = fx.reference_scaling_gap(
        RandomForestClassifier(n_estimators=10, random_state=0), X, y, n_splits=3
    )
    assert abs(forest) < 0.01
    knn = fx.reference_scaling_gap(KNeighborsClassifier(5), X, y, n_splits=3, train_size=40)
    manual = fx.paired_differences(
        fx.repeated_split_scores(
            {
                "leaky": (KNeighborsClassifier(5), StandardScaler().fit_transform(X)),
                "pipelined": (Pipeline([("s", StandardScaler()), ("c", KNeighborsClassifier(5))]), X),
            },
            y, n_splits=3, train_size=40, test_size=None,
        )
    ).mean()
    assert knn == pytest.approx(manual)


# --------------------------------------------------------------------------- #
# repeat_with_seeds / bootstrap_score / score_in_batches / add_outliers / tidy
# --------------------------------------------------------------------------- #
def _square(seed):
    return float(seed) ** 2


def test_repeat_with_seeds():
    values = fx.repeat_with_seeds(_square, 3, random_state=2)
    np.testing.assert_array_equal(values, [4.0, 9.0, 16.0])
    np.testing.assert_array_equal(fx.repeat_with_seeds(_square, 3, random_state=2, n_jobs=2), values)


def test_repeat_with_seeds_errors():
    with pytest.raises(TypeError, match="callable"):
        fx.repeat_with_seeds(3, 2)
    with pytest.raises(ValueError, match="n_repeats must be an integer >= 1"):
        fx.repeat_with_seeds(_square, 0)
    with pytest.raises(TypeError, match="must return a number, got str for seed 0"):
        fx.repeat_with_seeds(lambda seed: "x", 1)


def test_bootstrap_score_fast_auc_matches_sklearn():
    rng = np.random.default_rng(0)
    y = (rng.random(300) < 0.1).astype(int)
    score = np.round(rng.random(300) + y * 0.3, 1)  # many ties
    result = fx.bootstrap_score(y, score, n_boot=50, random_state=0)
    assert result["score"] == pytest.approx(roc_auc_score(y, score))
    assert 0 < result["se"] < 0.1
    assert result["low"] <= result["score"] <= result["high"]
    assert fx._rank_roc_auc(y, score) == pytest.approx(roc_auc_score(y, score))
    custom = fx.bootstrap_score(y, score, metric=average_precision_score, n_boot=20)
    assert custom["score"] == pytest.approx(average_precision_score(y, score))


def test_bootstrap_score_is_seeded():
    rng = np.random.default_rng(1)
    y = np.r_[np.ones(20), np.zeros(80)].astype(int)
    score = rng.random(100)
    assert fx.bootstrap_score(y, score, random_state=3) == fx.bootstrap_score(y, score, random_state=3)


def test_bootstrap_score_errors():
    with pytest.raises(ValueError, match="both 0 and 1, found \\[0\\]"):
        fx.bootstrap_score([0, 0, 0], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="y_true has 3 rows but y_score has 2"):
        fx.bootstrap_score([0, 1, 1], [0.1, 0.2])
    with pytest.raises(ValueError, match="metric must be"):
        fx.bootstrap_score([0, 1], [0.1, 0.2], metric="nope")


def test_score_in_batches_reassembles_in_row_order():
    X = pd.DataFrame({"v": [5.0, 1.0, 3.0, 2.0], "day": ["b", "a", "b", "a"]})
    seen = []

    def score(batch):
        seen.append(list(batch["day"].unique()))
        return batch["v"].to_numpy() - batch["v"].mean()

    out = fx.score_in_batches(score, X, X["day"])
    np.testing.assert_allclose(out, [1.0, -0.5, -1.0, 0.5])
    assert seen == [["a"], ["b"]]  # sorted batch order


def test_score_in_batches_errors():
    X = pd.DataFrame({"v": [1.0, 2.0]})
    with pytest.raises(TypeError, match="callable"):
        fx.score_in_batches(None, X, [0, 1])
    with pytest.raises(TypeError, match="DataFrame"):
        fx.score_in_batches(lambda b: b, X.to_numpy(), [0, 1])
    with pytest.raises(ValueError, match="one label per row of X \\(2\\)"):
        fx.score_in_batches(lambda b: b["v"], X, [0])
    with pytest.raises(ValueError, match="returned shape \\(1,\\) for a batch of 2 rows"):
        fx.score_in_batches(lambda b: [0.0], X, [0, 0])


def test_add_outliers():
    X = np.ones((500, 3)) + np.arange(3)
    X[:, 0] += np.linspace(0, 1, 500)
    before = X.copy()
    hit = fx.add_outliers(X, share=0.1, scale=10, random_state=0)
    np.testing.assert_array_equal(X, before)  # input untouched
    changed = hit != X
    assert 0.05 < changed[:, 0].mean() < 0.15
    assert not changed[:, 1].any()  # a constant column has sd 0: nothing to scale
    np.testing.assert_array_equal(fx.add_outliers(X, share=0.0), X)
    np.testing.assert_array_equal(fx.add_outliers(X, 0.1, 10, 0), hit)


def test_add_outliers_errors():
    with pytest.raises(ValueError, match="two-dimensional"):
        fx.add_outliers(np.ones(3))
    with pytest.raises(ValueError, match="share must be a fraction in \\[0, 1\\), got 1.5"):
        fx.add_outliers(np.ones((3, 2)), share=1.5)
    with pytest.raises(ValueError, match="scale must be a positive number"):
        fx.add_outliers(np.ones((3, 2)), scale=0)


def test_signed():
    assert fx.signed(-0.00001) == "+0.000"
    assert fx.signed(0.0124) == "+0.012"
    assert fx.signed(-0.0316) == "-0.032"
    assert fx.signed(np.float64(0.5), decimals=1) == "+0.5"
    with pytest.raises(TypeError, match="must be a number, got str"):
        fx.signed("0.1")


def test_tidy_removes_negative_zero():
    frame = pd.DataFrame({"x": [-0.00001, 0.12345], "name": ["a", "b"], "n": [1, 2]})
    out = fx.tidy(frame)
    assert str(out.loc[0, "x"]) == "0.0"
    assert out.loc[1, "x"] == 0.123
    assert list(out["name"]) == ["a", "b"]
    assert str(fx.tidy(pd.Series([-0.0001]))[0]) == "0.0"
    with pytest.raises(TypeError, match="DataFrame or Series"):
        fx.tidy([1.0])


# --------------------------------------------------------------------------- #
# waterfall
# --------------------------------------------------------------------------- #
POINTS = [
    ("dev", 0.90, "total"),
    ("fix a", 0.85),
    ("fix b", 0.80),
    ("honest", 0.80, "total"),
    ("drift", 0.70),
    ("prod", 0.70, "total"),
]


def test_waterfall_table_changes_add_up():
    table = fx.waterfall_table(POINTS)
    assert list(table.columns) == ["stage", "score", "change", "kind"]
    steps = table[table["kind"] == "step"]
    np.testing.assert_allclose(steps["change"].to_numpy(), [-0.05, -0.05, -0.10])
    assert table["change"][table["kind"] == "total"].isna().all()
    assert 0.90 + steps["change"].sum() == pytest.approx(0.70)


@pytest.mark.parametrize(
    "points, message",
    [
        ([("a", 0.9)], "at least two"),
        ([("a", 0.9), ("b", 0.8)], "first point .* must be a total"),
        ([("a", 0.9, "total"), ("b", 0.8, "total")], "total 'b' is 0.800000 but the running score is 0.900000"),
        ([("a", 0.9, "total"), ("b", float("nan"))], "finite number"),
        ([("a", 0.9, "total"), ("b", 0.8, "subtotal")], "kind must be 'total' or 'step'"),
        ([("a", 0.9, "total"), ("a", 0.8)], "unique, found repeated \\['a'\\]"),
        ([("a", 0.9, "total"), "b"], "point 1 must be"),
    ],
)
def test_waterfall_table_errors(points, message):
    with pytest.raises(ValueError, match=message):
        fx.waterfall_table(points)


def test_plot_waterfall():
    ax = fx.plot_waterfall(fx.waterfall_table(POINTS), title="t")
    assert ax.get_title() == "t"
    assert ax.get_ylabel() == "ROC AUC"
    assert ax.get_xlabel()
    assert len(ax.patches) == len(POINTS)
    assert ax.get_legend() is not None
    with pytest.raises(ValueError, match="waterfall_table"):
        fx.plot_waterfall(pd.DataFrame({"a": [1]}))


# --------------------------------------------------------------------------- #
# other figures and validators
# --------------------------------------------------------------------------- #
def test_plot_workflow_diagram():
    ax = fx.plot_workflow_diagram()
    assert "scaler" in ax.get_title()
    assert ax.get_legend() is not None


def test_plot_differences():
    gaps = pd.DataFrame({"lr": [0.0, 0.001, -0.001], "rf": [0.0, 0.0, 0.0]})
    ax = fx.plot_differences(gaps)
    assert "3 paired splits" in ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel() == "model"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["lr", "rf"]
    ax2 = fx.plot_differences(gaps["lr"], title="x", ylabel="condition")
    assert ax2.get_title() == "x" and ax2.get_ylabel() == "condition"
    with pytest.raises(TypeError, match="DataFrame"):
        fx.plot_differences([0.1, 0.2])


def test_plot_permutation_tests():
    results = {"a": (0.8, np.full(10, 0.5), 0.09), "b": (0.5, np.full(10, 0.5), 1.0)}
    axes = fx.plot_permutation_tests(results)
    assert len(axes) == 2
    assert "p-value = 0.090" in axes[0].get_title()
    assert axes[0].get_xlabel() == "ROC AUC" and axes[0].get_ylabel()
    with pytest.raises(ValueError, match="non-empty dict"):
        fx.plot_permutation_tests({})
    with pytest.raises(ValueError, match="tuple of permutation_test_score"):
        fx.plot_permutation_tests({"a": [0.8, 0.1]})


def test_pipeline_problem():
    good = Pipeline([("s", StandardScaler()), ("c", KNeighborsClassifier())])
    assert fx.pipeline_problem(good, (StandardScaler, KNeighborsClassifier)) is None
    assert "found KNeighborsClassifier" in fx.pipeline_problem(
        KNeighborsClassifier(), (StandardScaler, KNeighborsClassifier)
    )
    wrong = Pipeline([("c", KNeighborsClassifier())])
    assert "expected the steps ['StandardScaler', 'KNeighborsClassifier'], found ['KNeighborsClassifier']" in (
        fx.pipeline_problem(wrong, (StandardScaler, KNeighborsClassifier))
    )


def test_gap_keeps_tiny_differences_visible():
    assert fx.gap(0.0124) == "+0.012"
    assert fx.gap(0.000041) == "+0.00004"
    assert fx.gap(-0.00002) == "-0.00002"
    assert fx.gap(0.0) == "0.000 (exactly zero)"
    assert fx.gap(1e-12).startswith("+0.000 (<")
    with pytest.raises(TypeError, match="number"):
        fx.gap("0.1")


