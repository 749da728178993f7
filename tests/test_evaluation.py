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
from sklearn.metrics import average_precision_score, confusion_matrix, make_scorer, roc_auc_score  # noqa: E402
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
    ax = ev.plot_cost_curve({"test": curve, "pair": (curve["threshold"], curve["cost"])},
                            marks={"default": 0.5, "tuned": 0.05, "formula": 0.05})
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == ["test", "pair", "default (0.500)", "tuned (0.050)", "formula (0.050)"]
    assert ax.get_xscale() == "log" and ax.get_title() and ax.get_xlabel()
    assert ax.get_ylabel() == "expected cost per transaction (€)"
    # Marks at the same threshold differ in line style and marker, so both stay visible.
    handles = ax.get_legend().legend_handles[-2:]
    assert handles[0].get_linestyle() != handles[1].get_linestyle()
    assert handles[0].get_marker() != handles[1].get_marker()
    markers = [line for line in ax.get_lines() if line.get_marker() not in ("None", None, "")]
    heights = [line.get_ydata()[0] for line in markers]
    assert len(markers) == 3 and len(set(heights)) == 3


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


def test_plot_cost_curve_can_put_the_marks_on_a_curve(rare):
    X, y, model = rare
    curve = ev.expected_cost_curve(y, model.predict_proba(X)[:, 1], COSTS)
    ax = ev.plot_cost_curve({"test": curve}, marks={"default": 0.5, "tuned": 0.05}, marks_on="test")
    markers = [line for line in ax.get_lines() if line.get_marker() not in ("None", None, "")]
    for line, threshold in zip(markers, [0.5, 0.05]):
        order = np.argsort(curve["threshold"].to_numpy())
        expected = np.interp(np.log(threshold), np.log(curve["threshold"].to_numpy()[order]),
                             curve["cost"].to_numpy()[order])
        assert line.get_ydata()[0] == pytest.approx(expected)
    with pytest.raises(ValueError, match="marks_on must be one of"):
        ev.plot_cost_curve({"test": curve}, marks={"default": 0.5}, marks_on="nope")


def test_plot_cost_curve_rejects_marks_that_are_not_a_dict():
    with pytest.raises(ValueError, match="marks must be a dict"):
        ev.plot_cost_curve({"x": ([0.1, 0.2], [1.0, 2.0])}, marks=[0.5])


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


def test_plot_roc_pr_legends_can_show_more_digits(rare):
    X, y, model = rare
    score = model.predict_proba(X)[:, 1]
    fig, axes = ev.plot_roc_pr(y, {"a": score}, digits=3)
    roc_labels = [text.get_text() for text in axes[0].get_legend().get_texts()]
    pr_labels = [text.get_text() for text in axes[1].get_legend().get_texts()]
    assert roc_labels == [f"a (AUC = {roc_auc_score(y, score):.3f})", "Chance level (AUC = 0.500)"]
    assert pr_labels == [f"a (AP = {average_precision_score(y, score):.3f})",
                         f"Chance level (AP = {np.mean(y):.3f})"]
    with pytest.raises(ValueError, match="digits must be"):
        ev.plot_roc_pr(y, {"a": score}, digits=-1)


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


def test_evaluation_table_counts_add_up_to_the_cost(rare):
    X, y, model = rare
    row = ev.evaluation_table({"tuned": FixedThresholdClassifier(model, threshold=0.1).fit(X, y)}, X, y, COSTS).iloc[0]
    assert row["caught"] + row["missed"] == y.sum()
    assert row["caught"] + row["false_alarms"] == row["flagged"]
    total = row["missed"] * 200 + row["false_alarms"] * 10 + row["caught"] * 10
    assert row["total_cost"] == pytest.approx(total)
    assert row["cost"] == pytest.approx(total / len(y))
    assert row["recall"] == pytest.approx(row["caught"] / y.sum())
    assert row["precision"] == pytest.approx(row["caught"] / row["flagged"])


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
    assert result["share_b_cheaper"] == 1.0 and result["resampled"] == "rows" and result["n_boot"] == 500
    again = ev.paired_bootstrap_cost(y, never, perfect, COSTS, n_boot=500, random_state=1)
    assert again == result
    same = ev.paired_bootstrap_cost(y, never, never, COSTS, n_boot=50)
    assert same["difference"] == same["low"] == same["high"] == 0 and same["share_b_cheaper"] == 0


