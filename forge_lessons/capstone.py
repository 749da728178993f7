"""Plumbing for the capstone lesson (``08_reproducible_production``).

The lesson keeps the scikit-learn calls it teaches in the notebook
(``KMeans(...)``, ``ColumnTransformer(...)``, ``HalvingGridSearchCV(...)``,
``TunedThresholdClassifierCV(...)``); this module carries what would
otherwise clutter it:

- the container: :func:`dockerfile_instructions`, :func:`dockerfile_pins` and
  :func:`check_dockerfile`, which compares the repository's ``Dockerfile``
  with ``requirements-lock.txt`` (its pins may not drift from the lock);
- the default-change experiment: :func:`customer_profile` (one row of
  behaviour features per customer) and :func:`compare_segmentations`
  (how many customers change segment between two clusterings, whatever the
  clusters are numbered);
- the production side: :func:`prediction_rows` (a batch for the SQL
  prediction log of lesson 07) and :func:`scores_by_version` (ROC AUC per
  model version, with a bootstrap standard error, from the logged rows);
- the uncertainty of a difference between two models scored on the same rows:
  :func:`paired_bootstrap`, and how to write a change with its error
  (:func:`plus_minus`);
- the figures: :func:`plot_inertia_runs`, :func:`plot_dev_vs_prod`,
  :func:`plot_attribution` (where the gap between development and production
  comes from, with error bars);
- the exercises' self-checks: :func:`validate_altered_model`.
"""

import numbers
import re
import shlex
from pathlib import Path

import numpy as np
import pandas as pd

from .course import REPO_ROOT
from .environment import LOCK_FILE, PYTHON_VERSION, normalize, read_lock
from .experiments import _bootstrap_setup, _stratified_resamples, bootstrap_score, plot_waterfall

__all__ = [
    "DOCKERFILE",
    "check_dockerfile",
    "compare_segmentations",
    "customer_profile",
    "dockerfile_instructions",
    "dockerfile_pins",
    "dockerfile_problems",
    "paired_bootstrap",
    "plot_attribution",
    "plot_dev_vs_prod",
    "plot_inertia_runs",
    "plus_minus",
    "prediction_rows",
    "scores_by_version",
    "validate_altered_model",
]

#: The repository's container recipe.
DOCKERFILE = REPO_ROOT / "Dockerfile"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.\-]*)(\[[^\]]*\])?(===?)([^\s;,]+)$")


# --------------------------------------------------------------------------- the Dockerfile


def _dockerfile_text(path, text):
    """The text of a Dockerfile: ``text`` when given, else the file at ``path``."""
    if text is not None:
        if not isinstance(text, str):
            raise TypeError(f"text must be the Dockerfile's text (a string), got {type(text).__name__}")
        return text
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no Dockerfile at {path}")
    return path.read_text(encoding="utf-8")


def dockerfile_instructions(path=DOCKERFILE, *, text=None):
    """Split a Dockerfile into ``(INSTRUCTION, arguments)`` pairs.

    Comment lines are dropped and lines continued with a trailing backslash
    are joined, as Docker reads them.

    Parameters
    ----------
    path : path-like
        The Dockerfile; default: the repository's.
    text : str, optional
        The Dockerfile's text, read instead of ``path``.

    Returns
    -------
    list of tuple of str
        E.g. ``[("FROM", "python:3.11-slim"), ("RUN", "pip install ...")]``.
    """
    text = _dockerfile_text(path, text)
    instructions, current = [], ""
    for raw in text.splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if current and line.startswith("#"):
            continue  # comments inside a continued instruction are skipped by Docker too
        if line.endswith("\\"):
            current += line[:-1].strip() + " "
            continue
        current += line
        keyword, _, arguments = current.strip().partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        current = ""
    if current.strip():
        keyword, _, arguments = current.strip().partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def _run_tokens(arguments):
    if arguments.startswith("["):
        import json

        try:
            return [str(token) for token in json.loads(arguments)]
        except ValueError:
            pass
    try:
        return shlex.split(arguments)
    except ValueError:
        return arguments.split()


