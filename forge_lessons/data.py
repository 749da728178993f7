"""The course's synthetic card-transaction data set: generator, loader, checksums.

The data set has a development period (12 months of 2025, about 10 000 rows)
and a production period (January to March 2026, about 5 000 rows) that
drifts. Every effect the generator injects is listed in ``data/README.md``
with the parameters below; change a parameter and the data card must change
with it (a test compares them).

Regenerate the shipped CSVs byte for byte with ``python -m forge_lessons data``.
"""

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from .course import DATA_DIR

DATA_SEED = 2025
FILES = {"development": "transactions_dev.csv", "production": "transactions_prod.csv"}
CHECKSUM_FILE = "SHA256SUMS"
TARGET = "is_fraud"

# Column name -> kind; "int" and "float" are numeric, "datetime" is parsed from
# ISO text, "category" is free text from a small set. Nullable columns may be empty.
SCHEMA = {
    "transaction_id": "int",
    "customer_id": "int",
    "timestamp": "datetime",
    "amount": "float",
    "merchant_id": "int",
    "merchant_category": "category",
    "country": "category",
    "channel": "category",
    "txn_count_24h": "int",
    "customer_tenure_days": "float",
    "distance_from_home_km": "float",
    "is_fraud": "int",
}
NULLABLE = ("customer_tenure_days", "distance_from_home_km")
NUMERIC_FEATURES = ["amount", "txn_count_24h", "customer_tenure_days", "distance_from_home_km"]
CATEGORICAL_FEATURES = ["merchant_category", "country", "channel"]

# Generator parameters (documented one for one in data/README.md).
PARAMS = {
    "dev_rows": 10_000,
    "prod_rows": 5_000,
    "dev_customers": 1_800,
    "prod_new_customer_share": 0.45,
    "merchants": 600,
    "compromised_customer_share": 0.04,
    "compromised_merchant_share": 0.03,
    "duplicate_share_legit": 0.01,
    "duplicate_share_fraud": 0.15,
    "random_missing_distance": 0.04,
    "missing_tenure": 0.01,
    "base_logit": -5.45,
    "night_effect": 1.2,
    "foreign_effect": 0.9,
    "new_account_effect": 0.8,
    "amount_effect": 0.7,
    "customer_compromised_effect": 2.6,
    "merchant_compromised_effect": 2.2,
    "online_effect_start": 0.6,
    "online_effect_end": 1.4,
    "risky_category_effect": 0.9,
    "fraud_velocity_mean": 1.7,
    "legit_velocity_mean": 0.8,
    # production drift
    "prod_online_effect": 1.2,
    "prod_contactless_effect": 1.1,
    "prod_night_effect": 0.5,
    "prod_risky_category_effect": 0.4,
    "prod_amount_inflation": 1.10,
    "prod_online_share_boost": 0.12,
    "prod_random_missing_distance": 0.10,
}

CATEGORIES = {
    # name: (share of merchants, amount multiplier, risky, popularity weight)
    "grocery": (0.22, 0.7, False, 1.0),
    "restaurants": (0.18, 0.8, False, 1.0),
    "fuel": (0.10, 1.0, False, 1.0),
    "health": (0.08, 0.9, False, 1.0),
    "utilities": (0.06, 1.5, False, 1.0),
    "entertainment": (0.10, 0.9, False, 1.0),
    "travel": (0.08, 3.5, False, 0.6),
    "online_retail": (0.10, 1.2, False, 1.0),
    "electronics": (0.05, 3.0, True, 0.5),
    "gift_cards": (0.03, 1.4, True, 0.2),
}
COUNTRIES = ["DE", "FR", "NL", "ES", "IT", "PL", "US", "SG"]
HOME_COUNTRY_WEIGHTS = [0.35, 0.2, 0.12, 0.1, 0.1, 0.08, 0.03, 0.02]
CHANNELS = ["chip", "contactless", "online", "atm"]


class DataError(ValueError):
    """A data file does not match the course's schema."""


def _customers(rng, first_id, count, open_start, open_end):
    days = (pd.Timestamp(open_end) - pd.Timestamp(open_start)).days
    return pd.DataFrame(
        {
            "customer_id": np.arange(first_id, first_id + count),
            "home": rng.choice(len(COUNTRIES), size=count, p=HOME_COUNTRY_WEIGHTS),
            "opened": pd.Timestamp(open_start) + pd.to_timedelta(rng.integers(0, days, count), unit="D"),
            "typical_amount": np.exp(rng.normal(3.5, 0.6, count)),
            "activity": rng.gamma(2.0, 1.0, count),
            "online_pref": rng.beta(2, 5, count),
            "compromised": rng.random(count) < PARAMS["compromised_customer_share"],
        }
    )


