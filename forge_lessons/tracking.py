"""A versioned prediction log in SQL: schema, batch logging, a portable upsert, back-tests.

Plumbing for lesson 07 (``07_logging_predictions_to_sql``). Written with
SQLAlchemy Core, so the same code runs on SQLite (the default: a file, no
server) and on PostgreSQL (give a URL such as
``postgresql+psycopg://user@127.0.0.1:5432/dbname``; libpq reads the
password from ``PGPASSWORD`` or ``~/.pgpass`` when the URL has none).

The objects it creates:

``predictions``
    The append-only log: one row per prediction, never updated. Its natural
    key is ``(entity_id, model_version, created_at)``.
``latest_predictions``
    One row per entity holding the newest live decision, maintained by an
    upsert (:data:`UPSERT_LATEST_SQL`).
``latest_prediction_view``
    The same "newest prediction per entity", computed from the log by a view.
``outcomes``
    Ground truth, one row per entity, arriving later than the predictions.

Guarantees, each covered by a test:

- every statement is parameterized (values never become SQL text), so an
  entity id like ``1'); DROP TABLE predictions;--`` is stored verbatim;
- a batch is one transaction: a bad row leaves nothing half-written and the
  error (:class:`BatchError`) names the row;
- on SQLite, two processes writing to the same file lose no rows (WAL
  journal, a busy timeout, and ``BEGIN IMMEDIATE`` for write transactions);
- a malformed or unreachable database URL raises a clear error within a few
  seconds (:class:`DatabaseURLError`, :class:`DatabaseUnavailable`).

Back-tests come with their uncertainty: :func:`roc_auc_interval`,
:func:`roc_auc_change` (one model, two periods), :func:`paired_roc_auc_difference`
(two models, the same rows) and :func:`rate_change` give 90 % intervals, and
:func:`difference_table` reads them as above 0, below 0 or within noise.

Times are naive ``datetime`` values, meant as UTC; time-zone-aware values are
converted to UTC.
"""

import contextlib
import math
import re
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from .course import BUILD_DIR, REPO_ROOT
from .evaluation import _bootstrap_weights, interval_reading

__all__ = [
    "BatchError",
    "DatabaseURLError",
    "DatabaseUnavailable",
    "TrackingError",
    "UPSERT_LATEST_SQL",
    "UPSERT_OUTCOMES_SQL",
    "backtest",
    "backtest_rows",
    "compare_latest",
    "connect",
    "count_rows",
    "create_schema",
    "deduplicate_latest",
    "delete_model_version",
    "describe",
    "difference_table",
    "insert_sql",
    "interval_reading",
    "latest_prediction_view",
    "latest_predictions",
    "log_predictions",
    "log_summary",
    "month_of",
    "outcomes",
    "paired_roc_auc_difference",
    "pick",
    "predictions",
    "rate_change",
    "record_outcomes",
    "roc_auc_change",
    "roc_auc_interval",
    "rollup",
    "schema_sql",
    "stale_version_rows",
    "to_records",
    "upsert_latest",
    "validate_dedup_function",
    "validate_entity_counter",
    "validate_predictions",
    "work_folder",
]

SUPPORTED_BACKENDS = ("sqlite", "postgresql")
MIN_SQLITE_VERSION = (3, 25, 0)  # ON CONFLICT ... DO UPDATE needs 3.24, window functions 3.25
DEFAULT_SQLITE_PATH = BUILD_DIR / "predictions.sqlite"
SQLITE_BUSY_TIMEOUT_MS = 30_000
PREDICTION_COLUMNS = (
    "entity_id",
    "model_version",
    "prediction_value",
    "probability_score",
    "feature_hash",
    "created_at",
)
OUTCOME_COLUMNS = ("entity_id", "label", "observed_at")
_ID_LENGTH = 200
_VERSION_LENGTH = 64
_HASH_LENGTH = 64
_SCHEMA_LOCK_KEY = 70_700_700  # any constant: the advisory lock that serialises create_schema on PostgreSQL
_URL_EXAMPLES = (
    "sqlite:///build/predictions.sqlite or postgresql+psycopg://user@127.0.0.1:5432/dbname"
)


class TrackingError(RuntimeError):
    """Base class of the prediction log's errors."""


class DatabaseURLError(TrackingError, ValueError):
    """The database URL is malformed or names a backend this helper does not support."""


class DatabaseUnavailable(TrackingError):
    """The database could not be reached or opened."""


class BatchError(TrackingError, ValueError):
    """A row of a batch is invalid; nothing of the batch was written.

    Attributes
    ----------
    row : int
        Position of the offending row in the batch, counting from 0.
    """

    def __init__(self, message, row):
        super().__init__(message)
        self.row = row


# --------------------------------------------------------------------------- schema

metadata = sa.MetaData()

