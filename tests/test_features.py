"""Unit tests of forge_lessons.features.DateTimeFeatures, scikit-learn's estimator checks included."""

import doctest
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import NotFittedError
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder
from sklearn.utils import estimator_checks
from sklearn.utils.estimator_checks import parametrize_with_checks

from forge_lessons import features as features_module
from forge_lessons.features import DEFAULT_FEATURES, FEATURES, DateTimeFeatures

CONFIGURATIONS = [
    DateTimeFeatures(),
    DateTimeFeatures(features=FEATURES, night_hours=(22, 6)),
    DateTimeFeatures(features=("days_since_origin", "hour_sin"), epoch_unit="ms"),
]


@parametrize_with_checks(CONFIGURATIONS)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


# Checks that check_estimator does not run by default in scikit-learn 1.9 but
# that apply to a transformer with feature names and set_output support.
EXTRA_CHECKS = [
    "check_transformer_get_feature_names_out",
    "check_transformer_get_feature_names_out_pandas",
    "check_set_output_transform",
    "check_set_output_transform_pandas",
    "check_global_output_transform_pandas",
    "check_dataframe_column_names_consistency",
    "check_get_feature_names_out_error",
]


@pytest.mark.parametrize("check_name", EXTRA_CHECKS)
@pytest.mark.parametrize("estimator", CONFIGURATIONS, ids=["default", "all_features", "ms"])
def test_extra_sklearn_checks(check_name, estimator):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the checks mix frames and arrays on purpose
        getattr(estimator_checks, check_name)(type(estimator).__name__, clone(estimator))


def test_check_estimator_passes_without_failures():
    results = estimator_checks.check_estimator(DateTimeFeatures(), on_fail=None, on_skip=None)
    statuses = {r["status"] for r in results}
    assert "failed" not in statuses
    assert sum(r["status"] == "passed" for r in results) >= 40


def test_module_examples():
    result = doctest.testmod(features_module)
    assert result.attempted >= 5
    assert result.failed == 0


# --------------------------------------------------------------------- values
@pytest.fixture
def stamps():
    rng = np.random.default_rng(0)
    seconds = rng.integers(-2 * 10**9, 3 * 10**9, size=300)  # 1906 .. 2065, before and after 1970
    return pd.Series(pd.to_datetime(seconds, unit="s"), name="ts")


def test_values_match_pandas(stamps):
    out = DateTimeFeatures(features=FEATURES).set_output(transform="pandas").fit_transform(stamps.to_frame())
    assert list(out.columns) == [f"ts_{f}" for f in FEATURES]
    np.testing.assert_array_equal(out["ts_hour"], stamps.dt.hour)
    np.testing.assert_array_equal(out["ts_day_of_week"], stamps.dt.day_of_week)
    np.testing.assert_array_equal(out["ts_is_weekend"], (stamps.dt.day_of_week >= 5).astype(float))
    np.testing.assert_array_equal(out["ts_is_night"], (stamps.dt.hour < 6).astype(float))
    np.testing.assert_array_equal(out["ts_month"], stamps.dt.month)
    fraction = (stamps.dt.hour * 3600 + stamps.dt.minute * 60 + stamps.dt.second) / 86400
    np.testing.assert_allclose(out["ts_hour_sin"], np.sin(2 * np.pi * fraction), atol=1e-9)
    np.testing.assert_allclose(out["ts_hour_cos"], np.cos(2 * np.pi * fraction), atol=1e-9)
    expected_days = (stamps - stamps.min()).dt.total_seconds() / 86400
    np.testing.assert_allclose(out["ts_days_since_origin"], expected_days, atol=1e-9)


def test_default_features_and_output_shape(stamps):
    out = DateTimeFeatures().fit_transform(stamps.to_frame())
    assert out.shape == (len(stamps), len(DEFAULT_FEATURES))
    assert out.dtype == np.float64


