"""Student handouts: self-contained, solutions stubbed, and every notebook runs top to bottom."""

import json

import papermill
import pytest

from forge_lessons import catalog
from forge_lessons.course import FIGURES_ENV
from forge_lessons.exercises import NOT_ATTEMPTED
from forge_lessons.notebook_tools import SETUP_FILES, write_student_versions

LESSONS = [path.stem for path in catalog.lesson_paths()]


@pytest.fixture(scope="module")
def handout(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    write_student_versions(out)
    return out


def test_handout_is_self_contained(handout):
    for name in SETUP_FILES + ("README.md", "forge_lessons/__init__.py", "data/transactions_dev.csv"):
        assert (handout / name).exists(), name
    assert "make lab" in (handout / "README.md").read_text()
    assert sorted(p.stem for p in (handout / "notebooks").glob("*.ipynb")) == LESSONS


@pytest.mark.parametrize("name", LESSONS)
def test_student_notebook_runs_and_reports_unanswered_exercises(name, handout, tmp_path, monkeypatch):
    source = handout / "notebooks" / f"{name}.ipynb"
    notebook = json.loads(source.read_text())
    solutions = [i for i, c in enumerate(notebook["cells"]) if "solution" in c["metadata"].get("tags", [])]
    assert solutions, f"{name} has no exercises"
    for index in solutions:
        assert "= None" in "".join(notebook["cells"][index]["source"])
    monkeypatch.setenv(FIGURES_ENV, str(tmp_path))
    executed = papermill.execute_notebook(
        str(source), str(tmp_path / f"{name}.ipynb"), parameters={"PROFILE": "quick"},
        cwd=str(source.parent), kernel_name="python3", progress_bar=False, execution_timeout=300,
    )
    cells = [c for c in executed.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    printed = "".join(
        output.get("text", "") for cell in cells if cell.cell_type == "code" for output in cell.outputs
    )
    assert printed.count(NOT_ATTEMPTED) >= len(solutions), f"{name}: an unanswered check did not say '{NOT_ATTEMPTED}'"
    assert ": correct." not in printed, f"{name}: a check passed with no answer"
