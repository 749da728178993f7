"""The README stays true: its course map matches the notebooks, its commands exist."""

import re

from forge_lessons import catalog
from forge_lessons.course import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text()
MAKEFILE = (REPO_ROOT / "Makefile").read_text()


def _course_map():
    rows = re.findall(r"^\| (\d\d) \| `([\w]+)` \| (.+?) \| (\d+) \|$", README, re.M)
    return {name: int(minutes) for _, name, _, minutes in rows}


def test_course_map_lists_exactly_the_lessons_with_their_stated_minutes():
    expected = {info["name"]: info["minutes"] for info in catalog.catalog()}
    assert _course_map() == expected


def test_readme_commands_are_make_targets():
    for target in re.findall(r"^make (\w+)", README, re.M):
        assert re.search(rf"^{target}:", MAKEFILE, re.M), f"README mentions `make {target}`, Makefile lacks it"


def test_ci_runs_the_readme_test_command():
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    assert "make test" in README and re.search(r"^make test$", ci, re.M)
