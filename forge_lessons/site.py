"""The course site the runner writes: a home page and previous/next navigation.

``build/index.html`` lists the lessons in order with their objectives, the
time a learner needs (stated in the notebook), the machine time of the last
run (from the runner), one headline figure each (from the recorded figures)
and links to the rendered lesson and its notebook. Every rendered lesson gets
a navigation bar: previous, course home, next.
"""

import html
import re
from pathlib import Path

from . import catalog

# The figure each lesson's card shows: (recorded name, label, format).
HEADLINES = {
    "00_start_here": ("never_flag_accuracy", "accuracy of never flagging fraud", "{:.3f}"),
    "01_estimator_contract": ("best_model_score", "best model's score", "{:.3f}"),
    "02_leaky_vs_pipelined_scaling": ("scaling_gap_mean", "mean ROC AUC gain from leaky scaling", "{:+.5f}"),
    "03_leakage_budget": ("leak_kinds_measured", "kinds of leakage measured", "{}"),
    "04_cross_validation_strategies": ("production_score", "score on the production period", "{:.3f}"),
    "05_hyperparameter_tuning": ("best_cv_optimism", "optimism of the best CV score", "{:+.3f}"),
    "06_imbalanced_evaluation": ("average_precision", "average precision", "{:.3f}"),
    "07_logging_predictions_to_sql": ("batch_rows_per_second", "rows logged per second (batched)", "{:,.0f}"),
    "08_reproducible_production": ("fixed_prod_score", "fixed workflow's production score", "{:.3f}"),
}
STYLE = """
body{font-family:system-ui,sans-serif;max-width:980px;margin:2rem auto;padding:0 1rem;color:#222}
.lesson{border:1px solid #ddd;border-radius:8px;padding:.8rem 1.2rem;margin:1rem 0}
.lesson h2{margin:.2rem 0 .4rem;font-size:1.25rem}.meta{color:#555;font-size:.92rem}
.status-ok,.status-cached{color:#17692c}.status-failed{color:#b00020;font-weight:bold}
.headline{background:#f3f6fa;border-radius:4px;padding:.1rem .4rem}
"""
NAV_STYLE = (
    "display:flex;justify-content:space-between;gap:1rem;padding:.6rem 1rem;margin:0;"
    "background:#f3f6fa;border-bottom:1px solid #ddd;font-family:system-ui,sans-serif"
)


def headline(name, figures):
    """Return ``(label, formatted value)`` of a lesson's headline figure, or ``None``."""
    if name not in HEADLINES:
        return None
    key, label, template = HEADLINES[name]
    if key not in figures:
        return None
    return label, template.format(figures[key])


def _card(info, result, has_page):
    name = html.escape(info["name"])
    objectives = "".join(f"<li>{html.escape(_plain(o))}</li>" for o in info["objectives"])
    meta = [f"about {info['minutes']} minutes for a learner" if info["minutes"] else ""]
    if result is not None:
        meta.append(
            f"<span class='status-{result['status']}'>{result['status']}</span>, "
            f"{result['seconds']:.1f} s of machine time"
        )
        if result["status"] == "failed":
            meta.append(html.escape(f"failed in cell {result.get('cell')}: {result.get('error')}"))
    elif has_page:
        meta.append("rendered by an earlier run")
    else:
        meta.append("not run yet")
    figure = headline(info["name"], (result or {}).get("figures", {}))
    figure_html = (
        f"<p>Headline figure: <span class='headline'>{html.escape(figure[0])}: <b>{html.escape(figure[1])}</b></span></p>"
        if figure
        else ""
    )
    links = []
    if has_page:
        links.append(f"<a href='html/{name}.html'>read the lesson</a>")
        links.append(f"<a href='notebooks/{name}.ipynb'>executed notebook</a>")
    return (
        f"<section class='lesson' id='{name}'><h2>{html.escape(info['number'])} · {html.escape(info['title'])}</h2>"
        f"<p class='meta'>{' · '.join(m for m in meta if m)}</p>"
        f"<ul>{objectives}</ul>{figure_html}<p>{' · '.join(links)}</p></section>"
    )


