"""Lesson 02 (leaky versus pipelined scaling): execution, claims over two seeds, notebook structure.

The claim tests assert what the lesson's prose says, on the quick profile, for
more than one seed. The full profile is executed by the nbval run over the
committed notebook.
"""

import ast
import re

import nbformat
import pytest

from forge_lessons import experiments as fx
from forge_lessons.course import NOTEBOOKS_DIR
from forge_lessons.exercises import student_stub

NAME = "02_leaky_vs_pipelined_scaling"
NOTEBOOK = NOTEBOOKS_DIR / f"{NAME}.ipynb"
SEEDS = [42, 7]
QUICK_PERMUTATIONS = 20  # min(N_PERMUTATIONS, 20) in the quick profile

ISSUE_FIGURES = [
    "scaling_gap_mean",
    "scaling_gap_forest",
    "scaling_gap_small_n",
    "serving_refit_drop",
    "dev_score",
    "prod_score",
    "permutation_pvalue_clean",
    "permutation_pvalue_leak_outside",
]
INCIDENT_STEPS = [
    "incident_oversampling",
    "incident_scaling",
    "incident_target_rate",
    "incident_duplicates",
    "incident_customers",
    "incident_time_split",
    "incident_drift",
    "incident_serving",
    "incident_leaky_training",
]


@pytest.fixture(scope="module")
def notebook():
    return nbformat.read(NOTEBOOK, as_version=4)


@pytest.fixture(scope="module", params=SEEDS, ids=[f"seed{s}" for s in SEEDS])
def figures(request, run_lesson):
    return run_lesson(NAME, profile="quick", seed=request.param)


# --------------------------------------------------------------------------- #
# execution and claims (quick profile, two seeds)
# --------------------------------------------------------------------------- #
@pytest.mark.slow
def test_records_every_figure_the_issue_lists(figures):
    missing = [name for name in ISSUE_FIGURES + INCIDENT_STEPS if name not in figures]
    assert not missing, f"figures not recorded: {missing}"
    for name in ISSUE_FIGURES:
        assert isinstance(figures[name], float)


@pytest.mark.slow
def test_forest_gap_is_zero_within_rounding_noise(figures):
    assert abs(figures["scaling_gap_forest"]) < 0.003
    assert abs(figures["scaling_gap_forest_breast_cancer"]) < 0.003
    # the same forest on raw and on standardised features predicts (nearly) identically
    assert figures["forest_identical_share"] > 0.95


@pytest.mark.slow
def test_iid_scaling_gap_is_negligible(figures):
    gap = figures["scaling_gap_mean"]
    assert abs(gap) < 0.003
    # "far below the split-to-split spread of the score itself"
    assert abs(gap) < figures["split_noise_sd"] / 10
    assert abs(figures["scaling_gap_breast_cancer"]) < 0.003
    assert abs(figures["scaling_gap_drift"]) < 0.005
    assert abs(figures["columntransformer_gap"]) < 0.005


@pytest.mark.slow
def test_split_noise_dwarfs_even_the_largest_single_split_gap(figures):
    # "roughly N times the largest gap seen on any single split" (the prose branches below 10)
    assert figures["split_noise_sd"] > 10 * figures["scaling_gap_max_abs"]


@pytest.mark.slow
def test_scaler_fit_on_production_rows_too_is_small_next_to_the_noise(figures):
    # "under a tenth of how much each model's score moves from one split to the next" (full profile);
    # the quick profile's 30 % of the customers make k-NN's gap noisier, so its bound here is looser
    assert abs(figures["scaling_gap_drift"]) < figures["split_noise_sd"] / 10
    assert abs(figures["scaling_gap_drift_knn"]) < figures["split_noise_sd_knn"] / 4


@pytest.mark.slow
def test_scaling_gap_is_small_next_to_a_selection_leak(figures):
    assert figures["selection_gap"] > 0.15
    assert abs(figures["scaling_gap_mean"]) < figures["selection_gap"] / 20


@pytest.mark.slow
def test_conditions_where_scaling_leakage_grows(figures):
    # tiny training sets: single splits move more than in the i.i.d. case, the mean stays small
    assert figures["scaling_gap_small_n_max_abs"] > figures["scaling_gap_iid_max_abs"]
    assert abs(figures["scaling_gap_small_n"]) < 0.03
    # outliers with a tiny training set: clearly visible, leaky looks better
    assert figures["scaling_gap_outliers_small_n"] > 0.02
    assert figures["scaling_gap_outliers_small_n"] > abs(figures["scaling_gap_mean"]) + 0.02


@pytest.mark.slow
def test_serving_refit_keeps_ranking_but_moves_the_threshold(figures):
    assert abs(figures["serving_refit_drop"]) < 0.02
    assert figures["serving_alert_rate_rescaled"] < figures["serving_alert_rate_shipped"]
    # the development threshold flags ALERT_SHARE of development rows, and more of the drifted production rows
    assert figures["serving_alert_rate_dev"] == pytest.approx(0.02, abs=0.002)
    assert figures["serving_alert_rate_shipped"] > figures["serving_alert_rate_dev"]
    # the re-scaled job catches fewer frauds
    assert figures["serving_recall_rescaled"] < figures["serving_recall_shipped"]


