"""Unit tests of forge_lessons.tracking, on SQLite always and on PostgreSQL when a server is given.

PostgreSQL tests need ``FORGE_LESSONS_POSTGRES_URL`` (``.ci/start_postgres.sh``
prints it). Without it they are skipped on a developer's machine and FAIL in
CI (``CI=true``), so a CI run cannot pass while silently skipping them.
"""

import os
import socket
import subprocess
import sys
import textwrap
import time
import uuid

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from forge_lessons import tracking

# The fail-fast tests check that a bad address or a silent server does not hang (the operating
# system's own connect timeout is about two minutes; a silent server waits forever). The bound is
# loose because the test suite shares two cores with notebook executions.
NO_HANG_SECONDS = 30
T0 = pd.Timestamp("2026-01-01")


def with_search_path(url, schema):
    return sa.engine.make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A URL of an empty database: a SQLite file, or a fresh PostgreSQL schema dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'log.sqlite'}"
        return
    url = request.getfixturevalue("postgres_url")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(tracking._parse_url(url, None))
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield with_search_path(url, schema).render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture
def engine(db_url):
    engine = tracking.connect(db_url)
    tracking.create_schema(engine)
    yield engine
    engine.dispose()


def batch(n=5, version="v1", start=0, offset="0s", **overrides):
    frame = pd.DataFrame(
        {
            "entity_id": [f"e{i:04d}" for i in range(start, start + n)],
            "model_version": version,
            "prediction_value": [i % 2 for i in range(n)],
            "probability_score": np.linspace(0.05, 0.95, n),
            "feature_hash": "0123456789abcdef",
            "created_at": T0 + pd.Timedelta(offset) + pd.to_timedelta(np.arange(n), unit="min"),
        }
    )
    for column, value in overrides.items():
        frame[column] = value
    return frame


def read(engine, table):
    with engine.connect() as conn:
        return pd.read_sql(sa.select(table), conn)


# --------------------------------------------------------------------------- connecting


def test_empty_url_means_a_sqlite_file_whose_folder_is_created(tmp_path):
    target = tmp_path / "new" / "folder" / "log.sqlite"
    engine = tracking.connect("", default_path=target)
    try:
        assert engine.dialect.name == "sqlite"
        tracking.create_schema(engine)
        assert target.is_file()
        assert "SQLite file" in tracking.describe(engine) and "WAL" in tracking.describe(engine)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == tracking.SQLITE_BUSY_TIMEOUT_MS
    finally:
        engine.dispose()


def test_describe_hides_the_postgres_password(postgres_url):
    url = postgres_url
    engine = tracking.connect(url)
    try:
        password = sa.engine.make_url(url).password
        text = tracking.describe(engine)
        assert text.startswith("PostgreSQL at ") and "***" in text
        assert not password or password not in text
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "url, error, words",
    [
        ("not a url at all", tracking.DatabaseURLError, "could not parse"),
        ("mysql://user:pw@127.0.0.1/db", tracking.DatabaseURLError, "supports sqlite and postgresql"),
        ("postgresql+asyncpg://u:pw@127.0.0.1/db", tracking.DatabaseURLError, "psycopg"),
        ("postgresql+psycopg://u:pw@127.0.0.1:notaport/db", tracking.DatabaseURLError, "could not parse"),
        ("postgresql+psycopg:///db", tracking.DatabaseURLError, "names no host"),
        ("sqlite:////no/such/folder/log.sqlite", tracking.DatabaseUnavailable, "does not exist"),
        (42, tracking.DatabaseURLError, "must be a string"),
    ],
)
def test_bad_urls_fail_fast_with_a_clear_message(url, error, words):
    start = time.perf_counter()
    with pytest.raises(error, match=words) as caught:
        tracking.connect(url, timeout=2)
    assert time.perf_counter() - start < NO_HANG_SECONDS
    assert "pw" not in str(caught.value).replace("psycopg", "")