def _clustered(n_customers=150, rows_per_customer=8, seed=0):
    """Labels that are constant within a customer: rows of a customer are not independent."""
    rng = np.random.default_rng(seed)
    customer = np.repeat(np.arange(n_customers), rows_per_customer)
    fraudster = rng.random(n_customers) < 0.1
    return fraudster[customer].astype(int), customer


def test_cluster_bootstrap_is_wider_than_a_row_bootstrap_when_customers_repeat():
    y, customer = _clustered()
    never = np.zeros_like(y)
    rows = ev.paired_bootstrap_cost(y, never, y, COSTS, n_boot=1000, random_state=0)
    groups = ev.paired_bootstrap_cost(y, never, y, COSTS, groups=customer, n_boot=1000, random_state=0)
    assert groups["resampled"] == "groups" and groups["difference"] == rows["difference"]
    # Eight identical rows per customer: redrawing rows pretends to have eight times the evidence.
    assert groups["high"] - groups["low"] > 2 * (rows["high"] - rows["low"])


def test_cluster_bootstrap_with_one_row_per_group_is_the_row_bootstrap():
    rng = np.random.default_rng(2)
    y = (rng.random(300) < 0.1).astype(int)
    pred = (rng.random(300) < 0.2).astype(int)
    rows = ev.paired_bootstrap_cost(y, pred, y, COSTS, n_boot=200, random_state=3)
    ids = ev.paired_bootstrap_cost(y, pred, y, COSTS, groups=np.arange(300), n_boot=200, random_state=3)
    assert rows["low"] == pytest.approx(ids["low"]) and rows["high"] == pytest.approx(ids["high"])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"pred_b": [0, 1]}, "same length"),
        ({"n_boot": 0}, "n_boot must be a positive integer"),
        ({"n_boot": 2.5}, "n_boot must be a positive integer"),
        ({"groups": [1, 2]}, "groups has 2 values but y_true has 3"),
        ({"groups": [1, None, 2]}, "missing values"),
        ({"groups": [[1, 2, 3]]}, "one-dimensional"),
    ],
)
def test_paired_bootstrap_cost_rejects_bad_input(kwargs, message):
    args = {"y_true": [0, 1, 0], "pred_a": [0, 0, 0], "pred_b": [0, 1, 0], "costs": COSTS, **kwargs}
    with pytest.raises(ValueError, match=message):
        ev.paired_bootstrap_cost(**args)


@pytest.mark.parametrize("metric, sklearn_metric", [("average_precision", average_precision_score),
                                                    ("roc_auc", roc_auc_score)])
def test_weighted_ranking_metrics_match_scikit_learn_with_sample_weights(metric, sklearn_metric):
    rng = np.random.default_rng(4)
    y = (rng.random(400) < 0.1).astype(int)
    score = np.round(rng.random(400) + 0.4 * y, 1)  # rounded: many ties
    weights = rng.integers(0, 3, size=(5, 400)).astype(float)
    got = ev._weighted_ranking(y, score, weights, metric)
    want = [sklearn_metric(y, score, sample_weight=w) for w in weights]
    assert got == pytest.approx(want)


