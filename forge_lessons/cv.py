"""Cross-validation helpers for lesson 04: split pictures, fold audits, repeated splits, self-checks.

The lesson keeps every scikit-learn splitter and every ``cross_val_score``
call in view; this module carries the plumbing around them:

- :func:`plot_cv_indices` and :func:`plot_splitters` draw which rows (and
  which classes and groups) land in the training and test side of each split,
  in the style of scikit-learn's example "Visualizing cross-validation
  behavior in scikit-learn"; :func:`toy_data` makes a tiny data set to draw;
- :func:`minority_per_fold` and :func:`group_overlap` audit the folds a
  splitter makes (positives per test fold, customers on both sides);
- :func:`repeated_split_scores` repeats a single train/test split with
  different seeds, to show how much one split's score can vary;
- :func:`describe_scores` writes the report line "mean ± sd (k folds × r repeats)";
- :func:`bootstrap_interval` gives a percentile interval for a score on a fixed test set;
- :func:`small_sample_study` compares splitters on many small samples of a
  larger data set (bias, spread and cost of leave-one-out versus repeated k-fold);
- :func:`check_splitter_choices`, :func:`make_group_split_validator` and
  :func:`make_time_gap_validator` are the validators of the lesson's exercises.

Examples
--------
>>> import numpy as np
>>> from sklearn.model_selection import KFold, StratifiedKFold
>>> from forge_lessons import cv
>>> y = np.array([0] * 18 + [1] * 2)
>>> cv.minority_per_fold(KFold(2), np.zeros((20, 1)), y)["test_minority"].tolist()
[0, 2]
>>> cv.minority_per_fold(StratifiedKFold(2), np.zeros((20, 1)), y)["test_minority"].tolist()
[1, 1]
"""

import numbers
import time
import warnings

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from threadpoolctl import threadpool_limits
from sklearn.base import clone, is_classifier
from sklearn.metrics import check_scoring, roc_auc_score
from sklearn.model_selection import (
    GroupKFold,
    KFold,
    LeaveOneOut,
    RepeatedKFold,
    RepeatedStratifiedKFold,
    StratifiedGroupKFold,
    StratifiedKFold,
    TimeSeriesSplit,
    cross_val_score,
    train_test_split,
)

__all__ = [
    "SCENARIOS",
    "bootstrap_interval",
    "check_splitter_choices",
    "describe_scores",
    "group_overlap",
    "make_group_split_validator",
    "make_time_gap_validator",
    "minority_per_fold",
    "plot_cv_indices",
    "plot_splitters",
    "repeated_split_scores",
    "rmse_difference",
    "small_sample_study",
    "small_sample_summary",
    "toy_data",
]

TRAIN_COLOR = "#4c72b0"
TEST_COLOR = "#dd8452"
UNUSED_COLOR = "#e6e6e6"
CLASS_COLORS = ("#c6dbef", "#a50f15")


# --------------------------------------------------------------------------- validation helpers


def _n_rows(X, name="X"):
    if not hasattr(X, "__len__") or isinstance(X, (str, bytes)):
        raise TypeError(f"{name} must be an array-like of rows (array or DataFrame), got {type(X).__name__}")
    return len(X)


def _labels(y, n_rows, name="y"):
    if y is None:
        raise ValueError(f"{name} is required: the class labels, one per row")
    values = np.asarray(y)
    if values.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional (one label per row), got shape {values.shape}")
    if len(values) != n_rows:
        raise ValueError(f"{name} has {len(values)} labels but X has {n_rows} rows; they must match")
    return values


def _groups(groups, n_rows, name="groups"):
    if groups is None:
        return None
    values = np.asarray(groups)
    if values.ndim != 1 or len(values) != n_rows:
        raise ValueError(f"{name} must hold one group label per row ({n_rows}), got shape {values.shape}")
    return values


def _check_splitter(cv, name="cv"):
    if isinstance(cv, type):
        raise TypeError(
            f"{name} must be a splitter instance such as KFold(5), got the class {cv.__name__}; add parentheses"
        )
    if not (hasattr(cv, "split") and hasattr(cv, "get_n_splits")):
        raise TypeError(
            f"{name} must be a scikit-learn splitter (an object with split() and get_n_splits()), "
            f"got {type(cv).__name__}"
        )


