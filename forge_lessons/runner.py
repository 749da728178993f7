"""Headless runner: execute lessons with papermill, render them, summarise.

:func:`run_notebooks` executes lessons in worker processes (at most ``jobs``
at a time) from the notebooks folder, writes each executed notebook and an
HTML page, an ``index.html`` and a machine-readable ``summary.json``, and
skips lessons whose inputs have not changed since their last successful run.
A failing lesson is reported and does not stop the others.

Heavy imports (papermill, nbconvert) happen only in the worker processes, so
a fully cached run stays fast.
"""

import ast
import hashlib
import json
import keyword
import multiprocessing
import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

from . import site
from .course import DATA_DIR, FIGURES_ENV, NOTEBOOKS_DIR, PROFILES, REPO_ROOT, read_figures

PACKAGE_DIR = Path(__file__).resolve().parent
KERNEL_NAME = "python3"
CELL_TIMEOUT_SECONDS = 600
ENGINE_NAME = "forge-lessons"
PAPERMILL_TAGS = {"injected-parameters", "papermill-error-cell-tag"}  # cells papermill inserts


def notebook_paths(names=None, notebooks_dir=NOTEBOOKS_DIR):
    """Resolve lesson names to notebook files, in course order.

    Parameters
    ----------
    names : str or list of str, optional
        Lesson names with or without ``.ipynb``, or lesson numbers (``"02"``);
        a leading folder is ignored, so ``notebooks/02_x.ipynb`` works too.
        ``None`` or an empty list selects every ``NN_*.ipynb`` in
        ``notebooks_dir``.
    notebooks_dir : path-like
        Folder holding the lessons.

    Returns
    -------
    list of pathlib.Path
        Without duplicates, sorted by lesson number.

    Raises
    ------
    ValueError
        If a name matches no lesson; the message lists the available ones.
    """
    available = {path.stem: path for path in sorted(Path(notebooks_dir).glob("[0-9][0-9]_*.ipynb"))}
    if not names:
        return list(available.values())
    if isinstance(names, str):
        names = [names]
    paths = set()
    for name in names:
        stem = Path(name).name.removesuffix(".ipynb")
        if stem.isdigit():
            stem = next((key for key in available if key.startswith(f"{int(stem):02d}_")), stem)
        if stem not in available:
            choices = ", ".join(available) or "none"
            raise ValueError(f"unknown notebook {name!r}; available: {choices}")
        paths.add(available[stem])
    return sorted(paths)


def parse_param(text):
    """Parse one ``KEY=VALUE`` notebook parameter.

    Parameters
    ----------
    text : str
        E.g. ``"SEED=7"``. The value is read as a Python literal when it is
        one (``7``, ``0.5``, ``True``, ``"a"``, ``[1, 2]``), else kept as text.

    Returns
    -------
    tuple of (str, object)

    Raises
    ------
    ValueError
        If there is no ``=`` or the key is not a Python name.
    """
    key, separator, raw = text.partition("=")
    key = key.strip()
    if not separator or not _is_name(key):
        raise ValueError(f"--param expects KEY=VALUE with KEY a Python name (e.g. SEED=7), got {text!r}")
    try:
        value = ast.literal_eval(raw)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        value = raw
    return key, value


def _is_name(key):
    return isinstance(key, str) and key.isidentifier() and not keyword.iskeyword(key)


