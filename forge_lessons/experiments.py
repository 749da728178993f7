"""Repeated-split experiments, paired gaps, attribution tables and their plots.

The plumbing behind lesson 02 (leaky versus pipelined scaling). The lesson
builds its workflows in plain scikit-learn -- ``StandardScaler().fit_transform``
on all rows for the leaky one, ``Pipeline([...])`` for the honest one -- and
hands them to the helpers here, which

* score several workflows on the *same* repeated train/test splits, so that
  their differences are paired (:func:`repeated_split_scores`,
  :func:`paired_differences`, :func:`summarize_differences`);
* repeat any seeded experiment over seeds in parallel (:func:`repeat_with_seeds`)
  and put an error bar on a single test set (:func:`bootstrap_score`);
* score a production period batch by batch (:func:`score_in_batches`);
* turn a sequence of measured scores into an attribution table whose steps
  add up exactly (:func:`waterfall_table`) and draw it (:func:`plot_waterfall`);
* draw the figures of the lesson (:func:`plot_workflow_diagram`,
  :func:`plot_differences`, :func:`plot_permutation_tests`) and round its
  tables and differences for display (:func:`tidy`, :func:`signed`,
  :func:`gap`, :func:`fixed_gap`, :func:`gap_table`);
* compute expected answers for the exercises (:func:`reference_scaling_gap`,
  :func:`pipeline_problem`).
"""

import numbers

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy import sparse
from scipy.stats import rankdata
from sklearn.base import clone
from sklearn.metrics import get_scorer
from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit

__all__ = [
    "add_outliers",
    "bootstrap_score",
    "paired_differences",
    "pipeline_problem",
    "plot_differences",
    "plot_permutation_tests",
    "plot_waterfall",
    "plot_workflow_diagram",
    "reference_scaling_gap",
    "repeat_with_seeds",
    "repeated_split_scores",
    "score_in_batches",
    "fixed_gap",
    "gap",
    "gap_table",
    "signed",
    "summarize_differences",
    "tidy",
    "waterfall_table",
]

TOTAL = "total"
STEP = "step"


# --------------------------------------------------------------------------- #
# validation helpers
# --------------------------------------------------------------------------- #
def _check_int(name, value, minimum):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _check_y(y, name="y"):
    array = np.asarray(y)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional (one label per row), got shape {array.shape}")
    if len(array) == 0:
        raise ValueError(f"{name} is empty; expected at least one row")
    return array


def _n_rows(X):
    if hasattr(X, "shape") and len(getattr(X, "shape")) >= 1:
        return X.shape[0]
    return len(X)


def _rows(X, index):
    if hasattr(X, "iloc"):
        return X.iloc[index]
    if sparse.issparse(X):
        return X[index]
    return np.asarray(X)[index]


def _check_workflows(workflows, n_rows):
    if not isinstance(workflows, dict) or not workflows:
        raise ValueError(
            "workflows must be a non-empty dict {name: (estimator, X)}, "
            f"got {type(workflows).__name__} {workflows!r:.80}"
        )
    for name, value in workflows.items():
        if not (isinstance(value, tuple) and len(value) == 2):
            raise ValueError(
                f"workflow {name!r} must be a pair (estimator, X), got {type(value).__name__}"
            )
        estimator, X = value
        if not hasattr(estimator, "fit"):
            raise TypeError(
                f"workflow {name!r}: expected a scikit-learn estimator with fit(), "
                f"got {type(estimator).__name__}"
            )
        if _n_rows(X) != n_rows:
            raise ValueError(
                f"workflow {name!r}: X has {_n_rows(X)} rows but y has {n_rows}; "
                "every workflow must see the same rows (only their preprocessing differs)"
            )
    tuple_keys = [isinstance(k, tuple) for k in workflows]
    if any(tuple_keys) and not all(isinstance(k, tuple) and len(k) == 2 for k in workflows):
        raise ValueError(
            "workflow names must be all strings or all (model, workflow) pairs, "
            f"got {list(workflows)}"
        )


