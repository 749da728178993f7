"""Shared fixtures: execute a lesson once per parameter set and read its figures.

Executions are shared by every test process of a run (pytest-xdist workers
included): the first process to need a parameter set executes the notebook,
the others wait for its figures, so the execution test and the claim tests
of several files cost one run.
"""

import hashlib
import json
import os
import time
from pathlib import Path

import pytest

from forge_lessons.course import FIGURES_ENV, NOTEBOOKS_DIR

WAIT_SECONDS = 1200
POSTGRES_ENV = "FORGE_LESSONS_POSTGRES_URL"
collect_ignore_glob = ["lint_corpus/*"]  # labelled snippets for the lint, not tests (some end in _test.py)


def execute_lesson(name, shared_dir, profile="quick", seed=42, **params):
    """Execute ``notebooks/<name>.ipynb`` with papermill (once per run) and return its recorded figures.

    Parameters
    ----------
    name : str
        Notebook name without ``.ipynb``.
    shared_dir : pathlib.Path
        Folder shared by all test processes of this run.
    profile : {"quick", "full"}
    seed : int
    **params
        Further notebook parameters.

    Returns
    -------
    dict
        The figures the notebook recorded.
    """
    key = hashlib.sha256(json.dumps([name, profile, seed, sorted(params.items())], default=str).encode()).hexdigest()[:16]
    result, failure = shared_dir / f"{name}-{key}.json", shared_dir / f"{name}-{key}.failed"
    try:
        os.close(os.open(shared_dir / f"{name}-{key}.lock", os.O_CREAT | os.O_EXCL))
    except FileExistsError:  # another process executes it: wait for its figures
        deadline = time.monotonic() + WAIT_SECONDS
        while not result.exists():
            if failure.exists():
                pytest.fail(f"{name} failed in another test process: {failure.read_text()[:2000]}")
            if time.monotonic() > deadline:
                pytest.fail(f"{name} ({profile}, seed {seed}) did not finish within {WAIT_SECONDS} s")
            time.sleep(0.5)
        return json.loads(result.read_text())
    _execute(name, shared_dir / key, result, failure, {"PROFILE": profile, "SEED": seed, **params})
    return json.loads(result.read_text())


def _execute(name, workdir, result, failure, parameters):
    import papermill

    workdir.mkdir(parents=True)
    previous = os.environ.get(FIGURES_ENV)
    os.environ[FIGURES_ENV] = str(workdir)
    try:
        papermill.execute_notebook(
            str(NOTEBOOKS_DIR / f"{name}.ipynb"),
            str(workdir / f"{name}.ipynb"),
            parameters=parameters,
            cwd=str(NOTEBOOKS_DIR),
            kernel_name="python3",
            progress_bar=False,
            execution_timeout=600,
            request_save_on_cell_execute=False,  # write the notebook once at the end (or on an error), not per cell
        )
    except Exception as error:
        failure.write_text(f"{type(error).__name__}: {error}")
        raise
    finally:
        if previous is None:
            os.environ.pop(FIGURES_ENV, None)
        else:
            os.environ[FIGURES_ENV] = previous
    figures = workdir / f"{name}.json"
    tmp = result.with_suffix(".tmp")
    tmp.write_text(figures.read_text() if figures.exists() else "{}")
    tmp.replace(result)


@pytest.fixture(scope="session")
def run_lesson(tmp_path_factory):
    """``run_lesson(name, profile="quick", seed=42, **params)`` -> the figures the lesson recorded."""
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "lesson-runs"
    shared.mkdir(exist_ok=True)

    def run(name, profile="quick", seed=42, **params):
        return execute_lesson(name, shared, profile=profile, seed=seed, **params)

    return run


@pytest.fixture
def postgres_url():
    """The PostgreSQL URL from the environment; skip without it, fail without it in CI (``.ci/run`` starts a server)."""
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if not url:
        message = f"{POSTGRES_ENV} is not set: start a server with `eval \"$(bash .ci/start_postgres.sh)\"`"
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(f"CI=true but {message}")
        pytest.skip(message)
    return url