@pytest.mark.slow
def test_incident_reconstruction(figures):
    assert figures["dev_score"] > figures["prod_score"] + 0.05
    assert figures["honest_dev_score"] < figures["dev_score"]
    # the story's culprit is small, a real leak is larger
    assert abs(figures["incident_scaling"]) < 0.01
    assert abs(figures["incident_target_rate"]) > abs(figures["incident_scaling"])
    # "practically nothing next to the largest stage"
    assert abs(figures["incident_scaling"]) < max(abs(figures[name]) for name in INCIDENT_STEPS) / 10
    assert figures["incident_biggest_cause"] != "scaler & encoders inside the pipeline"
    # the attribution adds up exactly from the development to the production score
    total = figures["dev_score"] + sum(figures[name] for name in INCIDENT_STEPS)
    assert total == pytest.approx(figures["prod_score"], abs=1e-9)


@pytest.mark.slow
def test_accuracy_is_the_wrong_metric(figures):
    assert figures["dummy_accuracy"] > 0.95
    assert figures["dummy_roc_auc"] == pytest.approx(0.5)
    assert abs(figures["model_accuracy"] - figures["dummy_accuracy"]) < 0.02


@pytest.mark.slow
def test_permutation_test_misses_selection_before_the_call(figures):
    smallest = 1 / (QUICK_PERMUTATIONS + 1)
    # selection before the call: a "discovery" on pure noise, beyond every shuffle
    assert figures["permutation_pvalue_leak_outside"] == pytest.approx(smallest)
    assert figures["permutation_score_leak_outside"] > 0.7
    assert figures["permutation_margin_leak_outside"] > 0
    # the clean pipeline finds nothing to speak of (its p-value is uniform on noise, so no claim on it)
    assert abs(figures["permutation_score_clean"] - 0.5) < 0.15
    assert figures["permutation_score_clean"] < figures["permutation_score_leak_outside"] - 0.1
    # the leak inside the shuffle loop: shuffled labels score far above chance
    assert figures["shuffled_score_leak_inside"] > 0.7


@pytest.mark.slow
def test_takeaways_quote_the_recorded_figures(figures):
    text = figures["takeaways"]

    def format_like_the_lesson(value, fmt):
        return fx.gap(value) if fmt == "+.3f" else format(value, fmt)

    for name, fmt in [
        ("scaling_gap_mean", "+.3f"),
        ("scaling_gap_forest", "+.3f"),
        ("scaling_gap_small_n", "+.3f"),
        ("scaling_gap_outliers", "+.3f"),
        ("dev_score", ".3f"),
        ("prod_score", ".3f"),
        ("honest_dev_score", ".3f"),
        ("incident_scaling", "+.3f"),
        ("serving_recall_shipped", ".1%"),
        ("serving_recall_rescaled", ".1%"),
        ("dummy_accuracy", ".3f"),
        ("permutation_pvalue_leak_outside", ".3f"),
        ("shuffled_score_leak_inside", ".3f"),
    ]:
        quoted = format_like_the_lesson(figures[name], fmt)
        assert quoted in text, f"takeaways do not quote {name} = {quoted}"
    assert figures["incident_biggest_cause"] in text


@pytest.mark.slow
def test_scaling_gap_is_small_next_to_lesson_03_selection_leak(run_lesson):
    other = "03_leakage_budget"
    if not (NOTEBOOKS_DIR / f"{other}.ipynb").exists():
        pytest.skip("lesson 03 is not in the tree yet")
    theirs = run_lesson(other, profile="quick", seed=42)
    ours = run_lesson(NAME, profile="quick", seed=42)
    inflation = theirs["leak_selection_leaky"] - theirs["leak_selection_honest"]
    assert abs(ours["scaling_gap_mean"]) < inflation / 10


# --------------------------------------------------------------------------- #
# the lesson's display helpers (no execution)
# --------------------------------------------------------------------------- #
def test_fixed_gap_keeps_one_precision():
    assert fx.fixed_gap(0.0124) == "+0.0124"
    assert fx.fixed_gap(0.002) == "+0.0020"
    assert fx.fixed_gap(-0.00012) == "-0.0001"
    assert fx.fixed_gap(0.00004) == "<0.0001"
    assert fx.fixed_gap(-0.00004) == "<0.0001"
    assert fx.fixed_gap(0.0) == "<0.0001"
    assert fx.fixed_gap(0.0031, show_plus=False) == "0.0031"
    assert fx.fixed_gap(0.0124, decimals=3) == "+0.012"
    with pytest.raises(TypeError, match="number"):
        fx.fixed_gap("0.1")


