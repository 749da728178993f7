"""Tests of the static leakage lint (forge_lessons.lint) and its measured precision and recall."""

import json
import re

import pytest

from forge_lessons import lint
from forge_lessons.course import NOTEBOOKS_DIR
from lint_corpus_table import CORPUS, evaluate, table

LINE = re.compile(r"^(?P<path>[^:]+):(?P<cell>\d+):(?P<line>\d+): (?P<kind>[a-z\-]+): .+ \(see lesson \d\d\)")


def kinds(source, **kwargs):
    return [f.kind for f in lint.lint_source(source, **kwargs)]


def notebook(path, cells, language="python"):
    """Write a minimal nbformat-4 notebook; ``cells`` are (type, source, tags)."""
    document = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": language}},
        "cells": [
            {"cell_type": kind, "metadata": {"tags": list(tags)}, "source": source,
             **({"outputs": [], "execution_count": None} if kind == "code" else {})}
            for kind, source, tags in cells
        ],
    }
    path.write_text(json.dumps(document))
    return path


SCALE_THEN_SPLIT = """
X = StandardScaler().fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X, y)
model = LogisticRegression().fit(X_train, y_train)
"""


# -- the three patterns and their tricky clean counterparts ------------------------------------


def test_preprocessing_leak_reported_at_the_model_fit():
    (finding,) = lint.lint_source(SCALE_THEN_SPLIT, "snippet.py")
    assert finding.kind == "preprocessing-leak"
    assert finding.line == 4  # the fit that consumes the leaked data
    assert finding.cause == (1, 2)  # the fit_transform that saw the test rows
    assert "StandardScaler().fit_transform(X)" in finding.message
    assert LINE.match(finding.format())


def test_preprocessing_fit_on_training_rows_is_clean():
    assert kinds("""
X_train, X_test, y_train, y_test = train_test_split(X, y)
scaler = StandardScaler().fit(X_train)
model = LogisticRegression().fit(scaler.transform(X_train), y_train)
print(model.score(scaler.transform(X_test), y_test))
""") == []


def test_names_followed_through_unpacking_columns_and_functions():
    assert kinds("""
def prepare(frame):
    frame = frame.copy()
    frame[["a", "b"]] = SimpleImputer().fit_transform(frame[["a", "b"]])
    return frame

data = prepare(df)
features, target = data[["a", "b", "c"]], data["y"]
(X_tr, X_te), (y_tr, y_te) = train_test_split(features, test_size=0.2), (None, None)
model = RandomForestClassifier().fit(X_tr, target.loc[X_tr.index])
""") == ["preprocessing-leak"]


def test_pandas_statistics_and_target_means():
    assert kinds("""
df["age"] = df["age"].fillna(df["age"].mean())
train, test = train_test_split(df)
clf = LogisticRegression().fit(train[cols], train["y"])
""") == ["preprocessing-leak"]
    assert kinds("""
df["rate"] = df.groupby("merchant")["y"].transform("mean")
print(cross_val_score(LogisticRegression(), df[["rate"]], df["y"]).mean())
""") == ["preprocessing-leak"]
    # row-wise statistics are not a leak
    assert kinds("""
df["total"] = df[["a", "b"]].sum(axis=1)
train, test = train_test_split(df)
clf = LogisticRegression().fit(train[cols], train["y"])
""") == []


def test_pipelines_and_target_encoder_in_pipeline_are_clean():
    assert kinds("""
pipe = make_pipeline(ColumnTransformer([("te", TargetEncoder(), ["merchant"])]), LogisticRegression())
print(cross_val_score(pipe, X, y, cv=5))
grid = GridSearchCV(Pipeline([("s", StandardScaler()), ("m", SVC())]), {"m__C": [1, 10]}).fit(X_train, y_train)
""") == []


def test_overlap_leaks():
    assert kinds("""
X_res, y_res = SMOTE().fit_resample(X, y)
print(cross_val_score(RandomForestClassifier(), X_res, y_res, cv=5))
""") == ["overlap-leak"]
    assert kinds("""
up = pd.concat([df, df[df.label == 1]])
train, test = train_test_split(up)
m = LogisticRegression().fit(train[cols], train.label)
""") == ["overlap-leak"]
    assert kinds("""
train, test = train_test_split(df)
train = train.drop_duplicates()
""") == ["overlap-leak"]
    assert kinds("""
df.drop_duplicates()
train, test = train_test_split(df)
""") == ["overlap-leak"]


def test_resampling_after_the_split_is_clean():
    assert kinds("""
X_train, X_test, y_train, y_test = train_test_split(X, y)
X_res, y_res = SMOTE().fit_resample(X_train, y_train)
model = RandomForestClassifier().fit(X_res, y_res)
print(model.score(X_test, y_test))
df = df.drop_duplicates()
""") == []


def test_multi_test_loop_and_three_models():
    assert kinds("""
X_train, X_test, y_train, y_test = train_test_split(X, y)
for k in range(1, 20):
    knn = KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train)
    print(k, knn.score(X_test, y_test))
""") == ["multi-test"]
    assert kinds("""
X_train, X_test, y_train, y_test = train_test_split(X, y)
a = LogisticRegression().fit(X_train, y_train)
b = RandomForestClassifier().fit(X_train, y_train)
c = SVC().fit(X_train, y_train)
print(a.score(X_test, y_test), b.score(X_test, y_test), c.score(X_test, y_test))
""") == ["multi-test"]


