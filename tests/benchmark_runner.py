"""Benchmark the headless runner (run with `make benchmark`; not part of the test suite).

Measures, on the quick profile of every lesson present:
1. each notebook's wall time when executed alone with plain papermill, one after another;
2. the runner with ``--jobs 2`` on the same notebooks (cold, forced) and its speed-up over (1);
3. a second runner call with nothing changed (served from the cache), as a share of the cold run;
4. the full profile: each notebook's seconds and slowest cell, from one runner call with ``--jobs 1``
   into ``build/benchmark-full/`` (skip with ``--quick-only``); ``make guide`` can quote it with
   ``python -m forge_lessons guide --summary build/benchmark-full/summary.json``.

Prints a table and writes ``build/benchmark.json``.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import papermill

from forge_lessons import catalog
from forge_lessons.course import BUILD_DIR, FIGURES_ENV, NOTEBOOKS_DIR
from forge_lessons.runner import run_notebooks


def _plain_papermill(names, workdir):
    seconds = {}
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ[FIGURES_ENV] = str(workdir / "figures")
    for name in names:
        start = time.perf_counter()
        papermill.execute_notebook(
            str(NOTEBOOKS_DIR / f"{name}.ipynb"), str(workdir / f"{name}.ipynb"),
            parameters={"PROFILE": "quick"}, cwd=str(NOTEBOOKS_DIR), kernel_name="python3",
            progress_bar=False,
        )
        seconds[name] = time.perf_counter() - start
    return seconds


def _timed_run(**kwargs):
    start = time.perf_counter()
    results = run_notebooks(progress=lambda *a, **k: None, **kwargs)
    return time.perf_counter() - start, results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick-only", action="store_true", help="skip the full-profile measurement")
    args = parser.parse_args(argv)
    names = [path.stem for path in catalog.lesson_paths()]
    work = Path(tempfile.mkdtemp(prefix="forge-bench-"))
    report = {"notebooks": names, "cores": os.cpu_count()}

    sequential = _plain_papermill(names, work / "plain")
    report["quick_plain_papermill_seconds"] = sequential
    report["quick_plain_papermill_total"] = sum(sequential.values())

    cold, results = _timed_run(names=names, profile="quick", jobs=2, out_dir=work / "runner", force=True)
    failed = [r["name"] for r in results if r["status"] == "failed"]
    report["quick_runner_jobs2_cold_total"] = cold
    report["quick_runner_failed"] = failed
    report["speedup_vs_plain_papermill"] = report["quick_plain_papermill_total"] / cold
    warm, results = _timed_run(names=names, profile="quick", jobs=2, out_dir=work / "runner")
    report["quick_runner_cached_total"] = warm
    report["cached_share_of_cold"] = warm / cold
    report["cached_statuses"] = sorted({r["status"] for r in results})

    if not args.quick_only:
        full, results = _timed_run(names=names, profile="full", jobs=1, out_dir=BUILD_DIR / "benchmark-full", force=True)
        report["full_total_jobs1"] = full
        report["full"] = {
            r["name"]: {"status": r["status"], "seconds": r["seconds"], "slowest_cell_seconds": r["slowest_cell_seconds"]}
            for r in results
        }

    print(f"{'notebook':40} {'quick s (papermill)':>20}")
    for name, seconds in sequential.items():
        print(f"{name:40} {seconds:20.1f}")
    print(f"plain papermill, one after another: {report['quick_plain_papermill_total']:.1f} s")
    print(f"runner --jobs 2, cold:              {cold:.1f} s  (speed-up {report['speedup_vs_plain_papermill']:.2f}x)")
    print(f"runner --jobs 2, nothing changed:   {warm:.2f} s  ({report['cached_share_of_cold']:.1%} of cold)")
    if "full" in report:
        print(f"\n{'notebook (full profile, --jobs 1)':40} {'seconds':>8} {'slowest cell':>13}")
        for name, row in report["full"].items():
            print(f"{name:40} {row['seconds']:8.1f} {row['slowest_cell_seconds']:13.1f}  {row['status']}")
    BUILD_DIR.mkdir(exist_ok=True)
    (BUILD_DIR / "benchmark.json").write_text(json.dumps(report, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
