"""Unit tests of forge_lessons.evaluation: costs, threshold curves, plots, comparison table, validators."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.dummy import DummyClassifier  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import confusion_matrix, make_scorer  # noqa: E402
from sklearn.model_selection import FixedThresholdClassifier, TunedThresholdClassifierCV  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, StandardScaler  # noqa: E402

from forge_lessons import evaluation as ev  # noqa: E402

COSTS = ev.cost_matrix(false_negative=200, false_positive=10, true_positive=10)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def rare():
    """A 5 % positive problem with a logistic model fitted on half of it."""
    X, y = make_classification(n_samples=2000, weights=[0.95], n_informative=4, random_state=0)
    model = LogisticRegression().fit(X[:1000], y[:1000])
    return X[1000:], y[1000:], model


# ----------------------------------------------------------------------------- cost matrix


def test_cost_matrix_layout_rows_actual_columns_decided():
    costs = ev.cost_matrix(false_negative=200, false_positive=10, true_positive=5, true_negative=1)
    assert costs.loc[1, 0] == 200 and costs.loc[0, 1] == 10
    assert costs.loc[1, 1] == 5 and costs.loc[0, 0] == 1
    assert costs.index.name == "actual" and costs.columns.name == "decided"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"false_negative": 5, "false_positive": 10, "true_positive": 5}, "false_negative > true_positive"),
        ({"false_negative": 100, "false_positive": 0}, "false_positive > true_negative"),
        ({"false_negative": float("nan"), "false_positive": 1}, "false_negative must be a finite number"),
        ({"false_negative": "200", "false_positive": 1}, "false_negative must be a finite number, got '200'"),
        ({"false_negative": 200, "false_positive": True}, "false_positive must be a finite number"),
    ],
)
def test_cost_matrix_rejects_nonsense(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ev.cost_matrix(**kwargs)


# ----------------------------------------------------------------------------- expected cost


def test_expected_cost_is_confusion_matrix_times_costs_per_row():
    rng = np.random.default_rng(1)
    y_true, y_pred = rng.integers(0, 2, 300), rng.integers(0, 2, 300)
    want = (confusion_matrix(y_true, y_pred, labels=[0, 1]) * COSTS.to_numpy()).sum() / 300
    assert ev.expected_cost(y_true, y_pred, COSTS) == pytest.approx(want)
    assert ev.expected_cost(y_true, y_pred, COSTS.to_numpy()) == pytest.approx(want)


def test_expected_cost_of_never_flagging_is_fraud_rate_times_missed_fraud_cost():
    y_true = np.array([0] * 98 + [1] * 2)
    assert ev.expected_cost(y_true, np.zeros(100, int), COSTS) == pytest.approx(0.02 * 200)
    assert ev.expected_cost(y_true, np.ones(100, int), COSTS) == pytest.approx(10.0)
    assert ev.expected_cost(y_true.astype(bool), np.zeros(100, bool), COSTS) == pytest.approx(4.0)


@pytest.mark.parametrize(
    "y_true, y_pred, costs, message",
    [
        ([0, 1, 2], [0, 1, 1], COSTS, "y_true must hold 0 \\(legit\\) and 1 \\(fraud\\) only, found values"),
        ([0, 1], [0, 1, 1], COSTS, "y_pred has 3 values but y_true has 2"),
        ([], [], COSTS, "y_true is empty"),
        ([[0, 1]], [[0, 1]], COSTS, "y_true must be one-dimensional"),
        ([0, 1], [0, 1], [[0, 1, 2], [3, 4, 5]], "2 x 2 cost matrix .* found shape \\(2, 3\\)"),
        ([0, 1], [0, 1], [[0, np.nan], [1, 1]], "finite"),
        ([0, 1], [0, 1], pd.DataFrame([[0, 1], [2, 0]], index=["a", "b"]), "index \\[0, 1\\]"),
        ([0, 1], [0, 1], "costs", "2 x 2 cost matrix"),
    ],
)
def test_expected_cost_rejects_bad_input(y_true, y_pred, costs, message):
    with pytest.raises(ValueError, match=message):
        ev.expected_cost(y_true, y_pred, costs)


def test_cost_scorer_equals_make_scorer_form_and_is_minus_the_cost(rare):
    X, y, model = rare
    written_out = make_scorer(ev.expected_cost, greater_is_better=False, costs=COSTS)
    assert ev.cost_scorer(COSTS)(model, X, y) == pytest.approx(written_out(model, X, y))
    assert ev.cost_scorer(COSTS)(model, X, y) == pytest.approx(-ev.expected_cost(y, model.predict(X), COSTS))


def test_bayes_threshold_balances_the_two_expected_costs():
    threshold = ev.bayes_threshold(COSTS)
    assert threshold == pytest.approx(10 / (10 + 190))
    p = threshold
    assert p * 10 + (1 - p) * 10 == pytest.approx(p * 200)  # flag == let through at the threshold
    assert ev.bayes_threshold(ev.cost_matrix(false_negative=1, false_positive=1)) == pytest.approx(0.5)


def test_bayes_threshold_is_optimal_for_calibrated_probabilities():
    rng = np.random.default_rng(3)
    p = rng.beta(0.3, 8, 200_000)  # calibrated by construction: y ~ Bernoulli(p)
    y = (rng.random(p.size) < p).astype(int)
    curve = ev.expected_cost_curve(y, p, COSTS, thresholds=np.linspace(0.01, 0.2, 96))
    best = curve.loc[curve["cost"].idxmin(), "threshold"]
    assert best == pytest.approx(ev.bayes_threshold(COSTS), abs=0.01)


def test_bayes_threshold_rejects_a_matrix_where_mistakes_are_free():
    with pytest.raises(ValueError, match="mistakes must cost more"):
        ev.bayes_threshold([[0, 0], [5, 0]])


# ----------------------------------------------------------------------------- cost curve


def test_expected_cost_curve_matches_expected_cost_at_every_threshold(rare):
    X, y, model = rare
    score = model.predict_proba(X)[:, 1]
    curve = ev.expected_cost_curve(y, score, COSTS, thresholds=[0.01, 0.05, 0.5, 0.9])
    assert list(curve.columns) == ["threshold", "cost", "false_positives", "false_negatives", "flagged_share"]
    for _, row in curve.iterrows():
        decisions = (score >= row["threshold"]).astype(int)
        assert row["cost"] == pytest.approx(ev.expected_cost(y, decisions, COSTS))
        assert row["flagged_share"] == pytest.approx(decisions.mean())
    default = ev.expected_cost_curve(y, score, COSTS)
    assert len(default) == 400 and default["threshold"].is_monotonic_increasing


def test_expected_cost_curve_agrees_with_fixed_threshold_classifier(rare):
    X, y, model = rare
    fixed = FixedThresholdClassifier(model, threshold=0.2).fit(X, y)  # refits a clone; same data, same model
    curve = ev.expected_cost_curve(y, fixed.predict_proba(X)[:, 1], COSTS, thresholds=[0.2])
    assert curve["cost"].iloc[0] == pytest.approx(ev.expected_cost(y, fixed.predict(X), COSTS))


def test_tuned_threshold_with_cost_scorer_lowers_the_cost(rare):
    X, y, _ = rare
    tuned = TunedThresholdClassifierCV(LogisticRegression(), scoring=ev.cost_scorer(COSTS), cv=3).fit(X, y)
    assert tuned.best_threshold_ < 0.5
    assert ev.expected_cost(y, tuned.predict(X), COSTS) < ev.expected_cost(y, tuned.estimator_.predict(X), COSTS)


@pytest.mark.parametrize(
    "score, thresholds, message",
    [
        (np.zeros((4, 2)), None, "two columns; pass the fraud column only"),
        (np.zeros(3), None, "y_score has 3 values but y_true has 4"),
        (np.array([0.1, np.nan, 0.2, 0.3]), None, "NaN"),
        (np.zeros(4), [], "non-empty"),
    ],
)
def test_expected_cost_curve_rejects_bad_input(score, thresholds, message):
    with pytest.raises(ValueError, match=message):
        ev.expected_cost_curve([0, 1, 0, 1], score, COSTS, thresholds=thresholds)


def test_plot_cost_curve_draws_curves_and_marks(rare):
    X, y, model = rare
    curve = ev.expected_cost_curve(y, model.predict_proba(X)[:, 1], COSTS)
    ax = ev.plot_cost_curve({"test": curve, "pair": (curve["threshold"], curve["cost"])}, marks={"default": 0.5})
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["test", "pair", "default (0.500)"]
    assert ax.get_xscale() == "log" and ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


@pytest.mark.parametrize(
    "curves, message",
    [
        ({}, "non-empty dict"),
        ([1, 2], "non-empty dict"),
        ({"x": pd.DataFrame({"t": [0.1]})}, "lacks column"),
        ({"x": ([0.1, 0.2], [1.0])}, "2 thresholds but 1 costs"),
        ({"x": 3}, "DataFrame or a pair"),
    ],
)
def test_plot_cost_curve_rejects_bad_curves(curves, message):
    with pytest.raises(ValueError, match=message):
        ev.plot_cost_curve(curves)


# ----------------------------------------------------------------------------- ROC / PR


def test_plot_roc_pr_draws_one_curve_per_model_plus_chance(rare):
    X, y, model = rare
    score = model.predict_proba(X)[:, 1]
    fig, axes = ev.plot_roc_pr(y, {"a": score, "b": score ** 2}, title="t")
    assert len(axes) == 2
    for ax in axes:
        labels = [text.get_text() for text in ax.get_legend().get_texts()]
        assert len(labels) == 3 and any("Chance" in label for label in labels)
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert fig._suptitle.get_text() == "t"


@pytest.mark.parametrize(
    "y, scores, message",
    [
        ([0, 1, 0], {}, "non-empty dict"),
        ([0, 0, 0], {"a": [0.1, 0.2, 0.3]}, "one class only"),
        ([0, 1, 0], {"a": np.zeros((3, 2))}, "two columns"),
    ],
)
def test_plot_roc_pr_rejects_bad_input(y, scores, message):
    with pytest.raises(ValueError, match=message):
        ev.plot_roc_pr(y, scores)


# ----------------------------------------------------------------------------- table and bootstrap


def test_evaluation_table_reads_thresholds_and_costs(rare):
    X, y, model = rare
    tuned = TunedThresholdClassifierCV(LogisticRegression(), scoring=ev.cost_scorer(COSTS), cv=3).fit(X, y)
    fixed = FixedThresholdClassifier(LogisticRegression(), threshold=0.3).fit(X, y)
    table = ev.evaluation_table({"plain": model, "tuned": tuned, "fixed": fixed}, X, y, COSTS)
    assert list(table.index) == ["plain", "tuned", "fixed"]
    assert table.loc["plain", "threshold"] == 0.5
    assert table.loc["tuned", "threshold"] == pytest.approx(tuned.best_threshold_)
    assert table.loc["fixed", "threshold"] == 0.3
    assert table.loc["tuned", "cost"] == pytest.approx(ev.expected_cost(y, tuned.predict(X), COSTS))
    assert table.loc["plain", "flagged"] == model.predict(X).sum()


def test_evaluation_table_rejects_non_classifiers(rare):
    X, y, _ = rare
    with pytest.raises(ValueError, match="non-empty dict"):
        ev.evaluation_table({}, X, y, COSTS)
    with pytest.raises(ValueError, match="'scaler' has no predict"):
        ev.evaluation_table({"scaler": StandardScaler().fit(X)}, X, y, COSTS)


def test_paired_bootstrap_cost_difference_and_interval():
    rng = np.random.default_rng(0)
    y = (rng.random(2000) < 0.05).astype(int)
    never = np.zeros_like(y)
    perfect = y.copy()
    result = ev.paired_bootstrap_cost(y, never, perfect, COSTS, n_boot=500, random_state=1)
    want = ev.expected_cost(y, never, COSTS) - ev.expected_cost(y, perfect, COSTS)
    assert result["difference"] == pytest.approx(want)
    assert 0 < result["low"] < result["difference"] < result["high"]
    assert result["share_b_cheaper"] == 1.0
    again = ev.paired_bootstrap_cost(y, never, perfect, COSTS, n_boot=500, random_state=1)
    assert again == result
    same = ev.paired_bootstrap_cost(y, never, never, COSTS, n_boot=50)
    assert same["difference"] == same["low"] == same["high"] == 0 and same["share_b_cheaper"] == 0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"pred_b": [0, 1]}, "same length"),
        ({"n_boot": 0}, "n_boot must be a positive integer"),
        ({"n_boot": 2.5}, "n_boot must be a positive integer"),
    ],
)
def test_paired_bootstrap_cost_rejects_bad_input(kwargs, message):
    args = {"y_true": [0, 1, 0], "pred_a": [0, 0, 0], "pred_b": [0, 1, 0], "costs": COSTS, **kwargs}
    with pytest.raises(ValueError, match=message):
        ev.paired_bootstrap_cost(**args)


# ----------------------------------------------------------------------------- validators


def test_validate_cost_function_accepts_a_right_function_and_explains_wrong_ones():
    def right(y_true, y_pred):
        return (confusion_matrix(y_true, y_pred, labels=[0, 1]) * COSTS.to_numpy()).sum() / len(y_true)

    def total(y_true, y_pred):
        return right(y_true, y_pred) * len(y_true)

    def transposed(y_true, y_pred):
        return (confusion_matrix(y_true, y_pred, labels=[0, 1]) * COSTS.to_numpy().T).sum() / len(y_true)

    assert ev.validate_cost_function(right, COSTS) is None
    assert "divide by the number of transactions" in ev.validate_cost_function(total, COSTS)
    assert "expected" in ev.validate_cost_function(transposed, COSTS)
    assert "expected a function" in ev.validate_cost_function(3.2, COSTS)
    assert "returned str" in ev.validate_cost_function(lambda a, b: "x", COSTS)


def _prepare():
    return ColumnTransformer([("num", StandardScaler(), ["a"]), ("cat", OneHotEncoder(), ["c"])])


def test_validate_resampling_pipeline():
    from imblearn.over_sampling import SMOTE
    from imblearn.pipeline import Pipeline as ImbPipeline
    from imblearn.under_sampling import RandomUnderSampler

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=200), "c": rng.choice(["x", "y"], 200)})
    y = (rng.random(200) < 0.1).astype(int)
    good = ImbPipeline([("p", _prepare()), ("r", RandomUnderSampler(random_state=0)), ("m", LogisticRegression())])
    assert ev.validate_resampling_pipeline(good) is None
    assert ev.validate_resampling_pipeline(good, sampler="RandomUnderSampler", X=X, y=y) is None

    smote = ImbPipeline([("p", _prepare()), ("r", SMOTE(random_state=0)), ("m", LogisticRegression())])
    assert "expected a RandomUnderSampler step, found SMOTE" in ev.validate_resampling_pipeline(
        smote, sampler="RandomUnderSampler")
    sk = Pipeline([("p", _prepare()), ("m", LogisticRegression())])
    assert "scikit-learn's Pipeline" in ev.validate_resampling_pipeline(sk)
    assert "expected an imblearn.pipeline.Pipeline" in ev.validate_resampling_pipeline(LogisticRegression())
    no_sampler = ImbPipeline([("p", _prepare()), ("m", LogisticRegression())])
    assert "no sampler" in ev.validate_resampling_pipeline(no_sampler)
    first = ImbPipeline([("r", RandomUnderSampler()), ("p", _prepare()), ("m", LogisticRegression())])
    assert "first step" in ev.validate_resampling_pipeline(first)
    not_classifier = ImbPipeline([("p", _prepare()), ("r", RandomUnderSampler()), ("s", StandardScaler())])
    assert "must be a classifier" in ev.validate_resampling_pipeline(not_classifier)
    broken = ImbPipeline([("p", ColumnTransformer([("n", StandardScaler(), ["missing"])])),
                          ("r", RandomUnderSampler()), ("m", DummyClassifier())])
    assert "fitting your pipeline raised" in ev.validate_resampling_pipeline(broken, X=X, y=y)
