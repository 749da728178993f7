"""Shared fixtures: execute a lesson once per parameter set and read its figures."""

import json
import os
import tempfile
from pathlib import Path

import pytest

from forge_lessons.course import FIGURES_ENV, NOTEBOOKS_DIR

_EXECUTED = {}


def execute_lesson(name, profile="quick", seed=42, **params):
    """Execute ``notebooks/<name>.ipynb`` with papermill and return its recorded figures.

    Executions are cached per test process, keyed by the parameters, so the
    execution test and the claim tests share a run.

    Parameters
    ----------
    name : str
        Notebook name without ``.ipynb``.
    profile : {"quick", "full"}
    seed : int
    **params
        Further notebook parameters.

    Returns
    -------
    dict
        The figures the notebook recorded.
    """
    import papermill

    key = (name, profile, seed, tuple(sorted(params.items())))
    if key not in _EXECUTED:
        workdir = Path(tempfile.mkdtemp(prefix=f"forge-{name}-"))
        previous = os.environ.get(FIGURES_ENV)
        os.environ[FIGURES_ENV] = str(workdir)
        try:
            papermill.execute_notebook(
                str(NOTEBOOKS_DIR / f"{name}.ipynb"),
                str(workdir / f"{name}.ipynb"),
                parameters={"PROFILE": profile, "SEED": seed, **params},
                cwd=str(NOTEBOOKS_DIR),
                kernel_name="python3",
                progress_bar=False,
                execution_timeout=300,
            )
        finally:
            if previous is None:
                os.environ.pop(FIGURES_ENV, None)
            else:
                os.environ[FIGURES_ENV] = previous
        figures_file = workdir / f"{name}.json"
        _EXECUTED[key] = json.loads(figures_file.read_text()) if figures_file.exists() else {}
    return _EXECUTED[key]


@pytest.fixture(scope="session")
def run_lesson():
    """The :func:`execute_lesson` function, as a fixture."""
    return execute_lesson