def _dependencies_digest():
    """Hash what every lesson depends on: package code, data, locked versions."""
    files = sorted(PACKAGE_DIR.glob("*.py"))
    checksums = DATA_DIR / "SHA256SUMS"
    if checksums.exists():
        files.append(checksums)
    elif DATA_DIR.is_dir():
        files += sorted(path for path in DATA_DIR.iterdir() if path.is_file())
    lock = REPO_ROOT / "requirements-lock.txt"
    if lock.exists():
        files.append(lock)
    digest = hashlib.sha256(sys.version.encode())
    for path in files:
        digest.update(f"{path.parent.name}/{path.name}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(notebook, parameters, dependencies=None):
    """Return the key under which a lesson's run is cached.

    Parameters
    ----------
    notebook : path-like
        The lesson. Its cell types, sources and tags count; outputs do not.
    parameters : dict
        The parameters the lesson is executed with (profile included).
    dependencies : str, optional
        Digest of the package code, data and lock file; computed when omitted.

    Returns
    -------
    str
        A SHA-256 hex digest.
    """
    content = json.loads(Path(notebook).read_text(encoding="utf-8"))
    cells = [
        [cell["cell_type"], "".join(cell["source"]), cell.get("metadata", {}).get("tags", [])]
        for cell in content["cells"]
    ]
    text = json.dumps(
        {"cells": cells, "parameters": parameters, "dependencies": dependencies or _dependencies_digest()},
        sort_keys=True,
        default=repr,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _register_engine():
    """Register papermill's nbclient engine with half the writes of the executed notebook.

    papermill writes the whole executed notebook when each cell starts and
    again when it ends, about 2 s per lesson of 80 cells here. This engine
    skips the write at the start of a cell; the notebook is still written
    after every cell and when the run ends, however it ends (an error, a
    timeout, a dead kernel), so the report can name the cell that failed or
    hung.
    """
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    class FewerSaves(NotebookExecutionManager):
        skip_save = False

        def cell_start(self, cell, cell_index=None, **kwargs):
            self.skip_save = True
            try:
                return super().cell_start(cell, cell_index, **kwargs)
            finally:
                self.skip_save = False

        def save(self, **kwargs):
            if not self.skip_save:
                return super().save(**kwargs)

    class Engine(NBClientEngine):
        @classmethod
        def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False,
                             autosave_cell_every=30, **kwargs):
            # papermill's Engine.execute_notebook, with the manager above
            nb_man = FewerSaves(nb, output_path=output_path, progress_bar=progress_bar, log_output=log_output,
                                autosave_cell_every=autosave_cell_every)
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

    papermill_engines.register(ENGINE_NAME, Engine)


def execute(source, output, parameters, figures_dir, html_path=None):
    """Execute one notebook with papermill and describe the run.

    Meant to run in a worker process: it sets the figures directory in the
    process environment, which the kernel inherits.

    Parameters
    ----------
    source, output : pathlib.Path
        The lesson and where to write the executed copy.
    parameters : dict or None
        Injected after the ``parameters`` cell; ``None`` keeps the defaults
        and injects nothing.
    figures_dir : pathlib.Path
        Absolute folder for the recorded figures.
    html_path : pathlib.Path, optional
        Where to write the executed notebook as HTML.

    The lesson's figures file, ``output`` and ``html_path`` are deleted
    before executing, so nothing stale survives a failed run.

    Returns
    -------
    dict
        ``status`` ("ok" or "failed"), ``seconds``, ``slowest_cell``,
        ``slowest_cell_seconds`` and, on failure, ``cell``,
        ``execution_count``, ``error`` and ``message``. Cell indices count
        the lesson's own cells from 0.
    """
    import papermill
    from traitlets.config import Config

    _register_engine()
    os.environ[FIGURES_ENV] = str(figures_dir)
    os.environ.pop("MPLBACKEND", None)  # a non-inline backend would drop every figure
    for stale in (figures_dir / f"{source.stem}.json", output, html_path):
        if stale is not None:
            stale.unlink(missing_ok=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    failure = None
    try:
        papermill.execute_notebook(
            source,
            output,
            parameters=parameters,
            cwd=source.parent,
            engine_name=ENGINE_NAME,
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            log_output=False,
            execution_timeout=CELL_TIMEOUT_SECONDS,  # a hung cell fails its lesson instead of hanging the run
            # CurveZMQ keys for the kernel: encrypted, and no "running over TCP without encryption" warning
            config=Config({"KernelManager": {"transport_encryption": "auto"}}),
        )
    except Exception as error:  # the report says what went wrong, the other lessons go on
        failure = error
    result = {"status": "failed" if failure else "ok", "seconds": round(time.perf_counter() - start, 2)}
    result.update(_describe_cells(output, failure))
    if html_path is not None and output.exists():
        _write_html(output, html_path)
    return result


def _describe_cells(output, failure):
    """Slowest cell and, on failure, where and why, from papermill's cell metadata."""
    cells = []
    if output.exists():
        content = json.loads(output.read_text(encoding="utf-8"))
        cells = [
            cell
            for cell in content["cells"]
            if not PAPERMILL_TAGS & set(cell.get("metadata", {}).get("tags", []))
        ]
    timing = [cell.get("metadata", {}).get("papermill", {}) for cell in cells]
    durations = [info.get("duration") or 0.0 for info in timing]
    slowest = max(range(len(cells)), key=durations.__getitem__, default=None)
    result = {
        "slowest_cell": slowest,
        "slowest_cell_seconds": None if slowest is None else round(durations[slowest], 2),
    }
    if failure is None:
        return result
    failed = next((i for i, info in enumerate(timing) if info.get("exception")), None)
    if failed is None:  # the kernel died or timed out: blame the last cell started
        started = [i for i, info in enumerate(timing) if info.get("start_time")]
        failed = started[-1] if started else None
    message = str(getattr(failure, "evalue", failure)).strip()
    result.update(
        cell=failed,
        execution_count=None if failed is None else cells[failed].get("execution_count"),
        error=getattr(failure, "ename", type(failure).__name__),
        message="\n".join(message.splitlines()[:3]),
    )
    return result


def _write_html(notebook, html_path):
    import nbformat
    from nbconvert import HTMLExporter

    resources = {"metadata": {"name": notebook.stem}}  # the page title
    body, _ = HTMLExporter().from_notebook_node(nbformat.read(notebook, as_version=4), resources=resources)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(body, encoding="utf-8")


def execute_in_workers(calls, jobs, progress=print):
    """Run :func:`execute` calls in spawned worker processes, ``jobs`` at a time.

    Parameters
    ----------
    calls : list of (str, dict)
        A label for the progress lines and the keyword arguments of
        :func:`execute`. Calls start in the order given.
    jobs : int
        Maximum number of notebooks executing at once.
    progress : callable
        Receives one line of text when a call starts and when it finishes.

    Returns
    -------
    list of dict
        The results of :func:`execute`, in the order of ``calls``. A worker
        that crashes yields a "failed" result naming the exception.
    """
    if not calls:
        return []
    results = [None] * len(calls)
    queue = list(enumerate(calls))[::-1]
    running = {}
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(calls)), mp_context=context) as pool:
        while queue or running:
            while queue and len(running) < jobs:
                index, (label, kwargs) = queue.pop()
                progress(f"{label} … started")
                running[pool.submit(execute, **kwargs)] = index
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                index = running.pop(future)
                try:
                    result = future.result()
                except Exception as error:
                    result = {"status": "failed", "seconds": 0.0, "error": type(error).__name__}
                    result["message"] = str(error)
                results[index] = result
                progress(f"{calls[index][0]} … {result['status']} {result['seconds']:.1f} s")
    return results


