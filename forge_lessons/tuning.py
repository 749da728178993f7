"""Helpers for lesson 05, hyper-parameter tuning: cost, frontiers, Dask, self-checks.

The lesson keeps the scikit-learn calls it teaches in view
(``GridSearchCV(...)``, ``RandomizedSearchCV(...)``, ``HalvingGridSearchCV(...)``,
``search.fit(...)``, ``cross_val_score(...)``); this module carries the
plumbing around them:

- :func:`count_fits`, :func:`compute_seconds` and :class:`Stopwatch` count
  what a search costs; :func:`warm_up_workers` starts joblib's workers
  before anything is timed;
- :func:`results_table` turns ``cv_results_`` into a short, rounded table and
  :func:`search_summary` condenses a finished search into one frontier row;
- :class:`CandidateScorer` and :func:`budget_frontier` score sub-searches
  drawn from one randomized search on the untouched test set (the
  score-versus-cost frontier); :func:`expected_best_of_k` quantifies the
  winner's curse;
- :func:`chance_in_top` and :func:`trials_needed` are the "60 random trials"
  arithmetic;
- :func:`dask_client` starts (and always closes) a local Dask cluster or
  connects to a scheduler, failing within seconds with a clear message when
  the address is wrong; :func:`same_search_results` compares two searches;
- ``plot_*`` are one-line plots; ``validate_*`` are the exercises'
  self-checks: each returns a function that gives ``None`` for a right
  answer, else a sentence saying what is wrong.
"""

import contextlib
import math
import re
import time

import numpy as np
import pandas as pd

__all__ = [
    "CandidateScorer",
    "SchedulerUnreachableError",
    "Stopwatch",
    "budget_frontier",
    "chance_in_top",
    "compute_seconds",
    "count_fits",
    "dask_client",
    "describe_client",
    "expected_best_of_k",
    "n_fits",
    "parse_scheduler_address",
    "plot_cost_growth",
    "plot_frontier",
    "plot_winners_curse",
    "results_table",
    "same_search_results",
    "search_summary",
    "trials_needed",
    "validate_fit_count",
    "validate_search",
    "validate_trials_needed",
    "warm_up_workers",
]

#: Splitters that keep every customer on one side of each split.
GROUP_SPLITTERS = (
    "GroupKFold",
    "StratifiedGroupKFold",
    "GroupShuffleSplit",
    "LeaveOneGroupOut",
    "LeavePGroupsOut",
)


# ------------------------------------------------------------------ counting
def _check_splits(n_splits):
    if isinstance(n_splits, bool) or not isinstance(n_splits, (int, np.integer)) or n_splits < 2:
        raise ValueError(f"n_splits must be an integer of at least 2, got {n_splits!r}")
    return int(n_splits)


def count_fits(param_grid, n_splits, refit=True):
    """Number of ``fit`` calls an exhaustive grid search makes.

    Parameters
    ----------
    param_grid : dict or list of dict
        The grid as given to ``GridSearchCV``.
    n_splits : int
        Number of cross-validation folds (at least 2).
    refit : bool
        Whether the best candidate is refitted on all training rows (one
        more fit).

    Returns
    -------
    int
        ``candidates × folds (+ 1)``.
    """
    from sklearn.model_selection import ParameterGrid

    n_splits = _check_splits(n_splits)
    if not isinstance(param_grid, (dict, list, tuple)):
        raise TypeError(f"param_grid must be a dict or a list of dicts, found {type(param_grid).__name__}")
    candidates = len(ParameterGrid(param_grid))
    return candidates * n_splits + (1 if refit else 0)


def _check_search(search):
    results = getattr(search, "cv_results_", None)
    if not isinstance(results, dict):
        raise ValueError(
            f"expected a fitted search (GridSearchCV, RandomizedSearchCV, ...) with cv_results_,"
            f" found {type(search).__name__} without them; call .fit(...) first"
        )
    return results


def _n_splits(results):
    return sum(1 for key in results if re.fullmatch(r"split\d+_test_score", key))


def compute_seconds(search):
    """Single-core seconds a finished search spent fitting and scoring.

    Sums ``(mean_fit_time + mean_score_time) × folds`` over all evaluated
    candidates (for successive halving: over all iterations). Unlike wall
    time this does not depend on ``n_jobs``; it excludes the final refit.

    Parameters
    ----------
    search : fitted BaseSearchCV

    Returns
    -------
    float
    """
    results = _check_search(search)
    per_candidate = np.asarray(results["mean_fit_time"]) + np.asarray(results["mean_score_time"])
    return float(per_candidate.sum() * _n_splits(results))


