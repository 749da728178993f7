"""The course catalogue: lesson titles, objectives and stated time, read from the notebooks.

Each lesson's first cell is markdown: a ``# NN · Title`` heading, a line with
the time needed (``**Time:** 25 minutes``), a "You will learn" bullet list and
the prerequisites. The catalogue reads them so that the README, lesson 00 and
the course site never disagree with the notebooks.
"""

import json
import re
from pathlib import Path

from .course import NOTEBOOKS_DIR

_TIME = re.compile(r"\*\*Time[^*]*\*\*:?\s*(?:about\s*|~\s*)?(\d+)(?:\s*(?:–|-|to)\s*(\d+))?\s*min", re.I)


def lesson_paths(notebooks_dir=NOTEBOOKS_DIR):
    """Return the lesson notebooks (``NN_topic.ipynb``) in course order."""
    return sorted(Path(notebooks_dir).glob("[0-9][0-9]_*.ipynb"))


def describe(path):
    """Read a lesson's first cell.

    Parameters
    ----------
    path : path-like
        A lesson notebook.

    Returns
    -------
    dict
        ``name``, ``number``, ``title``, ``minutes`` (int or None: upper bound of
        a range) and ``objectives`` (list of str).

    Raises
    ------
    ValueError
        When the first cell is not a markdown cell with a ``#`` title.
    """
    path = Path(path)
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    first = cells[0] if cells else {}
    source = "".join(first.get("source", ""))
    if first.get("cell_type") != "markdown" or not source.lstrip().startswith("#"):
        raise ValueError(f"{path.name}: cell 1 must be markdown starting with a '# title' line")
    lines = source.strip().splitlines()
    title = re.sub(r"^#+\s*", "", lines[0]).strip()
    title = re.sub(r"^(?:lesson\s+)?\d\d\s*[·:.\-–—]\s*", "", title, flags=re.I)
    time = _TIME.search(source)
    minutes = int(time.group(2) or time.group(1)) if time else None
    objectives, in_list = [], False
    for line in lines[1:]:
        if re.search(r"you will learn|you'll learn|learning objectives", line, re.I):
            in_list = True
            continue
        if in_list:
            bullet = re.match(r"\s*(?:[-*]|\d+\.)\s+(.*)", line)
            if bullet:
                objectives.append(bullet.group(1).strip())
            elif line.startswith((" ", "\t")) and line.strip() and objectives:
                objectives[-1] += " " + line.strip()  # a wrapped bullet
            elif line.strip() and objectives:
                break
    return {
        "name": path.stem,
        "number": path.stem[:2],
        "title": title,
        "minutes": minutes,
        "objectives": objectives,
    }


def catalog(notebooks_dir=NOTEBOOKS_DIR):
    """Describe every lesson, in order (see :func:`describe`)."""
    return [describe(path) for path in lesson_paths(notebooks_dir)]