def _positive_int(value, name, minimum=1):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _splits(cv, X, y, groups):
    """Materialise the (train, test) index pairs of a splitter, with a readable error."""
    _check_splitter(cv)
    try:
        with warnings.catch_warnings():
            # The helpers pass groups to every splitter; those that do not use them may say so.
            warnings.filterwarnings("ignore", message="The groups parameter is ignored", category=UserWarning)
            return [(np.asarray(train), np.asarray(test)) for train, test in cv.split(X, y, groups)]
    except ValueError as error:
        raise ValueError(f"{type(cv).__name__} could not split these data: {error}") from error


def _minority_label(y):
    labels, counts = np.unique(y, return_counts=True)
    if len(labels) < 2:
        raise ValueError(f"y must contain at least two classes, found only {labels.tolist()}")
    return labels[np.argmin(counts)]


# --------------------------------------------------------------------------- pictures


def toy_data(n_rows=40, *, minority_share=0.2, n_groups=8, random_state=0):
    """A tiny, time-ordered data set for drawing splitters.

    Rows are in time order; each row belongs to one of ``n_groups`` customers
    of uneven activity, who come back throughout the period (as in the fraud
    data), and about ``minority_share`` of the rows are positive.

    Parameters
    ----------
    n_rows : int
        At least 8.
    minority_share : float
        Share of positive rows, strictly between 0 and 0.5.
    n_groups : int
        Number of customers, between 2 and ``n_rows``.
    random_state : int

    Returns
    -------
    X : pandas.DataFrame
        One column, ``day`` (the row's position in time).
    y : numpy.ndarray of int
    groups : numpy.ndarray of int
        Customer number of every row, from 1.
    """
    n_rows = _positive_int(n_rows, "n_rows", minimum=8)
    n_groups = _positive_int(n_groups, "n_groups", minimum=2)
    if n_groups > n_rows:
        raise ValueError(f"n_groups must not exceed n_rows ({n_rows}), got {n_groups}")
    if isinstance(minority_share, bool) or not isinstance(minority_share, numbers.Real) or not 0 < minority_share < 0.5:
        raise ValueError(f"minority_share must be strictly between 0 and 0.5, got {minority_share!r}")
    rng = np.random.default_rng(random_state)
    weights = rng.gamma(1.5, 1.0, n_groups)
    groups = np.concatenate([np.arange(1, n_groups + 1),  # every customer appears at least once
                             rng.choice(n_groups, n_rows - n_groups, p=weights / weights.sum()) + 1])
    groups = rng.permutation(groups)
    n_positive = max(1, int(round(minority_share * n_rows)))
    y = np.zeros(n_rows, dtype=int)
    y[rng.choice(n_rows, n_positive, replace=False)] = 1
    X = pd.DataFrame({"day": np.arange(n_rows)})
    return X, y, groups



