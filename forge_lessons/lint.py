"""A static leakage lint for notebooks and Python scripts.

``python -m forge_lessons lint PATH…`` reads ``.ipynb`` and ``.py`` files (or
folders holding them) and reports, one line each::

    file:cell:line: kind: explanation (see lesson 03)

the three patterns of data leakage found most often in public notebooks
(Yang et al., ASE 2022; Kapoor & Narayanan, Patterns 2023):

``preprocessing-leak``
    a transformer, imputer, encoder, selector, vectorizer or PCA is fit
    (``fit``, ``fit_transform``, or a pandas statistic of the whole frame such
    as ``df.fillna(df.mean())`` or ``groupby(...).transform("mean")``) on rows
    that later end up in the test set: the data is split afterwards, or the
    fit saw the test rows. Reported at the model fit (or cross-validation)
    that consumes the leaked data.
``overlap-leak``
    copies of the same rows on both sides of the split: resampling
    (``fit_resample``, ``resample(..., replace=True)``, concatenating a frame
    with a subset of itself) before splitting, or de-duplication that comes
    too late (after the split) or whose result is thrown away.
``multi-test``
    the same test set used to compare or tune several models (three or
    more, or models that change inside a loop), with no untouched hold-out
    (a set scored by one model only) left for the one finally chosen. Two
    models side by side, a baseline and a candidate, are a comparison, not a
    selection, and are not reported.

How it works: each file is run through a small abstract interpreter. Data
values carry the set of rows they hold (splits create "train" and "test"
sub-rows) and the fit events whose statistics flowed into them; estimators
carry what they were fit on. Names are followed through assignments, tuple
unpacking, pandas column selection, loops, comprehensions and calls of
functions defined in the same file. It is a lint, not a proof: it can miss
leaks hidden behind code it does not understand, and it says nothing about
leaks that live in the data itself (a proxy column, repeated customers).
The runtime audits in :mod:`forge_lessons.leakage` cover those.

Notebook cells are numbered from 1 counting every cell (markdown too); lines
are counted within the cell. For ``.py`` files the line is the line in the
file and the cell counts ``# %%`` markers (1 when there are none). Cells
tagged ``leaky-demo`` (in ``.py`` files: ``# %% tags=["leaky-demo"]``) are
reported as expected and do not change the exit status, unless ``--strict``.

A finding you have checked can be silenced with a comment on the reported
line (or the line above): ``# leakage-ok: multi-test -- the test set only
reports these three variants``; say why.

Exit status: 0 clean, 1 findings, 2 unreadable input or bad usage.
"""

import argparse
import ast
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Finding", "KINDS", "LintInputError", "add_arguments", "lint_paths", "lint_source", "main", "run"]

LESSON = "03"
LEAKY_DEMO_TAG = "leaky-demo"
KINDS = {
    "preprocessing-leak": "a preprocessing step saw the test rows",
    "overlap-leak": "copies of the same rows on both sides of the split",
    "multi-test": "one test set used to compare or tune several models",
}
MULTI_TEST_MODELS = 3  # a baseline next to one candidate is a comparison, three or more is a selection
SUPPRESS = re.compile(r"#\s*leakage-ok\b(?::\s*([\w\-, ]+))?")
SKIPPED_DIRS = {".git", ".ipynb_checkpoints", "__pycache__", ".venv", "venv", "site-packages", "node_modules", "build"}


class LintInputError(Exception):
    """A file could not be read or parsed; the message says which and why."""


# ---------------------------------------------------------------------------
# Findings and the files' cells
# ---------------------------------------------------------------------------


@dataclass
class Finding:
    """One reported leak.

    Attributes
    ----------
    path : str
    cell : int
        1-based cell number (every cell counts); 1 for a ``.py`` without markers.
    line : int
        1-based line within the cell (within the file for ``.py``).
    kind : str
        One of :data:`KINDS`.
    message : str
        The explanation.
    expected : bool
        The leak involves a cell tagged ``leaky-demo``.
    cause : tuple of (int, int) or None
        ``(cell, line)`` of the step that leaked, when it differs from the report site.
    """

    path: str
    cell: int
    line: int
    kind: str
    message: str
    expected: bool = False
    cause: tuple = None

    def format(self):
        """The ``file:cell:line: kind: explanation (see lesson NN)`` line."""
        text = f"{self.path}:{self.cell}:{self.line}: {self.kind}: {self.message} (see lesson {LESSON})"
        if self.expected:
            text += " [expected: leaky-demo cell]"
        return text

    def as_dict(self):
        return {
            "path": self.path,
            "cell": self.cell,
            "line": self.line,
            "kind": self.kind,
            "message": self.message,
            "lesson": LESSON,
            "expected": self.expected,
            "cause": None if self.cause is None else {"cell": self.cause[0], "line": self.cause[1]},
        }


@dataclass
class Cell:
    """A code cell to analyse: its number, source, tags and first line in the file."""

    index: int
    source: str
    tags: tuple = ()
    line_offset: int = 0


_CELL_MAGIC_BODY_IS_PYTHON = {"time", "timeit", "capture", "prun", "debug"}
_ASSIGNED_MAGIC = re.compile(r"^(\s*[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*)[%!]")


def strip_magics(source):
    """Turn IPython syntax into plain Python, keeping line numbers.

    Returns
    -------
    str or None
        The code, or ``None`` when the cell is not Python (``%%bash``,
        ``%%html``, ``%%sql``, ...).
    """
    lines = source.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        magic = lines[first].lstrip()[2:].split(maxsplit=1)
        if not magic or magic[0] not in _CELL_MAGIC_BODY_IS_PYTHON:
            return None
        lines[first] = ""
    out = []
    for line in lines:
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        if stripped.startswith(("%", "!")) or (stripped.startswith("?") and not stripped.startswith("?=")):
            out.append(indent + "pass")
        elif _ASSIGNED_MAGIC.match(line):
            out.append(_ASSIGNED_MAGIC.match(line).group(1) + "None")
        elif stripped.endswith("?") and not stripped.startswith("#") and re.match(r"^[\w.\[\]()'\"]+\?{1,2}$", stripped):
            out.append(indent + "pass")
        else:
            out.append(line)
    return "\n".join(out)


def _notebook_cells(path, text):
    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as error:
        raise LintInputError(f"{path}: not a readable notebook: invalid JSON at line {error.lineno} ({error.msg})") from None
    if not isinstance(notebook, dict):
        raise LintInputError(f"{path}: not a Jupyter notebook: expected a JSON object, found {type(notebook).__name__}")
    if "cells" not in notebook:
        if "worksheets" in notebook:
            raise LintInputError(f"{path}: nbformat 3 notebooks are not supported; open and save it in Jupyter to upgrade")
        raise LintInputError(f"{path}: not a Jupyter notebook: no 'cells' list")
    cells = notebook["cells"]
    if not isinstance(cells, list):
        raise LintInputError(f"{path}: not a Jupyter notebook: 'cells' is {type(cells).__name__}, expected a list")
    metadata = notebook.get("metadata") or {}
    language = (metadata.get("kernelspec") or {}).get("language") or (metadata.get("language_info") or {}).get("name")
    if language and str(language).lower() != "python":
        return None, f"{path}: skipped, a {language} notebook (the lint reads Python)"
    result = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(str(part) for part in source)
        if not isinstance(source, str):
            raise LintInputError(f"{path}: cell {number}: 'source' is {type(source).__name__}, expected text")
        tags = (cell.get("metadata") or {}).get("tags") or ()
        result.append(Cell(number, source, tuple(str(t) for t in tags)))
    return result, None


_PERCENT_MARKER = re.compile(r"^# ?%%(.*)$")


def _script_cells(text):
    """Split a ``.py`` file at ``# %%`` markers; returns (cells, tags by cell)."""
    tags_by_cell = {}
    starts = []
    for number, line in enumerate(text.split("\n"), start=1):
        match = _PERCENT_MARKER.match(line)
        if match:
            starts.append(number)
            tag_match = re.search(r"tags\s*=\s*\[([^\]]*)\]", match.group(1))
            if tag_match:
                tags_by_cell[len(starts)] = tuple(t.strip().strip("'\"") for t in tag_match.group(1).split(",") if t.strip())
    return starts, tags_by_cell