def test_paired_bootstrap_ranking_difference_interval_and_direction():
    rng = np.random.default_rng(5)
    y, customer = _clustered(n_customers=300, rows_per_customer=3, seed=5)
    good = y + rng.normal(0, 0.5, len(y))
    noise = rng.normal(0, 1, len(y))
    result = ev.paired_bootstrap_ranking(y, noise, good, metric="roc_auc", groups=customer, n_boot=300,
                                         random_state=0)
    assert result["a"] == pytest.approx(roc_auc_score(y, noise))
    assert result["b"] == pytest.approx(roc_auc_score(y, good))
    assert result["difference"] == pytest.approx(result["b"] - result["a"])
    assert 0 < result["low"] < result["difference"] < result["high"]
    assert result["share_b_better"] == 1.0 and ev.interval_reading(result) == "above 0"
    ap = ev.paired_bootstrap_ranking(y, good, good, groups=customer, n_boot=50)
    assert ap["a"] == pytest.approx(average_precision_score(y, good))
    assert ap["difference"] == ap["low"] == ap["high"] == 0
    assert ev.interval_reading(ap) == "within noise"


def test_paired_bootstrap_ranking_leaves_out_resamples_without_frauds():
    y = np.array([1] + [0] * 49)
    score = np.linspace(1, 0, 50)
    result = ev.paired_bootstrap_ranking(y, score, score[::-1], n_boot=200, random_state=0)
    assert result["undefined"] > 0  # some redraws miss the single fraud
    assert np.isfinite(result["low"]) and np.isfinite(result["high"])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"metric": "f1"}, "metric must be one of"),
        ({"y_true": [0, 0, 0]}, "one class only"),
        ({"score_b": [0.1, 0.2]}, "score_b has 2 values but y_true has 3"),
        ({"n_boot": -1}, "n_boot must be a positive integer"),
    ],
)
def test_paired_bootstrap_ranking_rejects_bad_input(kwargs, message):
    args = {"y_true": [0, 1, 0], "score_a": [0.1, 0.5, 0.2], "score_b": [0.3, 0.2, 0.1], **kwargs}
    with pytest.raises(ValueError, match=message):
        ev.paired_bootstrap_ranking(**args)


def test_bootstrap_table_and_interval_reading():
    results = {
        "up": {"difference": 0.5, "low": 0.1, "high": 0.9, "share_b_cheaper": 0.99},
        "flat": {"difference": 0.0, "low": -0.2, "high": 0.3, "share_b_better": 0.5},
        "down": {"difference": -0.5, "low": -0.9, "high": -0.1, "share_b_better": 0.01},
    }
    table = ev.bootstrap_table(results)
    assert list(table["reading"]) == ["above 0", "within noise", "below 0"]
    with pytest.raises(ValueError, match="expected a result with an interval"):
        ev.interval_reading({"difference": 1})
    assert table.loc["up", "90 % interval from"] == 0.1 and table.loc["down", "to"] == -0.1
    assert table.loc["up", "share of resamples > 0"] == 0.99
    with pytest.raises(ValueError, match="non-empty dict"):
        ev.bootstrap_table({})
    with pytest.raises(ValueError, match="'bad' is not a bootstrap result"):
        ev.bootstrap_table({"bad": {"difference": 1}})
    worded = ev.bootstrap_table(results, readings={"above 0": "b costs less", "below 0": "b costs more"})
    assert list(worded["reading"]) == ["b costs less", "within noise", "b costs more"]
    with pytest.raises(ValueError, match="readings must be a dict"):
        ev.bootstrap_table(results, readings={"up": "x"})


# ----------------------------------------------------------------------------- alert budget and calibration


def test_precision_at_k_is_the_fraud_share_of_the_k_highest_scores():
    y = np.array([0, 1, 0, 1, 0, 0])
    score = np.array([0.9, 0.8, 0.1, 0.7, 0.2, 0.3])
    assert ev.precision_at_k(y, score, 1) == 0.0
    assert ev.precision_at_k(y, score, 3) == pytest.approx(2 / 3)
    assert ev.precision_at_k(y, score, 6) == pytest.approx(2 / 6)
    for k in (0, 7, 2.0, True):
        with pytest.raises(ValueError, match="k must be an integer between 1 and 6"):
            ev.precision_at_k(y, score, k)