def dockerfile_pins(path=DOCKERFILE, *, text=None):
    """Every ``name==version`` the Dockerfile's ``RUN`` instructions install.

    Parameters
    ----------
    path : path-like
    text : str, optional
        The Dockerfile's text, read instead of ``path``.

    Returns
    -------
    dict
        Normalised package name -> version, e.g. ``{"scikit-learn": "1.9.1"}``.
    """
    pins = {}
    for keyword, arguments in dockerfile_instructions(path, text=text):
        if keyword != "RUN":
            continue
        for token in _run_tokens(arguments):
            match = _PIN.match(token.strip("'\""))
            if match:
                pins[normalize(match.group(1))] = match.group(4)
    return pins


def _pip_installs(arguments):
    """The package arguments of every ``pip install`` in one RUN instruction."""
    found = []
    for command in re.split(r"&&|;|\|\|", arguments):
        tokens = _run_tokens(command.strip())
        for i, token in enumerate(tokens):
            if token == "install" and i > 0 and tokens[i - 1] in ("pip", "pip3") or (
                token == "install" and i > 1 and tokens[i - 2:i] == ["-m", "pip"]
            ):
                found.append(tokens[i + 1:])
    return found


def check_dockerfile(path=DOCKERFILE, lock_path=LOCK_FILE, *, text=None):
    """Check that a Dockerfile builds the course environment from the lock, and nothing else.

    Parameters
    ----------
    path : path-like
        The Dockerfile; default: the repository's.
    lock_path : path-like
        The pip lock; default: ``requirements-lock.txt``.
    text : str, optional
        The Dockerfile's text, read instead of ``path``.

    Returns
    -------
    pandas.DataFrame
        One row per check: ``check``, ``ok`` (bool) and ``detail``.
    """
    instructions = dockerfile_instructions(path, text=text)
    lock = read_lock(lock_path)
    rows = []

    def add(check, ok, detail):
        rows.append({"check": check, "ok": bool(ok), "detail": detail})

    images = [
        next((token for token in arguments.split() if not token.startswith("--")), "")
        for keyword, arguments in instructions
        if keyword == "FROM"
    ]
    wanted = ".".join(map(str, PYTHON_VERSION))
    final = images[-1] if images else ""
    tag = final.split("@")[0].rpartition(":")[2] if ":" in final.split("@")[0] else ""
    base_ok = final.split("/")[-1].startswith("python:") and (tag == wanted or tag.startswith(wanted + ".") or tag.startswith(wanted + "-"))
    add(f"base image is Python {wanted}", base_ok, final or "no FROM instruction")

    copies_lock = any(keyword in ("COPY", "ADD") and "requirements-lock.txt" in arguments for keyword, arguments in instructions)
    installs = [args for keyword, arguments in instructions if keyword == "RUN" for args in _pip_installs(arguments)]
    from_lock = any("-r" in args and "requirements-lock.txt" in args for args in installs) or any(
        "--requirement" in args and "requirements-lock.txt" in args for args in installs
    )
    add("installs requirements-lock.txt", copies_lock and from_lock,
        "COPY requirements-lock.txt, then pip install -r requirements-lock.txt" if copies_lock and from_lock
        else "expected COPY requirements-lock.txt and RUN pip install -r requirements-lock.txt")

    package_args = next((args for args in installs if "--no-deps" in args and "-e" in args and "." in args), None)
    add("installs the course package without dependencies", package_args is not None,
        "pip install " + " ".join(package_args) if package_args is not None else "expected RUN pip install --no-deps -e .")

    pins = dockerfile_pins(path, text=text)
    drift = {name: (version, lock.get(name)) for name, version in pins.items() if lock.get(name) != version}
    if not pins:
        detail = "no explicit pins: every version comes from the lock"
    elif not drift:
        detail = f"{len(pins)} explicit pin(s), all equal to the lock"
    else:
        detail = "; ".join(f"{name}=={found} (lock: {locked or 'not in the lock'})" for name, (found, locked) in sorted(drift.items()))
    add("every pin equals the lock", not drift, detail)

    loose = []
    for args in installs:
        skip_next = False
        for token in args:
            if skip_next:
                skip_next = False
                continue
            if token in ("-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url"):
                skip_next = True
                continue
            if token.startswith("-") or token in (".", "./") or _PIN.match(token.strip("'\"")):
                continue
            loose.append(token)
    add("no unpinned package installs", not loose,
        "none" if not loose else f"installed without an exact version: {sorted(set(loose))}")

    commands = [arguments for keyword, arguments in instructions if keyword in ("CMD", "ENTRYPOINT")]
    runs_course = bool(commands) and "forge_lessons" in commands[-1] and "run" in _run_tokens(commands[-1])
    add("default command runs the course", runs_course, commands[-1] if commands else "no CMD")
    return pd.DataFrame(rows)