def read_cells(path):
    """Read a notebook or script and return its code cells.

    Returns
    -------
    (list of Cell, str or None)
        The cells, and a note when the file is skipped (not Python).

    Raises
    ------
    LintInputError
        The file is missing, unreadable, or not a notebook / Python file.
    """
    path = Path(path)
    if not path.exists():
        raise LintInputError(f"{path}: no such file or folder")
    if path.suffix not in (".ipynb", ".py"):
        raise LintInputError(f"{path}: not a notebook or Python file (expected .ipynb or .py)")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise LintInputError(f"{path}: cannot read the file ({error.strerror or error})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LintInputError(f"{path}: not UTF-8 text (byte {error.start})") from None
    if path.suffix == ".ipynb":
        if not text.strip():
            raise LintInputError(f"{path}: the file is empty, expected a Jupyter notebook (JSON)")
        return _notebook_cells(path, text)
    return [Cell(1, text, ())], None


# ---------------------------------------------------------------------------
# Abstract values
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Loc:
    cell: int
    line: int


@dataclass(eq=False)
class Event:
    """Information that flowed from some rows into a value.

    ``kind`` is ``"preprocessing"`` (a statistic or a fit) or ``"overlap"``
    (copies of rows were made); ``rows`` are the rows it came from.
    """

    kind: str
    rows: frozenset
    loc: Loc
    what: str


class Val:
    """Base of the abstract values."""


class Unknown(Val):
    def __init__(self, hint=None):
        self.hint = hint


@dataclass(eq=False)
class Data(Val):
    """Rows of a data set (DataFrame, Series, array) and what flowed into them."""

    rows: frozenset
    events: frozenset = frozenset()
    deduped: bool = False
    discarded_dedup: object = None  # Loc of a drop_duplicates() whose result was thrown away
    text: str = ""


@dataclass(eq=False)
class Stat(Val):
    """A number or table computed from data (a mean, a correlation, a coefficient)."""

    events: frozenset = frozenset()


@dataclass(eq=False)
class GroupBy(Val):
    data: Data


@dataclass(eq=False)
class Est(Val):
    """An estimator object (mutable: fitting changes it)."""

    uid: int
    cls: str
    role: str
    steps: list = field(default_factory=list)
    info: frozenset = frozenset()  # events a transform passes on
    fitted: bool = False
    fit_serial: int = 0
    fit_loc: object = None
    fit_text: str = ""
    trained_rows: frozenset = frozenset()
    trained_events: frozenset = frozenset()
    fit_event: object = None
    varies_in: set = field(default_factory=set)


@dataclass(eq=False)
class Splitter(Val):
    cls: str


@dataclass(eq=False)
class IndexVal(Val):
    sid: int
    side: str


@dataclass(eq=False)
class Seq(Val):
    items: list
    kind: str = "list"


@dataclass(eq=False)
class Iter(Val):
    element: Val


@dataclass(eq=False)
class Ref(Val):
    """A function or class reached by name (``train_test_split``, ``sklearn.utils.resample``)."""

    qual: str

    @property
    def last(self):
        return self.qual.rsplit(".", 1)[-1]


@dataclass(eq=False)
class Module(Val):
    name: str


@dataclass(eq=False)
class Func(Val):
    node: ast.AST


@dataclass(eq=False)
class UserClass(Val):
    name: str


# ---------------------------------------------------------------------------
# What names mean
# ---------------------------------------------------------------------------

_PRE = {
    "StandardScaler", "MinMaxScaler", "MaxAbsScaler", "RobustScaler", "QuantileTransformer", "PowerTransformer",
    "KBinsDiscretizer", "SplineTransformer", "SimpleImputer", "KNNImputer", "IterativeImputer", "MissingIndicator",
    "OneHotEncoder", "OrdinalEncoder", "TargetEncoder", "SelectKBest", "SelectPercentile", "SelectFromModel", "RFE",
    "RFECV", "VarianceThreshold", "SequentialFeatureSelector", "GenericUnivariateSelect", "SelectFpr", "SelectFdr",
    "SelectFwe", "PCA", "TruncatedSVD", "KernelPCA", "FastICA", "NMF", "IncrementalPCA", "SparsePCA",
    "MiniBatchSparsePCA", "FactorAnalysis", "LatentDirichletAllocation", "CountVectorizer", "TfidfVectorizer",
    "TfidfTransformer", "DictVectorizer", "ColumnTransformer", "FeatureUnion", "Isomap", "TSNE", "UMAP",
    "LocallyLinearEmbedding", "Nystroem", "RBFSampler", "KMeans", "MiniBatchKMeans", "GaussianMixture",
    "BayesianGaussianMixture", "DBSCAN", "AgglomerativeClustering", "Birch", "LinearDiscriminantAnalysis",
}
_STATELESS = {
    "PolynomialFeatures", "FunctionTransformer", "Normalizer", "Binarizer", "HashingVectorizer", "FeatureHasher",
}
_LABEL = {"LabelEncoder", "LabelBinarizer", "MultiLabelBinarizer"}
_OVERSAMPLERS = {
    "SMOTE", "SMOTENC", "SMOTEN", "ADASYN", "BorderlineSMOTE", "SVMSMOTE", "KMeansSMOTE", "RandomOverSampler",
    "SMOTEENN", "SMOTETomek",
}
_UNDERSAMPLERS = {
    "RandomUnderSampler", "NearMiss", "TomekLinks", "EditedNearestNeighbours", "RepeatedEditedNearestNeighbours",
    "AllKNN", "CondensedNearestNeighbour", "OneSidedSelection", "NeighbourhoodCleaningRule", "InstanceHardnessThreshold",
    "ClusterCentroids",
}
_SPLITTERS = {
    "KFold", "StratifiedKFold", "GroupKFold", "StratifiedGroupKFold", "TimeSeriesSplit", "ShuffleSplit",
    "StratifiedShuffleSplit", "GroupShuffleSplit", "RepeatedKFold", "RepeatedStratifiedKFold", "LeaveOneOut",
    "LeavePOut", "LeaveOneGroupOut", "LeavePGroupsOut", "PredefinedSplit",
}
_SEARCHES = {
    "GridSearchCV", "RandomizedSearchCV", "HalvingGridSearchCV", "HalvingRandomSearchCV", "BayesSearchCV",
    "TunedThresholdClassifierCV", "FixedThresholdClassifier",
}
_PIPELINES = {"Pipeline", "make_pipeline"}
_TRANSFORMER_COMBINERS = {"ColumnTransformer", "make_column_transformer", "FeatureUnion", "make_union"}
_DUMMIES = {"DummyClassifier", "DummyRegressor"}
_DATA_CONSTRUCTORS = {"DataFrame", "Series", "array", "asarray", "Index", "Categorical", "matrix", "csr_matrix", "tensor"}
_CV_FUNCTIONS = {
    "cross_val_score", "cross_validate", "cross_val_predict", "permutation_test_score", "learning_curve",
    "validation_curve",
}
_LOADERS = re.compile(
    r"^(read_\w+|load_\w+|fetch_\w+|make_(classification|regression|blobs|moons|circles|friedman\d|"
    r"multilabel_classification|hastie_10_2|sparse_uncorrelated|s_curve|swiss_roll|gaussian_quantiles|"
    r"low_rank_matrix|biclusters|checkerboard)|from_csv|open_dataset|loadtxt|genfromtxt|DataFrame|read)$"
)
_STAT_METHODS = {
    "mean", "median", "std", "var", "min", "max", "quantile", "mode", "sum", "corr", "cov", "corrwith",
    "value_counts", "describe", "nlargest", "nsmallest", "idxmax", "idxmin", "sem", "mad", "skew", "kurt", "agg",
    "aggregate", "nunique",
}
_STAT_FUNCTIONS = {
    "mean", "median", "std", "var", "percentile", "quantile", "nanmean", "nanmedian", "nanstd", "nanvar",
    "nanpercentile", "nanquantile", "average", "min", "max", "amin", "amax", "nanmin", "nanmax", "ptp", "corrcoef",
    "cov",
}
_SCALING_FUNCTIONS = {
    "scale", "minmax_scale", "robust_scale", "maxabs_scale", "quantile_transform", "power_transform", "zscore",
}
_ROW_ATTRS = {"values", "loc", "iloc", "at", "iat", "str", "dt", "cat", "array", "sparse", "T", "data", "target",
              "frame", "plot"}
_NON_ROW_ATTRS = {"columns", "shape", "dtypes", "dtype", "size", "ndim", "name", "empty", "index", "nbytes",
                  "feature_names", "target_names", "DESCR"}
_PREDICT = {"predict", "predict_proba", "decision_function", "predict_log_proba", "score", "staged_predict",
            "staged_predict_proba", "staged_decision_function"}
_MODULE_ALIASES = {
    "pd", "np", "pandas", "numpy", "sklearn", "sk", "scipy", "stats", "plt", "sns", "math", "random", "os", "tf",
    "torch", "xgb", "lgb", "imblearn", "fl", "forge_lessons", "sm", "smf", "utils", "preprocessing",
    "model_selection", "metrics", "ensemble", "linear_model",
}
_OTHER_EST_ATTRS = {"best_estimator_": "self", "estimator_": "self"}


def classify(name):
    """Role of a class or constructor name: pre, stateless, label, sampler, ..."""
    if name in _PIPELINES:
        return "pipeline"
    if name in _TRANSFORMER_COMBINERS:
        return "pre"
    if name in _SPLITTERS:
        return "splitter"
    if name in _SEARCHES:
        return "search"
    if name in _DUMMIES:
        return "model"
    if name in _LABEL:
        return "label"
    if name in _STATELESS:
        return "stateless"
    if name in _OVERSAMPLERS or "SMOTE" in name or name.endswith("OverSampler"):
        return "sampler"
    if name in _UNDERSAMPLERS or name.endswith("UnderSampler"):
        return "undersampler"
    if name in _PRE:
        return "pre"
    if name.endswith(("Scaler", "Imputer", "Encoder", "Selector", "Vectorizer", "Discretizer", "PCA", "SVD")):
        return "pre"
    if name.endswith("Transformer"):
        return "pre"
    if name.endswith("CV") and name not in _SEARCHES:
        return "model"  # LogisticRegressionCV, RidgeCV: a model with internal CV on its own data
    return "model"


_PRE_HINT = re.compile(r"scal|imput|encod|select|pca|svd|vectori|transform|preproc|normaliz|discreti|tfidf", re.I)


def _short(node, limit=48):
    try:
        text = ast.unparse(node)
    except Exception:  # pragma: no cover - unparse handles every node we pass
        return "?"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _root_name(node):
    """The variable at the root of ``df``, ``df["a"]``, ``df.loc[m, "a"]``, ``df.a``."""
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _covers(event_rows, atom):
    return any(atom[: len(e)] == e for e in event_rows)


def _rows_covered(event_rows, rows):
    return any(_covers(event_rows, atom) for atom in rows)


def _overlap(rows_a, rows_b):
    for a in rows_a:
        for b in rows_b:
            n = min(len(a), len(b))
            if a[:n] == b[:n]:
                return True
    return False


def _key(rows):
    """A held-out set's identity: the split path of its rows, without the root."""
    return frozenset(atom[1:] if len(atom) > 1 else atom for atom in rows)


def _merge(values):
    datas = [v for v in values if isinstance(v, Data)]
    events = frozenset().union(*(v.events for v in values if isinstance(v, (Data, Stat))))
    if datas:
        rows = frozenset().union(*(d.rows for d in datas))
        discarded = next((d.discarded_dedup for d in datas if d.discarded_dedup), None)
        return Data(rows, events, all(d.deduped for d in datas), discarded, datas[0].text)
    if events:
        return Stat(events)
    for value in values:
        if isinstance(value, (Est, Seq, Iter, IndexVal, Splitter)):
            return value
    return Unknown()


def _element(value):
    """The abstract element of a collection (for loops and comprehensions)."""
    if isinstance(value, Iter):
        return value.element
    if isinstance(value, Seq):
        if not value.items:
            return Unknown()
        if all(isinstance(item, Seq) for item in value.items):
            width = min(len(item.items) for item in value.items)
            return Seq([_element(Seq([item.items[i] for item in value.items])) for i in range(width)], "tuple")
        ests = [item for item in value.items if isinstance(item, Est)]
        if ests and len(ests) == len(value.items):
            if len(ests) == 1:
                return ests[0]
            return _Collection(ests)
        return _merge(value.items)
    if isinstance(value, Data):
        return Data(value.rows, value.events, value.deduped, value.discarded_dedup, value.text)
    return Unknown()


class _Collection(Val):
    """Several estimators seen through one loop variable."""

    def __init__(self, members):
        self.members = members


# ---------------------------------------------------------------------------
# The interpreter
# ---------------------------------------------------------------------------


@dataclass
class _Split:
    loc: Loc
    text: str
    fold: bool
    loops: tuple


@dataclass
class _Eval:
    key: frozenset
    rows: frozenset
    version: tuple
    dummy: bool
    loc: Loc
    varies: bool
    text: str


class _Return(Exception):
    def __init__(self, value):
        self.value = value


class Analyzer:
    """Abstract interpretation of one file's code cells, in order."""

    MAX_DEPTH = 4

    def __init__(self, path, demo_cells=()):
        self.path = str(path)
        self.demo_cells = set(demo_cells)
        self.env = {}
        self.findings = []
        self.internal_errors = []
        self._counter = 0
        self.splits = {}
        self.atom_loops = {}
        self.loop_stack = []
        self.loop_kinds = {}
        self.reported = set()
        self.reported_keys = set()
        self.pending = {}
        self.evals = []
        self.fits = []
        self.cell = 1
        self.depth = 0
        self.func_stack = []

    # -- helpers ------------------------------------------------------------
    def _fresh(self):
        self._counter += 1
        return self._counter

    def _loc(self, node):
        return Loc(self.cell, getattr(node, "lineno", 1))

    def _source(self, text="", pre_existing=False):
        atom = (f"r{self._fresh()}",)
        self.atom_loops[atom] = () if pre_existing else tuple(self.loop_stack)
        return Data(frozenset([atom]), frozenset(), False, None, text)

    def _atom_loops(self, rows):
        loops = set()
        for atom in rows:
            loops.update(self.atom_loops.get(atom[:1], ()))
            for i in range(1, len(atom), 2):
                split = self.splits.get(atom[i])
                if split is not None:
                    loops.update(split.loops)
        return loops

    def _is_fold(self, rows):
        return any(
            self.splits.get(atom[i]) is not None and self.splits[atom[i]].fold
            for atom in rows
            for i in range(1, len(atom), 2)
        )

    def _emit(self, kind, loc, message, cause=None, involved=()):
        cells = {loc.cell} | {c.cell for c in involved if c is not None}
        if cause is not None:
            cells.add(cause.cell)
        expected = bool(cells & self.demo_cells)
        key = (kind, loc, message)
        if key in self.reported_keys:
            return
        self.reported_keys.add(key)
        cause_pair = None if cause is None or cause == loc else (cause.cell, cause.line)
        self.findings.append(Finding(self.path, loc.cell, loc.line, kind, message, expected, cause_pair))

    def _where(self, loc):
        if loc.cell == self.cell:
            return f"line {loc.line}"
        return f"cell {loc.cell}, line {loc.line}"

    def _split_of(self, atom):
        for i in range(len(atom) - 2, 0, -2):
            split = self.splits.get(atom[i])
            if split is not None:
                return split
        return None

    # -- leak reports -------------------------------------------------------
    def _report_event(self, event, loc, how, split=None):
        if event in self.reported:
            return
        self.reported.add(event)
        anchor = (event.kind, loc)
        if anchor in self.reported:
            return  # one finding per kind and site; the first cause is named
        self.reported.add(anchor)
        where = f" at {self._where(split.loc)}" if split is not None else ""
        if event.kind == "preprocessing":
            split_text = f" split off{where}" if where else ""
            message = (
                f"{how} data shaped by `{event.what}` ({self._where(event.loc)}), which learned its statistics from"
                f" rows that include the test rows{split_text}; fit preprocessing on the training rows only"
                " (put it in a Pipeline)"
            )
            self._emit("preprocessing-leak", loc, message, event.loc)
        else:
            message = (
                f"{how} data holding copies made by `{event.what}` ({self._where(event.loc)}) before the split{where}:"
                " copies of the same rows land on both sides; resample or augment inside the training folds"
                " (imblearn Pipeline) and de-duplicate before splitting"
            )
            self._emit("overlap-leak", loc, message, event.loc)

    def _check_fit(self, est, X, y, loc, text):
        """A model is fit on ``X``: did anything in it see the matching test rows?"""
        events = X.events | (y.events if isinstance(y, Data) else frozenset())
        for event in sorted(events, key=lambda e: (e.loc.cell, e.loc.line)):
            for atom in X.rows:
                if len(atom) >= 3 and atom[-1] in ("train", "head"):
                    sibling = atom[:-1] + ("test" if atom[-1] == "train" else "tail",)
                    if _covers(event.rows, sibling):
                        self._report_event(event, loc, f"`{text}` trains on", self._split_of(atom))
                        break
        self._check_discarded(X, loc)

    def _check_cv(self, X, y, loc, text):
        """Cross-validation on ``X``: its test folds are rows of ``X``."""
        events = X.events | (y.events if isinstance(y, Data) else frozenset())
        for event in sorted(events, key=lambda e: (e.loc.cell, e.loc.line)):
            if _rows_covered(event.rows, X.rows):
                self._report_event(event, loc, f"`{text}` cross-validates")
        self._check_discarded(X, loc)

    def _check_discarded(self, data, loc):
        dedup = data.discarded_dedup
        if dedup is not None and ("dedup", dedup) not in self.reported:
            self.reported.add(("dedup", dedup))
            self._emit(
                "overlap-leak",
                dedup,
                "the result of `drop_duplicates()` is thrown away (no assignment, no inplace=True), so the duplicate"
                f" rows are still there when the data is split or cross-validated at {self._where(loc)}",
                None,
                (loc,),
            )

    def _note_split(self, data, loc, sid):
        for event in data.events:
            if _rows_covered(event.rows, data.rows) and event not in self.pending:
                self.pending[event] = (loc, self.splits[sid])
        self._check_discarded(data, loc)

    # -- execution ----------------------------------------------------------
    def run_cell(self, tree, cell_index):
        self.cell = cell_index
        for stmt in tree.body:
            self._exec_safely(stmt)

    def _exec_safely(self, stmt):
        try:
            self.exec_stmt(stmt)
        except _Return:
            raise
        except RecursionError:
            self.internal_errors.append((self.cell, getattr(stmt, "lineno", 0), "recursion"))
        except Exception as error:  # a lint must not crash on code it does not understand
            self.internal_errors.append((self.cell, getattr(stmt, "lineno", 0), f"{type(error).__name__}: {error}"))

    def exec_body(self, body):
        for stmt in body:
            self._exec_safely(stmt)

    def exec_stmt(self, node):
        if isinstance(node, ast.Assign):
            value = self.eval(node.value)
            for target in node.targets:
                self.bind(target, value, node)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self.bind(node.target, self.eval(node.value), node)
        elif isinstance(node, ast.AugAssign):
            current = self.eval(node.target)
            value = _merge([current, self.eval(node.value)])
            if isinstance(current, Seq) and isinstance(self.eval(node.value), Seq):
                value = Seq(current.items + self.eval(node.value).items)
            self.bind(node.target, value, node)
        elif isinstance(node, ast.Expr):
            self.exec_expression_statement(node)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self.exec_loop(node.iter, node.target, node.body, node)
            self.exec_body(node.orelse)
        elif isinstance(node, ast.While):
            self.eval(node.test)
            self.exec_loop(None, None, node.body, node)
            self.exec_body(node.orelse)
        elif isinstance(node, ast.If):
            self.eval(node.test)
            self.exec_body(node.body)
            self.exec_body(node.orelse)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                value = self.eval(item.context_expr)
                if item.optional_vars is not None:
                    self.bind(item.optional_vars, value, node)
            self.exec_body(node.body)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            self.exec_body(node.body)
            for handler in node.handlers:
                self.exec_body(handler.body)
            self.exec_body(node.orelse)
            self.exec_body(node.finalbody)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.env[node.name] = Func(node)
        elif isinstance(node, ast.ClassDef):
            self.env[node.name] = UserClass(node.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.env[alias.asname] = Module(alias.name)
                else:
                    top = alias.name.split(".")[0]
                    self.env[top] = Module(top)
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name != "*":
                    self.env[alias.asname or alias.name] = Ref(f"{node.module or ''}.{alias.name}")
        elif isinstance(node, ast.Return):
            raise _Return(self.eval(node.value) if node.value is not None else Unknown())
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.env.pop(target.id, None)
        elif isinstance(node, ast.Match):
            self.eval(node.subject)
            for case in node.cases:
                self.exec_body(case.body)

    def exec_expression_statement(self, node):
        call = node.value
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "drop_duplicates"
            and not self._kw_true(call, "inplace")
            and isinstance(call.func.value, ast.Name)
        ):
            receiver = self.eval(call.func.value)
            if isinstance(receiver, Unknown) and call.func.value.id not in self.env:
                receiver = self.as_data(call.func.value, receiver)
            if isinstance(receiver, Data) and not receiver.deduped:
                self.env[call.func.value.id] = Data(
                    receiver.rows, receiver.events, False, self._loc(node), receiver.text
                )
                return
        self.eval(call)

    def exec_loop(self, iterator, target, body, node):
        value = self.eval(iterator) if iterator is not None else Unknown()
        loop_id = f"L{self._fresh()}"
        fold = self._mark_folds(value)
        element = _element(value)
        if isinstance(element, _Collection):
            merged = self._collection_est(element, loop_id)
            element = merged
        elif isinstance(element, Seq):
            element = Seq([self._collection_est(i, loop_id) if isinstance(i, _Collection) else i for i in element.items],
                          element.kind)
        self.loop_stack.append(loop_id)
        self.loop_kinds[loop_id] = "fold" if fold else "other"
        try:
            if target is not None:
                self.bind(target, element, node)
            self.exec_body(body)
        finally:
            self.loop_stack.pop()

    def _collection_est(self, collection, loop_id):
        first = collection.members[0]
        roles = {m.role for m in collection.members}
        est = Est(self._fresh(), "|".join(m.cls for m in collection.members), first.role if len(roles) == 1 else "model")
        est.varies_in = {loop_id}
        return est

    # -- binding ------------------------------------------------------------
    def bind(self, target, value, node):
        if isinstance(target, ast.Name):
            if isinstance(value, Unknown):
                value = Unknown(target.id)
            self.env[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            items = None
            if isinstance(value, Seq):
                items = value.items
            elif isinstance(value, Data):
                items = [value] * len(target.elts)
            starred = any(isinstance(e, ast.Starred) for e in target.elts)
            for i, element in enumerate(target.elts):
                if isinstance(element, ast.Starred):
                    self.bind(element.value, Seq(list(items[i:]) if items else []), node)
                    continue
                if items is not None and not starred and i < len(items):
                    item = items[i]
                elif items is not None and starred:
                    item = items[i] if i < len(items) else Unknown()
                else:
                    item = Unknown()
                self.bind(element, item, node)
        elif isinstance(target, ast.Subscript):
            # df["col"] = value, df.loc[mask, "col"] = value: the frame now holds the value.
            base = target.value
            while isinstance(base, (ast.Subscript, ast.Attribute)) and not isinstance(base, ast.Name):
                if isinstance(base, ast.Attribute) and base.attr not in _ROW_ATTRS:
                    break
                base = base.value
            if isinstance(base, ast.Name):
                current = self.env.get(base.id)
                if isinstance(current, Data):
                    self.eval(target.slice)
                    self.env[base.id] = _merge([current, value]) if isinstance(value, (Data, Stat)) else current
                    merged = self.env[base.id]
                    if isinstance(merged, Data):
                        merged.rows = current.rows
                elif isinstance(current, Seq):
                    current.items.append(value)
                elif current is None and isinstance(value, (Data, Stat)):
                    fresh = self._source(base.id)
                    self.env[base.id] = _merge([fresh, value])
                    self.env[base.id].rows = fresh.rows
        elif isinstance(target, ast.Starred):
            self.bind(target.value, value, node)

    # -- expressions --------------------------------------------------------
    def eval(self, node):
        if node is None:
            return Unknown()
        method = getattr(self, f"eval_{type(node).__name__}", None)
        if method is None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.eval(child)
            return Unknown()
        return method(node)

    def eval_Constant(self, node):
        return Unknown()

    def eval_Name(self, node):
        if node.id in self.env:
            return self.env[node.id]
        return Unknown(node.id)

    def as_data(self, node, value=None):
        """The value of ``node`` as data; an unknown name becomes a data source."""
        if isinstance(node, ast.Name) and isinstance(self.env.get(node.id), Data):
            return self.env[node.id]
        if value is None:
            value = self.eval(node)
        if isinstance(value, Data):
            return value
        if isinstance(value, GroupBy):
            return value.data
        if isinstance(value, Seq):
            merged = _merge(value.items)
            if isinstance(merged, Data):
                return merged
        if isinstance(node, ast.Name) and isinstance(value, (Unknown, Stat)):
            data = self._source(node.id, pre_existing=True)
            if isinstance(value, Stat):
                data.events = value.events
            self.env[node.id] = data
            return data
        data = self._source(_short(node) if node is not None else "")
        if isinstance(value, Stat):
            data.events = value.events
        return data

    def eval_Attribute(self, node):
        base = self.eval(node.value)
        attr = node.attr
        if isinstance(base, Module):
            return Ref(f"{base.name}.{attr}")
        if isinstance(base, Ref):
            return Ref(f"{base.qual}.{attr}")
        if isinstance(base, Data):
            if attr in _NON_ROW_ATTRS:
                return Unknown()
            return base
        if isinstance(base, GroupBy):
            return base
        if isinstance(base, Stat):
            return base
        if isinstance(base, Est):
            if attr in _OTHER_EST_ATTRS:
                return base
            if attr.endswith("_") and not attr.startswith("_"):
                events = set(base.info) | set(base.trained_events)
                if base.fit_event is not None:
                    events.add(base.fit_event)
                return Stat(frozenset(events))
            return Unknown()
        if isinstance(base, Unknown) and isinstance(node.value, ast.Name) and base.hint == node.value.id:
            # an undefined module-like name: np.xxx, pd.xxx without import
            if node.value.id not in self.env:
                return Ref(f"{node.value.id}.{attr}")
        return Unknown()

    def eval_Subscript(self, node):
        base = self.eval(node.value)
        index = node.slice
        if isinstance(base, Seq):
            self.eval(index)
            if isinstance(index, ast.Constant) and isinstance(index.value, int) and -len(base.items) <= index.value < len(base.items):
                return base.items[index.value]
            if isinstance(index, ast.Slice):
                return base
            return _element(base)
        if isinstance(base, (GroupBy, Stat)):
            self.eval(index)
            return base
        if isinstance(base, Est):
            return Unknown()
        if not isinstance(base, Data):
            if isinstance(node.value, ast.Name) and isinstance(base, Unknown) and node.value.id not in self.env:
                base = self.as_data(node.value, base)
            else:
                self.eval(index)
                return Unknown()
        return self.subset(base, index, node)

    def subset(self, data, index, node):
        """Rows selected from ``data`` by the subscript ``index``."""
        if isinstance(index, ast.Tuple) and index.elts:
            for extra in index.elts[1:]:
                extra_value = self.eval(extra)
                if isinstance(extra_value, Stat):
                    data = Data(data.rows, data.events | extra_value.events, data.deduped, data.discarded_dedup, data.text)
            index = index.elts[0]
        if isinstance(index, ast.Slice):
            if index.lower is None and index.upper is None:
                return data
            if index.step is None and (index.lower is None) != (index.upper is None):
                bound = index.upper if index.upper is not None else index.lower
                side = "head" if index.upper is not None else "tail"
                sid = f"s:{_short(bound, 80)}"
                if sid not in self.splits:
                    self.splits[sid] = _Split(self._loc(node), _short(node), False, tuple(self.loop_stack))
                self._note_split(data, self._loc(node), sid)
                return self._part(data, sid, side)
            return self._filtered(data, f"slice:{_short(index, 80)}")
        value = self.eval(index)
        if isinstance(value, IndexVal):
            self._note_split(data, self._loc(node), value.sid)
            return self._part(data, value.sid, value.side)
        if isinstance(index, ast.Constant) or isinstance(index, (ast.List, ast.Tuple)):
            return data
        if isinstance(value, Stat):
            return Data(data.rows, data.events | value.events, data.deduped, data.discarded_dedup, data.text)
        if isinstance(value, Data) or isinstance(index, (ast.Compare, ast.UnaryOp, ast.BoolOp, ast.BinOp, ast.Call)):
            deduped = data.deduped or ".duplicated(" in _short(index, 400)
            filtered = self._filtered(data, f"mask:{_short(index, 80)}")
            filtered.deduped = deduped
            return filtered
        return data

    def _part(self, data, sid, side):
        rows = frozenset(atom + (sid, side) for atom in data.rows)
        return Data(rows, data.events, data.deduped, data.discarded_dedup, data.text)

    def _filtered(self, data, label):
        rows = frozenset(atom + (label, "subset") for atom in data.rows)
        return Data(rows, data.events, data.deduped, data.discarded_dedup, data.text)

    def _operand(self, node):
        """Evaluate an operand of arithmetic: an undefined name there is data."""
        if isinstance(node, ast.Name) and node.id not in self.env and node.id not in _MODULE_ALIASES:
            return self.as_data(node)
        return self.eval(node)

    def eval_BinOp(self, node):
        return _merge([self._operand(node.left), self._operand(node.right)])

    def eval_UnaryOp(self, node):
        return self._operand(node.operand)

    def eval_BoolOp(self, node):
        return _merge([self.eval(v) for v in node.values])

    def eval_Compare(self, node):
        return _merge([self._operand(node.left)] + [self.eval(c) for c in node.comparators])

    def eval_IfExp(self, node):
        self.eval(node.test)
        return _merge([self.eval(node.body), self.eval(node.orelse)])

    def eval_Tuple(self, node):
        return Seq([self.eval(e) for e in node.elts], "tuple")

    def eval_List(self, node):
        return Seq([self.eval(e) for e in node.elts], "list")

    def eval_Set(self, node):
        return Seq([self.eval(e) for e in node.elts], "set")

    def eval_Dict(self, node):
        for key in node.keys:
            if key is not None:
                self.eval(key)
        return Seq([self.eval(v) for v in node.values], "dict")

    def eval_Starred(self, node):
        return self.eval(node.value)

    def eval_NamedExpr(self, node):
        value = self.eval(node.value)
        self.bind(node.target, value, node)
        return value

    def eval_Await(self, node):
        return self.eval(node.value)

    def eval_Lambda(self, node):
        return Unknown()

    def eval_JoinedStr(self, node):
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                self.eval(value.value)
        return Unknown()

    def _comprehension(self, node, elements):
        saved = dict(self.env)
        generators = node.generators
        pushed = 0
        try:
            for generator in generators:
                value = self.eval(generator.iter)
                loop_id = f"L{self._fresh()}"
                fold = self._mark_folds(value)
                element = _element(value)
                if isinstance(element, _Collection):
                    element = self._collection_est(element, loop_id)
                elif isinstance(element, Seq):
                    element = Seq([self._collection_est(i, loop_id) if isinstance(i, _Collection) else i
                                   for i in element.items], element.kind)
                self.loop_stack.append(loop_id)
                self.loop_kinds[loop_id] = "fold" if fold else "other"
                pushed += 1
                self.bind(generator.target, element, node)
                for condition in generator.ifs:
                    self.eval(condition)
            results = [self.eval(e) for e in elements]
        finally:
            for _ in range(pushed):
                self.loop_stack.pop()
            comprehension_names = {n.id for g in generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
            for name in comprehension_names:
                if name in saved:
                    self.env[name] = saved[name]
                else:
                    self.env.pop(name, None)
        return results

    def eval_ListComp(self, node):
        return Seq(self._comprehension(node, [node.elt]))

    eval_SetComp = eval_ListComp

    def eval_GeneratorExp(self, node):
        results = self._comprehension(node, [node.elt])
        return Iter(results[0] if results else Unknown())

    def eval_DictComp(self, node):
        results = self._comprehension(node, [node.key, node.value])
        return Seq([results[1]], "dict")

    # -- calls --------------------------------------------------------------
    @staticmethod
    def _kw(call, name):
        for keyword in call.keywords:
            if keyword.arg == name:
                return keyword.value
        return None

    def _kw_true(self, call, name):
        value = self._kw(call, name)
        return isinstance(value, ast.Constant) and value.value is True

    def _arg(self, call, position, name=None):
        if name is not None:
            value = self._kw(call, name)
            if value is not None:
                return value
        positional = [a for a in call.args if not isinstance(a, ast.Starred)]
        if position < len(positional):
            return positional[position]
        return None

    def eval_Call(self, node):
        func = node.func
        if isinstance(func, ast.Attribute):
            receiver_node = func.value
            receiver = self.eval(receiver_node)
            name = func.attr
            if isinstance(receiver, (Module, Ref)):
                qual = receiver.name if isinstance(receiver, Module) else receiver.qual
                return self.call_function(f"{qual}.{name}", node)
            if isinstance(receiver, Unknown) and isinstance(receiver_node, ast.Name) and receiver_node.id not in self.env:
                if name in ("fit", "fit_transform", "fit_resample", "fit_predict", "partial_fit"):
                    role = "pre" if _PRE_HINT.search(receiver_node.id) else "model"
                    if name == "fit_resample":
                        role = "sampler"
                    receiver = Est(self._fresh(), receiver_node.id, role)
                    self.env[receiver_node.id] = receiver
                elif name in _PREDICT or name == "transform":
                    receiver = Est(self._fresh(), receiver_node.id, "pre" if name == "transform" else "model")
                    self.env[receiver_node.id] = receiver
                elif name in ("split", "get_n_splits") or receiver_node.id in _MODULE_ALIASES:
                    return self.call_function(f"{receiver_node.id}.{name}", node)
                else:
                    receiver = self.as_data(receiver_node, receiver)
            if isinstance(receiver, Est):
                return self.est_method(receiver, name, node, receiver_node)
            if isinstance(receiver, _Collection):
                return Unknown()
            if isinstance(receiver, Splitter):
                self._eval_args(node)
                if name == "split":
                    return self._splitter_iter(node)
                return Unknown()
            if isinstance(receiver, Seq):
                args = self._eval_args(node)
                if name == "items":
                    return Iter(Seq([Unknown(), _element(receiver)], "tuple"))
                if name == "values":
                    return Iter(_element(receiver))
                if name in ("append", "add", "insert"):
                    if args:
                        receiver.items.append(args[-1])
                    return Unknown()
                if name in ("extend", "update") and args and isinstance(args[0], Seq):
                    receiver.items.extend(args[0].items)
                    return Unknown()
                if name in ("copy", "keys"):
                    return receiver if name == "copy" else Iter(Unknown())
                if name == "get" and len(args) >= 1:
                    return _element(receiver)
                return Unknown()
            if isinstance(receiver, (Data, GroupBy, Stat)):
                return self.data_method(receiver, name, node, receiver_node)
            self._eval_args(node)
            return Unknown()
        callee = self.eval(func)
        if isinstance(callee, Func):
            return self.call_user(callee, node)
        if isinstance(callee, UserClass):
            self._eval_args(node)
            role = classify(callee.name)
            return Est(self._fresh(), callee.name, role if role != "model" or not _PRE_HINT.search(callee.name) else "pre")
        if isinstance(callee, Ref):
            return self.call_function(callee.qual, node)
        if isinstance(callee, Unknown) and isinstance(func, ast.Name):
            return self.call_function(func.id, node)
        if isinstance(callee, Est):
            self._eval_args(node)
            return Unknown()
        self._eval_args(node)
        return Unknown()

    def _eval_args(self, node):
        values = [self.eval(a) for a in node.args]
        for keyword in node.keywords:
            self.eval(keyword.value)
        return values

    def _splitter_iter(self, node):
        sid = f"k{self._fresh()}"
        # a fold split only when iterated by a loop (see _mark_folds); next(splitter.split(...)) is one split
        self.splits[sid] = _Split(self._loc(node), _short(node), False, tuple(self.loop_stack))
        return Iter(Seq([IndexVal(sid, "train"), IndexVal(sid, "test")], "tuple"))

    def _mark_folds(self, value):
        """Iterating ``splitter.split(...)``: the loop body sees one fold after another."""
        fold = isinstance(value, Iter) and isinstance(value.element, Seq) and any(
            isinstance(item, IndexVal) for item in value.element.items)
        if fold:
            for item in value.element.items:
                if isinstance(item, IndexVal) and item.sid in self.splits:
                    self.splits[item.sid].fold = True
        return fold

    def call_user(self, func, node):
        if self.depth >= self.MAX_DEPTH or func.node in self.func_stack:
            self._eval_args(node)
            return Unknown()
        definition = func.node
        saved = dict(self.env)
        args = definition.args
        params = [a.arg for a in args.posonlyargs + args.args]
        defaults = [None] * (len(params) - len(args.defaults)) + list(args.defaults)
        bound = {}
        for i, param in enumerate(params):
            value_node = None
            if i < len(node.args) and not isinstance(node.args[i], ast.Starred):
                value_node = node.args[i]
            else:
                value_node = self._kw(node, param)
            if value_node is not None:
                value = self.eval(value_node)
                if isinstance(value, Unknown) and isinstance(value_node, ast.Name):
                    value = self.as_data(value_node, value) if value_node.id not in self.env else value
                bound[param] = value
            elif defaults[i] is not None:
                bound[param] = self.eval(defaults[i])
            else:
                bound[param] = Unknown(param)
        for keyword in node.keywords:
            if keyword.arg not in bound:
                self.eval(keyword.value)
        for kwonly, default in zip(args.kwonlyargs, args.kw_defaults):
            value_node = self._kw(node, kwonly.arg)
            bound[kwonly.arg] = self.eval(value_node) if value_node is not None else (
                self.eval(default) if default is not None else Unknown())
        self.env.update(bound)
        self.depth += 1
        self.func_stack.append(definition)
        result = Unknown()
        try:
            for stmt in definition.body:
                self._exec_safely(stmt)
        except _Return as returned:
            result = returned.value
        finally:
            self.depth -= 1
            self.func_stack.pop()
            local_names = set(params) | {a.arg for a in args.kwonlyargs}
            for target in ast.walk(definition):
                if isinstance(target, ast.Name) and isinstance(target.ctx, ast.Store):
                    local_names.add(target.id)
            globals_declared = {n for s in ast.walk(definition) if isinstance(s, ast.Global) for n in s.names}
            for name in local_names - globals_declared:
                if name in saved:
                    self.env[name] = saved[name]
                else:
                    self.env.pop(name, None)
        return result

    # -- functions by name ----------------------------------------------------
    def call_function(self, qual, node):
        last = qual.rsplit(".", 1)[-1]
        if last == "train_test_split":
            return self.do_train_test_split(node)
        if last in _CV_FUNCTIONS:
            return self.do_cv(node, last)
        if last in _PIPELINES:
            return self.make_pipeline(node, last)
        if last in ("make_column_transformer", "make_union"):
            self._eval_args(node)
            return Est(self._fresh(), last, "pre")
        if last in _SEARCHES:
            inner = self.eval(self._arg(node, 0, "estimator")) if self._arg(node, 0, "estimator") is not None else Unknown()
            for keyword in node.keywords:
                if keyword.arg != "estimator":
                    self.eval(keyword.value)
            return Est(self._fresh(), last, "search", [inner] if isinstance(inner, Est) else [])
        if last in _SPLITTERS:
            self._eval_args(node)
            return Splitter(last)
        if last == "clone":
            original = self.eval(self._arg(node, 0, "estimator"))
            if isinstance(original, Est):
                copy = Est(self._fresh(), original.cls, original.role, list(original.steps))
                copy.varies_in = set(self.loop_stack) if self.loop_stack else set()
                return copy
            return Unknown()
        if last == "split_features":
            data = self.as_data(self._arg(node, 0))
            return Seq([Data(data.rows, data.events, data.deduped, data.discarded_dedup, "X"),
                        Data(data.rows, data.events, data.deduped, data.discarded_dedup, "y")], "tuple")
        if last in ("concat", "vstack", "concatenate", "row_stack", "append", "hstack", "column_stack", "dstack"):
            return self.do_concat(node, last)
        if last == "resample" and ("utils" in qual or qual == "resample"):
            return self.do_resample(node)
        if last == "shuffle":
            values = [self.as_data(a) if not isinstance(self.eval(a), (Est,)) else Unknown() for a in node.args]
            return Seq(values, "tuple") if len(values) > 1 else (values[0] if values else Unknown())
        if last in ("repeat", "tile") and qual.split(".")[0] in ("np", "numpy"):
            data = self.as_data(self._arg(node, 0))
            event = Event("overlap", data.rows, self._loc(node), _short(node))
            return Data(data.rows, data.events | {event}, False, data.discarded_dedup, data.text)
        if last in _SCALING_FUNCTIONS:
            data = self.as_data(self._arg(node, 0))
            event = Event("preprocessing", data.rows, self._loc(node), _short(node))
            return Data(data.rows, data.events | {event}, data.deduped, data.discarded_dedup, data.text)
        if last in _STAT_FUNCTIONS and qual.split(".")[0] in ("np", "numpy", "statistics", "scipy", "stats"):
            data = self.as_data(self._arg(node, 0))
            axis = self._kw(node, "axis")
            if isinstance(axis, ast.Constant) and axis.value in (1, -1, "columns"):
                return data
            return Stat(data.events | {Event("preprocessing", data.rows, self._loc(node), _short(node))})
        if last in ("next", "iter", "list", "tuple", "sorted", "reversed", "dict", "set", "enumerate", "zip",
                    "max", "min", "filter", "frozenset"):
            return self.do_builtin(last, node)
        if last in ("len", "print", "display", "range", "isinstance", "type", "str", "int", "float", "round",
                    "repr", "bool", "hasattr", "getattr", "setattr", "id", "abs", "sum", "any", "all",
                    "Markdown", "HTML"):
            self._eval_args(node)
            return Unknown()
        if last in _DATA_CONSTRUCTORS or last in ("to_numpy", "ravel", "squeeze", "copy", "deepcopy"):
            values = self._eval_args(node)
            data = [v for v in values if isinstance(v, (Data, Seq, Stat))]
            if data:
                merged = _merge([self.as_data(None, v) if isinstance(v, Seq) else v for v in data])
                if isinstance(merged, Data):
                    return merged
                if isinstance(merged, Stat):
                    return Stat(merged.events)
            if last in ("copy", "deepcopy") and values and isinstance(values[0], Est):
                return values[0]
            return self._source(_short(node))
        if _LOADERS.match(last):
            self._eval_args(node)
            source = self._source(_short(node))
            if last.startswith("make_") or self._kw_true(node, "return_X_y"):
                return Seq([source, Data(source.rows, frozenset(), False, None, "y")], "tuple")
            return source
        if last[:1].isupper() and last not in ("True", "False", "None"):
            self._eval_args(node)
            role = classify(last)
            if role == "splitter":
                return Splitter(last)
            est = Est(self._fresh(), last, role)
            est.varies_in = set(self.loop_stack)  # an estimator built inside a loop differs per iteration
            return est
        values = self._eval_args(node)
        data = [v for v in values if isinstance(v, (Data, Stat))]
        if data:
            return _merge(data)
        return Unknown()

    def do_builtin(self, name, node):
        values = self._eval_args(node)
        if not values:
            return Unknown()
        first = values[0]
        if name in ("next",):
            return _element(first)
        if name in ("iter", "list", "tuple", "sorted", "reversed", "set", "frozenset", "filter", "dict"):
            if name == "filter" and len(values) > 1:
                first = values[1]
            if isinstance(first, Iter):
                return Seq([first.element])
            return first
        if name == "enumerate":
            return Iter(Seq([Unknown(), _element(first)], "tuple"))
        if name == "zip":
            return Iter(Seq([_element(v) for v in values], "tuple"))
        if name in ("max", "min"):
            if len(values) == 1 or self._kw(node, "key") is not None:
                element = _element(first)
                if isinstance(element, _Collection):
                    return Est(self._fresh(), "|".join(m.cls for m in element.members), element.members[0].role)
                return element
            return _merge(values)
        return Unknown()

    def make_pipeline(self, node, name):
        steps = []
        if name == "Pipeline":
            value = self.eval(self._arg(node, 0, "steps"))
            if isinstance(value, Seq):
                for item in value.items:
                    if isinstance(item, Seq) and item.items:
                        steps.append(item.items[-1])
                    else:
                        steps.append(item)
        else:
            steps = [self.eval(a) for a in node.args]
        for keyword in node.keywords:
            if keyword.arg != "steps":
                self.eval(keyword.value)
        ests = [s for s in steps if isinstance(s, Est)]
        last = ests[-1] if ests else None
        if last is None:
            role = "model"
        elif last.role in ("model", "search"):
            role = "model"
        elif last.role in ("sampler", "undersampler"):
            role = last.role
        elif all(s.role in ("stateless", "label") for s in ests):
            role = "stateless"
        else:
            role = "pre"
        est = Est(self._fresh(), name, role, ests)
        est.varies_in = set(self.loop_stack)
        return est

    def do_train_test_split(self, node):
        arrays = [a for a in node.args if not isinstance(a, ast.Starred)]
        starred = [a for a in node.args if isinstance(a, ast.Starred)]
        for keyword in node.keywords:
            self.eval(keyword.value)
        values = [self.as_data(a) for a in arrays]
        for star in starred:
            value = self.eval(star.value)
            if isinstance(value, Seq):
                values.extend(self.as_data(None, v) if not isinstance(v, Data) else v for v in value.items)
        sid = f"t{self._fresh()}"
        self.splits[sid] = _Split(self._loc(node), _short(node), False, tuple(self.loop_stack))
        outputs = []
        for value in values:
            self._note_split(value, self._loc(node), sid)
            outputs.append(self._part(value, sid, "train"))
            test = self._part(value, sid, "test")
            outputs.append(test)
        return Seq(outputs, "tuple")

    def do_cv(self, node, name):
        estimator = self.eval(self._arg(node, 0, "estimator"))
        X_node = self._arg(node, 1, "X")
        y_node = self._arg(node, 2, "y")
        X = self.as_data(X_node) if X_node is not None else self._source()
        y = self.as_data(y_node) if y_node is not None else None
        for keyword in node.keywords:
            if keyword.arg not in ("estimator", "X", "y"):
                self.eval(keyword.value)
        self._check_cv(X, y, self._loc(node), _short(node))
        if isinstance(estimator, Est) and estimator.role in ("pre", "model", "search", "sampler"):
            self.fits.append(X.rows)
        if name == "cross_val_predict":
            return Data(X.rows, X.events, X.deduped, X.discarded_dedup, X.text)
        return Stat(frozenset())

    def do_concat(self, node, name):
        first = node.args[0] if node.args else self._kw(node, "objs")
        parts = []
        if first is not None:
            value = self.eval(first)
            if isinstance(value, Seq):
                for item, item_node in zip(value.items, getattr(first, "elts", [None] * len(value.items))):
                    parts.append(self.as_data(item_node, item) if item_node is not None else
                                 (item if isinstance(item, Data) else self.as_data(None, item)))
            elif isinstance(value, Iter):
                parts.append(self.as_data(None, value.element))
            else:
                parts.append(self.as_data(first, value))
            if name == "append" and len(node.args) > 1:
                parts.append(self.as_data(node.args[1]))
        for keyword in node.keywords:
            if keyword.arg != "objs":
                self.eval(keyword.value)
        if not parts:
            return Unknown()
        axis = self._kw(node, "axis")
        columns = name in ("hstack", "column_stack", "dstack") or (
            isinstance(axis, ast.Constant) and axis.value in (1, "columns"))
        merged = _merge(parts)
        if not columns:
            seen = []
            for part in parts:
                if any(_overlap(part.rows, other) for other in seen):
                    event = Event("overlap", merged.rows, self._loc(node), _short(node))
                    merged.events = merged.events | {event}
                    merged.deduped = False
                    break
                seen.append(part.rows)
        return merged

    def do_resample(self, node):
        arrays = [self.as_data(a) for a in node.args if not isinstance(a, ast.Starred)]
        replace = self._kw(node, "replace")
        with_replacement = not (isinstance(replace, ast.Constant) and replace.value is False)
        for keyword in node.keywords:
            self.eval(keyword.value)
        outputs = []
        for data in arrays:
            events = data.events
            if with_replacement:
                events = events | {Event("overlap", data.rows, self._loc(node), _short(node))}
            outputs.append(Data(data.rows, events, False, data.discarded_dedup, data.text))
        if len(outputs) == 1:
            return outputs[0]
        return Seq(outputs, "tuple")

    # -- methods on data ------------------------------------------------------
    def data_method(self, receiver, name, node, receiver_node):
        data = receiver.data if isinstance(receiver, GroupBy) else receiver
        args = [self.eval(a) for a in node.args]
        kwargs = {k.arg: self.eval(k.value) for k in node.keywords}
        loc = self._loc(node)
        arg_events = frozenset().union(*(v.events for v in list(args) + list(kwargs.values()) if isinstance(v, (Data, Stat))))
        if isinstance(receiver, Stat):
            return Stat(receiver.events | arg_events)
        axis = self._kw(node, "axis")
        rowwise = isinstance(axis, ast.Constant) and axis.value in (1, "columns")
        if name == "groupby":
            return GroupBy(data)
        if isinstance(receiver, GroupBy):
            event = Event("preprocessing", data.rows, loc, _short(node))
            if name in ("transform", "apply", "cumsum", "cumcount", "rank", "fillna", "shift", "diff", "rolling",
                        "expanding", "ffill", "bfill", "head", "tail", "nth", "size", "filter", "pct_change"):
                if name in ("cumsum", "cumcount", "shift", "diff", "rolling", "expanding", "ffill", "bfill",
                            "pct_change", "head", "tail", "nth", "filter", "size"):
                    return Data(data.rows, data.events | arg_events, data.deduped, data.discarded_dedup, data.text)
                return Data(data.rows, data.events | arg_events | {event}, data.deduped, data.discarded_dedup, data.text)
            return Stat(data.events | arg_events | {event})
        if name in _STAT_METHODS and not rowwise:
            event = Event("preprocessing", data.rows, loc, _short(node))
            return Stat(data.events | arg_events | {event})
        if name == "drop_duplicates":
            if self._kw_true(node, "inplace") and isinstance(receiver_node, ast.Name):
                self._check_late_dedup(data, loc)
                self.env[receiver_node.id] = Data(data.rows, data.events, True, None, data.text)
                return Unknown()
            self._check_late_dedup(data, loc)
            return Data(data.rows, data.events, True, None, data.text)
        if name == "sample":
            replace = self._kw(node, "replace")
            frac = self._kw(node, "frac")
            copies = (isinstance(replace, ast.Constant) and replace.value is True) or (
                isinstance(frac, ast.Constant) and isinstance(frac.value, (int, float)) and frac.value > 1)
            if copies:
                event = Event("overlap", data.rows, loc, _short(node))
                return Data(data.rows, data.events | {event}, False, data.discarded_dedup, data.text)
            full = isinstance(frac, ast.Constant) and frac.value == 1
            return data if full else self._filtered(data, f"sample:{_short(node, 80)}")
        if name == "append" and args:
            return self._append(data, args, node)
        if name in ("query", "head", "tail"):
            return self._filtered(data, f"{name}:{_short(node, 80)}")
        if name == "apply" and node.args:
            function = node.args[0]
            fname = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
            if fname in _SCALING_FUNCTIONS and not rowwise:
                event = Event("preprocessing", data.rows, loc, _short(node))
                return Data(data.rows, data.events | {event}, data.deduped, data.discarded_dedup, data.text)
        result = Data(data.rows, data.events | arg_events, data.deduped, data.discarded_dedup, data.text)
        if self._kw_true(node, "inplace") or name in ("update", "insert"):
            root = _root_name(receiver_node)
            if root is not None and isinstance(self.env.get(root), Data):
                # in place on the frame or on one of its columns: the frame now holds the result
                frame = self.env[root]
                self.env[root] = Data(frame.rows, frame.events | result.events, frame.deduped,
                                      frame.discarded_dedup, frame.text)
                return Unknown()
        if name in ("to_csv", "to_parquet", "info", "plot", "hist", "to_string", "to_markdown", "tolist", "item"):
            return Unknown()
        return result

    def _append(self, data, args, node):
        others = [a for a in args if isinstance(a, Data)]
        merged = _merge([data] + others)
        for other in others:
            if _overlap(data.rows, other.rows):
                merged.events = merged.events | {Event("overlap", merged.rows, self._loc(node), _short(node))}
                merged.deduped = False
                break
        return merged

    def _check_late_dedup(self, data, loc):
        if data.deduped:
            return
        for atom in data.rows:
            if len(atom) >= 3 and atom[-1] in ("train", "test", "head", "tail"):
                split = self.splits.get(atom[-2])
                if split is None or split.fold or ("late", atom[-2]) in self.reported:
                    continue
                self.reported.add(("late", atom[-2]))
                self._emit(
                    "overlap-leak",
                    loc,
                    f"`drop_duplicates()` runs after the split at {self._where(split.loc)}: it removes copies within"
                    " one side only, copies across train and test stay; de-duplicate before splitting",
                    split.loc,
                )
                return

    # -- methods on estimators -----------------------------------------------
    def est_method(self, est, name, node, receiver_node):
        loc = self._loc(node)
        text = _short(node)
        if name in ("fit", "partial_fit", "fit_transform", "fit_predict", "fit_resample"):
            X_node = self._arg(node, 0, "X")
            y_node = self._arg(node, 1, "y")
            X = self.as_data(X_node) if X_node is not None else self._source()
            y = self.as_data(y_node) if y_node is not None else None
            for keyword in node.keywords:
                if keyword.arg not in ("X", "y"):
                    self.eval(keyword.value)
            for extra in node.args[2:]:
                self.eval(extra)
            if name == "fit_resample":
                return self.do_fit_resample(est, X, y, loc, text)
            role = est.role
            if role == "model" and name == "fit_transform":
                role = "pre"
            self.fit(est, X, y, loc, text, role)
            if name == "fit_transform":
                return self._transformed(est, X)
            if name == "fit_predict":
                return Data(X.rows, X.events | est.info, X.deduped, X.discarded_dedup, X.text)
            return est
        if name in ("transform", "inverse_transform"):
            Z_node = self._arg(node, 0, "X")
            Z = self.as_data(Z_node) if Z_node is not None else self._source()
            self._eval_rest(node, 1)
            return self._transformed(est, Z)
        if name in _PREDICT:
            Z_node = self._arg(node, 0, "X")
            Z = self.as_data(Z_node) if Z_node is not None else self._source()
            self._eval_rest(node, 1)
            return self.evaluate(est, Z, loc, text, _short(Z_node) if Z_node is not None else "?")
        if name == "set_params":
            self._eval_args(node)
            est.varies_in |= set(self.loop_stack)
            return est
        if name in ("get_support", "get_feature_names_out", "get_feature_names", "inverse_transform"):
            self._eval_args(node)
            events = set(est.info)
            if est.fit_event is not None:
                events.add(est.fit_event)
            return Stat(frozenset(events))
        if name == "split":
            self._eval_args(node)
            return self._splitter_iter(node)
        self._eval_args(node)
        return Unknown()

    def _eval_rest(self, node, start):
        for extra in node.args[start:]:
            self.eval(extra)
        for keyword in node.keywords:
            if keyword.arg != "X":
                self.eval(keyword.value)

    def _transformed(self, est, Z):
        return Data(Z.rows, Z.events | est.info, Z.deduped, Z.discarded_dedup, Z.text)

    def fit(self, est, X, y, loc, text, role):
        events = X.events | (y.events if isinstance(y, Data) else frozenset())
        fit_event = Event("preprocessing", X.rows, loc, text)
        est.fitted = True
        est.fit_serial += 1
        est.fit_loc = loc
        est.fit_text = text
        est.fit_event = fit_event
        est.varies_in |= set(self.loop_stack)
        if role in ("pre", "sampler"):
            est.info = events | {fit_event}
        elif role in ("stateless", "label", "undersampler"):
            est.info = events
        else:
            est.info = events
            est.trained_rows = X.rows
            est.trained_events = events
            self.fits.append(X.rows)
            self._check_fit(est, X, y, loc, text)
            if role == "search" or est.cls.endswith("CV"):
                self._check_cv(X, y, loc, text)

    def do_fit_resample(self, est, X, y, loc, text):
        events = X.events | (y.events if isinstance(y, Data) else frozenset())
        extra = set()
        if est.role == "sampler" and est.steps and any(s.role == "pre" for s in est.steps):
            extra.add(Event("preprocessing", X.rows, loc, text))
        if est.role in ("sampler", "model", "pre") or "SMOTE" in est.cls or "Over" in est.cls:
            if est.role != "undersampler":
                extra.add(Event("overlap", X.rows, loc, text))
        events = events | frozenset(extra)
        X_out = Data(X.rows, events, False, X.discarded_dedup, X.text)
        if y is None:
            return X_out
        y_out = Data(y.rows, events, False, y.discarded_dedup, y.text)
        return Seq([X_out, y_out], "tuple")

    def evaluate(self, est, Z, loc, text, Z_text):
        if est.role in ("pre", "stateless", "label", "sampler", "undersampler"):
            return self._transformed(est, Z)
        held_out = not _overlap(Z.rows, est.trained_rows) if est.fitted else any(
            len(a) >= 3 and a[-1] in ("test", "tail") for a in Z.rows)
        if held_out:
            events = est.trained_events | Z.events
            for event in sorted(events, key=lambda e: (e.loc.cell, e.loc.line)):
                if _rows_covered(event.rows, Z.rows):
                    if event in est.trained_events and est.fit_loc is not None:
                        self._report_event(event, est.fit_loc, f"`{est.fit_text}` trains on")
                    else:
                        self._report_event(event, loc, f"`{text}` scores")
            self._check_discarded(Z, loc)
            varies = any(
                loop in est.varies_in and self.loop_kinds.get(loop) == "other" and loop not in self._atom_loops(Z.rows)
                for loop in self.loop_stack
            )
            self.evals.append(
                _Eval(_key(Z.rows), Z.rows, (est.uid, est.fit_serial), est.cls in _DUMMIES, loc, varies, Z_text)
            )
        out_events = Z.events | est.trained_events
        if est.fit_event is not None:
            out_events = out_events | {est.fit_event}
        return Data(Z.rows, out_events, Z.deduped, Z.discarded_dedup, Z.text)

    # -- the end of the file --------------------------------------------------
    def finish(self):
        for event, (loc, split) in sorted(self.pending.items(), key=lambda kv: (kv[1][0].cell, kv[1][0].line)):
            if event not in self.reported:
                self._report_event(event, loc, f"`{split.text}` splits")
        self._multi_findings([e for e in self.evals if e.loc.cell not in self.demo_cells], expected=False)
        unexpected = {(f.kind, f.cell, f.line) for f in self.findings if f.kind == "multi-test" and not f.expected}
        self.findings = [
            f for f in self.findings
            if not (f.kind == "multi-test" and f.expected and (f.kind, f.cell, f.line) in unexpected)
        ]
        self.findings.sort(key=lambda f: (f.cell, f.line, f.kind))
        return self.findings

    def snapshot_multi_test(self):
        """After a leaky-demo cell: is a test set already multi-used, with no hold-out scored yet?"""
        self._multi_findings(self.evals, expected=True)

    def _multi_findings(self, evals, expected):
        """Report test sets that score several models while no evaluated, untouched hold-out exists."""
        evals = [e for e in evals if not self._is_fold(e.rows)]
        by_key = {}
        for evaluation in evals:
            by_key.setdefault(evaluation.key, []).append(evaluation)
        for key, items in by_key.items():
            site = self._multi_site(items)
            if site is None or ("multi", key, expected) in self.reported:
                continue
            if self._holdout_scored(key, items[0].rows, by_key):
                continue
            self.reported.add(("multi", key, expected))
            count = len({i.version for i in items if not i.dummy})
            models = "models inside a loop" if site.varies else f"{count} models"
            message = (
                f"the same test set (`{site.text}`, first scored at {self._where(items[0].loc)}) scores {models}"
                " and no untouched hold-out is scored afterwards: the best of them is an optimistic estimate;"
                " compare on a validation split or by cross-validation and score only the chosen model on a"
                " test set used once"
            )
            self.findings.append(Finding(self.path, site.loc.cell, site.loc.line, "multi-test", message, expected))

    @staticmethod
    def _multi_site(items, threshold=MULTI_TEST_MODELS):
        """The evaluation that makes a test set multi-used (``threshold`` models, or a loop), or None."""
        versions = []
        for item in items:
            if item.varies:
                return item
            if item.dummy or item.version in versions:
                continue
            versions.append(item.version)
            if len(versions) >= threshold:
                return item
        return None

    def _holdout_scored(self, key, rows, by_key):
        """Is another held-out set, disjoint from ``rows`` and never trained on, scored by one model only?"""
        for other_key, items in by_key.items():
            if other_key == key or _overlap(items[0].rows, rows):
                continue
            if any(_overlap(items[0].rows, trained) for trained in self.fits):
                continue
            if self._multi_site(items, threshold=2) is None:
                return True  # scored by exactly one model: an untouched hold-out
        return False


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------


@dataclass
class FileResult:
    """What the lint found in one file (``error`` is set when it could not be read)."""

    path: str
    findings: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    error: str = None
    suppressed: int = 0


def _suppressed(finding, lines):
    """A ``# leakage-ok[: kind]`` comment on the reported line or the line above silences a finding."""
    for number in (finding.line, finding.line - 1):
        if 1 <= number <= len(lines):
            text = lines[number - 1]
            if number == finding.line - 1 and not text.lstrip().startswith("#"):
                continue
            match = SUPPRESS.search(text)
            if match:
                kinds = {k.strip() for k in (match.group(1) or "").replace(",", " ").split()}
                if not kinds or finding.kind in kinds:
                    return True
    return False


def lint_cells(cells, path="<string>"):
    """Analyse code cells in order and return a :class:`FileResult`."""
    demo = {c.index for c in cells if LEAKY_DEMO_TAG in c.tags}
    analyzer = Analyzer(path, demo)
    result = FileResult(str(path))
    flags = ast.PyCF_ONLY_AST | getattr(ast, "PyCF_ALLOW_TOP_LEVEL_AWAIT", 0)
    for cell in cells:
        code = strip_magics(cell.source)
        if code is None or not code.strip():
            continue
        try:
            tree = compile(code, str(path), "exec", flags=flags, dont_inherit=True)
        except SyntaxError as error:
            line = (error.lineno or 1) + cell.line_offset
            message = f"{path}:{cell.index}:{line}: note: cell not analysed, it is not valid Python ({error.msg})"
            if path.endswith(".py") if isinstance(path, str) else False:
                raise LintInputError(f"{path}:{line}: cannot parse: {error.msg}") from None
            result.notes.append(message)
            continue
        except ValueError as error:  # e.g. null bytes
            raise LintInputError(f"{path}: cannot parse cell {cell.index}: {error}") from None
        analyzer.run_cell(tree, cell.index)
        if cell.index in demo:
            analyzer.snapshot_multi_test()
    findings = analyzer.finish()
    sources = {cell.index: cell.source.split("\n") for cell in cells}
    result.findings = []
    for finding in findings:
        if _suppressed(finding, sources.get(finding.cell, [])):
            result.suppressed += 1
        else:
            result.findings.append(finding)
    result.notes += [f"{path}:{c}:{line}: note: internal: {m}" for c, line, m in analyzer.internal_errors]
    return result


def lint_source(source, path="<string>", tags=()):
    """Lint one piece of Python source (a script or a single cell).

    Parameters
    ----------
    source : str
    path : str
        Shown in the findings.
    tags : sequence of str
        Cell tags (``"leaky-demo"`` marks the findings as expected).

    Returns
    -------
    list of Finding
    """
    return lint_cells([Cell(1, source, tuple(tags))], str(path)).findings


def lint_file(path):
    """Lint one ``.ipynb`` or ``.py`` file.

    Returns
    -------
    FileResult
        With ``error`` set (and no findings) when the file cannot be read.
    """
    display = str(path)
    try:
        cells, skip_note = read_cells(path)
        if cells is None:
            return FileResult(display, notes=[skip_note])
        if Path(path).suffix == ".py":
            text = cells[0].source
            starts, tags_by_cell = _script_cells(text)
            if starts:
                # Give each "# %%" cell its tags by analysing cell by cell with file line numbers.
                lines = text.split("\n")
                bounds = ([1] if starts[0] != 1 else []) + starts
                cells = []
                offset = 0 if starts[0] == 1 else 1
                for i, start in enumerate(bounds):
                    end = bounds[i + 1] - 1 if i + 1 < len(bounds) else len(lines)
                    body = ["" for _ in range(start - 1)] + lines[start - 1:end]
                    number = i + 1
                    tags = tags_by_cell.get(number - offset, ())
                    cells.append(Cell(number, "\n".join(body), tags))
                # a .py is one program: a syntax error anywhere is fatal
                try:
                    ast.parse(text)
                except SyntaxError as error:
                    raise LintInputError(f"{display}:{error.lineno}: cannot parse: {error.msg}") from None
                result = lint_cells(cells, display)
                return result
            return lint_cells(cells, display)
        return lint_cells(cells, display)
    except LintInputError as error:
        return FileResult(display, error=str(error))
    except RecursionError:
        return FileResult(display, error=f"{display}: too deeply nested to analyse")
    except Exception as error:  # never a traceback for the user
        return FileResult(display, error=f"{display}: internal error while analysing ({type(error).__name__}: {error})")


def collect_files(paths):
    """Expand folders into the ``.ipynb`` and ``.py`` files they hold (sorted)."""
    files, errors = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = []
            for candidate in sorted(path.rglob("*")):
                if candidate.suffix not in (".ipynb", ".py") or not candidate.is_file():
                    continue
                parts = candidate.relative_to(path).parts
                if any(part in SKIPPED_DIRS or part.startswith(".") for part in parts[:-1]):
                    continue
                found.append(candidate)
            files.extend(found)
        elif path.exists() or path.suffix in (".ipynb", ".py"):
            files.append(path)
        else:
            errors.append(f"{path}: no such file or folder")
    return files, errors


def lint_paths(paths):
    """Lint files and folders.

    Returns
    -------
    list of FileResult
    """
    files, errors = collect_files(paths)
    results = [FileResult(e.split(":", 1)[0], error=e) for e in errors]
    results += [lint_file(f) for f in files]
    return results


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def add_arguments(parser):
    """Declare the lint's options on an ``argparse`` parser (shared with the course CLI)."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help=".ipynb or .py files, or folders holding them")
    parser.add_argument(
        "--strict", action="store_true", help="count findings in cells tagged leaky-demo too (exit 1 if any)"
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="text lines (default) or one JSON document"
    )
    return parser


def run(args, stdout=None, stderr=None):
    """Run the lint for parsed arguments and print the report.

    Returns
    -------
    int
        0 clean, 1 findings, 2 unreadable input.
    """
    try:
        return _run(args, stdout, stderr)
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 1


def _run(args, stdout=None, stderr=None):
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    results = lint_paths(args.paths)
    findings = [f for r in results for f in r.findings]
    errors = [r.error for r in results if r.error]
    notes = [n for r in results for n in r.notes]
    counted = [f for f in findings if args.strict or not f.expected]
    if args.format == "json":
        document = {
            "files": len([r for r in results if not r.error]),
            "findings": [f.as_dict() for f in findings],
            "errors": errors,
            "notes": notes,
            "summary": {
                "findings": len(findings),
                "expected": sum(f.expected for f in findings),
                "counted": len(counted),
                "by_kind": {kind: sum(f.kind == kind for f in counted) for kind in KINDS},
                "strict": bool(args.strict),
                "suppressed": sum(r.suppressed for r in results),
            },
        }
        print(json.dumps(document, indent=1), file=stdout)
    else:
        for finding in findings:
            print(finding.format(), file=stdout)
        for note in notes:
            print(note, file=stderr)
        for error in errors:
            print(f"error: {error}", file=stderr)
        checked = len([r for r in results if not r.error])
        expected = sum(f.expected for f in findings)
        summary = f"{len(counted)} finding{'s' if len(counted) != 1 else ''} in {checked} file{'s' if checked != 1 else ''}"
        if expected and not args.strict:
            summary += f" ({expected} more expected in leaky-demo cells)"
        suppressed = sum(r.suppressed for r in results)
        if suppressed:
            summary += f"; {suppressed} silenced by # leakage-ok"
        if errors:
            summary += f"; {len(errors)} file{'s' if len(errors) != 1 else ''} could not be read"
        print(summary, file=stderr)
    if errors:
        return 2
    return 1 if counted else 0


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser(prog="forge-lessons lint"):
    parser = _Parser(
        prog=prog,
        description="Find data leakage in notebooks and scripts: preprocessing fit on test rows, copies of rows on "
        "both sides of a split, one test set used to choose among models.",
    )
    return add_arguments(parser)


def main(argv=None):
    """Command-line entry point; returns the exit status (0 clean, 1 findings, 2 unreadable input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