def plot_cv_indices(cv, X, y, groups=None, *, ax=None, title=None):
    """Draw which rows each split of ``cv`` puts in training and in test.

    One horizontal band per split (training rows blue, test rows orange,
    rows the split does not use grey), then a band with each row's class and,
    when ``groups`` is given, a band with each row's group.

    Parameters
    ----------
    cv : cross-validation splitter
        E.g. ``KFold(4)``; it is called as ``cv.split(X, y, groups)``.
    X : array-like of shape (n_rows, n_features)
    y : array-like of shape (n_rows,)
        Class labels; label 1 of 0/1 labels (otherwise the less frequent
        class) is drawn dark red.
    groups : array-like of shape (n_rows,), optional
        Group labels (customers); needed by group splitters.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when omitted.
    title : str, optional
        Defaults to the splitter's ``repr``.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    n_rows = _n_rows(X)
    y = _labels(y, n_rows)
    groups = _groups(groups, n_rows)
    splits = _splits(cv, X, y, groups)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.35 * (len(splits) + 2) + 1.2))

    # 0 = not used, 1 = training, 2 = test
    roles = np.zeros((len(splits), n_rows))
    for i, (train, test) in enumerate(splits):
        roles[i, train] = 1
        roles[i, test] = 2
    ax.imshow(
        roles, aspect="auto", interpolation="nearest", cmap=ListedColormap([UNUSED_COLOR, TRAIN_COLOR, TEST_COLOR]),
        vmin=0, vmax=2, extent=(-0.5, n_rows - 0.5, len(splits) - 0.5, -0.5),
    )
    # 0/1 labels: 1 is the positive class, even when a panel's rows hold only one class.
    positive = 1 if set(np.unique(y).tolist()) <= {0, 1} else _minority_label(y)
    extra = [("class", (y == positive).astype(float)[None, :], ListedColormap(CLASS_COLORS))]
    if groups is not None:
        # Integer groups keep their colour in every panel (value mod 10); others are numbered in order.
        codes = groups if np.issubdtype(groups.dtype, np.integer) else np.unique(groups, return_inverse=True)[1]
        extra.append(("group", (codes % 10)[None, :].astype(float), ListedColormap(plt.get_cmap("tab10").colors)))
    for offset, (_, band, cmap) in enumerate(extra):
        row = len(splits) + 0.25 + offset
        ax.imshow(band, aspect="auto", interpolation="nearest", cmap=cmap, vmin=-0.5, vmax=cmap.N - 0.5,
                  extent=(-0.5, n_rows - 0.5, row + 0.4, row - 0.4))
    ax.set_xlim(-0.5, n_rows - 0.5)
    ax.set_ylim(len(splits) + 0.25 + len(extra) - 0.5, -0.5)
    ticks = list(range(len(splits))) + [len(splits) + 0.25 + k for k in range(len(extra))]
    labels = [str(i + 1) for i in range(len(splits))] + [name for name, _, _ in extra]
    if len(splits) > 12:  # keep the labels readable
        keep = set(range(0, len(splits), max(1, len(splits) // 6))) | {len(splits) - 1}
        labels = [lab if i >= len(splits) or i in keep else "" for i, lab in enumerate(labels)]
    ax.set_yticks(ticks, labels)
    ax.grid(False)
    ax.set_xlabel("row (in data order)")
    ax.set_ylabel("split")
    ax.set_title(title or repr(cv), fontsize=10)
    return ax


def plot_splitters(splitters, X, y, groups=None, *, ncols=2, n_rows=None):
    """Draw :func:`plot_cv_indices` for several splitters in one figure, with one legend.

    Parameters
    ----------
    splitters : dict
        Title -> splitter instance, drawn in order.
    X, y, groups : see :func:`plot_cv_indices`
    ncols : int
        Panels per row.
    n_rows : dict, optional
        Title -> number of leading rows to use for that splitter (e.g. a
        handful for ``LeaveOneOut``, which makes one split per row).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    if not isinstance(splitters, dict) or not splitters:
        raise TypeError(f"splitters must be a non-empty dict of title -> splitter, got {type(splitters).__name__}")
    ncols = _positive_int(ncols, "ncols")
    n_rows = dict(n_rows or {})
    unknown = set(n_rows) - set(splitters)
    if unknown:
        raise ValueError(f"n_rows names splitters that are not in splitters: {sorted(unknown)}")
    total = _n_rows(X)
    nrows_grid = int(np.ceil(len(splitters) / ncols))
    fig, axes = plt.subplots(nrows_grid, ncols, figsize=(5.6 * ncols, 2.7 * nrows_grid), squeeze=False)
    for ax, (name, cv) in zip(axes.flat, splitters.items()):
        keep = _positive_int(n_rows.get(name, total), f"n_rows[{name!r}]")
        rows = np.arange(min(keep, total))
        Xs = X.iloc[rows] if hasattr(X, "iloc") else np.asarray(X)[rows]
        gs = None if groups is None else np.asarray(groups)[rows]
        plot_cv_indices(cv, Xs, np.asarray(y)[rows], gs, ax=ax, title=name)
    for ax in list(axes.flat)[len(splitters):]:
        ax.set_visible(False)
    handles = [Patch(color=TRAIN_COLOR, label="training rows"), Patch(color=TEST_COLOR, label="test rows"),
               Patch(color=UNUSED_COLOR, label="not used"),
               Patch(color=CLASS_COLORS[1], label="positive (minority) class"),
               Patch(color=CLASS_COLORS[0], label="negative class")]
    fig.legend(handles=handles, loc="upper center", ncol=5, frameon=False, bbox_to_anchor=(0.5, 1.0))
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    return fig


# --------------------------------------------------------------------------- fold audits


