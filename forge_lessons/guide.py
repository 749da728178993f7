"""The instructor guide's generated parts: measured run times and the list of exercises.

``notebooks/INSTRUCTOR_GUIDE.md`` is written by hand except for blocks between
``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->`` markers, which
:func:`update_guide` rewrites: ``timings`` from the runner's ``summary.json``
(a full-profile run of every lesson, so the guide never quotes a time typed by
hand) and ``exercises``: each lesson's objectives and exercise prompts, read
from the notebooks.
"""

import json
import re
from pathlib import Path

from . import catalog
from .course import BUILD_DIR, NOTEBOOKS_DIR

GUIDE_PATH = NOTEBOOKS_DIR / "INSTRUCTOR_GUIDE.md"


def timings_block(summary, notebooks_dir=NOTEBOOKS_DIR):
    """Return the markdown table of run times for a full-profile summary of every lesson.

    Parameters
    ----------
    summary : dict
        The content of the runner's ``summary.json``.
    notebooks_dir : path-like
        Where the lessons are.

    Raises
    ------
    ValueError
        When the summary is not a full-profile run, misses a lesson, or a lesson failed.
    """
    if summary.get("profile") != "full":
        raise ValueError(f"the guide quotes full-profile times; this summary is profile {summary.get('profile')!r}"
                         " (run `make course` first)")
    results = {entry["name"]: entry for entry in summary.get("notebooks", [])}
    lessons = catalog.catalog(notebooks_dir)
    missing = [info["name"] for info in lessons if info["name"] not in results]
    if missing:
        raise ValueError(f"the summary lacks lessons {missing}; run every lesson (`make course`)")
    failed = [name for name, entry in results.items() if entry["status"] == "failed"]
    if failed:
        raise ValueError(f"lessons failed in this summary: {failed}; fix them before quoting their times")
    rows = ["| lesson | learner time (stated) | machine time, full profile | slowest cell |", "|---|---|---|---|"]
    for info in lessons:
        entry = results[info["name"]]
        rows.append(
            f"| {info['name']} | {info['minutes']} min | {entry['seconds']:.1f} s | {entry['slowest_cell_seconds']:.1f} s |"
        )
    total = sum(results[info["name"]]["seconds"] for info in lessons)
    rows.append(f"\nWhole course, summed over the lessons: {total:.0f} s of machine time.")
    return "\n".join(rows)


def exercises_block(notebooks_dir=NOTEBOOKS_DIR):
    """Return, per lesson, its objectives and its exercises (the first line of each prompt), in markdown."""
    lines = []
    for path in catalog.lesson_paths(notebooks_dir):
        info = catalog.describe(path)
        lines.append(f"### {info['number']} · {info['title']} ({info['minutes']} min)\n")
        lines.append("Objectives:")
        lines += [f"- {objective}" for objective in info["objectives"]]
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        prompts = []
        for index, cell in enumerate(cells):
            if "solution" in cell.get("metadata", {}).get("tags", []):
                before = [c for c in cells[:index] if c["cell_type"] == "markdown"]
                text = "".join(before[-1]["source"]).strip() if before else ""
                first = next((l for l in text.splitlines() if l.strip()), "(no prompt)")
                prompts.append(re.sub(r"^#+\s*", "", first).strip())
        lines.append(f"\nExercises in `{path.name}` ({len(prompts)}):")
        lines += [f"- {prompt}" for prompt in prompts]
        lines.append("")
    return "\n".join(lines).rstrip()


def replace_block(text, name, content):
    """Replace the generated block ``name`` in ``text``; raise if its markers are missing."""
    pattern = re.compile(rf"(<!-- generated:{name} -->\n).*?(\n<!-- /generated:{name} -->)", re.S)
    if not pattern.search(text):
        raise ValueError(f"the guide has no '<!-- generated:{name} -->' … '<!-- /generated:{name} -->' block")
    return pattern.sub(lambda m: m.group(1) + content + m.group(2), text)


def update_guide(summary_path=BUILD_DIR / "summary.json", guide_path=GUIDE_PATH, notebooks_dir=NOTEBOOKS_DIR):
    """Rewrite the guide's generated blocks from a runner summary and the notebooks.

    Returns
    -------
    pathlib.Path
        The guide.
    """
    summary_path = Path(summary_path)
    if not summary_path.exists():
        raise FileNotFoundError(f"{summary_path} not found; run `make course` first")
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    text = Path(guide_path).read_text(encoding="utf-8")
    text = replace_block(text, "timings", timings_block(summary, notebooks_dir))
    text = replace_block(text, "exercises", exercises_block(notebooks_dir))
    Path(guide_path).write_text(text, encoding="utf-8")
    return Path(guide_path)