def _plain(markdown):
    """Strip the markdown emphasis and code marks from a line."""
    return re.sub(r"[`*]", "", markdown)


def _describe(path):
    """The lesson's catalogue entry, or a bare one when its first cell breaks the convention."""
    try:
        return catalog.describe(path)
    except ValueError:
        return {"name": path.stem, "number": path.stem[:2], "title": path.stem, "minutes": None, "objectives": []}


def write_home(results, out_dir, notebooks_dir=catalog.NOTEBOOKS_DIR):
    """Write ``<out_dir>/index.html``, the course home page.

    Parameters
    ----------
    results : list of dict
        The runner's results (``name``, ``status``, ``seconds``, ``figures``, ...).
    out_dir : path-like
        The runner's output folder (holds ``html/`` and ``notebooks/``).
    notebooks_dir : path-like
        Where the lessons are, to read their titles and objectives.

    Returns
    -------
    pathlib.Path
    """
    out = Path(out_dir)
    by_name = {result["name"]: result for result in results}
    cards = [
        _card(info, by_name.get(info["name"]), (out / "html" / f"{info['name']}.html").exists())
        for info in map(_describe, catalog.lesson_paths(notebooks_dir))
    ]
    total = sum(result["seconds"] for result in results)
    failed = [result["name"] for result in results if result["status"] == "failed"]
    status = f"{len(failed)} failed: {', '.join(failed)}" if failed else "all lessons ran"
    page = (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>forge-lessons</title>"
        f"<style>{STYLE}</style></head><body>\n"
        "<h1>forge-lessons</h1>\n<p>Production-grade scikit-learn workflows, taught through one incident: "
        "a fraud model that scored 0.95 in development and 0.60 in production. Every number in the lessons "
        "is measured.</p>\n"
        f"<p class='meta'>Last run: {len(results)} lessons, {total:.0f} s of machine time; {html.escape(status)}.</p>\n"
        + "\n".join(cards)
        + "\n</body></html>\n"
    )
    path = out / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path


def add_navigation(out_dir, notebooks_dir=catalog.NOTEBOOKS_DIR):
    """Put a previous / home / next bar at the top of every rendered lesson in ``<out_dir>/html``.

    Idempotent: a page that already has the bar is rewritten with the current one.

    Returns
    -------
    list of pathlib.Path
        The pages changed.
    """
    out = Path(out_dir)
    names = [path.stem for path in catalog.lesson_paths(notebooks_dir)]
    changed = []
    for index, name in enumerate(names):
        page = out / "html" / f"{name}.html"
        if not page.exists():
            continue
        previous = names[index - 1] if index > 0 else None
        following = names[index + 1] if index + 1 < len(names) else None
        bar = (
            f"<nav id='forge-nav' style='{NAV_STYLE}'>"
            + (f"<a rel='prev' href='{previous}.html'>← {previous}</a>" if previous else "<span></span>")
            + "<a href='../index.html'>course home</a>"
            + (f"<a rel='next' href='{following}.html'>{following} →</a>" if following else "<span></span>")
            + "</nav>"
        )
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"<nav id='forge-nav'.*?</nav>", "", text, flags=re.S)
        text, count = re.subn(r"(<body[^>]*>)", lambda m: m.group(1) + bar, text, count=1)
        if count:
            page.write_text(text, encoding="utf-8")
            changed.append(page)
    return changed


def write_site(results, out_dir, notebooks_dir=catalog.NOTEBOOKS_DIR):
    """Write the home page and the navigation bars (see :func:`write_home`, :func:`add_navigation`)."""
    add_navigation(out_dir, notebooks_dir)
    return write_home(results, out_dir, notebooks_dir)