def minority_per_fold(cv, X, y, groups=None):
    """Count the minority class in the test and training side of every split.

    Parameters
    ----------
    cv : cross-validation splitter
    X : array-like of shape (n_rows, n_features)
    y : array-like of shape (n_rows,)
        Labels; the minority class is the least frequent one.
    groups : array-like of shape (n_rows,), optional

    Returns
    -------
    pandas.DataFrame
        One row per split (index ``fold``, from 1) with ``test_rows``,
        ``test_minority``, ``test_minority_share`` and ``train_minority``.
    """
    n_rows = _n_rows(X)
    y = _labels(y, n_rows)
    groups = _groups(groups, n_rows)
    positive = y == _minority_label(y)
    rows = []
    for train, test in _splits(cv, X, y, groups):
        rows.append({
            "test_rows": len(test),
            "test_minority": int(positive[test].sum()),
            "test_minority_share": float(positive[test].mean()) if len(test) else 0.0,
            "train_minority": int(positive[train].sum()),
        })
    frame = pd.DataFrame(rows)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="fold")
    return frame


def group_overlap(cv, X, y=None, groups=None):
    """Measure how many groups (customers) sit on both sides of each split.

    Parameters
    ----------
    cv : cross-validation splitter
    X : array-like of shape (n_rows, n_features)
    y : array-like of shape (n_rows,), optional
    groups : array-like of shape (n_rows,)
        The group of every row, e.g. ``X["customer_id"]``.

    Returns
    -------
    pandas.DataFrame
        One row per split (index ``fold``) with ``test_groups``,
        ``shared_groups`` (test groups that also appear in training) and
        ``shared_row_share`` (share of test rows whose group is in training).
    """
    n_rows = _n_rows(X)
    if groups is None:
        raise ValueError("groups is required: one group label (e.g. customer_id) per row")
    groups = _groups(groups, n_rows)
    y = None if y is None else _labels(y, n_rows)
    rows = []
    for train, test in _splits(cv, X, y, groups):
        seen = np.isin(groups[test], np.unique(groups[train]))
        rows.append({
            "test_groups": int(len(np.unique(groups[test]))),
            "shared_groups": int(len(np.unique(groups[test][seen]))),
            "shared_row_share": float(seen.mean()) if len(test) else 0.0,
        })
    frame = pd.DataFrame(rows)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="fold")
    return frame


# --------------------------------------------------------------------------- scores


def repeated_split_scores(estimator, X, y, *, n_repeats=50, test_size=0.25, stratify=True, scoring="roc_auc",
                          random_state=0, n_jobs=None):
    """Score ``estimator`` on ``n_repeats`` independent random train/test splits.

    Each repeat is what ``train_test_split(X, y, test_size=..., random_state=seed)``
    followed by ``fit`` and one score gives you; only the seed changes
    (``random_state``, ``random_state + 1``, ...). The spread of the returned
    scores is the spread of "the" test score you would have reported.

    Parameters
    ----------
    estimator : scikit-learn estimator
        Cloned for every split.
    X : array-like or DataFrame of shape (n_rows, n_features)
    y : array-like of shape (n_rows,)
    n_repeats : int
        Number of splits.
    test_size : float
        Share of rows in each test set, strictly between 0 and 1.
    stratify : bool
        Keep the class proportions in both halves (as ``stratify=y`` does).
    scoring : str or callable
        Any scikit-learn scoring, default ROC AUC.
    random_state : int
        Seed of the first split.
    n_jobs : int, optional
        Parallel fits, as in ``cross_val_score``.

    Returns
    -------
    numpy.ndarray of shape (n_repeats,)
    """
    n_rows = _n_rows(X)
    y = _labels(y, n_rows)
    n_repeats = _positive_int(n_repeats, "n_repeats", minimum=2)
    if isinstance(test_size, bool) or not isinstance(test_size, numbers.Real) or not 0 < test_size < 1:
        raise ValueError(f"test_size must be a share strictly between 0 and 1, got {test_size!r}")
    if not isinstance(random_state, numbers.Integral) or isinstance(random_state, bool):
        raise ValueError(f"random_state must be an integer seed, got {random_state!r}")
    rows = np.arange(n_rows)
    splits = [
        train_test_split(rows, test_size=test_size, stratify=y if stratify else None, random_state=random_state + i)
        for i in range(n_repeats)
    ]
    return cross_val_score(estimator, X, y, cv=splits, scoring=scoring, n_jobs=n_jobs, error_score="raise")