def dockerfile_problems(path=DOCKERFILE, lock_path=LOCK_FILE, *, text=None):
    """The failed checks of :func:`check_dockerfile`, as sentences (empty when all pass).

    Returns
    -------
    list of str
    """
    table = check_dockerfile(path, lock_path, text=text)
    return [f"{row.check}: {row.detail}" for row in table.itertuples(index=False) if not row.ok]


# --------------------------------------------------------------------------- customer segments


PROFILE_COLUMNS = (
    "log_transactions",
    "log_median_amount",
    "online_share",
    "night_share",
    "far_from_home_share",
    "tenure_years",
)


def customer_profile(frame):
    """One row per customer: how, when and where they pay.

    Parameters
    ----------
    frame : pandas.DataFrame
        Transactions with ``customer_id``, ``timestamp``, ``amount``,
        ``channel``, ``distance_from_home_km`` and ``customer_tenure_days``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id``, columns :data:`PROFILE_COLUMNS`:
        log of the number of transactions, log of the median amount, share
        of online payments, share at night (0-6 h), share more than 100 km
        from home (unknown distance counts as near), and the longest tenure
        in years (a missing tenure is replaced by the median).
    """
    needed = ["customer_id", "timestamp", "amount", "channel", "distance_from_home_km", "customer_tenure_days"]
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a DataFrame of transactions, got {type(frame).__name__}")
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks column(s) {missing}; found {list(frame.columns)}")
    if frame.empty:
        raise ValueError("frame has no transactions")
    work = pd.DataFrame(
        {
            "customer_id": frame["customer_id"].to_numpy(),
            "amount": frame["amount"].to_numpy(dtype=float),
            "online": (frame["channel"] == "online").to_numpy(dtype=float),
            "night": (pd.to_datetime(frame["timestamp"]).dt.hour < 6).to_numpy(dtype=float),
            "far": (frame["distance_from_home_km"] > 100).to_numpy(dtype=float),
            "tenure": frame["customer_tenure_days"].to_numpy(dtype=float),
        }
    )
    grouped = work.groupby("customer_id", sort=True)
    profile = pd.DataFrame(
        {
            "log_transactions": np.log(grouped.size()),
            "log_median_amount": np.log(grouped["amount"].median().clip(lower=0.01)),
            "online_share": grouped["online"].mean(),
            "night_share": grouped["night"].mean(),
            "far_from_home_share": grouped["far"].mean(),
            "tenure_years": grouped["tenure"].max() / 365.25,
        }
    )
    profile["tenure_years"] = profile["tenure_years"].fillna(profile["tenure_years"].median())
    return profile