def n_fits(search):
    """Number of fits a finished search made.

    Parameters
    ----------
    search : fitted BaseSearchCV

    Returns
    -------
    int
        Evaluated candidates (all successive-halving iterations included)
        × folds, plus one for the refit when ``refit`` is set.
    """
    results = _check_search(search)
    refit = 1 if getattr(search, "refit", False) else 0
    return len(results["params"]) * _n_splits(results) + refit


class Stopwatch:
    """Wall-clock timer for a ``with`` block.

    Examples
    --------
    >>> with Stopwatch() as watch:
    ...     total = sum(range(1000))
    >>> watch.seconds >= 0
    True
    """

    def __init__(self):
        self.seconds = None
        self._start = None

    def __enter__(self):
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self._start
        return False


_WARM_MODULES = ("numpy", "pandas", "sklearn.compose", "sklearn.linear_model", "sklearn.pipeline",
                 "sklearn.preprocessing", "sklearn.model_selection")


def _import_modules(names):
    import importlib
    import os

    for name in names:
        importlib.import_module(name)
    return os.getpid()


def warm_up_workers(n_jobs):
    """Start joblib's worker processes and import scikit-learn in them.

    The first parallel call of a session pays for starting the workers and
    importing the libraries in each of them. Call this before timing
    anything, so that the first search timed is not charged for it.

    Parameters
    ----------
    n_jobs : int
        As given to the searches (``-1``: all cores; ``1``: nothing to do).

    Returns
    -------
    int
        Number of distinct worker processes that answered.
    """
    from joblib import Parallel, delayed

    if isinstance(n_jobs, bool) or not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0 or n_jobs < -1:
        raise ValueError(f"n_jobs must be a positive integer or -1, got {n_jobs!r}")
    if n_jobs == 1:
        return 1
    workers = Parallel(n_jobs=int(n_jobs))(delayed(_import_modules)(_WARM_MODULES) for _ in range(8))
    return len(set(workers))


# ------------------------------------------------------------------ tables
def _short(name):
    """``prep__num__impute__add_indicator`` -> ``add_indicator``; ``model__C`` -> ``C``."""
    return name.rsplit("__", 1)[-1]


def _plain_value(value):
    if isinstance(value, (float, np.floating)):
        return float(value)
    if value is None:
        return "None"
    return value


def results_table(search, top=None, *, train=False):
    """The ``cv_results_`` of a search as a short table, best candidates first.

    Parameters
    ----------
    search : fitted BaseSearchCV
    top : int, optional
        Keep only the ``top`` best rows.
    train : bool
        Add ``mean_train_score`` (needs ``return_train_score=True``).

    Returns
    -------
    pandas.DataFrame
        One row per candidate (per iteration for successive halving): the
        parameters under short names, ``mean_test_score``, ``std_test_score``
        and ``rank_test_score``, rounded to 3 decimals. Times are left out
        (they differ from run to run).
    """
    results = _check_search(search)
    if top is not None and (isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1):
        raise ValueError(f"top must be a positive integer or None, got {top!r}")
    score = "score" if "mean_test_score" in results else _first_metric(search)
    params = pd.DataFrame([{(_short(k)): _plain_value(v) for k, v in p.items()} for p in results["params"]])
    columns = {}
    for key in ("iter", "n_resources"):
        if key in results:
            columns[key] = np.asarray(results[key])
    columns[f"mean_test_{score}"] = np.asarray(results[f"mean_test_{score}"], dtype=float)
    columns[f"std_test_{score}"] = np.asarray(results[f"std_test_{score}"], dtype=float)
    if train:
        if f"mean_train_{score}" not in results:
            raise ValueError("the search has no train scores; create it with return_train_score=True")
        columns[f"mean_train_{score}"] = np.asarray(results[f"mean_train_{score}"], dtype=float)
    columns[f"rank_test_{score}"] = np.asarray(results[f"rank_test_{score}"])
    table = pd.concat([params, pd.DataFrame(columns)], axis=1)
    order = [f"rank_test_{score}"] if "iter" not in columns else ["iter", f"rank_test_{score}"]
    ascending = [True] if "iter" not in columns else [False, True]
    table = table.sort_values(order, ascending=ascending, kind="stable").reset_index(drop=True)
    if top is not None:
        table = table.head(int(top))
    return table.round(3)


def _first_metric(search):
    refit = getattr(search, "refit", None)
    if isinstance(refit, str):
        return refit
    results = search.cv_results_
    names = sorted(k[len("mean_test_"):] for k in results if k.startswith("mean_test_"))
    if not names:
        raise ValueError("the search has no mean_test_* columns in cv_results_")
    return names[0]