def describe_scores(scores, *, n_splits=None, n_repeats=1, digits=3):
    """Write cross-validation scores the way the lesson asks you to report them.

    Parameters
    ----------
    scores : array-like of float
        Per-fold scores (e.g. from ``cross_val_score``).
    n_splits : int, optional
        Folds per repeat; defaults to ``len(scores) // n_repeats``.
    n_repeats : int
        How many times the k-fold split was repeated.
    digits : int
        Decimals shown.

    Returns
    -------
    str
        E.g. ``"0.812 ± 0.031 (mean ± sd over 5 folds × 1 repeat; range 0.771–0.850)"``.
    """
    values = np.asarray(scores, dtype=float)
    if values.ndim != 1 or len(values) < 2:
        raise ValueError(f"scores must be a 1-D sequence of at least two fold scores, got shape {values.shape}")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"scores contain {int((~np.isfinite(values)).sum())} missing or infinite value(s); "
                         "a fold failed (look for folds without both classes)")
    n_repeats = _positive_int(n_repeats, "n_repeats")
    if n_splits is None:
        if len(values) % n_repeats:
            raise ValueError(f"{len(values)} scores cannot come from {n_repeats} repeats of the same k-fold")
        n_splits = len(values) // n_repeats
    n_splits = _positive_int(n_splits, "n_splits")
    if n_splits * n_repeats != len(values):
        raise ValueError(f"{len(values)} scores do not match {n_splits} folds × {n_repeats} repeats")
    f = f".{int(digits)}f"
    repeat_word = "repeat" if n_repeats == 1 else "repeats"
    return (f"{values.mean():{f}} ± {values.std(ddof=1):{f}} (mean ± sd over {n_splits} folds × {n_repeats} "
            f"{repeat_word}; range {values.min():{f}}–{values.max():{f}})")


def bootstrap_interval(y_true, y_score, *, metric=roc_auc_score, n_resamples=500, level=0.9, random_state=0):
    """Percentile bootstrap interval of a score on a fixed test set.

    Positives and negatives are resampled separately (a stratified
    bootstrap), so every resample holds both classes. The interval describes
    how much the score would move with another test set of the same size from
    the same period; it says nothing about drift.

    Parameters
    ----------
    y_true : array-like of shape (n_rows,)
        Binary labels (0/1).
    y_score : array-like of shape (n_rows,)
        Scores or probabilities of the positive class.
    metric : callable
        ``metric(y_true, y_score)``, default ROC AUC.
    n_resamples : int
    level : float
        Coverage, e.g. 0.9 for the 5th to 95th percentile.
    random_state : int

    Returns
    -------
    tuple of float
        ``(low, high)``.
    """
    y_true = np.asarray(y_true)
    y_score = np.asarray(y_score, dtype=float)
    if y_true.ndim != 1 or y_true.shape != y_score.shape:
        raise ValueError(f"y_true and y_score must be 1-D and of equal length, got {y_true.shape} and {y_score.shape}")
    if set(np.unique(y_true).tolist()) != {0, 1}:
        raise ValueError(f"y_true must hold both classes 0 and 1, found {np.unique(y_true).tolist()}")
    n_resamples = _positive_int(n_resamples, "n_resamples", minimum=10)
    if not 0 < level < 1:
        raise ValueError(f"level must be strictly between 0 and 1, got {level!r}")
    rng = np.random.default_rng(random_state)
    positives, negatives = np.flatnonzero(y_true == 1), np.flatnonzero(y_true == 0)
    values = np.empty(n_resamples)
    for i in range(n_resamples):
        rows = np.concatenate([rng.choice(positives, len(positives)), rng.choice(negatives, len(negatives))])
        values[i] = metric(y_true[rows], y_score[rows])
    tail = (1 - level) / 2
    low, high = np.quantile(values, [tail, 1 - tail])
    return float(low), float(high)


# --------------------------------------------------------------------------- small-data study


def _one_draw(estimator, X, y, rows, splitters, sample_size, scoring, seed):
    """One draw of :func:`small_sample_study` (BLAS kept to one thread: tiny fits)."""
    take = (lambda idx: X.iloc[idx]) if hasattr(X, "iloc") else (lambda idx: np.asarray(X)[idx])
    with threadpool_limits(limits=1, user_api="blas"):
        sample, rest = train_test_split(rows, train_size=sample_size, stratify=y, random_state=seed)
        Xs, ys = take(sample), y[sample]
        scorer = check_scoring(estimator, scoring=scoring)
        truth = float(scorer(clone(estimator).fit(Xs, ys), take(rest), y[rest]))
        results = []
        for name, cv in splitters.items():
            start = time.perf_counter()
            scores = cross_val_score(estimator, Xs, ys, cv=cv, scoring=scoring, error_score="raise")
            seconds = time.perf_counter() - start
            estimate = float(np.mean(scores))
            results.append({"splitter": name, "estimate": estimate, "truth": truth, "error": estimate - truth,
                            "fits": len(scores), "seconds": seconds})
    return results


