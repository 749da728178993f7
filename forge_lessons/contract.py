"""Helpers for lesson 01, the estimator contract: API tables, errors, plots, self-checks.

The lesson keeps the scikit-learn calls it teaches in view (``fit``,
``Pipeline(...)``, ``check_estimator(...)``); this module carries the
plumbing around them:

- :func:`api_table` and :func:`fitted_attributes` show what an estimator
  offers and what ``fit`` stored;
- :func:`show_error` runs a call that is meant to fail and prints the
  exception without a traceback;
- :func:`show_source` prints a class's methods without their docstrings;
- :func:`check_summary` condenses the list returned by
  ``check_estimator(..., on_fail=None)``;
- :func:`plot_model_comparison` draws accuracy next to ROC AUC, and
  :func:`plot_rate_by_hour` the fraud share per hour of the day;
- ``validate_*`` functions are the exercises' self-checks: each returns
  ``None`` for a right answer, else a sentence saying what is wrong.
"""

import ast
import difflib
import inspect
import textwrap

import numpy as np
import pandas as pd

__all__ = [
    "API_METHODS",
    "api_table",
    "check_summary",
    "fitted_attributes",
    "plot_model_comparison",
    "plot_rate_by_hour",
    "show_error",
    "show_source",
    "validate_clipper",
    "validate_param_name",
    "validate_swapped_pipeline",
]

#: The methods of the estimator contract, in the order tables show them.
API_METHODS = ("fit", "transform", "fit_transform", "predict", "predict_proba", "decision_function", "score")


def api_table(estimators, methods=API_METHODS):
    """Tabulate which contract methods each estimator exposes.

    Uses ``hasattr``, which is how scikit-learn itself decides (a method can
    be hidden depending on parameters, e.g. ``SVC.predict_proba``).

    Parameters
    ----------
    estimators : dict of str -> estimator
        Name shown in the table -> estimator instance (fitted or not).
    methods : sequence of str
        Methods to look for.

    Returns
    -------
    pandas.DataFrame
        One row per estimator, one boolean column per method.
    """
    if not isinstance(estimators, dict) or not estimators:
        raise ValueError(
            f"estimators must be a non-empty dict of name -> estimator, found {type(estimators).__name__}"
        )
    if isinstance(methods, str):
        raise ValueError(f"methods must be a sequence of method names, found the string {methods!r}")
    rows = {name: {m: hasattr(est, m) for m in methods} for name, est in estimators.items()}
    table = pd.DataFrame.from_dict(rows, orient="index")[list(methods)]
    table.index.name = "estimator"
    return table


def _summary(value):
    """Short text for a fitted attribute's value."""
    if isinstance(value, np.ndarray):
        if value.size <= 4:
            return np.array2string(
                value, separator=", ", max_line_width=120, formatter={"float_kind": lambda v: f"{v:.4g}"}
            )
        return f"array of shape {value.shape}"
    if isinstance(value, (float, np.floating)):
        return f"{value:.4g}"
    if isinstance(value, (list, tuple)) and len(value) > 4:
        return f"{type(value).__name__} of {len(value)} items"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def fitted_attributes(estimator):
    """List what ``fit`` stored: public attributes whose names end with ``_``.

    Parameters
    ----------
    estimator : estimator instance
        Usually fitted; an unfitted estimator gives an empty table.

    Returns
    -------
    pandas.DataFrame
        Columns ``attribute``, ``type`` and ``value`` (short form: small
        arrays in full, larger ones as their shape).
    """
    if not hasattr(estimator, "get_params"):
        raise ValueError(f"expected a scikit-learn estimator, found {type(estimator).__name__}")
    rows = [
        {"attribute": name, "type": type(value).__name__, "value": _summary(value)}
        for name, value in sorted(vars(estimator).items())
        if name.endswith("_") and not name.startswith("_")
    ]
    return pd.DataFrame(rows, columns=["attribute", "type", "value"])


def show_error(func, *args, **kwargs):
    """Call ``func(*args, **kwargs)`` expecting an exception; print and return it.

    The exception's type and message are printed, then those of its causes
    (``raise ... from ...``). Lessons use this to show an error message without stopping the notebook
    and without a traceback (tracebacks carry file paths that differ between
    machines).

    Parameters
    ----------
    func : callable
    *args, **kwargs
        Passed to ``func``.

    Returns
    -------
    Exception or None
        The exception raised, or ``None`` when the call succeeded (then a
        line saying so is printed instead).
    """
    if not callable(func):
        raise ValueError(f"func must be callable, found {type(func).__name__}")
    try:
        func(*args, **kwargs)
    except Exception as error:  # the point is to show any error
        print(f"{type(error).__name__}: {str(error).strip()}")
        cause = error.__cause__
        while cause is not None:
            print(f"  caused by {type(cause).__name__}: {str(cause).strip()}")
            cause = cause.__cause__
        return error
    print(f"no error: {getattr(func, '__qualname__', func)!s} ran without raising")
    return None


