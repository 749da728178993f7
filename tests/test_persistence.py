"""Unit tests of forge_lessons.persistence: pickle inspection, skops save/load, the model card."""

import json
import pickle

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from forge_lessons import persistence


def _touch(path):
    """Stands in for malicious code: leaves a file behind if it ever runs."""
    with open(path, "w") as handle:
        handle.write("ran")


def double(values):
    """A custom function: skops cannot know it is harmless."""
    return values * 2


class Trap:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (_touch, (self.path,))


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    n = 200
    X = pd.DataFrame(
        {
            "amount": rng.gamma(2.0, 30.0, n),
            "txn_count_24h": rng.poisson(1.0, n),
            "channel": rng.choice(["chip", "online", "atm"], n),
        }
    )
    y = (rng.random(n) < 0.2).astype(int)
    return X, y


def make_model(numeric_step=None):
    # SimpleImputer keeps the dtype it was fitted on: the pipeline's one numpy.dtype to review.
    numeric = make_pipeline(SimpleImputer(strategy="median"), numeric_step or StandardScaler())
    return Pipeline(
        [
            ("pre", ColumnTransformer([("num", numeric, ["amount", "txn_count_24h"]), ("cat", OneHotEncoder(), ["channel"])])),
            ("model", LogisticRegression(max_iter=500)),
        ]
    )


@pytest.fixture(scope="module")
def model(data):
    X, y = data
    return make_model().fit(X, y)


@pytest.fixture
def card(model, data):
    X, y = data
    return persistence.make_card(
        model, X, y, model_version="fraud-lr-2025-07-01", training_date="2025-07-01",
        metrics={"cv_roc_auc": 0.71}, decision_threshold=0.31,
    )


# --------------------------------------------------------------------------- pickles


def test_pickle_globals_lists_the_callable_without_running_it(tmp_path):
    marker = tmp_path / "ran.txt"
    payload = pickle.dumps(Trap(str(marker)))
    names = persistence.pickle_globals(payload)
    assert names == [f"{__name__}._touch"]
    assert not marker.exists()
    # the same bytes from a file, and with the old text protocol (GLOBAL opcode)
    path = tmp_path / "trap.pkl"
    path.write_bytes(pickle.dumps(Trap(str(marker)), protocol=0))
    assert persistence.pickle_globals(path) == [f"{__name__}._touch"]
    assert not marker.exists()
    pickle.loads(payload)  # and unpickling does run it: the point of the lesson
    assert marker.exists()


def test_pickle_globals_of_a_model_names_sklearn_classes(model):
    names = persistence.pickle_globals(pickle.dumps(model))
    assert "sklearn.pipeline.Pipeline" in names
    assert len(names) == len(set(names))


def test_pickle_globals_rejects_non_pickles(tmp_path):
    with pytest.raises(persistence.ModelFileError, match="not a pickle"):
        persistence.pickle_globals(b"\x00\x01 definitely not a pickle")
    with pytest.raises(persistence.ModelFileError, match="no file"):
        persistence.pickle_globals(tmp_path / "missing.pkl")


# --------------------------------------------------------------------------- hashes and card


def test_data_hash_is_stable_and_sensitive(data):
    X, _ = data
    assert persistence.data_hash(X) == persistence.data_hash(X.copy())
    changed = X.copy()
    changed.loc[5, "amount"] += 0.01
    assert persistence.data_hash(changed) != persistence.data_hash(X)
    assert len(persistence.data_hash(X)) == 64
    with pytest.raises(TypeError, match="expected a DataFrame"):
        persistence.data_hash([1, 2, 3])


def test_feature_hash_depends_on_names_order_and_types(data):
    X, _ = data
    base = persistence.feature_hash(X)
    assert base == persistence.feature_hash(X.iloc[:10])  # values do not matter
    assert persistence.feature_hash(X[X.columns[::-1]]) != base
    assert persistence.feature_hash(X.astype({"txn_count_24h": float})) != base
    assert len(base) == 16
    with pytest.raises(TypeError, match="named columns"):
        persistence.feature_hash(X.to_numpy())