def _scorer(scoring):
    from sklearn.metrics import get_scorer

    if isinstance(scoring, str):
        return get_scorer(scoring)
    if callable(scoring):
        return scoring
    raise TypeError(f"scoring must be a metric name like 'roc_auc' or a scorer, found {type(scoring).__name__}")


def search_summary(search, X_test, y_test, *, method, seconds, scoring="roc_auc"):
    """One row of the score-versus-cost frontier for a finished search.

    Parameters
    ----------
    search : fitted BaseSearchCV (with ``refit=True``)
    X_test, y_test : the untouched test set
    method : str
        Label shown in tables and plots, e.g. ``"grid"``.
    seconds : float
        Measured wall time of ``search.fit``.
    scoring : str or callable
        Metric for the test score.

    Returns
    -------
    dict
        ``method``, ``candidates`` (evaluations, all halving iterations
        included), ``fits``, ``best_cv``, ``test_score``, ``seconds``
        and ``compute_seconds``.
    """
    _check_search(search)
    if not hasattr(search, "best_estimator_"):
        raise ValueError("the search must be created with refit=True to be scored on the test set")
    if len(X_test) != len(y_test):
        raise ValueError(f"X_test has {len(X_test)} rows but y_test has {len(y_test)}")
    if not isinstance(seconds, (int, float, np.floating)) or seconds < 0:
        raise ValueError(f"seconds must be a non-negative number, got {seconds!r}")
    test = float(_scorer(scoring)(search.best_estimator_, X_test, y_test))
    return {
        "method": str(method),
        "candidates": len(search.cv_results_["params"]),
        "fits": n_fits(search),
        "best_cv": float(search.best_score_),
        "test_score": test,
        "seconds": float(seconds),
        "compute_seconds": compute_seconds(search),
    }


# ------------------------------------------------------------------ frontier
class CandidateScorer:
    """Refit candidates of a finished search on the training rows and score them on the test set.

    Results are cached by candidate index, so asking for the same candidate
    twice costs one fit.

    Parameters
    ----------
    search : fitted BaseSearchCV
        Its ``estimator`` and ``cv_results_["params"]`` define the candidates.
    X_train, y_train : the rows the search was fitted on
    X_test, y_test : the untouched test set
    scoring : str or callable
    fit_params : dict, optional
        Passed to ``fit`` (rarely needed).
    """

    def __init__(self, search, X_train, y_train, X_test, y_test, *, scoring="roc_auc", fit_params=None):
        results = _check_search(search)
        if len(X_train) != len(y_train):
            raise ValueError(f"X_train has {len(X_train)} rows but y_train has {len(y_train)}")
        if len(X_test) != len(y_test):
            raise ValueError(f"X_test has {len(X_test)} rows but y_test has {len(y_test)}")
        self.search = search
        self.params = list(results["params"])
        self.data = (X_train, y_train, X_test, y_test)
        self.scorer = _scorer(scoring)
        self.fit_params = dict(fit_params or {})
        self.cache = {}
        self.fit_seconds = {}

    def test_score(self, index):
        """Test score of candidate ``index`` refitted on all training rows."""
        from sklearn.base import clone

        if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < len(self.params):
            raise IndexError(f"candidate index must be between 0 and {len(self.params) - 1}, got {index!r}")
        index = int(index)
        if index not in self.cache:
            X_train, y_train, X_test, y_test = self.data
            model = clone(self.search.estimator).set_params(**self.params[index])
            start = time.perf_counter()
            model.fit(X_train, y_train, **self.fit_params)
            self.fit_seconds[index] = time.perf_counter() - start
            self.cache[index] = float(self.scorer(model, X_test, y_test))
        return self.cache[index]


def _cv_arrays(search):
    results = _check_search(search)
    if "mean_test_score" not in results:
        raise ValueError("expected a single-metric search (cv_results_ with mean_test_score)")
    score = np.asarray(results["mean_test_score"], dtype=float)
    cost = (np.asarray(results["mean_fit_time"]) + np.asarray(results["mean_score_time"])) * _n_splits(results)
    return score, cost


