"""Evaluating a rare-positive classifier: costs, thresholds, curves and self-checks.

Plumbing for lesson 06 (``06_imbalanced_evaluation``). The scikit-learn calls
the lesson teaches (``TunedThresholdClassifierCV``, ``make_scorer``,
``CalibratedClassifierCV``, the ``*Display`` classes) stay in the notebook;
this module carries what would otherwise be copied between cells:

- a validated 2 x 2 cost matrix, the expected cost of a set of decisions, a
  ready-made cost scorer and the cost-optimal threshold for calibrated
  probabilities;
- the expected cost as a function of the decision threshold, and its plot;
- ROC and precision-recall curves side by side in one call;
- a test-set table comparing fitted classifiers (counts, euros, ranking);
- paired bootstraps of a cost difference and of a ranking-metric difference,
  resampling whole customers (a cluster bootstrap) when the rows of one
  customer are not independent, and a table of their results;
- the bins of a reliability (calibration) curve with binomial intervals, and
  error bars for ``CalibrationDisplay``;
- precision among the k highest scores (an alert budget);
- a Markdown bullet list of measured sentences (``bullets``);
- validators for the lesson's exercises.

Conventions: the positive class (fraud) is ``1``; a transaction is flagged
when its score is ``>= threshold`` (as in scikit-learn's
``FixedThresholdClassifier`` and ``TunedThresholdClassifierCV``); costs are
per transaction, in the currency of the cost matrix.
"""

import math
from numbers import Real

import numpy as np
import pandas as pd

__all__ = [
    "bayes_threshold",
    "bootstrap_table",
    "bullets",
    "calibration_error_bars",
    "cost_matrix",
    "cost_scorer",
    "evaluation_table",
    "expected_cost",
    "expected_cost_curve",
    "interval_reading",
    "paired_bootstrap_cost",
    "paired_bootstrap_ranking",
    "plot_cost_curve",
    "plot_roc_pr",
    "precision_at_k",
    "reliability_table",
    "validate_cost_function",
    "validate_resampling_pipeline",
    "wilson_interval",
]

_CELLS = {
    "true_negative": (0, 0),
    "false_positive": (0, 1),
    "false_negative": (1, 0),
    "true_positive": (1, 1),
}


# --------------------------------------------------------------------------- costs


def cost_matrix(*, false_negative, false_positive, true_positive=0.0, true_negative=0.0):
    """Build a 2 x 2 cost matrix for a binary decision (rows: actual, columns: decided).

    Parameters
    ----------
    false_negative : float
        Cost of letting a fraud through (actual 1, decided 0).
    false_positive : float
        Cost of a false alarm (actual 0, flagged 1).
    true_positive : float, default=0.0
        Cost of flagging a real fraud (e.g. the analyst's time).
    true_negative : float, default=0.0
        Cost of letting a legitimate transaction through.

    Returns
    -------
    pandas.DataFrame
        Index ``actual`` = [0, 1], columns ``decided`` = [0, 1].

    Raises
    ------
    ValueError
        A cost is not a finite number, or a mistake does not cost more than
        the correct decision for the same row (then no threshold is sensible).
    """
    values = {
        "false_negative": false_negative,
        "false_positive": false_positive,
        "true_positive": true_positive,
        "true_negative": true_negative,
    }
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value!r}")
    if not false_negative > true_positive:
        raise ValueError(
            "a missed fraud must cost more than a caught one: expected false_negative > true_positive,"
            f" found {false_negative!r} <= {true_positive!r}"
        )
    if not false_positive > true_negative:
        raise ValueError(
            "a false alarm must cost more than letting a legitimate transaction through: expected"
            f" false_positive > true_negative, found {false_positive!r} <= {true_negative!r}"
        )
    table = np.array([[true_negative, false_positive], [false_negative, true_positive]], dtype=float)
    return pd.DataFrame(
        table,
        index=pd.Index([0, 1], name="actual"),
        columns=pd.Index([0, 1], name="decided"),
    )