def small_sample_study(estimator, X, y, *, splitters, sample_size, n_draws, scoring="accuracy", random_state=0,
                       n_jobs=None):
    """Compare cross-validation splitters on many small samples of a larger data set.

    For each draw, ``sample_size`` rows are sampled (stratified) from ``X``;
    every splitter estimates the score of ``estimator`` from those rows alone
    (``cross_val_score`` on the sample), and the *truth* is the score of the
    estimator fitted on the whole sample and evaluated on every row that was
    not drawn. Because the truth is known, the bias (estimate − truth) and the
    spread of each splitter can be measured.

    Parameters
    ----------
    estimator : scikit-learn classifier
    X : array-like of shape (n_rows, n_features)
    y : array-like of shape (n_rows,)
    splitters : dict
        Name -> splitter, e.g. ``{"LeaveOneOut": LeaveOneOut(), ...}``.
    sample_size : int
        Rows per small sample; must leave rows out for the truth.
    n_draws : int
        Number of small samples.
    scoring : str
        A scoring defined per row, such as ``"accuracy"`` (leave-one-out
        cannot compute ROC AUC on a test set of one row).
    random_state : int
        Seed of the first draw (draw ``i`` uses ``random_state + i``).
    n_jobs : int, optional
        Draws run in parallel; results do not depend on it.

    Returns
    -------
    pandas.DataFrame
        One row per draw and splitter: ``draw``, ``splitter``, ``estimate``,
        ``truth``, ``error`` (estimate − truth), ``fits`` and ``seconds``.
    """
    if not is_classifier(estimator):
        raise TypeError(f"estimator must be a scikit-learn classifier, got {type(estimator).__name__}")
    n_rows = _n_rows(X)
    y = _labels(y, n_rows)
    if not isinstance(splitters, dict) or not splitters:
        raise TypeError("splitters must be a non-empty dict of name -> splitter")
    for name, cv in splitters.items():
        _check_splitter(cv, f"splitters[{name!r}]")
    sample_size = _positive_int(sample_size, "sample_size", minimum=4)
    if sample_size >= n_rows:
        raise ValueError(f"sample_size must be smaller than the {n_rows} rows, so that rows are left for the truth; "
                         f"got {sample_size}")
    n_draws = _positive_int(n_draws, "n_draws")
    rows = np.arange(n_rows)
    draws = Parallel(n_jobs=n_jobs)(
        delayed(_one_draw)(estimator, X, y, rows, splitters, sample_size, scoring, random_state + draw)
        for draw in range(n_draws)
    )
    records = []
    for draw, results in enumerate(draws):
        records += [{"draw": draw, **result} for result in results]
    return pd.DataFrame(records)


def small_sample_summary(study):
    """Summarise :func:`small_sample_study`: bias, spread and cost per splitter.

    Parameters
    ----------
    study : pandas.DataFrame
        The output of :func:`small_sample_study`.

    Returns
    -------
    pandas.DataFrame
        Index ``splitter`` (in the study's order); columns ``bias`` (mean
        estimate − truth), ``sd_estimate`` (spread of the estimate over draws),
        ``rmse`` (root mean squared error against the truth), ``fits`` (per
        estimate) and ``seconds`` (per estimate).
    """
    needed = {"splitter", "estimate", "truth", "error", "fits", "seconds"}
    if not isinstance(study, pd.DataFrame) or not needed <= set(study.columns):
        found = list(study.columns) if isinstance(study, pd.DataFrame) else type(study).__name__
        raise ValueError(f"study must be the DataFrame small_sample_study returns (columns {sorted(needed)}), "
                         f"found {found}")
    order = list(dict.fromkeys(study["splitter"]))
    grouped = study.groupby("splitter", sort=False)
    summary = pd.DataFrame({
        "bias": grouped["error"].mean(),
        "sd_estimate": grouped["estimate"].std(ddof=1),
        "rmse": grouped["error"].apply(lambda e: float(np.sqrt(np.mean(np.square(e))))),
        "fits": grouped["fits"].mean(),
        "seconds": grouped["seconds"].mean(),
    })
    return summary.loc[order]


