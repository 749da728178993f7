"""The shipped data set: checksums, byte-for-byte regeneration, the data card, the loader's errors."""

import re

import numpy as np
import pandas as pd
import pytest

from forge_lessons import data
from forge_lessons.course import DATA_DIR

CARD = (DATA_DIR / "README.md").read_text()


def test_shipped_files_match_their_checksums():
    assert data.verify_checksums() == {name: None for name in data.FILES.values()}


def test_generator_reproduces_the_shipped_files_byte_for_byte(tmp_path):
    data.write_data(tmp_path)
    for name in list(data.FILES.values()) + [data.CHECKSUM_FILE]:
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), name


def test_data_card_lists_every_generator_parameter_with_its_value():
    for name, value in data.PARAMS.items():
        assert re.search(rf"\| `{name}` \| {re.escape(str(value))} \|", CARD), f"{name}={value} missing from card"


def test_data_card_figures_are_the_files_figures():
    dev = data.load_transactions("development")
    prod = data.load_transactions("production")
    assert f"| {len(dev):,} |".replace(",", " ") in CARD
    assert f"{dev.is_fraud.mean():.2%} ({dev.is_fraud.sum()} frauds)".replace("%", " %") in CARD
    assert f"{prod.is_fraud.mean():.2%} ({prod.is_fraud.sum()} frauds)".replace("%", " %") in CARD
    assert f"{dev.customer_id.nunique():,}".replace(",", " ") + ", all seen before 2026" in CARD
    new_share = (~prod.customer_id.isin(dev.customer_id)).mean()
    assert f"{new_share:.0%}".replace("%", " %") + " of the rows come from customers absent" in CARD
    assert f"{dev.duplicated().sum()} duplicate rows in\n   development, {prod.duplicated().sum()} in production" in CARD


def test_periods_have_the_documented_shape():
    dev = data.load_transactions("development")
    prod = data.load_transactions("production")
    assert list(dev.columns) == list(data.SCHEMA)
    assert 0.015 < dev.is_fraud.mean() < 0.025
    assert dev.timestamp.max() < prod.timestamp.min()
    assert dev.timestamp.is_monotonic_increasing and prod.timestamp.is_monotonic_increasing
    assert dev.loc[dev.channel == "online", "distance_from_home_km"].isna().all()
    assert pd.api.types.is_datetime64_any_dtype(dev.timestamp)


def test_quick_profile_keeps_whole_customers_in_time_order():
    full = data.load_transactions("development")
    quick = data.load_transactions("development", profile="quick", seed=3)
    assert 0.2 * len(full) < len(quick) < 0.4 * len(full)
    kept = quick.customer_id.unique()
    assert len(full[full.customer_id.isin(kept)]) == len(quick)
    assert quick.timestamp.is_monotonic_increasing
    other = data.load_transactions("development", profile="quick", seed=4)
    assert set(other.customer_id) != set(kept)


def test_split_features_separates_the_label():
    X, y = data.split_features(data.load_transactions("production", profile="quick"))
    assert data.TARGET not in X.columns and set(np.unique(y)) == {0, 1}


@pytest.fixture
def dev_csv_text():
    return (DATA_DIR / data.FILES["development"]).read_text()


def _write(tmp_path, text, name="bad.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_missing_file_names_the_file_and_the_fix(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"nope\.csv.*forge_lessons data"):
        data.read_transactions(tmp_path / "nope.csv")


def test_empty_file_is_reported(tmp_path):
    with pytest.raises(data.DataError, match=r"bad\.csv: the file is empty; expected a CSV header"):
        data.read_transactions(_write(tmp_path, ""))


def test_header_only_file_is_reported(tmp_path, dev_csv_text):
    with pytest.raises(data.DataError, match="header but no rows"):
        data.read_transactions(_write(tmp_path, dev_csv_text.splitlines()[0] + "\n"))


def test_missing_column_names_the_column_and_the_expected_columns(tmp_path, dev_csv_text):
    frame = pd.read_csv(pd.io.common.StringIO(dev_csv_text)).drop(columns=["amount"])
    path = tmp_path / "bad.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(data.DataError, match=r"bad\.csv: missing column\(s\) \['amount'\]; expected columns"):
        data.read_transactions(path)


def test_wrong_type_names_file_column_value_and_line(tmp_path, dev_csv_text):
    lines = dev_csv_text.splitlines()
    fields = lines[5].split(",")
    fields[3] = "twelve"
    lines[5] = ",".join(fields)
    with pytest.raises(data.DataError, match=r"bad\.csv: column 'amount' should be numeric \(float\), found 'twelve' at line 6"):
        data.read_transactions(_write(tmp_path, "\n".join(lines) + "\n"))


def test_bad_timestamp_is_reported(tmp_path, dev_csv_text):
    lines = dev_csv_text.splitlines()
    fields = lines[2].split(",")
    fields[2] = "yesterday"
    lines[2] = ",".join(fields)
    with pytest.raises(data.DataError, match=r"column 'timestamp' should be a timestamp.*'yesterday' at line 3"):
        data.read_transactions(_write(tmp_path, "\n".join(lines) + "\n"))


def test_truncated_file_is_reported(tmp_path, dev_csv_text):
    cut = dev_csv_text[: len(dev_csv_text) // 2]
    cut = cut[: cut.rfind(",")]  # the last row loses its trailing fields
    with pytest.raises(data.DataError, match=r"must not be empty, found an empty value at line \d+ \(a truncated"):
        data.read_transactions(_write(tmp_path, cut))


def test_label_outside_zero_one_is_reported(tmp_path, dev_csv_text):
    lines = dev_csv_text.splitlines()
    lines[1] = lines[1][: lines[1].rfind(",")] + ",2"
    with pytest.raises(data.DataError, match=r"'is_fraud' should hold 0 or 1, found \[0, 1, 2\]"):
        data.read_transactions(_write(tmp_path, "\n".join(lines) + "\n"))


def test_binary_garbage_is_reported(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\xff\xfe\x00garbage\x00\x81")
    with pytest.raises(data.DataError, match=r"bad\.csv"):
        data.read_transactions(path)


def test_altered_file_fails_its_checksum(tmp_path):
    data.write_data(tmp_path)
    path = tmp_path / data.FILES["production"]
    path.write_text(path.read_text().replace(",0\n", ",1\n", 1))
    report = data.verify_checksums(tmp_path)
    assert report[data.FILES["development"]] is None
    assert "differs from its checksum" in report[data.FILES["production"]]


def test_bad_period_and_profile_are_usage_errors():
    with pytest.raises(ValueError, match="period must be one of"):
        data.load_transactions("staging")
    with pytest.raises(ValueError, match="profile must be"):
        data.load_transactions("development", profile="slow")
