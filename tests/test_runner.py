"""Tests of the headless runner, on tiny throwaway lessons."""

import json

import pytest
from tiny_notebooks import runs, write_failing, write_notebook, write_ok

from forge_lessons import runner


@pytest.fixture
def fixed_dependencies(monkeypatch):
    """Freeze the package/data/lock digest, which other edits could change mid-test."""
    monkeypatch.setattr(runner, "_dependencies_digest", lambda: "fixed")


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """One cold run of an ok and a failing lesson, shared by the tests below."""
    folder = tmp_path_factory.mktemp("lessons")
    write_ok(folder)
    write_failing(folder)
    out = tmp_path_factory.mktemp("out")
    lines = []
    results = runner.run_notebooks(
        profile="quick", jobs=2, params={"MESSAGE": "hi"}, out_dir=out, progress=lines.append, notebooks_dir=folder
    )
    return {"folder": folder, "out": out, "results": results, "lines": lines}


@pytest.mark.slow
def test_ok_lesson_reports_timings_and_figures_with_parameters(first_run):
    ok = first_run["results"][0]
    assert ok["name"] == "00_ok"
    assert ok["status"] == "ok"
    assert ok["seconds"] > 0
    assert ok["slowest_cell"] in (1, 2, 3)
    assert ok["slowest_cell_seconds"] >= 0
    assert ok["figures"] == {"message": "hi", "folder": first_run["folder"].name}
    assert "error" not in ok


@pytest.mark.slow
def test_failing_lesson_is_located_and_does_not_stop_the_others(first_run):
    failed = first_run["results"][1]
    assert failed["status"] == "failed"
    assert failed["cell"] == 3  # the lesson's own cell index, not counting papermill's injected cell
    assert failed["error"] == "ValueError"
    assert failed["message"] == "boom\nsecond line"
    assert first_run["results"][0]["status"] == "ok"


@pytest.mark.slow
def test_writes_executed_notebooks_html_index_and_summary(first_run):
    out = first_run["out"]
    for name in ("00_ok", "01_fail"):
        assert (out / "notebooks" / f"{name}.ipynb").exists()
        assert (out / "html" / f"{name}.html").read_text().startswith("<!DOCTYPE html>")
    index = (out / "index.html").read_text()
    assert index.index("id='00_ok'") < index.index("id='01_fail'")
    assert "html/01_fail.html" in index
    summary = json.loads((out / "summary.json").read_text())
    assert summary["profile"] == "quick"
    assert summary["params"] == {"MESSAGE": "hi"}
    assert summary["notebooks"] == json.loads(json.dumps(first_run["results"]))
    assert json.loads((out / "figures" / "00_ok.json").read_text())["message"] == "hi"


@pytest.mark.slow
def test_progress_lines_and_final_table(first_run):
    lines = first_run["lines"]
    assert "[1/2] 00_ok … started" in lines
    assert any(line.startswith("[2/2] 01_fail … failed") for line in lines)
    table = lines[-1]
    assert "cell 3: ValueError: boom" in table
    assert table.splitlines()[-1] == "1 ok, 0 cached, 1 failed"


@pytest.mark.slow
def test_hung_cell_is_located_and_earlier_outputs_are_kept(tmp_path, monkeypatch):
    # The runner skips papermill's write of the executed copy when a cell starts; a timeout must still
    # leave the outputs so far and the hung cell's place in it.
    monkeypatch.setattr(runner, "CELL_TIMEOUT_SECONDS", 2)
    lesson = write_notebook(
        tmp_path / "lessons" / "02_hang.ipynb",
        [
            ("code", 'PROFILE = "full"', ["parameters"]),
            ("code", 'print("before the hang")', []),
            ("code", "import time\ntime.sleep(60)", []),
            ("code", 'print("unreachable")', []),
        ],
    )
    output = tmp_path / "out" / "02_hang.ipynb"
    result = runner.execute(lesson, output, {"PROFILE": "quick"}, tmp_path / "figures")
    assert result["status"] == "failed"
    assert result["cell"] == 2
    assert "Timeout" in result["error"]
    executed = json.loads(output.read_text())
    printed = [out.get("text", "") for cell in executed["cells"] for out in cell.get("outputs", [])]
    assert any("before the hang" in "".join(text) for text in printed)