def show_source(cls, methods=None, docstrings=False):
    """Print the source of a class's methods, by default without docstrings.

    Parameters
    ----------
    cls : class
    methods : sequence of str, optional
        Method names in the order to show; default: all, in source order.
    docstrings : bool
        Keep the docstrings.

    Returns
    -------
    str
        The printed source.
    """
    if not inspect.isclass(cls):
        raise ValueError(f"cls must be a class, found {type(cls).__name__}")
    source = textwrap.dedent(inspect.getsource(cls))
    tree = ast.parse(source)
    class_node = tree.body[0]
    lines = source.splitlines()
    found = {
        node.name: node
        for node in class_node.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    wanted = list(found) if methods is None else list(methods)
    missing = [m for m in wanted if m not in found]
    if missing:
        raise ValueError(f"{cls.__name__} defines no method(s) {missing}; it defines {sorted(found)}")
    chunks = []
    for name in wanted:
        node = found[name]
        start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
        keep = list(range(start, node.end_lineno))
        first = node.body[0]
        if (
            not docstrings
            and isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        ):
            dropped = set(range(first.lineno - 1, first.end_lineno))
            keep = [i for i in keep if i not in dropped]
        chunks.append("\n".join(lines[i] for i in keep))
    text = textwrap.dedent("\n\n".join(chunks))
    print(text)
    return text


def _first_line(error):
    """'Type: first line of the message' for an exception, '' for None."""
    if error is None:
        return ""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else '(no message)'}"


