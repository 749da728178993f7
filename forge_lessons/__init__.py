"""forge_lessons: the helper package of the forge-lessons course.

Lessons import the few names below; everything else lives in one module per
concern (``data``, ``course``, ``exercises``, ``runner``, ...). The names are
imported lazily, so the command line starts without loading pandas.
"""

import importlib

__version__ = "0.1.0"
_EXPORTS = {
    "check": "exercises",
    "load_transactions": "data",
    "read_figures": "course",
    "record": "course",
    "recorded": "course",
    "setup": "course",
    "split_features": "data",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'forge_lessons' has no attribute {name!r}")


def __dir__():
    return __all__ + ["__version__"]
