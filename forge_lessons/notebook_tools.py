"""Notebook files: clean executed metadata, refresh committed outputs, student versions.

The committed lessons carry their outputs (the nbval reference). They are
produced only by :func:`refresh_in_place`, which re-executes each lesson with
its own default parameters and writes it back through :func:`clean_executed`,
so that re-running never changes a file for timestamps or paths.
"""

import copy
import shutil
from pathlib import Path

import nbformat

from .course import BUILD_DIR, DATA_DIR, NOTEBOOKS_DIR, REPO_ROOT
from .exercises import student_stub
from .runner import PAPERMILL_TAGS, execute_in_workers, notebook_paths, summary_table

STUDENT_README = """\
# forge-lessons — student version

The course's lessons with the exercise solutions taken out. Each solution
cell (tagged `solution`) now sets its answer names to `None`: write your
answer there, then run the check cell below it for feedback. Every notebook
runs top to bottom as it is; an unanswered check says "not attempted yet".

## Set up (Python 3.11 and make; the first time takes a few minutes)

    make lab

builds a virtual environment in `.venv` from `requirements-lock.txt` (the
exact versions the course was tested with), installs the course's helper
package `forge_lessons`, and opens JupyterLab. Start with
`notebooks/00_start_here.ipynb`. With conda instead:
`conda env create -f environment.yml`, `conda activate forge-lessons`,
`jupyter lab --notebook-dir=notebooks`.

## Hand in

Save your notebooks (File ▸ Save) and return the `notebooks/` folder as your
instructor asks.
"""


SETUP_FILES = ("pyproject.toml", "requirements-lock.txt", "environment.yml", "Makefile", "Dockerfile", ".dockerignore")


def clean_executed(nb):
    """Return a copy of an executed notebook without run-specific metadata.

    Removes papermill's notebook and cell metadata and nbclient's cell
    ``execution`` timestamps (which also hold absolute paths and times), and
    the cells papermill inserts (injected parameters, error markers). Outputs
    and execution counts are kept: nbval needs both.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook (version 4).

    Returns
    -------
    nbformat.NotebookNode
    """
    nb = copy.deepcopy(nb)
    nb.metadata.pop("papermill", None)
    nb.cells = [cell for cell in nb.cells if not PAPERMILL_TAGS & set(cell.metadata.get("tags", []))]
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    return nb


def refresh_in_place(names=None, jobs=2, notebooks_dir=NOTEBOOKS_DIR, build_dir=BUILD_DIR, progress=print):
    """Re-execute lessons with their default parameters and write them back.

    This is how the committed outputs are produced. A lesson that fails is
    left untouched; its executed copy stays in ``<build_dir>/refresh/``.

    Parameters
    ----------
    names : list of str, optional
        Lessons to refresh (see :func:`forge_lessons.runner.notebook_paths`);
        all of them by default.
    jobs : int
        Lessons executing at once.
    notebooks_dir : path-like
        Folder holding the lessons; also the kernels' working directory.
    build_dir : path-like
        Receives the executed copies (``refresh/``) and figures (``figures/``).
    progress : callable
        Receives the progress lines and the final table.

    Returns
    -------
    list of dict
        One entry per lesson: ``name``, ``status`` ("ok" or "failed"),
        ``seconds``, slowest cell and, on failure, where and why.
    """
    paths = notebook_paths(names, notebooks_dir)
    build = Path(build_dir).resolve()
    calls = [
        (
            f"[{index + 1}/{len(paths)}] {path.stem}",
            {
                "source": path.resolve(),
                "output": build / "refresh" / path.name,
                "parameters": None,
                "figures_dir": build / "figures",
            },
        )
        for index, path in enumerate(paths)
    ]
    results = []
    for path, (_, kwargs), result in zip(paths, calls, execute_in_workers(calls, jobs, progress)):
        if result["status"] == "ok":
            executed = nbformat.read(kwargs["output"], as_version=4)
            nbformat.write(clean_executed(executed), path)
        else:
            progress(f"{path.stem}: left unchanged; the failed run is in {kwargs['output']}")
        results.append({"name": path.stem, **result})
    progress(summary_table(results))
    return results


def write_student_versions(out_dir="build/student", notebooks_dir=NOTEBOOKS_DIR, data_dir=DATA_DIR):
    """Write a student handout: the lessons without solutions, the data, the package and set-up files.

    The folder is self-contained (zip it and hand it out): ``make lab`` in it
    builds the locked environment, installs ``forge_lessons`` and opens JupyterLab.

    Cells tagged ``solution`` get :func:`forge_lessons.exercises.student_stub`
    as source (the tag stays); every output and execution count is cleared.

    Parameters
    ----------
    out_dir : path-like
        Receives ``notebooks/``, ``data/``, ``forge_lessons/``, the set-up files
        (``pyproject.toml``, ``requirements-lock.txt``, ``environment.yml``,
        ``Makefile``) and ``README.md``.
    notebooks_dir : path-like
        Folder holding the lessons.
    data_dir : path-like
        Folder whose files are copied to ``<out_dir>/data``.

    Returns
    -------
    list of pathlib.Path
        Every file written.
    """
    out = Path(out_dir)
    written = []
    for path in notebook_paths(None, notebooks_dir):
        nb = clean_executed(nbformat.read(path, as_version=4))
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            if "solution" in cell.metadata.get("tags", []):
                cell.source = student_stub(cell.source)
            cell.outputs = []
            cell.execution_count = None
        target = out / "notebooks" / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)
        written.append(target)
    data_dir = Path(data_dir)
    for source in sorted(data_dir.rglob("*")) if data_dir.is_dir() else []:
        if source.is_file():
            target = out / "data" / source.relative_to(data_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            written.append(target)
    for source in sorted((REPO_ROOT / "forge_lessons").glob("*.py")):
        target = out / "forge_lessons" / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        written.append(target)
    for name in SETUP_FILES:
        shutil.copy2(REPO_ROOT / name, out / name)
        written.append(out / name)
    readme = out / "README.md"
    readme.write_text(STUDENT_README, encoding="utf-8")
    written.append(readme)
    return written