def test_refused_connection_fails_within_seconds_without_leaking_the_password():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    start = time.perf_counter()
    with pytest.raises(tracking.DatabaseUnavailable, match="could not connect") as caught:
        tracking.connect(f"postgresql+psycopg://someone:s3cret@127.0.0.1:{port}/db", timeout=2)
    assert time.perf_counter() - start < NO_HANG_SECONDS
    assert "s3cret" not in str(caught.value) and "***" in str(caught.value)


def test_server_that_never_answers_times_out_within_the_timeout():
    # A socket that accepts TCP connections (the kernel's backlog) but never speaks.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        start = time.perf_counter()
        with pytest.raises(tracking.DatabaseUnavailable, match="waited at most 2 s"):
            tracking.connect(f"postgresql+psycopg://someone:pw@127.0.0.1:{port}/db", timeout=2)
        elapsed = time.perf_counter() - start
    assert elapsed < NO_HANG_SECONDS, f"took {elapsed:.1f} s"


def test_postgresql_scheme_without_driver_uses_psycopg():
    url = tracking._parse_url("postgresql://u:pw@127.0.0.1:5432/db", None)
    assert url.drivername == "postgresql+psycopg"


@pytest.mark.parametrize("timeout", [0, -1, "5", True, 1000])
def test_connect_rejects_bad_timeouts(timeout, tmp_path):
    with pytest.raises(ValueError, match="timeout"):
        tracking.connect("", default_path=tmp_path / "x.sqlite", timeout=timeout)


def test_functions_reject_things_that_are_not_engines():
    with pytest.raises(TypeError, match="SQLAlchemy Engine"):
        tracking.log_predictions("sqlite:///x.db", batch())


# --------------------------------------------------------------------------- schema


def test_schema_is_idempotent_and_drop_existing_empties_it(engine):
    tracking.log_predictions(engine, batch())
    tracking.create_schema(engine)  # again: keeps the rows
    assert tracking.count_rows(engine, "predictions") == 5
    names = tracking.create_schema(engine, drop_existing=True)
    assert set(names) == {"predictions", "latest_predictions", "outcomes", "latest_prediction_view"}
    assert tracking.count_rows(engine, "predictions") == 0
    assert tracking.count_rows(engine, "latest_prediction_view") == 0


def test_schema_sql_is_the_dialects_ddl(engine):
    ddl = tracking.schema_sql(engine)
    assert "CREATE TABLE predictions" in ddl and "CREATE TABLE outcomes" in ddl
    assert "uq_predictions_entity_version_time" in ddl
    view = "CREATE OR REPLACE VIEW" if engine.dialect.name == "postgresql" else "CREATE VIEW IF NOT EXISTS"
    assert view in ddl


def test_count_rows_rejects_unknown_tables(engine):
    with pytest.raises(ValueError, match="unknown table 'users'"):
        tracking.count_rows(engine, "users")


# --------------------------------------------------------------------------- logging


def test_batch_round_trips_exactly(engine):
    rows = batch(7)
    assert tracking.log_predictions(engine, rows) == 7
    stored = read(engine, tracking.predictions).sort_values("entity_id").reset_index(drop=True)
    assert stored["entity_id"].tolist() == rows["entity_id"].tolist()
    assert stored["prediction_value"].tolist() == rows["prediction_value"].tolist()
    assert np.array_equal(stored["probability_score"].to_numpy(), rows["probability_score"].to_numpy())
    assert (pd.to_datetime(stored["created_at"]) == rows["created_at"]).all()


def test_a_list_of_dicts_with_integer_ids_and_aware_times_is_accepted(engine):
    records = [
        {
            "entity_id": 17,
            "model_version": "v1",
            "prediction_value": True,
            "probability_score": 0.25,
            "feature_hash": "abc",
            "created_at": pd.Timestamp("2026-01-01 01:00", tz="Europe/Berlin"),
        }
    ]
    tracking.log_predictions(engine, records)
    stored = read(engine, tracking.predictions)
    assert stored.loc[0, "entity_id"] == "17"
    assert stored.loc[0, "prediction_value"] == 1
    assert pd.Timestamp(stored.loc[0, "created_at"]) == pd.Timestamp("2026-01-01 00:00")  # stored as UTC