def test_multi_test_clean_cases():
    # a baseline next to one model, repeated splits, a validation split with a final test used once
    assert kinds("""
X_train, X_test, y_train, y_test = train_test_split(X, y)
dummy = DummyClassifier().fit(X_train, y_train)
model = LogisticRegression().fit(X_train, y_train)
print(dummy.score(X_test, y_test), model.score(X_test, y_test))
for seed in range(5):
    A, B, a, b = train_test_split(X, y, random_state=seed)
    print(LogisticRegression().fit(A, a).score(B, b))
X_tmp, X_hold, y_tmp, y_hold = train_test_split(X, y)
X_fit, X_val, y_fit, y_val = train_test_split(X_tmp, y_tmp)
best = max([LogisticRegression(C=c).fit(X_fit, y_fit) for c in (0.1, 1, 10)], key=lambda m: m.score(X_val, y_val))
for c in (0.1, 1, 10):
    print(LogisticRegression(C=c).fit(X_fit, y_fit).score(X_val, y_val))
print(best.score(X_hold, y_hold))
""") == []


def test_manual_folds_are_not_multi_test():
    assert kinds("""
for train_idx, test_idx in KFold(5).split(X):
    model = LogisticRegression().fit(X[train_idx], y[train_idx])
    print(model.score(X[test_idx], y[test_idx]))
""") == []


# -- cells, tags, magics, bad input -----------------------------------------------------------


def test_leaky_demo_cells_are_expected(tmp_path, capsys):
    path = notebook(tmp_path / "demo.ipynb", [
        ("markdown", "# Title", ()),
        ("code", "# LEAKY DEMO: for comparison\n" + SCALE_THEN_SPLIT, ("leaky-demo",)),
    ])
    (finding,) = lint.lint_file(path).findings
    assert finding.expected and (finding.cell, finding.line) == (2, 5)
    assert lint.main([str(path)]) == 0
    out = capsys.readouterr()
    assert "[expected: leaky-demo cell]" in out.out
    assert "1 more expected" in out.err
    assert lint.main([str(path), "--strict"]) == 1


def test_findings_in_later_cells_of_a_leaky_demo_are_expected(tmp_path):
    path = notebook(tmp_path / "demo.ipynb", [
        ("code", "X_sel = SelectKBest(k=5).fit_transform(X, y)", ("leaky-demo",)),
        ("code", "scores = cross_val_score(LogisticRegression(), X_sel, y)", ()),
    ])
    (finding,) = lint.lint_file(path).findings
    assert finding.cell == 2 and finding.expected and finding.cause == (1, 1)


def test_cell_and_line_numbers_count_every_cell(tmp_path, capsys):
    path = notebook(tmp_path / "nb.ipynb", [
        ("markdown", "intro", ()),
        ("code", "import pandas as pd", ()),
        ("raw", "raw text, not code", ()),
        ("code", ["X = StandardScaler().fit_transform(X)\n", "X_tr, X_te, y_tr, y_te = train_test_split(X, y)\n",
                  "\n", "m = SVC().fit(X_tr, y_tr)"], ()),
    ])
    assert lint.main([str(path)]) == 1
    line = capsys.readouterr().out.strip()
    match = LINE.match(line)
    assert match and match["cell"] == "4" and match["line"] == "4" and match["kind"] == "preprocessing-leak"


def test_magics_and_shell_lines(tmp_path):
    path = notebook(tmp_path / "magic.ipynb", [
        ("code", "%matplotlib inline\n!pip install nothing\nfiles = !ls\nmodel?", ()),
        ("code", "%%time\n" + SCALE_THEN_SPLIT, ()),
        ("code", "%%bash\necho this is not python (", ()),
    ])
    result = lint.lint_file(path)
    assert result.error is None and result.notes == []
    assert [(f.cell, f.kind) for f in result.findings] == [(2, "preprocessing-leak")]


def test_syntax_error_in_a_cell_is_a_note_not_a_crash(tmp_path, capsys):
    path = notebook(tmp_path / "broken.ipynb", [
        ("code", "def broken(:\n    pass", ()),
        ("code", SCALE_THEN_SPLIT, ()),
    ])
    assert lint.main([str(path)]) == 1
    err = capsys.readouterr().err
    assert "broken.ipynb:1:1: note: cell not analysed" in err
    assert "Traceback" not in err


