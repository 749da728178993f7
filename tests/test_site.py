"""The course site: home page cards and previous/next navigation."""

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from forge_lessons import site


def _lesson(folder, name, title):
    first = new_markdown_cell(f"# {name[:2]} · {title}\n\n**Time:** 20 minutes\n\nYou will learn:\n- one thing;\n- another.\n")
    nbformat.write(new_notebook(cells=[first, new_code_cell("x = 1")]), folder / f"{name}.ipynb")


def _site(tmp_path):
    lessons, out = tmp_path / "nb", tmp_path / "out"
    lessons.mkdir()
    _lesson(lessons, "00_start_here", "Start")
    _lesson(lessons, "01_estimator_contract", "Contract")
    _lesson(lessons, "02_leaky_vs_pipelined_scaling", "Leaks")
    (out / "html").mkdir(parents=True)
    for name in ("00_start_here", "01_estimator_contract"):
        (out / "html" / f"{name}.html").write_text("<html><body class='x'><p>lesson</p></body></html>")
    return lessons, out


def test_home_lists_lessons_in_order_with_objectives_times_and_headlines(tmp_path):
    lessons, out = _site(tmp_path)
    results = [
        {"name": "00_start_here", "status": "ok", "seconds": 4.2, "figures": {"never_flag_accuracy": 0.9805}},
        {"name": "01_estimator_contract", "status": "failed", "seconds": 1.0, "figures": {}, "cell": 5, "error": "KeyError"},
    ]
    page = site.write_site(results, out, lessons).read_text()
    assert page.index("id='00_start_here'") < page.index("id='01_estimator_contract'") < page.index("id='02_leaky")
    assert "00 · Start" in page and "<li>one thing;</li>" in page and "about 20 minutes" in page
    assert "accuracy of never flagging fraud: <b>0.981</b>" in page
    assert "4.2 s of machine time" in page
    assert "failed in cell 5: KeyError" in page and "1 failed: 01_estimator_contract" in page
    assert "not run yet" in page  # lesson 02 has no page
    assert "href='html/00_start_here.html'" in page and "href='html/02_leaky" not in page


def test_navigation_links_previous_home_and_next_once(tmp_path):
    lessons, out = _site(tmp_path)
    site.add_navigation(out, lessons)
    site.add_navigation(out, lessons)  # idempotent
    first = (out / "html" / "00_start_here.html").read_text()
    second = (out / "html" / "01_estimator_contract.html").read_text()
    assert first.count("id='forge-nav'") == 1
    assert "rel='prev'" not in first and "href='01_estimator_contract.html'" in first
    assert "href='00_start_here.html'" in second and "href='02_leaky_vs_pipelined_scaling.html'" in second
    assert "href='../index.html'" in second and second.index("forge-nav") > second.index("<body")


def test_headline_is_absent_when_not_recorded():
    assert site.headline("00_start_here", {}) is None
    assert site.headline("99_unknown", {"x": 1}) is None


def test_a_lesson_breaking_the_first_cell_convention_still_gets_a_card(tmp_path):
    lessons, out = _site(tmp_path)
    nbformat.write(new_notebook(cells=[new_code_cell("1")]), lessons / "03_odd.ipynb")
    page = site.write_home([], out, lessons).read_text()
    assert "id='03_odd'" in page
