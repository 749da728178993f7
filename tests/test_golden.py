"""Unit tests of forge_lessons.golden: choosing rows, building, saving, loading and checking golden sets."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.frozen import FrozenEstimator
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import FixedThresholdClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from forge_lessons import golden
from forge_lessons.course import DATA_DIR

NUMERIC = ["amount", "velocity", "distance"]
CATEGORICAL = ["channel", "country"]


@pytest.fixture(scope="module")
def data():
    """Transactions-like frame: numbers with missing values, categories, a timestamp, a rare label."""
    rng = np.random.default_rng(0)
    n = 600
    frame = pd.DataFrame(
        {
            "transaction_id": np.arange(1000, 1000 + n),
            "amount": np.round(np.exp(rng.normal(3, 1, n)), 2),
            "velocity": rng.poisson(1.0, n),
            "distance": np.where(rng.random(n) < 0.2, np.nan, np.round(rng.gamma(1.2, 8, n), 1)),
            "channel": rng.choice(["chip", "online", "contactless", "atm"], n, p=[0.4, 0.3, 0.25, 0.05]),
            "country": rng.choice(["DE", "FR", "SG"], n, p=[0.6, 0.35, 0.05]),
            "timestamp": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 365 * 86400, n), unit="s"),
        }
    )
    logit = -4 + 0.8 * frame["velocity"] + 0.6 * (frame["channel"] == "online") + 0.3 * np.log(frame["amount"])
    frame["label"] = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    frame["timestamp"] = frame["timestamp"].astype("datetime64[us]")
    frame["channel"] = frame["channel"].astype("str")
    frame["country"] = frame["country"].astype("str")
    return frame


def make_pipeline_(numeric=NUMERIC, impute="median"):
    preprocess = ColumnTransformer(
        [
            ("num", make_pipeline(SimpleImputer(strategy=impute), StandardScaler()), list(numeric)),
            ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
        ]
    )
    return Pipeline([("prep", preprocess), ("clf", LogisticRegression(max_iter=1000))])


def fitted(data, **kwargs):
    X = data[NUMERIC + CATEGORICAL + ["timestamp"]]
    pipeline = make_pipeline_(**kwargs).fit(X, data["label"])
    return FixedThresholdClassifier(FrozenEstimator(pipeline), threshold=0.2).fit(X, data["label"])


@pytest.fixture(scope="module")
def model(data):
    return fitted(data)


@pytest.fixture(scope="module")
def rows(data):
    return golden.select_golden_rows(data, 60, label="label", cover=CATEGORICAL, extremes=NUMERIC, random_state=1)


@pytest.fixture(scope="module")
def golden_set(model, rows):
    return golden.build_golden_set(model, rows.drop(columns="label"), model_version="v1", id_column="transaction_id")


# ----------------------------------------------------------------------------- choosing rows


def test_selection_covers_every_edge_case(data, rows):
    assert len(rows) == 60
    for column in CATEGORICAL:
        assert set(rows[column]) == set(data[column])
    assert rows["distance"].isna().any()
    for column in NUMERIC:
        assert rows[column].min() == data[column].min() and rows[column].max() == data[column].max()
    wanted = min(int(data["label"].sum()), 60 // 4)
    assert rows["label"].sum() >= wanted
    assert rows.index.is_monotonic_increasing and rows.index.is_unique


def test_selection_is_reproducible_and_depends_on_the_seed(data):
    first = golden.select_golden_rows(data, 60, label="label", cover=CATEGORICAL, random_state=3)
    again = golden.select_golden_rows(data, 60, label="label", cover=CATEGORICAL, random_state=3)
    other = golden.select_golden_rows(data, 60, label="label", cover=CATEGORICAL, random_state=4)
    assert first.index.equals(again.index)
    assert not first.index.equals(other.index)


def test_selection_without_label_takes_all_numeric_extremes(data):
    chosen = golden.select_golden_rows(data.drop(columns="label"), 30, random_state=0)
    assert len(chosen) == 30
    assert chosen["transaction_id"].min() == data["transaction_id"].min()


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"n_rows": 3, "cover": CATEGORICAL}, ValueError, "n_rows=3 is too small: the edge cases alone need"),
        ({"n_rows": 0}, ValueError, "n_rows must be a positive integer, got 0"),
        ({"n_rows": 10, "cover": ["nope"]}, ValueError, r"column\(s\) \['nope'\] are not in the frame"),
        ({"n_rows": 10, "extremes": ["channel"]}, ValueError, "extremes must name numeric columns; 'channel'"),
    ],
)
def test_selection_rejects_bad_requests(data, kwargs, error, message):
    with pytest.raises(error, match=message):
        golden.select_golden_rows(data, **kwargs)


def test_selection_rejects_a_repeated_index_and_non_frames(data):
    with pytest.raises(ValueError, match="repeated labels; call frame.reset_index"):
        golden.select_golden_rows(pd.concat([data, data]), 10, extremes=[])
    with pytest.raises(TypeError, match="must be a pandas DataFrame with named columns, got ndarray"):
        golden.select_golden_rows(data.to_numpy(), 10)


# ----------------------------------------------------------------------------- building


def test_build_stores_inputs_outputs_and_metadata(golden_set, model, rows):
    frame = golden_set.frame
    assert list(frame.columns) == ["transaction_id", *NUMERIC, *CATEGORICAL, "timestamp",
                                   golden.PROBABILITY, golden.PREDICTION]
    expected = model.predict_proba(rows[golden_set.features])[:, 1]
    np.testing.assert_array_equal(frame[golden.PROBABILITY].to_numpy(), expected)
    assert set(frame[golden.PREDICTION]) <= {0, 1}
    meta = golden_set.metadata
    assert meta["threshold"] == 0.2 and meta["tolerance"] == 1e-6 and meta["model_version"] == "v1"
    assert meta["features"] == [*NUMERIC, *CATEGORICAL, "timestamp"]
    assert meta["library_versions"]["scikit-learn"]
    np.testing.assert_array_equal(golden_set.ids, rows["transaction_id"].to_numpy())
    assert "60 rows" in repr(golden_set)


def test_build_reads_the_threshold_of_tuned_and_plain_classifiers(data, rows):
    X = data[NUMERIC + CATEGORICAL]
    plain = make_pipeline_().fit(X, data["label"])
    built = golden.build_golden_set(plain, rows[NUMERIC + CATEGORICAL], model_version="plain")
    assert built.metadata["threshold"] == 0.5 and built.metadata["id_column"] is None
    np.testing.assert_array_equal(built.ids, np.arange(len(rows)))


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"model_version": ""}, ValueError, "model_version must be a non-empty string"),
        ({"model_version": "v", "tolerance": -1}, ValueError, "tolerance must be a number >= 0"),
        ({"model_version": "v", "id_column": "missing"}, ValueError, "id_column 'missing' is not a column of X"),
        ({"model_version": "v", "extra": {"threshold": 1}}, ValueError, r"extra must not redefine \['threshold'\]"),
        ({"model_version": "v", "extra": {"when": pd.Timestamp("2025-01-01")}}, TypeError, "not JSON serializable"),
    ],
)
def test_build_rejects_bad_arguments(model, rows, kwargs, error, message):
    with pytest.raises(error, match=message):
        golden.build_golden_set(model, rows.drop(columns="label"), **kwargs)


def test_build_needs_predict_proba_and_the_fitted_columns(model, rows):
    from sklearn.svm import LinearSVC

    square = pd.DataFrame(np.eye(4), columns=list("abcd"))
    svc = LinearSVC().fit(square, [0, 1, 0, 1])
    with pytest.raises(TypeError, match="must have predict_proba, found LinearSVC"):
        golden.build_golden_set(svc, square, model_version="v")
    with pytest.raises(ValueError, match=r"X needs string column names .* found \[0, 1, 2, 3\]"):
        golden.build_golden_set(svc, pd.DataFrame(np.eye(4)), model_version="v")
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['amount'\] that the model was fitted on"):
        golden.build_golden_set(model, rows.drop(columns=["label", "amount"]), model_version="v")


# ----------------------------------------------------------------------------- saving and loading


def test_save_and_load_round_trip_exactly(golden_set, tmp_path):
    written = golden.save_golden_set(golden_set, tmp_path / "golden", name="demo")
    assert [p.name for p in written] == ["demo.csv", "demo.json", "SHA256SUMS"]
    loaded = golden.load_golden_set(tmp_path / "golden", name="demo")
    pd.testing.assert_frame_equal(loaded.frame, golden_set.frame)
    assert loaded.metadata == json.loads(json.dumps(golden_set.metadata))


def test_saving_keeps_other_checksum_lines(golden_set, tmp_path):
    golden.save_golden_set(golden_set, tmp_path, name="first")
    golden.save_golden_set(golden_set, tmp_path, name="second")
    names = [line.split()[1] for line in (tmp_path / "SHA256SUMS").read_text().splitlines()]
    assert names == ["first.csv", "first.json", "second.csv", "second.json"]
    golden.load_golden_set(tmp_path, name="first")


def test_an_edited_golden_file_is_refused(golden_set, tmp_path):
    golden.save_golden_set(golden_set, tmp_path)
    table = tmp_path / "capstone.csv"
    table.write_text(table.read_text().replace("0.", "0.9", 1))
    with pytest.raises(golden.GoldenSetError, match="capstone.csv does not match SHA256SUMS .* edited after it was saved"):
        golden.load_golden_set(tmp_path)
    golden.load_golden_set(tmp_path, verify=False)  # readable when asked not to verify


def test_missing_files_are_reported(golden_set, tmp_path):
    with pytest.raises(golden.GoldenSetError, match="no golden set 'capstone' .* capstone.csv is missing"):
        golden.load_golden_set(tmp_path)
    golden.save_golden_set(golden_set, tmp_path)
    (tmp_path / "SHA256SUMS").unlink()
    with pytest.raises(golden.GoldenSetError, match="SHA256SUMS is missing: a golden set must come with its checksums"):
        golden.load_golden_set(tmp_path)


def test_malformed_files_are_reported(golden_set, tmp_path):
    golden.save_golden_set(golden_set, tmp_path)
    (tmp_path / "SHA256SUMS").write_text("not a checksum line\n")
    with pytest.raises(golden.GoldenSetError, match=r"SHA256SUMS:1: expected '<sha256>  <file name>'"):
        golden.load_golden_set(tmp_path)
    (tmp_path / "SHA256SUMS").unlink()
    golden.save_golden_set(golden_set, tmp_path)
    meta = json.loads((tmp_path / "capstone.json").read_text())
    meta["dtypes"]["amount"] = "int64"
    (tmp_path / "capstone.json").write_text(json.dumps(meta))
    with pytest.raises(golden.GoldenSetError, match="column 'amount' cannot be read as int64"):
        golden.load_golden_set(tmp_path, verify=False)


@pytest.mark.parametrize("name", ["", "../up", "a b", 3])
def test_bad_names_are_refused(golden_set, tmp_path, name):
    with pytest.raises(ValueError, match="name must be a file stem"):
        golden.save_golden_set(golden_set, tmp_path, name=name)


def test_save_needs_a_golden_set(tmp_path):
    with pytest.raises(TypeError, match="expected a GoldenSet from build_golden_set"):
        golden.save_golden_set(pd.DataFrame(), tmp_path)


# ----------------------------------------------------------------------------- checking


def test_check_passes_for_the_same_model(model, golden_set, tmp_path):
    golden.save_golden_set(golden_set, tmp_path)
    report = golden.check_golden_set(model, golden.load_golden_set(tmp_path))
    assert report.passed and bool(report)
    assert report.n_outside_tolerance == 0 and report.n_flipped == 0 and report.diff.empty
    assert str(report).startswith("✅ golden set check passed: 60 rows")


def test_check_fails_for_an_altered_step_with_a_readable_diff(data, golden_set):
    altered = fitted(data, numeric=["amount", "distance"])  # "velocity" dropped by a refactor
    report = golden.check_golden_set(altered, golden_set, show=5)
    assert not report.passed and not bool(report)
    assert report.n_outside_tolerance > 0 and report.max_abs_difference > 1e-3
    changes = report.diff["change"].abs().to_numpy()
    assert (np.diff(changes) <= 0).all(), "worst rows first"
    text = str(report)
    assert text.startswith("❌ golden set check failed:")
    assert "transaction_id" in text and f"{report.diff['transaction_id'].iloc[0]}" in text
    assert text.count("\n") == 2 + 5  # summary, header line, column names, five rows
    assert "GoldenReport(passed=False" in repr(report)


def test_a_small_change_fails_only_below_its_size(data, golden_set):
    mean_imputed = fitted(data, impute="mean")
    report = golden.check_golden_set(mean_imputed, golden_set)
    assert not report.passed
    loose = golden.check_golden_set(mean_imputed, golden_set, tolerance=report.max_abs_difference * 1.01 + 0.3)
    assert loose.passed


def test_borderline_decisions_may_flip_within_the_tolerance(model, golden_set):
    frame = golden_set.frame.copy()
    row = 0
    frame.loc[row, golden.PROBABILITY] = golden_set.metadata["threshold"] + 5e-7
    frame.loc[row, golden.PREDICTION] = 1 - model.predict(golden_set.inputs.iloc[[row]])[0]
    shifted = golden.GoldenSet(frame, golden_set.metadata)
    found = model.predict_proba(golden_set.inputs.iloc[[row]])[0, 1]
    tolerance = abs(found - frame.loc[row, golden.PROBABILITY]) + 1e-6
    report = golden.check_golden_set(model, shifted, tolerance=tolerance)
    assert report.passed, str(report)
    strict = golden.check_golden_set(model, shifted, tolerance=1e-9)
    assert not strict.passed


def test_relative_tolerance_adds_to_the_absolute_one(model, golden_set):
    frame = golden_set.frame.copy()
    frame[golden.PROBABILITY] = frame[golden.PROBABILITY] * (1 + 1e-4)
    scaled = golden.GoldenSet(frame, golden_set.metadata)
    assert not golden.check_golden_set(model, scaled).passed
    assert golden.check_golden_set(model, scaled, rtol=2e-4).passed


def test_a_model_that_cannot_score_gives_a_failed_report(golden_set):
    class Broken:
        def predict_proba(self, X):
            raise KeyError("column 'amount' not found")

        def predict(self, X):
            return np.zeros(len(X))

    report = golden.check_golden_set(Broken(), golden_set)
    assert not report.passed and report.error.startswith("KeyError")
    assert "could not score the 60 golden rows" in str(report)


@pytest.mark.parametrize("kwargs", [{"tolerance": -1}, {"tolerance": float("inf")}, {"rtol": "0.1"}, {"tolerance": True}])
def test_check_rejects_bad_tolerances(model, golden_set, kwargs):
    with pytest.raises(ValueError, match="must be a finite number >= 0"):
        golden.check_golden_set(model, golden_set, **kwargs)


def test_check_needs_a_golden_set(model):
    with pytest.raises(TypeError, match="expected a GoldenSet, got DataFrame"):
        golden.check_golden_set(model, pd.DataFrame())


# ----------------------------------------------------------------------------- the committed golden set


def test_the_committed_golden_set_matches_its_checksums_and_the_reference_run():
    stored = golden.load_golden_set(golden.GOLDEN_DIR)
    assert golden.GOLDEN_DIR == DATA_DIR / "golden"
    meta = stored.metadata
    assert meta["profile"] == "full" and meta["seed"] == 42
    assert meta["model_version"] == "fixed-lr-2026-01-01" and meta["id_column"] == "transaction_id"
    assert len(stored) == meta["rows"] == 200
    assert stored.frame["transaction_id"].is_unique
    assert stored.frame[golden.PROBABILITY].between(0, 1).all()
    assert 0 < stored.frame[golden.PREDICTION].mean() < 1, "the golden set holds flagged and unflagged rows"
    assert stored.inputs["distance_from_home_km"].isna().any()
