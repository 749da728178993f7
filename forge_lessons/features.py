"""Date and time features for scikit-learn pipelines.

:class:`DateTimeFeatures` turns timestamp columns into numbers a model can
use: the hour, the day of the week, weekend and night flags, a cyclical
encoding of the time of day, the month, and the days elapsed since the
earliest training timestamp. It is a real scikit-learn transformer: it passes
``sklearn.utils.estimator_checks.check_estimator``, works inside
``Pipeline`` and ``ColumnTransformer``, names its output columns with
``get_feature_names_out`` and supports ``set_output(transform="pandas")``.

Lesson 01 builds it and runs scikit-learn's checks on it; the capstone
(lesson 08) reuses it. Its public API (the class name, its three parameters,
the feature names in :data:`FEATURES`, the fitted attributes and the output
column names ``<column>_<feature>``) is kept stable.

Examples
--------
>>> import pandas as pd
>>> from forge_lessons.features import DateTimeFeatures
>>> X = pd.DataFrame({"timestamp": pd.to_datetime(["2025-03-01 02:30", "2025-03-03 14:00"])})
>>> DateTimeFeatures().fit_transform(X)
array([[ 2.,  5.,  1.,  1.],
       [14.,  0.,  0.,  0.]])
>>> DateTimeFeatures().fit(X).get_feature_names_out().tolist()
['timestamp_hour', 'timestamp_day_of_week', 'timestamp_is_weekend', 'timestamp_is_night']
"""

import numbers

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["DEFAULT_FEATURES", "FEATURES", "DateTimeFeatures"]

#: Every feature :class:`DateTimeFeatures` can produce, in output order.
FEATURES = (
    "hour",
    "day_of_week",
    "is_weekend",
    "is_night",
    "hour_sin",
    "hour_cos",
    "month",
    "days_since_origin",
)
#: The features produced when ``features`` is left at its default.
DEFAULT_FEATURES = ("hour", "day_of_week", "is_weekend", "is_night")

_SECONDS_PER_UNIT = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9}
_SECONDS_PER_DAY = 86_400.0
# 1970-01-01 was a Thursday; with Monday = 0 (pandas' convention) that is 3.
_EPOCH_WEEKDAY = 3
# Timestamps pandas can represent at nanosecond precision: 1677-09-22 .. 2262-04-11.
_MIN_SECONDS = pd.Timestamp.min.value / 1e9
_MAX_SECONDS = pd.Timestamp.max.value / 1e9


