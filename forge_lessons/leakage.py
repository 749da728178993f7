"""Leakage: runtime audits of a split, and the measurement helpers of lesson 03.

Runtime audits
--------------
A learner calls these on their own train/test split. Each returns an
:class:`AuditReport`: a readable text (``print(report)``) and a boolean
(``report.ok``, also ``bool(report)``), ``True`` when nothing was found.

- :func:`audit_shared_rows` — rows of the test set that also appear in the
  training set, exactly and after normalising (case, spaces, rounding);
- :func:`audit_groups` — groups (customers, patients, ...) on both sides;
- :func:`audit_time_order` — test rows earlier than training rows;
- :func:`audit_proxy_features` — a single feature that almost perfectly
  predicts the label (a proxy of the label, e.g. recorded after the fact);
- :func:`audit_split` — all of the above that apply, in one report.

Measurement helpers
-------------------
- :func:`time_matched_shuffled_splits` — the "shuffled time" counterpart of a
  time-ordered split: the same test blocks, training rows drawn at random from
  the past *and the future*, in the same number;
- :func:`drop_test_copies` — the same splits without the training rows that
  copy a test row (measures what duplicates add);
- :func:`group_matched_splits` — pairs of splits with the same test rows whose
  training sets differ only in holding rows of the test groups;
- :class:`LeakageBudget` — collects leaky and honest scores per kind of leak,
  records the figures, and shows the budget as a table and a chart.

The static notebook lint lives in :mod:`forge_lessons.lint`.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "AuditReport",
    "LeakageBudget",
    "audit_groups",
    "audit_proxy_features",
    "audit_shared_rows",
    "audit_split",
    "audit_time_order",
    "drop_test_copies",
    "group_matched_splits",
    "time_matched_shuffled_splits",
]


# --------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------


@dataclass
class AuditReport:
    """The result of an audit: a verdict, a sentence, and optional details.

    Attributes
    ----------
    check : str
        What was checked, e.g. ``"shared rows"``.
    ok : bool
        ``True`` when the audit found nothing wrong.
    summary : str
        One or two sentences saying what was found.
    details : pandas.DataFrame or None
        The evidence (offending rows, groups, features), if any.
    reports : list of AuditReport
        For a combined audit (:func:`audit_split`), the individual reports.
    """

    check: str
    ok: bool
    summary: str
    details: object = None
    reports: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.ok)

    @property
    def text(self):
        """The readable report as one string."""
        mark = "✅" if self.ok else "❌"
        lines = [f"{mark} {self.check}: {self.summary}"]
        for sub in self.reports:
            lines += ["   " + line for line in sub.text.splitlines()]
        if self.details is not None and not self.reports and len(self.details):
            shown = self.details.head(8)
            lines += ["   " + line for line in shown.to_string().splitlines()]
            if len(self.details) > len(shown):
                lines.append(f"   ... and {len(self.details) - len(shown)} more")
        return "\n".join(lines)

    def __str__(self):
        return self.text

    def __repr__(self):
        return self.text


# --------------------------------------------------------------------------
# Input validation
# --------------------------------------------------------------------------


def _as_frame(data, name):
    """Return ``data`` as a DataFrame, or raise a clear error."""
    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, pd.Series):
        return data.to_frame()
    try:
        array = np.asarray(data)
    except Exception as error:  # pragma: no cover - exotic inputs
        raise TypeError(f"{name} must be a DataFrame or a 2-D array, found {type(data).__name__}") from error
    if array.ndim == 1:
        array = array.reshape(-1, 1)
    if array.ndim != 2:
        raise ValueError(f"{name} must be 2-D (rows × columns), found an array with {array.ndim} dimensions")
    return pd.DataFrame(array, columns=[f"x{i}" for i in range(array.shape[1])])


def _as_1d(values, name):
    """Return ``values`` as a 1-D NumPy array, or raise a clear error."""
    if isinstance(values, (str, bytes)) or values is None or np.isscalar(values):
        raise TypeError(f"{name} must be a sequence of values (one per row), found {type(values).__name__}")
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one value per row), found shape {array.shape}")
    return array


def _plural(count, word):
    return f"{count:,} {word}" + ("" if count == 1 else "s")


# --------------------------------------------------------------------------
# Audits
# --------------------------------------------------------------------------


def _normalised(frame, decimals):
    """Strings case-folded with spaces collapsed, numbers rounded."""
    out = {}
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_bool_dtype(values):
            out[column] = values
        elif pd.api.types.is_numeric_dtype(values):
            out[column] = values.astype(float).round(decimals)
        elif pd.api.types.is_datetime64_any_dtype(values):
            out[column] = values
        else:
            text = values.astype("string").str.casefold().str.strip()
            out[column] = text.str.replace(r"\s+", " ", regex=True)
    return pd.DataFrame(out, index=frame.index)


def _row_hashes(frame):
    return pd.util.hash_pandas_object(frame, index=False).to_numpy()


def audit_shared_rows(train, test, *, ignore=(), normalise=True, decimals=2):
    """Find test rows that also appear in the training set.

    Exact copies (e.g. a payment retried by the system) and near copies
    (same values after case-folding text, collapsing spaces and rounding
    numbers to ``decimals``) put the answer to a test question into the
    training set.

    Parameters
    ----------
    train, test : DataFrame or 2-D array
        The two sides of a split, with the same columns.
    ignore : sequence of str
        Columns left out of the comparison, typically row identifiers that a
        copy would not share (a new ``transaction_id`` for a retry).
    normalise : bool
        Also look for copies after normalising.
    decimals : int
        Rounding used when normalising numbers.

    Returns
    -------
    AuditReport
        ``ok`` is ``True`` when no test row has a copy in the training set.
        ``details`` lists the test rows that do (their index and kind).
    """
    train = _as_frame(train, "train")
    test = _as_frame(test, "test")
    ignore = [ignore] if isinstance(ignore, str) else list(ignore)
    unknown = [c for c in ignore if c not in train.columns]
    if unknown:
        raise ValueError(f"ignore names column(s) {unknown} that are not in the data; columns are {list(train.columns)}")
    if list(train.columns) != list(test.columns):
        raise ValueError(
            "train and test must have the same columns in the same order; "
            f"found {list(train.columns)} and {list(test.columns)}"
        )
    if not isinstance(decimals, (int, np.integer)) or decimals < 0:
        raise ValueError(f"decimals must be a non-negative integer, found {decimals!r}")
    columns = [c for c in train.columns if c not in ignore]
    if not columns:
        raise ValueError("no column left to compare after `ignore`")
    train_part, test_part = train[columns], test[columns]
    exact = np.isin(_row_hashes(test_part), _row_hashes(train_part))
    near = np.zeros_like(exact)
    if normalise:
        near = np.isin(_row_hashes(_normalised(test_part, decimals)), _row_hashes(_normalised(train_part, decimals)))
        near &= ~exact
    n_exact, n_near = int(exact.sum()), int(near.sum())
    shared = n_exact + n_near
    compared = "exactly and after normalising" if normalise else "exactly"
    if shared == 0:
        summary = (
            f"no test row has a copy in the training set (compared {compared}: "
            f"{_plural(len(test), 'test row')} against {_plural(len(train), 'training row')})."
        )
    else:
        parts = [f"{n_exact:,} exact"]
        if normalise:
            parts.append(f"{n_near:,} after normalising")
        summary = (
            f"{_plural(shared, 'test row')} ({shared / len(test):.1%} of the test set) also appear in the "
            f"training set ({', '.join(parts)}). A model can answer them from memory; drop duplicates "
            "before splitting, or split by the entity that repeats."
        )
    details = pd.DataFrame(
        {"test_row": test.index[exact | near], "kind": np.where(exact[exact | near], "exact", "normalised")}
    )
    return AuditReport("shared rows", shared == 0, summary, details)


def audit_groups(train_groups, test_groups, *, name="group"):
    """Find groups (customers, patients, devices...) present on both sides.

    Parameters
    ----------
    train_groups, test_groups : 1-D array-like
        The group label of every training and every test row.
    name : str
        What a group is, used in the report (``"customer"``).

    Returns
    -------
    AuditReport
        ``ok`` is ``True`` when no group has rows on both sides. ``details``
        lists the shared groups with their row counts on each side.
    """
    train_groups = _as_1d(train_groups, "train_groups")
    test_groups = _as_1d(test_groups, "test_groups")
    if len(test_groups) == 0:
        raise ValueError("test_groups is empty: there is no test set to audit")
    train_counts = pd.Series(train_groups).value_counts()
    test_counts = pd.Series(test_groups).value_counts()
    shared = test_counts.index.intersection(train_counts.index)
    rows = int(test_counts.loc[shared].sum()) if len(shared) else 0
    if len(shared) == 0:
        summary = (
            f"no {name} has rows on both sides ({_plural(len(train_counts), name)} in training, "
            f"{len(test_counts):,} in test)."
        )
    else:
        summary = (
            f"{_plural(len(shared), name)} of {len(test_counts):,} in the test set also appear in training, "
            f"covering {_plural(rows, 'test row')} ({rows / len(test_groups):.1%}). A model can recognise the {name} "
            f"instead of learning the pattern; split with GroupKFold / GroupShuffleSplit on the {name}."
        )
    details = pd.DataFrame(
        {name: shared, "train_rows": train_counts.loc[shared].to_numpy(), "test_rows": test_counts.loc[shared].to_numpy()}
    ).sort_values("test_rows", ascending=False, kind="stable").reset_index(drop=True)
    return AuditReport(f"groups on both sides ({name})", len(shared) == 0, summary, details)


def _as_times(values, name):
    array = _as_1d(values, name)
    if np.issubdtype(array.dtype, np.number) and not np.issubdtype(array.dtype, np.bool_):
        if np.isnan(array.astype(float)).any():
            raise ValueError(f"{name} contains missing values; every row needs a time")
        return array.astype(float)
    try:
        times = pd.to_datetime(pd.Series(array))
    except (ValueError, TypeError) as error:
        raise ValueError(f"{name} must hold timestamps or numbers, found values like {array[:1].tolist()}") from error
    if times.isna().any():
        raise ValueError(f"{name} contains missing timestamps; every row needs a time")
    return times.to_numpy()


def audit_time_order(train_times, test_times, *, name="timestamp"):
    """Check that every test row comes after every training row.

    A model deployed today only knows the past. If some test rows are older
    than the newest training rows, the evaluation lets the model learn from
    the future of the rows it is scored on.

    Parameters
    ----------
    train_times, test_times : 1-D array-like of datetimes or numbers
    name : str
        Name of the time column, used in the report.

    Returns
    -------
    AuditReport
        ``ok`` is ``True`` when the earliest test time is not before the
        latest training time. ``details`` gives the boundaries and counts.
    """
    train_t = _as_times(train_times, "train_times")
    test_t = _as_times(test_times, "test_times")
    if len(train_t) == 0 or len(test_t) == 0:
        raise ValueError("train_times and test_times must both be non-empty")
    latest_train, earliest_test = train_t.max(), test_t.min()
    if np.issubdtype(np.asarray(train_t).dtype, np.datetime64):
        latest_train, earliest_test = pd.Timestamp(latest_train), pd.Timestamp(earliest_test)
    early_test = int((test_t < latest_train).sum())
    late_train = int((train_t > earliest_test).sum())
    ok = early_test == 0
    details = pd.DataFrame(
        {
            "value": [str(latest_train), str(earliest_test), early_test, late_train],
        },
        index=["latest training time", "earliest test time", "test rows before the latest training row",
               "training rows after the earliest test row"],
    )
    if ok:
        summary = f"every test row is at or after the latest training row ({name} {latest_train})."
    else:
        summary = (
            f"{_plural(early_test, 'test row')} ({early_test / len(test_t):.1%}) are older than the newest training "
            f"row, and {_plural(late_train, 'training row')} come from after the first test row: the model trains "
            "on the future of what it is scored on. Split by time (TimeSeriesSplit, or a cut-off date)."
        )
    return AuditReport("time order", ok, summary, details)


def _single_feature_auc(values, y, folds):
    """ROC AUC of one feature on its own, direction-free (0.5 = useless, 1 = perfect)."""
    from sklearn.metrics import roc_auc_score

    series = pd.Series(values).reset_index(drop=True)
    scores = []
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        numbers = series.astype(float)
        missing = numbers.isna().to_numpy()
        if missing.all():
            return 0.5
        filled = numbers.fillna(numbers.median()).to_numpy()
        scores.append(roc_auc_score(y, filled))
        if missing.any():
            scores.append(roc_auc_score(y, missing.astype(float)))
    else:
        # Categories: out-of-fold rate of the positive class per category, so
        # that an identifier unique to each row does not look predictive.
        codes = series.astype("string").fillna("<missing>").to_numpy()
        encoded = np.full(len(codes), np.nan)
        for train_idx, test_idx in folds:
            rates = pd.Series(y[train_idx]).groupby(codes[train_idx]).mean()
            encoded[test_idx] = pd.Series(codes[test_idx]).map(rates).to_numpy(dtype=float)
        encoded = np.where(np.isnan(encoded), y.mean(), encoded)
        scores.append(roc_auc_score(y, encoded))
    return max(max(s, 1 - s) for s in scores)


def audit_proxy_features(X, y, *, threshold=0.95, cv=5, random_state=0):
    """Find features that almost perfectly predict the label on their own.

    A feature recorded *because of* the outcome (a chargeback filed, an
    account closed after the fraud, a diagnosis code) separates the classes
    almost perfectly and will not exist at prediction time.

    Each feature is scored alone by ROC AUC, direction-free (``max(auc,
    1 - auc)``): numbers by their value (and by whether they are missing),
    categories by the out-of-fold rate of the positive class per category.

    Parameters
    ----------
    X : DataFrame or 2-D array
        The features.
    y : 1-D array-like with two classes
        The label.
    threshold : float in (0.5, 1]
        A feature scoring at least this is reported.
    cv : int
        Folds for the out-of-fold encoding of categories.
    random_state : int
        Shuffles those folds.

    Returns
    -------
    AuditReport
        ``ok`` is ``True`` when no feature reaches ``threshold``. ``details``
        lists every feature's single-feature AUC, highest first.
    """
    from sklearn.model_selection import StratifiedKFold

    X = _as_frame(X, "X")
    y = _as_1d(y, "y")
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of rows, found {len(X)} and {len(y)}")
    classes = np.unique(y[~pd.isna(y)]) if y.dtype == object else np.unique(y)
    if len(classes) != 2:
        raise ValueError(f"y must have exactly two classes, found {len(classes)}: {classes[:5].tolist()}")
    if not 0.5 < threshold <= 1:
        raise ValueError(f"threshold must be in (0.5, 1], found {threshold!r}")
    if not isinstance(cv, (int, np.integer)) or cv < 2:
        raise ValueError(f"cv must be an integer ≥ 2, found {cv!r}")
    binary = (y == classes[1]).astype(int)
    n_splits = int(min(cv, np.bincount(binary).min()))
    if n_splits < 2:
        raise ValueError("each class needs at least two rows to audit features")
    folds = list(StratifiedKFold(n_splits, shuffle=True, random_state=random_state).split(np.zeros(len(binary)), binary))
    aucs = {str(column): _single_feature_auc(X[column].to_numpy(), binary, folds) for column in X.columns}
    details = pd.DataFrame({"feature": list(aucs), "single_feature_auc": list(aucs.values())})
    details = details.sort_values("single_feature_auc", ascending=False, kind="stable").reset_index(drop=True)
    details["single_feature_auc"] = details["single_feature_auc"].round(3)
    flagged = details[details["single_feature_auc"] >= threshold]
    if flagged.empty:
        best = details.iloc[0]
        summary = (
            f"no feature predicts the label almost perfectly on its own (best: {best['feature']!r}, "
            f"AUC {best['single_feature_auc']:.3f} < {threshold})."
        )
        return AuditReport("proxy features", True, summary, details.head(0))
    names = ", ".join(repr(n) for n in flagged["feature"])
    summary = (
        f"{_plural(len(flagged), 'feature')} "
        f"{'separates' if len(flagged) == 1 else 'separate'} the classes almost perfectly "
        f"{'on its own' if len(flagged) == 1 else 'on their own'} ({names}; "
        f"AUC ≥ {threshold}). Ask when each value becomes known: if only after the outcome, it is a proxy "
        "of the label and must be dropped."
    )
    return AuditReport("proxy features", False, summary, flagged)


def audit_split(train, test, *, target=None, groups=None, time=None, ignore=(), threshold=0.95):
    """Run every audit that applies to a split of a DataFrame.

    Parameters
    ----------
    train, test : DataFrame
        Both sides of the split, with the same columns.
    target : str, optional
        Label column: enables the proxy-feature audit (on the training rows)
        and is left out of the shared-row comparison.
    groups : str, optional
        Column holding the group (e.g. ``"customer_id"``).
    time : str, optional
        Column holding the time of each row.
    ignore : sequence of str
        Columns left out of the shared-row comparison (row identifiers).
    threshold : float
        Passed to :func:`audit_proxy_features`.

    Returns
    -------
    AuditReport
        ``ok`` only if every audit passed; ``reports`` holds each one.
    """
    if not isinstance(train, pd.DataFrame) or not isinstance(test, pd.DataFrame):
        raise TypeError(
            f"audit_split needs two DataFrames, found {type(train).__name__} and {type(test).__name__}; "
            "call the individual audits for arrays"
        )
    ignore = [ignore] if isinstance(ignore, str) else list(ignore)
    for label, column in (("target", target), ("groups", groups), ("time", time)):
        if column is not None and (column not in train.columns or column not in test.columns):
            raise ValueError(f"{label}={column!r} is not a column of both sides; columns are {list(train.columns)}")
    reports = []
    compare_ignore = ignore + ([target] if target is not None else [])
    reports.append(audit_shared_rows(train, test, ignore=compare_ignore))
    if groups is not None:
        reports.append(audit_groups(train[groups], test[groups], name=str(groups)))
    if time is not None:
        reports.append(audit_time_order(train[time], test[time], name=str(time)))
    if target is not None:
        features = train.drop(columns=[target] + ignore + [c for c in (groups, time) if c is not None])
        reports.append(audit_proxy_features(features, train[target].to_numpy(), threshold=threshold))
    failed = [r.check for r in reports if not r.ok]
    if failed:
        summary = f"{len(failed)} of {len(reports)} audits found a problem: {', '.join(failed)}."
    else:
        summary = f"all {len(reports)} audits passed."
    return AuditReport("split audit", not failed, summary, None, reports)


# --------------------------------------------------------------------------
# Measurement helpers for the lesson
# --------------------------------------------------------------------------


def time_matched_shuffled_splits(time_splits, n_samples, *, random_state=None):
    """Shuffled-time counterparts of time-ordered splits, for a fair comparison.

    For every ``(train, test)`` of ``time_splits`` (e.g. from
    ``TimeSeriesSplit``), keep the same test rows and draw the same number of
    training rows at random from *all* other rows, past and future. The only
    difference from the time-ordered split is then whether the model may
    learn from the future of its test rows.

    Parameters
    ----------
    time_splits : iterable of (train_indices, test_indices)
    n_samples : int
        Number of rows in the data.
    random_state : int or None

    Returns
    -------
    list of (ndarray, ndarray)
        Usable as ``cv=`` in ``cross_val_score``.
    """
    if not isinstance(n_samples, (int, np.integer)) or n_samples < 2:
        raise ValueError(f"n_samples must be an integer ≥ 2, found {n_samples!r}")
    rng = np.random.default_rng(random_state)
    result = []
    for i, split in enumerate(time_splits):
        try:
            train, test = split
        except (TypeError, ValueError) as error:
            raise ValueError(f"split {i} must be a pair (train_indices, test_indices)") from error
        train, test = np.asarray(train), np.asarray(test)
        if test.size == 0 or train.size == 0:
            raise ValueError(f"split {i} has an empty side")
        if train.max() >= n_samples or test.max() >= n_samples:
            raise ValueError(f"split {i} holds an index ≥ n_samples={n_samples}")
        others = np.setdiff1d(np.arange(n_samples), test)
        if train.size > others.size:
            raise ValueError(f"split {i}: {train.size} training rows requested but only {others.size} available")
        result.append((np.sort(rng.choice(others, size=train.size, replace=False)), np.sort(test)))
    if not result:
        raise ValueError("time_splits is empty")
    return result


def _check_splits(splits, n_samples, name="splits"):
    checked = []
    for i, split in enumerate(splits):
        try:
            train, test = split
        except (TypeError, ValueError) as error:
            raise ValueError(f"{name}[{i}] must be a pair (train_indices, test_indices)") from error
        train, test = np.asarray(train, dtype=int), np.asarray(test, dtype=int)
        if train.size == 0 or test.size == 0:
            raise ValueError(f"{name}[{i}] has an empty side")
        if max(train.max(), test.max()) >= n_samples or min(train.min(), test.min()) < 0:
            raise ValueError(f"{name}[{i}] holds an index outside 0..{n_samples - 1}")
        checked.append((train, test))
    if not checked:
        raise ValueError(f"{name} is empty")
    return checked


def drop_test_copies(splits, data, *, ignore=()):
    """The same splits with every training row that copies a test row removed.

    Scoring a model on ``splits`` and on the result measures exactly what
    duplicated rows add: the test rows are the same, only the copies of them
    are taken out of training.

    Parameters
    ----------
    splits : iterable of (train_indices, test_indices)
        Positional indices into ``data``.
    data : DataFrame
        The rows, used to find exact copies.
    ignore : sequence of str
        Columns a copy need not share (row identifiers).

    Returns
    -------
    list of (ndarray, ndarray)
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a DataFrame, found {type(data).__name__}")
    ignore = [ignore] if isinstance(ignore, str) else list(ignore)
    missing = [c for c in ignore if c not in data.columns]
    if missing:
        raise ValueError(f"ignore names column(s) {missing} that are not in the data")
    hashes = _row_hashes(data.drop(columns=ignore))
    result = []
    for train, test in _check_splits(splits, len(data)):
        copies = np.isin(hashes[train], hashes[test])
        result.append((train[~copies], test))
    return result