def signed(value, decimals=3):
    """Format a difference with its sign, never as ``-0.000``.

    Parameters
    ----------
    value : float
    decimals : int, default=3

    Returns
    -------
    str
        e.g. ``"+0.012"``, ``"-0.031"``, and ``"+0.000"`` for anything that
        rounds to zero.

    Examples
    --------
    >>> signed(-0.00001)
    '+0.000'
    >>> signed(-0.0312)
    '-0.031'
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"value must be a number, got {type(value).__name__}")
    decimals = _check_int("decimals", decimals, 0)
    return f"{round(float(value), decimals) + 0.0:+.{decimals}f}"


def gap(value, decimals=3, max_decimals=7):
    """Format a difference with its sign, keeping one significant digit when it is tiny.

    ``signed`` turns ``0.00004`` into ``"+0.000"``, which hides whether the
    difference is exactly zero or merely small. ``gap`` adds decimals until
    the first non-zero digit shows, and says so when the value is exactly 0.

    Parameters
    ----------
    value : float
    decimals : int, default=3
        Decimals used when the value does not round to zero.
    max_decimals : int, default=7
        Below ``10 ** -max_decimals`` the value is shown as ``"+0.000 (< 1e-07)"``.

    Returns
    -------
    str

    Examples
    --------
    >>> gap(0.0124)
    '+0.012'
    >>> gap(0.000041)
    '+0.00004'
    >>> gap(-0.0)
    '0.000 (exactly zero)'
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"value must be a number, got {type(value).__name__}")
    decimals = _check_int("decimals", decimals, 0)
    max_decimals = _check_int("max_decimals", max_decimals, decimals)
    value = float(value)
    if value == 0:
        return f"{0.0:.{decimals}f} (exactly zero)"
    digits = decimals
    while round(value, digits) == 0 and digits < max_decimals:
        digits += 1
    if round(value, digits) == 0:
        return f"{0.0:+.{decimals}f} (< 1e-{max_decimals:02d})"
    return f"{round(value, digits) + 0.0:+.{digits}f}"