def budget_frontier(scorer, budgets, n_chunks=1, *, method="random"):
    """Frontier rows for smaller random searches carved out of one large one.

    The candidates of a ``RandomizedSearchCV`` with continuous distributions
    are independent draws, so trials ``1…k`` form a random search with budget
    ``k``, and consecutive chunks of the trials form independent searches
    (as if run with other seeds).

    Parameters
    ----------
    scorer : CandidateScorer
        Wraps the finished large search.
    budgets : sequence of int
        Budgets (number of candidates) to evaluate within each chunk.
    n_chunks : int
        Number of disjoint chunks; each must hold ``max(budgets)`` trials.
    method : str
        Label of the rows.

    Returns
    -------
    pandas.DataFrame
        ``method``, ``chunk``, ``candidates``, ``fits`` (candidates × folds,
        plus the refit the sub-search would make), ``best_cv``,
        ``test_score`` and ``compute_seconds`` (the sub-search's fitting and
        scoring time).
    """
    if not isinstance(scorer, CandidateScorer):
        raise TypeError(f"scorer must be a CandidateScorer, found {type(scorer).__name__}")
    budgets = [int(b) for b in budgets]
    if not budgets or min(budgets) < 1:
        raise ValueError(f"budgets must be positive integers, got {budgets}")
    if isinstance(n_chunks, bool) or not isinstance(n_chunks, (int, np.integer)) or n_chunks < 1:
        raise ValueError(f"n_chunks must be a positive integer, got {n_chunks!r}")
    score, cost = _cv_arrays(scorer.search)
    n_splits = _n_splits(scorer.search.cv_results_)
    available = len(score)
    if max(budgets) * n_chunks > available:
        raise ValueError(
            f"{n_chunks} chunk(s) of {max(budgets)} trials need {max(budgets) * n_chunks} candidates,"
            f" the search has {available}"
        )
    rows = []
    for chunk in range(n_chunks):
        start = chunk * max(budgets)
        for budget in sorted(budgets):
            window = np.arange(start, start + budget)
            best = int(window[np.nanargmax(score[window])])
            rows.append(
                {
                    "method": method,
                    "chunk": chunk,
                    "candidates": budget,
                    "fits": budget * n_splits + 1,
                    "best_cv": float(score[best]),
                    "test_score": scorer.test_score(best),
                    "compute_seconds": float(cost[window].sum()),
                }
            )
    return pd.DataFrame(rows)


def expected_best_of_k(estimates):
    """Expected maximum of ``k`` estimates drawn without replacement, for every ``k``.

    Given ``K`` noisy estimates of candidates that are equally good, the
    best of ``k`` of them is biased upwards, more so as ``k`` grows: the
    winner's curse. The expectation over all ``k``-subsets is exact (order
    statistics), so the result does not depend on a random seed:
    ``E[max] = sum_i v_(i) * C(i - 1, k - 1) / C(K, k)`` for the sorted
    values ``v_(1) <= ... <= v_(K)``.

    Parameters
    ----------
    estimates : sequence of float
        At least two finite estimates.

    Returns
    -------
    pandas.DataFrame
        ``k`` (1 … K) and ``expected_best``; ``k = 1`` gives the mean,
        ``k = K`` the maximum.
    """
    values = np.sort(np.asarray(estimates, dtype=float).ravel())
    if values.size < 2 or not np.all(np.isfinite(values)):
        raise ValueError(f"expected at least two finite estimates, found {values.size} value(s): {values[:5]}")
    total = values.size
    rows = []
    for k in range(1, total + 1):
        weights = np.array([math.comb(i, k - 1) for i in range(total)], dtype=float) / math.comb(total, k)
        rows.append({"k": k, "expected_best": float(weights @ values)})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ "60 trials"
def _check_fraction(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) or not 0 < value < 1:
        raise ValueError(f"{name} must be a number strictly between 0 and 1, got {value!r}")
    return float(value)


def chance_in_top(n_trials, top_fraction=0.05):
    """Probability that at least one of ``n_trials`` independent draws lands in the top fraction.

    ``1 - (1 - top_fraction) ** n_trials``. This is a statement about the
    ranking of the sampled configurations (their quantile in the search
    space), not about scores: it says nothing about how far the top 5 % is
    from the best score, and the measured score of the chosen configuration
    is itself a noisy estimate.

    Parameters
    ----------
    n_trials : int
    top_fraction : float in (0, 1)

    Returns
    -------
    float
    """
    if isinstance(n_trials, bool) or not isinstance(n_trials, (int, np.integer)) or n_trials < 0:
        raise ValueError(f"n_trials must be a non-negative integer, got {n_trials!r}")
    top_fraction = _check_fraction(top_fraction, "top_fraction")
    return 1.0 - (1.0 - top_fraction) ** int(n_trials)


