"""Golden sets: frozen inputs with the outputs an approved model gave them, and the check that guards them.

A golden set is a small, fixed table of model inputs stored together with the
probability and the decision that the approved model produced for each row.
Whenever something could have changed the model's behaviour -- a rebuilt
environment, a library upgrade, a refactored pipeline, a model file copied to
a server -- the model scores the golden inputs again and every output is
compared with the stored one, within a tolerance. The check fails, and says
which rows moved and by how much, when anything changed.

Lesson 08 (``08_reproducible_production``) builds one for the capstone model.
The functions here carry the plumbing:

- :func:`select_golden_rows` picks representative rows plus the edge cases
  (every category, missing values, extremes, both labels);
- :func:`build_golden_set` scores them with the approved model;
- :func:`save_golden_set` writes ``<name>.csv`` (inputs and expected outputs),
  ``<name>.json`` (metadata: column types, threshold, tolerance, versions) and
  their SHA-256 lines in the folder's ``SHA256SUMS``;
- :func:`load_golden_set` reads them back, refusing files that no longer match
  their checksums, with every column restored to its recorded type;
- :func:`check_golden_set` re-scores the inputs and returns a
  :class:`GoldenReport`: passed or not, and a readable diff of the rows that
  moved.

The committed golden set of the course lives in ``data/golden/`` (see
:data:`GOLDEN_DIR`).
"""

import hashlib
import json
import math
import numbers
from pathlib import Path

import numpy as np
import pandas as pd

from .course import DATA_DIR

__all__ = [
    "CHECKSUM_FILE",
    "GOLDEN_DIR",
    "GoldenReport",
    "GoldenSet",
    "GoldenSetError",
    "build_golden_set",
    "check_golden_set",
    "golden_paths",
    "load_golden_set",
    "save_golden_set",
    "select_golden_rows",
]

#: Where the course keeps its committed golden sets.
GOLDEN_DIR = DATA_DIR / "golden"
#: The checksum file of a golden-set folder (``sha256  file name`` lines).
CHECKSUM_FILE = "SHA256SUMS"
PROBABILITY = "expected_probability"
PREDICTION = "expected_prediction"
FORMAT_VERSION = 1
_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


class GoldenSetError(ValueError):
    """A golden set on disk is missing, malformed, or does not match its checksums."""


# --------------------------------------------------------------------------- small helpers


def _sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _check_frame(frame, name="X"):
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame with named columns, got {type(frame).__name__}")
    if frame.empty:
        raise ValueError(f"{name} is empty; a golden set needs at least one row")
    return frame


def _check_name(name):
    if not isinstance(name, str) or not name or not name.replace("_", "").replace("-", "").isalnum():
        raise ValueError(f"name must be a file stem of letters, digits, '-' and '_', got {name!r}")
    return name


def golden_paths(directory, name):
    """The two files of a golden set and the folder's checksum file.

    Parameters
    ----------
    directory : path-like
    name : str
        File stem, e.g. ``"capstone"``.

    Returns
    -------
    dict
        ``{"table": <name>.csv, "metadata": <name>.json, "checksums": SHA256SUMS}``.
    """
    directory = Path(directory)
    name = _check_name(name)
    return {
        "table": directory / f"{name}.csv",
        "metadata": directory / f"{name}.json",
        "checksums": directory / CHECKSUM_FILE,
    }


# --------------------------------------------------------------------------- choosing rows