def rmse_difference(study, first, second, *, n_boot=2000, random_state=0):
    """RMSE of one splitter minus another's in a :func:`small_sample_study`, with a paired bootstrap error.

    The draws are resampled with replacement and both RMSEs are recomputed on
    the same resampled draws, so the luck of which samples were drawn cancels
    out of the difference. With the same ``random_state`` every call uses the
    same resampled draws.

    Parameters
    ----------
    study : pandas.DataFrame
        The output of :func:`small_sample_study`.
    first, second : str
        Splitter names in ``study["splitter"]``.
    n_boot : int, default=2000
        Resamples of the draws.
    random_state : int, default=0

    Returns
    -------
    tuple of float
        ``(difference, standard_error)``: RMSE of ``first`` minus RMSE of
        ``second`` over all draws, and the standard deviation of that
        difference over the resamples.
    """
    needed = {"draw", "splitter", "error"}
    if not isinstance(study, pd.DataFrame) or not needed <= set(study.columns):
        found = list(study.columns) if isinstance(study, pd.DataFrame) else type(study).__name__
        raise ValueError(f"study must be the DataFrame small_sample_study returns (columns {sorted(needed)}), "
                         f"found {found}")
    for name in (first, second):
        if name not in set(study["splitter"]):
            raise ValueError(f"no splitter {name!r} in the study; found {list(dict.fromkeys(study['splitter']))}")
    n_boot = _positive_int(n_boot, "n_boot", 2)
    errors = study.pivot(index="draw", columns="splitter", values="error")
    a, b = errors[first].to_numpy(), errors[second].to_numpy()
    rng = np.random.default_rng(random_state)
    draws = [rng.integers(0, len(errors), len(errors)) for _ in range(n_boot)]

    def rmse(values):
        return float(np.sqrt(np.mean(np.square(values))))

    resampled = [rmse(a[idx]) - rmse(b[idx]) for idx in draws]
    return rmse(a) - rmse(b), float(np.std(resampled, ddof=1))


# --------------------------------------------------------------------------- exercise validators

#: The three scenarios of exercise 1 and the splitter each one calls for.
SCENARIOS = {
    "a": ("A model is retrained every month on all past transactions and scores next month's.", TimeSeriesSplit),
    "b": ("A model will score customers it has never seen; each customer has many rows; 2 % are positive.",
          StratifiedGroupKFold),
    "c": ("300 independent patient records, 40 % positive, no order, no repeated patients; the estimate must be "
          "stable.", RepeatedStratifiedKFold),
}

_WHY = {
    "a": "the model always predicts the future from the past, so every test fold must come after its training rows",
    "b": "the same customer must never sit on both sides, and with 2 % positives each fold should keep its share "
         "of positives: that is StratifiedGroupKFold",
    "c": "rows are independent, the data are small, so repeat a stratified k-fold to average out the partition",
}

_KNOWN = {cls.__name__.lower(): cls for cls in (
    KFold, StratifiedKFold, RepeatedKFold, RepeatedStratifiedKFold, GroupKFold, StratifiedGroupKFold,
    TimeSeriesSplit, LeaveOneOut)}


def _splitter_class(value):
    if isinstance(value, type):
        return value
    if isinstance(value, str):
        return _KNOWN.get(value.strip().lower().removesuffix("()"))
    if hasattr(value, "split"):
        return type(value)
    return None


def check_splitter_choices(answer):
    """Validator of exercise 1: a dict scenario -> splitter (class, instance or name).

    Returns
    -------
    None or str
        ``None`` when every scenario has the right splitter, else what is wrong.
    """
    if not isinstance(answer, dict):
        return f"answer_1 should be a dict like {{'a': TimeSeriesSplit, ...}}, found {type(answer).__name__}"
    keys = {str(k).strip().lower() for k in answer}
    missing = sorted(set(SCENARIOS) - keys)
    if missing:
        return f"scenario(s) {missing} have no splitter; give one for each of {sorted(SCENARIOS)}"
    normalised = {str(k).strip().lower(): v for k, v in answer.items()}
    problems = []
    for key, (_, expected) in SCENARIOS.items():
        found = _splitter_class(normalised[key])
        if found is None:
            problems.append(f"scenario {key}: {normalised[key]!r} is not a scikit-learn splitter")
        elif found is not expected:
            problems.append(f"scenario {key}: {found.__name__} is not the best fit ({_WHY[key]})")
    return "; ".join(problems) or None


