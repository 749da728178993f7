"""Tiny throwaway lessons for the runner, notebook-tool and CLI tests."""

import nbformat


def write_notebook(path, cells):
    """Write a notebook of ``(cell_type, source, tags)`` cells to ``path``."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for cell_type, source, tags in cells:
        make = nbformat.v4.new_code_cell if cell_type == "code" else nbformat.v4.new_markdown_cell
        nb.cells.append(make(source, metadata={"tags": tags} if tags else {}))
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def write_ok(folder, name="00_ok"):
    """A lesson that records its parameters and working folder, and logs each run."""
    return write_notebook(
        folder / f"{name}.ipynb",
        [
            ("markdown", "# A lesson that works", []),
            ("code", 'PROFILE = "full"\nSEED = 42\nMESSAGE = "default"', ["parameters"]),
            ("code", f'from pathlib import Path\nimport forge_lessons\nforge_lessons.setup("{name}", profile=PROFILE, seed=SEED)', []),
            (
                "code",
                'forge_lessons.record("message", MESSAGE)\n'
                'forge_lessons.record("folder", Path.cwd().name)\n'
                'with open("runs.log", "a") as log:\n    print("run", file=log)\n'
                "print(6 * 7)",
                [],
            ),
        ],
    )


def write_failing(folder, name="01_fail"):
    """A lesson whose cell 3 raises ``ValueError("boom")``."""
    return write_notebook(
        folder / f"{name}.ipynb",
        [
            ("markdown", "# A lesson that fails", []),
            ("code", 'PROFILE = "full"', ["parameters"]),
            ("code", "x = 1", []),
            ("code", 'raise ValueError("boom\\nsecond line")', []),
            ("code", 'print("unreachable")', []),
        ],
    )


def runs(folder):
    """How many times the lesson from :func:`write_ok` ran in ``folder``."""
    log = folder / "runs.log"
    return len(log.read_text().splitlines()) if log.exists() else 0