def compare_segmentations(labels_a, labels_b, *, names=("first run", "second run")):
    """How many items change segment between two clusterings of the same items.

    Cluster numbers are arbitrary (segment 2 of one run may be segment 0 of
    another), so the segments of ``labels_b`` are first matched one to one
    with those of ``labels_a`` so as to keep as many items as possible in
    place (the Hungarian algorithm on the contingency table). Items outside
    the matched pairs changed segment.

    Parameters
    ----------
    labels_a, labels_b : array-like of shape (n_items,)
    names : tuple of two str, default=("first run", "second run")
        What the two clusterings are called in the table's axis names.

    Returns
    -------
    dict
        ``changed`` (int), ``share`` (float), ``mapping`` (``{label in b:
        matching label in a}``) and ``table`` (the contingency table, rows
        ``labels_a``, columns ``labels_b`` renamed to their match and sorted,
        so that the diagonal holds the items that kept their segment).
    """
    from scipy.optimize import linear_sum_assignment

    a, b = np.asarray(labels_a), np.asarray(labels_b)
    if a.ndim != 1 or b.ndim != 1:
        raise ValueError(f"labels must be one-dimensional, got shapes {a.shape} and {b.shape}")
    if len(a) != len(b):
        raise ValueError(f"the two labelings must cover the same items: {len(a)} versus {len(b)} labels")
    if len(a) == 0:
        raise ValueError("the labelings are empty")
    if not (isinstance(names, (tuple, list)) and len(names) == 2 and all(isinstance(n, str) for n in names)):
        raise ValueError(f"names must be two strings (first clustering, second clustering), got {names!r}")
    table = pd.crosstab(pd.Series(a, name=f"segment ({names[0]})"), pd.Series(b, name=f"segment ({names[1]})"))
    rows, cols = linear_sum_assignment(-table.to_numpy())
    kept = int(table.to_numpy()[rows, cols].sum())
    mapping = {table.columns[c]: table.index[r] for r, c in zip(rows, cols)}
    unmatched = [label for label in table.columns if label not in mapping]
    renamed = table.rename(columns=lambda label: mapping.get(label, label))
    if not unmatched:  # every segment of b has a partner in a: order the columns like the rows
        renamed = renamed.reindex(columns=[label for label in table.index if label in set(renamed.columns)])
    changed = len(a) - kept
    return {"changed": changed, "share": changed / len(a), "mapping": mapping, "table": renamed}


# --------------------------------------------------------------------------- production


def prediction_rows(ids, *, model_version, probability, decision, feature_hash, created_at):
    """A batch for the prediction log (:func:`forge_lessons.tracking.log_predictions`).

    Parameters
    ----------
    ids : array-like of shape (n,)
        The scored entities (e.g. transaction ids).
    model_version : str
    probability : array-like of shape (n,)
        Fraud probabilities.
    decision : array-like of shape (n,)
        0 (let through) or 1 (flagged).
    feature_hash : str
        From :func:`forge_lessons.persistence.feature_hash`.
    created_at : array-like of shape (n,)
        When each prediction was made.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`forge_lessons.tracking.PREDICTION_COLUMNS`.
    """
    ids = np.asarray(ids)
    n = len(ids)
    columns = {"probability": probability, "decision": decision, "created_at": created_at}
    for name, values in columns.items():
        if len(values) != n:
            raise ValueError(f"{name} has {len(values)} values but there are {n} ids")
    if not isinstance(model_version, str) or not model_version:
        raise ValueError(f"model_version must be a non-empty string, got {model_version!r}")
    if not isinstance(feature_hash, str) or not feature_hash:
        raise ValueError(f"feature_hash must be a non-empty string, got {feature_hash!r}")
    return pd.DataFrame(
        {
            "entity_id": ids.astype(str),
            "model_version": model_version,
            "prediction_value": np.asarray(decision).astype(int),
            "probability_score": np.asarray(probability, dtype=float),
            "feature_hash": feature_hash,
            "created_at": pd.to_datetime(np.asarray(created_at)),
        }
    )