def test_hostile_ids_are_stored_verbatim(engine):
    hostile = ["1'); DROP TABLE predictions;--", "O'Brien", 'x" OR "1"="1', "Robert'); --\n"]
    tracking.log_predictions(engine, batch(len(hostile), entity_id=hostile, model_version="v'1"))
    stored = read(engine, tracking.predictions)
    assert sorted(stored["entity_id"]) == sorted(hostile)
    assert set(stored["model_version"]) == {"v'1"}
    assert tracking.count_rows(engine, "predictions") == len(hostile)


def test_invalid_row_in_the_middle_is_named_and_nothing_is_written(engine):
    rows = batch(9)
    rows.loc[6, "probability_score"] = 1.7
    with pytest.raises(tracking.BatchError, match=r"row 6 \(entity_id='e0006'\).*between 0 and 1.*1\.7") as caught:
        tracking.log_predictions(engine, rows)
    assert caught.value.row == 6
    assert "nothing of this batch was written" in str(caught.value)
    assert tracking.count_rows(engine, "predictions") == 0


def test_database_refusal_in_the_middle_is_named_and_rolled_back(engine):
    tracking.log_predictions(engine, batch(3))  # e0000..e0002 of v1
    rows = pd.concat([batch(40, start=100), batch(1, start=1, offset="1min"), batch(40, start=200)], ignore_index=True)
    with pytest.raises(tracking.BatchError, match=r"row 40 \(entity_id='e0001'\): the database refused it") as caught:
        tracking.log_predictions(engine, rows)
    assert caught.value.row == 40
    assert tracking.count_rows(engine, "predictions") == 3


def test_repeated_key_within_a_batch_names_both_rows(engine):
    rows = pd.concat([batch(4), batch(1, start=2, offset="2min")], ignore_index=True)
    with pytest.raises(tracking.BatchError, match=r"row 4 .*repeats the key .* of row 2"):
        tracking.log_predictions(engine, rows)
    assert tracking.count_rows(engine, "predictions") == 0


@pytest.mark.parametrize(
    "column, value, words",
    [
        ("probability_score", np.nan, "between 0 and 1"),
        ("probability_score", -0.1, "between 0 and 1"),
        ("probability_score", "0.5", "between 0 and 1"),
        ("probability_score", True, "between 0 and 1"),
        ("prediction_value", 2, "must be 0 or 1"),
        ("prediction_value", "yes", "must be 0 or 1"),
        ("entity_id", "", "1 to 200 characters"),
        ("entity_id", None, "found a missing value"),
        ("entity_id", 1.5, "must be a string"),
        ("model_version", "x" * 65, "1 to 64 characters"),
        ("created_at", "not a time", "must be a timestamp"),
        ("created_at", None, "must be a timestamp"),
    ],
)
def test_each_kind_of_bad_value_is_reported(column, value, words, tmp_path):
    rows = batch(3)
    rows[column] = rows[column].astype(object)
    rows.at[1, column] = value
    with pytest.raises(tracking.BatchError, match=rf"row 1 .*{words}"):
        tracking.validate_predictions(rows)


def test_missing_columns_and_wrong_input_types_are_explained():
    with pytest.raises(ValueError, match=r"lack column\(s\) \['feature_hash'\]"):
        tracking.validate_predictions(batch().drop(columns="feature_hash"))
    with pytest.raises(TypeError, match="DataFrame or a list of dicts"):
        tracking.validate_predictions(42)


def test_empty_batch_writes_nothing(engine):
    assert tracking.log_predictions(engine, batch(0)) == 0
    assert tracking.upsert_latest(engine, batch(0)) == 0