def fixed_gap(value, decimals=4, show_plus=True):
    """Format a difference at one fixed precision, so a table column reads evenly.

    Unlike :func:`gap`, which adds decimals until the first digit shows, every
    value gets the same number of decimals; a value that would round to zero
    is shown as ``"<0.0001"`` (for ``decimals=4``), whatever its sign.

    Parameters
    ----------
    value : float
    decimals : int, default=4
    show_plus : bool, default=True
        Print a ``+`` in front of positive values (``False`` for spreads).

    Returns
    -------
    str

    Examples
    --------
    >>> fixed_gap(0.0124)
    '+0.0124'
    >>> fixed_gap(0.00004)
    '<0.0001'
    >>> fixed_gap(0.002)
    '+0.0020'
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"value must be a number, got {type(value).__name__}")
    decimals = _check_int("decimals", decimals, 1)
    value = float(value)
    if round(value, decimals) == 0:
        return f"<{10.0 ** -decimals:.{decimals}f}"
    return f"{round(value, decimals) + 0.0:{'+' if show_plus else ''}.{decimals}f}"


def gap_table(summary, noise, *, decimals=4, noise_decimals=3):
    """A :func:`summarize_differences` table laid out for reading.

    Every gap is printed at the same precision (:func:`fixed_gap`), the
    number of splits is left out (say it in the heading), and the last column
    is the yardstick: how much the score itself moves from split to split.

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`summarize_differences`; a (condition, model)
        MultiIndex is kept as it is.
    noise : pandas.Series or dict
        Per row of ``summary``, the split-to-split standard deviation of the
        (pipelined) score.
    decimals : int, default=4
        Decimals of the gap columns.
    noise_decimals : int, default=3
        Decimals of the noise column.

    Returns
    -------
    pandas.DataFrame
        Columns ``mean gap``, ``sd of gap``, ``smallest``, ``largest`` and
        ``noise (sd of score)``, as strings.
    """
    needed = ["mean", "sd", "min", "max"]
    if not isinstance(summary, pd.DataFrame):
        raise TypeError(f"summary must be a DataFrame from summarize_differences, got {type(summary).__name__}")
    missing = [c for c in needed if c not in summary.columns]
    if missing:
        raise ValueError(f"summary lacks the columns {missing}; expected the output of summarize_differences")
    noise = pd.Series(noise, dtype=float) if isinstance(noise, dict) else noise
    if not isinstance(noise, pd.Series):
        raise TypeError(f"noise must be a Series or a dict, got {type(noise).__name__}")
    absent = [name for name in summary.index if name not in noise.index]
    if absent:
        raise ValueError(f"noise has no value for the rows {absent}")
    noise_decimals = _check_int("noise_decimals", noise_decimals, 0)
    out = pd.DataFrame(index=summary.index)
    out["mean gap"] = [fixed_gap(v, decimals) for v in summary["mean"]]
    out["sd of gap"] = [fixed_gap(v, decimals, show_plus=False) for v in summary["sd"]]
    out["smallest"] = [fixed_gap(v, decimals) for v in summary["min"]]
    out["largest"] = [fixed_gap(v, decimals) for v in summary["max"]]
    out["noise (sd of score)"] = [f"{noise[name]:.{noise_decimals}f}" for name in summary.index]
    return out


def tidy(frame, decimals=3):
    """Round the numeric columns of a table for display, without negative zeros.

    ``-0.00002`` rounds to ``-0.0``, which prints as ``-0.000`` and suggests a
    sign the data do not have; adding ``0.0`` turns it into ``0.0``.

    Parameters
    ----------
    frame : pandas.DataFrame or pandas.Series
    decimals : int, default=3

    Returns
    -------
    pandas.DataFrame or pandas.Series
        A rounded copy.
    """
    if not isinstance(frame, (pd.DataFrame, pd.Series)):
        raise TypeError(f"expected a pandas DataFrame or Series, got {type(frame).__name__}")
    decimals = _check_int("decimals", decimals, 0)
    if isinstance(frame, pd.Series):
        return frame.round(decimals) + 0.0 if pd.api.types.is_float_dtype(frame) else frame.copy()
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].round(decimals) + 0.0
    return out


# --------------------------------------------------------------------------- #
# repeated splits
# --------------------------------------------------------------------------- #
def _score_split(workflows, y, train, test, scorer):
    scores = {}
    for name, (estimator, X) in workflows.items():
        fitted = clone(estimator).fit(_rows(X, train), y[train])
        scores[name] = float(scorer(fitted, _rows(X, test), y[test]))
    return scores


def repeated_split_scores(
    workflows,
    y,
    *,
    n_splits=30,
    test_size=0.25,
    train_size=None,
    stratify=True,
    scoring="roc_auc",
    random_state=0,
    n_jobs=None,
):
    """Score several workflows on the same repeated random train/test splits.

    Every workflow is a pair ``(estimator, X)``: the estimator is cloned and
    fitted on the training rows of its own ``X`` and scored on the test rows.
    All workflows see the same row indices in every split, so their scores
    are *paired*: the difference between two workflows on one split is free
    of the split-to-split noise that dominates small test sets.

    Parameters
    ----------
    workflows : dict
        ``{name: (estimator, X)}``. Names are strings, or ``(model, workflow)``
        pairs such as ``("logistic regression", "leaky")``, which give the
        result two column levels. ``X`` may be an array or a DataFrame; all
        must have ``len(y)`` rows.
    y : array-like of shape (n_samples,)
        Labels.
    n_splits : int, default=30
        Number of random splits.
    test_size, train_size : float or int, optional
        As in :class:`~sklearn.model_selection.ShuffleSplit`.
    stratify : bool, default=True
        Keep the class proportions in every split
        (:class:`~sklearn.model_selection.StratifiedShuffleSplit`).
    scoring : str, default="roc_auc"
        A scikit-learn scorer name.
    random_state : int, default=0
        Seeds the splits; the estimators carry their own ``random_state``.
    n_jobs : int, optional
        Splits run in parallel with joblib.

    Returns
    -------
    pandas.DataFrame
        One row per split (index ``split``), one column per workflow.
    """
    y = _check_y(y)
    n_splits = _check_int("n_splits", n_splits, 1)
    _check_workflows(workflows, len(y))
    scorer = get_scorer(scoring)
    splitter_class = StratifiedShuffleSplit if stratify else ShuffleSplit
    splitter = splitter_class(
        n_splits=n_splits, test_size=test_size, train_size=train_size, random_state=random_state
    )
    splits = list(splitter.split(np.zeros((len(y), 1)), y if stratify else None))
    rows = Parallel(n_jobs=n_jobs)(
        delayed(_score_split)(workflows, y, train, test, scorer) for train, test in splits
    )
    frame = pd.DataFrame(rows, columns=list(workflows))
    if all(isinstance(k, tuple) for k in workflows):
        frame.columns = pd.MultiIndex.from_tuples(list(workflows), names=["model", "workflow"])
    frame.index.name = "split"
    return frame


def reference_scaling_gap(
    estimator, X, y, *, n_splits=30, train_size=None, test_size=None, random_state=0, n_jobs=None
):
    """Mean leaky minus pipelined ROC AUC of one model, computed the reference way.

    The leaky workflow fits ``StandardScaler`` on all rows of ``X`` before
    splitting; the pipelined one is ``Pipeline([("scaler", StandardScaler()),
    ("clf", estimator)])``. Both are scored with :func:`repeated_split_scores`
    on the same stratified splits. Exercise checks use it to compute the
    expected answer.

    Parameters
    ----------
    estimator : classifier
    X, y : data
    n_splits : int, default=30
    train_size, test_size : float or int, optional
        As in :class:`~sklearn.model_selection.StratifiedShuffleSplit`; when
        both are None, ``test_size=0.25``.
    random_state : int, default=0
    n_jobs : int, optional

    Returns
    -------
    float
    """
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    if train_size is None and test_size is None:
        test_size = 0.25
    workflows = {
        "leaky": (estimator, StandardScaler().fit_transform(X)),
        "pipelined": (Pipeline([("scaler", StandardScaler()), ("clf", estimator)]), X),
    }
    scores = repeated_split_scores(
        workflows, y, n_splits=n_splits, train_size=train_size, test_size=test_size,
        random_state=random_state, n_jobs=n_jobs,
    )
    return float(paired_differences(scores).mean())


def paired_differences(scores, minuend="leaky", subtrahend="pipelined"):
    """Subtract one workflow's scores from another's, split by split.

    Parameters
    ----------
    scores : pandas.DataFrame
        The result of :func:`repeated_split_scores`.
    minuend, subtrahend : str
        Workflow names; the result is ``scores[minuend] - scores[subtrahend]``.
        With two column levels the subtraction is done for every model.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        A Series for flat columns, a DataFrame with one column per model for
        ``(model, workflow)`` columns.
    """
    if not isinstance(scores, pd.DataFrame):
        raise TypeError(f"scores must be a DataFrame from repeated_split_scores, got {type(scores).__name__}")
    if isinstance(scores.columns, pd.MultiIndex):
        workflows = list(scores.columns.get_level_values(-1).unique())
        for name in (minuend, subtrahend):
            if name not in workflows:
                raise KeyError(f"no workflow named {name!r}; the scores have workflows {workflows}")
        models = list(dict.fromkeys(scores.columns.get_level_values(0)))
        out = {}
        for model in models:
            present = list(scores[model].columns)
            if minuend in present and subtrahend in present:
                out[model] = scores[(model, minuend)] - scores[(model, subtrahend)]
        if not out:
            raise KeyError(f"no model has both {minuend!r} and {subtrahend!r} workflows")
        return pd.DataFrame(out)
    for name in (minuend, subtrahend):
        if name not in scores.columns:
            raise KeyError(f"no workflow named {name!r}; the scores have columns {list(scores.columns)}")
    diff = scores[minuend] - scores[subtrahend]
    diff.name = f"{minuend} - {subtrahend}"
    return diff


def summarize_differences(differences):
    """Mean, spread and extremes of paired differences, one row per column.

    Parameters
    ----------
    differences : pandas.Series, pandas.DataFrame or dict of array-like
        Paired differences, e.g. from :func:`paired_differences`.

    Returns
    -------
    pandas.DataFrame
        Columns ``mean``, ``sd``, ``min``, ``max``, ``max_abs`` and
        ``n_splits``; one row per compared model.
    """
    if isinstance(differences, pd.Series):
        differences = differences.to_frame()
    if isinstance(differences, dict):
        if not differences:
            raise ValueError("differences is empty; expected at least one named series of differences")
        differences = {k: pd.Series(np.asarray(v, dtype=float)) for k, v in differences.items()}
    elif not isinstance(differences, pd.DataFrame):
        raise TypeError(
            f"differences must be a Series, a DataFrame or a dict, got {type(differences).__name__}"
        )
    rows = {}
    for name, column in (differences.items()):
        values = np.asarray(column, dtype=float)
        values = values[~np.isnan(values)]
        if len(values) == 0:
            raise ValueError(f"differences for {name!r} are empty or all missing")
        rows[name] = {
            "mean": values.mean(),
            "sd": values.std(ddof=1) if len(values) > 1 else 0.0,
            "min": values.min(),
            "max": values.max(),
            "max_abs": np.abs(values).max(),
            "n_splits": len(values),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "compared"
    return table


# --------------------------------------------------------------------------- #
# seeds, bootstrap, batches
# --------------------------------------------------------------------------- #
def _call_number(func, seed):
    value = func(seed)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"func(seed) must return a number, got {type(value).__name__} for seed {seed}")
    return float(value)


def repeat_with_seeds(func, n_repeats, *, random_state=0, n_jobs=None):
    """Run a seeded experiment several times, in parallel.

    Parameters
    ----------
    func : callable
        ``func(seed) -> float``; it must take all its randomness from ``seed``.
    n_repeats : int
        The seeds are ``random_state, random_state + 1, ...``.
    random_state : int, default=0
    n_jobs : int, optional

    Returns
    -------
    numpy.ndarray of shape (n_repeats,)
    """
    if not callable(func):
        raise TypeError(f"func must be callable as func(seed), got {type(func).__name__}")
    n_repeats = _check_int("n_repeats", n_repeats, 1)
    random_state = _check_int("random_state", random_state, 0)
    seeds = range(random_state, random_state + n_repeats)
    values = Parallel(n_jobs=n_jobs)(delayed(_call_number)(func, seed) for seed in seeds)
    return np.asarray(values, dtype=float)


def _rank_roc_auc(y_true, y_score):
    """ROC AUC from average ranks (Mann-Whitney U); equals ``roc_auc_score`` for 0/1 labels, and is faster."""
    ranks = rankdata(y_score)
    positives = y_true == 1
    n_pos = int(positives.sum())
    n_neg = len(y_true) - n_pos
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def _bootstrap_setup(y_true, metric, n_boot):
    """Validate what every bootstrap here shares; return the metric as a callable."""
    labels = set(np.unique(y_true).tolist())
    if not labels <= {0, 1} or len(labels) < 2:
        raise ValueError(f"y_true must hold both 0 and 1, found {sorted(labels)}")
    _check_int("n_boot", n_boot, 2)
    if metric == "roc_auc":
        return _rank_roc_auc
    if not callable(metric):
        raise ValueError(f"metric must be 'roc_auc' or a callable metric(y_true, values), got {metric!r}")
    return metric


def _stratified_resamples(y_true, n_boot, random_state):
    """Yield ``n_boot`` bootstrap row indices that keep the numbers of positives and negatives."""
    rng = np.random.default_rng(random_state)
    positives, negatives = np.flatnonzero(y_true == 1), np.flatnonzero(y_true == 0)
    for _ in range(n_boot):
        yield np.concatenate([rng.choice(positives, len(positives)), rng.choice(negatives, len(negatives))])


def bootstrap_score(y_true, y_score, *, metric="roc_auc", n_boot=200, random_state=0):
    """A score on one fixed test set, with its bootstrap standard error.

    Positives and negatives are resampled separately, so every resample
    keeps the test set's class balance (a 2 % positive class would otherwise
    leave some resamples with almost no positives).

    Parameters
    ----------
    y_true : array-like of 0/1
    y_score : array-like of float
    metric : "roc_auc" or callable, default="roc_auc"
        ``metric(y_true, y_score) -> float``. ``"roc_auc"`` uses a fast
        rank formula that gives the same values as
        :func:`~sklearn.metrics.roc_auc_score`.
    n_boot : int, default=200
    random_state : int, default=0

    Returns
    -------
    dict
        ``score`` (on the whole test set), ``se`` (standard deviation of the
        bootstrap scores), ``low`` and ``high`` (2.5 and 97.5 percentiles).
    """
    y_true = _check_y(y_true, "y_true")
    y_score = _check_y(y_score, "y_score").astype(float)
    if len(y_true) != len(y_score):
        raise ValueError(f"y_true has {len(y_true)} rows but y_score has {len(y_score)}")
    metric = _bootstrap_setup(y_true, metric, n_boot)
    scores = np.array([metric(y_true[idx], y_score[idx]) for idx in _stratified_resamples(y_true, n_boot, random_state)])
    return {
        "score": float(metric(y_true, y_score)),
        "se": float(scores.std(ddof=1)),
        "low": float(np.percentile(scores, 2.5)),
        "high": float(np.percentile(scores, 97.5)),
    }


def score_in_batches(score_batch, X, batches):
    """Score a data set batch by batch, as a scheduled scoring job would.

    Parameters
    ----------
    score_batch : callable
        ``score_batch(X_batch) -> array`` of one score per row of the batch.
    X : pandas.DataFrame
        All rows to score.
    batches : array-like of shape (n_rows,)
        A batch label per row (e.g. the calendar day); batches are scored in
        sorted label order.

    Returns
    -------
    numpy.ndarray of shape (n_rows,)
        The scores, in the rows' original order.
    """
    if not callable(score_batch):
        raise TypeError(f"score_batch must be callable, got {type(score_batch).__name__}")
    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"X must be a pandas DataFrame, got {type(X).__name__}")
    labels = np.asarray(batches)
    if labels.shape != (len(X),):
        raise ValueError(f"batches must hold one label per row of X ({len(X)}), got shape {labels.shape}")
    codes, _ = pd.factorize(pd.Series(labels), sort=True)
    out = np.full(len(X), np.nan)
    for code in range(codes.max() + 1):
        idx = np.flatnonzero(codes == code)
        scores = np.asarray(score_batch(X.iloc[idx]), dtype=float)
        if scores.shape != (len(idx),):
            raise ValueError(
                f"score_batch returned shape {scores.shape} for a batch of {len(idx)} rows; "
                "expected one score per row"
            )
        out[idx] = scores
    return out


def add_outliers(X, share=0.01, scale=20.0, random_state=0):
    """Hit a share of the values with heavy-tailed glitches.

    Each cell is, with probability ``share``, shifted by a Cauchy-distributed
    amount times ``scale`` times its column's standard deviation -- a stand-in
    for rare, enormous errors such as sensor faults or data-entry glitches.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    share : float in [0, 1)
    scale : float > 0
    random_state : int, default=0

    Returns
    -------
    numpy.ndarray
        A float copy of ``X``; the input is not modified.
    """
    array = np.array(X, dtype=float, copy=True)
    if array.ndim != 2:
        raise ValueError(f"X must be two-dimensional (rows, features), got shape {array.shape}")
    if not isinstance(share, numbers.Real) or not 0 <= share < 1:
        raise ValueError(f"share must be a fraction in [0, 1), got {share!r}")
    if not isinstance(scale, numbers.Real) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    rng = np.random.default_rng(random_state)
    hit = rng.random(array.shape) < share
    noise = rng.standard_cauchy(array.shape) * array.std(axis=0) * scale
    return array + hit * noise


# --------------------------------------------------------------------------- #
# attribution
# --------------------------------------------------------------------------- #
def waterfall_table(points, *, tol=1e-9):
    """Turn an ordered list of measured scores into an attribution table.

    Parameters
    ----------
    points : list of tuple
        ``(stage, score)`` for a step or ``(stage, score, "total")`` for an
        anchor bar. The first point must be a total (the starting score).
        A step's ``change`` is its score minus the previous point's score,
        so the changes between two totals add up exactly to their
        difference. A total after the first must repeat the running score
        (it marks a named milestone, it cannot move the score).
    tol : float
        Allowed mismatch between a total and the running score.

    Returns
    -------
    pandas.DataFrame
        Columns ``stage``, ``score``, ``change`` (NaN for totals) and ``kind``.
    """
    if not isinstance(points, (list, tuple)) or len(points) < 2:
        raise ValueError(f"points must be a list of at least two (stage, score[, 'total']) tuples, got {points!r:.80}")
    rows = []
    previous = None
    for i, point in enumerate(points):
        if not isinstance(point, tuple) or len(point) not in (2, 3):
            raise ValueError(f"point {i} must be (stage, score) or (stage, score, 'total'), got {point!r}")
        stage, score = point[0], point[1]
        kind = point[2] if len(point) == 3 else STEP
        if kind not in (TOTAL, STEP):
            raise ValueError(f"point {i} ({stage!r}): kind must be 'total' or 'step', got {kind!r}")
        if isinstance(score, bool) or not isinstance(score, numbers.Real) or not np.isfinite(score):
            raise ValueError(f"point {i} ({stage!r}): score must be a finite number, got {score!r}")
        if i == 0 and kind != TOTAL:
            raise ValueError(f"the first point ({stage!r}) must be a total: the score the waterfall starts from")
        if kind == TOTAL and previous is not None and abs(score - previous) > tol:
            raise ValueError(
                f"total {stage!r} is {score:.6f} but the running score is {previous:.6f}; "
                "a total repeats the running score, add a step that explains the difference"
            )
        change = np.nan if kind == TOTAL else float(score - previous)
        rows.append({"stage": str(stage), "score": float(score), "change": change, "kind": kind})
        previous = float(score)
    stages = [r["stage"] for r in rows]
    duplicated = sorted({s for s in stages if stages.count(s) > 1})
    if duplicated:
        raise ValueError(f"stage names must be unique, found repeated {duplicated}")
    return pd.DataFrame(rows)


def plot_waterfall(table, ax=None, *, title="Where the score went", ylabel="ROC AUC", baseline=0.5):
    """Draw an attribution table from :func:`waterfall_table` as a waterfall.

    Totals are bars from ``baseline`` (0.5 is chance for ROC AUC); steps float
    from the previous score to theirs, red when they lower it, green when
    they raise it, labelled with their change.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    required = {"stage", "score", "change", "kind"}
    if not isinstance(table, pd.DataFrame) or not required <= set(table.columns):
        raise ValueError(f"table must be a DataFrame from waterfall_table with columns {sorted(required)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4.2))
    colors = {"total": "#4c72b0", "down": "#c44e52", "up": "#55a868"}
    previous = None
    for i, row in enumerate(table.itertuples(index=False)):
        if row.kind == TOTAL:
            ax.bar(i, row.score - baseline, bottom=baseline, color=colors["total"], width=0.7)
            ax.text(i, row.score + 0.004, f"{row.score:.3f}", ha="center", va="bottom", fontsize=8)
        else:
            low, high = sorted((previous, row.score))
            color = colors["down"] if row.change < 0 else colors["up"]
            ax.bar(i, max(high - low, 1e-4), bottom=low, color=color, width=0.7)
            ax.text(i, high + 0.004, signed(row.change), ha="center", va="bottom", fontsize=8)
        previous = row.score
    ax.set_xticks(range(len(table)))
    ax.set_xticklabels(table["stage"], rotation=35, ha="right", fontsize=8)
    top = max(table["score"].max(), baseline) + 0.04
    ax.set_ylim(baseline, top)
    ax.set_ylabel(ylabel)
    ax.set_xlabel("stage of the reconstruction")
    ax.set_title(title)
    ax.legend(
        handles=[
            Patch(color=colors["total"], label="measured score"),
            Patch(color=colors["down"], label="lowers the score"),
            Patch(color=colors["up"], label="raises the score"),
        ],
        loc="upper right",
        fontsize=8,
    )
    return ax


# --------------------------------------------------------------------------- #
# figures
# --------------------------------------------------------------------------- #
def plot_workflow_diagram(ax=None):
    """Draw what the scaler sees in the leaky and in the pipelined workflow.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Rectangle

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.2))
    train_color, test_color, fit_color = "#4c72b0", "#dd8452", "#55a868"
    rows = [
        (1.6, "Leaky:  StandardScaler().fit_transform(X), then split", 1.0),
        (0.2, "Pipelined:  Pipeline([scaler, model]).fit(X_train)", 0.75),
    ]
    for y0, label, seen in rows:
        ax.text(0, y0 + 0.95, label, fontsize=10, fontweight="bold", va="bottom")
        ax.add_patch(Rectangle((0, y0), 0.75, 0.5, color=train_color))
        ax.add_patch(Rectangle((0.75, y0), 0.25, 0.5, color=test_color))
        ax.text(0.375, y0 + 0.25, "training rows", color="white", ha="center", va="center", fontsize=9)
        ax.text(0.875, y0 + 0.25, "test rows", color="white", ha="center", va="center", fontsize=9)
        ax.add_patch(Rectangle((0, y0 + 0.58), seen, 0.12, color=fit_color))
        note = "scaler.fit sees every row" if seen == 1 else "scaler.fit sees only these rows"
        ax.text(seen + 0.01, y0 + 0.64, note, fontsize=8, va="center")
    ax.set_xlim(-0.02, 1.3)
    ax.set_ylim(0, 3.0)
    ax.axis("off")
    ax.set_title("What the scaler learns from, in each workflow")
    ax.legend(
        handles=[
            Patch(color=train_color, label="training rows"),
            Patch(color=test_color, label="test rows (scored)"),
            Patch(color=fit_color, label="rows the scaler's mean/sd come from"),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, 0.02),
        ncol=3,
        fontsize=8,
        frameon=False,
    )
    return ax


def plot_differences(
    differences,
    ax=None,
    *,
    title=None,
    xlabel="leaky − pipelined ROC AUC",
    ylabel="model",
    random_state=0,
):
    """Box and strip plot of paired differences, one row per model.

    Parameters
    ----------
    differences : pandas.DataFrame or pandas.Series
        Paired differences (one column per model), e.g. from
        :func:`paired_differences`.
    ax : matplotlib.axes.Axes, optional
    title : str, optional
        Defaults to a title naming the number of splits.
    xlabel, ylabel : str
    random_state : int
        Seeds the vertical jitter of the points (so figures are stable).

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    if isinstance(differences, pd.Series):
        differences = differences.to_frame()
    if not isinstance(differences, pd.DataFrame) or differences.shape[1] == 0:
        raise TypeError("differences must be a DataFrame (one column per model) or a Series")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 0.7 + 0.75 * differences.shape[1]))
    rng = np.random.default_rng(random_state)
    names = list(differences.columns)
    data = [differences[c].dropna().to_numpy(dtype=float) for c in names]
    positions = np.arange(len(names))[::-1]
    ax.boxplot(data, positions=positions, orientation="horizontal", widths=0.5, showfliers=False)
    for pos, values in zip(positions, data):
        ax.scatter(values, pos + rng.uniform(-0.15, 0.15, len(values)), s=12, alpha=0.6, color="#4c72b0")
    ax.axvline(0.0, color="#c44e52", linestyle="--", linewidth=1, label="no difference")
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))  # few enough ticks that their labels never touch
    ax.set_yticks(positions)
    ax.set_yticklabels([str(n) for n in names])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    n = differences.shape[0]
    ax.set_title(title or f"Leaky minus pipelined score on {n} paired splits")
    ax.legend(loc="lower right", fontsize=8)
    return ax


