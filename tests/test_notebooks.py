"""Every lesson: follows the notebook conventions and executes in the quick profile."""

import ast
import re

import nbformat
import pytest

from forge_lessons import catalog
from forge_lessons.course import NOTEBOOKS_DIR

LESSONS = catalog.lesson_paths()
NAMES = [path.stem for path in LESSONS]


def _cells(path):
    return nbformat.read(path, as_version=4).cells


def test_the_course_has_its_first_lesson():
    assert "00_start_here" in NAMES


@pytest.mark.parametrize("path", LESSONS, ids=NAMES)
def test_first_cell_states_title_objectives_time_and_prerequisites(path):
    info = catalog.describe(path)
    source = _cells(path)[0].source
    assert info["title"], "cell 1 needs a '# NN · Title' heading"
    assert info["minutes"], "cell 1 needs '**Time:** N minutes'"
    assert len(info["objectives"]) >= 2, "cell 1 needs a 'You will learn:' list"
    assert re.search(r"prerequisite", source, re.I), "cell 1 needs the prerequisites"


@pytest.mark.parametrize("path", LESSONS, ids=NAMES)
def test_second_cell_holds_literal_parameters(path):
    cell = _cells(path)[1]
    assert cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", [])
    tree = ast.parse(cell.source)
    names = []
    for node in tree.body:
        assert isinstance(node, ast.Assign), f"parameters cell may only assign literals: {ast.unparse(node)}"
        ast.literal_eval(node.value)  # raises if not a literal
        names += [target.id for target in node.targets]
    assert {"PROFILE", "SEED"} <= set(names)
    assert re.search(r'PROFILE\s*=\s*"full"', cell.source), "the committed default profile is 'full'"


@pytest.mark.parametrize("path", LESSONS, ids=NAMES)
def test_third_cell_sets_the_lesson_up_under_its_own_name(path):
    source = _cells(path)[2].source
    assert re.search(rf'fl\.setup\(\s*"{path.stem}"\s*,\s*profile=PROFILE\s*,\s*seed=SEED', source), source


@pytest.mark.parametrize("path", LESSONS, ids=NAMES)
def test_cell_conventions(path):
    cells = _cells(path)
    for index, cell in enumerate(cells):
        tags = cell.metadata.get("tags", [])
        if cell.cell_type != "code":
            continue
        if "leaky-demo" in tags:
            assert cell.source.lstrip().startswith("# LEAKY DEMO"), f"cell {index}: leaky-demo needs '# LEAKY DEMO' first"
        for line in cell.source.splitlines():
            stripped = line.rstrip()
            if re.match(r"\s*(plt|ax|axes|fig)\S*\.\w+\(.*\);$", stripped):
                pytest.fail(f"cell {index}: end plotting lines with '_ = ...', not ';': {stripped}")
    solutions = [c for c in cells if "solution" in c.metadata.get("tags", [])]
    checks = [c for c in cells if c.cell_type == "code" and "fl.check(" in c.source]
    assert len(checks) >= len(solutions) >= 1, "every lesson has exercises with solutions and checks"
    assert "key takeaways" in " ".join(c.source.lower() for c in cells if c.cell_type == "markdown")


@pytest.mark.parametrize("path", LESSONS, ids=NAMES)
def test_committed_outputs_come_from_a_clean_execution(path):
    notebook = nbformat.read(path, as_version=4)
    assert "papermill" not in notebook.metadata, "metadata not cleaned (use `make refresh`)"
    code = [c for c in notebook.cells if c.cell_type == "code"]
    counts = [c.execution_count for c in code]
    assert all(counts), "every code cell has been executed"
    assert counts == sorted(counts), "cells were executed out of order"
    for cell in code:
        for output in cell.outputs:
            assert output.output_type != "error", f"committed error output: {output.get('ename')}"
            text = output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
            assert "/work/" not in text and "/home/" not in text, "absolute path in an output"


@pytest.mark.parametrize("name", NAMES)
def test_lesson_executes_in_the_quick_profile(name, run_lesson):
    figures = run_lesson(name, profile="quick", seed=42)
    assert figures, f"{name} recorded no figures"


@pytest.mark.parametrize("path", LESSONS, ids=NAMES)
def test_lesson_lints_clean_apart_from_leaky_demo_cells(path):
    from forge_lessons import lint

    result = lint.lint_file(path)
    assert result.error is None, result.error
    unexpected = [finding.format() for finding in result.findings if not finding.expected]
    assert not unexpected, f"leakage outside leaky-demo cells (fix it, or justify with '# leakage-ok: kind -- why'): {unexpected}"