def test_card_has_everything_a_log_row_needs(card, data):
    X, y = data
    for key in ("model_version", "training_date", "data_hash", "features", "feature_hash", "metrics", "library_versions"):
        assert key in card
    assert card["features"] == list(X.columns)
    assert card["training_date"] == "2025-07-01"
    assert card["training_rows"] == len(X)
    assert card["training_positive_rate"] == pytest.approx(y.mean())
    assert card["decision_threshold"] == pytest.approx(0.31)
    assert card["estimator"] == "Pipeline(ColumnTransformer, LogisticRegression)"
    assert {"python", "scikit-learn", "numpy", "pandas", "skops"} <= set(card["library_versions"])
    assert card["library_versions"]["scikit-learn"] is not None
    json.dumps(card)  # JSON-ready


@pytest.mark.parametrize(
    "change, words",
    [
        ({"model_version": ""}, "model_version must be a non-empty string"),
        ({"metrics": {}}, "metrics must be a non-empty dict"),
        ({"metrics": {"auc": "high"}}, "metric 'auc' must be a number"),
        ({"metrics": {"auc": float("nan")}}, "must be finite"),
        ({"training_date": "someday"}, "training_date must be a date"),
    ],
)
def test_card_inputs_are_validated(model, data, change, words):
    X, y = data
    arguments = dict(model_version="v1", training_date="2025-07-01", metrics={"auc": 0.7})
    arguments.update(change)
    with pytest.raises(ValueError, match=words):
        persistence.make_card(model, X, y, **arguments)


def test_card_rejects_mismatched_lengths_and_non_models(model, data):
    X, y = data
    with pytest.raises(ValueError, match="200 rows but y_train has 10"):
        persistence.make_card(model, X, y[:10], model_version="v1", training_date="2025-07-01", metrics={"a": 1})
    with pytest.raises(TypeError, match="fitted estimator"):
        persistence.make_card("model", X, y, model_version="v1", training_date="2025-07-01", metrics={"a": 1})


# --------------------------------------------------------------------------- save and load


def test_save_and_load_round_trip_with_reviewed_types(model, card, data, tmp_path):
    X, _ = data
    path = tmp_path / "models" / "v1.skops"
    written = persistence.save_model(model, path, card)
    assert path.is_file() and persistence.card_path(path).name == "v1.card.json"
    assert written["untrusted_types"] == ["numpy.dtype"]
    assert len(written["model_file_sha256"]) == 64
    assert persistence.read_card(path) == written
    loaded = persistence.load_model(path, trusted=["numpy.dtype"])
    assert np.array_equal(loaded.predict_proba(X), model.predict_proba(X))
    assert np.array_equal(persistence.load_model(path, trusted=np.dtype).predict_proba(X), model.predict_proba(X))


def test_untrusted_types_are_listed_in_the_error(model, card, tmp_path):
    path = tmp_path / "v1.skops"
    persistence.save_model(model, path, card)
    with pytest.raises(persistence.UntrustedTypesError, match=r"1 type\(s\).*\['numpy.dtype'\]") as caught:
        persistence.load_model(path)
    assert caught.value.types == ["numpy.dtype"]
    # it is also skops' own exception type, so existing handlers still catch it
    from skops.io.exceptions import UntrustedTypesFoundException

    assert isinstance(caught.value, UntrustedTypesFoundException)


def test_a_custom_function_must_be_reviewed_by_name(data, tmp_path):
    X, y = data
    model = make_model(FunctionTransformer(double)).fit(X, y)
    path = tmp_path / "custom.skops"
    sio.dump(model, path)
    with pytest.raises(persistence.UntrustedTypesError, match=f"{__name__}.double") as caught:
        persistence.load_model(path, trusted=["numpy.dtype"])
    assert f"{__name__}.double" in caught.value.types and "numpy.dtype" not in caught.value.types
    loaded = persistence.load_model(path, trusted=["numpy.dtype", f"{__name__}.double"])
    assert np.allclose(loaded.predict_proba(X), model.predict_proba(X))