def plot_permutation_tests(results, axes=None, *, xlabel="ROC AUC"):
    """One panel per permutation test: shuffled-label scores and the real one.

    Parameters
    ----------
    results : dict
        ``{title: (score, permutation_scores, pvalue)}``, the three values
        :func:`sklearn.model_selection.permutation_test_score` returns.
    axes : array of matplotlib.axes.Axes, optional
    xlabel : str

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    if not isinstance(results, dict) or not results:
        raise ValueError("results must be a non-empty dict {title: (score, permutation_scores, pvalue)}")
    for name, value in results.items():
        if not (isinstance(value, tuple) and len(value) == 3):
            raise ValueError(
                f"results[{name!r}] must be the (score, permutation_scores, pvalue) "
                f"tuple of permutation_test_score, got {type(value).__name__}"
            )
    if axes is None:
        _, axes = plt.subplots(1, len(results), figsize=(3.4 * len(results), 3.2), sharey=True)
    axes = np.atleast_1d(axes)
    for ax, (name, (score, permuted, pvalue)) in zip(axes, results.items()):
        ax.hist(np.asarray(permuted), bins=40, range=(0.0, 1.0), color="#8c8c8c", label="shuffled labels")
        ax.axvline(score, color="#c44e52", linewidth=2, label=f"real labels: {score:.3f}")
        ax.set_title(f"{name}\np-value = {pvalue:.3f}", fontsize=9)
        ax.set_xlabel(xlabel)
        ax.legend(fontsize=7, loc="upper left")
    axes[0].set_ylabel("number of shuffles")
    return axes


# --------------------------------------------------------------------------- #
# exercise validators
# --------------------------------------------------------------------------- #
def pipeline_problem(answer, steps):
    """Return None if ``answer`` is a Pipeline of the given step types, else what is wrong.

    Parameters
    ----------
    answer : object
        The learner's answer.
    steps : sequence of type
        The classes the pipeline's steps must be instances of, in order.

    Returns
    -------
    str or None
    """
    from sklearn.pipeline import Pipeline

    if not isinstance(answer, Pipeline):
        return f"expected a sklearn Pipeline, found {type(answer).__name__}"
    found = [type(step).__name__ for _, step in answer.steps]
    wanted = [cls.__name__ for cls in steps]
    if len(answer.steps) != len(steps) or not all(
        isinstance(step, cls) for (_, step), cls in zip(answer.steps, steps)
    ):
        return f"expected the steps {wanted}, found {found}"
    return None