def test_delete_model_version(engine):
    tracking.log_predictions(engine, batch(4, version="keep"))
    tracking.log_predictions(engine, batch(3, version="drop"))
    assert tracking.delete_model_version(engine, "drop") == 3
    assert tracking.count_rows(engine, "predictions") == 4
    with pytest.raises(ValueError, match="non-empty string"):
        tracking.delete_model_version(engine, "")


def test_insert_sql_uses_the_drivers_placeholders(engine):
    sql = tracking.insert_sql(engine)
    mark = "?" if engine.dialect.name == "sqlite" else "%s"
    assert sql.startswith("INSERT INTO predictions (entity_id,") and sql.count(mark) == 6


# --------------------------------------------------------------------------- upserts and the view

SOURCE_UPSERT = """
INSERT INTO latest_predictions
    (entity_id, model_version, prediction_value, probability_score, feature_hash, created_at)
VALUES (:entity_id, :model_version, :prediction_value, :probability_score, :feature_hash, :created_at)
ON CONFLICT (entity_id) DO UPDATE SET
    prediction_value = excluded.prediction_value,
    probability_score = excluded.probability_score,
    created_at = excluded.created_at
"""


def retrain_story(engine, sql):
    v1 = batch(6, version="v1")
    v2 = batch(4, version="v2", offset="1D").assign(probability_score=0.5)
    tracking.log_predictions(engine, v1)
    tracking.log_predictions(engine, v2)
    tracking.upsert_latest(engine, v1, sql=sql)
    tracking.upsert_latest(engine, v2, sql=sql)


def test_the_source_upsert_leaves_stale_versions(engine):
    retrain_story(engine, SOURCE_UPSERT)
    assert tracking.stale_version_rows(engine) == 4
    latest = read(engine, tracking.latest_predictions).set_index("entity_id")
    assert latest.loc["e0000", "model_version"] == "v1" and latest.loc["e0000", "probability_score"] == 0.5


def test_the_corrected_upsert_keeps_versions_true_and_matches_the_view(engine):
    retrain_story(engine, tracking.UPSERT_LATEST_SQL)
    assert tracking.stale_version_rows(engine) == 0
    latest = read(engine, tracking.latest_predictions).sort_values("entity_id").reset_index(drop=True)
    view = read(engine, tracking.latest_prediction_view).sort_values("entity_id").reset_index(drop=True)
    assert latest["model_version"].tolist() == ["v2"] * 4 + ["v1"] * 2
    columns = ["entity_id", "model_version", "probability_score", "created_at"]
    pd.testing.assert_frame_equal(latest[columns], view[columns], check_dtype=False)


def test_an_older_prediction_arriving_late_does_not_overwrite_a_newer_one(engine):
    tracking.upsert_latest(engine, batch(2, version="v2", offset="1D"))
    tracking.upsert_latest(engine, batch(2, version="v1"))
    assert set(read(engine, tracking.latest_predictions)["model_version"]) == {"v2"}


def test_a_batch_naming_a_key_twice_is_deduplicated_latest_wins(engine):
    rows = pd.concat(
        [batch(3, version="old"), batch(3, version="new", offset="1h"), batch(3, version="old")], ignore_index=True
    )
    assert tracking.upsert_latest(engine, rows) == 3  # PostgreSQL would refuse the duplicates in one statement
    assert set(read(engine, tracking.latest_predictions)["model_version"]) == {"new"}


def test_upsert_refuses_statements_without_named_parameters(engine):
    with pytest.raises(ValueError, match="named parameters"):
        tracking.upsert_latest(engine, batch(), sql="INSERT INTO latest_predictions VALUES (?, ?)")


def test_view_breaks_ties_by_the_later_version(engine):
    tracking.log_predictions(engine, batch(3, version="fraud-lr-2025-07-01"))
    tracking.log_predictions(engine, batch(3, version="fraud-lr-2026-01-01"))
    view = read(engine, tracking.latest_prediction_view)
    assert set(view["model_version"]) == {"fraud-lr-2026-01-01"} and len(view) == 3