def test_a_replaced_model_file_does_not_match_its_card(model, card, data, tmp_path):
    X, y = data
    path = tmp_path / "v1.skops"
    persistence.save_model(model, path, card)
    other = make_model().fit(X, 1 - y)
    sio.dump(other, path)  # someone swaps the file, the card stays
    with pytest.raises(persistence.ModelFileError, match="does not match its card"):
        persistence.load_model(path, trusted=["numpy.dtype"])
    assert persistence.load_model(path, trusted=["numpy.dtype"], verify_card=False) is not None


def test_pickles_and_missing_files_are_refused(model, tmp_path):
    pickled = tmp_path / "model.pkl"
    pickled.write_bytes(pickle.dumps(model))
    with pytest.raises(persistence.ModelFileError, match="not a skops file"):
        persistence.load_model(pickled)
    with pytest.raises(persistence.ModelFileError, match="no model file"):
        persistence.load_model(tmp_path / "missing.skops")
    with pytest.raises(TypeError, match="type names"):
        persistence.load_model(pickled, trusted=[3])


def test_save_model_needs_a_card(model, tmp_path):
    with pytest.raises(ValueError, match="missing key"):
        persistence.save_model(model, tmp_path / "x.skops", {"model_version": "v1"})


def test_read_card_errors(tmp_path):
    with pytest.raises(persistence.ModelFileError, match="no model card"):
        persistence.read_card(tmp_path / "x.skops")
    persistence.card_path(tmp_path / "x.skops").write_text("{not json")
    with pytest.raises(persistence.ModelFileError, match="not valid JSON"):
        persistence.read_card(tmp_path / "x.skops")
    persistence.card_path(tmp_path / "x.skops").write_text("{}")
    with pytest.raises(persistence.ModelFileError, match="not a model card"):
        persistence.read_card(tmp_path / "x.skops")


# --------------------------------------------------------------------------- features


def test_check_features(card, data):
    X, _ = data
    scored = persistence.check_features(card, X.assign(extra=1)[["extra", "channel", "amount", "txn_count_24h"]])
    assert list(scored.columns) == card["features"]
    with pytest.raises(persistence.FeatureMismatchError, match=r"lacks feature\(s\) \['channel'\]"):
        persistence.check_features(card, X.drop(columns="channel"))
    with pytest.raises(persistence.FeatureMismatchError, match="txn_count_24h.*int64 -> float64"):
        persistence.check_features(card, X.astype({"txn_count_24h": float}))
    with pytest.raises(TypeError, match="expected a DataFrame"):
        persistence.check_features(card, X.to_numpy())


def test_validate_loaded_model(model, data):
    X, y = data
    assert persistence.validate_loaded_model(model, model, X) is None
    other = make_model().fit(X, 1 - y)
    assert "scores differently" in persistence.validate_loaded_model(other, model, X)
    assert "predict_proba" in persistence.validate_loaded_model("model", model, X)


def test_format_card_is_short_and_stable(card, model, tmp_path):
    saved = persistence.save_model(model, tmp_path / "m.skops", card)
    text = persistence.format_card(saved)
    lines = text.splitlines()
    assert lines[0].split() == ["model_version", "fraud-lr-2025-07-01"]
    assert "model_file_sha256" not in text and saved["model_file_sha256"] not in text  # changes at every save
    assert saved["data_hash"][:16] in text and saved["data_hash"] not in text
    python = saved["library_versions"]["python"]
    assert f"python {'.'.join(python.split('.')[:2])}," in text
    assert all(len(line) < 200 for line in lines)
    with pytest.raises(ValueError, match="missing key"):
        persistence.format_card({"model_version": "v1"})
    with pytest.raises(ValueError, match="model card"):
        persistence.format_card("card")