def trials_needed(top_fraction=0.05, confidence=0.95):
    """Smallest number of random trials with ``chance_in_top(n, top_fraction) >= confidence``.

    Parameters
    ----------
    top_fraction, confidence : float in (0, 1)

    Returns
    -------
    int
        ``ceil(log(1 - confidence) / log(1 - top_fraction))`` (59 for 5 % and 95 %).
    """
    top_fraction = _check_fraction(top_fraction, "top_fraction")
    confidence = _check_fraction(confidence, "confidence")
    n = math.ceil(math.log1p(-confidence) / math.log1p(-top_fraction))
    # Guard against floating-point rounding at the boundary.
    while n > 1 and chance_in_top(n - 1, top_fraction) >= confidence:
        n -= 1
    while chance_in_top(n, top_fraction) < confidence:
        n += 1
    return n


# ------------------------------------------------------------------ Dask
class SchedulerUnreachableError(ConnectionError):
    """The Dask scheduler address given to :func:`dask_client` could not be reached."""


_ADDRESS = re.compile(r"^(?:(?P<scheme>[a-z][a-z0-9+.-]*)://)?(?P<host>\[[0-9a-fA-F:]+\]|[^\s/:]+):(?P<port>\d+)/?$")
_SCHEMES = ("tcp", "tls", "ws", "wss")


def parse_scheduler_address(address):
    """Check a Dask scheduler address and return it with its scheme.

    Parameters
    ----------
    address : str
        ``"tcp://host:port"`` (``tls://``, ``ws://``, ``wss://`` too), or
        ``"host:port"`` for TCP.

    Returns
    -------
    str
        e.g. ``"tcp://10.0.0.5:8786"``.

    Raises
    ------
    ValueError
        The address is not of that form.
    """
    if not isinstance(address, str):
        raise ValueError(f"the scheduler address must be a string like 'tcp://10.0.0.5:8786', found {type(address).__name__}")
    text = address.strip()
    match = _ADDRESS.match(text)
    example = "'tcp://10.0.0.5:8786' (the address `dask scheduler` prints), or '' for a local cluster"
    if not match:
        raise ValueError(f"the scheduler address must look like {example}; got {address!r}")
    scheme = match.group("scheme") or "tcp"
    if scheme not in _SCHEMES:
        raise ValueError(f"the scheduler address scheme must be one of {_SCHEMES}, got {scheme!r} in {address!r}")
    port = int(match.group("port"))
    if not 1 <= port <= 65535:
        raise ValueError(f"the scheduler port must be between 1 and 65535, got {port} in {address!r}")
    return f"{scheme}://{match.group('host')}:{port}"


