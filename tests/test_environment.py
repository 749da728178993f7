"""The pinned environment: lock, environment.yml and what is installed agree."""

import re
import tomllib

import pytest

from forge_lessons import environment
from forge_lessons.course import REPO_ROOT


def test_conda_environment_and_lock_agree_on_every_shared_package():
    lock = environment.read_lock()
    conda = environment.read_conda_environment()
    shared = set(lock) & set(conda)
    assert len(shared) >= 15, f"environment.yml pins too few lock packages: {sorted(shared)}"
    differ = {name: (lock[name], conda[name]) for name in shared if lock[name] != conda[name]}
    assert not differ, f"lock vs environment.yml: {differ}"


def test_every_conda_pin_is_in_the_lock():
    conda = set(environment.read_conda_environment()) - {"python"}
    assert conda <= set(environment.read_lock()), sorted(conda - set(environment.read_lock()))


def test_environment_yml_asks_for_python_311_and_installs_the_package():
    text = environment.CONDA_FILE.read_text()
    assert re.search(r"-\s+python=3\.11\b", text)
    assert "- -e ." in text and "conda-forge" in text


def test_every_direct_dependency_is_locked():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    lock = environment.read_lock()
    for requirement in project["project"]["dependencies"]:
        name = environment.normalize(re.split(r"[<>=\[ ;]", requirement)[0])
        assert name in lock, f"{name} is a dependency but not in the lock"
    for name in environment.KEY_PACKAGES:
        assert environment.normalize(name) in lock


def test_installed_environment_matches_the_lock():
    rows = environment.check_environment()
    bad = [row for row in rows if not row["ok"]]
    assert not bad, environment.environment_report(rows)


def test_report_names_the_difference_and_the_fix(tmp_path):
    lock = tmp_path / "lock.txt"
    lock.write_text("numpy==0.0.1\nscikit-learn==" + environment.installed_version("scikit-learn") + "\n")
    rows = environment.check_environment(lock)
    report = environment.environment_report(rows)
    assert "numpy: locked 0.0.1, installed " in report and "make env" in report
    assert "scikit-learn" not in report
    assert report.startswith("❌ 1 of 3 checks (Python and 2 packages) differ from the lock:")
    ok = environment.environment_report([row for row in rows if row["ok"]])
    assert ok == "✅ environment matches the lock (Python and 1 package checked)."


def test_malformed_lock_line_is_reported(tmp_path):
    lock = tmp_path / "lock.txt"
    lock.write_text("numpy>=1\n")
    with pytest.raises(ValueError, match=r"lock\.txt:1: expected 'name==version', found 'numpy>=1'"):
        environment.read_lock(lock)


def test_unknown_package_is_reported():
    with pytest.raises(ValueError, match="'not-a-package' is not in"):
        environment.check_environment(packages=["not-a-package"])