def test_empty_notebook_is_clean(tmp_path):
    path = notebook(tmp_path / "empty.ipynb", [])
    assert lint.main([str(path)]) == 0


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.ipynb", b"", "the file is empty"),
        ("bad.ipynb", b"{not json", "invalid JSON"),
        ("list.ipynb", b"[1, 2]", "expected a JSON object"),
        ("old.ipynb", b'{"worksheets": []}', "nbformat 3"),
        ("nocells.ipynb", b'{"metadata": {}}', "no 'cells' list"),
        ("latin.py", "x = 'é'".encode("latin-1"), "not UTF-8"),
        ("syntax.py", b"def f(:\n  pass\n", "cannot parse"),
        ("notes.txt", b"hello", "expected .ipynb or .py"),
    ],
)
def test_unreadable_input_exits_2_with_a_clear_message(tmp_path, capsys, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    assert lint.main([str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and str(path) in err
    assert "Traceback" not in err


def test_missing_file_and_bad_usage(tmp_path, capsys):
    assert lint.main([str(tmp_path / "nope.ipynb")]) == 2
    assert "no such file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        lint.main([])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit):
        lint.main(["--format", "xml", "x.py"])


def test_non_python_notebook_is_skipped(tmp_path, capsys):
    path = notebook(tmp_path / "r.ipynb", [("code", "x <- c(1, 2", ())], language="R")
    assert lint.main([str(path)]) == 0
    assert "skipped, a R notebook" in capsys.readouterr().err


def test_folders_are_searched_and_checkpoints_skipped(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / "sub" / "leak.py").write_text(SCALE_THEN_SPLIT)
    (tmp_path / ".ipynb_checkpoints" / "leak.py").write_text(SCALE_THEN_SPLIT)
    (tmp_path / "clean.py").write_text("x = 1\n")
    results = lint.lint_paths([tmp_path])
    assert sorted(r.path.replace(str(tmp_path), "") for r in results) == ["/clean.py", "/sub/leak.py"]


def test_py_percent_cells_and_tags(tmp_path):
    path = tmp_path / "script.py"
    path.write_text("# %%\nimport numpy as np\n\n# %% tags=[\"leaky-demo\"]\n" + SCALE_THEN_SPLIT.lstrip())
    (finding,) = lint.lint_file(path).findings
    assert (finding.cell, finding.line, finding.expected) == (2, 7, True)


def test_suppression_comment(tmp_path):
    source = SCALE_THEN_SPLIT.replace(
        "model = LogisticRegression().fit(X_train, y_train)",
        "model = LogisticRegression().fit(X_train, y_train)  # leakage-ok: preprocessing-leak -- demo")
    path = tmp_path / "quiet.py"
    path.write_text(source)
    result = lint.lint_file(path)
    assert result.findings == [] and result.suppressed == 1
    path.write_text(source.replace("preprocessing-leak", "multi-test"))
    assert len(lint.lint_file(path).findings) == 1  # silencing another kind does not count


def test_json_output(tmp_path, capsys):
    path = tmp_path / "leak.py"
    path.write_text(SCALE_THEN_SPLIT)
    assert lint.main([str(path), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["files"] == 1 and document["errors"] == []
    (finding,) = document["findings"]
    assert finding["kind"] == "preprocessing-leak" and finding["lesson"] == "03"
    assert finding["cause"] == {"cell": 1, "line": 2}
    assert document["summary"]["by_kind"]["preprocessing-leak"] == 1


def test_course_cli_delegates(tmp_path, capsys):
    from forge_lessons import cli

    path = tmp_path / "leak.py"
    path.write_text(SCALE_THEN_SPLIT)
    assert cli.main(["lint", str(path)]) == 1
    assert "preprocessing-leak" in capsys.readouterr().out
    assert cli.main(["lint", "--strict", str(tmp_path / "missing.py")]) == 2


def test_strip_magics_keeps_line_numbers():
    source = "%time x = 1\nimport os\n!ls\nresult = %who\nprint(1)"
    stripped = lint.strip_magics(source)
    assert stripped.count("\n") == source.count("\n")
    assert stripped.split("\n")[3] == "result = None"
    assert lint.strip_magics("%%html\n<b>hi</b>") is None


# -- the lesson notebook and the measured quality -----------------------------------------------


def test_lesson_03_lints_clean_apart_from_leaky_demo_cells():
    result = lint.lint_file(NOTEBOOKS_DIR / "03_leakage_budget.ipynb")
    assert result.error is None
    assert [f.format() for f in result.findings if not f.expected] == []
    assert {f.kind for f in result.findings} == set(lint.KINDS)


def test_corpus_precision_and_recall_meet_the_goals():
    report = evaluate()
    print("\n" + table(report))
    counts = report["counts"]
    assert counts["snippets"] >= 40
    assert counts["leaky"] >= 0.4 * counts["snippets"] and counts["clean"] >= 0.4 * counts["snippets"]
    assert all(f["error"] is None for f in report["files"])
    for kind, row in report["kinds"].items():
        assert row["labelled"] >= 8, f"{kind}: too few labelled snippets"
        assert row["precision"] >= 0.9, f"{kind}: precision {row['precision']:.2f}"
        assert row["recall"] >= 0.8, f"{kind}: recall {row['recall']:.2f}"


def test_corpus_labels_are_well_formed(tmp_path):
    from lint_corpus_table import labels

    assert len(list(CORPUS.glob("*.py"))) >= 40
    bad = tmp_path / "bad.py"
    bad.write_text("# expect: nonsense\n")
    with pytest.raises(ValueError, match="unknown kind"):
        labels(bad)