def test_deduplicate_latest_keeps_the_later_row_on_ties():
    t = pd.Timestamp("2026-01-01")
    frame = pd.DataFrame(
        {"entity_id": ["a", "a", "b", "a"], "created_at": [t, t + pd.Timedelta("1h"), t, t + pd.Timedelta("1h")], "n": [1, 2, 3, 4]}
    )
    kept = tracking.deduplicate_latest(frame)
    assert kept["n"].tolist() == [3, 4]
    with pytest.raises(ValueError, match="column 'time' is missing"):
        tracking.deduplicate_latest(frame, order="time")
    with pytest.raises(TypeError, match="expected a DataFrame"):
        tracking.deduplicate_latest([1, 2])


def test_outcomes_are_upserted(engine):
    first = pd.DataFrame({"entity_id": ["a", "b"], "label": [0, 1], "observed_at": [T0, T0]})
    tracking.record_outcomes(engine, first)
    tracking.record_outcomes(engine, first.iloc[[0]].assign(label=1, observed_at=T0 + pd.Timedelta("1D")))
    stored = read(engine, tracking.outcomes).set_index("entity_id")
    assert stored.loc["a", "label"] == 1 and stored.loc["b", "label"] == 1
    with pytest.raises(tracking.BatchError, match="label must be 0 or 1"):
        tracking.record_outcomes(engine, first.assign(label=[0, 3]))


# --------------------------------------------------------------------------- back-testing


def backtest_fixture(engine):
    rng = np.random.default_rng(0)
    frames = []
    for version, months in [("v1", ["2025-11", "2025-12", "2026-01"]), ("v2", ["2026-01"])]:
        for month in months:
            n = 40
            frames.append(
                pd.DataFrame(
                    {
                        "entity_id": [f"{month}-{i}" for i in range(n)],
                        "model_version": version,
                        "probability_score": rng.random(n),
                        "feature_hash": "f",
                        "created_at": pd.Timestamp(f"{month}-03") + pd.to_timedelta(np.arange(n), unit="h"),
                    }
                )
            )
    log = pd.concat(frames, ignore_index=True)
    log["prediction_value"] = (log["probability_score"] > 0.7).astype(int)
    tracking.log_predictions(engine, log)
    entities = log["entity_id"].unique()
    labels = pd.DataFrame(
        {
            "entity_id": entities,
            "label": (rng.random(len(entities)) < 0.3).astype(int),
            "observed_at": [pd.Timestamp(e[:7] + "-20") for e in entities],
        }
    )
    tracking.record_outcomes(engine, labels)
    return log.merge(labels, on="entity_id")


def test_backtest_matches_a_pandas_reference(engine):
    joined = backtest_fixture(engine)
    joined["month"] = joined["created_at"].dt.strftime("%Y-%m")
    result = tracking.backtest(engine).set_index(["model_version", "month"])
    assert len(result) == 4
    for (version, month), group in joined.groupby(["model_version", "month"]):
        row = result.loc[(version, month)]
        flagged = group["prediction_value"] == 1
        hits = int((flagged & (group["label"] == 1)).sum())
        assert row["n"] == len(group)
        assert row["frauds"] == group["label"].sum()
        assert row["true_positives"] == hits
        assert row["precision"] == pytest.approx(hits / flagged.sum())
        assert row["recall"] == pytest.approx(hits / group["label"].sum())
        assert row["mean_score"] == pytest.approx(group["probability_score"].mean())
        assert row["brier"] == pytest.approx(((group["probability_score"] - group["label"]) ** 2).mean())
        assert row["calibration_gap"] == pytest.approx(group["label"].mean() - group["probability_score"].mean())