@contextlib.contextmanager
def dask_client(scheduler="", *, n_workers=2, threads_per_worker=1, processes=False, timeout=5.0):
    """A Dask client for the ``with`` block: a local cluster, or a remote scheduler.

    Everything this function starts is closed when the block ends, also when
    it ends with an error, so no worker process or thread is left behind.

    Parameters
    ----------
    scheduler : str
        ``""`` starts a ``LocalCluster`` on this machine; otherwise the
        address of a running scheduler, e.g. ``"tcp://10.0.0.5:8786"``.
    n_workers, threads_per_worker : int
        Size of the local cluster (ignored for a remote scheduler).
    processes : bool
        Local workers as separate processes (``True``: no GIL sharing, but
        seconds to start and data is pickled to them) or as threads of this
        process (``False``: starts in a fraction of a second).
    timeout : float
        Seconds to wait for a remote scheduler (and for it to have a worker)
        before giving up with :class:`SchedulerUnreachableError`.

    Yields
    ------
    distributed.Client

    Raises
    ------
    ValueError
        Malformed address or sizes.
    SchedulerUnreachableError
        No scheduler answered at the address within ``timeout`` seconds, or
        it has no workers.
    """
    for name, value in (("n_workers", n_workers), ("threads_per_worker", threads_per_worker)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    if not isinstance(scheduler, str):
        raise ValueError(
            f"scheduler must be a string: '' for a local cluster or an address like 'tcp://10.0.0.5:8786',"
            f" found {type(scheduler).__name__}"
        )
    from distributed import Client, LocalCluster

    cluster = client = None
    try:
        if scheduler.strip() == "":
            cluster = LocalCluster(
                n_workers=int(n_workers),
                threads_per_worker=int(threads_per_worker),
                processes=bool(processes),
                dashboard_address=None,
                # The scheduler's small HTTP server (health checks) would try port 8787 and warn when another
                # cluster holds it; a free local port avoids both.
                scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
                silence_logs=50,
            )
            client = Client(cluster, set_as_default=True)
        else:
            address = parse_scheduler_address(scheduler)
            hint = (
                "check that the scheduler is running and reachable from this machine"
                " (`dask scheduler` prints its address), or set DASK_SCHEDULER = \"\" to start a"
                " local cluster"
            )
            try:
                client = Client(address, timeout=float(timeout), set_as_default=True)
            except Exception as error:  # OSError on timeout; anything for a non-Dask peer
                raise SchedulerUnreachableError(
                    f"could not connect to a Dask scheduler at {address!r} within {timeout:g} s"
                    f" ({type(error).__name__}: {_first_line(error)}); {hint}"
                ) from error
            try:
                client.wait_for_workers(1, timeout=float(timeout))
            except Exception as error:
                raise SchedulerUnreachableError(
                    f"the Dask scheduler at {address!r} answered but has no worker after {timeout:g} s;"
                    f" start workers with `dask worker {address}`"
                ) from error
        yield client
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()


def _first_line(error):
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__


def describe_client(client):
    """A short, run-independent description of a Dask client's workers.

    Parameters
    ----------
    client : distributed.Client

    Returns
    -------
    str
        e.g. ``"2 workers × 1 thread, in this process (threads)"``; no
        addresses or ports, so the text is the same on every run.
    """
    info = client.scheduler_info()
    workers = info.get("workers", {})
    threads = sorted({w.get("nthreads", 0) for w in workers.values()})
    local = getattr(client, "cluster", None)
    where = "remote scheduler"
    if local is not None:
        where = "in this process (threads)" if not getattr(local, "processes", True) else "separate local processes"
    thread_text = "/".join(str(t) for t in threads) or "0"
    plural = "s" if thread_text != "1" else ""
    return f"{len(workers)} workers × {thread_text} thread{plural}, {where}"


def same_search_results(first, second, *, atol=1e-12):
    """Whether two finished searches evaluated the same candidates with the same scores.

    Parameters
    ----------
    first, second : fitted BaseSearchCV
    atol : float
        Absolute tolerance on every split score.

    Returns
    -------
    bool
        ``True`` when the candidate lists, every ``split*_test_*`` score and
        ``best_params_`` agree.
    """
    a, b = _check_search(first), _check_search(second)
    if [dict(p) for p in a["params"]] != [dict(p) for p in b["params"]]:
        return False
    keys = sorted(k for k in a if re.fullmatch(r"split\d+_test_\w+", k))
    if keys != sorted(k for k in b if re.fullmatch(r"split\d+_test_\w+", k)):
        return False
    for key in keys:
        if not np.allclose(np.asarray(a[key], float), np.asarray(b[key], float), atol=atol, rtol=0, equal_nan=True):
            return False
    return getattr(first, "best_params_", None) == getattr(second, "best_params_", None)


# ------------------------------------------------------------------ plots
_COLORS = {
    "grid": "#424242",
    "random": "#1565c0",
    "halving grid": "#c62828",
    "halving random": "#ef6c00",
}


def plot_cost_growth(table, ax=None):
    """Fits and seconds of a grid search against the number of hyperparameters.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``hyperparameters``, ``fits``, ``seconds`` and ``measured``
        (bool: ``False`` rows are extrapolated and drawn dashed).
    ax : sequence of two matplotlib Axes, optional

    Returns
    -------
    sequence of two matplotlib Axes
    """
    import matplotlib.pyplot as plt

    needed = {"hyperparameters", "fits", "seconds", "measured"}
    missing = needed - set(getattr(table, "columns", ()))
    if missing:
        raise ValueError(f"table needs columns {sorted(needed)}; missing {sorted(missing)}")
    if ax is None:
        _, ax = plt.subplots(1, 2, figsize=(10, 3.6))
    measured = table[table["measured"].astype(bool)]
    for axis, column, label in ((ax[0], "fits", "fits (candidates × folds + 1)"), (ax[1], "seconds", "wall seconds")):
        axis.plot(table["hyperparameters"], table[column], linestyle="--", color="#9e9e9e", marker="o",
                  label="extrapolated")
        axis.plot(measured["hyperparameters"], measured[column], color="#1565c0", marker="o", label="measured")
        axis.set_yscale("log")
        _plain_log_ticks(axis.yaxis)
        axis.set_xlabel("number of hyperparameters in the grid")
        axis.set_ylabel(label)
        axis.set_xticks(list(table["hyperparameters"]))
        axis.legend(loc="upper left")
    ax[0].set_title("Fits multiply with every hyperparameter")
    ax[1].set_title("…and so does the time")
    ax[0].figure.tight_layout()
    return ax


def plot_frontier(table, ax=None, *, cost="fits"):
    """Score-versus-cost frontier: best CV score and test score against the cost of each search.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``method``, ``best_cv``, ``test_score`` and the ``cost``
        column (and ``candidates``: random-search points are labelled with it).
    ax : sequence of two matplotlib Axes, optional
    cost : {"fits", "compute_seconds"}, default="fits"
        The x-axis. Fit counts are the same on every run; compute seconds
        change with the machine and its load.

    Returns
    -------
    sequence of two matplotlib Axes
    """
    import matplotlib.pyplot as plt

    labels = {"fits": "fits (candidates × folds + 1 refit, log scale)",
              "compute_seconds": "compute seconds (fit + score, one core, log scale)"}
    if cost not in labels:
        raise ValueError(f"cost must be one of {sorted(labels)}, got {cost!r}")
    needed = {"method", cost, "best_cv", "test_score"}
    missing = needed - set(getattr(table, "columns", ()))
    if missing:
        raise ValueError(f"table needs columns {sorted(needed)}; missing {sorted(missing)}")
    if ax is None:
        _, ax = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
    markers = {"grid": "s", "random": "o", "halving grid": "D", "halving random": "^"}
    for method, rows in table.groupby("method", sort=False):
        label = "random (number = trials)" if method == "random" else method
        style = {"color": _COLORS.get(method, "#6a1b9a"), "marker": markers.get(method, "o"), "label": label}
        size = 70 if method != "random" else 30
        ax[0].scatter(rows[cost], rows["best_cv"], s=size, alpha=0.8, **style)
        ax[1].scatter(rows[cost], rows["test_score"], s=size, alpha=0.8, **style)
        if method == "random" and "candidates" in rows:
            for axis, column in ((ax[0], "best_cv"), (ax[1], "test_score")):
                for x, y, k in zip(rows[cost], rows[column], rows["candidates"]):
                    axis.annotate(str(k), (x, y), textcoords="offset points", xytext=(3, 3), fontsize=7,
                                  color=style["color"])
    for axis, title in ((ax[0], "What the search reports: best CV score"), (ax[1], "What it delivers: untouched test score")):
        axis.set_xscale("log")
        _plain_log_ticks(axis.xaxis)
        axis.set_xlabel(labels[cost])
        axis.set_title(title)
    ax[0].set_ylabel("ROC AUC")
    ax[1].legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8)
    ax[0].figure.tight_layout()
    return ax