class DateTimeFeatures(TransformerMixin, BaseEstimator):
    """Extract calendar and clock features from timestamp columns.

    Every input column gives one output column per requested feature, named
    ``<column>_<feature>`` (``x0_hour`` for arrays without column names).
    Missing timestamps (``NaT`` or ``NaN``) give ``NaN`` features, so put an
    imputer after this transformer when the model cannot handle ``NaN``.

    Parameters
    ----------
    features : tuple of str, default=("hour", "day_of_week", "is_weekend", "is_night")
        Which features to produce, in this order, from :data:`FEATURES`:

        - ``"hour"``: hour of the day, 0-23 (wall-clock time; time-zone-aware
          columns use their own zone).
        - ``"day_of_week"``: 0 = Monday ... 6 = Sunday.
        - ``"is_weekend"``: 1.0 on Saturday and Sunday, else 0.0.
        - ``"is_night"``: 1.0 when the hour falls in ``night_hours``, else 0.0.
        - ``"hour_sin"``, ``"hour_cos"``: the time of day on a circle, so that
          23:59 sits next to 00:00 (useful for linear models).
        - ``"month"``: 1-12.
        - ``"days_since_origin"``: days elapsed since the earliest timestamp
          seen by ``fit`` (the one feature that needs a fitted value;
          negative for rows older than the training data).
    night_hours : tuple of two int, default=(0, 6)
        ``(start, end)`` hours, 0-24, of the night window ``start <= hour <
        end``. A window may wrap around midnight, e.g. ``(22, 6)``.
    epoch_unit : {"s", "ms", "us", "ns"} or None, default="s"
        How to read numeric columns: as POSIX time (time since 1970-01-01
        00:00 UTC) in this unit. Many logs store timestamps so, and
        scikit-learn's generic estimator checks feed numbers. ``None``
        rejects numeric columns, so that only datetime columns are accepted.

    Attributes
    ----------
    n_features_in_ : int
        Number of input columns seen during ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the input columns seen during ``fit``; only defined when
        ``X`` had string column names (a pandas DataFrame).
    input_kinds_ : ndarray of shape (n_features_in_,)
        ``"datetime"`` or ``"number"`` per input column. ``transform``
        refuses a column whose kind changed, a classic serving-time bug
        (datetimes in training, raw integers in production).
    origin_ : ndarray of shape (n_features_in_,), dtype datetime64[us]
        Earliest timestamp of each column in the training data, the origin of
        ``days_since_origin`` (numeric columns are converted with
        ``epoch_unit``).

    See Also
    --------
    sklearn.preprocessing.FunctionTransformer : stateless transformations
        without input validation or fitted state.
    sklearn.preprocessing.SplineTransformer : smooth periodic encodings.

    Notes
    -----
    ``fit`` learns only what it must: the input schema (column names, count
    and kinds) and the earliest timestamp. ``transform`` uses nothing else,
    so it treats each row on its own: a row's features never depend on the
    other rows passed with it. ``fit`` raises ``ValueError`` naming the
    column when a column is not a datetime (or a number, see
    ``epoch_unit``), holds infinite values or is entirely missing.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"ts": pd.to_datetime(["2025-01-04 23:10", "2025-01-06 08:45"])})
    >>> dtf = DateTimeFeatures(features=("hour", "is_night", "days_since_origin"), night_hours=(22, 6))
    >>> dtf.set_output(transform="pandas").fit_transform(X)
       ts_hour  ts_is_night  ts_days_since_origin
    0     23.0          1.0              0.000000
    1      8.0          0.0              1.399306
    """

    def __init__(self, features=DEFAULT_FEATURES, *, night_hours=(0, 6), epoch_unit="s"):
        self.features = features
        self.night_hours = night_hours
        self.epoch_unit = epoch_unit

    # ------------------------------------------------------------------ API
    def fit(self, X, y=None):
        """Learn the input schema and the earliest timestamp of each column.

        Parameters
        ----------
        X : pandas DataFrame or array-like of shape (n_samples, n_features)
            Datetime columns (``datetime64``, time-zone-aware or not), or
            numbers read as POSIX time in ``epoch_unit``.
        y : None
            Ignored; accepted for pipeline compatibility.

        Returns
        -------
        self : DateTimeFeatures
            The fitted transformer.
        """
        self._check_params()
        seconds, names, kinds = self._to_seconds(X, reset=True)
        for j, name in enumerate(names):
            if np.isnan(seconds[:, j]).all():
                raise ValueError(
                    f"DateTimeFeatures: column {name!r} is entirely missing (all NaT/NaN) in the"
                    f" {seconds.shape[0]} {'row' if seconds.shape[0] == 1 else 'rows'} given to fit;"
                    " expected at least one timestamp"
                )
        self.input_kinds_ = np.asarray(kinds, dtype=object)
        origin = np.floor(np.nanmin(seconds, axis=0) * 1e6).astype("int64")
        self.origin_ = origin.astype("datetime64[us]")
        return self

    def transform(self, X):
        """Compute the features row by row.

        Parameters
        ----------
        X : pandas DataFrame or array-like of shape (n_samples, n_features_in_)
            Same columns, in the same order and of the same kinds as in ``fit``.

        Returns
        -------
        ndarray of shape (n_samples, n_features_in_ * len(features))
            Float features; ``NaN`` where the timestamp is missing. A pandas
            DataFrame when ``set_output(transform="pandas")`` was called.
        """
        check_is_fitted(self)
        features, night_start, night_end = self._check_params()
        seconds, _, _ = self._to_seconds(X, reset=False, expected_kinds=self.input_kinds_)
        origin_seconds = self.origin_.astype("int64") / 1e6
        blocks = []
        for j in range(seconds.shape[1]):
            blocks.append(
                _column_features(seconds[:, j], features, night_start, night_end, origin_seconds[j])
            )
        return np.hstack(blocks)

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns, ``<column>_<feature>``.

        Parameters
        ----------
        input_features : array-like of str, optional
            Input column names. Defaults to ``feature_names_in_`` when fit saw
            a DataFrame, else to ``x0, x1, ...``. When given, it must have
            ``n_features_in_`` names (equal to ``feature_names_in_`` if set).

        Returns
        -------
        ndarray of str objects
        """
        check_is_fitted(self, "n_features_in_")
        features, _, _ = self._check_params()
        if input_features is None:
            if hasattr(self, "feature_names_in_"):
                names = list(self.feature_names_in_)
            else:
                names = [f"x{i}" for i in range(self.n_features_in_)]
        else:
            names = [str(name) for name in np.asarray(input_features, dtype=object).ravel()]
            if len(names) != self.n_features_in_:
                raise ValueError(
                    f"input_features should have length equal to number of features"
                    f" ({self.n_features_in_}), got {len(names)}"
                )
            if hasattr(self, "feature_names_in_") and names != list(self.feature_names_in_):
                raise ValueError(
                    f"input_features is not equal to feature_names_in_: expected"
                    f" {list(self.feature_names_in_)}, found {names}"
                )
        return np.asarray([f"{name}_{feature}" for name in names for feature in features], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # missing timestamps give NaN features
        return tags

    # ---------------------------------------------------------- validation
    def _check_params(self):
        """Validate the parameters; return (features, night_start, night_end)."""
        features = self.features
        if isinstance(features, str) or not isinstance(features, (tuple, list)):
            raise ValueError(
                f"features must be a tuple of names from {FEATURES}, got {features!r}"
            )
        unknown = [f for f in features if f not in FEATURES]
        if unknown or not features:
            raise ValueError(
                f"features must be a non-empty tuple of names from {FEATURES};"
                f" found {list(features)!r}" + (f", unknown: {unknown}" if unknown else "")
            )
        if len(set(features)) != len(features):
            raise ValueError(f"features must not repeat a name, got {list(features)!r}")
        hours = self.night_hours
        if (
            not isinstance(hours, (tuple, list))
            or len(hours) != 2
            or not all(isinstance(h, numbers.Integral) and not isinstance(h, bool) for h in hours)
            or not all(0 <= h <= 24 for h in hours)
            or hours[0] % 24 == hours[1] % 24
        ):
            raise ValueError(
                "night_hours must be two different whole hours (start, end) between 0 and 24,"
                f" e.g. (0, 6) or (22, 6); got {hours!r}"
            )
        if self.epoch_unit is not None and self.epoch_unit not in _SECONDS_PER_UNIT:
            raise ValueError(
                f"epoch_unit must be one of {sorted(_SECONDS_PER_UNIT)} or None, got {self.epoch_unit!r}"
            )
        return tuple(features), int(hours[0]) % 24, int(hours[1]) % 24

    def _to_seconds(self, X, *, reset, expected_kinds=None):
        """Validate ``X``; return (seconds since 1970 as floats, column names, kinds)."""
        name = type(self).__name__
        unit = self.epoch_unit

        def convert(values, j):
            expected = None if expected_kinds is None else expected_kinds[j]
            return _series_seconds(values, names[j], unit, expected)

        if sparse.issparse(X):
            raise TypeError(
                f"{name} does not accept sparse input: expected a DataFrame of datetime columns"
                f" or a dense 2-D array, found a {type(X).__name__}"
            )
        if isinstance(X, pd.DataFrame):
            validate_data(self, X, reset=reset, skip_check_array=True)
            _check_shape(X.shape, name)
            names = [str(c) for c in X.columns]
            pairs = [convert(X.iloc[:, j], j) for j in range(X.shape[1])]
        else:
            array = np.asarray(X)
            if array.dtype.kind in "MUSb":  # datetimes, text, booleans: judged column by column
                if array.ndim != 2:
                    raise ValueError(
                        f"Expected 2D array, got {array.ndim}D array instead: {name} needs a table of"
                        " timestamp columns, e.g. X[['timestamp']] rather than X['timestamp']"
                    )
                validate_data(self, array, reset=reset, skip_check_array=True)
                _check_shape(array.shape, name)
                names = [f"column {j}" for j in range(array.shape[1])]
                pairs = [convert(pd.Series(array[:, j]), j) for j in range(array.shape[1])]
            else:
                array = validate_data(
                    self, X, reset=reset, dtype="numeric", ensure_all_finite="allow-nan"
                )
                names = [f"column {j}" for j in range(array.shape[1])]
                pairs = [convert(pd.Series(array[:, j]), j) for j in range(array.shape[1])]
        seconds = np.column_stack([p[0] for p in pairs]).astype(np.float64)
        return seconds, names, [p[1] for p in pairs]


def _check_shape(shape, name):
    """Reject empty inputs with scikit-learn's wording."""
    if shape[0] < 1:
        raise ValueError(f"Found array with 0 sample(s) (shape={shape}) while a minimum of 1 is required by {name}.")
    if shape[1] < 1:
        raise ValueError(f"Found array with 0 feature(s) (shape={shape}) while a minimum of 1 is required by {name}.")