predictions = sa.Table(
    "predictions",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("entity_id", sa.String(_ID_LENGTH), nullable=False),
    sa.Column("model_version", sa.String(_VERSION_LENGTH), nullable=False),
    sa.Column("prediction_value", sa.SmallInteger(), nullable=False),
    sa.Column("probability_score", sa.Float(), nullable=False),
    sa.Column("feature_hash", sa.String(_HASH_LENGTH), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.UniqueConstraint("entity_id", "model_version", "created_at", name="uq_predictions_entity_version_time"),
    sa.CheckConstraint("prediction_value IN (0, 1)", name="ck_predictions_value"),
    sa.CheckConstraint("probability_score >= 0 AND probability_score <= 1", name="ck_predictions_probability"),
    sa.Index("ix_predictions_version_time", "model_version", "created_at"),
)

latest_predictions = sa.Table(
    "latest_predictions",
    metadata,
    sa.Column("entity_id", sa.String(_ID_LENGTH), primary_key=True),
    sa.Column("model_version", sa.String(_VERSION_LENGTH), nullable=False),
    sa.Column("prediction_value", sa.SmallInteger(), nullable=False),
    sa.Column("probability_score", sa.Float(), nullable=False),
    sa.Column("feature_hash", sa.String(_HASH_LENGTH), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.CheckConstraint("prediction_value IN (0, 1)", name="ck_latest_value"),
    sa.CheckConstraint("probability_score >= 0 AND probability_score <= 1", name="ck_latest_probability"),
)

outcomes = sa.Table(
    "outcomes",
    metadata,
    sa.Column("entity_id", sa.String(_ID_LENGTH), primary_key=True),
    sa.Column("label", sa.SmallInteger(), nullable=False),
    sa.Column("observed_at", sa.DateTime(), nullable=False),
    sa.CheckConstraint("label IN (0, 1)", name="ck_outcomes_label"),
)

# The view is not created by ``metadata.create_all``; this Table only lets
# SQLAlchemy select from it.
_view_metadata = sa.MetaData()
latest_prediction_view = sa.Table(
    "latest_prediction_view",
    _view_metadata,
    *(sa.Column(column.name, column.type) for column in predictions.columns),
)

LATEST_VIEW_SELECT = """\
SELECT id, entity_id, model_version, prediction_value, probability_score, feature_hash, created_at
FROM (
    SELECT predictions.*,
           ROW_NUMBER() OVER (
               PARTITION BY entity_id
               ORDER BY created_at DESC, model_version DESC
           ) AS newest_first
    FROM predictions
) ranked
WHERE newest_first = 1"""

UPSERT_LATEST_SQL = """\
INSERT INTO latest_predictions
    (entity_id, model_version, prediction_value, probability_score, feature_hash, created_at)
VALUES
    (:entity_id, :model_version, :prediction_value, :probability_score, :feature_hash, :created_at)
ON CONFLICT (entity_id) DO UPDATE SET
    model_version     = excluded.model_version,
    prediction_value  = excluded.prediction_value,
    probability_score = excluded.probability_score,
    feature_hash      = excluded.feature_hash,
    created_at        = excluded.created_at
WHERE excluded.created_at >= latest_predictions.created_at"""

UPSERT_OUTCOMES_SQL = """\
INSERT INTO outcomes (entity_id, label, observed_at)
VALUES (:entity_id, :label, :observed_at)
ON CONFLICT (entity_id) DO UPDATE SET
    label       = excluded.label,
    observed_at = excluded.observed_at"""


class month_of(FunctionElement):
    """SQL expression: the ``'YYYY-MM'`` month of a timestamp, on SQLite and PostgreSQL.

    SQLite spells it ``strftime('%Y-%m', x)``, PostgreSQL ``to_char(x, 'YYYY-MM')``;
    SQLAlchemy picks the right one when the statement is compiled.
    """

    type = sa.String()
    name = "month_of"
    inherit_cache = True


@compiles(month_of, "sqlite")
def _month_of_sqlite(element, compiler, **kw):
    return "strftime('%%Y-%%m', %s)" % compiler.process(element.clauses, **kw)


@compiles(month_of, "postgresql")
def _month_of_postgresql(element, compiler, **kw):
    return "to_char(%s, 'YYYY-MM')" % compiler.process(element.clauses, **kw)


@compiles(month_of)
def _month_of_other(element, compiler, **kw):
    raise TrackingError(f"month_of() supports {SUPPORTED_BACKENDS}, not {compiler.dialect.name}")


# --------------------------------------------------------------------------- connecting


def _safe(url):
    """Render a URL without its password."""
    return url.render_as_string(hide_password=True)


def _mask(text):
    """Hide a password in URL-like text that could not be parsed."""
    return re.sub(r"(://[^:/@\s]*:)\S*@", r"\1***@", text)


def _display_path(path):
    path = Path(path).resolve()
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def _parse_url(url, default_path):
    if url is None or (isinstance(url, str) and not url.strip()):
        path = Path(default_path) if default_path is not None else DEFAULT_SQLITE_PATH
        path.parent.mkdir(parents=True, exist_ok=True)
        return sa.engine.URL.create("sqlite", database=str(path))
    if isinstance(url, sa.engine.URL):
        parsed = url
    elif isinstance(url, str):
        try:
            parsed = make_url(url.strip())
        except Exception as error:  # ArgumentError, ValueError for bad ports, ...
            raise DatabaseURLError(
                f"could not parse the database URL {_mask(url)!r}: {error}. Expected a URL like {_URL_EXAMPLES}"
            ) from None
    else:
        raise DatabaseURLError(f"the database URL must be a string, got {type(url).__name__}")
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise DatabaseURLError(
            f"the prediction log supports {' and '.join(SUPPORTED_BACKENDS)}, found a {backend!r} URL"
            f" ({_safe(parsed)}). Expected a URL like {_URL_EXAMPLES}"
        )
    driver = parsed.get_driver_name()
    if backend == "postgresql":
        if driver != "psycopg":  # the course ships psycopg 3 only
            raise DatabaseURLError(
                f"use the psycopg driver for PostgreSQL (postgresql+psycopg://...), found {parsed.drivername!r}"
            )
        parsed = parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if driver != "pysqlite":
            raise DatabaseURLError(f"use sqlite:///path/to/file.sqlite, found driver {parsed.drivername!r}")
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            folder = Path(database).expanduser().resolve().parent
            if not folder.is_dir():
                raise DatabaseUnavailable(
                    f"cannot open the SQLite file {database!r}: its folder {folder} does not exist"
                )
    if backend == "postgresql" and not parsed.host and "host" not in parsed.query:
        raise DatabaseURLError(f"the PostgreSQL URL {_safe(parsed)} names no host. Expected a URL like {_URL_EXAMPLES}")
    return parsed


def _install_sqlite_hooks(engine):
    """WAL journal, busy timeout, and SQLAlchemy-controlled BEGIN on every SQLite connection."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy emit BEGIN itself (see the SQLAlchemy SQLite docs,
        # "Enabling Non-Legacy SQLite Transactional Modes").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # Write helpers ask for BEGIN IMMEDIATE: the write lock is taken (or
        # waited for, up to the busy timeout) at the start, so a transaction
        # never fails half-way because another process wrote in between.
        connection.exec_driver_sql(connection.get_execution_options().get("forge_lessons_begin", "BEGIN"))


def connect(url="", *, default_path=None, timeout=5.0, echo=False):
    """Open the prediction log's database and check that it answers.

    Parameters
    ----------
    url : str or sqlalchemy.engine.URL, default=""
        An SQLAlchemy URL. Empty means a SQLite file at ``default_path``.
        ``postgresql://`` is read as ``postgresql+psycopg://`` (psycopg 3,
        the driver the course ships).
    default_path : path-like, optional
        The SQLite file used when ``url`` is empty; its folder is created.
        Defaults to ``build/predictions.sqlite`` in the repository.
    timeout : float, default=5.0
        Seconds to wait for a PostgreSQL server to answer (libpq counts at
        least 2).
    echo : bool, default=False
        Log every SQL statement (SQLAlchemy's ``echo``).

    Returns
    -------
    sqlalchemy.engine.Engine

    Raises
    ------
    DatabaseURLError
        The URL cannot be parsed or names another backend than SQLite or PostgreSQL.
    DatabaseUnavailable
        The server does not answer within ``timeout`` seconds, refuses the
        login, or the SQLite file cannot be opened.
    """
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or not 0 < timeout <= 300:
        raise ValueError(f"timeout must be a number of seconds in (0, 300], got {timeout!r}")
    parsed = _parse_url(url, default_path)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        version = tuple(int(part) for part in sqlite3.sqlite_version.split("."))
        if version < MIN_SQLITE_VERSION:
            raise DatabaseUnavailable(
                f"the prediction log needs SQLite {'.'.join(map(str, MIN_SQLITE_VERSION))} or newer"
                f" (upsert and window functions), found {sqlite3.sqlite_version}"
            )
        engine = sa.create_engine(parsed, echo=echo)
        _install_sqlite_hooks(engine)
    else:
        connect_args = {"connect_timeout": max(2, int(math.ceil(timeout)))}
        engine = sa.create_engine(parsed, echo=echo, pool_pre_ping=True, connect_args=connect_args)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except sa.exc.DBAPIError as error:
        engine.dispose()
        reason = str(getattr(error, "orig", error)).strip().splitlines()
        reason = reason[0] if reason else type(error).__name__
        raise DatabaseUnavailable(f"could not connect to {_safe(parsed)} (waited at most {timeout:g} s): {reason}") from None
    return engine


def describe(engine):
    """One line saying which database the engine writes to, without password or absolute repo paths.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine

    Returns
    -------
    str
    """
    url = engine.url
    if url.get_backend_name() == "sqlite":
        database = url.database or ":memory:"
        where = database if database == ":memory:" else _display_path(database)
        return f"SQLite file {where} (WAL journal, busy timeout {SQLITE_BUSY_TIMEOUT_MS // 1000} s)"
    return f"PostgreSQL at {_safe(url)}"



def work_folder(notebook, profile, seed, database_url=""):
    """A folder under ``build/`` for one run's model files and default SQLite file.

    Runs with another profile, seed or database get another folder, so they
    never share files. The database URL enters only as a short hash (no
    password in a folder name).

    Parameters
    ----------
    notebook : str
        The lesson's name, e.g. ``"07_logging_predictions_to_sql"``.
    profile : str
    seed : int
    database_url : str, default=""

    Returns
    -------
    pathlib.Path
        ``build/<notebook>/<profile>-seed<seed>[-<hash>]``, created.
    """
    import hashlib

    if not isinstance(notebook, str) or not re.fullmatch(r"[0-9A-Za-z_]+", notebook):
        raise ValueError(f"notebook must be a lesson name like '07_logging_predictions_to_sql', got {notebook!r}")
    if not isinstance(profile, str) or not re.fullmatch(r"[0-9A-Za-z_]+", profile):
        raise ValueError(f"profile must be a name like 'full' or 'quick', got {profile!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    if not isinstance(database_url, str):
        database_url = str(database_url)
    name = f"{profile}-seed{int(seed)}"
    if database_url.strip():
        name += "-" + hashlib.sha256(database_url.strip().encode()).hexdigest()[:8]
    folder = BUILD_DIR / notebook / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder

@contextlib.contextmanager
def _write_transaction(engine):
    """A connection inside one write transaction (BEGIN IMMEDIATE on SQLite)."""
    with engine.connect() as connection:
        connection.execution_options(forge_lessons_begin="BEGIN IMMEDIATE")
        with connection.begin():
            yield connection


def _create_view_sql(dialect_name):
    if dialect_name == "postgresql":
        return f"CREATE OR REPLACE VIEW latest_prediction_view AS\n{LATEST_VIEW_SELECT}"
    return f"CREATE VIEW IF NOT EXISTS latest_prediction_view AS\n{LATEST_VIEW_SELECT}"


def create_schema(engine, *, drop_existing=False):
    """Create the log's tables and view (idempotent).

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
    drop_existing : bool, default=False
        First drop ``predictions``, ``latest_predictions``, ``outcomes`` and
        ``latest_prediction_view`` with all their rows. Point the engine at a
        scratch database before using this.

    Returns
    -------
    list of str
        The names of the tables and the view.
    """
    _check_engine(engine)
    with _write_transaction(engine) as connection:
        if engine.dialect.name == "postgresql":
            # Two processes creating the schema at once would race on CREATE TABLE;
            # this lock (released at commit) makes the second wait and find the tables.
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})
        if drop_existing:
            connection.exec_driver_sql("DROP VIEW IF EXISTS latest_prediction_view")
            metadata.drop_all(connection)
        metadata.create_all(connection)
        connection.exec_driver_sql(_create_view_sql(engine.dialect.name))
    return [*metadata.tables, "latest_prediction_view"]


def schema_sql(engine):
    """The DDL :func:`create_schema` runs, as the engine's dialect spells it.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine

    Returns
    -------
    str
    """
    _check_engine(engine)
    parts = []
    for table in metadata.sorted_tables:
        parts.append(str(sa.schema.CreateTable(table).compile(dialect=engine.dialect)).strip() + ";")
        for index in sorted(table.indexes, key=lambda i: i.name):
            parts.append(str(sa.schema.CreateIndex(index).compile(dialect=engine.dialect)).strip() + ";")
    parts.append(_create_view_sql(engine.dialect.name) + ";")
    return "\n\n".join(parts)


def _check_engine(engine):
    if not isinstance(engine, sa.engine.Engine):
        raise TypeError(f"expected a SQLAlchemy Engine from tracking.connect(), got {type(engine).__name__}")


# --------------------------------------------------------------------------- validating batches


def _as_frame(rows, columns, what):
    if isinstance(rows, pd.DataFrame):
        frame = rows
    elif isinstance(rows, dict):
        frame = pd.DataFrame([rows])
    else:
        try:
            frame = pd.DataFrame(list(rows))
        except TypeError:
            raise TypeError(
                f"{what} must be a DataFrame or a list of dicts, got {type(rows).__name__}"
            ) from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} lack column(s) {missing}; expected {list(columns)}, found {list(frame.columns)}")
    return frame.loc[:, list(columns)].reset_index(drop=True)


def _show(value):
    """repr() of a value, NumPy scalars shown as plain Python values."""
    if isinstance(value, np.generic):
        value = value.item()
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _fail(frame, position, message):
    entity = frame["entity_id"].iloc[position] if "entity_id" in frame.columns else None
    raise BatchError(
        f"row {position} (entity_id={_show(entity)}): {message}; nothing of this batch was written", int(position)
    )


def _first(mask):
    hits = np.flatnonzero(np.asarray(mask, dtype=bool))
    return int(hits[0]) if len(hits) else None


def _check_text(frame, column, max_length):
    values = frame[column]
    missing = _first(values.isna())
    if missing is not None:
        _fail(frame, missing, f"{column} must be a string, found a missing value")
    kind = pd.api.types.infer_dtype(values, skipna=False)
    if kind == "integer":
        text = values.astype("int64").astype(str)
    elif kind == "string":
        text = values
    else:
        bad = _first([not isinstance(v, (str, int, np.integer)) or isinstance(v, (bool, np.bool_)) for v in values])
        if bad is not None:
            _fail(frame, bad, f"{column} must be a string, found {_show(values.iloc[bad])}")
        text = values.map(str)
    lengths = text.str.len()
    bad = _first((lengths == 0) | (lengths > max_length))
    if bad is not None:
        _fail(frame, bad, f"{column} must hold 1 to {max_length} characters, found {_show(text.iloc[bad])}")
    return text.astype(object)


def _numbers(values, *, allow_bool):
    """Values as floats, NaN where a value is not a number (nor a boolean, if allowed)."""
    if pd.api.types.is_bool_dtype(values):
        return values.astype(float) if allow_bool else pd.Series(np.nan, index=values.index)
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float)

    def number(value):
        if isinstance(value, (bool, np.bool_)):
            return float(value) if allow_bool else np.nan
        if isinstance(value, (int, float, np.integer, np.floating)):
            return float(value)
        return np.nan

    return values.map(number).astype(float)


def _check_binary(frame, column):
    values = frame[column]
    numbers = _numbers(values, allow_bool=True)
    bad = _first(~numbers.isin([0.0, 1.0]))
    if bad is not None:
        _fail(frame, bad, f"{column} must be 0 or 1, found {_show(values.iloc[bad])}")
    return numbers.astype(int)


def _check_time(frame, column):
    values = frame[column]
    bad = _first(values.isna())
    if bad is not None:
        _fail(frame, bad, f"{column} must be a timestamp, found a missing value")
    try:
        parsed = pd.to_datetime(values, utc=True, format="mixed")
    except (ValueError, TypeError):
        for position, value in enumerate(values):
            try:
                pd.Timestamp(value)
            except (ValueError, TypeError):
                _fail(frame, position, f"{column} must be a timestamp, found {_show(value)}")
        raise
    return parsed.dt.tz_localize(None)


def validate_predictions(rows, *, unique_keys=True):
    """Check a batch of predictions and return it in the log's column types.

    Parameters
    ----------
    rows : DataFrame or list of dict
        Columns ``entity_id`` (text or integer, stored as text),
        ``model_version`` (text), ``prediction_value`` (0 or 1),
        ``probability_score`` (a number in [0, 1]), ``feature_hash`` (text),
        ``created_at`` (a timestamp).

    Returns
    -------
    pandas.DataFrame
        The six columns, ``entity_id`` as text, times as naive UTC.

    Raises
    ------
    BatchError
        The first invalid row, by position, with the reason, including (when
        ``unique_keys``) a repeated ``(entity_id, model_version, created_at)``
        key.
    """
    frame = _as_frame(rows, PREDICTION_COLUMNS, "predictions")
    if frame.empty:
        return frame
    out = pd.DataFrame(index=frame.index)
    out["entity_id"] = _check_text(frame, "entity_id", _ID_LENGTH)
    out["model_version"] = _check_text(frame, "model_version", _VERSION_LENGTH)
    out["prediction_value"] = _check_binary(frame, "prediction_value")
    scores = frame["probability_score"]
    numeric = _numbers(scores, allow_bool=False).to_numpy()
    bad = _first(~(np.isfinite(numeric) & (numeric >= 0) & (numeric <= 1)))
    if bad is not None:
        _fail(frame, bad, f"probability_score must be a number between 0 and 1, found {_show(scores.iloc[bad])}")
    out["probability_score"] = numeric.astype(float)
    out["feature_hash"] = _check_text(frame, "feature_hash", _HASH_LENGTH)
    out["created_at"] = _check_time(frame, "created_at")
    repeated = out.duplicated(["entity_id", "model_version", "created_at"], keep="first")
    bad = _first(repeated) if unique_keys else None
    if bad is not None:
        key = out.loc[bad, ["entity_id", "model_version", "created_at"]]
        first = _first((out[["entity_id", "model_version", "created_at"]] == key).all(axis=1))
        _fail(frame, bad, f"repeats the key (entity_id, model_version, created_at) of row {first}")
    return out


def _validate_outcomes(rows):
    frame = _as_frame(rows, OUTCOME_COLUMNS, "outcomes")
    if frame.empty:
        return frame
    out = pd.DataFrame(index=frame.index)
    out["entity_id"] = _check_text(frame, "entity_id", _ID_LENGTH)
    out["label"] = _check_binary(frame, "label")
    out["observed_at"] = _check_time(frame, "observed_at")
    return out


def to_records(frame):
    """Turn a validated frame into a list of dicts of plain Python values (what DB drivers accept).

    Parameters
    ----------
    frame : pandas.DataFrame

    Returns
    -------
    list of dict
    """
    columns = {}
    for name in frame.columns:
        series = frame[name]
        if pd.api.types.is_datetime64_any_dtype(series):
            columns[name] = list(series.dt.to_pydatetime())
        else:
            columns[name] = series.to_numpy(dtype=object).tolist() if series.dtype == object else series.tolist()
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*columns.values())]


def insert_sql(engine):
    """The one parameterized INSERT that :func:`log_predictions` runs for a whole batch.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine

    Returns
    -------
    str
        ``INSERT INTO predictions (...) VALUES (?, ...)`` with the driver's
        placeholders (``?`` for SQLite, ``%s`` for psycopg).
    """
    _check_engine(engine)
    mark = "?" if engine.dialect.name == "sqlite" else "%s"
    return (
        f"INSERT INTO predictions ({', '.join(PREDICTION_COLUMNS)})"
        f" VALUES ({', '.join([mark] * len(PREDICTION_COLUMNS))})"
    )


# SQLAlchemy's storage format for DateTime on SQLite; rows written by the
# fast path must read back exactly like rows written through SQLAlchemy.
_SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"


def _driver_rows(frame, dialect_name):
    """Plain tuples in PREDICTION_COLUMNS order, as the DB-API driver takes them."""
    created = frame["created_at"]
    if dialect_name == "sqlite":
        created = created.dt.strftime(_SQLITE_DATETIME).tolist()
    else:
        created = list(created.dt.to_pydatetime())
    return list(
        zip(
            frame["entity_id"].tolist(),
            frame["model_version"].tolist(),
            frame["prediction_value"].astype(int).tolist(),
            frame["probability_score"].astype(float).tolist(),
            frame["feature_hash"].tolist(),
            created,
        )
    )


def _fails(connection, run, rows, keep=False):
    """Run ``rows`` inside a savepoint; True if the database refused them. Kept only if ``keep`` and no error."""
    savepoint = connection.begin_nested()
    try:
        run(connection, rows)
    except sa.exc.DBAPIError:
        savepoint.rollback()
        return True
    if keep:
        savepoint.commit()
    else:
        savepoint.rollback()
    return False


def _first_failing_row(engine, run, rows, chunk=1_000):
    """Find the first row that makes ``run(connection, rows)`` fail; None if the batch now passes.

    Replays the batch chunk by chunk inside one transaction (each chunk in a
    savepoint), bisects inside the first chunk that fails, and rolls
    everything back: about one pass over the batch, whatever its size.
    """
    with engine.connect() as connection:
        connection.execution_options(forge_lessons_begin="BEGIN IMMEDIATE")
        transaction = connection.begin()
        try:
            for start in range(0, len(rows), chunk):
                part = rows[start : start + chunk]
                if not _fails(connection, run, part, keep=True):
                    continue
                low, high = 0, len(part)  # part[:low] passes, part[:high] fails
                while high - low > 1:
                    middle = (low + high) // 2
                    if _fails(connection, run, part[:middle]):
                        high = middle
                    else:
                        low = middle
                return start + high - 1
            return None
        finally:
            transaction.rollback()


def _execute_batch(engine, run, rows, frame):
    """``run(connection, rows)`` in one write transaction; name the failing row on error."""
    try:
        with _write_transaction(engine) as connection:
            run(connection, rows)
    except (sa.exc.IntegrityError, sa.exc.DataError) as error:
        reason = str(error.orig).strip().splitlines()[0]
        position = _first_failing_row(engine, run, rows)
        if position is None:
            raise BatchError(f"the batch failed ({reason}); nothing of it was written", -1) from None
        _fail(frame, position, f"the database refused it ({reason})")
    except sa.exc.OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0]
        raise DatabaseUnavailable(f"writing the batch failed, nothing of it was written: {reason}") from None
    return len(rows)


def _upsert(engine, statement, frame):
    """Execute a typed ``INSERT ... ON CONFLICT`` statement for every row of ``frame``, in one transaction."""

    def run(connection, batch):
        connection.execute(statement, batch)

    return _execute_batch(engine, run, to_records(frame), frame)


def log_predictions(engine, rows):
    """Append a batch of predictions to the log: one parameterized INSERT, many rows, one transaction.

    The batch is validated first; then :func:`insert_sql` is executed once
    with all rows as parameters (DB-API ``executemany``).

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
    rows : DataFrame or list of dict
        See :func:`validate_predictions` for the columns.

    Returns
    -------
    int
        The number of rows written.

    Raises
    ------
    BatchError
        A row is invalid or the database refused it (e.g. its key is already
        in the log); the message names the row, and nothing was written.
    """
    _check_engine(engine)
    frame = validate_predictions(rows)
    if frame.empty:
        return 0
    sql = insert_sql(engine)

    def run(connection, batch):
        connection.exec_driver_sql(sql, batch)

    return _execute_batch(engine, run, _driver_rows(frame, engine.dialect.name), frame)


def delete_model_version(engine, model_version):
    """Delete every log row of one model version (e.g. a load test); return how many.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
    model_version : str

    Returns
    -------
    int
    """
    _check_engine(engine)
    if not isinstance(model_version, str) or not model_version:
        raise ValueError(f"model_version must be a non-empty string, got {model_version!r}")
    with _write_transaction(engine) as connection:
        result = connection.execute(sa.delete(predictions).where(predictions.c.model_version == model_version))
    return result.rowcount


# --------------------------------------------------------------------------- upserts


def deduplicate_latest(frame, key="entity_id", order="created_at"):
    """Keep one row per key: the one with the latest ``order`` value (ties: the later row).

    A batch that names the same key twice makes PostgreSQL's multi-row
    ``INSERT ... ON CONFLICT DO UPDATE`` fail ("cannot affect row a second
    time") and leaves the result on other databases to statement order;
    de-duplicating first makes the outcome explicit.

    Parameters
    ----------
    frame : pandas.DataFrame
    key : str, default="entity_id"
    order : str, default="created_at"

    Returns
    -------
    pandas.DataFrame
        The kept rows, in their original order, with a fresh index.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a DataFrame, got {type(frame).__name__}")
    for column in (key, order):
        if column not in frame.columns:
            raise ValueError(f"column {column!r} is missing; found {list(frame.columns)}")
    position = pd.Series(np.arange(len(frame)), index=frame.index)
    ranked = frame.assign(_position=position).sort_values([order, "_position"], kind="stable")
    kept = ranked.drop_duplicates(key, keep="last").sort_values("_position")
    return kept.drop(columns="_position").reset_index(drop=True)


def _typed(sql, table):
    """A text() statement whose bind parameters carry the table's column types."""
    statement = sa.text(sql)
    names = set(statement.compile().params)
    binds = [sa.bindparam(c.name, type_=c.type) for c in table.columns if c.name in names]
    return statement.bindparams(*binds)


def upsert_latest(engine, rows, *, sql=UPSERT_LATEST_SQL):
    """Insert-or-update ``latest_predictions`` for a batch, in one transaction.

    The batch is validated, then de-duplicated by entity (the latest
    ``created_at`` wins), then sent as one parameterized statement per row.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
    rows : DataFrame or list of dict
        Same columns as :func:`log_predictions`.
    sql : str, default=UPSERT_LATEST_SQL
        The statement, with named parameters ``:entity_id`` etc. The lesson
        passes the source material's faulty statement here to show its effect.

    Returns
    -------
    int
        Rows sent after de-duplication.
    """
    _check_engine(engine)
    if not isinstance(sql, str) or ":entity_id" not in sql:
        raise ValueError("sql must be an INSERT ... ON CONFLICT statement with named parameters like :entity_id")
    frame = deduplicate_latest(validate_predictions(rows, unique_keys=False))
    if frame.empty:
        return 0
    return _upsert(engine, _typed(sql, latest_predictions), frame)


def record_outcomes(engine, rows):
    """Insert or update ground truth (``outcomes``), in one transaction.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
    rows : DataFrame or list of dict
        Columns ``entity_id``, ``label`` (0 or 1), ``observed_at`` (timestamp).
        An entity given twice keeps its latest observation.

    Returns
    -------
    int
        Rows sent after de-duplication.
    """
    _check_engine(engine)
    frame = deduplicate_latest(_validate_outcomes(rows), order="observed_at")
    if frame.empty:
        return 0
    return _upsert(engine, _typed(UPSERT_OUTCOMES_SQL, outcomes), frame)


def stale_version_rows(engine):
    """Count ``latest_predictions`` rows whose ``model_version`` is not the version that produced their score.

    A row is stale when the log holds a prediction for the same entity at the
    same ``created_at`` with the same score, made by another version than the
    row claims.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine

    Returns
    -------
    int
    """
    _check_engine(engine)
    latest, log = latest_predictions, predictions
    producer = sa.exists().where(
        log.c.entity_id == latest.c.entity_id,
        log.c.created_at == latest.c.created_at,
        log.c.probability_score == latest.c.probability_score,
        log.c.model_version != latest.c.model_version,
    )
    truthful = sa.exists().where(
        log.c.entity_id == latest.c.entity_id,
        log.c.created_at == latest.c.created_at,
        log.c.probability_score == latest.c.probability_score,
        log.c.model_version == latest.c.model_version,
    )
    statement = sa.select(sa.func.count()).select_from(latest).where(producer, ~truthful)
    with engine.connect() as connection:
        return int(connection.execute(statement).scalar_one())


def count_rows(engine, table):
    """Number of rows in one of the log's tables or its view.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
    table : str or sqlalchemy.Table
        ``"predictions"``, ``"latest_predictions"``, ``"outcomes"`` or
        ``"latest_prediction_view"``.

    Returns
    -------
    int
    """
    _check_engine(engine)
    known = {**metadata.tables, "latest_prediction_view": latest_prediction_view}
    name = table.name if isinstance(table, sa.Table) else table
    if name not in known:
        raise ValueError(f"unknown table {name!r}; expected one of {sorted(known)}")
    with engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(known[name])).scalar_one())


_LATEST_COLUMNS = ("model_version", "prediction_value", "probability_score", "feature_hash", "created_at")


def compare_latest(engine):
    """Compare ``latest_predictions`` (the upserted table) with ``latest_prediction_view`` (derived from the log).

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine

    Returns
    -------
    dict
        ``table_rows`` and ``view_rows`` (entities in each), and ``differing``:
        entities that are in only one of them, or whose model version, decision,
        score, feature hash or time differ.
    """
    _check_engine(engine)
    with engine.connect() as connection:
        table = _frame(connection, sa.select(latest_predictions))
        view = _frame(connection, sa.select(*(latest_prediction_view.c[name] for name in ("entity_id", *_LATEST_COLUMNS))))
    merged = table.merge(view, on="entity_id", how="outer", suffixes=("_table", "_view"), indicator=True)
    differing = merged["_merge"] != "both"
    for name in _LATEST_COLUMNS:
        differing |= merged[f"{name}_table"].ne(merged[f"{name}_view"]) & (merged["_merge"] == "both")
    return {"table_rows": int(len(table)), "view_rows": int(len(view)), "differing": int(differing.sum())}


# --------------------------------------------------------------------------- reading and back-testing


def _versions_filter(statement, column, versions):
    if versions is None:
        return statement
    if isinstance(versions, str) or not all(isinstance(v, str) for v in versions):
        raise ValueError(f"versions must be a list of model_version strings, got {versions!r}")
    return statement.where(column.in_(list(versions)))


def _frame(connection, statement, floats=()):
    result = connection.execute(statement)
    frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    for name in floats:
        frame[name] = frame[name].astype(float)
    return frame


def log_summary(engine, *, versions=None):
    """Per model version and month, from the predictions alone: rows, alert rate, mean score.

    Needs no outcomes, so it is available the day predictions are logged.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
    versions : list of str, optional
        Only these model versions.

    Returns
    -------
    pandas.DataFrame
        Columns ``model_version, month, n, flagged, mean_score, alert_rate``.
    """
    _check_engine(engine)
    p = predictions
    month = month_of(p.c.created_at)
    statement = (
        sa.select(
            p.c.model_version,
            month.label("month"),
            sa.func.count().label("n"),
            sa.func.sum(p.c.prediction_value).label("flagged"),
            sa.cast(sa.func.avg(p.c.probability_score), sa.Float).label("mean_score"),
        )
        .group_by(p.c.model_version, month)
        .order_by(p.c.model_version, month)
    )
    statement = _versions_filter(statement, p.c.model_version, versions)
    with engine.connect() as connection:
        frame = _frame(connection, statement, floats=("mean_score",))
    frame["n"] = frame["n"].astype(int)
    frame["flagged"] = frame["flagged"].astype(int)
    return _rates(frame)


def _as_of_filter(statement, as_of):
    if as_of is None:
        return statement
    try:
        moment = pd.Timestamp(as_of)
    except (ValueError, TypeError):
        raise ValueError(f"as_of must be a timestamp like '2026-02-15', got {as_of!r}") from None
    if moment.tzinfo is not None:
        moment = moment.tz_convert("UTC").tz_localize(None)
    return statement.where(outcomes.c.observed_at <= moment.to_pydatetime())


def backtest(engine, *, versions=None, as_of=None):
    """Join predictions with outcomes; counts and rates per model version and month, computed in SQL.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
    versions : list of str, optional
        Only these model versions.
    as_of : timestamp-like, optional
        Use only outcomes observed by then (what a back-test run on that day
        would have seen). Predictions without an outcome are left out.

    Returns
    -------
    pandas.DataFrame
        Columns ``model_version, month, n, frauds, flagged, true_positives,
        mean_score, squared_error`` (sums from SQL), then ``fraud_rate,
        alert_rate, precision, recall, calibration_gap`` (observed fraud rate
        minus mean score) and ``brier``. Precision is NaN for a month with no
        alert, recall for a month with no fraud.
    """
    _check_engine(engine)
    p, o = predictions, outcomes
    month = month_of(p.c.created_at)
    hit = sa.case((sa.and_(p.c.prediction_value == 1, o.c.label == 1), 1), else_=0)
    error = (p.c.probability_score - o.c.label) * (p.c.probability_score - o.c.label)
    statement = (
        sa.select(
            p.c.model_version,
            month.label("month"),
            sa.func.count().label("n"),
            sa.func.sum(o.c.label).label("frauds"),
            sa.func.sum(p.c.prediction_value).label("flagged"),
            sa.func.sum(hit).label("true_positives"),
            sa.cast(sa.func.avg(p.c.probability_score), sa.Float).label("mean_score"),
            sa.cast(sa.func.sum(error), sa.Float).label("squared_error"),
        )
        .select_from(p.join(o, o.c.entity_id == p.c.entity_id))
        .group_by(p.c.model_version, month)
        .order_by(p.c.model_version, month)
    )
    statement = _as_of_filter(_versions_filter(statement, p.c.model_version, versions), as_of)
    with engine.connect() as connection:
        frame = _frame(connection, statement, floats=("mean_score", "squared_error"))
    for name in ("n", "frauds", "flagged", "true_positives"):
        frame[name] = frame[name].astype(int)
    return _rates(frame)


_COUNTS = ("n", "frauds", "flagged", "true_positives", "squared_error")


def _rates(frame):
    """Add the rates that the present count columns allow."""
    frame = frame.copy()
    n = frame["n"].astype(float)
    if "frauds" in frame.columns:
        frame["fraud_rate"] = frame["frauds"] / n
    if "flagged" in frame.columns:
        frame["alert_rate"] = frame["flagged"] / n
    if {"flagged", "true_positives"} <= set(frame.columns):
        frame["precision"] = frame["true_positives"] / frame["flagged"].where(frame["flagged"] > 0)
    if {"frauds", "true_positives"} <= set(frame.columns):
        frame["recall"] = frame["true_positives"] / frame["frauds"].where(frame["frauds"] > 0)
    if "frauds" in frame.columns and "mean_score" in frame.columns:
        frame["calibration_gap"] = frame["fraud_rate"] - frame["mean_score"]
    if "squared_error" in frame.columns:
        frame["brier"] = frame["squared_error"] / n
    return frame


def rollup(monthly, periods):
    """Combine the months of a :func:`backtest` or :func:`log_summary` table into named periods.

    Exact: counts and sums are added, then the rates recomputed.

    Parameters
    ----------
    monthly : pandas.DataFrame
        The output of :func:`backtest` or :func:`log_summary`.
    periods : dict
        ``{label: (first_month, last_month)}`` with months as ``"YYYY-MM"``,
        both included.

    Returns
    -------
    pandas.DataFrame
        One row per model version and period (``period`` instead of
        ``month``), with the counts and rates of the input.
    """
    needed = {"model_version", "month", "n", "mean_score"}
    if not isinstance(monthly, pd.DataFrame) or not needed <= set(monthly.columns):
        found = list(monthly.columns) if isinstance(monthly, pd.DataFrame) else type(monthly).__name__
        raise ValueError(f"expected the DataFrame returned by backtest() or log_summary(), found {found}")
    if not isinstance(periods, dict) or not periods:
        raise ValueError(f"periods must be a non-empty dict {{label: (first_month, last_month)}}, got {periods!r}")
    counts = [name for name in _COUNTS if name in monthly.columns]
    parts = []
    for label, bounds in periods.items():
        if not (isinstance(bounds, (tuple, list)) and len(bounds) == 2):
            raise ValueError(f"period {label!r} must be (first_month, last_month), got {bounds!r}")
        first, last = bounds
        chosen = monthly[(monthly["month"] >= first) & (monthly["month"] <= last)]
        if chosen.empty:
            continue
        grouped = chosen.assign(score_sum=chosen["mean_score"] * chosen["n"]).groupby("model_version", sort=True)
        summed = grouped[[*counts, "score_sum"]].sum()
        summed["mean_score"] = summed["score_sum"] / summed["n"]
        summed = summed.drop(columns="score_sum").reset_index()
        summed.insert(1, "period", label)
        parts.append(summed)
    if not parts:
        raise ValueError(f"no month of the table falls in the periods {periods}")
    return _rates(pd.concat(parts, ignore_index=True))


def backtest_rows(engine, *, versions=None, as_of=None):
    """The joined rows behind :func:`backtest`, for metrics SQL cannot compute (e.g. ROC AUC).

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
    versions : list of str, optional
    as_of : timestamp-like, optional

    Returns
    -------
    pandas.DataFrame
        Columns ``model_version, month, entity_id, probability_score,
        prediction_value, label``, ordered by version, time and entity.
    """
    _check_engine(engine)
    p, o = predictions, outcomes
    statement = (
        sa.select(
            p.c.model_version,
            month_of(p.c.created_at).label("month"),
            p.c.entity_id,
            p.c.probability_score,
            p.c.prediction_value,
            o.c.label,
        )
        .select_from(p.join(o, o.c.entity_id == p.c.entity_id))
        .order_by(p.c.model_version, p.c.created_at, p.c.entity_id)
    )
    statement = _as_of_filter(_versions_filter(statement, p.c.model_version, versions), as_of)
    with engine.connect() as connection:
        frame = _frame(connection, statement, floats=("probability_score",))
    frame["prediction_value"] = frame["prediction_value"].astype(int)
    frame["label"] = frame["label"].astype(int)
    return frame


def pick(table, model_version, period, column):
    """One number of a :func:`rollup` table: the ``column`` of ``model_version`` in ``period``.

    Parameters
    ----------
    table : pandas.DataFrame
        With columns ``model_version`` and ``period`` (or ``month``).
    model_version, period : str
    column : str

    Returns
    -------
    float

    Raises
    ------
    ValueError
        No row, or more than one, matches; or the column is missing.
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"expected a DataFrame from rollup(), got {type(table).__name__}")
    when = "period" if "period" in table.columns else "month"
    for name in ("model_version", when, column):
        if name not in table.columns:
            raise ValueError(f"column {name!r} is missing; found {list(table.columns)}")
    chosen = table.loc[(table["model_version"] == model_version) & (table[when] == period), column]
    if len(chosen) != 1:
        raise ValueError(f"expected one row for ({model_version!r}, {period!r}), found {len(chosen)}")
    return float(chosen.iloc[0])


# --------------------------------------------------------------------------- how sure is a back-test?


def _labels_and_scores(y_true, y_score, what):
    y = np.asarray(y_true)
    s = np.asarray(y_score, dtype=float)
    if y.ndim != 1 or s.ndim != 1 or len(y) != len(s):
        raise ValueError(f"{what}: labels and scores must be 1-D of the same length, found {y.shape} and {s.shape}")
    if not np.isin(y, [0, 1]).all():
        raise ValueError(f"{what}: labels must be 0 or 1, found {sorted(set(np.unique(y).tolist()) - {0, 1})[:5]}")
    if y.min() == y.max():
        raise ValueError(f"{what}: ROC AUC needs frauds and legitimate rows, found only label {int(y[0])}")
    if not np.isfinite(s).all():
        raise ValueError(f"{what}: scores must be finite numbers")
    return y.astype(int), s


def _group_codes(groups, n, what):
    if groups is None:
        return np.arange(n), n
    groups = np.asarray(groups)
    if groups.ndim != 1 or len(groups) != n:
        raise ValueError(f"{what}: groups must hold one value per row ({n}), found shape {groups.shape}")
    if pd.isna(groups).any():
        raise ValueError(f"{what}: groups has missing values; every row needs its group (e.g. its customer)")
    _, codes = np.unique(groups, return_inverse=True)
    return codes.ravel(), int(codes.max()) + 1


def _resample_weights(codes, n_groups, n_boot, rng):
    """Yield (k, n_rows) matrices: how often each row is drawn (whole groups drawn with replacement)."""
    # the same cluster bootstrap as lesson 06; chunks of 200 keep this module's published intervals
    return _bootstrap_weights(codes, n_groups, n_boot, rng, chunk=200)


def _weighted_auc(y, score, weights):
    """ROC AUC of ``score`` under each row of ``weights`` (shape (k, n)); tied scores count one half.

    With unit weights it equals :func:`sklearn.metrics.roc_auc_score`. NaN
    where a resample holds a single class.
    """
    order = np.argsort(score, kind="mergesort")
    ordered = score[order]
    positive = y[order].astype(bool)
    weights = weights[:, order]
    starts = np.r_[0, np.flatnonzero(np.diff(ordered)) + 1]
    pos = np.add.reduceat(weights * positive, starts, axis=1)
    neg = np.add.reduceat(weights * ~positive, starts, axis=1)
    below = np.cumsum(neg, axis=1) - neg
    n_pos, n_neg = pos.sum(axis=1), neg.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        auc = (pos * (below + 0.5 * neg)).sum(axis=1) / (n_pos * n_neg)
    auc[(n_pos == 0) | (n_neg == 0)] = np.nan
    return auc


def _check_bootstrap(n_boot, level):
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 10:
        raise ValueError(f"n_boot must be an integer of at least 10, got {n_boot!r}")
    if isinstance(level, bool) or not isinstance(level, (int, float)) or not 0 < level < 1:
        raise ValueError(f"level must be a number between 0 and 1 (e.g. 0.9), got {level!r}")


def _interval(values, level):
    values = values[np.isfinite(values)]
    if values.size == 0:
        raise ValueError("no resample held both classes: too few frauds for a bootstrap")
    tail = 100 * (1 - level) / 2
    return float(np.percentile(values, tail)), float(np.percentile(values, 100 - tail))


def roc_auc_interval(y_true, y_score, *, groups=None, n_boot=1000, level=0.9, random_state=0):
    """ROC AUC with a bootstrap interval: how far it could move on another sample of the same size.

    Parameters
    ----------
    y_true : array-like of 0/1
    y_score : array-like of float
    groups : array-like, optional
        One value per row, e.g. the customer: whole groups are resampled (a
        cluster bootstrap), as rows of one customer are not independent.
    n_boot : int, default=1000
    level : float, default=0.9
        Coverage of the interval (0.9: the 5th to the 95th percentile).
    random_state : int, default=0

    Returns
    -------
    dict
        ``roc_auc``, ``low``, ``high``, ``level``, ``n_boot``, ``resampled``
        (``"rows"`` or ``"groups"``).
    """
    y, s = _labels_and_scores(y_true, y_score, "roc_auc_interval")
    _check_bootstrap(n_boot, level)
    codes, n_groups = _group_codes(groups, len(y), "roc_auc_interval")
    rng = np.random.default_rng(random_state)
    boot = np.concatenate([_weighted_auc(y, s, w) for w in _resample_weights(codes, n_groups, n_boot, rng)])
    low, high = _interval(boot, level)
    return {
        "roc_auc": float(_weighted_auc(y, s, np.ones((1, len(y))))[0]),
        "low": low,
        "high": high,
        "level": level,
        "n_boot": int(n_boot),
        "resampled": "rows" if groups is None else "groups",
    }


def _difference_result(a, b, boot, level, n_boot, resampled):
    low, high = _interval(boot, level)
    defined = boot[np.isfinite(boot)]
    return {
        "a": a,
        "b": b,
        "difference": b - a,
        "low": low,
        "high": high,
        "share_above_0": float(np.mean(defined > 0)),
        "level": level,
        "n_boot": int(n_boot),
        "resampled": resampled,
    }


def paired_roc_auc_difference(y_true, score_a, score_b, *, groups=None, n_boot=1000, level=0.9, random_state=0):
    """Bootstrap ``AUC(score_b) - AUC(score_a)`` for two models that scored the same rows.

    Both models are evaluated on the same resample (a paired bootstrap), so
    the interval shows whether ``b`` ranks better than ``a`` beyond the noise
    of this sample, e.g. a retrained model against the old one in shadow.

    Parameters
    ----------
    y_true : array-like of 0/1
    score_a, score_b : array-like of float
        Two models' scores of the same rows, in the same order.
    groups, n_boot, level, random_state
        As in :func:`roc_auc_interval`.

    Returns
    -------
    dict
        ``a``, ``b``, ``difference`` (``b - a``), ``low``, ``high``,
        ``share_above_0`` (share of resamples where ``b`` is better),
        ``level``, ``n_boot``, ``resampled``.
    """
    y, s_a = _labels_and_scores(y_true, score_a, "paired_roc_auc_difference")
    _, s_b = _labels_and_scores(y_true, score_b, "paired_roc_auc_difference")
    _check_bootstrap(n_boot, level)
    codes, n_groups = _group_codes(groups, len(y), "paired_roc_auc_difference")
    rng = np.random.default_rng(random_state)
    boot = np.concatenate(
        [_weighted_auc(y, s_b, w) - _weighted_auc(y, s_a, w) for w in _resample_weights(codes, n_groups, n_boot, rng)]
    )
    ones = np.ones((1, len(y)))
    a, b = float(_weighted_auc(y, s_a, ones)[0]), float(_weighted_auc(y, s_b, ones)[0])
    return _difference_result(a, b, boot, level, n_boot, "rows" if groups is None else "groups")


def roc_auc_change(y_a, score_a, y_b, score_b, *, groups_a=None, groups_b=None, n_boot=1000, level=0.9,
                   random_state=0):
    """Bootstrap the change of ROC AUC between two samples, e.g. one model in two periods.

    Each sample is resampled on its own (an unpaired bootstrap). Customers who
    appear in both samples make them slightly dependent; the interval ignores
    that.

    Parameters
    ----------
    y_a, score_a : array-like
        Labels and scores of the first sample (e.g. 2025 H2).
    y_b, score_b : array-like
        Labels and scores of the second sample (e.g. 2026 Q1).
    groups_a, groups_b : array-like, optional
        Group (customer) of each row of each sample; resample groups.
    n_boot, level, random_state
        As in :func:`roc_auc_interval`.

    Returns
    -------
    dict
        As :func:`paired_roc_auc_difference`: ``difference`` is ``b - a``.
    """
    y_a, s_a = _labels_and_scores(y_a, score_a, "roc_auc_change (first sample)")
    y_b, s_b = _labels_and_scores(y_b, score_b, "roc_auc_change (second sample)")
    _check_bootstrap(n_boot, level)
    codes_a, n_a = _group_codes(groups_a, len(y_a), "roc_auc_change (first sample)")
    codes_b, n_b = _group_codes(groups_b, len(y_b), "roc_auc_change (second sample)")
    rng = np.random.default_rng(random_state)
    boot_a = np.concatenate([_weighted_auc(y_a, s_a, w) for w in _resample_weights(codes_a, n_a, n_boot, rng)])
    boot_b = np.concatenate([_weighted_auc(y_b, s_b, w) for w in _resample_weights(codes_b, n_b, n_boot, rng)])
    a = float(_weighted_auc(y_a, s_a, np.ones((1, len(y_a))))[0])
    b = float(_weighted_auc(y_b, s_b, np.ones((1, len(y_b))))[0])
    resampled = "rows" if groups_a is None and groups_b is None else "groups"
    return _difference_result(a, b, boot_b - boot_a, level, n_boot, resampled)


def rate_change(count_a, n_a, count_b, n_b, *, level=0.9):
    """Change of a rate (e.g. the alert rate) between two samples, with a normal-approximation interval.

    Treats rows as independent: with repeat customers the true interval is
    somewhat wider.

    Parameters
    ----------
    count_a, n_a : int
        Events and rows of the first sample (e.g. alerts and predictions in 2025 H2).
    count_b, n_b : int
        The same for the second sample.
    level : float, default=0.9

    Returns
    -------
    dict
        ``a`` and ``b`` (the two rates), ``difference`` (``b - a``), ``low``,
        ``high``, ``level``.
    """
    from scipy.stats import norm

    for name, value in (("count_a", count_a), ("n_a", n_a), ("count_b", count_b), ("n_b", n_b)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    if n_a == 0 or n_b == 0 or count_a > n_a or count_b > n_b:
        raise ValueError(f"need 0 <= count <= n and n > 0, found {count_a}/{n_a} and {count_b}/{n_b}")
    _check_bootstrap(10, level)
    a, b = count_a / n_a, count_b / n_b
    half = norm.ppf(0.5 + level / 2) * math.sqrt(a * (1 - a) / n_a + b * (1 - b) / n_b)
    half = float(half)
    return {"a": a, "b": b, "difference": b - a, "low": b - a - half, "high": b - a + half, "level": level}


def difference_table(results, digits=3):
    """Tabulate bootstrap differences: measured, interval, reading.

    Parameters
    ----------
    results : dict
        ``{label: result}`` from :func:`paired_roc_auc_difference` or :func:`roc_auc_change`.
    digits : int, default=3

    Returns
    -------
    pandas.DataFrame
        One row per label: ``before`` (``a``), ``after`` (``b``), ``change``
        (``b - a``), the interval (``90 % interval from``, ``to``) and
        ``reading``: ``"above 0"``, ``"below 0"`` or ``"within noise"``.
    """
    if not isinstance(results, dict) or not results:
        raise ValueError(f"results must be a non-empty dict {{label: result}}, got {type(results).__name__}")
    rows = {}
    for label, result in results.items():
        reading = interval_reading(result)
        rows[label] = {
            "before": round(result["a"], digits),
            "after": round(result["b"], digits),
            "change": round(result["difference"], digits),
            f"{result['level'] * 100:g} % interval from": round(result["low"], digits),
            "to": round(result["high"], digits),
            "reading": reading,
        }
    return pd.DataFrame.from_dict(rows, orient="index")


# --------------------------------------------------------------------------- exercise validators


def validate_entity_counter(function):
    """Self-check for the lesson's parameterized-query exercise.

    ``function(engine, entity_id)`` must return how many log rows the entity
    has. It is run against a fresh in-memory database holding ids with quotes
    and SQL in them.

    Returns
    -------
    None or str
        ``None`` when right, else what is wrong.
    """
    if not callable(function):
        return f"expected a function count_for_entity(engine, entity_id), found {type(function).__name__}"
    engine = sa.create_engine("sqlite://")
    _install_sqlite_hooks(engine)
    try:
        create_schema(engine)
        tricky = ["1'); DROP TABLE predictions;--", "O'Brien", "plain-42"]
        rows = [
            {
                "entity_id": entity,
                "model_version": f"v{k}",
                "prediction_value": 0,
                "probability_score": 0.1,
                "feature_hash": "abc",
                "created_at": pd.Timestamp("2026-01-01") + pd.Timedelta(minutes=k),
            }
            for entity, copies in zip(tricky, (2, 1, 3))
            for k in range(copies)
        ]
        log_predictions(engine, rows)
        expected = {"1'); DROP TABLE predictions;--": 2, "O'Brien": 1, "plain-42": 3, "nobody": 0}
        for entity, count in expected.items():
            try:
                found = function(engine, entity)
            except Exception as error:
                return (
                    f"count_for_entity(engine, {entity!r}) raised {type(error).__name__}: {error}"
                    " — are you pasting the id into the SQL text instead of binding it?"
                )
            if count_rows(engine, "predictions") != 6:
                return f"after counting {entity!r} the predictions table changed: the id ran as SQL"
            if isinstance(found, bool) or not isinstance(found, (int, np.integer)) or int(found) != count:
                return f"count_for_entity(engine, {entity!r}) returned {found!r}, expected {count}"
        return None
    finally:
        engine.dispose()


def validate_dedup_function(function):
    """Self-check for the lesson's batch de-duplication exercise.

    ``function(frame)`` must keep one row per ``entity_id``: the one with the
    latest ``created_at``, the later row on ties.

    Returns
    -------
    None or str
    """
    if not callable(function):
        return f"expected a function keep_latest(frame), found {type(function).__name__}"
    t = pd.Timestamp("2026-01-01")
    frame = pd.DataFrame(
        {
            "entity_id": ["a", "b", "a", "c", "b", "a"],
            "model_version": ["v1", "v1", "v2", "v1", "v2", "v3"],
            "created_at": [t, t, t + pd.Timedelta("1h"), t, t, t + pd.Timedelta("30min")],
            "probability_score": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
        }
    )
    try:
        result = function(frame.copy())
    except Exception as error:
        return f"keep_latest(frame) raised {type(error).__name__}: {error}"
    if not isinstance(result, pd.DataFrame):
        return f"keep_latest must return a DataFrame, found {type(result).__name__}"
    if "entity_id" not in result.columns or "model_version" not in result.columns:
        return f"the result lost columns; found {list(result.columns)}"
    if result["entity_id"].duplicated().any():
        return "an entity_id still appears more than once"
    chosen = dict(zip(result["entity_id"], result["model_version"]))
    expected = {"a": "v2", "b": "v2", "c": "v1"}
    if chosen != expected:
        return f"kept versions {chosen}, expected {expected} (latest created_at wins, the later row on a tie)"
    return None
