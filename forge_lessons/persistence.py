"""Saving and loading fitted models safely, with a model card.

Plumbing for lesson 07 (``07_logging_predictions_to_sql``). The lesson shows
``skops.io.dump``, ``skops.io.get_untrusted_types`` and ``skops.io.load`` in
the notebook; this module adds what a team would otherwise copy around:

- :func:`pickle_globals` lists the callables a pickle (or joblib) file will
  import and call, read from its opcodes without running it;
- :func:`save_model` writes a skops file and its model card next to it
  (``model.skops`` and ``model.card.json``);
- :func:`load_model` loads it trusting only the types you reviewed, refuses
  with :class:`UntrustedTypesError` (listing the others) otherwise, and checks
  the file against the hash its card recorded;
- :func:`make_card` builds the card: ``model_version``, training date,
  training-data hash, features and a feature hash, metrics, decision
  threshold, library versions;
- :func:`check_features` refuses to score a frame whose columns or types
  differ from the ones the model was trained on.
"""

import hashlib
import json
import pickletools
import platform
import zipfile
from importlib import metadata as importlib_metadata
from pathlib import Path

import numpy as np
import pandas as pd
import skops.io as sio
from skops.io.exceptions import UntrustedTypesFoundException

__all__ = [
    "CARD_SUFFIX",
    "FeatureMismatchError",
    "ModelFileError",
    "UntrustedTypesError",
    "card_path",
    "check_features",
    "data_hash",
    "feature_hash",
    "format_card",
    "library_versions",
    "load_model",
    "make_card",
    "pickle_globals",
    "read_card",
    "save_model",
    "validate_loaded_model",
]

CARD_SUFFIX = ".card.json"
LIBRARIES = ("scikit-learn", "numpy", "pandas", "scipy", "skops", "joblib")
_REQUIRED_CARD_KEYS = (
    "model_version",
    "training_date",
    "data_hash",
    "features",
    "feature_hash",
    "metrics",
    "library_versions",
)


class UntrustedTypesError(UntrustedTypesFoundException):
    """A model file holds types that are not in the reviewed list.

    Attributes
    ----------
    types : list of str
        The unreviewed types, fully qualified.
    """

    def __init__(self, message, types):
        TypeError.__init__(self, message)
        self.types = list(types)


class ModelFileError(ValueError):
    """A model file is missing, not a skops file, or does not match its card."""


class FeatureMismatchError(ValueError):
    """A frame's columns or types differ from the ones the model was trained on."""


# --------------------------------------------------------------------------- looking inside a pickle

_STRING_OPS = {"SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8", "UNICODE", "SHORT_BINSTRING", "BINSTRING", "STRING"}


def pickle_globals(source):
    """List the callables and classes a pickle stream imports, without unpickling it.

    Unpickling calls whatever these name (``GLOBAL`` and ``STACK_GLOBAL``
    opcodes followed by ``REDUCE``): that is how a model file can run code.
    Best effort: reads the opcodes only, never executes them.

    Parameters
    ----------
    source : path-like or bytes
        A pickle file (an uncompressed joblib file is a pickle too) or its bytes.

    Returns
    -------
    list of str
        ``"module.name"`` entries in the order they appear, without repeats.

    Raises
    ------
    ModelFileError
        The file does not exist or is not a pickle stream.
    """
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    else:
        path = Path(source)
        if not path.is_file():
            raise ModelFileError(f"no file at {path}")
        data = path.read_bytes()
    found, strings, memo = [], [], {}
    try:
        for opcode, argument, _position in pickletools.genops(data):
            name = opcode.name
            if name in _STRING_OPS:
                strings.append(argument)
            elif name == "GLOBAL":
                found.append(argument.replace(" ", "."))
            elif name == "STACK_GLOBAL" and len(strings) >= 2:
                module, attribute = strings[-2], strings[-1]
                found.append(f"{module}.{attribute}")
            elif name == "MEMOIZE" and strings:
                memo[len(memo)] = strings[-1]
            elif name in ("BINPUT", "LONG_BINPUT", "PUT") and strings:
                memo[int(argument)] = strings[-1]
            elif name in ("BINGET", "LONG_BINGET", "GET") and int(argument) in memo:
                strings.append(memo[int(argument)])
            if name == "STOP":
                break
    except Exception as error:  # pickletools raises ValueError and others on non-pickles
        if not found:
            raise ModelFileError(f"not a pickle stream ({type(error).__name__}: {error})") from None
    return list(dict.fromkeys(found))