def _cost_array(costs):
    """Return ``costs`` as a validated 2 x 2 float array [[TN, FP], [FN, TP]]."""
    if isinstance(costs, pd.DataFrame):
        if list(costs.index) != [0, 1] or list(costs.columns) != [0, 1]:
            raise ValueError(
                "a cost matrix DataFrame needs index [0, 1] (actual) and columns [0, 1] (decided),"
                f" found index {list(costs.index)} and columns {list(costs.columns)};"
                " build it with cost_matrix(...)"
            )
        array = costs.to_numpy(dtype=float)
    else:
        try:
            array = np.asarray(costs, dtype=float)
        except (TypeError, ValueError) as error:
            raise ValueError(f"costs must be a 2 x 2 cost matrix, got {type(costs).__name__}") from error
    if array.shape != (2, 2):
        raise ValueError(f"costs must be a 2 x 2 cost matrix [[TN, FP], [FN, TP]], found shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError("costs must be finite numbers, found NaN or infinity")
    return array


def _binary_labels(values, name):
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, found shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty; expected at least one label")
    if array.dtype == bool:
        return array.astype(int)
    unique = set(np.unique(array).tolist())
    if not unique <= {0, 1}:
        shown = sorted(map(str, unique))[:5]
        raise ValueError(f"{name} must hold 0 (legit) and 1 (fraud) only, found values {shown}")
    return array.astype(int)


def _scores(values, name, length):
    array = np.asarray(values, dtype=float)
    if array.ndim == 2 and array.shape[1] == 2:
        raise ValueError(
            f"{name} has two columns; pass the fraud column only, e.g. model.predict_proba(X)[:, 1]"
        )
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, found shape {array.shape}")
    if len(array) != length:
        raise ValueError(f"{name} has {len(array)} values but y_true has {length}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def expected_cost(y_true, y_pred, costs):
    """Average cost per transaction of a set of decisions.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels, 0 or 1.
    y_pred : array-like of shape (n_samples,)
        Decisions, 0 (let through) or 1 (flag).
    costs : DataFrame or array-like of shape (2, 2)
        Cost matrix from :func:`cost_matrix` (rows actual, columns decided).

    Returns
    -------
    float
        ``sum(confusion_matrix * costs) / n_samples``.
    """
    y_true = _binary_labels(y_true, "y_true")
    y_pred = _binary_labels(y_pred, "y_pred")
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_pred has {len(y_pred)} values but y_true has {len(y_true)}")
    array = _cost_array(costs)
    counts = np.zeros((2, 2))
    np.add.at(counts, (y_true, y_pred), 1)
    return float((counts * array).sum() / len(y_true))


def cost_scorer(costs):
    """A scorer (higher is better) equal to minus the expected cost per transaction.

    Equivalent to ``make_scorer(expected_cost, greater_is_better=False,
    costs=costs)``, the form the lesson writes out; usable as ``scoring=`` in
    ``cross_val_score`` and ``TunedThresholdClassifierCV``.

    Parameters
    ----------
    costs : DataFrame or array-like of shape (2, 2)

    Returns
    -------
    callable
        ``scorer(estimator, X, y)``.
    """
    from sklearn.metrics import make_scorer

    return make_scorer(expected_cost, greater_is_better=False, costs=_cost_array(costs))


def bayes_threshold(costs):
    """Cost-optimal threshold for *calibrated* fraud probabilities.

    Flagging costs ``p * TP + (1 - p) * FP`` on average, letting through costs
    ``p * FN + (1 - p) * TN``; flagging is cheaper when
    ``p >= (FP - TN) / ((FP - TN) + (FN - TP))``.

    Parameters
    ----------
    costs : DataFrame or array-like of shape (2, 2)

    Returns
    -------
    float
    """
    (tn, fp), (fn, tp) = _cost_array(costs)
    if not (fp > tn and fn > tp):
        raise ValueError("mistakes must cost more than correct decisions (FP > TN and FN > TP)")
    return float((fp - tn) / ((fp - tn) + (fn - tp)))


# --------------------------------------------------------------------------- threshold curve


def expected_cost_curve(y_true, y_score, costs, thresholds=None):
    """Expected cost per transaction for every decision threshold.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels, 0 or 1.
    y_score : array-like of shape (n_samples,)
        Fraud scores, usually ``predict_proba(X)[:, 1]``; flagged when ``>= threshold``.
    costs : DataFrame or array-like of shape (2, 2)
    thresholds : array-like, optional
        Thresholds to evaluate; default 400 points spaced evenly on a log
        scale between 0.001 and 1.

    Returns
    -------
    pandas.DataFrame
        Columns ``threshold``, ``cost`` (per transaction), ``false_positives``,
        ``false_negatives``, ``flagged_share``, one row per threshold.
    """
    y_true = _binary_labels(y_true, "y_true")
    y_score = _scores(y_score, "y_score", len(y_true))
    array = _cost_array(costs)
    if thresholds is None:
        thresholds = np.geomspace(1e-3, 1.0, 400)
    thresholds = np.asarray(thresholds, dtype=float)
    if thresholds.ndim != 1 or thresholds.size == 0 or not np.all(np.isfinite(thresholds)):
        raise ValueError("thresholds must be a non-empty one-dimensional array of finite numbers")
    flagged = y_score[None, :] >= thresholds[:, None]
    positive = y_true == 1
    tp = (flagged & positive).sum(axis=1)
    fp = (flagged & ~positive).sum(axis=1)
    fn = positive.sum() - tp
    tn = (~positive).sum() - fp
    (c_tn, c_fp), (c_fn, c_tp) = array
    total = tn * c_tn + fp * c_fp + fn * c_fn + tp * c_tp
    n = len(y_true)
    return pd.DataFrame(
        {
            "threshold": thresholds,
            "cost": total / n,
            "false_positives": fp,
            "false_negatives": fn,
            "flagged_share": (tp + fp) / n,
        }
    )


def plot_cost_curve(curves, marks=None, ax=None, title="Expected cost per transaction versus threshold", unit="€",
                    marks_on=None):
    """Plot expected cost against the decision threshold (log-scaled x axis).

    Parameters
    ----------
    curves : dict
        ``{label: curve}`` where a curve is a DataFrame from
        :func:`expected_cost_curve` or a pair ``(thresholds, costs)``.
    marks : dict, optional
        ``{label: threshold}`` drawn as vertical lines (e.g. the default 0.5
        and a tuned threshold). Each mark gets its own line style and a marker
        of its own at a different height, so marks that coincide stay visible.
        The legend sits to the right of the axes, clear of the curves.
    ax : matplotlib Axes, optional
    title : str
    unit : str, default="€"
        Currency shown in the y-axis label.
    marks_on : str, optional
        Label of one of ``curves``. When given, each mark's marker sits on that
        curve (at the curve's cost for the mark's threshold, interpolated on
        the log-threshold scale) instead of at a height of its own near the top.

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.transforms import blended_transform_factory

    if not isinstance(curves, dict) or not curves:
        raise ValueError(f"curves must be a non-empty dict {{label: curve}}, got {type(curves).__name__}")
    if marks is not None and not isinstance(marks, dict):
        raise ValueError(f"marks must be a dict {{label: threshold}}, got {type(marks).__name__}")
    if marks_on is not None and marks_on not in curves:
        raise ValueError(f"marks_on must be one of the curve labels {sorted(curves)}, got {marks_on!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(9.5, 3.8), layout="constrained")
    lowest = math.inf
    drawn = {}
    for label, curve in curves.items():
        if isinstance(curve, pd.DataFrame):
            missing = {"threshold", "cost"} - set(curve.columns)
            if missing:
                raise ValueError(f"curve {label!r} lacks column(s) {sorted(missing)}; use expected_cost_curve(...)")
            x, y = curve["threshold"].to_numpy(), curve["cost"].to_numpy()
        else:
            try:
                x, y = (np.asarray(part, dtype=float) for part in curve)
            except (TypeError, ValueError) as error:
                raise ValueError(
                    f"curve {label!r} must be a DataFrame or a pair (thresholds, costs)"
                ) from error
            if x.shape != y.shape:
                raise ValueError(f"curve {label!r}: {len(x)} thresholds but {len(y)} costs")
        keep = x > 0
        ax.plot(x[keep], y[keep], label=label)
        drawn[label] = (x[keep], y[keep])
        lowest = min(lowest, float(np.min(x[keep]))) if keep.any() else lowest
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    styles = [("-", "v"), ("--", "o"), (":", "s"), ("-.", "D")]
    on_top = blended_transform_factory(ax.transData, ax.transAxes)
    handles, labels = ax.get_legend_handles_labels()
    for i, (label, threshold) in enumerate((marks or {}).items()):
        colour = colours[(i + len(curves)) % len(colours)]
        linestyle, marker = styles[i % len(styles)]
        text = f"{label} ({threshold:.3f})"
        ax.axvline(threshold, linestyle=linestyle, linewidth=1.4, color=colour, label=text)
        if marks_on is None:
            # A marker near the top, at a height of its own: two marks at the same threshold stay distinguishable.
            ax.plot([threshold], [0.96 - 0.07 * i], marker=marker, markersize=7, color=colour, transform=on_top,
                    clip_on=False, linestyle="none")
        else:  # the marker sits on the chosen curve, at its cost for this threshold
            x_on, y_on = drawn[marks_on]
            order = np.argsort(x_on)
            height = float(np.interp(np.log(threshold), np.log(x_on[order]), y_on[order]))
            ax.plot([threshold], [height], marker=marker, markersize=7, color=colour, linestyle="none", zorder=3)
        handles.append(Line2D([], [], color=colour, linestyle=linestyle, marker=marker, linewidth=1.4))
        labels.append(text)
    ax.set_xscale("log")
    ax.set_xlim(max(lowest, 1e-3), 1.0)
    ax.set_xlabel("decision threshold on the fraud probability (log scale)")
    ax.set_ylabel(f"expected cost per transaction ({unit})" if unit else "expected cost per transaction")
    ax.set_title(title)
    ax.legend(handles, labels, fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


# --------------------------------------------------------------------------- ROC and PR


def plot_roc_pr(y_true, scores, title=None, digits=None):
    """ROC and precision-recall curves side by side, with chance levels.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels, 0 or 1.
    scores : dict
        ``{label: fraud scores}`` (e.g. ``predict_proba(X)[:, 1]``), one curve each.
    title : str, optional
        Figure title.
    digits : int, optional
        Decimals of the AUC and AP values in the legends, chance levels
        included. By default the legends keep scikit-learn's own labels.

    Returns
    -------
    (matplotlib Figure, array of two Axes)
    """
    import matplotlib.pyplot as plt
    from sklearn.metrics import PrecisionRecallDisplay, RocCurveDisplay

    y_true = _binary_labels(y_true, "y_true")
    if not isinstance(scores, dict) or not scores:
        raise ValueError(f"scores must be a non-empty dict {{label: fraud scores}}, got {type(scores).__name__}")
    if y_true.min() == y_true.max():
        raise ValueError("y_true holds one class only; ROC and PR curves need both frauds and legit rows")
    if digits is not None and (isinstance(digits, bool) or not isinstance(digits, (int, np.integer)) or digits < 0):
        raise ValueError(f"digits must be a non-negative integer or None, got {digits!r}")
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
    last = len(scores) - 1
    for i, (label, score) in enumerate(scores.items()):
        score = _scores(score, f"scores[{label!r}]", len(y_true))
        roc = RocCurveDisplay.from_predictions(y_true, score, name=label, ax=axes[0], plot_chance_level=i == last)
        pr = PrecisionRecallDisplay.from_predictions(
            y_true, score, name=label, ax=axes[1], plot_chance_level=i == last
        )
        if digits is not None:
            roc.line_.set_label(f"{label} (AUC = {roc.roc_auc:.{digits}f})")
            pr.line_.set_label(f"{label} (AP = {pr.average_precision:.{digits}f})")
            if i == last:
                roc.chance_level_.set_label(f"Chance level (AUC = {0.5:.{digits}f})")
                pr.chance_level_.set_label(f"Chance level (AP = {y_true.mean():.{digits}f})")
    axes[0].set_title("ROC curve")
    axes[1].set_title("Precision-recall curve")
    for ax in axes:
        ax.legend(fontsize="small", loc="best")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig, axes


# --------------------------------------------------------------------------- comparison


def evaluation_table(models, X, y, costs):
    """Score fitted classifiers on one data set: ranking metrics, decisions, cost.

    Parameters
    ----------
    models : dict
        ``{label: fitted classifier}`` with ``predict`` and ``predict_proba``.
        The threshold shown is ``best_threshold_`` for a
        ``TunedThresholdClassifierCV``, ``threshold`` for a
        ``FixedThresholdClassifier`` and 0.5 otherwise.
    X : DataFrame
    y : array-like of shape (n_samples,)
    costs : DataFrame or array-like of shape (2, 2)

    Returns
    -------
    pandas.DataFrame
        One row per model: ``threshold``, ``roc_auc``, ``average_precision``,
        ``flagged``, ``caught`` (true positives), ``missed`` (false
        negatives), ``false_alarms`` (false positives), ``recall``,
        ``precision``, ``cost`` (per transaction) and ``total_cost`` (over all
        rows of ``X``).
    """
    from sklearn.metrics import average_precision_score, roc_auc_score

    if not isinstance(models, dict) or not models:
        raise ValueError(f"models must be a non-empty dict {{label: fitted classifier}}, got {type(models).__name__}")
    y = _binary_labels(y, "y")
    rows = {}
    for label, model in models.items():
        for method in ("predict", "predict_proba"):
            if not hasattr(model, method):
                raise ValueError(f"model {label!r} has no {method}(); expected a fitted classifier")
        score = model.predict_proba(X)[:, 1]
        decision = _binary_labels(np.asarray(model.predict(X)), f"predictions of {label!r}")
        threshold = getattr(model, "best_threshold_", None)
        if threshold is None:
            threshold = getattr(model, "threshold", 0.5)
            threshold = 0.5 if threshold == "auto" else threshold
        caught = int(((decision == 1) & (y == 1)).sum())
        flagged = int(decision.sum())
        cost = expected_cost(y, decision, costs)
        rows[label] = {
            "threshold": float(threshold),
            "roc_auc": roc_auc_score(y, score),
            "average_precision": average_precision_score(y, score),
            "flagged": flagged,
            "caught": caught,
            "missed": int(y.sum()) - caught,
            "false_alarms": flagged - caught,
            "recall": caught / y.sum() if y.sum() else 0.0,
            "precision": caught / flagged if flagged else 0.0,
            "cost": cost,
            "total_cost": cost * len(y),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def _check_n_boot(n_boot):
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise ValueError(f"n_boot must be a positive integer, got {n_boot!r}")


def _group_codes(groups, n):
    """Integer code per row: the row's customer (``groups``) or the row itself."""
    if groups is None:
        return np.arange(n), n
    groups = np.asarray(groups)
    if groups.ndim != 1:
        raise ValueError(f"groups must be one-dimensional, found shape {groups.shape}")
    if len(groups) != n:
        raise ValueError(f"groups has {len(groups)} values but y_true has {n}")
    if pd.isna(groups).any():
        raise ValueError("groups contains missing values; every row needs its customer")
    _, codes = np.unique(groups, return_inverse=True)
    return codes.ravel(), int(codes.max()) + 1


def _bootstrap_weights(codes, n_groups, n_boot, random_state, chunk=250):
    """Yield (chunk, n_rows) weight matrices: how often each row is drawn in each resample.

    A resample draws ``n_groups`` groups with replacement; every row of a group
    drawn k times gets weight k (a cluster bootstrap; with one group per row it
    is the ordinary bootstrap).
    """
    rng = np.random.default_rng(random_state)
    done = 0
    while done < n_boot:
        size = min(chunk, n_boot - done)
        draws = rng.integers(0, n_groups, size=(size, n_groups))
        flat = (draws + np.arange(size)[:, None] * n_groups).ravel()
        counts = np.bincount(flat, minlength=size * n_groups).reshape(size, n_groups).astype(float)
        yield counts[:, codes]
        done += size


def paired_bootstrap_cost(y_true, pred_a, pred_b, costs, *, groups=None, n_boot=2000, random_state=0):
    """Bootstrap the difference in expected cost between two sets of decisions.

    Each resample draws rows (or, with ``groups``, whole groups such as
    customers) with replacement and scores both sets of decisions on the same
    draw (a paired bootstrap), so the interval shows how much the difference
    could move on another test set of the same size. When one customer has
    several rows, those rows are not independent: pass ``groups`` to resample
    customers (a cluster bootstrap), otherwise the interval is too narrow.

    Parameters
    ----------
    y_true, pred_a, pred_b : array-like of shape (n_samples,)
        Labels and two sets of 0/1 decisions.
    costs : DataFrame or array-like of shape (2, 2)
    groups : array-like of shape (n_samples,), optional
        Group of each row (e.g. ``customer_id``); resample groups, not rows.
    n_boot : int, default=2000
    random_state : int, default=0

    Returns
    -------
    dict
        ``difference`` (cost per transaction of ``a`` minus that of ``b`` on
        the given rows; positive means ``b`` is cheaper), ``low`` and ``high``
        (5th and 95th percentiles over the resamples: a 90 % interval),
        ``share_b_cheaper`` (share of resamples where ``b`` costs less),
        ``n_boot`` and ``resampled`` (``"rows"`` or ``"groups"``).
    """
    y_true = _binary_labels(y_true, "y_true")
    pred_a = _binary_labels(pred_a, "pred_a")
    pred_b = _binary_labels(pred_b, "pred_b")
    if not len(y_true) == len(pred_a) == len(pred_b):
        raise ValueError(
            f"y_true, pred_a and pred_b must have the same length, found {len(y_true)}, {len(pred_a)}, {len(pred_b)}"
        )
    _check_n_boot(n_boot)
    codes, n_groups = _group_codes(groups, len(y_true))
    array = _cost_array(costs)
    per_row = array[y_true, pred_a] - array[y_true, pred_b]
    boot = np.concatenate([
        weights @ per_row / weights.sum(axis=1)
        for weights in _bootstrap_weights(codes, n_groups, n_boot, random_state)
    ])
    return {
        "difference": float(per_row.mean()),
        "low": float(np.percentile(boot, 5)),
        "high": float(np.percentile(boot, 95)),
        "share_b_cheaper": float(np.mean(boot > 0)),
        "n_boot": int(n_boot),
        "resampled": "rows" if groups is None else "groups",
    }


_RANKING_METRICS = ("average_precision", "roc_auc")


def _weighted_ranking(y_true, score, weights, metric):
    """Average precision or ROC AUC of ``score`` under each row of ``weights`` (shape (k, n)).

    Ties are handled as scikit-learn does (one curve point per distinct
    score); with unit weights the result equals ``average_precision_score``
    or ``roc_auc_score``. Returns NaN where a resample holds a single class.
    """
    order = np.argsort(-score, kind="mergesort")
    ordered_score, positive = score[order], y_true[order].astype(float)
    weights = weights[:, order]
    last = np.r_[np.flatnonzero(np.diff(ordered_score)), len(ordered_score) - 1]
    tps = np.cumsum(weights * positive, axis=1)[:, last]
    fps = np.cumsum(weights * (1.0 - positive), axis=1)[:, last]
    n_pos, n_neg = tps[:, -1:], fps[:, -1:]
    with np.errstate(invalid="ignore", divide="ignore"):
        if metric == "average_precision":
            flagged = tps + fps
            precision = np.divide(tps, flagged, out=np.zeros_like(tps), where=flagged > 0)
            recall_gain = np.diff(tps, axis=1, prepend=0.0) / n_pos
            value = (recall_gain * precision).sum(axis=1)
            value[n_pos[:, 0] == 0] = np.nan
        else:
            tpr = np.hstack([np.zeros((len(tps), 1)), tps / n_pos])
            fpr = np.hstack([np.zeros((len(fps), 1)), fps / n_neg])
            value = (np.diff(fpr, axis=1) * (tpr[:, 1:] + tpr[:, :-1]) / 2).sum(axis=1)
            value[(n_pos[:, 0] == 0) | (n_neg[:, 0] == 0)] = np.nan
    return value


def paired_bootstrap_ranking(y_true, score_a, score_b, *, metric="average_precision", groups=None, n_boot=2000,
                             random_state=0):
    """Bootstrap the difference in a ranking metric between two sets of scores.

    Like :func:`paired_bootstrap_cost`, but for average precision or ROC AUC:
    both score vectors are evaluated on the same resample of rows (or of
    groups, e.g. customers, with ``groups``).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels, 0 or 1 (both must occur).
    score_a, score_b : array-like of shape (n_samples,)
        Fraud scores of two models on the same rows.
    metric : {"average_precision", "roc_auc"}, default="average_precision"
    groups : array-like of shape (n_samples,), optional
        Group of each row; resample groups, not rows.
    n_boot : int, default=2000
    random_state : int, default=0

    Returns
    -------
    dict
        ``a`` and ``b`` (the metric on the given rows), ``difference``
        (``b - a``; positive means ``b`` ranks better), ``low`` and ``high``
        (5th and 95th percentiles: a 90 % interval), ``share_b_better``,
        ``n_boot``, ``undefined`` (resamples without both classes, left out)
        and ``resampled`` (``"rows"`` or ``"groups"``).
    """
    if metric not in _RANKING_METRICS:
        raise ValueError(f"metric must be one of {_RANKING_METRICS}, got {metric!r}")
    y_true = _binary_labels(y_true, "y_true")
    if y_true.min() == y_true.max():
        raise ValueError("y_true holds one class only; ranking metrics need both frauds and legit rows")
    score_a = _scores(score_a, "score_a", len(y_true))
    score_b = _scores(score_b, "score_b", len(y_true))
    _check_n_boot(n_boot)
    codes, n_groups = _group_codes(groups, len(y_true))
    ones = np.ones((1, len(y_true)))
    a = float(_weighted_ranking(y_true, score_a, ones, metric)[0])
    b = float(_weighted_ranking(y_true, score_b, ones, metric)[0])
    boot = np.concatenate([
        _weighted_ranking(y_true, score_b, weights, metric) - _weighted_ranking(y_true, score_a, weights, metric)
        for weights in _bootstrap_weights(codes, n_groups, n_boot, random_state)
    ])
    defined = boot[np.isfinite(boot)]
    if defined.size == 0:
        raise ValueError("no resample held both classes; the test set is too small for a bootstrap")
    return {
        "a": a,
        "b": b,
        "difference": b - a,
        "low": float(np.percentile(defined, 5)),
        "high": float(np.percentile(defined, 95)),
        "share_b_better": float(np.mean(defined > 0)),
        "n_boot": int(n_boot),
        "undefined": int(boot.size - defined.size),
        "resampled": "rows" if groups is None else "groups",
    }


def bootstrap_table(results, digits=3, readings=None):
    """Tabulate bootstrap results: measured difference, 90 % interval, verdict.

    Parameters
    ----------
    results : dict
        ``{label: result}`` where each result is a dict from
        :func:`paired_bootstrap_cost` or :func:`paired_bootstrap_ranking`.
    digits : int, default=3
        Rounding of the numbers.
    readings : dict, optional
        Words for the readings, e.g. ``{"above 0": "tuned costs less",
        "below 0": "tuned costs more"}``; readings not in the dict keep their
        default words.

    Returns
    -------
    pandas.DataFrame
        One row per label: ``measured``, ``90 % interval from``, ``to``,
        ``share of resamples > 0`` and ``reading``: ``"above 0"``,
        ``"below 0"`` or ``"within noise"`` (the interval contains 0).
    """
    if not isinstance(results, dict) or not results:
        raise ValueError(f"results must be a non-empty dict {{label: bootstrap result}}, got {type(results).__name__}")
    if readings is not None and (not isinstance(readings, dict)
                                 or not set(readings) <= {"above 0", "below 0", "within noise"}):
        raise ValueError(f"readings must be a dict with keys among 'above 0', 'below 0', 'within noise', got {readings!r}")
    readings = readings or {}
    rows = {}
    for label, result in results.items():
        if not isinstance(result, dict) or not {"difference", "low", "high"} <= set(result):
            raise ValueError(f"result {label!r} is not a bootstrap result (needs difference, low and high)")
        share = result.get("share_b_better", result.get("share_b_cheaper"))
        rows[label] = {
            "measured": round(result["difference"], digits),
            "90 % interval from": round(result["low"], digits),
            "to": round(result["high"], digits),
            "share of resamples > 0": round(share, digits) if share is not None else np.nan,
            "reading": readings.get(interval_reading(result), interval_reading(result)),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def interval_reading(result):
    """``"above 0"``, ``"below 0"`` or ``"within noise"`` (the interval contains 0) for a bootstrap result."""
    if not isinstance(result, dict) or not {"low", "high"} <= set(result):
        raise ValueError("expected a result with an interval ('low' and 'high'), e.g. from a paired bootstrap")
    if result["low"] > 0:
        return "above 0"
    if result["high"] < 0:
        return "below 0"
    return "within noise"


def precision_at_k(y_true, y_score, k):
    """Share of frauds among the ``k`` highest-scoring rows (an alert budget of ``k``).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels, 0 or 1.
    y_score : array-like of shape (n_samples,)
        Fraud scores.
    k : int
        Number of rows the team can review, ``1 <= k <= n_samples``.

    Returns
    -------
    float
    """
    y_true = _binary_labels(y_true, "y_true")
    y_score = _scores(y_score, "y_score", len(y_true))
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= len(y_true):
        raise ValueError(f"k must be an integer between 1 and {len(y_true)}, got {k!r}")
    top = np.argsort(-y_score, kind="mergesort")[:k]
    return float(y_true[top].mean())


def wilson_interval(successes, trials, level=0.9):
    """Wilson score interval for a proportion (stays inside [0, 1] with few successes).

    Parameters
    ----------
    successes, trials : int or array-like
    level : float, default=0.9

    Returns
    -------
    (low, high) : arrays
    """
    from scipy.stats import norm

    successes = np.asarray(successes, dtype=float)
    trials = np.asarray(trials, dtype=float)
    if np.any(trials <= 0) or np.any(successes < 0) or np.any(successes > trials):
        raise ValueError("need 0 <= successes <= trials and trials > 0")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
    z = norm.ppf(0.5 + level / 2)
    p = successes / trials
    centre = (p + z**2 / (2 * trials)) / (1 + z**2 / trials)
    half = z * np.sqrt(p * (1 - p) / trials + z**2 / (4 * trials**2)) / (1 + z**2 / trials)
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


def reliability_table(y_true, y_prob, n_bins=5, strategy="quantile", level=0.9):
    """The bins of a reliability curve, with a Wilson interval for each bin's observed fraud rate.

    The bins are computed exactly as ``sklearn.calibration.calibration_curve``
    (and so ``CalibrationDisplay``) computes them.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_prob : array-like of shape (n_samples,)
        Predicted fraud probabilities, in [0, 1].
    n_bins : int, default=5
    strategy : {"quantile", "uniform"}, default="quantile"
    level : float, default=0.9

    Returns
    -------
    pandas.DataFrame
        One row per non-empty bin: ``transactions``, ``frauds``,
        ``mean predicted``, ``observed rate``, ``low``, ``high`` and
        ``covers prediction`` (the interval contains the mean prediction).
    """
    y_true = _binary_labels(y_true, "y_true")
    y_prob = _scores(y_prob, "y_prob", len(y_true))
    if y_prob.min() < 0 or y_prob.max() > 1:
        raise ValueError("y_prob must hold probabilities in [0, 1]")
    if isinstance(n_bins, bool) or not isinstance(n_bins, (int, np.integer)) or n_bins < 1:
        raise ValueError(f"n_bins must be a positive integer, got {n_bins!r}")
    if strategy == "quantile":
        bins = np.percentile(y_prob, np.linspace(0, 1, n_bins + 1) * 100)
    elif strategy == "uniform":
        bins = np.linspace(0.0, 1.0, n_bins + 1)
    else:
        raise ValueError(f"strategy must be 'quantile' or 'uniform', got {strategy!r}")
    binids = np.searchsorted(bins[1:-1], y_prob)
    total = np.bincount(binids, minlength=n_bins)
    frauds = np.bincount(binids, weights=y_true, minlength=n_bins)
    predicted = np.bincount(binids, weights=y_prob, minlength=n_bins)
    keep = total > 0
    low, high = wilson_interval(frauds[keep], total[keep], level=level)
    mean_predicted = predicted[keep] / total[keep]
    return pd.DataFrame({
        "transactions": total[keep].astype(int),
        "frauds": frauds[keep].astype(int),
        "mean predicted": mean_predicted,
        "observed rate": frauds[keep] / total[keep],
        "low": low,
        "high": high,
        "covers prediction": (low <= mean_predicted) & (mean_predicted <= high),
    })


def calibration_error_bars(ax, y_true, y_prob, n_bins=5, strategy="quantile", color=None, level=0.9):
    """Add binomial (Wilson) error bars to a reliability curve drawn by ``CalibrationDisplay``.

    Pass the same ``n_bins`` and ``strategy`` as to ``CalibrationDisplay``, so
    the bars sit on the display's points.

    Parameters
    ----------
    ax : matplotlib Axes
    y_true : array-like of shape (n_samples,)
    y_prob : array-like of shape (n_samples,)
        Predicted fraud probabilities, in [0, 1].
    n_bins : int, default=5
    strategy : {"quantile", "uniform"}, default="quantile"
    color : matplotlib colour, optional
    level : float, default=0.9

    Returns
    -------
    pandas.DataFrame
        The bins, as :func:`reliability_table` returns them.
    """
    table = reliability_table(y_true, y_prob, n_bins=n_bins, strategy=strategy, level=level)
    rate = table["observed rate"].to_numpy()
    below = np.clip(rate - table["low"].to_numpy(), 0.0, None)  # no negative rounding residues
    above = np.clip(table["high"].to_numpy() - rate, 0.0, None)
    ax.errorbar(table["mean predicted"], rate, yerr=[below, above], fmt="none", ecolor=color, capsize=3, alpha=0.8)
    return table


def bullets(items, intro=None):
    """Show measured sentences as a Markdown bullet list (empty items are skipped).

    Parameters
    ----------
    items : list of str
        One sentence (or a few) per bullet, usually f-strings built from
        measured values; ``""`` leaves a conditional bullet out.
    intro : str, optional
        A paragraph shown before the list.

    Returns
    -------
    IPython.display.Markdown
        Rendered when it is the last value of a cell.
    """
    from IPython.display import Markdown

    if isinstance(items, str) or not isinstance(items, (list, tuple)):
        raise ValueError(f"items must be a list of strings, got {type(items).__name__}")
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"every item must be a string, found {type(item).__name__}")
    lines = [f"- {item.strip()}" for item in items if item.strip()]
    text = "\n".join(lines)
    if intro:
        text = f"{intro.strip()}\n\n{text}"
    return Markdown(text)


# --------------------------------------------------------------------------- exercise validators


def validate_cost_function(answer, costs):
    """Exercise validator: a function ``answer(y_true, y_pred)`` returning cost per transaction.

    Parameters
    ----------
    answer : callable
        The learner's function.
    costs : DataFrame or array-like of shape (2, 2)
        The cost matrix the function should apply.

    Returns
    -------
    None or str
        ``None`` when right, else what is wrong.
    """
    if not callable(answer):
        return f"expected a function cost_per_transaction(y_true, y_pred), found {type(answer).__name__}"
    cases = [
        ([0, 0, 1, 1], [0, 1, 0, 1]),
        ([0] * 9 + [1], [0] * 10),
        ([0, 1, 0, 1, 0], [1, 1, 1, 1, 1]),
        ([0, 0, 0, 1], [0, 0, 0, 1]),
    ]
    for y_true, y_pred in cases:
        want = expected_cost(y_true, y_pred, costs)
        got = answer(np.array(y_true), np.array(y_pred))
        try:
            got = float(got)
        except (TypeError, ValueError):
            return f"your function returned {type(got).__name__}, expected a number"
        if not math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9):
            if math.isclose(got, want * len(y_true), rel_tol=1e-9):
                return (f"for y_true={y_true}, y_pred={y_pred} it returns the total cost {got:g};"
                        " divide by the number of transactions")
            return f"for y_true={y_true}, y_pred={y_pred} it returns {got:g}, expected {want:g}"
    return None


def validate_resampling_pipeline(answer, sampler=None, X=None, y=None, sampler_params=None):
    """Exercise validator: an imbalanced-learn ``Pipeline`` that resamples inside.

    Right when ``answer`` is an ``imblearn.pipeline.Pipeline`` whose steps are:
    something that prepares the raw columns, then a sampler (an object with
    ``fit_resample``), then a classifier as the last step.

    Parameters
    ----------
    answer : object
        The learner's pipeline.
    sampler : str, optional
        Class name the sampler must have, e.g. ``"RandomUnderSampler"``.
    X, y : optional
        When given, a clone of the pipeline is fitted on them and must return
        fraud probabilities (a smoke test that the steps fit together).
    sampler_params : dict, optional
        Parameters the sampler must have, e.g. ``{"sampling_strategy": 0.2}``.

    Returns
    -------
    None or str
        ``None`` when right, else what is wrong.
    """
    from imblearn.pipeline import Pipeline as ImbPipeline
    from sklearn.base import clone, is_classifier
    from sklearn.pipeline import Pipeline as SkPipeline

    if isinstance(answer, SkPipeline) and not isinstance(answer, ImbPipeline):
        return ("this is scikit-learn's Pipeline, which refuses samplers; use imblearn.pipeline.Pipeline"
                " (or imblearn.pipeline.make_pipeline)")
    if not isinstance(answer, ImbPipeline):
        return f"expected an imblearn.pipeline.Pipeline, found {type(answer).__name__}"
    steps = [step for _, step in answer.steps if step is not None and not isinstance(step, str)]
    samplers = [i for i, step in enumerate(steps) if hasattr(step, "fit_resample")]
    if not samplers:
        return "no sampler in the pipeline; add one (e.g. RandomUnderSampler(random_state=SEED)) as a step"
    if sampler is not None and not any(type(steps[i]).__name__ == sampler for i in samplers):
        found = ", ".join(type(steps[i]).__name__ for i in samplers)
        return f"expected a {sampler} step, found {found}"
    if sampler_params:
        found_params = steps[samplers[0]].get_params()
        for key, want in sampler_params.items():
            if key not in found_params:
                return f"the {type(steps[samplers[0]]).__name__} has no parameter {key!r}"
            if found_params[key] != want:
                return f"the sampler's {key} is {found_params[key]!r}, expected {want!r}"
    if samplers[0] == 0:
        return ("the sampler is the first step, so it would see the raw text columns; put the preprocessing"
                " (ColumnTransformer) before it")
    if samplers[-1] == len(steps) - 1:
        return "the sampler cannot be the last step; end with the classifier"
    if not is_classifier(steps[-1]):
        return f"the last step must be a classifier, found {type(steps[-1]).__name__}"
    if X is not None and y is not None:
        try:
            proba = clone(answer).fit(X, y).predict_proba(X)
        except Exception as error:  # the learner's pipeline may fail in any way
            return f"fitting your pipeline raised {type(error).__name__}: {error}"
        if np.asarray(proba).shape != (len(X), 2):
            return f"predict_proba returned shape {np.asarray(proba).shape}, expected ({len(X)}, 2)"
    return None