def make_group_split_validator(X, y, groups, *, min_splits=3):
    """Build the validator of exercise 2 for one data set.

    The returned function accepts a splitter when it makes at least
    ``min_splits`` splits, no group (customer) appears on both sides of any
    split, every row is tested exactly once, and every test fold holds at
    least one positive whenever the data allow it (at least as many positives
    as splits, spread over enough groups).

    Parameters
    ----------
    X : array-like of shape (n_rows, n_features)
    y : array-like of shape (n_rows,)
    groups : array-like of shape (n_rows,)
    min_splits : int

    Returns
    -------
    callable
        ``validate(cv) -> None | str``.
    """
    n_rows = _n_rows(X)
    y = _labels(y, n_rows)
    if groups is None:
        raise ValueError("groups is required: one group label per row")
    groups = _groups(groups, n_rows)
    min_splits = _positive_int(min_splits, "min_splits", minimum=2)
    positive = y == _minority_label(y)
    positive_groups = len(np.unique(groups[positive]))

    def validate(cv):
        try:
            _check_splitter(cv, "answer_2")
        except TypeError as error:
            return str(error)
        splits = _splits(cv, X, y, groups)
        if len(splits) < min_splits:
            return f"it makes {len(splits)} split(s); make at least {min_splits}"
        tested = np.zeros(n_rows, dtype=int)
        for fold, (train, test) in enumerate(splits, start=1):
            shared = np.intersect1d(groups[train], groups[test])
            if len(shared):
                return f"fold {fold} has {len(shared)} customer(s) on both sides; group the rows by customer_id"
            tested[test] += 1
        if not np.all(tested == 1):
            return (f"every row should be tested exactly once; {int((tested == 0).sum())} row(s) are never tested and "
                    f"{int((tested > 1).sum())} are tested more than once (one repeat of a k-fold, please)")
        if positive_groups >= len(splits):
            empty = [fold for fold, (_, test) in enumerate(splits, start=1) if not positive[test].any()]
            if empty:
                return f"test fold(s) {empty} hold no positive at all; stratify as well as group"
        return None

    return validate


def make_time_gap_validator(timestamps, *, n_splits, min_gap):
    """Build the validator of exercise 3 for one time-ordered data set.

    The returned function accepts a splitter when it makes exactly
    ``n_splits`` splits and, in every split, each test row is at least
    ``min_gap`` later than the latest training row.

    Parameters
    ----------
    timestamps : array-like of datetime64, shape (n_rows,)
        The rows' times, in row order (the data must be sorted by time).
    n_splits : int
    min_gap : pandas.Timedelta or str
        E.g. ``"7D"``.

    Returns
    -------
    callable
        ``validate(cv) -> None | str``.
    """
    times = pd.to_datetime(pd.Series(timestamps)).to_numpy()
    if not np.all(times[1:] >= times[:-1]):
        raise ValueError("timestamps must be sorted in increasing order (sort the rows by time first)")
    n_splits = _positive_int(n_splits, "n_splits", minimum=2)
    min_gap = pd.Timedelta(min_gap)
    X = np.zeros((len(times), 1))

    def validate(cv):
        try:
            _check_splitter(cv, "answer_3")
        except TypeError as error:
            return str(error)
        splits = _splits(cv, X, None, None)
        if len(splits) != n_splits:
            return f"it makes {len(splits)} split(s); the exercise asks for {n_splits}"
        for fold, (train, test) in enumerate(splits, start=1):
            if len(train) == 0 or len(test) == 0:
                return f"split {fold} has an empty training or test side"
            gap = pd.Timedelta(times[test].min() - times[train].max())
            if gap < pd.Timedelta(0):
                return f"in split {fold} some training rows are later than test rows: the model would see the future"
            if gap < min_gap:
                return (f"in split {fold} the first test row is only {gap.days} day(s) "
                        f"{gap.seconds // 3600} h after the last training row; the exercise asks for at least "
                        f"{min_gap.days} days (use the gap parameter, in rows)")
        return None

    return validate
