"""Tests of the command line: exit codes, usage errors, sub-commands."""

import json
import subprocess
import sys

import pytest
from tiny_notebooks import write_failing, write_notebook, write_ok

from forge_lessons import runner
from forge_lessons.cli import main


def _usage_error(capsys, argv):
    """Run ``main(argv)``, expect exit code 2 and return the one-line message."""
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    message = capsys.readouterr().err
    assert message.count("\n") == 1
    assert "Traceback" not in message
    return message


def test_unknown_notebook_is_a_usage_error_naming_it(tmp_path, capsys):
    write_notebook(tmp_path / "00_a.ipynb", [])
    message = _usage_error(capsys, ["run", "07_nope", "--notebooks-dir", str(tmp_path)])
    assert "unknown notebook '07_nope'; available: 00_a" in message


@pytest.mark.parametrize("pair", ["SEED", "=3", "1X=2"])
def test_malformed_param_is_a_usage_error(tmp_path, capsys, pair):
    write_notebook(tmp_path / "00_a.ipynb", [])
    message = _usage_error(capsys, ["run", "--param", pair, "--notebooks-dir", str(tmp_path)])
    assert "KEY=VALUE" in message
    assert repr(pair) in message


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["run", "--param", "PROFILE=quick"], "--profile"),
        (["run", "--jobs", "0"], "--jobs"),
        (["run", "--profile", "fast"], "--profile"),
        (["frobnicate"], "invalid choice"),
        ([], "COMMAND"),
    ],
)
def test_bad_options_are_one_line_usage_errors(capsys, argv, expected):
    assert expected in _usage_error(capsys, argv)


def test_empty_notebooks_folder_is_a_usage_error(tmp_path, capsys):
    assert "no lessons" in _usage_error(capsys, ["refresh", "--notebooks-dir", str(tmp_path)])


@pytest.mark.slow
def test_run_exits_1_when_a_notebook_fails_then_0_for_the_cached_ok_one(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(runner, "_dependencies_digest", lambda: "fixed")  # other edits must not break the cache
    folder, out = tmp_path / "lessons", tmp_path / "out"
    write_ok(folder)
    write_failing(folder)
    common = ["--notebooks-dir", str(folder), "--out", str(out), "--profile", "quick"]

    assert main(["run", "--param", "MESSAGE='from cli'", *common]) == 1
    summary = json.loads((out / "summary.json").read_text())
    assert [n["status"] for n in summary["notebooks"]] == ["ok", "failed"]
    assert summary["notebooks"][0]["figures"]["message"] == "from cli"
    assert summary["notebooks"][1]["cell"] == 3

    capsys.readouterr()
    assert main(["run", "00_ok", "--param", "MESSAGE='from cli'", *common]) == 0
    assert "[1/1] 00_ok … cached" in capsys.readouterr().out


def test_student_command_writes_the_student_versions(tmp_path, capsys):
    write_notebook(tmp_path / "lessons" / "00_a.ipynb", [("code", "answer = 1", ["solution"])])
    assert main(["student", "--out", str(tmp_path / "student"), "--notebooks-dir", str(tmp_path / "lessons")]) == 0
    assert "wrote 1 student notebooks" in capsys.readouterr().out
    assert "answer = None" in (tmp_path / "student" / "notebooks" / "00_a.ipynb").read_text()


def test_python_dash_m_entry_point_reports_usage_errors_without_traceback(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "forge_lessons", "run", "07_nope", "--notebooks-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stderr.startswith("forge-lessons run: error: ")
    assert "Traceback" not in completed.stderr


def test_data_command_regenerates_identical_files_and_checks_them(tmp_path, capsys):
    from forge_lessons.course import DATA_DIR

    assert main(["data", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "transactions_dev.csv").read_bytes() == (DATA_DIR / "transactions_dev.csv").read_bytes()
    assert main(["data", "--check", "--out", str(tmp_path)]) == 0
    (tmp_path / "transactions_prod.csv").write_text("edited\n")
    capsys.readouterr()
    assert main(["data", "--check", "--out", str(tmp_path)]) == 1
    assert "MISMATCH  transactions_prod.csv" in capsys.readouterr().out


def test_envcheck_reports_the_installed_environment(capsys):
    assert main(["envcheck"]) == 0
    assert "environment matches the lock" in capsys.readouterr().out