def test_epoch_numbers_give_the_same_features_as_datetimes(stamps):
    seconds = (stamps - pd.Timestamp("1970-01-01")).dt.total_seconds()
    frame = stamps.to_frame()
    from_datetime = DateTimeFeatures(features=FEATURES).fit_transform(frame)
    from_seconds = DateTimeFeatures(features=FEATURES).fit_transform(seconds.to_frame())
    from_millis = DateTimeFeatures(features=FEATURES, epoch_unit="ms").fit_transform((seconds * 1000).to_frame())
    np.testing.assert_allclose(from_seconds, from_datetime, atol=1e-6)
    np.testing.assert_allclose(from_millis, from_datetime, atol=1e-6)


def test_datetime_numpy_array_and_other_resolutions(stamps):
    expected = DateTimeFeatures().fit_transform(stamps.to_frame())
    as_array = stamps.to_numpy().reshape(-1, 1)
    np.testing.assert_array_equal(DateTimeFeatures().fit_transform(as_array), expected)
    as_seconds = stamps.astype("datetime64[s]").to_frame()
    np.testing.assert_array_equal(DateTimeFeatures().fit_transform(as_seconds), expected)


def test_timezone_aware_columns_use_wall_clock_time():
    utc = pd.Series(pd.date_range("2025-03-29 20:00", periods=12, freq="h", tz="UTC"), name="t")
    berlin = utc.dt.tz_convert("Europe/Berlin")  # crosses the switch to summer time
    out = DateTimeFeatures(features=("hour", "day_of_week")).fit_transform(berlin.to_frame())
    np.testing.assert_array_equal(out[:, 0], berlin.dt.hour)
    np.testing.assert_array_equal(out[:, 1], berlin.dt.day_of_week)


@pytest.mark.parametrize(
    ("night_hours", "night"),
    [((0, 6), {0, 1, 2, 3, 4, 5}), ((22, 6), {22, 23, 0, 1, 2, 3, 4, 5}), ((20, 24), {20, 21, 22, 23})],
)
def test_night_window(night_hours, night):
    hours = pd.Series(pd.date_range("2025-01-01", periods=24, freq="h"), name="t").to_frame()
    out = DateTimeFeatures(features=("hour", "is_night"), night_hours=night_hours).fit_transform(hours)
    flagged = {int(h) for h, flag in out if flag == 1.0}
    assert flagged == night


def test_multiple_columns_and_names():
    frame = pd.DataFrame(
        {
            "opened": pd.to_datetime(["2020-01-01 03:00", "2021-06-05 12:00"]),
            "paid": pd.to_datetime(["2025-01-01 23:00", "2025-01-04 01:00"]),
        }
    )
    transformer = DateTimeFeatures(features=("hour", "is_weekend")).fit(frame)
    assert list(transformer.get_feature_names_out()) == [
        "opened_hour", "opened_is_weekend", "paid_hour", "paid_is_weekend"
    ]
    np.testing.assert_array_equal(transformer.transform(frame), [[3, 0, 23, 0], [12, 1, 1, 1]])
    unnamed = DateTimeFeatures(features=("hour",)).fit(frame.to_numpy())
    assert list(unnamed.get_feature_names_out()) == ["x0_hour", "x1_hour"]


def test_fitted_attributes_and_statelessness(stamps):
    frame = stamps.to_frame()
    transformer = DateTimeFeatures(features=("days_since_origin",)).fit(frame.iloc[:200])
    assert transformer.n_features_in_ == 1
    assert list(transformer.feature_names_in_) == ["ts"]
    assert list(transformer.input_kinds_) == ["datetime"]
    assert transformer.origin_.dtype == np.dtype("datetime64[us]")
    assert transformer.origin_[0] == np.datetime64(stamps.iloc[:200].min(), "us")
    before = pickle.dumps(transformer)
    whole = transformer.transform(frame)
    part = transformer.transform(frame.iloc[250:])
    assert pickle.dumps(transformer) == before  # transform changes nothing on self
    np.testing.assert_array_equal(whole[250:], part)  # each row on its own
    assert (whole[200:] < 0).any()  # rows older than the training data: negative days