@pytest.mark.slow
def test_cache_hit_skips_execution_and_force_reexecutes(tmp_path, fixed_dependencies):
    folder, out = tmp_path / "lessons", tmp_path / "out"
    write_ok(folder)
    options = {"profile": "quick", "out_dir": out, "progress": lambda line: None, "notebooks_dir": folder}

    first = runner.run_notebooks(**options)
    (out / "figures" / "00_ok.json").write_text("{}")  # e.g. an interactive run overwrote it
    second = runner.run_notebooks(**options)
    assert runs(folder) == 1
    assert second[0]["status"] == "cached"
    assert second[0]["seconds"] == first[0]["seconds"]
    assert second[0]["figures"] == first[0]["figures"]
    assert json.loads((out / "figures" / "00_ok.json").read_text()) == first[0]["figures"]

    forced = runner.run_notebooks(force=True, **options)
    assert runs(folder) == 2
    assert forced[0]["status"] == "ok"


def test_cache_key_ignores_outputs_but_not_sources_tags_or_parameters(tmp_path):
    cells = [("code", "x = 1", ["parameters"]), ("code", "print(x)", [])]
    path = write_notebook(tmp_path / "00_a.ipynb", cells)
    key = runner.cache_key(path, {"PROFILE": "quick"}, "deps")

    content = json.loads(path.read_text())
    content["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "1\n"}]
    content["cells"][1]["execution_count"] = 2
    path.write_text(json.dumps(content))
    assert runner.cache_key(path, {"PROFILE": "quick"}, "deps") == key

    assert runner.cache_key(path, {"PROFILE": "full"}, "deps") != key
    assert runner.cache_key(path, {"PROFILE": "quick"}, "other deps") != key
    write_notebook(path, [("code", "x = 1", []), ("code", "print(x)", [])])
    assert runner.cache_key(path, {"PROFILE": "quick"}, "deps") != key
    write_notebook(path, [("code", "x = 2", ["parameters"]), ("code", "print(x)", [])])
    assert runner.cache_key(path, {"PROFILE": "quick"}, "deps") != key


def test_notebook_paths_accepts_names_numbers_and_file_names(tmp_path):
    for name in ("01_b", "00_a"):
        write_notebook(tmp_path / f"{name}.ipynb", [])
    (tmp_path / "scratch.ipynb").write_text("{}")
    assert [p.name for p in runner.notebook_paths(None, tmp_path)] == ["00_a.ipynb", "01_b.ipynb"]
    selected = runner.notebook_paths(["01_b.ipynb", "00_a", "notebooks/01_b.ipynb"], tmp_path)
    assert [p.stem for p in selected] == ["00_a", "01_b"]
    assert runner.notebook_paths("00_a", tmp_path) == [tmp_path / "00_a.ipynb"]
    assert runner.notebook_paths(["01", "0"], tmp_path) == [tmp_path / "00_a.ipynb", tmp_path / "01_b.ipynb"]
    with pytest.raises(ValueError, match="unknown notebook '02'"):
        runner.notebook_paths(["02"], tmp_path)


def test_unknown_notebook_is_named_with_the_available_ones(tmp_path):
    write_notebook(tmp_path / "00_a.ipynb", [])
    with pytest.raises(ValueError, match=r"unknown notebook '07_nope'; available: 00_a"):
        runner.run_notebooks(["07_nope"], notebooks_dir=tmp_path, out_dir=tmp_path / "out")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("SEED=7", ("SEED", 7)),
        ("RATE=0.5", ("RATE", 0.5)),
        ("FLAG=True", ("FLAG", True)),
        ("NAMES=['a', 'b']", ("NAMES", ["a", "b"])),
        ("MODE='fast'", ("MODE", "fast")),
        ("MODE=fast", ("MODE", "fast")),
        ("EXPR=1+", ("EXPR", "1+")),
        ("URL=a=b", ("URL", "a=b")),
        ("EMPTY=", ("EMPTY", "")),
    ],
)
def test_parse_param_reads_literals_and_falls_back_to_text(text, expected):
    assert runner.parse_param(text) == expected


@pytest.mark.parametrize("text", ["SEED", "=7", "1X=2", "A-B=1", "class=1"])
def test_parse_param_rejects_malformed_pairs(text):
    with pytest.raises(ValueError, match="KEY=VALUE"):
        runner.parse_param(text)


@pytest.mark.parametrize(
    "options, match",
    [
        ({"profile": "fast"}, "profile"),
        ({"jobs": 0}, "jobs"),
        ({"params": {"not a name": 1}}, "parameter names"),
        ({"params": {"PROFILE": "quick"}}, "--profile"),
    ],
)
def test_run_notebooks_validates_its_arguments(tmp_path, options, match):
    with pytest.raises(ValueError, match=match):
        runner.run_notebooks(notebooks_dir=tmp_path, out_dir=tmp_path / "out", **options)
