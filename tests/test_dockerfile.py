"""The Dockerfile builds the course environment from requirements-lock.txt and cannot drift from it.

There is no Docker engine on the machines that run these tests, so the file is read, not built:
every version it pins must be the lock's, it must install the lock itself, and nothing may be
installed without an exact version. The checker (forge_lessons.capstone.check_dockerfile) is
tested on broken Dockerfiles too, so that these tests can fail.
"""

import re

import pytest

from forge_lessons import capstone, environment
from forge_lessons.course import REPO_ROOT

GOOD = """\
FROM python:3.11-slim
COPY requirements-lock.txt ./
RUN python -m pip install -r requirements-lock.txt
COPY . .
RUN python -m pip install --no-deps -e .
CMD ["python", "-m", "forge_lessons", "run"]
"""


def problems(text):
    return capstone.dockerfile_problems(text=text)


# ----------------------------------------------------------------------------- the repository's Dockerfile


def test_the_dockerfile_passes_every_check():
    table = capstone.check_dockerfile()
    assert table["ok"].all(), table[~table["ok"]].to_string()


def test_every_pin_in_the_dockerfile_comes_from_the_lock():
    # Independent of the checker: every name==version anywhere in the file must be the lock's.
    lock = environment.read_lock()
    text = (REPO_ROOT / "Dockerfile").read_text()
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    for name, version in re.findall(r"([A-Za-z0-9][A-Za-z0-9_.\-]*)(?:\[[^\]]*\])?==([^\s\"',;\\]+)", code):
        assert lock.get(environment.normalize(name)) == version, f"{name}=={version} is not the lock's pin"
    assert capstone.dockerfile_pins() == {
        name: version for name, version in capstone.dockerfile_pins().items() if lock.get(name) == version
    }


def test_the_dockerfile_uses_python_311_and_installs_the_lock_first():
    instructions = capstone.dockerfile_instructions()
    keywords = [keyword for keyword, _ in instructions]
    assert instructions[0] == ("FROM", "python:3.11-slim")
    assert environment.PYTHON_VERSION == (3, 11)
    copy_lock = keywords.index("COPY")
    assert "requirements-lock.txt" in instructions[copy_lock][1]
    install_lock = next(i for i, (k, a) in enumerate(instructions) if k == "RUN" and "-r requirements-lock.txt" in a)
    copy_all = next(i for i, (k, a) in enumerate(instructions) if k == "COPY" and a.startswith(". "))
    assert copy_lock < install_lock < copy_all, "the lock layer comes before the course's files"
    assert keywords[-1] == "CMD" and "USER" in keywords


def test_the_build_context_leaves_out_machine_state():
    ignored = (REPO_ROOT / ".dockerignore").read_text().split()
    for entry in (".venv/", "build/", ".git/"):
        assert entry in ignored


# ----------------------------------------------------------------------------- the checker


def test_a_minimal_good_dockerfile_passes():
    assert problems(GOOD) == []


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda t: t.replace("python -m pip install --no-deps -e .",
                             "python -m pip install --no-deps -e . scikit-learn==1.5.2"),
         r"every pin equals the lock: scikit-learn==1\.5\.2 \(lock: 1\.9\.1\)"),
        (lambda t: t + "RUN pip install xgboost==2.1.0\n", r"xgboost==2\.1\.0 \(lock: not in the lock\)"),
        (lambda t: t + "RUN pip3 install requests\n", r"no unpinned package installs: installed without an exact version: \['requests'\]"),
        (lambda t: t.replace("python:3.11-slim", "python:3.12-slim"), "base image is Python 3.11: python:3.12-slim"),
        (lambda t: t.replace("-r requirements-lock.txt", "pandas==3.1.1"), "installs requirements-lock.txt"),
        (lambda t: t.replace("--no-deps ", ""), "installs the course package without dependencies"),
        (lambda t: t.replace('CMD ["python", "-m", "forge_lessons", "run"]', 'CMD ["bash"]'), "default command runs the course"),
    ],
)
def test_the_checker_catches_drift(edit, message):
    found = problems(edit(GOOD))
    assert any(re.search(message, problem) for problem in found), found


def test_continuation_lines_comments_and_json_form_are_read_like_docker_does():
    text = GOOD.replace(
        "RUN python -m pip install -r requirements-lock.txt",
        "RUN python -m pip install \\\n    # a comment inside the instruction\n    -r requirements-lock.txt \\\n"
        "    && pip install 'numpy==1.26.4'",
    ) + 'RUN ["pip", "install", "pandas==2.0.0"]\n'
    instructions = capstone.dockerfile_instructions(text=text)
    assert ("RUN", "python -m pip install -r requirements-lock.txt && pip install 'numpy==1.26.4'") in instructions
    assert capstone.dockerfile_pins(text=text) == {"numpy": "1.26.4", "pandas": "2.0.0"}
    found = problems(text)
    assert any("numpy==1.26.4" in p and "pandas==2.0.0" in p for p in found), found


def test_the_base_image_may_carry_a_patch_release_or_a_digest():
    for image in ("python:3.11", "python:3.11.9-slim-bookworm", "docker.io/library/python:3.11-slim@sha256:" + "a" * 64,
                  "--platform=linux/amd64 python:3.11-slim AS course"):
        assert problems(GOOD.replace("python:3.11-slim", image)) == [], image
    assert problems(GOOD.replace("python:3.11-slim", "python:3.1-slim"))


def test_a_missing_dockerfile_is_reported(tmp_path):
    with pytest.raises(FileNotFoundError, match="no Dockerfile at"):
        capstone.check_dockerfile(tmp_path / "Dockerfile")
    with pytest.raises(TypeError, match="text must be the Dockerfile's text"):
        capstone.dockerfile_pins(text=b"FROM python:3.11")