def _plain_log_ticks(axis):
    """Plain numbers (1, 2, 5, 10, 20, ...) on a log axis; minor labels like "3×10⁰" would overlap."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import LogLocator

    axis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(plt.FuncFormatter(lambda value, _: f"{value:g}"))
    axis.set_minor_formatter(plt.NullFormatter())


def plot_winners_curse(table, ax=None):
    """Expected best of ``k`` equally good candidates against ``k``.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`expected_best_of_k` (columns ``k`` and ``expected_best``).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt

    needed = {"k", "expected_best"}
    missing = needed - set(getattr(table, "columns", ()))
    if missing:
        raise ValueError(f"table needs columns {sorted(needed)}; missing {sorted(missing)}")
    if ax is None:
        _, ax = plt.subplots()
    mean = float(table["expected_best"].iloc[0])
    from matplotlib.ticker import MaxNLocator

    ax.plot(table["k"], table["expected_best"], color="#1565c0", marker="o", markersize=3,
            label="expected CV score of the best of k")
    ax.axhline(mean, color="#c62828", linestyle="--", label=f"their average CV score: {mean:.3f}")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("number of equally good candidates compared (k)")
    ax.set_ylabel("CV ROC AUC")
    ax.set_title("The winner's curse: the best of k looks better than it is")
    ax.legend(loc="center right")
    return ax


# ------------------------------------------------------------------ exercises
def validate_fit_count(param_grid, n_splits, refit=True):
    """Self-check for "how many fits does this grid search make?".

    Parameters
    ----------
    param_grid : dict or list of dict
    n_splits : int
    refit : bool

    Returns
    -------
    callable
        ``validate(answer)`` -> ``None`` or what is wrong.
    """
    from sklearn.model_selection import ParameterGrid

    expected = count_fits(param_grid, n_splits, refit=refit)
    candidates = len(ParameterGrid(param_grid))

    def validate(answer):
        if isinstance(answer, bool) or not isinstance(answer, (int, np.integer, float, np.floating)):
            return f"expected a whole number of fits, found {type(answer).__name__}"
        if answer == expected:
            return None
        if answer == candidates:
            return f"{candidates} is the number of candidates; each is fitted once per fold"
        if refit and answer == expected - 1:
            return "almost: with refit=True the best candidate is fitted once more on all training rows"
        if answer == candidates * (n_splits - 1) + (1 if refit else 0):
            return "every candidate is fitted once per fold: use the number of folds, not folds − 1"
        return f"{answer} is not candidates × folds (+ 1 for the refit)"

    return validate


