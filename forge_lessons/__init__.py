"""forge_lessons: the helper package of the forge-lessons course.

Lessons import the few names below; everything else lives in one module per
concern (``data``, ``course``, ``exercises``, ``runner``, ...).
"""

from .course import read_figures, record, recorded, setup
from .data import load_transactions, split_features
from .exercises import check

__version__ = "0.1.0"
__all__ = ["check", "load_transactions", "read_figures", "record", "recorded", "setup", "split_features"]