def _describe(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_purpose(check_name):
    """First line of a scikit-learn check's docstring ('' when it has none)."""
    from sklearn.utils import estimator_checks

    doc = getattr(getattr(estimator_checks, str(check_name), None), "__doc__", None) or ""
    lines = doc.strip().splitlines()
    return lines[0].strip() if lines else ""


def check_summary(results):
    """Condense the results of ``check_estimator(..., on_fail=None)``.

    Parameters
    ----------
    results : list of dict
        What :func:`sklearn.utils.estimator_checks.check_estimator` returns
        when ``on_fail`` is not ``"raise"``: one dict per check with at least
        ``check_name``, ``status`` and ``exception``.

    Returns
    -------
    pandas.DataFrame
        One row per distinct check that did not pass (``check``, ``status``,
        ``message``: the first line of the exception, or what the check tests
        when the exception has no message; ``runs``: how many times that check
        ended so, since scikit-learn runs some checks twice, e.g. once more on
        read-only data), in run order. Its ``attrs["counts"]`` holds the number
        of check runs per status.
    """
    if not isinstance(results, list) or not all(
        isinstance(r, dict) and {"check_name", "status", "exception"} <= set(r) for r in results
    ):
        raise ValueError(
            "results must be the list check_estimator(..., on_fail=None) returns"
            " (dicts with 'check_name', 'status', 'exception')"
        )
    counts = {}
    rows = {}
    for result in results:
        counts[result["status"]] = counts.get(result["status"], 0) + 1
        if result["status"] != "passed":
            message = _first_line(result["exception"])
            if message.endswith("(no message)"):
                purpose = _check_purpose(result["check_name"])
                if purpose:
                    message = message.replace("(no message)", f"(no message; the check: {purpose})")
            key = (result["check_name"], result["status"], message)
            rows[key] = rows.get(key, 0) + 1
    table = pd.DataFrame(
        [{"check": c, "status": st, "message": m, "runs": n} for (c, st, m), n in rows.items()],
        columns=["check", "status", "message", "runs"],
    )
    table.attrs["counts"] = counts
    return table


def plot_model_comparison(table, *, accuracy="accuracy", score="roc_auc", baseline=None, ax=None):
    """Two bar panels: accuracy (what ``score`` returns) and ROC AUC, per model.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per model (the index names the models) with columns
        ``accuracy`` and ``score``.
    accuracy, score : str
        Column names to plot.
    baseline : float, optional
        Accuracy of always predicting the majority class, drawn as a line.
    ax : sequence of two matplotlib Axes, optional

    Returns
    -------
    sequence of two matplotlib Axes
    """
    import matplotlib.pyplot as plt

    for column in (accuracy, score):
        if column not in getattr(table, "columns", ()):
            raise ValueError(
                f"table must have a column {column!r}; found columns {list(getattr(table, 'columns', []))}"
            )
    if ax is None:
        _, ax = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
    names = [str(n) for n in table.index]
    positions = np.arange(len(names))
    ax[0].barh(positions, table[accuracy], color="#9e9e9e")
    ax[0].set_xlim(min(0.9, float(table[accuracy].min()) - 0.01), 1.0)
    if baseline is not None:
        ax[0].axvline(baseline, color="#c62828", linestyle="--", label=f"never flag fraud: {baseline:.3f}")
        ax[0].legend(loc="lower left")
    ax[0].set_title("model.score(): accuracy")
    ax[0].set_xlabel("accuracy on the held-out quarter")
    ax[1].barh(positions, table[score], color="#1565c0")
    ax[1].axvline(0.5, color="#c62828", linestyle="--", label="chance: 0.5")
    ax[1].set_xlim(0.4, 1.0)
    ax[1].legend(loc="lower right")
    ax[1].set_title("ROC AUC (ranking of fraud scores)")
    ax[1].set_xlabel("ROC AUC on the held-out quarter")
    ax[0].set_yticks(positions, names)
    ax[0].set_ylabel("model")
    ax[0].invert_yaxis()
    for axis, column in ((ax[0], accuracy), (ax[1], score)):
        for y, value in zip(positions, table[column]):
            axis.text(value, y, f" {value:.3f}", va="center", fontsize=8)
    ax[0].figure.tight_layout()
    return ax


def plot_rate_by_hour(timestamps, y, *, night_hours=(0, 6), ax=None):
    """Bar chart of the positive share (e.g. fraud rate) per hour of the day.

    Parameters
    ----------
    timestamps : pandas Series of datetime64
        One timestamp per row.
    y : array-like of 0/1
        The labels, aligned with ``timestamps``.
    night_hours : tuple of two int
        ``(start, end)`` hours highlighted as night (``start <= hour < end``).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    if not pd.api.types.is_datetime64_any_dtype(getattr(timestamps, "dtype", None)):
        raise ValueError(
            f"timestamps must be a pandas Series of datetimes, found {type(timestamps).__name__}"
            f" of dtype {getattr(timestamps, 'dtype', None)}"
        )
    labels = np.asarray(y)
    if labels.shape != (len(timestamps),):
        raise ValueError(f"y must hold one label per timestamp ({len(timestamps)}), found shape {labels.shape}")
    hours = timestamps.dt.hour.to_numpy()
    rate = pd.Series(labels, dtype=float).groupby(hours).mean().reindex(range(24), fill_value=np.nan)
    start, end = night_hours
    is_night = [(start <= h < end) if start < end else (h >= start or h < end) for h in range(24)]
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.4))
    colors = ["#283593" if n else "#90a4ae" for n in is_night]
    ax.bar(range(24), rate.to_numpy(), color=colors)
    line = ax.axhline(labels.mean(), color="#c62828", linestyle="--", label=f"all hours: {labels.mean():.3f}")
    handles = [
        Patch(color="#283593", label=f"night ({start:02d}:00-{end:02d}:00)"),
        Patch(color="#90a4ae", label="rest of the day"),
        line,
    ]
    ax.set_xticks(range(0, 24, 2))
    ax.set_xlabel("hour of the day")
    ax.set_ylabel("fraud share")
    ax.set_title("Fraud share by hour of the day (training rows)")
    ax.legend(handles=handles, loc="upper right")
    ax.figure.tight_layout()
    return ax


# ------------------------------------------------------------------ exercises
def validate_clipper(answer, *, quantile=0.99, run_checks=True):
    """Self-check for the "make the broken transformer pass" exercise.

    The fixed transformer must be a class whose default instance clips each
    column at its ``quantile`` learned in ``fit`` and passes
    ``check_estimator``.

    Parameters
    ----------
    answer : class
        The learner's transformer class.
    quantile : float
        The default quantile the class must keep.
    run_checks : bool
        Run scikit-learn's estimator checks (a fraction of a second).

    Returns
    -------
    str or None
        ``None`` when right, else what is wrong.
    """
    if not inspect.isclass(answer):
        return f"expected a class (the fixed transformer), found {type(answer).__name__}"
    try:
        instance = answer()
    except Exception as error:
        return f"{answer.__name__}() raised {type(error).__name__}: {error}"
    params = instance.get_params() if hasattr(instance, "get_params") else {}
    if params.get("quantile") != quantile:
        return f"the default quantile should stay {quantile}, found {params.get('quantile')!r}"
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    expected = np.minimum(X, np.quantile(X, quantile, axis=0))
    fitted = instance.fit(X)
    if fitted is not instance:
        return f"fit should return self (the fitted transformer), it returned {_describe(fitted)}"
    found = np.asarray(instance.transform(X.copy()))
    if found.shape != X.shape or not np.allclose(found, expected):
        return f"transform should clip each column at its {quantile} quantile learned in fit"
    if run_checks:
        from sklearn.utils.estimator_checks import check_estimator

        failed = [r for r in check_estimator(answer(), on_fail=None, on_skip=None) if r["status"] == "failed"]
        if failed:
            first = failed[0]
            return (
                f"{len(failed)} of scikit-learn's checks still fail; the first is"
                f" {first['check_name']} ({_first_line(first['exception'])})"
            )
    return None


def validate_swapped_pipeline(answer, *, original, final_step_type, X_train):
    """Self-check for the "swap the final estimator" exercise.

    Parameters
    ----------
    answer : Pipeline
        The learner's new pipeline.
    original : Pipeline
        The lesson's pipeline, which must be left unchanged.
    final_step_type : type
        The estimator class the last step must now be.
    X_train : pandas.DataFrame
        The training rows; the new pipeline must be fitted on them.

    Returns
    -------
    str or None
    """
    from sklearn.exceptions import NotFittedError
    from sklearn.pipeline import Pipeline
    from sklearn.utils.validation import check_is_fitted

    if not isinstance(answer, Pipeline):
        return f"expected a Pipeline, found {type(answer).__name__}"
    if answer is original:
        return "that is the original pipeline itself; start from clone(...) so the original stays as it is"
    names = [name for name, _ in answer.steps]
    expected_names = [name for name, _ in original.steps]
    if names != expected_names:
        return f"keep the step names {expected_names}, found {names}"
    if isinstance(original.steps[-1][1], final_step_type):
        return (
            f"the original pipeline's last step became a {type(original.steps[-1][1]).__name__}:"
            " set_params on the original changes it in place; use clone(original).set_params(...)"
        )
    final = answer.steps[-1][1]
    if not isinstance(final, final_step_type):
        return f"the last step should be a {final_step_type.__name__}, found {type(final).__name__}"
    if answer.steps[0][1] is original.steps[0][1]:
        return "the preprocessing step is the very object of the original pipeline; clone the pipeline first"
    for name, step in answer.steps:
        if hasattr(step, "get_params"):
            try:
                check_is_fitted(step)
            except NotFittedError:
                return f"the step {name!r} of the new pipeline is not fitted yet; call .fit(X_train, y_train)"
    n_seen = getattr(answer.steps[0][1], "n_features_in_", None)
    if n_seen != X_train.shape[1]:
        return f"the pipeline saw {n_seen} input columns, expected the {X_train.shape[1]} columns of X_train"
    return _check_fitted_on(answer, X_train)


def _check_fitted_on(pipeline, X_train):
    """Compare the first fitted imputer's statistics with ones fitted on X_train."""
    from sklearn.base import clone
    from sklearn.impute import SimpleImputer

    for name, step in _walk(pipeline):
        if isinstance(step, SimpleImputer) and hasattr(step, "statistics_"):
            columns = getattr(step, "feature_names_in_", None)
            if columns is None or not set(columns) <= set(X_train.columns):
                continue
            reference = clone(step).fit(X_train[list(columns)])
            if not np.allclose(reference.statistics_, step.statistics_, equal_nan=True):
                return f"the step {name!r} was not fitted on X_train; fit the pipeline on the training rows only"
            return None
    return None


def _walk(estimator, prefix=""):
    """Yield (name, estimator) for an estimator and its fitted sub-estimators."""
    yield prefix or type(estimator).__name__, estimator
    children = []
    if hasattr(estimator, "steps"):
        children = estimator.steps
    elif hasattr(estimator, "named_transformers_"):
        children = list(estimator.named_transformers_.items())
    for name, child in children:
        if hasattr(child, "get_params"):
            yield from _walk(child, f"{prefix}__{name}" if prefix else name)


def validate_param_name(answer, *, estimator, step_type, param):
    """Self-check for "which ``set_params`` name reaches this nested parameter".

    Parameters
    ----------
    answer : str
        The learner's parameter name, e.g. ``"step__substep__param"``.
    estimator : estimator
        The pipeline whose ``get_params()`` holds the name.
    step_type : type
        Class of the nested step the name must reach.
    param : str
        Name of the parameter of that step.

    Returns
    -------
    str or None
    """
    if not isinstance(answer, str):
        return f"expected the parameter name as a string, found {type(answer).__name__}"
    params = estimator.get_params(deep=True)
    name = answer.strip()
    if name not in params:
        close = difflib.get_close_matches(name, list(params), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"{name!r} is not a parameter of this pipeline{hint}; names join step names with '__'"
    owner_name, _, leaf = name.rpartition("__")
    owner = params.get(owner_name)
    if leaf != param or not isinstance(owner, step_type):
        return (
            f"{name!r} exists but sets {leaf!r} of {type(owner).__name__ if owner is not None else 'the pipeline'},"
            f" not {param!r} of the {step_type.__name__}"
        )
    return None