def run_notebooks(
    names=None,
    profile="full",
    jobs=2,
    params=None,
    out_dir="build",
    force=False,
    progress=print,
    notebooks_dir=NOTEBOOKS_DIR,
):
    """Execute lessons headlessly and write their executed copies and a report.

    Parameters
    ----------
    names : str or list of str, optional
        Lessons to run (see :func:`notebook_paths`); all of them by default.
    profile : {"quick", "full"}
        Passed to every lesson as ``PROFILE``.
    jobs : int
        Lessons executing at once.
    params : dict, optional
        Further parameters (literals), e.g. ``{"SEED": 7}``.
    out_dir : path-like
        Receives ``notebooks/``, ``html/``, ``figures/``, ``cache/``,
        ``index.html`` and ``summary.json``.
    force : bool
        Execute even lessons whose cached run is still valid.
    progress : callable
        Receives the progress lines and the final table.
    notebooks_dir : path-like
        Folder holding the lessons; also the kernels' working directory.

    Returns
    -------
    list of dict
        One entry per lesson, as in ``summary.json``: ``name``, ``status``
        ("ok", "failed" or "cached"), ``seconds``, ``slowest_cell``,
        ``slowest_cell_seconds``, ``figures`` and, on failure, ``cell``,
        ``execution_count``, ``error`` and ``message``.

    Notes
    -----
    Workers are started with the "spawn" method, so a script calling this
    function must guard its top level with ``if __name__ == "__main__":``.
    """
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILES}, got {profile!r}")
    if not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a positive integer, got {jobs!r}")
    params = dict(params or {})
    bad = [key for key in params if not _is_name(key)]
    if bad:
        raise ValueError(f"parameter names must be Python names, got {bad!r}")
    if "PROFILE" in params:
        raise ValueError("set the profile with --profile (profile=), not as a parameter")
    paths = notebook_paths(names, notebooks_dir)
    out = Path(out_dir).resolve()
    parameters = {"PROFILE": profile, **params}
    dependencies = _dependencies_digest()

    results = [None] * len(paths)
    pending = []
    for index, path in enumerate(paths):
        label = f"[{index + 1}/{len(paths)}] {path.stem}"
        key = cache_key(path, parameters, dependencies)
        cached = None if force else _cached_result(out, path.stem, key)
        if cached is not None:
            results[index] = cached
            progress(f"{label} … cached ({cached['seconds']:.1f} s last run)")
            continue
        (out / "cache" / f"{path.stem}.json").unlink(missing_ok=True)
        pending.append((index, key, label, path))

    calls = [
        (
            label,
            {
                "source": path.resolve(),
                "output": out / "notebooks" / path.name,
                "parameters": parameters,
                "figures_dir": out / "figures",
                "html_path": out / "html" / f"{path.stem}.html",
            },
        )
        for _, _, label, path in pending
    ]
    for (index, key, _, path), result in zip(pending, execute_in_workers(calls, jobs, progress)):
        results[index] = {"name": path.stem, **result, "figures": read_figures(path.stem, out / "figures")}
        if result["status"] == "ok":
            _write_json(out / "cache" / f"{path.stem}.json", {"key": key, "result": results[index]})

    _write_json(out / "summary.json", {"profile": profile, "params": params, "notebooks": results})
    site.write_site(results, out, notebooks_dir)
    progress(summary_table(results))
    return results