def _kind(dtype):
    """'datetime', 'number' or None (neither) for a column's dtype."""
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
        return None
    return "number"


def _series_seconds(values, name, epoch_unit, expected_kind=None):
    """Return (float seconds since 1970 with NaN for missing, kind) for one column.

    ``expected_kind`` is the kind seen by ``fit``; a different kind now raises.
    """
    dtype = values.dtype
    kind = _kind(dtype)
    if expected_kind is not None and kind is not None and kind != expected_kind:
        raise ValueError(
            f"DateTimeFeatures: column {name!r} held {expected_kind} values during fit but holds"
            f" {kind} values ({dtype}) now; pass the same kind of column to fit and transform"
        )
    if kind == "datetime":
        if isinstance(dtype, pd.DatetimeTZDtype):
            values = values.dt.tz_localize(None)  # wall-clock time in the column's own zone
        stamps = values.to_numpy(dtype="datetime64[us]")
        missing = np.isnat(stamps)
        seconds = stamps.astype("int64").astype(np.float64) / 1e6
        seconds[missing] = np.nan
        return seconds, "datetime"
    if pd.api.types.is_complex_dtype(dtype):
        raise ValueError(f"Complex data not supported: column {name!r} holds {dtype} values")
    if kind is None:
        example = values.dropna()
        found = f"{dtype} values like {example.iloc[0]!r}" if len(example) else f"{dtype} values"
        raise ValueError(
            f"DateTimeFeatures: column {name!r} is not a datetime column: expected datetime64 values"
            f"{'' if epoch_unit is None else ' or numbers (POSIX time)'}, found {found};"
            " convert it with pandas.to_datetime first"
        )
    if epoch_unit is None:
        raise ValueError(
            f"DateTimeFeatures: column {name!r} holds numbers ({dtype}) but epoch_unit=None accepts"
            " only datetime64 columns; convert it with pandas.to_datetime or set epoch_unit='s'"
        )
    numbers_ = values.to_numpy(dtype=np.float64, na_value=np.nan)
    if np.isinf(numbers_).any():
        raise ValueError(f"DateTimeFeatures: column {name!r} contains infinity; expected timestamps or NaN")
    seconds = numbers_ * _SECONDS_PER_UNIT[epoch_unit]
    finite = seconds[~np.isnan(seconds)]
    if finite.size and (finite.min() < _MIN_SECONDS or finite.max() > _MAX_SECONDS):
        raise ValueError(
            f"DateTimeFeatures: column {name!r} holds numbers from {numbers_[~np.isnan(numbers_)].min():.4g}"
            f" to {numbers_[~np.isnan(numbers_)].max():.4g}, which as POSIX time in {epoch_unit!r} fall"
            " outside the years 1677-2262; is epoch_unit right (seconds 's', milliseconds 'ms', ...)?"
        )
    return seconds, "number"