def scores_by_version(rows, *, n_boot=200, random_state=0):
    """ROC AUC per model version from logged predictions joined with outcomes.

    Parameters
    ----------
    rows : pandas.DataFrame
        The output of :func:`forge_lessons.tracking.backtest_rows` (columns
        ``model_version``, ``probability_score``, ``label``).
    n_boot : int, default=200
        Bootstrap resamples for the standard error
        (:func:`forge_lessons.experiments.bootstrap_score`).
    random_state : int, default=0

    Returns
    -------
    pandas.DataFrame
        Indexed by ``model_version``: ``n``, ``frauds``, ``roc_auc``, ``se``.
    """
    needed = {"model_version", "probability_score", "label"}
    if not isinstance(rows, pd.DataFrame) or not needed <= set(rows.columns):
        found = list(rows.columns) if isinstance(rows, pd.DataFrame) else type(rows).__name__
        raise ValueError(f"expected the rows of tracking.backtest_rows() with columns {sorted(needed)}, found {found}")
    if rows.empty:
        raise ValueError("no logged prediction has an outcome yet")
    table = {}
    for version, group in rows.groupby("model_version", sort=True):
        labels = group["label"].to_numpy(dtype=int)
        if labels.min() == labels.max():
            raise ValueError(f"model version {version!r}: the outcomes hold one class only; ROC AUC needs both")
        result = bootstrap_score(labels, group["probability_score"].to_numpy(dtype=float), n_boot=n_boot,
                                 random_state=random_state)
        table[version] = {"n": len(group), "frauds": int(labels.sum()), "roc_auc": result["score"], "se": result["se"]}
    frame = pd.DataFrame.from_dict(table, orient="index")
    frame.index.name = "model_version"
    return frame


def paired_bootstrap(y_true, values_a, values_b, *, metric="roc_auc", n_boot=200, random_state=0):
    """A difference between two models scored on the same rows, with its paired bootstrap standard error.

    Both models are evaluated on the same resamples, so the noise they share
    (which rows happen to be in the sample) cancels out of the difference.
    Positives and negatives are resampled separately, as in
    :func:`forge_lessons.experiments.bootstrap_score`.

    Parameters
    ----------
    y_true : array-like of 0/1
    values_a, values_b : array-like of shape (n,)
        What each model produced for the same rows: scores for ROC AUC,
        decisions for a cost.
    metric : "roc_auc" or callable, default="roc_auc"
        ``metric(y_true, values) -> float``.
    n_boot : int, default=200
    random_state : int, default=0

    Returns
    -------
    dict
        ``a`` and ``b`` (the metric of each on all rows), ``difference``
        (``a - b``) and ``se`` (standard deviation of the resampled
        differences).
    """
    y = np.asarray(y_true)
    a, b = np.asarray(values_a), np.asarray(values_b)
    if y.ndim != 1 or a.shape != y.shape or b.shape != y.shape:
        raise ValueError(
            f"y_true, values_a and values_b must be 1-D and of the same length, got shapes {y.shape}, {a.shape}, {b.shape}"
        )
    metric = _bootstrap_setup(y, metric, n_boot)
    differences = np.array(
        [metric(y[idx], a[idx]) - metric(y[idx], b[idx]) for idx in _stratified_resamples(y, n_boot, random_state)]
    )
    score_a, score_b = float(metric(y, a)), float(metric(y, b))
    return {"a": score_a, "b": score_b, "difference": score_a - score_b, "se": float(differences.std(ddof=1))}


def plus_minus(value, se, *, decimals=3):
    """A change with its standard error, flagged when it is within two standard errors of zero.

    Parameters
    ----------
    value : float
        A measured change (e.g. of ROC AUC).
    se : float
        Its standard error (> 0).
    decimals : int, default=3

    Returns
    -------
    str
        E.g. ``"+0.144 ± 0.020"``, or ``"+0.004 ± 0.036, within two standard
        errors of zero: it could be noise"``.
    """
    for name, number in (("value", value), ("se", se)):
        if isinstance(number, bool) or not isinstance(number, numbers.Real) or not np.isfinite(number):
            raise ValueError(f"{name} must be a finite number, got {number!r}")
    if se <= 0:
        raise ValueError(f"se must be > 0, got {se!r}")
    text = f"{value:+.{decimals}f} ± {se:.{decimals}f}"
    return text if abs(value) >= 2 * se else text + ", within two standard errors of zero: it could be noise"


# --------------------------------------------------------------------------- figures


