"""Every lesson run in JupyterLab in a real browser, as a learner runs it; and the course site.

Starts ``jupyter lab`` from the course's environment on loopback (a free port, a token), drives
Debian's Chromium with Playwright to open each lesson, choose Run ▸ Run All Cells and wait until
the kernel is idle, then checks the saved notebook and the page. The lessons are copied to a
temporary folder first (JupyterLab saves what it runs) and switched to the quick profile, so the
whole course fits the time budget. Screenshots go to ``build/screenshots/``.

Chromium must be installed (``apt-get install chromium``, done by ``.ci/run``); if it cannot
start, the tests fail with a message saying so.
"""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from forge_lessons import catalog
from forge_lessons.course import BUILD_DIR

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("FORGE_LESSONS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = BUILD_DIR / "screenshots"
LESSONS = catalog.lesson_paths()
RUN_TIMEOUT_MS = 180_000
ALL_EXECUTED = """() => {
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')]
    .map(p => p.textContent.trim());
  return prompts.length > 0 && prompts.every(t => /^\\[\\d+\\]:?$/.test(t));
}"""


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _learner_copy(source, folder):
    """Copy a lesson without outputs and with PROFILE = "quick"."""
    notebook = json.loads(source.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
            if "parameters" in cell.get("metadata", {}).get("tags", []):
                text = "".join(cell["source"])
                cell["source"] = re.sub(r'PROFILE\s*=\s*"full"', 'PROFILE = "quick"', text)
    (folder / source.name).write_text(json.dumps(notebook, indent=1), encoding="utf-8")


def _write_settings(folder):
    """JupyterLab settings: render every cell, no news pop-up."""
    settings = {
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
    }
    for name, content in settings.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content))


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on loopback serving learner copies of the lessons; shut down cleanly."""
    root = tmp_path_factory.mktemp("lab-root")
    for path in LESSONS:
        _learner_copy(path, root)
    settings = tmp_path_factory.mktemp("lab-settings")
    _write_settings(settings)
    port, token = _free_port(), secrets.token_hex(16)
    env = {key: value for key, value in os.environ.items() if key != "MPLBACKEND"}
    env["JUPYTERLAB_SETTINGS_DIR"] = str(settings)
    log = open(root.parent / "jupyter-lab.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
         "--ServerApp.allow_root=True", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--ServerApp.port_retries=0"],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"jupyter lab exited with {server.returncode}: {Path(log.name).read_text()[-2000:]}")
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("jupyter lab did not answer within 60 s")
                time.sleep(0.5)
        yield {"url": url, "token": token, "root": root, "pid": server.pid}
    finally:
        _shut_down(server, url, token)
        log.close()


def _shut_down(server, url, token):
    """Ask the server to stop (it stops its kernels), then make sure its whole process group is gone."""
    try:
        request = urllib.request.Request(f"{url}/api/shutdown?token={token}", method="POST")
        urllib.request.urlopen(request, timeout=10)
        server.wait(timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        pass
    leftover = True
    try:
        os.killpg(server.pid, signal.SIGKILL)
    except ProcessLookupError:
        leftover = False
    server.wait(timeout=10)
    if leftover:  # the group still had processes after a clean shutdown: a kernel or the server hung
        time.sleep(1)
        with pytest.raises(ProcessLookupError):
            os.killpg(server.pid, 0)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright; fails clearly when it cannot start."""
    from playwright.sync_api import Error, sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install chromium)")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        except Error as error:
            pytest.fail(f"Chromium at {CHROMIUM} could not start: {error}")
        yield chromium
        chromium.close()


ANY_STARTED = """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')]
  .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))"""


def _run_all_cells(page, lab, name):
    # ?reset opens a fresh workspace: only this notebook, so the status bar speaks of its kernel
    page.goto(f"{lab['url']}/lab/tree/{name}.ipynb?reset&token={lab['token']}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=60_000)
    page.get_by_text(re.compile(r"\| Idle$")).first.wait_for(timeout=90_000)  # the kernel is ready
    for attempt in range(3):  # a click while JupyterLab is still settling can be ignored: try again
        page.locator(".jp-NotebookPanel .jp-Notebook").first.click(position={"x": 5, "y": 5})
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        try:
            page.wait_for_function(ANY_STARTED, timeout=15_000, polling=250)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    page.wait_for_function(ALL_EXECUTED, timeout=RUN_TIMEOUT_MS, polling=500)
    page.get_by_text(re.compile(r"\| Idle$")).first.wait_for(timeout=RUN_TIMEOUT_MS)
    page.keyboard.press("Control+s")
    page.wait_for_timeout(1500)


def _shut_down_kernels(lab):
    """Stop every kernel the server runs, so the next lesson has the CPU to itself."""
    sessions = json.load(urllib.request.urlopen(f"{lab['url']}/api/sessions?token={lab['token']}", timeout=10))
    for session in sessions:
        request = urllib.request.Request(f"{lab['url']}/api/sessions/{session['id']}?token={lab['token']}",
                                         method="DELETE")
        urllib.request.urlopen(request, timeout=30)


@pytest.mark.parametrize("path", LESSONS, ids=[path.stem for path in LESSONS])
def test_lesson_runs_all_cells_in_jupyterlab(path, lab, browser):
    name = path.stem
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        _run_all_cells(page, lab, name)
        images = page.locator(".jp-OutputArea-output img")
        if images.count():
            images.first.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
        saved = json.loads((lab["root"] / f"{name}.ipynb").read_text(encoding="utf-8"))
        code = [cell for cell in saved["cells"] if cell["cell_type"] == "code"]
        errors = [
            f"cell {index}: {output.get('ename')}: {output.get('evalue')}"
            for index, cell in enumerate(saved["cells"])
            for output in cell.get("outputs", [])
            if output["output_type"] == "error"
        ]
        assert not errors, f"{name} shows errors in the browser: {errors}"
        assert all(cell["execution_count"] for cell in code), f"{name}: not every cell ran"
        assert code[-1]["outputs"], f"{name}: the last cell has no output"
        assert images.count() >= 1, f"{name}: no figure rendered as an image"
        assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']", has_text="Traceback").count() == 0
    finally:
        page.screenshot(path=str(SCREENSHOTS / f"{name}-final.png"))
        page.close()
        _shut_down_kernels(lab)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The course site built by the runner (quick profile) into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    command = [sys.executable, "-m", "forge_lessons", "run", "--profile", "quick", "--jobs", "2", "--out", str(out)]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    return out


def test_course_site_links_resolve_and_home_is_screenshotted(site, browser):
    page = browser.new_page(viewport={"width": 1200, "height": 1400})
    try:
        page.goto((site / "index.html").as_uri())
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        assert len(hrefs) >= 2 * len(LESSONS)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "course-home.png"), full_page=True)
        lesson_pages = [href for href in hrefs if href.endswith(".html")]
        for href in hrefs:
            assert Path(urllib.request.url2pathname(href.removeprefix("file://"))).exists(), href
        for href in lesson_pages:
            page.goto(href)
            for link in page.eval_on_selector_all("#forge-nav a", "els => els.map(e => e.href)"):
                assert Path(urllib.request.url2pathname(link.removeprefix("file://"))).exists(), link
    finally:
        page.close()