def _column_features(seconds, features, night_start, night_end, origin_seconds):
    """Compute the requested features of one column of POSIX seconds."""
    missing = np.isnan(seconds)
    safe = np.where(missing, 0.0, seconds)
    days = np.floor(safe / _SECONDS_PER_DAY)
    second_of_day = safe - days * _SECONDS_PER_DAY
    hour = np.floor(second_of_day / 3600.0)
    day_of_week = np.mod(days + _EPOCH_WEEKDAY, 7)
    if night_start < night_end:
        night = (hour >= night_start) & (hour < night_end)
    else:  # the window wraps around midnight
        night = (hour >= night_start) | (hour < night_end)
    angle = 2 * np.pi * second_of_day / _SECONDS_PER_DAY
    columns = {
        "hour": lambda: hour,
        "day_of_week": lambda: day_of_week,
        "is_weekend": lambda: (day_of_week >= 5).astype(np.float64),
        "is_night": lambda: night.astype(np.float64),
        "hour_sin": lambda: np.sin(angle),
        "hour_cos": lambda: np.cos(angle),
        "month": lambda: _month(safe),
        "days_since_origin": lambda: (safe - origin_seconds) / _SECONDS_PER_DAY,
    }
    out = np.column_stack([columns[f]() for f in features]).astype(np.float64)
    out[missing, :] = np.nan
    return out


def _month(seconds):
    """Calendar month, 1-12, of POSIX seconds."""
    months = np.floor(seconds).astype("int64").astype("datetime64[s]").astype("datetime64[M]")
    return (months.astype("int64") % 12 + 1).astype(np.float64)