# --------------------------------------------------------------------------- hashes and the card


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def data_hash(frame):
    """SHA-256 of a data frame's columns and values (as CSV text), to tie a model to its training data.

    Parameters
    ----------
    frame : pandas.DataFrame or pandas.Series
        Usually the training features with the target.

    Returns
    -------
    str
        64 hex digits.
    """
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a DataFrame, got {type(frame).__name__}")
    text = frame.to_csv(index=False, lineterminator="\n")
    return _sha256(text.encode("utf-8"))


def _feature_signature(X):
    if not isinstance(X, pd.DataFrame):
        raise TypeError(
            f"expected the training features as a DataFrame with named columns, got {type(X).__name__}"
        )
    return [[str(column), str(X[column].dtype)] for column in X.columns]


def feature_hash(X):
    """Short hash of the ordered feature names and their types.

    Two models with the same feature hash consume the same columns; logging
    it with every prediction ties a prediction to the feature set.

    Parameters
    ----------
    X : pandas.DataFrame

    Returns
    -------
    str
        16 hex digits.
    """
    signature = json.dumps(_feature_signature(X), separators=(",", ":"))
    return _sha256(signature.encode("utf-8"))[:16]


def library_versions():
    """Versions of Python and of the libraries a saved model depends on.

    Returns
    -------
    dict
    """
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _describe_model(model):
    steps = getattr(model, "steps", None)
    if steps:
        return "Pipeline(" + ", ".join(type(step).__name__ for _name, step in steps) + ")"
    return type(model).__name__


def make_card(model, X_train, y_train, *, model_version, training_date, metrics, decision_threshold=None):
    """Build a model card: what a prediction log needs to know about the model that made a row.

    Parameters
    ----------
    model : fitted estimator
    X_train : pandas.DataFrame
        The features the model was fitted on (exactly those columns).
    y_train : array-like
        The training target.
    model_version : str
        The version string logged with every prediction.
    training_date : str or date-like
        When the model was trained (stored as ``YYYY-MM-DD``).
    metrics : dict
        Name -> number, e.g. cross-validated ROC AUC.
    decision_threshold : float, optional
        The score at or above which the model flags a transaction.

    Returns
    -------
    dict
        JSON-ready.
    """
    if not isinstance(model_version, str) or not model_version.strip():
        raise ValueError(f"model_version must be a non-empty string, got {model_version!r}")
    if not hasattr(model, "predict"):
        raise TypeError(f"expected a fitted estimator, got {type(model).__name__}")
    signature = _feature_signature(X_train)
    y = pd.Series(np.asarray(y_train), name="target")
    if len(y) != len(X_train):
        raise ValueError(f"X_train has {len(X_train)} rows but y_train has {len(y)}")
    if not isinstance(metrics, dict) or not metrics:
        raise ValueError(f"metrics must be a non-empty dict of name -> number, got {metrics!r}")
    clean_metrics = {}
    for name, value in metrics.items():
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError(f"metric {name!r} must be a number, got {value!r}")
        if not np.isfinite(value):
            raise ValueError(f"metric {name!r} must be finite, got {value!r}")
        clean_metrics[str(name)] = round(float(value), 6)
    try:
        date = pd.Timestamp(training_date).strftime("%Y-%m-%d")
    except (ValueError, TypeError):
        raise ValueError(f"training_date must be a date like '2025-07-01', got {training_date!r}") from None
    card = {
        "model_version": model_version,
        "training_date": date,
        "estimator": _describe_model(model),
        "training_rows": int(len(X_train)),
        "training_positive_rate": round(float(y.mean()), 6),
        "data_hash": data_hash(pd.concat([X_train.reset_index(drop=True), y.reset_index(drop=True)], axis=1)),
        "features": [name for name, _dtype in signature],
        "feature_dtypes": {name: dtype for name, dtype in signature},
        "feature_hash": feature_hash(X_train),
        "metrics": clean_metrics,
        "decision_threshold": None if decision_threshold is None else round(float(decision_threshold), 6),
        "library_versions": library_versions(),
    }
    return card