def validate_trials_needed(top_fraction, confidence):
    """Self-check for "how many random trials reach the top fraction with this confidence?".

    Returns
    -------
    callable
        ``validate(answer)`` -> ``None`` or what is wrong.
    """
    expected = trials_needed(top_fraction, confidence)

    def validate(answer):
        if isinstance(answer, bool) or not isinstance(answer, (int, np.integer, float, np.floating)):
            return f"expected a whole number of trials, found {type(answer).__name__}"
        if float(answer) != int(answer):
            return f"a number of trials is a whole number; round up, found {answer}"
        answer = int(answer)
        if answer == expected:
            return None
        if answer == expected - 1:
            return (
                f"with {answer} trials the chance is {chance_in_top(answer, top_fraction):.4f},"
                f" just under {confidence}: round the logarithm up, not down"
            )
        if answer < 1:
            return "at least one trial is needed"
        chance = chance_in_top(answer, top_fraction)
        if chance >= confidence:
            return f"{answer} trials reach {chance:.4f}, enough, but fewer would do: find the smallest"
        return f"{answer} trials give only {chance:.4f} = 1 − (1 − {top_fraction})^{answer}; you need ≥ {confidence}"

    return validate


def validate_search(X_train, categorical=None, param="model__C"):
    """Self-check for "tune the pipeline without leaking".

    The answer must be a fitted scikit-learn search over a ``Pipeline`` that
    takes the raw columns (preprocessing inside the search), split by
    customer, fitted on ``X_train`` only, and tuning ``param``.

    Parameters
    ----------
    X_train : pandas.DataFrame
        The training rows (the untouched test set is not among them).
    categorical : list of str, optional
        Raw columns the search must have seen (default: the course's
        categorical features).
    param : str
        A parameter the search must tune.

    Returns
    -------
    callable
        ``validate(answer)`` -> ``None`` or what is wrong.
    """
    from sklearn.model_selection._search import BaseSearchCV
    from sklearn.pipeline import Pipeline

    if categorical is None:
        from .data import CATEGORICAL_FEATURES as categorical
    n_train = len(X_train)

    def validate(answer):
        if not isinstance(answer, BaseSearchCV):
            return f"expected a search such as RandomizedSearchCV(...), found {type(answer).__name__}"
        if not hasattr(answer, "cv_results_"):
            return "the search is not fitted yet: call .fit(X_train, y_train, groups=...)"
        if not isinstance(answer.estimator, Pipeline):
            return (
                f"search over a Pipeline (preprocessing + model), found a {type(answer.estimator).__name__}:"
                " preprocessing fitted outside the search sees the validation folds"
            )
        seen = set(getattr(answer, "feature_names_in_", []))
        if not set(categorical) <= seen:
            return "the search should receive the raw columns (X_train), with the preprocessing inside the pipeline"
        tuned = set().union(*(p.keys() for p in answer.cv_results_["params"]))
        if param not in tuned:
            return f"tune {param!r}; the search tuned {sorted(tuned)}"
        cv_name = type(answer.cv).__name__ if not isinstance(answer.cv, int) else "an integer (stratified k-fold)"
        if cv_name not in GROUP_SPLITTERS:
            return (
                f"cv is {cv_name}: the same customer would land on both sides of a split;"
                " use a group splitter such as StratifiedGroupKFold and pass groups= to fit"
            )
        for step in answer.best_estimator_.named_steps.values() if hasattr(answer, "best_estimator_") else []:
            for sub in _walk(step):
                seen_rows = getattr(sub, "n_samples_seen_", None)
                if seen_rows is not None and int(np.max(seen_rows)) != n_train:
                    return (
                        f"the refitted model saw {int(np.max(seen_rows))} rows, X_train has {n_train}:"
                        " fit the search on the training rows only and keep the test set untouched"
                    )
        return None

    return validate


def _walk(estimator):
    yield estimator
    children = []
    if hasattr(estimator, "steps"):
        children = [step for _, step in estimator.steps]
    elif hasattr(estimator, "transformers_"):
        children = [step for _, step, _ in estimator.transformers_]
    for child in children:
        if hasattr(child, "get_params"):
            yield from _walk(child)