def test_wilson_interval_contains_the_rate_and_stays_in_bounds():
    low, high = ev.wilson_interval([0, 5, 20], [100, 100, 20])
    assert np.all(low >= 0) and np.all(high <= 1)
    assert low[0] == 0 and 0 < high[0] < 0.05
    assert low[1] < 0.05 < high[1]
    assert high[2] == 1 and low[2] < 1
    wide = ev.wilson_interval(5, 100, level=0.99)
    assert wide[0] < low[1] and wide[1] > high[1]
    with pytest.raises(ValueError, match="successes <= trials"):
        ev.wilson_interval(5, 3)
    with pytest.raises(ValueError, match="level must be between 0 and 1"):
        ev.wilson_interval(1, 3, level=90)


def test_reliability_table_uses_calibration_curve_bins():
    from sklearn.calibration import calibration_curve

    rng = np.random.default_rng(6)
    p = rng.beta(0.5, 20, 3000)
    y = (rng.random(3000) < p).astype(int)
    table = ev.reliability_table(y, p, n_bins=8)
    prob_true, prob_pred = calibration_curve(y, p, n_bins=8, strategy="quantile")
    assert table["observed rate"].to_numpy() == pytest.approx(prob_true)
    assert table["mean predicted"].to_numpy() == pytest.approx(prob_pred)
    assert table["transactions"].sum() == 3000 and table["frauds"].sum() == y.sum()
    assert table["covers prediction"].sum() >= 6  # calibrated by construction
    inflated = ev.reliability_table(y, np.sqrt(p), n_bins=8)
    assert inflated["covers prediction"].sum() == 0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"y_prob": [0.1, 1.2, 0.3]}, "probabilities in \\[0, 1\\]"),
        ({"strategy": "even"}, "strategy must be"),
        ({"n_bins": 0}, "n_bins must be a positive integer"),
    ],
)
def test_reliability_table_rejects_bad_input(kwargs, message):
    args = {"y_true": [0, 1, 0], "y_prob": [0.1, 0.8, 0.3], **kwargs}
    with pytest.raises(ValueError, match=message):
        ev.reliability_table(**args)


def test_calibration_error_bars_draw_one_bar_per_bin():
    from sklearn.calibration import CalibrationDisplay

    rng = np.random.default_rng(7)
    p = rng.beta(0.5, 20, 1000)
    y = (rng.random(1000) < p).astype(int)
    display = CalibrationDisplay.from_predictions(y, p, n_bins=5, strategy="quantile")
    table = ev.calibration_error_bars(display.ax_, y, p, n_bins=5, color="C0")
    assert len(table) == 5
    assert len(display.ax_.containers) == 1  # the error bar container
    assert table["mean predicted"].to_numpy() == pytest.approx(display.prob_pred)


def test_bullets_skip_empty_items_and_reject_strings():
    shown = ev.bullets(["one", "", "  two  "], intro="Intro.")
    assert shown.data == "Intro.\n\n- one\n- two"
    assert ev.bullets(["a"]).data == "- a"
    with pytest.raises(ValueError, match="list of strings"):
        ev.bullets("a sentence")
    with pytest.raises(ValueError, match="every item must be a string"):
        ev.bullets(["a", 3])


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
    partial = ImbPipeline([("p", _prepare()), ("r", RandomUnderSampler(sampling_strategy=0.2, random_state=0)),
                           ("m", LogisticRegression())])
    wanted = {"sampling_strategy": 0.2, "random_state": 0}
    assert ev.validate_resampling_pipeline(partial, sampler="RandomUnderSampler", sampler_params=wanted) is None
    assert "sampling_strategy is 'auto', expected 0.2" in ev.validate_resampling_pipeline(
        good, sampler="RandomUnderSampler", sampler_params=wanted)
    assert "has no parameter 'ratio'" in ev.validate_resampling_pipeline(partial, sampler_params={"ratio": 0.2})
    broken = ImbPipeline([("p", ColumnTransformer([("n", StandardScaler(), ["missing"])])),
                          ("r", RandomUnderSampler()), ("m", DummyClassifier())])
    assert "fitting your pipeline raised" in ev.validate_resampling_pipeline(broken, X=X, y=y)