def test_backtest_as_of_and_versions_filter(engine):
    backtest_fixture(engine)
    assert tracking.backtest(engine, as_of="2025-12-01")["month"].tolist() == ["2025-11"]
    assert set(tracking.backtest(engine, versions=["v2"])["model_version"]) == {"v2"}
    assert tracking.backtest(engine, as_of=pd.Timestamp("2025-01-01", tz="UTC")).empty
    with pytest.raises(ValueError, match="as_of must be a timestamp"):
        tracking.backtest(engine, as_of="soon")
    with pytest.raises(ValueError, match="list of model_version strings"):
        tracking.backtest(engine, versions="v1")


def test_rollup_is_exact_and_log_summary_needs_no_outcomes(engine):
    joined = backtest_fixture(engine)
    monthly = tracking.backtest(engine)
    periods = tracking.rollup(monthly, {"all": ("2025-01", "2026-12")}).set_index("model_version")
    v1 = joined[joined["model_version"] == "v1"]
    assert periods.loc["v1", "n"] == len(v1)
    assert periods.loc["v1", "mean_score"] == pytest.approx(v1["probability_score"].mean())
    assert periods.loc["v1", "fraud_rate"] == pytest.approx(v1["label"].mean())
    with engine.begin() as conn:
        conn.execute(sa.delete(tracking.outcomes))
    summary = tracking.log_summary(engine)
    assert summary["n"].sum() == len(joined) and "alert_rate" in summary and "fraud_rate" not in summary
    rolled = tracking.rollup(summary, {"all": ("2025-01", "2026-12")}).set_index("model_version")
    assert rolled.loc["v1", "alert_rate"] == pytest.approx(v1["prediction_value"].mean())
    with pytest.raises(ValueError, match="no month"):
        tracking.rollup(monthly, {"none": ("2030-01", "2030-02")})
    with pytest.raises(ValueError, match="returned by backtest"):
        tracking.rollup(pd.DataFrame({"x": [1]}), {"all": ("2025-01", "2026-12")})


def test_backtest_rows_are_the_joined_rows(engine):
    joined = backtest_fixture(engine)
    rows = tracking.backtest_rows(engine)
    assert len(rows) == len(joined)
    assert list(rows.columns) == ["model_version", "month", "entity_id", "probability_score", "prediction_value", "label"]



def test_compare_latest_finds_entities_where_table_and_view_differ(engine):
    rows = batch(4)
    tracking.log_predictions(engine, rows)
    tracking.upsert_latest(engine, rows)
    assert tracking.compare_latest(engine) == {"table_rows": 4, "view_rows": 4, "differing": 0}
    # the forgetful upsert of the source material: the table now lies about one entity's version
    newer = batch(1, version="v2", offset="1D")
    tracking.log_predictions(engine, newer)
    forgetful = tracking.UPSERT_LATEST_SQL.replace("    model_version     = excluded.model_version,\n", "")
    tracking.upsert_latest(engine, newer, sql=forgetful)
    assert tracking.compare_latest(engine)["differing"] == 1
    tracking.log_predictions(engine, batch(1, start=10))  # in the log (and the view) only
    assert tracking.compare_latest(engine) == {"table_rows": 4, "view_rows": 5, "differing": 2}
    with pytest.raises(TypeError, match="SQLAlchemy Engine"):
        tracking.compare_latest("sqlite://")


def test_pick_reads_one_cell_of_a_rollup():
    table = pd.DataFrame({"model_version": ["v1", "v1"], "period": ["a", "b"], "n": [3, 4]})
    assert tracking.pick(table, "v1", "b", "n") == 4.0
    with pytest.raises(ValueError, match=r"expected one row for \('v2', 'a'\), found 0"):
        tracking.pick(table, "v2", "a", "n")
    with pytest.raises(ValueError, match="column 'brier' is missing"):
        tracking.pick(table, "v1", "a", "brier")
    with pytest.raises(TypeError, match="DataFrame"):
        tracking.pick([1], "v1", "a", "n")


