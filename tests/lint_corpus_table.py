"""Precision and recall of the leakage lint on the labelled corpus in ``tests/lint_corpus/``.

Each corpus file starts with ``# expect: <kind>[, <kind>]`` (or ``clean``) and
``# why: ...``. A file counts as a detection of a kind when the lint reports
that kind outside cells tagged ``leaky-demo``. Run it to print the table::

    .venv/bin/python tests/lint_corpus_table.py
"""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from forge_lessons.lint import KINDS, lint_file  # noqa: E402

CORPUS = Path(__file__).resolve().parent / "lint_corpus"


def labels(path):
    """The kinds a corpus file is labelled with (empty set for ``clean``)."""
    first = path.read_text().splitlines()[0]
    match = re.match(r"#\s*expect:\s*(.+)$", first)
    if not match:
        raise ValueError(f"{path.name}: the first line must be '# expect: <kind>' or '# expect: clean'")
    found = {part.strip() for part in match.group(1).split(",")} - {"clean"}
    unknown = found - set(KINDS)
    if unknown:
        raise ValueError(f"{path.name}: unknown kind(s) {sorted(unknown)}; known: {sorted(KINDS)}")
    return found


def evaluate(corpus=CORPUS):
    """Lint every corpus file and compare with its labels.

    Returns
    -------
    dict
        ``{"files": [...], "kinds": {kind: {"tp", "fp", "fn", "precision", "recall"}}, "counts": {...}}``;
        each file entry holds ``name``, ``expected`` and ``found`` (sets of kinds) and ``errors``.
    """
    files = []
    for path in sorted(Path(corpus).glob("*.py")):
        result = lint_file(path)
        found = {f.kind for f in result.findings if not f.expected}
        files.append({"name": path.stem, "expected": labels(path), "found": found, "error": result.error,
                      "notes": result.notes})
    kinds = {}
    for kind in KINDS:
        tp = sum(kind in f["expected"] and kind in f["found"] for f in files)
        fp = sum(kind not in f["expected"] and kind in f["found"] for f in files)
        fn = sum(kind in f["expected"] and kind not in f["found"] for f in files)
        kinds[kind] = {
            "tp": tp, "fp": fp, "fn": fn,
            "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0,
            "labelled": tp + fn,
        }
    counts = {
        "snippets": len(files),
        "leaky": sum(bool(f["expected"]) for f in files),
        "clean": sum(not f["expected"] for f in files),
        "clean_flagged": sum(not f["expected"] and bool(f["found"]) for f in files),
    }
    return {"files": files, "kinds": kinds, "counts": counts}


def table(report):
    """The report as text: one row per kind, then the misclassified files."""
    lines = [
        f"lint corpus: {report['counts']['snippets']} snippets ({report['counts']['leaky']} leaky, "
        f"{report['counts']['clean']} clean; {report['counts']['clean_flagged']} clean snippets flagged)",
        f"{'kind':20} {'labelled':>8} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}",
    ]
    for kind, row in report["kinds"].items():
        lines.append(
            f"{kind:20} {row['labelled']:>8} {row['tp']:>4} {row['fp']:>4} {row['fn']:>4} "
            f"{row['precision']:>10.3f} {row['recall']:>8.3f}"
        )
    wrong = [f for f in report["files"] if f["expected"] != f["found"]]
    if wrong:
        lines.append("misclassified:")
        for f in wrong:
            lines.append(f"  {f['name']}: labelled {sorted(f['expected']) or ['clean']}, "
                         f"found {sorted(f['found']) or ['nothing']}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(evaluate()))
