"""Tests of notebook cleaning, in-place refresh and student versions."""

import json

import nbformat
import pytest
from tiny_notebooks import write_failing, write_notebook, write_ok

from forge_lessons import notebook_tools, runner


def _executed_notebook():
    """A notebook as papermill leaves it: timestamps, paths, an injected cell."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"input_path": "/abs/in.ipynb", "start_time": "2026-01-01T00:00:00"}
    parameters = nbformat.v4.new_code_cell("A = 1", execution_count=1, metadata={"tags": ["parameters"]})
    injected = nbformat.v4.new_code_cell("A = 2", execution_count=2, metadata={"tags": ["injected-parameters"]})
    work = nbformat.v4.new_code_cell(
        "print(A)",
        execution_count=3,
        outputs=[nbformat.v4.new_output("stream", text="2\n")],
        metadata={
            "tags": ["keep-me"],
            "papermill": {"start_time": "2026-01-01T00:00:01", "duration": 0.1, "status": "completed"},
            "execution": {"iopub.execute_input": "2026-01-01T00:00:01.5"},
        },
    )
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), parameters, injected, work]
    return nb


def test_clean_executed_keeps_counts_and_outputs_and_drops_run_metadata():
    nb = _executed_notebook()
    cleaned = notebook_tools.clean_executed(nb)
    assert [cell.source for cell in cleaned.cells] == ["# Title", "A = 1", "print(A)"]
    assert [cell.get("execution_count") for cell in cleaned.cells[1:]] == [1, 3]
    assert cleaned.cells[2].outputs[0].text == "2\n"
    assert cleaned.cells[2].metadata == {"tags": ["keep-me"]}
    text = json.dumps(cleaned)
    for leftover in ("papermill", "2026-01-01", "/abs/", "iopub"):
        assert leftover not in text
    assert "papermill" in nb.metadata  # the input is not modified


@pytest.mark.slow
def test_refresh_writes_clean_outputs_back_and_leaves_failures_untouched(tmp_path):
    folder = tmp_path / "lessons"
    ok, failing = write_ok(folder), write_failing(folder)
    failing_before = failing.read_bytes()
    lines = []

    results = notebook_tools.refresh_in_place(jobs=2, notebooks_dir=folder, build_dir=tmp_path / "build", progress=lines.append)

    assert [(r["name"], r["status"]) for r in results] == [("00_ok", "ok"), ("01_fail", "failed")]
    assert failing.read_bytes() == failing_before
    assert any("01_fail: left unchanged" in line for line in lines)
    nb = nbformat.read(ok, as_version=4)
    assert len(nb.cells) == 4  # no injected cell
    assert [cell.execution_count for cell in nb.cells[1:]] == [1, 2, 3]
    assert nb.cells[3].outputs[0].text == "42\n"
    assert "papermill" not in json.dumps(nb)
    assert "execution" not in nb.cells[3].metadata
    figures = json.loads((tmp_path / "build" / "figures" / "00_ok.json").read_text())
    assert figures["message"] == "default"  # the notebook's own parameters


def _lesson_with_exercise(folder):
    return write_notebook(
        folder / "00_exercise.ipynb",
        [
            ("markdown", "Exercise 1: compute 6 × 7.", []),
            ("code", 'PROFILE = "full"', ["parameters"]),
            ("code", "answer = 6 * 7", ["solution"]),
            ("code", 'from forge_lessons import check\ncheck("Exercise 1", answer, expected=42)', []),
        ],
    )


def test_student_version_stubs_solutions_clears_outputs_and_copies_data(tmp_path):
    lessons, data = tmp_path / "lessons", tmp_path / "data"
    _lesson_with_exercise(lessons)
    data.mkdir()
    (data / "table.csv").write_text("a,b\n1,2\n")
    out = tmp_path / "student"

    written = notebook_tools.write_student_versions(out, notebooks_dir=lessons, data_dir=data)

    assert written[:2] == [out / "notebooks" / "00_exercise.ipynb", out / "data" / "table.csv"]
    assert written[-1] == out / "README.md"
    assert out / "forge_lessons" / "course.py" in written and out / "requirements-lock.txt" in written
    nb = nbformat.read(written[0], as_version=4)
    solution = nb.cells[2]
    assert "answer = None" in solution.source
    assert "6 * 7" not in solution.source
    assert solution.metadata["tags"] == ["solution"]
    assert all(cell.outputs == [] and cell.execution_count is None for cell in nb.cells if cell.cell_type == "code")
    assert (out / "data" / "table.csv").read_text() == "a,b\n1,2\n"
    assert "make lab" in (out / "README.md").read_text()


@pytest.mark.slow
def test_student_version_runs_top_to_bottom(tmp_path):
    _lesson_with_exercise(tmp_path / "lessons")
    out = tmp_path / "student"
    notebook_tools.write_student_versions(out, notebooks_dir=tmp_path / "lessons", data_dir=tmp_path / "no-data")

    results = runner.run_notebooks(notebooks_dir=out / "notebooks", out_dir=tmp_path / "run", progress=lambda line: None)

    assert results[0]["status"] == "ok"
    executed = nbformat.read(tmp_path / "run" / "notebooks" / "00_exercise.ipynb", as_version=4)
    assert "not attempted yet" in executed.cells[-1].outputs[0].text