def test_work_folder_separates_profiles_seeds_and_databases():
    a = tracking.work_folder("lesson_test", "quick", 1)
    b = tracking.work_folder("lesson_test", "quick", 1, "postgresql+psycopg://u:secret@h/db")
    try:
        assert a.is_dir() and a.name == "quick-seed1"
        assert b.name.startswith("quick-seed1-") and "secret" not in str(b)
        assert tracking.work_folder("lesson_test", "quick", 2) != a
    finally:
        import shutil

        shutil.rmtree(a.parent)
    with pytest.raises(ValueError, match="notebook must be a lesson name"):
        tracking.work_folder("../escape", "quick", 1)
    with pytest.raises(ValueError, match="seed must be an integer"):
        tracking.work_folder("lesson_test", "quick", "1")


def test_roc_auc_interval_matches_sklearn_and_covers_it():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    score = np.round(rng.random(400) + 0.4 * y, 1)  # many ties
    result = tracking.roc_auc_interval(y, score, random_state=0)
    assert result["roc_auc"] == pytest.approx(roc_auc_score(y, score))
    assert result["low"] < result["roc_auc"] < result["high"] and result["resampled"] == "rows"
    grouped = tracking.roc_auc_interval(y, score, groups=np.arange(400) // 10, random_state=0)
    assert grouped["resampled"] == "groups" and grouped["roc_auc"] == result["roc_auc"]
    assert tracking.roc_auc_interval(y, score, random_state=0) == result  # seeded
    with pytest.raises(ValueError, match="only label 0"):
        tracking.roc_auc_interval(np.zeros(5), np.arange(5))
    with pytest.raises(ValueError, match="same length"):
        tracking.roc_auc_interval(y, score[:-1])
    with pytest.raises(ValueError, match="labels must be 0 or 1"):
        tracking.roc_auc_interval(y * 2, score)
    with pytest.raises(ValueError, match="groups must hold one value per row"):
        tracking.roc_auc_interval(y, score, groups=[1, 2])
    with pytest.raises(ValueError, match="n_boot"):
        tracking.roc_auc_interval(y, score, n_boot=3)
    with pytest.raises(ValueError, match="level"):
        tracking.roc_auc_interval(y, score, level=90)


def test_auc_differences_read_a_real_gain_and_noise_correctly():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 600)
    weak = rng.random(600) + 0.2 * y
    strong = rng.random(600) + 1.0 * y
    gain = tracking.paired_roc_auc_difference(y, weak, strong, random_state=0)
    assert gain["difference"] == pytest.approx(gain["b"] - gain["a"]) and gain["difference"] > 0.2
    assert tracking.interval_reading(gain) == "above 0" and gain["share_above_0"] == 1.0
    same = tracking.paired_roc_auc_difference(y, weak, weak + rng.normal(0, 1e-3, 600), random_state=0)
    assert tracking.interval_reading(same) == "within noise"
    drop = tracking.roc_auc_change(y, strong, y[:300], weak[:300], random_state=0)
    assert tracking.interval_reading(drop) == "below 0"
    table = tracking.difference_table({"gain": gain, "drop": drop})
    assert list(table["reading"]) == ["above 0", "below 0"]
    assert list(table.columns) == ["before", "after", "change", "90 % interval from", "to", "reading"]
    with pytest.raises(ValueError, match="expected a result"):
        tracking.interval_reading({"difference": 1})
    with pytest.raises(ValueError, match="non-empty dict"):
        tracking.difference_table({})


def test_rate_change_interval():
    result = tracking.rate_change(219, 4887, 394, 4921)
    assert result["difference"] == pytest.approx(394 / 4921 - 219 / 4887)
    assert 0 < result["low"] < result["difference"] < result["high"]
    assert tracking.interval_reading(tracking.rate_change(50, 1000, 52, 1000)) == "within noise"
    with pytest.raises(ValueError, match="count <= n"):
        tracking.rate_change(5, 3, 1, 10)
    with pytest.raises(ValueError, match="n_a must be a non-negative integer"):
        tracking.rate_change(1, 2.5, 1, 10)