def _merchants(rng):
    names = list(CATEGORIES)
    shares = np.array([CATEGORIES[c][0] for c in names])
    count = PARAMS["merchants"]
    category = rng.choice(len(names), size=count, p=shares / shares.sum())
    weight = np.array([CATEGORIES[c][3] for c in names])[category]
    return pd.DataFrame(
        {
            "merchant_id": np.arange(1, count + 1),
            "category": category,
            "popularity": weight / np.arange(1, count + 1) ** 0.9,
            "compromised": rng.random(count) < PARAMS["compromised_merchant_share"],
        }
    )


def _transactions(rng, customers, merchants, rows, start, end, production):
    """Draw ``rows`` transactions between ``start`` and ``end``."""
    p = PARAMS
    names = list(CATEGORIES)
    weights = customers["activity"].to_numpy()
    cust = customers.iloc[rng.choice(len(customers), size=rows, p=weights / weights.sum())]
    merch_p = merchants["popularity"].to_numpy()
    merch = merchants.iloc[rng.choice(len(merchants), size=rows, p=merch_p / merch_p.sum())]

    span = (pd.Timestamp(end) - pd.Timestamp(start)).days
    day = rng.integers(0, span, rows)
    hour_weights = np.array([2, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 9, 8, 8, 8, 8, 9, 9, 8, 7, 5, 4, 3], float)
    hour = rng.choice(24, size=rows, p=hour_weights / hour_weights.sum())
    seconds = rng.integers(0, 3600, rows)
    timestamp = pd.Timestamp(start) + pd.to_timedelta(day * 86400 + hour * 3600 + seconds, unit="s")

    category = merch["category"].to_numpy()
    multiplier = np.array([CATEGORIES[n][1] for n in names])[category]
    inflation = p["prod_amount_inflation"] if production else 1.0
    typical = cust["typical_amount"].to_numpy()
    amount = np.round(typical * multiplier * inflation * np.exp(rng.normal(0, 0.7, rows)), 2)

    online_share = cust["online_pref"].to_numpy() + (p["prod_online_share_boost"] if production else 0.0)
    online_share = np.clip(online_share, 0, 0.95)
    u = rng.random(rows)
    channel = np.where(
        u < online_share, 2, np.where(u < online_share + 0.06, 3, np.where(rng.random(rows) < 0.5, 1, 0))
    )
    home = cust["home"].to_numpy()
    travel = names.index("travel")
    foreign_p = np.where(category == travel, 0.5, 0.06)
    foreign = rng.random(rows) < foreign_p
    country = np.where(foreign, (home + rng.integers(1, len(COUNTRIES), rows)) % len(COUNTRIES), home)

    tenure = (timestamp - pd.DatetimeIndex(cust["opened"])).days.to_numpy().astype(float)
    tenure = np.maximum(tenure, 0)
    distance = np.where(foreign, rng.gamma(2, 600, rows), rng.gamma(1.2, 8, rows)).round(1)

    # Fraud: a logistic model of the features plus hidden customer and merchant risk.
    night = (hour < 6).astype(float)
    online = (channel == 2).astype(float)
    contactless = (channel == 1).astype(float)
    risky = np.array([CATEGORIES[n][2] for n in names])[category].astype(float)
    if production:
        online_effect = np.full(rows, p["prod_online_effect"])
        night_effect, risky_effect, contactless_effect = (
            p["prod_night_effect"], p["prod_risky_category_effect"], p["prod_contactless_effect"])
    else:
        progress = day / max(span - 1, 1)
        online_effect = p["online_effect_start"] + (p["online_effect_end"] - p["online_effect_start"]) * progress
        night_effect, risky_effect, contactless_effect = p["night_effect"], p["risky_category_effect"], 0.0
    logit = (
        p["base_logit"]
        + night_effect * night
        + online_effect * online
        + contactless_effect * contactless
        + p["foreign_effect"] * foreign
        + risky_effect * risky
        + p["new_account_effect"] * (tenure < 60)
        + p["amount_effect"] * np.clip(np.log(amount / (typical * inflation)), -2, 3)
        + p["customer_compromised_effect"] * cust["compromised"].to_numpy()
        + p["merchant_compromised_effect"] * merch["compromised"].to_numpy()
    )
    is_fraud = (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(int)
    velocity = rng.poisson(np.where(is_fraud == 1, p["fraud_velocity_mean"], p["legit_velocity_mean"]))

    missing_p = p["prod_random_missing_distance"] if production else p["random_missing_distance"]
    distance = np.where((channel == 2) | (rng.random(rows) < missing_p), np.nan, distance)
    tenure = np.where(rng.random(rows) < p["missing_tenure"], np.nan, tenure)

    frame = pd.DataFrame(
        {
            "customer_id": cust["customer_id"].to_numpy(),
            "timestamp": timestamp,
            "amount": amount,
            "merchant_id": merch["merchant_id"].to_numpy(),
            "merchant_category": np.array(names)[category],
            "country": np.array(COUNTRIES)[country],
            "channel": np.array(CHANNELS)[channel],
            "txn_count_24h": velocity,
            "customer_tenure_days": tenure,
            "distance_from_home_km": distance,
            "is_fraud": is_fraud,
        }
    )
    return frame


def _with_retries(rng, frame):
    """Duplicate some rows exactly, as a payment system's retries do."""
    share = np.where(frame["is_fraud"] == 1, PARAMS["duplicate_share_fraud"], PARAMS["duplicate_share_legit"])
    repeated = frame.loc[frame.index.repeat(1 + (rng.random(len(frame)) < share))]
    return repeated.reset_index(drop=True)


def _finish(frame, rows, first_transaction_id, rng):
    frame = frame.sort_values("timestamp", kind="stable").reset_index(drop=True)
    ids = np.arange(first_transaction_id, first_transaction_id + len(frame))
    frame.insert(0, "transaction_id", ids)
    frame = _with_retries(rng, frame).iloc[:rows].reset_index(drop=True)
    return frame[list(SCHEMA)]


def generate(seed=DATA_SEED):
    """Generate the development and production periods.

    Parameters
    ----------
    seed : int
        Seed of the generator. The shipped CSVs use ``DATA_SEED``.

    Returns
    -------
    dict
        ``{"development": DataFrame, "production": DataFrame}``.
    """
    rng = np.random.default_rng(seed)
    p = PARAMS
    merchants = _merchants(rng)
    old = _customers(rng, 1, p["dev_customers"], "2016-01-01", "2025-12-01")
    new_count = int(p["dev_customers"] * p["prod_new_customer_share"])
    new = _customers(rng, p["dev_customers"] + 1, new_count, "2025-10-01", "2026-03-01")

    dev_raw = _transactions(rng, old, merchants, int(p["dev_rows"] * 0.99), "2025-01-01", "2026-01-01", False)
    dev = _finish(dev_raw, p["dev_rows"], 1, rng)

    # Production mixes returning customers with new ones, weighted so that
    # about prod_new_customer_share of the rows come from new customers.
    both = pd.concat([old, new], ignore_index=True)
    boost = np.where(both["customer_id"] > p["dev_customers"], 1.0, 0.0)
    old_total = old["activity"].sum()
    new_total = new["activity"].sum()
    share = p["prod_new_customer_share"]
    scale_new = share / (1 - share) * old_total / new_total
    both["activity"] = both["activity"] * np.where(boost == 1, scale_new, 1.0)
    prod_raw = _transactions(rng, both, merchants, int(p["prod_rows"] * 0.99), "2026-01-01", "2026-04-01", True)
    prod = _finish(prod_raw, p["prod_rows"], int(dev["transaction_id"].max()) + 1, rng)
    return {"development": dev, "production": prod}


def to_csv_text(frame):
    """Serialise a period exactly as the shipped CSV files are written."""
    out = frame.copy()
    out["timestamp"] = out["timestamp"].dt.strftime("%Y-%m-%d %H:%M:%S")
    return out.to_csv(index=False, float_format="%.2f", lineterminator="\n")


def write_data(directory=DATA_DIR, seed=DATA_SEED):
    """Write both CSV files and the checksum file.

    Parameters
    ----------
    directory : path-like
        Target folder (the repository's ``data/`` by default).
    seed : int
        Generator seed.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for period, frame in generate(seed).items():
        path = directory / FILES[period]
        path.write_bytes(to_csv_text(frame).encode("utf-8"))
        written.append(path)
    sums = "".join(f"{sha256(p)}  {p.name}\n" for p in written)
    (directory / CHECKSUM_FILE).write_text(sums)
    return written + [directory / CHECKSUM_FILE]


def sha256(path):
    """Return the hex SHA-256 of a file."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def verify_checksums(directory=DATA_DIR):
    """Compare the data files with ``SHA256SUMS``.

    Returns
    -------
    dict
        ``{file name: None}`` for a match, or a sentence describing the mismatch.
    """
    directory = Path(directory)
    listing = directory / CHECKSUM_FILE
    if not listing.exists():
        raise DataError(f"{listing}: checksum file is missing; run `python -m forge_lessons data`")
    result = {}
    for line in listing.read_text().splitlines():
        expected, name = line.split(maxsplit=1)
        path = directory / name
        if not path.exists():
            result[name] = f"{path} is missing"
        elif sha256(path) != expected:
            result[name] = f"{path} differs from its checksum (expected {expected[:12]}…, found {sha256(path)[:12]}…)"
        else:
            result[name] = None
    return result


def _validate(frame, path):
    """Check columns and types; return the frame with parsed types."""
    missing = [c for c in SCHEMA if c not in frame.columns]
    if missing:
        raise DataError(
            f"{path}: missing column(s) {missing}; expected columns {list(SCHEMA)}, found {list(frame.columns)}"
        )
    for column, kind in SCHEMA.items():
        values = frame[column]
        blank = values.isna()
        if blank.any() and column not in NULLABLE:
            line = int(np.flatnonzero(blank.to_numpy())[0]) + 2
            raise DataError(
                f"{path}: column '{column}' must not be empty, found an empty value at line {line}"
                " (a truncated or hand-edited file?)"
            )
        if kind in ("int", "float"):
            parsed = pd.to_numeric(values, errors="coerce")
            bad = parsed.isna() & ~blank
            if bad.any():
                row = int(np.flatnonzero(bad.to_numpy())[0])
                raise DataError(
                    f"{path}: column '{column}' should be numeric ({kind}), found {values.iloc[row]!r} at line {row + 2}"
                )
            if kind == "int" and not blank.any():
                if not np.all(np.mod(parsed, 1) == 0):
                    raise DataError(f"{path}: column '{column}' should hold whole numbers, found fractions")
                parsed = parsed.astype("int64")
            frame[column] = parsed
        elif kind == "datetime":
            parsed = pd.to_datetime(values, errors="coerce", format="%Y-%m-%d %H:%M:%S")
            bad = parsed.isna()
            if bad.any():
                row = int(np.flatnonzero(bad.to_numpy())[0])
                raise DataError(
                    f"{path}: column '{column}' should be a timestamp like 2025-03-01 14:05:00,"
                    f" found {values.iloc[row]!r} at line {row + 2}"
                )
            frame[column] = parsed
        else:
            frame[column] = values.astype(str)
    labels = {int(v) for v in frame[TARGET].unique()}
    if not labels <= {0, 1}:
        raise DataError(f"{path}: column '{TARGET}' should hold 0 or 1, found {sorted(labels)}")
    return frame[list(SCHEMA)]


def read_transactions(path):
    """Read and validate one transactions CSV file.

    Parameters
    ----------
    path : path-like

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    FileNotFoundError
        The file does not exist.
    DataError
        The file is empty, malformed, or does not match :data:`SCHEMA`.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such data file; run `python -m forge_lessons data` to regenerate it")
    if path.stat().st_size == 0:
        raise DataError(f"{path}: the file is empty; expected a CSV header with columns {list(SCHEMA)}")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise DataError(f"{path}: not a readable CSV file ({error})") from error
    if frame.empty:
        raise DataError(f"{path}: the file has a header but no rows")
    return _validate(frame, path)


def load_transactions(period="development", profile="full", seed=DATA_SEED, directory=DATA_DIR):
    """Load one period of the course's data, validated.

    Parameters
    ----------
    period : {"development", "production"}
    profile : {"quick", "full"}
        ``"quick"`` keeps the transactions of a random 30 % of the customers
        (all their rows, so customers stay whole), in time order. The sample
        is drawn separately for each period, so in the quick profile most
        production customers look new; compare returning and new customers
        on the full profile only.
    seed : int
        Chooses the customers kept by the quick profile.
    directory : path-like
        Folder holding the CSV files (the shipped ``data/`` by default).

    Returns
    -------
    pandas.DataFrame
    """
    if period not in FILES:
        raise ValueError(f"period must be one of {list(FILES)}, got {period!r}")
    if profile not in ("quick", "full"):
        raise ValueError(f"profile must be 'quick' or 'full', got {profile!r}")
    frame = read_transactions(Path(directory) / FILES[period])
    if profile == "quick":
        customers = np.sort(frame["customer_id"].unique())
        kept = np.random.default_rng(seed).choice(customers, size=max(1, int(0.3 * len(customers))), replace=False)
        frame = frame[frame["customer_id"].isin(kept)].reset_index(drop=True)
    return frame


def split_features(frame):
    """Return ``(X, y)``: the feature columns and the ``is_fraud`` labels.

    ``X`` keeps ``transaction_id``, ``customer_id`` and ``timestamp`` so that
    lessons can group and order by them; drop them before fitting.
    """
    return frame.drop(columns=[TARGET]), frame[TARGET].to_numpy()