def group_matched_splits(groups, *, n_splits=5, test_size=0.3, random_state=None):
    """Pairs of splits that differ only in whether the test groups are also in training.

    For each split a share ``test_size`` of the groups is drawn; half of each
    drawn group's rows (at random) form the test set. The *leaky* training set
    holds the other half of those groups' rows plus rows of other groups; the
    *honest* training set holds only rows of other groups. Both training sets
    have the same size and both splits the same test rows, so the difference
    in score is what seeing the same group adds.

    Parameters
    ----------
    groups : 1-D array-like
        The group of every row (e.g. ``customer_id``).
    n_splits : int
    test_size : float in (0, 1)
        Share of the groups drawn for testing.
    random_state : int or None

    Returns
    -------
    (list, list)
        ``(leaky_splits, honest_splits)``, each a list of ``(train, test)``
        index arrays usable as ``cv=`` in ``cross_val_score``.
    """
    groups = _as_1d(groups, "groups")
    if not isinstance(n_splits, (int, np.integer)) or n_splits < 1:
        raise ValueError(f"n_splits must be a positive integer, found {n_splits!r}")
    if not 0 < test_size < 1:
        raise ValueError(f"test_size must be between 0 and 1, found {test_size!r}")
    labels = np.unique(groups)
    n_test_groups = int(round(test_size * len(labels)))
    if n_test_groups < 1 or n_test_groups >= len(labels):
        raise ValueError(f"test_size={test_size} leaves no group on one side ({len(labels)} groups)")
    rng = np.random.default_rng(random_state)
    leaky, honest = [], []
    for _ in range(n_splits):
        drawn = np.isin(groups, rng.choice(labels, size=n_test_groups, replace=False))
        drawn_rows = np.flatnonzero(drawn)
        other_rows = np.flatnonzero(~drawn)
        to_test = rng.random(drawn_rows.size) < 0.5
        test, same_group = drawn_rows[to_test], drawn_rows[~to_test]
        if test.size == 0 or same_group.size >= other_rows.size:
            raise ValueError("groups are too few or too small to build matched splits")
        kept = rng.choice(other_rows, size=other_rows.size - same_group.size, replace=False)
        leaky.append((np.sort(np.concatenate([kept, same_group])), np.sort(test)))
        honest.append((np.sort(other_rows), np.sort(test)))
    return leaky, honest