def test_month_of_compiles_for_both_dialects():
    from sqlalchemy.dialects import postgresql, sqlite

    column = tracking.predictions.c.created_at
    assert "strftime('%Y-%m'" in str(tracking.month_of(column).compile(dialect=sqlite.dialect()))
    assert "to_char(predictions.created_at, 'YYYY-MM')" in str(tracking.month_of(column).compile(dialect=postgresql.dialect()))


# --------------------------------------------------------------------------- two writers at once

WRITER = textwrap.dedent(
    """
    import sys, time
    import pandas as pd
    from forge_lessons import tracking

    url, name, batches, size, start_at = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    engine = tracking.connect(url)
    tracking.create_schema(engine)
    while time.time() < start_at:
        time.sleep(0.005)
    for b in range(batches):
        rows = pd.DataFrame({
            "entity_id": [f"{name}-{b}-{i}" for i in range(size)],
            "model_version": name,
            "prediction_value": 0,
            "probability_score": 0.5,
            "feature_hash": "f",
            "created_at": pd.Timestamp("2026-01-01"),
        })
        tracking.log_predictions(engine, rows)
        tracking.upsert_latest(engine, rows)
    print("done", name)
    """
)


def test_two_processes_logging_at_once_lose_no_rows(db_url, tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    batches, size = 25, 40
    start_at = time.time() + 4.0  # both start writing at the same moment
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tracking.REPO_ROOT), os.environ.get("PYTHONPATH", "")])}
    writers = [
        subprocess.Popen(
            [sys.executable, str(script), db_url, name, str(batches), str(size), str(start_at)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        for name in ("alpha", "beta")
    ]
    results = [w.communicate(timeout=120) for w in writers]
    for writer, (out, err) in zip(writers, results):
        assert writer.returncode == 0, err
    engine = tracking.connect(db_url)
    try:
        assert tracking.count_rows(engine, "predictions") == 2 * batches * size
        assert tracking.count_rows(engine, "latest_predictions") == 2 * batches * size
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- exercise validators


def test_validate_entity_counter_accepts_bound_parameters_and_rejects_formatting():
    def good(engine, entity_id):
        with engine.connect() as conn:
            query = sa.text("SELECT COUNT(*) FROM predictions WHERE entity_id = :e")
            return conn.execute(query, {"e": entity_id}).scalar_one()

    def formatted(engine, entity_id):
        with engine.connect() as conn:
            return conn.exec_driver_sql(f"SELECT COUNT(*) FROM predictions WHERE entity_id = '{entity_id}'").scalar_one()

    def wrong(engine, entity_id):
        return 1

    assert tracking.validate_entity_counter(good) is None
    assert "pasting the id" in tracking.validate_entity_counter(formatted)
    assert "expected" in tracking.validate_entity_counter(wrong)
    assert "expected a function" in tracking.validate_entity_counter(3)


def test_validate_dedup_function():
    def good(frame):
        return tracking.deduplicate_latest(frame)

    def first_wins(frame):
        return frame.drop_duplicates("entity_id", keep="first")

    assert tracking.validate_dedup_function(good) is None
    assert "kept versions" in tracking.validate_dedup_function(first_wins)
    assert "must return a DataFrame" in tracking.validate_dedup_function(lambda frame: None)


def test_wrong_database_or_password_on_a_real_server_is_reported_clearly(postgres_url):
    url = sa.engine.make_url(postgres_url)
    for bad, words in [(url.set(database="no_such_database"), "no_such_database"), (url.set(password="wrong-pw"), "password")]:
        start = time.perf_counter()
        with pytest.raises(tracking.DatabaseUnavailable, match=words) as caught:
            tracking.connect(bad.render_as_string(hide_password=False), timeout=2)
        assert time.perf_counter() - start < NO_HANG_SECONDS
        assert "wrong-pw" not in str(caught.value)