def plot_inertia_runs(single_run_inertias, marks, ax=None, *, title=None):
    """Histogram of the inertia of single k-means runs, with reference lines.

    Parameters
    ----------
    single_run_inertias : array-like
        Inertia of k-means runs with one initialisation each (different seeds).
    marks : dict
        ``{label: inertia}`` drawn as vertical lines (e.g. ``n_init=10`` and
        ``n_init="auto"``).
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt

    values = np.asarray(single_run_inertias, dtype=float)
    if values.ndim != 1 or values.size == 0 or not np.all(np.isfinite(values)):
        raise ValueError("single_run_inertias must be a non-empty 1-D array of finite numbers")
    if not isinstance(marks, dict) or not marks:
        raise ValueError("marks must be a non-empty dict {label: inertia}")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 3.6))
    ax.hist(values, bins=min(20, max(5, values.size // 2)), color="#9e9e9e", label=f"{values.size} single runs")
    styles = ["-", "--", ":", "-."]
    colors = ["#c62828", "#1565c0", "#2e7d32", "#6a1b9a"]
    for i, (label, value) in enumerate(marks.items()):
        ax.axvline(float(value), color=colors[i % 4], linestyle=styles[i % 4], linewidth=2, label=f"{label}: {value:,.0f}")
    ax.set_xlabel("inertia (sum of squared distances to the centres; lower is better)")
    ax.set_ylabel("number of runs")
    ax.set_title(title or "One initialisation is a lottery ticket")
    ax.legend(fontsize=8)
    return ax


def plot_dev_vs_prod(table, ax=None, *, title="Development estimate versus production reality", ylabel="ROC AUC"):
    """Grouped bars: each workflow's development estimate and production score, ±1 standard error.

    Parameters
    ----------
    table : pandas.DataFrame
        Indexed by workflow, columns ``dev_estimate``, ``dev_se``,
        ``production``, ``production_se``.
    ax : matplotlib Axes, optional
    title, ylabel : str

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt

    needed = {"dev_estimate", "dev_se", "production", "production_se"}
    if not isinstance(table, pd.DataFrame) or not needed <= set(table.columns):
        found = list(table.columns) if isinstance(table, pd.DataFrame) else type(table).__name__
        raise ValueError(f"table needs columns {sorted(needed)}, found {found}")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 3.8))
    x = np.arange(len(table))
    width = 0.36
    bars = [
        ("development estimate", "dev_estimate", "dev_se", -width / 2, "#1565c0"),
        ("production (from the SQL log)", "production", "production_se", width / 2, "#ef6c00"),
    ]
    for label, column, se, offset, color in bars:
        values = table[column].to_numpy(dtype=float)
        ax.bar(x + offset, values - 0.5, width, bottom=0.5, yerr=table[se].to_numpy(dtype=float),
               capsize=4, color=color, label=label)
        for xi, value in zip(x + offset, values):
            ax.text(xi, 0.515, f"{value:.3f}", ha="center", va="bottom", fontsize=9, color="white", fontweight="bold")
    ax.axhline(0.5, color="#424242", linewidth=1)
    ax.set_xticks(x)
    ax.set_xticklabels([str(name) for name in table.index])
    ax.set_ylim(0.5, min(1.05, float(np.nanmax(table[["dev_estimate", "production"]].to_numpy())) + 0.08))
    ax.set_xlabel("workflow")
    ax.set_ylabel(f"{ylabel} (0.5 = chance)")
    ax.set_title(title)
    ax.legend(loc="upper right", fontsize=8)
    return ax


