"""Unit tests of forge_lessons.capstone: segments, the prediction-log batch, scores from the log, figures, validators.

The Dockerfile checker of the same module is tested in tests/test_dockerfile.py.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import Pipeline, make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from forge_lessons import capstone, golden, tracking  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def transactions():
    rng = np.random.default_rng(0)
    n = 400
    return pd.DataFrame(
        {
            "transaction_id": np.arange(n),
            "customer_id": rng.integers(1, 41, n),
            "timestamp": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 365 * 24, n), unit="h"),
            "amount": np.round(np.exp(rng.normal(3, 1, n)), 2),
            "channel": rng.choice(["chip", "online", "contactless"], n),
            "distance_from_home_km": np.where(rng.random(n) < 0.3, np.nan, rng.gamma(1.0, 80, n)),
            "customer_tenure_days": np.where(rng.random(n) < 0.05, np.nan, rng.uniform(0, 3000, n)),
            "is_fraud": (rng.random(n) < 0.1).astype(int),
        }
    )


# ----------------------------------------------------------------------------- segments


def test_customer_profile_has_one_row_per_customer(transactions):
    profile = capstone.customer_profile(transactions)
    assert list(profile.columns) == list(capstone.PROFILE_COLUMNS)
    assert profile.index.name == "customer_id" and len(profile) == transactions["customer_id"].nunique()
    assert not profile.isna().any().any()
    one = transactions[transactions["customer_id"] == profile.index[0]]
    assert profile.iloc[0]["log_transactions"] == pytest.approx(np.log(len(one)))
    assert profile.iloc[0]["online_share"] == pytest.approx((one["channel"] == "online").mean())
    assert profile.iloc[0]["night_share"] == pytest.approx((one["timestamp"].dt.hour < 6).mean())
    assert profile["online_share"].between(0, 1).all() and profile["far_from_home_share"].between(0, 1).all()


@pytest.mark.parametrize(
    "frame, error, message",
    [
        ("not a frame", TypeError, "frame must be a DataFrame of transactions, got str"),
        (pd.DataFrame({"customer_id": [1]}), ValueError, r"frame lacks column\(s\) \['timestamp'"),
    ],
)
def test_customer_profile_rejects_bad_input(frame, error, message):
    with pytest.raises(error, match=message):
        capstone.customer_profile(frame)


def test_customer_profile_rejects_an_empty_frame(transactions):
    with pytest.raises(ValueError, match="frame has no transactions"):
        capstone.customer_profile(transactions.iloc[:0])


def test_renumbered_segments_are_not_changes():
    a = np.array([0, 0, 1, 1, 2, 2, 2])
    b = np.array([2, 2, 0, 0, 1, 1, 1])  # same segments, other numbers
    result = capstone.compare_segmentations(a, b)
    assert result["changed"] == 0 and result["share"] == 0
    assert result["mapping"] == {2: 0, 0: 1, 1: 2}
    assert np.trace(result["table"].loc[[0, 1, 2], [0, 1, 2]].to_numpy()) == len(a)


def test_the_table_diagonal_holds_the_items_that_kept_their_segment():
    a = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2, 2])
    b = np.array([3, 3, 4, 4, 4, 5, 5, 5, 5, 3])  # b's 3, 4, 5 are a's 0, 1, 2; three items moved
    result = capstone.compare_segmentations(a, b, names=("before", "after"))
    table = result["table"]
    assert list(table.columns) == list(table.index) == [0, 1, 2]
    assert np.trace(table.to_numpy()) == len(a) - result["changed"] == 7
    assert table.index.name == "segment (before)" and table.columns.name == "segment (after)"
    with pytest.raises(ValueError, match="names must be two strings"):
        capstone.compare_segmentations(a, b, names=("only one",))


def test_a_clustering_with_more_segments_keeps_its_extra_columns():
    a = np.array([0, 0, 1, 1])
    b = np.array([7, 7, 8, 9])  # b splits a's segment 1 in two
    result = capstone.compare_segmentations(a, b)
    assert result["changed"] == 1 and result["table"].to_numpy().sum() == 4 and result["table"].shape == (2, 3)


def test_moved_items_are_counted_once():
    a = np.array([0, 0, 0, 1, 1, 1, 2, 2])
    b = np.array([5, 5, 7, 7, 7, 7, 9, 5])  # one item of segment 0 and one of segment 2 moved
    result = capstone.compare_segmentations(a, b)
    assert result["changed"] == 2 and result["share"] == pytest.approx(2 / 8)


def test_segmentations_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="the same items: 3 versus 2 labels"):
        capstone.compare_segmentations([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="one-dimensional"):
        capstone.compare_segmentations([[0, 1]], [[0, 1]])
    with pytest.raises(ValueError, match="empty"):
        capstone.compare_segmentations([], [])


def test_inertia_plot_has_title_labels_and_legend():
    ax = capstone.plot_inertia_runs([10.0, 11.0, 12.5, 10.0], {"n_init=10": 10.0, "auto": 11.0})
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert len(ax.get_legend().get_texts()) == 3
    with pytest.raises(ValueError, match="non-empty 1-D array of finite numbers"):
        capstone.plot_inertia_runs([], {"a": 1})
    with pytest.raises(ValueError, match="marks must be a non-empty dict"):
        capstone.plot_inertia_runs([1.0], {})


# ----------------------------------------------------------------------------- the prediction log


def test_prediction_rows_fit_the_log(transactions, tmp_path):
    batch = capstone.prediction_rows(
        transactions["transaction_id"], model_version="v1", probability=np.linspace(0, 1, len(transactions)),
        decision=np.arange(len(transactions)) % 2, feature_hash="abc123", created_at=transactions["timestamp"],
    )
    assert tuple(batch.columns) == tracking.PREDICTION_COLUMNS
    engine = tracking.connect(default_path=tmp_path / "log.sqlite")
    tracking.create_schema(engine)
    assert tracking.log_predictions(engine, batch) == len(transactions)
    tracking.record_outcomes(engine, pd.DataFrame({
        "entity_id": transactions["transaction_id"].astype(str), "label": transactions["is_fraud"],
        "observed_at": transactions["timestamp"] + pd.Timedelta(days=30),
    }))
    scores = capstone.scores_by_version(tracking.backtest_rows(engine), n_boot=50)
    assert list(scores.index) == ["v1"] and scores.loc["v1", "n"] == len(transactions)
    assert scores.loc["v1", "frauds"] == transactions["is_fraud"].sum()
    from sklearn.metrics import roc_auc_score

    assert scores.loc["v1", "roc_auc"] == pytest.approx(roc_auc_score(transactions["is_fraud"], batch["probability_score"]))
    assert scores.loc["v1", "se"] > 0
    engine.dispose()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"probability": [0.1]}, "probability has 1 values but there are 2 ids"),
        ({"model_version": ""}, "model_version must be a non-empty string"),
        ({"feature_hash": None}, "feature_hash must be a non-empty string"),
    ],
)
def test_prediction_rows_reject_bad_batches(kwargs, message):
    arguments = {"model_version": "v", "probability": [0.1, 0.2], "decision": [0, 1], "feature_hash": "h",
                 "created_at": pd.to_datetime(["2026-01-01", "2026-01-02"])}
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        capstone.prediction_rows([1, 2], **arguments)


def test_scores_by_version_needs_log_rows_with_both_classes():
    with pytest.raises(ValueError, match="expected the rows of tracking.backtest_rows"):
        capstone.scores_by_version(pd.DataFrame({"x": [1]}))
    rows = pd.DataFrame({"model_version": ["v"] * 3, "probability_score": [0.1, 0.2, 0.3], "label": [0, 0, 0]})
    with pytest.raises(ValueError, match="model version 'v': the outcomes hold one class only"):
        capstone.scores_by_version(rows)
    with pytest.raises(ValueError, match="no logged prediction has an outcome yet"):
        capstone.scores_by_version(rows.iloc[:0])


# ----------------------------------------------------------------------------- paired differences and the attribution chart


def test_paired_bootstrap_gives_the_difference_and_its_noise():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(3)
    y = (rng.random(2000) < 0.05).astype(int)
    good = rng.normal(size=2000) + 1.5 * y
    weak = good + rng.normal(scale=2.0, size=2000)
    result = capstone.paired_bootstrap(y, good, weak, n_boot=100, random_state=0)
    assert result["a"] == pytest.approx(roc_auc_score(y, good))
    assert result["b"] == pytest.approx(roc_auc_score(y, weak))
    assert result["difference"] == pytest.approx(result["a"] - result["b"])
    assert 0 < result["se"] < result["difference"]
    same = capstone.paired_bootstrap(y, good, good, n_boot=50)
    assert same["difference"] == 0 and same["se"] == 0  # a model compared with itself: no noise at all
    again = capstone.paired_bootstrap(y, good, weak, n_boot=100, random_state=0)
    assert again == result


def test_paired_bootstrap_takes_any_metric_of_decisions():
    y = np.array([0, 0, 0, 1, 1] * 20)
    flag_all, flag_none = np.ones_like(y), np.zeros_like(y)
    result = capstone.paired_bootstrap(y, flag_all, flag_none, metric=lambda t, d: float((t != d).mean()), n_boot=20)
    assert result["a"] == pytest.approx(0.6) and result["b"] == pytest.approx(0.4)


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        (([0, 1], [0.1], [0.2, 0.3]), {}, "same length"),
        (([0, 0], [0.1, 0.2], [0.2, 0.3]), {}, r"both 0 and 1, found \[0\]"),
        (([0, 1], [0.1, 0.2], [0.2, 0.3]), {"n_boot": 1}, "n_boot must be an integer >= 2"),
        (([0, 1], [0.1, 0.2], [0.2, 0.3]), {"metric": "f1"}, "metric must be 'roc_auc' or a callable"),
    ],
)
def test_paired_bootstrap_rejects_bad_input(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        capstone.paired_bootstrap(*args, **kwargs)


def test_attribution_chart_has_error_bars_on_the_steps():
    from forge_lessons import experiments

    table = experiments.waterfall_table([("promise", 0.9, "total"), ("leaks removed", 0.78), ("drift", 0.72),
                                         ("production", 0.72, "total")])
    ax = capstone.plot_attribution(table, {"leaks removed": 0.02, "drift": 0.04})
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    from matplotlib.container import ErrorbarContainer

    assert sum(isinstance(c, ErrorbarContainer) for c in ax.containers) == 2  # one per step with a standard error
    assert [t.get_text() for t in ax.get_xticklabels()] == list(table["stage"])
    # value labels sit above the error bar's cap, not on it
    wide = capstone.plot_attribution(table, {"drift": 0.1})  # drift's bar spans 0.72-0.78; its error bar reaches 0.82
    labels = {t.get_position()[0]: t.get_position()[1] for t in wide.texts}
    assert labels[1] > 0.9 and labels[2] > 0.72 + 0.1 and wide.get_ylim()[1] > labels[2]
    short = capstone.plot_attribution(table, {"drift": 0.04}, labels={"promise": "dev", "production": "prod"})
    assert [t.get_text() for t in short.get_xticklabels()] == ["dev", "leaks removed", "drift", "prod"]
    with pytest.raises(ValueError, match=r"not in the table"):
        capstone.plot_attribution(table, labels={"noise": "n"})
    with pytest.raises(ValueError, match="labels must be a dict"):
        capstone.plot_attribution(table, labels=["dev"])
    with pytest.raises(ValueError, match=r"not in the table"):
        capstone.plot_attribution(table, {"noise": 0.01})
    with pytest.raises(ValueError, match="se must be a dict"):
        capstone.plot_attribution(table, [0.01])


def test_dev_versus_prod_chart():
    table = pd.DataFrame(
        {"dev_estimate": [0.9, 0.8], "dev_se": [0.02, 0.03], "production": [0.7, 0.75], "production_se": [0.02, 0.02]},
        index=["leaky", "fixed"],
    )
    ax = capstone.plot_dev_vs_prod(table)
    assert ax.get_title() and ax.get_xlabel() and "ROC AUC" in ax.get_ylabel()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["leaky", "fixed"]
    assert {t.get_text() for t in ax.texts} == {"0.900", "0.800", "0.700", "0.750"}
    with pytest.raises(ValueError, match="table needs columns"):
        capstone.plot_dev_vs_prod(table.drop(columns="dev_se"))


# ----------------------------------------------------------------------------- exercise validator


@pytest.fixture(scope="module")
def imputation_case():
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"a": rng.normal(size=300), "b": np.where(rng.random(300) < 0.3, np.nan, rng.normal(size=300))})
    y = (X["a"] + rng.normal(size=300) > 1).astype(int)

    def build(strategy):
        prep = ColumnTransformer([("num", make_pipeline(SimpleImputer(strategy=strategy), StandardScaler()), ["a", "b"])])
        return Pipeline([("prep", prep), ("clf", LogisticRegression())])

    approved = build("median").fit(X, y)
    stored = golden.build_golden_set(approved, X.iloc[:40], model_version="v")
    return X, y, build, stored


def test_validator_accepts_the_intended_model(imputation_case):
    X, y, build, stored = imputation_case
    validate = capstone.validate_altered_model(stored, strategy="mean")
    assert validate(build("mean").fit(X, y)) is None


def test_validator_explains_wrong_answers(imputation_case):
    X, y, build, stored = imputation_case
    validate = capstone.validate_altered_model(stored, strategy="mean")
    assert "not fitted yet" in validate(build("mean"))
    assert "uses strategy ['median'], expected 'mean'" in validate(build("median").fit(X, y))
    assert "found str" in validate("a model")
    assert "no SimpleImputer found" in validate(LogisticRegression().fit(X.fillna(0), y))
    with pytest.raises(TypeError, match="golden must be a GoldenSet"):
        capstone.validate_altered_model("not a golden set")


def test_plus_minus_flags_changes_within_the_noise():
    assert capstone.plus_minus(0.144, 0.02) == "+0.144 ± 0.020"
    assert capstone.plus_minus(-0.004, 0.036) == "-0.004 ± 0.036, within two standard errors of zero: it could be noise"
    assert capstone.plus_minus(0.83, 0.21, decimals=2) == "+0.83 ± 0.21"
    with pytest.raises(ValueError, match="se must be > 0"):
        capstone.plus_minus(0.1, 0.0)
    with pytest.raises(ValueError, match="value must be a finite number"):
        capstone.plus_minus(float("nan"), 0.1)