def _short(value, digits):
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def format_card(card, digits=3):
    """The card as short, aligned ``field  value`` lines, for reading in a notebook.

    Numbers are rounded to ``digits``, the data hash is shortened, Python is
    shown as major.minor (the course pins 3.11; the card keeps the full
    version) and the file's own SHA-256 is left out (a skops file records
    when it was written, so that hash changes at every save). The card file
    keeps everything whole.

    Parameters
    ----------
    card : dict
        From :func:`make_card`, :func:`save_model` or :func:`read_card`.
    digits : int, default=3

    Returns
    -------
    str
    """
    missing = [key for key in _REQUIRED_CARD_KEYS if key not in (card or {})] if isinstance(card, dict) else None
    if missing is None or missing:
        raise ValueError(f"card must be a model card from make_card(); missing key(s) {missing}")
    versions = dict(card["library_versions"])
    if versions.get("python"):
        versions["python"] = ".".join(str(versions["python"]).split(".")[:2])
    fields = {
        "model_version": card["model_version"],
        "training_date": card["training_date"],
        "estimator": card.get("estimator"),
        "training_rows": card.get("training_rows"),
        "training_positive_rate": card.get("training_positive_rate"),
        "data_hash": f"{card['data_hash'][:16]}... (SHA-256 of the training rows)",
        "features": ", ".join(card["features"]),
        "feature_hash": card["feature_hash"],
        "metrics": ", ".join(f"{name} {_short(value, digits)}" for name, value in card["metrics"].items()),
        "decision_threshold": card.get("decision_threshold"),
        "library_versions": ", ".join(f"{name} {version}" for name, version in versions.items()),
        "model_file": card.get("model_file"),
        "untrusted_types": ", ".join(card["untrusted_types"]) if "untrusted_types" in card else None,
    }
    width = max(len(name) for name in fields)
    return "\n".join(
        f"{name:<{width}}  {_short(value, digits)}" for name, value in fields.items() if value is not None
    )

def card_path(model_path):
    """Where the card of a model file lives: ``model.skops`` -> ``model.card.json``."""
    path = Path(model_path)
    return path.with_name(path.stem + CARD_SUFFIX)


