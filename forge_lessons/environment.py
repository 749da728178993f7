"""The environment check: installed versions against the course's lock.

``requirements-lock.txt`` pins every package exactly; ``environment.yml``
pins the same versions for conda users. :func:`check_environment` compares
what is installed with the lock and says how to fix a difference.
"""

import re
import sys
from importlib import metadata

from .course import REPO_ROOT

LOCK_FILE = REPO_ROOT / "requirements-lock.txt"
CONDA_FILE = REPO_ROOT / "environment.yml"
PYTHON_VERSION = (3, 11)
# The packages the lessons import directly; the check reports these first.
KEY_PACKAGES = (
    "scikit-learn", "pandas", "numpy", "scipy", "matplotlib", "jupyterlab", "ipykernel",
    "papermill", "nbval", "nbconvert", "imbalanced-learn", "sqlalchemy", "skops", "dask",
    "distributed",
)
FIX_HINT = "run `make env` to rebuild .venv from the lock, then restart the kernel (pick .venv's kernel)"


def normalize(name):
    """Normalise a distribution name as PEP 503 does (``Foo_Bar`` -> ``foo-bar``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(path=LOCK_FILE):
    """Read a pip lock of ``name==version`` lines.

    Returns
    -------
    dict
        Normalised name -> version.
    """
    pins = {}
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==([^\s;]+)", line)
        if not match:
            raise ValueError(f"{path}:{number}: expected 'name==version', found {line!r}")
        pins[normalize(match.group(1))] = match.group(3)
    return pins


def read_conda_environment(path=CONDA_FILE):
    """Read the exact pins of ``environment.yml`` (conda ``name=version`` and pip ``name==version``).

    Returns
    -------
    dict
        Normalised name -> version; unpinned entries (``python=3.11``, ``pip``, ``-e .``) are left out
        except ``python``.
    """
    pins = {}
    for line in open(path, encoding="utf-8"):
        match = re.fullmatch(r"\s*-\s+([A-Za-z0-9_.\-]+)\s*==?\s*([^\s#]+)\s*(#.*)?", line.rstrip("\n"))
        if match:
            pins[normalize(match.group(1))] = match.group(2)
    return pins


def installed_version(name):
    """Return the installed version of a distribution, or ``None``."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def check_environment(lock_path=LOCK_FILE, packages=None):
    """Compare installed packages with the lock.

    Parameters
    ----------
    lock_path : path-like
        The pip lock.
    packages : iterable of str, optional
        Which packages to check; default: every package in the lock.

    Returns
    -------
    list of dict
        One row per package: ``package``, ``locked``, ``installed``, ``ok``. The first row is Python.
    """
    pins = read_lock(lock_path)
    names = [normalize(p) for p in packages] if packages is not None else sorted(pins)
    python = ".".join(map(str, sys.version_info[:2]))  # patch releases do not change results
    rows = [{"package": "python", "locked": "3.11", "installed": python,
             "ok": tuple(sys.version_info[:2]) == PYTHON_VERSION}]
    for name in names:
        if name not in pins:
            raise ValueError(f"{name!r} is not in {lock_path}; expected one of its {len(pins)} packages")
        found = installed_version(name)
        rows.append({"package": name, "locked": pins[name], "installed": found, "ok": found == pins[name]})
    return rows


def environment_report(rows):
    """Turn :func:`check_environment` rows into a short, actionable text."""
    bad = [r for r in rows if not r["ok"]]
    packages = sum(r["package"] != "python" for r in rows)
    checked = f"{'Python and ' if packages < len(rows) else ''}{packages} package{'s' if packages != 1 else ''}"
    if not bad:
        return f"✅ environment matches the lock ({checked} checked)."
    lines = [f"❌ {len(bad)} of {len(rows)} checks ({checked}) differ from the lock:"]
    for row in bad:
        lines.append(f"   {row['package']}: locked {row['locked']}, installed {row['installed'] or 'nothing'}")
    lines.append(f"   Fix: {FIX_HINT}. Results may differ from the committed outputs until then.")
    return "\n".join(lines)