def _cached_result(out, name, key):
    """The previous result if its key matches and its files exist, else None."""
    path = out / "cache" / f"{name}.json"
    outputs = (path, out / "notebooks" / f"{name}.ipynb", out / "html" / f"{name}.html")
    if not all(output.exists() for output in outputs):
        return None
    entry = json.loads(path.read_text(encoding="utf-8"))
    if entry.get("key") != key:
        return None
    result = {**entry["result"], "status": "cached"}
    # Something else (an interactive run, `refresh`) may have rewritten the figures file.
    _write_json(out / "figures" / f"{name}.json", result["figures"])
    return result


def _write_json(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, indent=1, default=repr) + "\n", encoding="utf-8")


def _failure_location(result):
    if result["status"] != "failed":
        return ""
    where = "" if result.get("cell") is None else f"cell {result['cell']}: "
    first_line = (result.get("message") or "").split("\n")[0]
    return f"{where}{result.get('error')}: {first_line}"[:100]


def summary_table(results):
    """Format results as a plain-text table, one lesson a line.

    Parameters
    ----------
    results : list of dict
        As returned by :func:`run_notebooks`.

    Returns
    -------
    str
    """
    rows = [("notebook", "status", "seconds", "slowest cell", "failure")]
    for result in results:
        slowest = result.get("slowest_cell")
        rows.append(
            (
                result["name"],
                result["status"],
                f"{result['seconds']:.1f}",
                "" if slowest is None else f"#{slowest} {result['slowest_cell_seconds']:.1f} s",
                _failure_location(result),
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    lines = ["  ".join(value.ljust(width) for value, width in zip(row, widths)) + "  " + row[4] for row in rows]
    counts = {status: sum(r["status"] == status for r in results) for status in ("ok", "cached", "failed")}
    lines.append(", ".join(f"{count} {status}" for status, count in counts.items()))
    return "\n".join(line.rstrip() for line in lines)