def test_missing_timestamps_give_nan_rows_and_pipeline_imputes():
    frame = pd.DataFrame({"t": pd.to_datetime(["2025-01-01 02:00", None, "2025-01-02 13:00"])})
    out = DateTimeFeatures().fit_transform(frame)
    assert np.isnan(out[1]).all() and not np.isnan(out[[0, 2]]).any()
    imputed = make_pipeline(DateTimeFeatures(), SimpleImputer(strategy="most_frequent")).fit_transform(frame)
    assert not np.isnan(imputed).any()


def test_set_output_pandas_keeps_the_index():
    frame = pd.DataFrame({"t": pd.to_datetime(["2025-01-01 02:00", "2025-01-02 13:00"])}, index=[10, 20])
    out = DateTimeFeatures().set_output(transform="pandas").fit_transform(frame)
    assert isinstance(out, pd.DataFrame)
    assert list(out.index) == [10, 20]
    assert list(out.columns) == [f"t_{f}" for f in DEFAULT_FEATURES]


def test_inside_column_transformer_with_unknown_categories():
    frame = pd.DataFrame(
        {
            "timestamp": pd.date_range("2025-01-01", periods=40, freq="7h"),
            "channel": ["chip", "online"] * 20,
            "y": [0, 1, 1, 0] * 10,
        }
    )
    pipe = Pipeline(
        [
            ("preprocess", ColumnTransformer([
                ("datetime", DateTimeFeatures(), ["timestamp"]),
                ("categorical", OneHotEncoder(handle_unknown="ignore"), ["channel"]),
            ])),
            ("model", LogisticRegression()),
        ]
    ).fit(frame, frame["y"])
    names = list(pipe[:-1].get_feature_names_out())
    assert "datetime__timestamp_is_night" in names and "categorical__channel_online" in names
    unseen = frame.head(2).assign(channel="crypto_wallet")
    assert pipe.predict_proba(unseen).shape == (2, 2)
    assert pipe.get_params()["preprocess__datetime__night_hours"] == (0, 6)


# ------------------------------------------------------------------ bad input
def test_transform_before_fit_raises():
    with pytest.raises(NotFittedError):
        DateTimeFeatures().transform(pd.DataFrame({"t": pd.to_datetime(["2025-01-01"])}))


def test_all_missing_column_raises_naming_it():
    frame = pd.DataFrame({"paid_at": pd.Series([pd.NaT, pd.NaT], dtype="datetime64[ns]")})
    with pytest.raises(ValueError, match="'paid_at' is entirely missing"):
        DateTimeFeatures().fit(frame)
    with pytest.raises(ValueError, match="'column 0' is entirely missing"):
        DateTimeFeatures().fit(np.full((3, 1), np.nan))


@pytest.mark.parametrize(
    "values",
    [
        pd.Series(["2025-01-01 10:00", "2025-01-02 11:00"]),
        pd.Series(["grocery", "travel"], dtype=object),
        pd.Series([True, False]),
        pd.Series(["a", "b"], dtype="category"),
    ],
    ids=["iso-strings", "object", "bool", "category"],
)
def test_not_a_datetime_raises_naming_the_column(values):
    with pytest.raises(ValueError, match=r"column 'paid_at' is not a datetime column.*pandas\.to_datetime"):
        DateTimeFeatures().fit(values.to_frame("paid_at"))


@pytest.mark.parametrize(
    "array", [np.array([["2025-01-01"], ["2025-01-02"]]), np.array([[True], [False]])], ids=["text", "bool"]
)
def test_text_or_bool_numpy_array_raises(array):
    with pytest.raises(ValueError, match="column 'column 0' is not a datetime column"):
        DateTimeFeatures().fit(array)


