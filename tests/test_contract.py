"""Unit tests of forge_lessons.contract (lesson 01's helpers and exercise self-checks)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from sklearn.base import BaseEstimator, TransformerMixin, clone  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, StandardScaler  # noqa: E402
from sklearn.svm import SVC  # noqa: E402
from sklearn.utils.estimator_checks import check_estimator  # noqa: E402
from sklearn.utils.validation import check_is_fitted, validate_data  # noqa: E402

from forge_lessons import contract  # noqa: E402
from forge_lessons.features import DateTimeFeatures  # noqa: E402


# ------------------------------------------------------------ tables and errors
def test_api_table_reflects_hasattr():
    table = contract.api_table({"svc": SVC(), "lr": LogisticRegression(), "scaler": StandardScaler()})
    assert list(table.columns) == list(contract.API_METHODS)
    assert not table.loc["svc", "predict_proba"] and table.loc["svc", "decision_function"]
    assert table.loc["lr", "predict_proba"] and not table.loc["lr", "transform"]
    assert table.loc["scaler", "transform"] and not table.loc["scaler", "predict"]


@pytest.mark.parametrize("bad", [[SVC()], {}, None])
def test_api_table_rejects_non_dicts(bad):
    with pytest.raises(ValueError, match="non-empty dict"):
        contract.api_table(bad)


def test_api_table_rejects_a_string_of_methods():
    with pytest.raises(ValueError, match="sequence of method names"):
        contract.api_table({"lr": LogisticRegression()}, methods="predict")


def test_fitted_attributes():
    assert contract.fitted_attributes(StandardScaler()).empty
    scaler = StandardScaler().fit(np.arange(12.0).reshape(6, 2))
    table = contract.fitted_attributes(scaler)
    assert {"mean_", "scale_", "n_features_in_"} <= set(table["attribute"])
    assert table.set_index("attribute").loc["mean_", "value"] == "[5, 6]"
    with pytest.raises(ValueError, match="scikit-learn estimator"):
        contract.fitted_attributes(object())


def test_show_error_prints_type_message_and_causes(capsys):
    def failing():
        try:
            raise KeyError("inner")
        except KeyError as error:
            raise ValueError("outer") from error

    error = contract.show_error(failing)
    assert isinstance(error, ValueError)
    out = capsys.readouterr().out
    assert "ValueError: outer" in out and "caused by KeyError: 'inner'" in out
    assert "Traceback" not in out


def test_show_error_without_error_and_bad_input(capsys):
    assert contract.show_error(len, [1, 2]) is None
    assert "no error" in capsys.readouterr().out
    with pytest.raises(ValueError, match="callable"):
        contract.show_error("not callable")


def test_show_source_strips_docstrings(capsys):
    text = contract.show_source(DateTimeFeatures, ["__init__", "fit"])
    assert text.startswith("def __init__(self")
    assert "def fit(self, X, y=None):" in text
    assert "Learn the input schema" not in text  # fit's docstring
    with_docs = contract.show_source(DateTimeFeatures, ["fit"], docstrings=True)
    assert "Learn the input schema" in with_docs
    assert "def __init__" in capsys.readouterr().out
    with pytest.raises(ValueError, match=r"defines no method\(s\) \['predict'\]"):
        contract.show_source(DateTimeFeatures, ["predict"])
    with pytest.raises(ValueError, match="must be a class"):
        contract.show_source(DateTimeFeatures())


# ------------------------------------------------------------ checks and plots
class BrokenClipper(TransformerMixin, BaseEstimator):
    def __init__(self, quantile=0.99):
        self.quantile = quantile
        self.fitted = False

    def fit(self, X, y=None):
        X = validate_data(self, X)
        self.upper = np.quantile(X, self.quantile, axis=0)
        self.fitted = True

    def transform(self, X):
        X = validate_data(self, X, reset=False)
        np.minimum(X, self.upper, out=X)
        return X


class FixedClipper(TransformerMixin, BaseEstimator):
    def __init__(self, quantile=0.99):
        self.quantile = quantile

    def fit(self, X, y=None):
        X = validate_data(self, X)
        self.upper_ = np.quantile(X, self.quantile, axis=0)
        return self

    def transform(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return np.minimum(X, self.upper_)


class InPlaceClipper(FixedClipper):
    def transform(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        np.minimum(X, self.upper_, out=X)
        return X


class WrongQuantileClipper(FixedClipper):
    def __init__(self, quantile=0.9):
        self.quantile = quantile


class NotClipping(FixedClipper):
    def transform(self, X):
        check_is_fitted(self)
        return validate_data(self, X, reset=False)


def test_check_summary_counts_and_messages():
    summary = contract.check_summary(check_estimator(BrokenClipper(), on_fail=None, on_skip=None))
    counts = summary.attrs["counts"]
    assert counts["failed"] >= 4 and counts["passed"] > 0
    failed = summary[summary["status"] == "failed"]
    assert "check_no_attributes_set_in_init" in set(failed["check"])
    assert failed["message"].str.contains(":").all()
    # one row per distinct failure; a check scikit-learn runs twice is counted, not repeated
    assert failed["check"].is_unique
    assert failed.set_index("check").loc["check_transformer_general", "runs"] == 2
    assert failed["runs"].sum() == counts["failed"]
    # an assertion without a message is explained by what the check tests
    message = failed.set_index("check").loc["check_estimators_fit_returns_self", "message"]
    assert "no message; the check: Check if self is returned" in message
    clean = contract.check_summary(check_estimator(FixedClipper(), on_fail=None, on_skip=None))
    assert "failed" not in clean.attrs["counts"]


@pytest.mark.parametrize("bad", [None, [{"status": "passed"}], "results"])
def test_check_summary_rejects_other_input(bad):
    with pytest.raises(ValueError, match="check_estimator"):
        contract.check_summary(bad)


def test_plot_model_comparison():
    table = pd.DataFrame({"accuracy": [0.98, 0.979], "roc_auc": [0.5, 0.78]}, index=["dummy", "lr"])
    axes = contract.plot_model_comparison(table, baseline=0.98)
    assert len(axes) == 2
    assert all(ax.get_title() and ax.get_xlabel() for ax in axes)
    assert axes[1].get_legend() is not None
    plt.close("all")
    with pytest.raises(ValueError, match="column 'roc_auc'"):
        contract.plot_model_comparison(table[["accuracy"]])


def test_plot_rate_by_hour():
    stamps = pd.Series(pd.date_range("2025-01-01", periods=48, freq="h"))
    labels = (stamps.dt.hour < 6).astype(int).to_numpy()
    ax = contract.plot_rate_by_hour(stamps, labels)
    heights = [p.get_height() for p in ax.patches[:24]]
    assert heights[:6] == [1.0] * 6 and heights[6:] == [0.0] * 18
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel() and ax.get_legend() is not None
    plt.close("all")
    with pytest.raises(ValueError, match="Series of datetimes"):
        contract.plot_rate_by_hour(pd.Series([1, 2]), [0, 1])
    with pytest.raises(ValueError, match="one label per timestamp"):
        contract.plot_rate_by_hour(stamps, labels[:5])


# ------------------------------------------------------------------ exercises
def test_validate_clipper():
    assert contract.validate_clipper(FixedClipper) is None
    assert "fit should return self" in contract.validate_clipper(BrokenClipper)
    assert "checks still fail" in contract.validate_clipper(InPlaceClipper)
    assert "default quantile should stay 0.99" in contract.validate_clipper(WrongQuantileClipper)
    assert "clip each column" in contract.validate_clipper(NotClipping)
    assert "expected a class" in contract.validate_clipper(FixedClipper())


@pytest.fixture
def small_problem():
    rng = np.random.default_rng(0)
    n = 80
    frame = pd.DataFrame(
        {
            "amount": np.r_[rng.normal(10, 1, n // 2), rng.normal(100, 1, n // 2)],
            "channel": rng.choice(["chip", "online"], n),
            "timestamp": pd.date_range("2025-01-01", periods=n, freq="5h"),
        }
    )
    frame.loc[::7, "amount"] = np.nan
    y = np.r_[np.zeros(n // 2 - 5), np.ones(5), np.zeros(n // 2 - 5), np.ones(5)].astype(int)
    original = Pipeline(
        [
            ("preprocess", ColumnTransformer([
                ("numeric", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]),
                 ["amount"]),
                ("categorical", OneHotEncoder(handle_unknown="ignore"), ["channel"]),
                ("datetime", Pipeline([("extract", DateTimeFeatures())]), ["timestamp"]),
            ])),
            ("model", LogisticRegression()),
        ]
    )
    train = frame.iloc[: n // 2]
    return original.fit(train, y[: n // 2]), frame, train, y


def test_validate_swapped_pipeline(small_problem):
    original, frame, train, y = small_problem
    check = lambda answer: contract.validate_swapped_pipeline(  # noqa: E731
        answer, original=original, final_step_type=RandomForestClassifier, X_train=train
    )
    forest = RandomForestClassifier(n_estimators=5, random_state=0)
    good = clone(original).set_params(model=forest).fit(train, y[: len(train)])
    assert check(good) is None
    assert "not fitted" in check(clone(original).set_params(model=clone(forest)))
    assert "'preprocess' of the new pipeline is not fitted" in check(clone(original).set_params(model=forest))
    assert "expected a Pipeline" in check(forest)
    assert "original pipeline itself" in check(original)
    assert "should be a RandomForestClassifier" in check(clone(original).fit(train, y[: len(train)]))
    on_all_rows = clone(original).set_params(model=forest).fit(frame, y)
    assert "not fitted on X_train" in check(on_all_rows)
    renamed = Pipeline([("prep", clone(original[0])), ("model", forest)]).fit(train, y[: len(train)])
    assert "keep the step names" in check(renamed)
    original.set_params(model=RandomForestClassifier(n_estimators=5))  # the mistake: in place
    assert "changes it in place" in check(good)


def test_validate_param_name(small_problem):
    original = small_problem[0]
    check = lambda answer: contract.validate_param_name(  # noqa: E731
        answer, estimator=original, step_type=DateTimeFeatures, param="night_hours"
    )
    assert check("preprocess__datetime__extract__night_hours") is None
    assert check("  preprocess__datetime__extract__night_hours ") is None
    assert "did you mean 'preprocess__datetime__extract__night_hours'" in check("preprocess__datetime__night_hours")
    assert "not 'night_hours'" in check("preprocess__datetime__extract__features")
    assert "not 'night_hours'" in check("preprocess__numeric__impute__strategy")
    assert "as a string" in check(("preprocess", "night_hours"))
