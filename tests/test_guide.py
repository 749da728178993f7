"""The instructor guide: generated run times and exercises, and the committed guide is current."""

import json
import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from forge_lessons import catalog, guide


def _lessons(folder):
    for name, minutes in (("00_a", 10), ("01_b", 30)):
        cells = [
            new_markdown_cell(f"# {name[:2]} · T\n\n**Time:** {minutes} minutes\n\nYou will learn:\n- x;\n- y.\n"),
            new_markdown_cell(f"## Exercise 1\n\nDo the {name} thing."),
            new_code_cell("answer_1 = 1", metadata={"tags": ["solution"]}),
        ]
        nbformat.write(new_notebook(cells=cells), folder / f"{name}.ipynb")


def _summary(profile="full", status="ok"):
    return {
        "profile": profile,
        "notebooks": [
            {"name": "00_a", "status": "ok", "seconds": 4.25, "slowest_cell_seconds": 1.5},
            {"name": "01_b", "status": status, "seconds": 20.0, "slowest_cell_seconds": 9.0},
        ],
    }


def test_timings_come_from_the_summary(tmp_path):
    _lessons(tmp_path)
    block = guide.timings_block(_summary(), tmp_path)
    assert "| 00_a | 10 min | 4.2 s | 1.5 s |" in block or "| 00_a | 10 min | 4.3 s | 1.5 s |" in block
    assert "| 01_b | 30 min | 20.0 s | 9.0 s |" in block
    assert "summed over the lessons: 24 s of machine time" in block


@pytest.mark.parametrize(
    "summary, message",
    [
        (_summary(profile="quick"), "full-profile times"),
        (_summary(status="failed"), "lessons failed"),
        ({"profile": "full", "notebooks": _summary()["notebooks"][:1]}, r"lacks lessons \['01_b'\]"),
    ],
)
def test_timings_refuse_unusable_summaries(tmp_path, summary, message):
    _lessons(tmp_path)
    with pytest.raises(ValueError, match=message):
        guide.timings_block(summary, tmp_path)


def test_exercises_are_listed_from_their_prompts(tmp_path):
    _lessons(tmp_path)
    block = guide.exercises_block(tmp_path)
    assert block.startswith("### 00 · T (10 min)\n\nObjectives:\n- x;\n- y.\n\nExercises in `00_a.ipynb` (1):\n- Exercise 1")
    assert "### 01 · T (30 min)" in block


def test_update_rewrites_only_generated_blocks(tmp_path):
    _lessons(tmp_path)
    summary = tmp_path / "summary.json"
    summary.write_text(json.dumps(_summary()))
    page = tmp_path / "GUIDE.md"
    page.write_text("Intro\n<!-- generated:timings -->\nold\n<!-- /generated:timings -->\nMiddle\n"
                    "<!-- generated:exercises -->\nold\n<!-- /generated:exercises -->\nEnd\n")
    guide.update_guide(summary, page, tmp_path)
    text = page.read_text()
    assert text.startswith("Intro\n") and "Middle\n" in text and text.endswith("End\n") and "old" not in text
    assert "| 01_b | 30 min | 20.0 s | 9.0 s |" in text


def test_missing_markers_and_summary_are_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="no '<!-- generated:timings -->'"):
        guide.replace_block("no markers", "timings", "x")
    with pytest.raises(FileNotFoundError, match="run `make course` first"):
        guide.update_guide(tmp_path / "missing.json", tmp_path / "GUIDE.md", tmp_path)


def test_committed_guide_is_current():
    text = guide.GUIDE_PATH.read_text()
    block = re.search(r"<!-- generated:exercises -->\n(.*?)\n<!-- /generated:exercises -->", text, re.S).group(1)
    assert block == guide.exercises_block(), "run `make guide` to refresh the exercise list"
    timings = re.search(r"<!-- generated:timings -->\n(.*?)\n<!-- /generated:timings -->", text, re.S).group(1)
    for info in catalog.catalog():
        assert re.search(rf"^\| {info['name']} \| {info['minutes']} min \| [\d.]+ s \| [\d.]+ s \|$", timings, re.M), (
            f"{info['name']} missing from the guide's run times; run `make course` then `make guide`"
        )