def test_numbers_rejected_when_epoch_unit_is_none():
    frame = pd.DataFrame({"amount": [12.5, 80.0]})
    with pytest.raises(ValueError, match="'amount' holds numbers.*epoch_unit=None"):
        DateTimeFeatures(epoch_unit=None).fit(frame)
    stamps = pd.DataFrame({"t": pd.to_datetime(["2025-01-01 03:00"])})
    assert DateTimeFeatures(epoch_unit=None).fit_transform(stamps).shape == (1, 4)


def test_epoch_numbers_out_of_range_suggest_the_unit():
    microseconds = pd.DataFrame({"t": [1_735_690_787_000_000]})  # pandas datetime64[us] as int64
    with pytest.raises(ValueError, match="'t' holds numbers.*epoch_unit"):
        DateTimeFeatures().fit(microseconds)
    assert DateTimeFeatures(epoch_unit="us").fit_transform(microseconds)[0, 0] == 0.0  # 00:19:47 UTC


def test_infinity_raises():
    with pytest.raises(ValueError, match="'t' contains infinity"):
        DateTimeFeatures().fit(pd.DataFrame({"t": [1.0, np.inf]}))
    with pytest.raises(ValueError, match="infinity"):
        DateTimeFeatures().fit(np.array([[1.0], [np.inf]]))


@pytest.mark.filterwarnings("ignore:X does not have valid feature names")
def test_missing_or_renamed_column_at_transform_raises_naming_it():
    train = pd.DataFrame({"timestamp": pd.to_datetime(["2025-01-01", "2025-01-02"])})
    transformer = DateTimeFeatures().fit(train)
    with pytest.raises(ValueError, match=r"(?s)yet now missing.*timestamp"):
        transformer.transform(train.rename(columns={"timestamp": "ts"}))
    with pytest.raises(ValueError, match="0 feature"):
        transformer.transform(train[[]])


def test_kind_change_between_fit_and_transform_raises():
    train = pd.DataFrame({"timestamp": pd.to_datetime(["2025-01-01", "2025-01-02"])})
    transformer = DateTimeFeatures().fit(train)
    as_numbers = train.assign(timestamp=train["timestamp"].astype("int64"))
    with pytest.raises(ValueError, match="'timestamp' held datetime values during fit but holds number"):
        transformer.transform(as_numbers)
    as_text = train.assign(timestamp=train["timestamp"].astype(str))
    with pytest.raises(ValueError, match="'timestamp' is not a datetime column"):
        transformer.transform(as_text)


def test_one_dimensional_input_raises():
    with pytest.raises(ValueError, match="2D"):
        DateTimeFeatures().fit(pd.Series(pd.to_datetime(["2025-01-01"])).to_numpy())
    with pytest.raises(ValueError, match="2D"):
        DateTimeFeatures().fit(np.arange(5.0))


def test_sparse_input_raises():
    from scipy import sparse

    with pytest.raises(TypeError, match="sparse"):
        DateTimeFeatures().fit(sparse.csr_matrix(np.ones((3, 1))))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"features": ("hour", "minute")}, "unknown: \\['minute'\\]"),
        ({"features": ()}, "non-empty"),
        ({"features": "hour"}, "tuple of names"),
        ({"features": ("hour", "hour")}, "must not repeat"),
        ({"night_hours": (6, 6)}, "night_hours"),
        ({"night_hours": (0, 25)}, "night_hours"),
        ({"night_hours": (0.5, 6)}, "night_hours"),
        ({"night_hours": 6}, "night_hours"),
        ({"epoch_unit": "days"}, "epoch_unit"),
    ],
)
def test_invalid_parameters_raise_at_fit_not_init(params, message):
    transformer = DateTimeFeatures(**params)  # no error here: __init__ only stores
    with pytest.raises(ValueError, match=message):
        transformer.fit(pd.DataFrame({"t": pd.to_datetime(["2025-01-01"])}))