def save_model(model, path, card):
    """Save a fitted model with skops and its card beside it.

    Parameters
    ----------
    model : fitted estimator
    path : path-like
        Target file, conventionally ending in ``.skops``; the folder is created.
    card : dict
        From :func:`make_card`. The saved card adds ``model_file_sha256`` and
        ``untrusted_types`` (what a loader will have to review).

    Returns
    -------
    dict
        The card as written.
    """
    missing = [key for key in _REQUIRED_CARD_KEYS if key not in (card or {})]
    if not isinstance(card, dict) or missing:
        raise ValueError(f"card must come from make_card(); missing key(s) {missing}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(model, path)
    written = dict(card)
    written["model_file"] = path.name
    written["model_file_sha256"] = _sha256(path.read_bytes())
    written["untrusted_types"] = sorted(sio.get_untrusted_types(file=path))
    card_path(path).write_text(json.dumps(written, indent=1, sort_keys=False) + "\n")
    return written


def read_card(model_path):
    """Read the card saved next to a model file.

    Returns
    -------
    dict

    Raises
    ------
    ModelFileError
        No card, or not a card.
    """
    path = card_path(model_path)
    if not path.is_file():
        raise ModelFileError(f"no model card at {path}")
    try:
        card = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise ModelFileError(f"{path} is not valid JSON: {error}") from None
    missing = [key for key in _REQUIRED_CARD_KEYS if key not in card]
    if missing:
        raise ModelFileError(f"{path} is not a model card: missing {missing}")
    return card


def _type_name(entry):
    if isinstance(entry, str):
        return entry
    if isinstance(entry, type):
        return f"{entry.__module__}.{entry.__qualname__}"
    raise TypeError(f"trusted entries must be type names (str) or types, got {entry!r}")


def load_model(path, trusted=(), *, verify_card=True):
    """Load a skops model file, trusting only the types you reviewed.

    Parameters
    ----------
    path : path-like
        A file written by :func:`save_model` (or ``skops.io.dump``).
    trusted : iterable of str or type
        Types you have reviewed, as ``skops.io.get_untrusted_types`` names
        them (e.g. ``"numpy.dtype"``). Never pass that function's output
        unread: that trusts whatever the file holds.
    verify_card : bool, default=True
        When a card is next to the file, check the file against the SHA-256
        the card recorded.

    Returns
    -------
    The fitted model.

    Raises
    ------
    UntrustedTypesError
        The file holds types outside ``trusted``; they are listed.
    ModelFileError
        No such file, not a skops file, or the file does not match its card.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"no model file at {path}")
    if isinstance(trusted, (str, type)):
        trusted = [trusted]
    reviewed = {_type_name(entry) for entry in trusted}
    if not zipfile.is_zipfile(path):
        raise ModelFileError(
            f"{path.name} is not a skops file (skops files are zip archives);"
            " if it is a pickle or joblib file, loading it would run whatever code it names"
        )
    if verify_card and card_path(path).is_file():
        card = read_card(path)
        expected = card.get("model_file_sha256")
        if expected and expected != _sha256(path.read_bytes()):
            raise ModelFileError(
                f"{path.name} does not match its card {card_path(path).name}: the SHA-256 differs"
                " (the file was replaced or changed after it was saved)"
            )
    present = set(sio.get_untrusted_types(file=path))
    unreviewed = sorted(present - reviewed)
    if unreviewed:
        raise UntrustedTypesError(
            f"{path.name} holds {len(unreviewed)} type(s) that are not in your reviewed list: {unreviewed}."
            " Inspect them with skops.io.get_untrusted_types(file=...) and add a type to trusted=[...]"
            " only after checking it is harmless and the file comes from a source you trust",
            unreviewed,
        )
    return sio.load(path, trusted=sorted(present))


def check_features(card, X):
    """Refuse to score a frame whose columns or types differ from the model card's.

    Parameters
    ----------
    card : dict
        A model card.
    X : pandas.DataFrame
        The frame about to be scored; extra columns are ignored.

    Returns
    -------
    pandas.DataFrame
        ``X`` restricted to the card's features, in the card's order.

    Raises
    ------
    FeatureMismatchError
        A feature is missing or has another dtype; the message lists them.
    """
    if not isinstance(card, dict) or "features" not in card:
        raise ValueError("card must be a model card with a 'features' list")
    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"expected a DataFrame, got {type(X).__name__}")
    missing = [name for name in card["features"] if name not in X.columns]
    if missing:
        raise FeatureMismatchError(
            f"the frame lacks feature(s) {missing} that model {card.get('model_version')} was trained on"
        )
    expected = card.get("feature_dtypes", {})
    changed = {
        name: f"{expected[name]} -> {X[name].dtype}"
        for name in card["features"]
        if name in expected and str(X[name].dtype) != expected[name]
    }
    if changed:
        raise FeatureMismatchError(f"feature type(s) changed since training: {changed}")
    return X.loc[:, card["features"]]


# --------------------------------------------------------------------------- exercise validator


def validate_loaded_model(answer, reference, X):
    """Self-check: ``answer`` must be a model scoring ``X`` exactly like ``reference``.

    Returns
    -------
    None or str
    """
    if not hasattr(answer, "predict_proba"):
        return f"expected a fitted model with predict_proba, found {type(answer).__name__}"
    try:
        found = answer.predict_proba(X)[:, 1]
    except Exception as error:
        return f"the model could not score the production rows: {type(error).__name__}: {error}"
    expected = reference.predict_proba(X)[:, 1]
    if found.shape != expected.shape or not np.allclose(found, expected, rtol=0, atol=1e-12):
        return "the loaded model scores differently from model v2: is it the right file?"
    return None