def test_gap_table_layout():
    import pandas as pd

    summary = fx.summarize_differences({("iid", "lr"): [0.0, 0.00004, 0.00002], ("iid", "knn"): [0.01, 0.02, 0.03]})
    table = fx.gap_table(summary, noise={("iid", "lr"): 0.028, ("iid", "knn"): 0.03})
    assert list(table.columns) == ["mean gap", "sd of gap", "smallest", "largest", "noise (sd of score)"]
    assert isinstance(table.index, pd.MultiIndex)
    assert table.loc[("iid", "lr"), "mean gap"] == "<0.0001"
    assert table.loc[("iid", "knn"), "mean gap"] == "+0.0200"
    assert table.loc[("iid", "knn"), "sd of gap"] == "0.0100"
    assert table.loc[("iid", "lr"), "noise (sd of score)"] == "0.028"
    with pytest.raises(ValueError, match="no value for the rows"):
        fx.gap_table(summary, noise={("iid", "lr"): 0.1})
    with pytest.raises(ValueError, match="lacks the columns"):
        fx.gap_table(summary.drop(columns="sd"), noise={})


def test_plot_differences_keeps_tick_labels_apart():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401  (for close)
    import pandas as pd

    gaps = pd.DataFrame({"lr": [-0.00105, 0.0002, 0.00085], "rf": [0.0, 0.0001, -0.0002]})
    ax = fx.plot_differences(gaps)
    ax.figure.canvas.draw()
    assert len([t for t in ax.get_xticklabels() if t.get_text()]) <= 6
    matplotlib.pyplot.close(ax.figure)


# --------------------------------------------------------------------------- #
# notebook structure (no execution)
# --------------------------------------------------------------------------- #
def _tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def test_notebook_header_parameters_and_setup(notebook):
    assert notebook.metadata["kernelspec"] == {"name": "python3", "display_name": "Python 3", "language": "python"}
    first, params, setup = notebook.cells[:3]
    assert first.cell_type == "markdown" and first.source.startswith("# 02")
    assert "**Time:**" in first.source and "**Prerequisites:**" in first.source
    assert "parameters" in _tags(params)
    names = []
    for statement in ast.parse(params.source).body:
        assert isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant), (
            "the parameters cell holds literals only"
        )
        names.append(statement.targets[0].id)
    assert names[:3] == ["PROFILE", "SEED", "N_JOBS"]
    assert "import forge_lessons as fl" in setup.source
    assert f'fl.setup("{NAME}", profile=PROFILE, seed=SEED)' in setup.source


def test_leaky_demo_cells_are_tagged_and_commented(notebook):
    tagged = [c for c in notebook.cells if "leaky-demo" in _tags(c)]
    commented = [c for c in notebook.cells if c.cell_type == "code" and c.source.startswith("# LEAKY DEMO")]
    assert tagged, "the lesson has leaky demos"
    assert [id(c) for c in tagged] == [id(c) for c in commented]
    # every StandardScaler().fit_transform(...) on all rows lives in a leaky-demo cell
    for cell in notebook.cells:
        if cell.cell_type != "code" or "leaky-demo" in _tags(cell):
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "fit_transform"
                and isinstance(node.func.value, ast.Call)
                and getattr(node.func.value.func, "id", "") == "StandardScaler"
            ):
                pytest.fail(f"untagged leaky scaling:\n{cell.source[:200]}")


def test_plot_lines_assign_to_underscore(notebook):
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            if re.match(r"\s*fx\.plot_", line):
                pytest.fail(f"plotting line should start with '_ = ': {line.strip()}")


def test_exercises_have_solutions_checks_and_no_downstream_use(notebook):
    cells = notebook.cells
    solution_idx = [i for i, c in enumerate(cells) if "solution" in _tags(c)]
    assert len(solution_idx) >= 3
    solution_names = set()
    for i in solution_idx:
        assert "fl.check(" in cells[i + 1].source, f"cell {i + 1} after a solution must be a check"
        stub = student_stub(cells[i].source)
        solution_names |= {line.split(" = ")[0] for line in stub.splitlines() if line.endswith(" = None")}
    check_idx = {i + 1 for i in solution_idx}
    for i, cell in enumerate(cells):
        if cell.cell_type != "code" or i in solution_idx or i in check_idx:
            continue
        used = {n.id for n in ast.walk(ast.parse(cell.source)) if isinstance(n, ast.Name)}
        leaked = used & solution_names
        assert not leaked, f"cell {i} uses solution names {sorted(leaked)}; the student version would break"


def test_takeaways_are_built_from_recorded_figures(notebook):
    headings = [i for i, c in enumerate(notebook.cells) if c.cell_type == "markdown" and "Key takeaways" in c.source]
    assert headings, "the lesson ends with Key takeaways"
    cell = notebook.cells[headings[-1] + 1]
    assert "fl.recorded()" in cell.source
    placeholders = re.findall(r"\{([^{}]+)\}", cell.source)
    assert placeholders
    for expression in placeholders:
        expression = expression.split(":")[0].strip()
        expression = re.sub(r"^fx\.(?:signed|gap)\((.*)\)$", r"\1", expression).lstrip("-")
        assert expression.startswith('rec["') or expression in {"n_splits", "SMALL_N"}, (
            f"takeaway value {expression!r} does not come from the recorded figures"
        )
