"""Notebook set-up and the figure recorder shared by every lesson.

Every lesson calls :func:`setup` in its third cell and records the figures
its prose quotes with :func:`record`. Recorded figures are written to
``<figures dir>/<notebook>.json`` so that the headless runner and the claim
tests can read them. The directory is taken from the environment variable
``FORGE_LESSONS_FIGURES_DIR`` (set by the runner and the tests) and defaults
to ``build/figures`` in the repository.
"""

import json
import os
import random
import re
import warnings
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
DATA_DIR = REPO_ROOT / "data"
BUILD_DIR = REPO_ROOT / "build"
FIGURES_ENV = "FORGE_LESSONS_FIGURES_DIR"
PROFILES = ("quick", "full")

_NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
_NOTEBOOK_PATTERN = re.compile(r"^[0-9a-z][0-9a-z_]*$")
_state = {"notebook": None, "figures": {}, "profile": None, "seed": None}


def setup(notebook, *, profile="full", seed=42):
    """Prepare a lesson: seeds, warning filters, display options, recorder.

    Parameters
    ----------
    notebook : str
        The notebook's name without extension, e.g. ``"02_leaky_vs_pipelined_scaling"``.
        Recorded figures are stored under this name.
    profile : {"quick", "full"}
        ``"quick"`` runs on small data in seconds, ``"full"`` is the teaching run.
    seed : int
        Seed for Python's and NumPy's global generators. Lessons pass ``SEED``
        explicitly to every estimator and splitter as well.

    Returns
    -------
    None
        Prints one line naming the notebook, profile and seed.
    """
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILES}, got {profile!r}")
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    if not isinstance(notebook, str) or not _NOTEBOOK_PATTERN.match(notebook):
        raise ValueError(f"notebook must be a notebook name like '00_start_here', got {notebook!r}")

    # OpenMP threads (HistGradientBoosting, KMeans) that spin while they wait make a busy
    # 2-core machine many times slower; the policy is read when the OpenMP runtime loads,
    # so setup() runs before the lesson imports scikit-learn.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    # BLAS libraries loaded later (SciPy's own OpenBLAS) read their thread count when they load.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("MKL_NUM_THREADS", "1")
    random.seed(seed)
    np.random.seed(seed)
    # One BLAS thread: lessons parallelise with n_jobs=N_JOBS, and nested BLAS threads on
    # 2 cores make small fits many times slower without changing any result.
    threadpool_limits(1, user_api="blas")
    _state.update(notebook=str(notebook), figures={}, profile=profile, seed=int(seed))

    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", message=".*does not have valid feature names.*")

    import pandas as pd

    pd.set_option("display.precision", 3)
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.width", 120)

    import matplotlib as mpl

    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 3.6),
            "figure.dpi": 90,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
        }
    )
    _write_figures()
    print(f"forge-lessons · {notebook} · profile={profile} · seed={seed}")


def figures_path(notebook=None):
    """Return the JSON file that holds a notebook's recorded figures.

    Parameters
    ----------
    notebook : str, optional
        Notebook name; defaults to the one given to :func:`setup`.

    Returns
    -------
    pathlib.Path
    """
    name = notebook or _state["notebook"]
    if name is None:
        raise RuntimeError("call forge_lessons.setup(...) before recording figures")
    directory = Path(os.environ.get(FIGURES_ENV, BUILD_DIR / "figures"))
    return directory / f"{name}.json"


def _plain(value):
    """Convert a recorded value to a plain JSON type, or raise."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        if not np.isfinite(value):
            raise ValueError(f"recorded numbers must be finite, got {value!r}")
        return float(value)
    if isinstance(value, str):
        return value
    raise TypeError(
        f"a recorded figure must be a number, a string or a boolean, got {type(value).__name__}"
    )


def record(name, value):
    """Record a measured figure under a stable name and return the value.

    Parameters
    ----------
    name : str
        snake_case name, e.g. ``"scaling_gap_mean"``; tests read it.
    value : int, float, str or bool
        The measured value (NumPy scalars are converted).

    Returns
    -------
    The value as given, so ``x = record("x", compute())`` reads naturally.
    """
    if not isinstance(name, str) or not _NAME_PATTERN.match(name):
        raise ValueError(f"figure names are snake_case like 'dev_score', got {name!r}")
    _state["figures"][name] = _plain(value)
    _write_figures()
    return value


def recorded():
    """Return a copy of the figures recorded so far in this kernel."""
    return dict(_state["figures"])


def read_figures(notebook, directory=None):
    """Read the figures a notebook recorded.

    Parameters
    ----------
    notebook : str
        Notebook name without extension.
    directory : path-like, optional
        Where the figures were written; defaults to the recorder's directory.

    Returns
    -------
    dict
    """
    path = Path(directory) / f"{notebook}.json" if directory else figures_path(notebook)
    if not path.exists():
        return {}
    return json.loads(path.read_text())


def _write_figures():
    path = figures_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(_state["figures"], indent=1, sort_keys=True))
    tmp.replace(path)