@dataclass
class _Entry:
    kind: str
    family: str
    leaky: np.ndarray
    honest: np.ndarray
    data: str
    model: str
    leak: str
    paired: bool = True


class LeakageBudget:
    """Collect leaky and honest scores per kind of leak; table and chart.

    Parameters
    ----------
    metric : str
        Name of the score, shown in the table and the chart.
    record : bool
        Record ``leak_<kind>_leaky``, ``leak_<kind>_honest`` and
        ``leak_<kind>_inflation`` with :func:`forge_lessons.record` as each
        kind is added (requires :func:`forge_lessons.setup`).

    Examples
    --------
    >>> budget = LeakageBudget(record=False)
    >>> row = budget.add("selection", [0.9, 0.88], [0.5, 0.52], data="synthetic", model="logistic regression")
    >>> round(row["inflation"], 2)
    0.38
    """

    def __init__(self, metric="ROC AUC", *, record=True):
        self.metric = metric
        self.record = record
        self._entries = {}

    def __len__(self):
        return len(self._entries)

    @property
    def kinds(self):
        """The kinds added, in order."""
        return list(self._entries)

    @property
    def families(self):
        """The distinct families of leakage measured (a family may have variants)."""
        return list(dict.fromkeys(e.family for e in self._entries.values()))

    def add(self, kind, leaky, honest, *, data, model, leak="", family=None, paired=None):
        """Add one kind of leak, measured on the same splits both ways.

        Parameters
        ----------
        kind : str
            snake_case name, e.g. ``"selection"``; figures are recorded as
            ``leak_<kind>_leaky`` / ``_honest`` / ``_inflation``.
        leaky, honest : array-like of float
            Scores of the leaky and of the honest workflow. When both have the
            same length they are paired split by split (same seeds).
        data : str
            Where the measurement was made (``"course"``, ``"synthetic"``).
        model : str
            The model used.
        leak : str
            Short description of the leaky workflow, for the table.
        family : str, optional
            The kind of leakage this is a variant of (defaults to ``kind``).
        paired : bool, optional
            Whether ``leaky[i]`` and ``honest[i]`` come from the same split.
            Defaults to ``True`` when both have the same length. Unpaired
            spreads combine both standard deviations.

        Returns
        -------
        dict
            ``kind``, ``leaky``, ``honest``, ``inflation``, ``spread`` (std of
            the paired differences; if unpaired, both stds combined),
            ``noise`` (two standard errors of the mean inflation: an
            inflation smaller than this cannot be told from split-to-split
            noise) and ``runs``.
        """
        import re

        if not isinstance(kind, str) or not re.match(r"^[a-z][a-z0-9_]*$", kind):
            raise ValueError(f"kind must be snake_case like 'selection', found {kind!r}")
        leaky = np.asarray(leaky, dtype=float).ravel()
        honest = np.asarray(honest, dtype=float).ravel()
        for label, scores in (("leaky", leaky), ("honest", honest)):
            if scores.size == 0:
                raise ValueError(f"{label} scores for {kind!r} are empty")
            if not np.isfinite(scores).all():
                raise ValueError(f"{label} scores for {kind!r} contain NaN or infinite values: {scores.tolist()}")
        if paired is None:
            paired = leaky.size == honest.size
        elif paired and leaky.size != honest.size:
            raise ValueError(
                f"paired scores for {kind!r} need the same length, found {leaky.size} leaky and {honest.size} honest"
            )
        entry = _Entry(kind, family or kind, leaky, honest, str(data), str(model), str(leak), bool(paired))
        self._entries[kind] = entry
        row = self._row(entry)
        if self.record:
            from .course import record

            record(f"leak_{kind}_leaky", row["leaky"])
            record(f"leak_{kind}_honest", row["honest"])
            record(f"leak_{kind}_inflation", row["inflation"])
        return row

    @staticmethod
    def _row(entry):
        def sd(values):
            return float(values.std(ddof=1)) if values.size > 1 else 0.0

        if entry.paired:
            differences = entry.leaky - entry.honest
            inflation, spread = float(differences.mean()), sd(differences)
            standard_error = spread / np.sqrt(differences.size)
        else:
            inflation = float(entry.leaky.mean() - entry.honest.mean())
            spread = float(np.hypot(sd(entry.leaky), sd(entry.honest)))
            standard_error = float(np.sqrt(sd(entry.leaky) ** 2 / entry.leaky.size
                                           + sd(entry.honest) ** 2 / entry.honest.size))
        return {
            "kind": entry.kind,
            "family": entry.family,
            "leaky": float(entry.leaky.mean()),
            "honest": float(entry.honest.mean()),
            "inflation": inflation,
            "spread": spread,
            "noise": float(2 * standard_error),
            "runs": int(entry.leaky.size),
            "data": entry.data,
            "model": entry.model,
            "leaky workflow": entry.leak,
        }

    def table(self, decimals=3):
        """The budget as a DataFrame, largest inflation first, rounded."""
        if not self._entries:
            raise ValueError("the budget is empty: add at least one kind first")
        frame = pd.DataFrame([self._row(e) for e in self._entries.values()])
        frame = frame.sort_values("inflation", ascending=False, kind="stable").set_index("kind")
        numeric = ["leaky", "honest", "inflation", "spread", "noise"]
        frame[numeric] = frame[numeric].round(decimals)
        return frame

    def plot_scores(self, ax=None, chance=0.5):
        """Leaky and honest scores side by side for every kind (a dumbbell chart).

        Parameters
        ----------
        ax : matplotlib Axes, optional
        chance : float or None
            Score of a random ranking, drawn as a dotted line.

        Returns
        -------
        matplotlib Axes
        """
        import matplotlib.pyplot as plt

        table = self.table().iloc[::-1]
        if ax is None:
            _, ax = plt.subplots(figsize=(7.5, 0.38 * len(table) + 1.4))
        positions = np.arange(len(table))
        ax.hlines(positions, table["honest"], table["leaky"], color="lightgray", linewidth=3, zorder=1)
        ax.scatter(table["honest"], positions, color="tab:blue", label="honest workflow", zorder=2)
        ax.scatter(table["leaky"], positions, color="tab:red", label="leaky workflow", zorder=3)
        if chance is not None:
            ax.axvline(chance, color="black", linestyle=":", linewidth=1, label="random ranking")
        ax.set_yticks(positions, table.index)
        ax.set_xlabel(f"{self.metric} (mean over splits)")
        ax.set_ylabel("kind of leakage")
        ax.set_title("What each workflow reports")
        ax.legend(loc="lower left", fontsize=8)
        return ax

    def plot(self, ax=None, small=0.01):
        """Horizontal bars of the inflation per kind, with ± one spread.

        Parameters
        ----------
        ax : matplotlib Axes, optional
        small : float
            Inflations below this are drawn in grey, as are inflations within
            the noise (not larger than two standard errors, ``noise`` column).

        Returns
        -------
        matplotlib Axes
        """
        import matplotlib.pyplot as plt

        table = self.table().iloc[::-1]
        if ax is None:
            _, ax = plt.subplots(figsize=(7.5, 0.38 * len(table) + 1.4))
        palette = ["tab:red", "tab:purple", "tab:orange", "tab:green", "tab:brown"]
        sources = list(dict.fromkeys(entry.data for entry in self._entries.values()))  # colours in order added
        colours = {source: palette[i % len(palette)] for i, source in enumerate(sources)}
        colour = [
            "tab:gray" if value < small or abs(value) <= noise else colours[source]
            for value, noise, source in zip(table["inflation"], table["noise"], table["data"])
        ]
        ax.barh(table.index, table["inflation"], xerr=table["spread"], color=colour, capsize=3,
                error_kw={"elinewidth": 1, "ecolor": "black"})
        for y, (value, spread) in enumerate(zip(table["inflation"], table["spread"])):
            ax.annotate(f"{value:+.3f}", (max(value, 0) + spread, y), xytext=(4, -3), textcoords="offset points",
                        fontsize=8)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_xlim(right=max(0.05, float((table["inflation"].clip(lower=0) + table["spread"]).max())) * 1.25)
        ax.set_xlabel(f"inflation of {self.metric} (leaky − honest), mean ± sd over splits")
        ax.set_ylabel("kind of leakage")
        ax.set_title("The leakage budget: inflation per kind")
        from matplotlib.patches import Patch

        handles = [Patch(color=colours[source], label=source) for source in sources]
        handles.append(Patch(color="tab:gray", label=f"within the noise or below {small:+.2f}"))
        ax.legend(handles=handles, loc="lower right", fontsize=8, title="data", title_fontsize=8)
        return ax