def plot_attribution(table, se=None, ax=None, *, labels=None, title="Where the gap comes from", ylabel="ROC AUC"):
    """A waterfall of measured scores with ±1 standard error on each step.

    Draws :func:`forge_lessons.experiments.plot_waterfall`, adds an error bar
    at the end of every step whose standard error is given, and moves each
    value label above its bar and error bar.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`forge_lessons.experiments.waterfall_table`.
    se : dict, optional
        ``{stage: standard error of that step}``; stages left out get no bar.
    ax : matplotlib Axes, optional
    labels : dict, optional
        ``{stage: short tick label}`` (may contain line breaks); the ticks
        are then drawn horizontally. Stages left out keep their name.
    title, ylabel : str

    Returns
    -------
    matplotlib Axes
    """
    se = {} if se is None else se
    if not isinstance(se, dict):
        raise ValueError(f"se must be a dict {{stage: standard error}}, got {type(se).__name__}")
    if labels is not None and not isinstance(labels, dict):
        raise ValueError(f"labels must be a dict {{stage: tick label}}, got {type(labels).__name__}")
    if isinstance(table, pd.DataFrame) and "stage" in table.columns:
        for name, given in (("se", se), ("labels", labels or {})):
            unknown = sorted(set(given) - set(table["stage"]))
            if unknown:
                raise ValueError(f"{name} names stage(s) {unknown} that are not in the table; stages: {list(table['stage'])}")
    n_texts = len(ax.texts) if ax is not None else 0
    ax = plot_waterfall(table, ax=ax, title=title, ylabel=ylabel)
    value_labels = list(ax.texts)[n_texts:]  # plot_waterfall writes one value label per row, in order
    bottom, top = ax.get_ylim()
    offset = 0.01 * (top - bottom)
    highest = top
    previous = None
    for i, row in enumerate(table.itertuples(index=False)):
        upper = row.score if previous is None or row.kind == "total" else max(previous, row.score)
        if row.stage in se and np.isfinite(se[row.stage]):
            ax.errorbar(i, row.score, yerr=float(se[row.stage]), color="#212121", capsize=3, linewidth=1.2)
            upper = max(upper, row.score + float(se[row.stage]))
        if len(value_labels) == len(table):
            value_labels[i].set_position((i, upper + offset))
        highest = max(highest, upper + 6 * offset)
        previous = row.score
    ax.set_ylim(bottom, highest)
    if labels:
        ax.set_xticks(range(len(table)))
        ax.set_xticklabels([labels.get(stage, stage) for stage in table["stage"]], rotation=0, ha="center", fontsize=8)
    ax.set_xlabel("measured score, then each change of the score (error bar: ±1 standard error of the change)")
    return ax


# --------------------------------------------------------------------------- exercises


def _walk(estimator):
    yield estimator
    children = []
    for attribute in ("estimator_", "estimator"):
        child = getattr(estimator, attribute, None)
        if child is not None and hasattr(child, "get_params"):
            children.append(child)
            break
    if hasattr(estimator, "steps"):
        children = [step for _, step in estimator.steps]
    elif hasattr(estimator, "transformers_"):
        children = [step for _, step, _ in estimator.transformers_]
    elif hasattr(estimator, "transformers"):
        children = [step for _, step, _ in estimator.transformers]
    for child in children:
        if hasattr(child, "get_params"):
            yield from _walk(child)


def validate_altered_model(golden, strategy="mean"):
    """Self-check for "retrain with another imputation strategy and run the golden check".

    Parameters
    ----------
    golden : GoldenSet
        The approved model's golden set.
    strategy : str
        The imputation strategy the learner must switch to.

    Returns
    -------
    callable
        ``validate(answer)`` -> ``None`` when ``answer`` is a fitted model
        whose numeric imputation uses ``strategy`` and which scores the golden
        inputs, else a sentence saying what is wrong.
    """
    from sklearn.impute import SimpleImputer
    from sklearn.utils.validation import check_is_fitted

    from .golden import GoldenSet, check_golden_set

    if not isinstance(golden, GoldenSet):
        raise TypeError(f"golden must be a GoldenSet, got {type(golden).__name__}")

    def validate(answer):
        if not hasattr(answer, "predict_proba"):
            return f"expected a fitted classifier with predict_proba, found {type(answer).__name__}"
        try:
            check_is_fitted(answer)
        except Exception:
            return "the model is not fitted yet: call .fit(X_dev, y_dev) (with groups= if it needs them)"
        imputers = [step for step in _walk(answer) if isinstance(step, SimpleImputer)]
        if not imputers:
            return "no SimpleImputer found in the model: build it with build_pipeline(impute=...)"
        strategies = sorted({imputer.strategy for imputer in imputers})
        if strategy not in strategies:
            return f"the imputer uses strategy {strategies}, expected {strategy!r}"
        report = check_golden_set(answer, golden)
        if report.error:
            return f"the model cannot score the golden inputs: {report.error}"
        return None

    return validate