def select_golden_rows(frame, n_rows=100, *, label=None, cover=(), extremes=None, random_state=0):
    """Pick the rows of a golden set: the edge cases first, then a random sample.

    Edge cases are, in this order: one row for every value of each column in
    ``cover``; for every column with missing values, one row where it is
    missing; for every column in ``extremes``, its smallest and its largest
    value; when ``label`` is given, positive rows up to a quarter of
    ``n_rows``.
    The rest is drawn at random (stratified by ``label`` when given).

    Parameters
    ----------
    frame : pandas.DataFrame
        Candidate rows (inputs, and the label column if ``label`` is given).
    n_rows : int, default=100
        Size of the golden set.
    label : str, optional
        Name of a 0/1 label column, so that both classes are represented.
    cover : sequence of str
        Categorical columns whose every value must appear at least once.
    extremes : sequence of str, optional
        Numeric columns whose smallest and largest values must appear;
        default: every numeric column except ``label``.
    random_state : int, default=0

    Returns
    -------
    pandas.DataFrame
        The selected rows, in their original order, with their original index.

    Raises
    ------
    ValueError
        ``n_rows`` is too small for the edge cases, or a column is missing.
    """
    frame = _check_frame(frame, "frame")
    if isinstance(n_rows, bool) or not isinstance(n_rows, numbers.Integral) or n_rows < 1:
        raise ValueError(f"n_rows must be a positive integer, got {n_rows!r}")
    if not frame.index.is_unique:
        raise ValueError("frame's index has repeated labels; call frame.reset_index(drop=True) first")
    if isinstance(cover, str):
        cover = [cover]
    if extremes is None:
        extremes = [c for c in frame.select_dtypes("number").columns if c != label]
    elif isinstance(extremes, str):
        extremes = [extremes]
    missing = [c for c in [*cover, *extremes, *([label] if label else [])] if c not in frame.columns]
    if missing:
        raise ValueError(f"column(s) {missing} are not in the frame; found {list(frame.columns)}")
    rng = np.random.default_rng(random_state)
    chosen = []

    def take(mask):
        candidates = frame.index[np.asarray(mask, dtype=bool)]
        fresh = [i for i in candidates if i not in chosen]
        if fresh:
            chosen.append(fresh[int(rng.integers(len(fresh)))])

    for column in cover:
        for value in sorted(frame[column].dropna().unique(), key=str):
            if not (frame.loc[chosen, column] == value).any():
                take(frame[column] == value)
    for column in frame.columns:
        if column != label and frame[column].isna().any() and not frame.loc[chosen, column].isna().any():
            take(frame[column].isna())
    for column in extremes:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            raise ValueError(f"extremes must name numeric columns; {column!r} has dtype {frame[column].dtype}")
        if frame[column].isna().all():
            continue
        values = frame[column]
        for extreme in (values.idxmin(), values.idxmax()):
            if extreme not in chosen:
                chosen.append(extreme)
    if label is not None:
        positives = frame.index[frame[label] == 1]
        wanted = min(len(positives), max(1, n_rows // 4))
        have = int((frame.loc[chosen, label] == 1).sum())
        extra = [i for i in positives if i not in chosen]
        if wanted > have and extra:
            picked = rng.choice(len(extra), size=min(wanted - have, len(extra)), replace=False)
            chosen.extend(extra[int(i)] for i in sorted(picked))
    if len(chosen) > n_rows:
        raise ValueError(
            f"n_rows={n_rows} is too small: the edge cases alone need {len(chosen)} rows"
            f" (every value of {list(cover)}, missing values, extremes{', positives' if label else ''})"
        )
    rest = frame.index.difference(pd.Index(chosen))
    needed = min(n_rows - len(chosen), len(rest))
    if needed > 0:
        if label is not None:
            # keep the label's share among the random rows
            parts = []
            for value, group in frame.loc[rest].groupby(label):
                share = len(group) / len(rest)
                parts.append((group.index, int(round(share * needed))))
            drawn = []
            for index, count in parts:
                count = min(count, len(index))
                drawn.extend(index[rng.choice(len(index), size=count, replace=False)])
            remaining = rest.difference(pd.Index(drawn))
            shortfall = needed - len(drawn)
            if shortfall > 0:
                drawn.extend(remaining[rng.choice(len(remaining), size=shortfall, replace=False)])
            chosen.extend(drawn[:needed])
        else:
            chosen.extend(rest[rng.choice(len(rest), size=needed, replace=False)])
    positions = np.sort(frame.index.get_indexer(pd.Index(chosen)))
    return frame.iloc[positions]


# --------------------------------------------------------------------------- the golden set


class GoldenSet:
    """Inputs, the outputs the approved model gave them, and metadata.

    Attributes
    ----------
    frame : pandas.DataFrame
        The id column (if any), the input features, ``expected_probability``
        and ``expected_prediction``.
    metadata : dict
        ``features``, ``dtypes``, ``id_column``, ``threshold``, ``tolerance``,
        ``model_version``, ``library_versions`` and anything given to
        :func:`build_golden_set` as ``extra``.
    """

    def __init__(self, frame, metadata):
        self.frame = frame
        self.metadata = metadata

    @property
    def features(self):
        """The input columns, in the order the model was given them."""
        return list(self.metadata["features"])

    @property
    def inputs(self):
        """The input features as a DataFrame (what the model scores)."""
        return self.frame.loc[:, self.features]

    @property
    def ids(self):
        """Row identifiers: the id column if there is one, else 0, 1, 2, ..."""
        column = self.metadata.get("id_column")
        if column:
            return self.frame[column].to_numpy()
        return np.arange(len(self.frame))

    def __len__(self):
        return len(self.frame)

    def __repr__(self):
        return (
            f"GoldenSet({len(self)} rows, {len(self.features)} features,"
            f" model_version={self.metadata.get('model_version')!r})"
        )


def _library_versions():
    from importlib import metadata
    import platform

    versions = {"python": platform.python_version()}
    for name in ("scikit-learn", "numpy", "pandas", "scipy"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:  # pragma: no cover - all are installed in the course
            versions[name] = None
    return versions


def _model_threshold(model):
    for attribute in ("best_threshold_", "threshold"):
        value = getattr(model, attribute, None)
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            return float(value)
    return 0.5


def _features_of(model, X):
    names = getattr(model, "feature_names_in_", None)
    if names is None:
        return list(X.columns)
    names = [str(n) for n in names]
    absent = [n for n in names if n not in X.columns]
    if absent:
        raise ValueError(f"X lacks column(s) {absent} that the model was fitted on")
    return names


def _positive_scores(model, X):
    if not hasattr(model, "predict_proba"):
        raise TypeError(f"the model must have predict_proba, found {type(model).__name__}")
    proba = np.asarray(model.predict_proba(X), dtype=float)
    if proba.ndim != 2 or proba.shape[1] != 2:
        raise ValueError(f"expected a binary classifier (predict_proba of shape (n, 2)), got shape {proba.shape}")
    return proba[:, 1]


def build_golden_set(model, X, *, model_version, id_column=None, tolerance=1e-6, extra=None):
    """Score the golden inputs with the approved model and keep what it said.

    Parameters
    ----------
    model : fitted binary classifier
        With ``predict_proba`` and ``predict``. Its decision threshold is read
        from ``best_threshold_`` (``TunedThresholdClassifierCV``), ``threshold``
        (``FixedThresholdClassifier``) or taken as 0.5.
    X : pandas.DataFrame
        The golden inputs, e.g. from :func:`select_golden_rows`. Columns the
        model was not fitted on are dropped, except ``id_column``.
    model_version : str
        The version the expected outputs belong to.
    id_column : str, optional
        A column that names each row (kept, never given to the model).
    tolerance : float, default=1e-6
        Largest absolute change in a probability that :func:`check_golden_set`
        accepts by default.
    extra : dict, optional
        More metadata to store (JSON-compatible), e.g. the profile and seed.

    Returns
    -------
    GoldenSet
    """
    X = _check_frame(X)
    if not all(isinstance(column, str) for column in X.columns):
        raise ValueError(f"X needs string column names (they are stored in the golden set), found {list(X.columns)}")
    if not isinstance(model_version, str) or not model_version.strip():
        raise ValueError(f"model_version must be a non-empty string, got {model_version!r}")
    if not isinstance(tolerance, numbers.Real) or isinstance(tolerance, bool) or not tolerance >= 0:
        raise ValueError(f"tolerance must be a number >= 0, got {tolerance!r}")
    if id_column is not None and id_column not in X.columns:
        raise ValueError(f"id_column {id_column!r} is not a column of X; found {list(X.columns)}")
    features = _features_of(model, X.drop(columns=[id_column]) if id_column else X)
    inputs = X.loc[:, features]
    probability = _positive_scores(model, inputs)
    prediction = np.asarray(model.predict(inputs)).astype(int)
    frame = inputs.copy()
    if id_column:
        frame.insert(0, id_column, X[id_column].to_numpy())
    frame[PROBABILITY] = probability
    frame[PREDICTION] = prediction
    frame = frame.reset_index(drop=True)
    metadata = {
        "format_version": FORMAT_VERSION,
        "model_version": model_version,
        "id_column": id_column,
        "features": features,
        "dtypes": {column: str(frame[column].dtype) for column in frame.columns},
        "threshold": _model_threshold(model),
        "tolerance": float(tolerance),
        "rows": int(len(frame)),
        "library_versions": _library_versions(),
    }
    if extra:
        overlap = sorted(set(extra) & set(metadata))
        if overlap:
            raise ValueError(f"extra must not redefine {overlap}")
        json.dumps(extra)  # raises TypeError early for values JSON cannot store
        metadata.update(extra)
    return GoldenSet(frame, metadata)


# --------------------------------------------------------------------------- files


def _read_checksums(path):
    entries = {}
    if path.exists():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if not line.strip():
                continue
            parts = line.split(maxsplit=1)
            if len(parts) != 2 or len(parts[0]) != 64:
                raise GoldenSetError(f"{path}:{number}: expected '<sha256>  <file name>', found {line!r}")
            entries[parts[1].strip()] = parts[0]
    return entries


def save_golden_set(golden, directory, name="capstone"):
    """Write a golden set: ``<name>.csv``, ``<name>.json`` and their lines in ``SHA256SUMS``.

    Floats are written with the shortest text that reads back to the same
    number, so a saved and re-loaded golden set holds exactly the numbers that
    were saved. Other entries of an existing ``SHA256SUMS`` are kept.

    Parameters
    ----------
    golden : GoldenSet
    directory : path-like
        Created if needed.
    name : str, default="capstone"

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    GoldenSetError
        An existing ``SHA256SUMS`` in ``directory`` is malformed (it is not
        overwritten).
    """
    if not isinstance(golden, GoldenSet):
        raise TypeError(f"expected a GoldenSet from build_golden_set(), got {type(golden).__name__}")
    paths = golden_paths(directory, name)
    paths["table"].parent.mkdir(parents=True, exist_ok=True)
    text = golden.frame.to_csv(index=False, lineterminator="\n", date_format=_DATETIME_FORMAT)
    paths["table"].write_text(text, encoding="utf-8")
    paths["metadata"].write_text(json.dumps(golden.metadata, indent=1) + "\n", encoding="utf-8")
    sums = _read_checksums(paths["checksums"])
    for key in ("table", "metadata"):
        sums[paths[key].name] = _sha256(paths[key])
    paths["checksums"].write_text("".join(f"{digest}  {file}\n" for file, digest in sorted(sums.items())))
    return [paths["table"], paths["metadata"], paths["checksums"]]


def _verify(paths):
    listing = paths["checksums"]
    if not listing.exists():
        raise GoldenSetError(f"{listing} is missing: a golden set must come with its checksums")
    sums = _read_checksums(listing)
    for key in ("table", "metadata"):
        path = paths[key]
        if not path.exists():
            raise GoldenSetError(f"{path} is missing")
        if path.name not in sums:
            raise GoldenSetError(f"{listing.name} has no line for {path.name}")
        found = _sha256(path)
        if found != sums[path.name]:
            raise GoldenSetError(
                f"{path.name} does not match {listing.name} (expected {sums[path.name][:12]}…, found"
                f" {found[:12]}…): the golden set was edited after it was saved. Rebuild it on purpose from"
                " the approved model instead of editing it by hand."
            )


def _restore(frame, dtypes, path):
    for column, dtype in dtypes.items():
        if column not in frame.columns:
            raise GoldenSetError(f"{path}: column {column!r} from the metadata is missing")
        values = frame[column]
        try:
            if dtype.startswith("datetime64"):
                frame[column] = pd.to_datetime(values, format="ISO8601").astype(dtype)
            elif dtype.startswith(("int", "uint")):
                numbers_ = pd.to_numeric(values)
                if (numbers_ % 1 != 0).any():
                    raise ValueError("found fractional values")
                frame[column] = numbers_.astype(dtype)
            elif dtype.startswith("float"):
                frame[column] = pd.to_numeric(values).astype(dtype)
            elif dtype == "bool":
                frame[column] = values.map({"True": True, "False": False}).astype(bool)
            else:
                frame[column] = values.astype(dtype)
        except (ValueError, TypeError) as error:
            raise GoldenSetError(f"{path}: column {column!r} cannot be read as {dtype}: {error}") from None
    return frame


def load_golden_set(directory, name="capstone", *, verify=True):
    """Read a golden set written by :func:`save_golden_set`.

    Parameters
    ----------
    directory : path-like
    name : str, default="capstone"
    verify : bool, default=True
        Refuse files whose SHA-256 differs from ``SHA256SUMS``.

    Returns
    -------
    GoldenSet

    Raises
    ------
    GoldenSetError
        A file is missing, does not match its checksum, or a column cannot be
        read back as its recorded type.
    """
    paths = golden_paths(directory, name)
    for key in ("table", "metadata"):
        if not paths[key].exists():
            raise GoldenSetError(f"no golden set {name!r} in {Path(directory)}: {paths[key].name} is missing")
    if verify:
        _verify(paths)
    try:
        metadata = json.loads(paths["metadata"].read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise GoldenSetError(f"{paths['metadata']} is not valid JSON: {error}") from None
    needed = ("features", "dtypes", "threshold", "tolerance", "model_version")
    absent = [key for key in needed if key not in metadata]
    if absent:
        raise GoldenSetError(f"{paths['metadata']} lacks {absent}")
    frame = pd.read_csv(paths["table"], dtype=str, keep_default_na=False, na_values=[""])
    expected_columns = list(metadata["dtypes"])
    if list(frame.columns) != expected_columns:
        raise GoldenSetError(
            f"{paths['table']}: columns {list(frame.columns)} differ from the metadata's {expected_columns}"
        )
    return GoldenSet(_restore(frame, metadata["dtypes"], paths["table"]), metadata)


# --------------------------------------------------------------------------- the check


class GoldenReport:
    """The outcome of :func:`check_golden_set`; true when the check passed.

    Attributes
    ----------
    passed : bool
    n_rows : int
    n_outside_tolerance : int
        Rows whose probability moved by more than the tolerance.
    n_flipped : int
        Rows whose decision changed (borderline rows excepted, see
        :func:`check_golden_set`).
    max_abs_difference : float
        Largest absolute change of a probability (NaN if scoring failed).
    tolerance : float
    diff : pandas.DataFrame
        The rows that failed, worst first: id, expected and found probability,
        difference, expected and found decision.
    error : str or None
        Why the model could not score the golden inputs at all.
    """

    def __init__(self, *, passed, n_rows, n_outside_tolerance, n_flipped, max_abs_difference, tolerance,
                 diff, error=None, show=10):
        self.passed = bool(passed)
        self.n_rows = int(n_rows)
        self.n_outside_tolerance = int(n_outside_tolerance)
        self.n_flipped = int(n_flipped)
        self.max_abs_difference = float(max_abs_difference)
        self.tolerance = float(tolerance)
        self.diff = diff
        self.error = error
        self.show = show

    def __bool__(self):
        return self.passed

    def summary(self):
        """One line: passed or failed, and how much moved."""
        if self.error:
            return f"❌ golden set check failed: the model could not score the {self.n_rows} golden rows ({self.error})"
        if self.passed:
            return (
                f"✅ golden set check passed: {self.n_rows} rows, largest change {self.max_abs_difference:.1e}"
                f" ≤ tolerance {self.tolerance:.0e}, no decision changed"
            )
        return (
            f"❌ golden set check failed: {self.n_outside_tolerance} of {self.n_rows} probabilities moved by more"
            f" than {self.tolerance:.0e} (largest change {self.max_abs_difference:.4f});"
            f" {self.n_flipped} decision(s) changed"
        )

    def __str__(self):
        if self.passed or self.error or self.diff.empty:
            return self.summary()
        shown = self.diff.head(self.show)
        lines = [self.summary(), f"   worst {len(shown)} of {len(self.diff)} differing rows:"]
        id_name = shown.columns[0]
        header = f"   {id_name:>16}  {'expected':>9}  {'found':>9}  {'change':>9}  decision"
        lines.append(header)
        for row in shown.itertuples(index=False):
            decision = f"{row[4]} → {row[5]}" if row[4] != row[5] else f"{row[4]}"
            lines.append(f"   {str(row[0]):>16}  {row[1]:9.4f}  {row[2]:9.4f}  {row[3]:+9.4f}  {decision}")
        return "\n".join(lines)

    def __repr__(self):
        return f"GoldenReport(passed={self.passed}, outside_tolerance={self.n_outside_tolerance}, flipped={self.n_flipped})"


def check_golden_set(model, golden, *, tolerance=None, rtol=0.0, show=10):
    """Score the golden inputs again and compare with the stored outputs.

    A row passes when ``|found - expected| <= tolerance + rtol * |expected|``
    for its probability and its decision is unchanged. A decision may change
    without failing the check only on a *borderline* row, whose expected
    probability is within the tolerance of the decision threshold (there, a
    change inside the tolerance can legitimately cross the threshold).

    Parameters
    ----------
    model : fitted binary classifier
        With ``predict_proba`` and ``predict``.
    golden : GoldenSet
        From :func:`build_golden_set` or :func:`load_golden_set`.
    tolerance : float, optional
        Absolute tolerance; defaults to the one stored with the golden set.
    rtol : float, default=0.0
        Relative tolerance, added to the absolute one.
    show : int, default=10
        How many differing rows ``str(report)`` prints.

    Returns
    -------
    GoldenReport
        Never raises because the model misbehaves: a model that cannot score
        the golden inputs gives a failed report whose ``error`` says why.
    """
    if not isinstance(golden, GoldenSet):
        raise TypeError(f"expected a GoldenSet, got {type(golden).__name__}")
    tolerance = golden.metadata["tolerance"] if tolerance is None else tolerance
    for label, value in (("tolerance", tolerance), ("rtol", rtol)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0 or math.isinf(value):
            raise ValueError(f"{label} must be a finite number >= 0, got {value!r}")
    expected = golden.frame[PROBABILITY].to_numpy(dtype=float)
    expected_decision = golden.frame[PREDICTION].to_numpy(dtype=int)
    ids = golden.ids
    id_name = golden.metadata.get("id_column") or "row"
    empty = pd.DataFrame(columns=[id_name, "expected", "found", "change", "expected_decision", "found_decision"])
    try:
        found = _positive_scores(model, golden.inputs)
        decision = np.asarray(model.predict(golden.inputs)).astype(int)
        if found.shape != expected.shape or decision.shape != expected.shape:
            raise ValueError(f"the model returned {found.shape[0]} scores for {expected.shape[0]} rows")
    except Exception as error:  # whatever the model raises, the report says it
        message = f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"
        return GoldenReport(passed=False, n_rows=len(golden), n_outside_tolerance=len(golden),
                            n_flipped=0, max_abs_difference=float("nan"), tolerance=tolerance,
                            diff=empty, error=message, show=show)
    change = found - expected
    allowed = tolerance + rtol * np.abs(expected)
    outside = ~(np.abs(change) <= allowed)  # NaN counts as outside
    borderline = np.abs(expected - float(golden.metadata["threshold"])) <= allowed
    flipped = (decision != expected_decision) & ~borderline
    failing = outside | flipped
    diff = pd.DataFrame(
        {
            id_name: ids[failing],
            "expected": expected[failing],
            "found": found[failing],
            "change": change[failing],
            "expected_decision": expected_decision[failing],
            "found_decision": decision[failing],
        }
    )
    order = np.argsort(-np.abs(diff["change"].to_numpy()), kind="stable")
    diff = diff.iloc[order].reset_index(drop=True)
    finite = np.abs(change[np.isfinite(change)])
    return GoldenReport(
        passed=not failing.any(),
        n_rows=len(golden),
        n_outside_tolerance=int(outside.sum()),
        n_flipped=int(flipped.sum()),
        max_abs_difference=float(finite.max()) if finite.size else float("nan"),
        tolerance=tolerance,
        diff=diff,
        show=show,
    )
