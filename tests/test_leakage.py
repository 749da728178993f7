"""Unit tests of forge_lessons.leakage: the runtime audits and the budget helpers."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from forge_lessons import leakage


@pytest.fixture
def frame():
    rng = np.random.default_rng(0)
    n = 60
    return pd.DataFrame(
        {
            "transaction_id": np.arange(n),
            "customer_id": np.repeat(np.arange(20), 3),
            "timestamp": pd.Timestamp("2025-01-01") + pd.to_timedelta(np.arange(n), unit="h"),
            "amount": rng.gamma(2, 20, n).round(2),
            "channel": rng.choice(["Online", "chip"], n),
            "is_fraud": np.r_[np.ones(10, int), np.zeros(n - 10, int)],
        }
    )


# -- shared rows ---------------------------------------------------------------


def test_shared_rows_clean_split_passes(frame):
    report = leakage.audit_shared_rows(frame.iloc[:40], frame.iloc[40:])
    assert report.ok and bool(report)
    assert "no test row" in report.text
    assert report.text.startswith("✅ shared rows")


def test_shared_rows_finds_exact_copies(frame):
    test = pd.concat([frame.iloc[40:], frame.iloc[[1, 2]]])
    report = leakage.audit_shared_rows(frame.iloc[:40], test)
    assert not report.ok and not bool(report)
    assert list(report.details["kind"]) == ["exact", "exact"]
    assert "2 test rows" in report.summary
    assert report.text.startswith("❌")


def test_shared_rows_after_normalising_and_ignoring_ids(frame):
    copy = frame.iloc[[3]].copy()
    copy["channel"] = "  " + copy["channel"].str.upper() + " "
    copy["amount"] = copy["amount"] + 0.001
    copy["transaction_id"] = 999
    test = pd.concat([frame.iloc[40:], copy])
    exact_only = leakage.audit_shared_rows(frame.iloc[:40], test, ignore=["transaction_id"], normalise=False)
    assert exact_only.ok
    report = leakage.audit_shared_rows(frame.iloc[:40], test, ignore="transaction_id")
    assert not report.ok
    assert list(report.details["kind"]) == ["normalised"]
    # without ignoring the new id the copy is not found
    assert leakage.audit_shared_rows(frame.iloc[:40], test).ok


def test_shared_rows_accepts_arrays():
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    b = np.array([[3.0, 4.0], [5.0, 6.0]])
    assert not leakage.audit_shared_rows(a, b).ok


def test_shared_rows_bad_input(frame):
    with pytest.raises(ValueError, match="same columns"):
        leakage.audit_shared_rows(frame, frame.drop(columns="amount"))
    with pytest.raises(ValueError, match="not in the data"):
        leakage.audit_shared_rows(frame, frame, ignore=["nope"])
    with pytest.raises(ValueError, match="decimals"):
        leakage.audit_shared_rows(frame, frame, decimals=-1)
    with pytest.raises(ValueError, match="2-D"):
        leakage.audit_shared_rows(np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))


# -- groups ----------------------------------------------------------------------


def test_groups_disjoint_and_shared(frame):
    ok = leakage.audit_groups(frame["customer_id"][:30], frame["customer_id"][30:], name="customer")
    assert ok.ok and "no customer" in ok.summary
    shared = leakage.audit_groups(frame["customer_id"][:31], frame["customer_id"][31:], name="customer")
    assert not shared.ok
    assert list(shared.details["customer"]) == [10]
    assert shared.details.loc[0, "test_rows"] == 2
    assert "GroupKFold" in shared.summary


def test_groups_bad_input():
    with pytest.raises(TypeError, match="sequence"):
        leakage.audit_groups("abc", [1, 2])
    with pytest.raises(ValueError, match="empty"):
        leakage.audit_groups([1, 2], [])
    with pytest.raises(ValueError, match="1-D"):
        leakage.audit_groups(np.zeros((2, 2)), [1])


# -- time order ----------------------------------------------------------------------


def test_time_order(frame):
    ordered = leakage.audit_time_order(frame["timestamp"][:40], frame["timestamp"][40:])
    assert ordered.ok
    assert "2025-01-02 15:00:00" in ordered.summary
    shuffled = leakage.audit_time_order(frame["timestamp"][::2], frame["timestamp"][1::2])
    assert not shuffled.ok
    assert "future" in shuffled.summary
    assert shuffled.details.loc["test rows before the latest training row", "value"] == 29


def test_time_order_numbers_and_bad_input():
    assert leakage.audit_time_order([1, 2, 3], [3, 4]).ok
    assert not leakage.audit_time_order([1, 5], [3, 4]).ok
    with pytest.raises(ValueError, match="missing"):
        leakage.audit_time_order([1.0, np.nan], [3.0])
    with pytest.raises(ValueError, match="non-empty"):
        leakage.audit_time_order([], [1])
    with pytest.raises(ValueError, match="timestamps"):
        leakage.audit_time_order(["not a date"], ["2025-01-01"])


# -- proxy features ---------------------------------------------------------------------


def test_proxy_feature_found(frame):
    X = frame[["amount", "channel"]].assign(chargeback=frame["is_fraud"])
    report = leakage.audit_proxy_features(X, frame["is_fraud"])
    assert not report.ok
    assert list(report.details["feature"]) == ["chargeback"]
    assert report.details.iloc[0]["single_feature_auc"] == 1.0
    assert report.summary.startswith("1 feature separates the classes almost perfectly on its own ('chargeback'")


def test_proxy_inverted_and_categorical(frame):
    y = frame["is_fraud"].to_numpy()
    X = pd.DataFrame({"inverted": 1 - y, "label_text": np.where(y == 1, "fraud", "ok")})
    report = leakage.audit_proxy_features(X, y)
    assert set(report.details["feature"]) == {"inverted", "label_text"}
    assert report.summary.startswith("2 features separate the classes almost perfectly on their own")


def test_proxy_ids_are_not_proxies(frame):
    # a unique id per row is encoded out of fold, so it does not look predictive
    X = frame[["amount"]].assign(row_id=[f"id{i}" for i in range(len(frame))])
    report = leakage.audit_proxy_features(X, frame["is_fraud"])
    assert report.ok
    assert "best" in report.summary


def test_proxy_missing_indicator():
    y = np.r_[np.ones(20), np.zeros(80)].astype(int)
    values = np.where(y == 1, np.nan, np.arange(100.0))
    report = leakage.audit_proxy_features(pd.DataFrame({"closed_at": values}), y)
    assert not report.ok


def test_proxy_bad_input(frame):
    with pytest.raises(ValueError, match="two classes"):
        leakage.audit_proxy_features(frame[["amount"]], np.zeros(len(frame)))
    with pytest.raises(ValueError, match="same number of rows"):
        leakage.audit_proxy_features(frame[["amount"]], [0, 1])
    with pytest.raises(ValueError, match="threshold"):
        leakage.audit_proxy_features(frame[["amount"]], frame["is_fraud"], threshold=0.3)
    with pytest.raises(ValueError, match="cv"):
        leakage.audit_proxy_features(frame[["amount"]], frame["is_fraud"], cv=1)


# -- the combined audit -------------------------------------------------------------------


def test_audit_split_combines(frame):
    leaky = leakage.audit_split(frame.sample(frac=0.7, random_state=1), frame.sample(frac=0.3, random_state=2),
                                target="is_fraud", groups="customer_id", time="timestamp",
                                ignore=["transaction_id"])
    assert not leaky.ok
    assert len(leaky.reports) == 4
    assert "audits found a problem" in leaky.summary
    assert leaky.text.count("\n") >= 4
    honest = leakage.audit_split(frame.iloc[:30], frame.iloc[30:], groups="customer_id", time="timestamp")
    assert honest.ok
    assert [r.check for r in honest.reports] == ["shared rows", "groups on both sides (customer_id)", "time order"]


def test_audit_split_bad_input(frame):
    with pytest.raises(TypeError, match="two DataFrames"):
        leakage.audit_split(frame.to_numpy(), frame)
    with pytest.raises(ValueError, match="groups='nope'"):
        leakage.audit_split(frame, frame, groups="nope")


# -- measurement helpers -------------------------------------------------------------------


def test_time_matched_splits_keep_test_rows_and_sizes():
    from sklearn.model_selection import TimeSeriesSplit

    time_splits = list(TimeSeriesSplit(n_splits=3).split(np.zeros(40)))
    shuffled = leakage.time_matched_shuffled_splits(time_splits, 40, random_state=0)
    for (train, test), (mixed_train, mixed_test) in zip(time_splits, shuffled):
        assert np.array_equal(test, mixed_test)
        assert len(mixed_train) == len(train)
        assert not np.intersect1d(mixed_train, test).size
    assert any(mixed_train.max() > test.min() for mixed_train, test in shuffled)
    assert leakage.time_matched_shuffled_splits(time_splits, 40, random_state=0)[0][0].tolist() == shuffled[0][0].tolist()


def test_time_matched_splits_bad_input():
    with pytest.raises(ValueError, match="n_samples"):
        leakage.time_matched_shuffled_splits([], 1)
    with pytest.raises(ValueError, match="empty"):
        leakage.time_matched_shuffled_splits([], 10)
    with pytest.raises(ValueError, match="pair"):
        leakage.time_matched_shuffled_splits([1], 10)
    with pytest.raises(ValueError, match="≥ n_samples"):
        leakage.time_matched_shuffled_splits([([0, 1], [20])], 10)


def test_drop_test_copies(frame):
    data = pd.concat([frame, frame.iloc[[0, 1]]], ignore_index=True)
    splits = [(np.arange(0, 50), np.array([60, 61, 55]))]
    (train, test), = leakage.drop_test_copies(splits, data)
    assert test.tolist() == [60, 61, 55]
    assert 0 not in train and 1 not in train and len(train) == 48
    with pytest.raises(TypeError, match="DataFrame"):
        leakage.drop_test_copies(splits, data.to_numpy())
    with pytest.raises(ValueError, match="outside"):
        leakage.drop_test_copies([(np.arange(3), np.array([99]))], data)


def test_group_matched_splits(frame):
    groups = frame["customer_id"].to_numpy()
    leaky, honest = leakage.group_matched_splits(groups, n_splits=3, test_size=0.3, random_state=0)
    assert len(leaky) == len(honest) == 3
    for (leaky_train, test), (honest_train, honest_test) in zip(leaky, honest):
        assert np.array_equal(test, honest_test)
        assert len(leaky_train) == len(honest_train)
        assert not np.intersect1d(leaky_train, test).size
        assert not np.isin(groups[honest_train], groups[test]).any()
        assert np.isin(groups[leaky_train], groups[test]).any()
    with pytest.raises(ValueError, match="test_size"):
        leakage.group_matched_splits(groups, test_size=1.5)
    with pytest.raises(ValueError, match="no group"):
        leakage.group_matched_splits([1, 1, 2], test_size=0.1)
    with pytest.raises(ValueError, match="n_splits"):
        leakage.group_matched_splits(groups, n_splits=0)


def test_budget_paired_and_unpaired():
    budget = leakage.LeakageBudget(record=False)
    row = budget.add("selection", [0.9, 0.8], [0.5, 0.52], data="synthetic", model="lr")
    assert row["inflation"] == pytest.approx(0.34)
    assert row["spread"] == pytest.approx(np.std([0.4, 0.28], ddof=1))
    assert row["noise"] == pytest.approx(2 * np.std([0.4, 0.28], ddof=1) / np.sqrt(2))
    row = budget.add("no_test_set", [1.0], [0.7, 0.72], data="course", model="rf", paired=False)
    assert row["inflation"] == pytest.approx(0.29)
    assert row["spread"] == pytest.approx(np.std([0.7, 0.72], ddof=1))
    assert row["noise"] == pytest.approx(2 * np.std([0.7, 0.72], ddof=1) / np.sqrt(2))
    budget.add("imputation_target", [0.8, 0.8], [0.7, 0.7], data="course", model="rf", family="selection")
    assert budget.kinds == ["selection", "no_test_set", "imputation_target"]
    assert budget.families == ["selection", "no_test_set"]
    table = budget.table()
    assert list(table.index) == ["selection", "no_test_set", "imputation_target"]
    assert len(budget) == 3


def test_budget_records(monkeypatch):
    recorded = {}
    monkeypatch.setattr("forge_lessons.course.record", lambda name, value: recorded.setdefault(name, value))
    leakage.LeakageBudget().add("duplicates", [0.8], [0.7], data="course", model="rf")
    assert set(recorded) == {"leak_duplicates_leaky", "leak_duplicates_honest", "leak_duplicates_inflation"}
    assert recorded["leak_duplicates_inflation"] == pytest.approx(0.1)


def test_budget_bad_input():
    budget = leakage.LeakageBudget(record=False)
    with pytest.raises(ValueError, match="snake_case"):
        budget.add("Bad Kind", [1], [1], data="d", model="m")
    with pytest.raises(ValueError, match="empty"):
        budget.add("kind", [], [1], data="d", model="m")
    with pytest.raises(ValueError, match="NaN"):
        budget.add("kind", [np.nan], [1], data="d", model="m")
    with pytest.raises(ValueError, match="same length"):
        budget.add("kind", [1, 2], [1], data="d", model="m", paired=True)
    with pytest.raises(ValueError, match="empty"):
        budget.table()


def test_budget_plots():
    budget = leakage.LeakageBudget(record=False)
    budget.add("selection", [0.9, 0.85], [0.5, 0.55], data="synthetic", model="lr")
    budget.add("imputation", [0.70, 0.71], [0.70, 0.705], data="course", model="rf")
    ax = budget.plot()
    assert ax.get_title() and ax.get_xlabel() and ax.get_legend() is not None
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "synthetic" in labels and "within the noise or below +0.01" in labels
    # bars within the noise are grey whatever their size
    noisy = leakage.LeakageBudget(record=False)
    noisy.add("multi_test", [0.80, 0.70, 0.85], [0.70, 0.75, 0.72], data="course", model="lr")
    bar = noisy.plot().patches[0]
    assert matplotlib.colors.to_hex(bar.get_facecolor()) == matplotlib.colors.to_hex("tab:gray")
    ax = budget.plot_scores()
    assert ax.get_title() and ax.get_xlabel() and ax.get_legend() is not None
