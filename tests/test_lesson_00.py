"""Lesson 00 (start here): quick-profile execution for two seeds, claims on the recorded figures."""

import pytest


NAME = "00_start_here"
SEEDS = [42, 7]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=SEEDS, ids=[f"seed{s}" for s in SEEDS])
def figures(request, run_lesson):
    return run_lesson(NAME, profile="quick", seed=request.param)


def test_environment_and_data_checks_pass(figures):
    assert figures["environment_matches_lock"] is True
    assert figures["data_checksums_ok"] is True


def test_fraud_is_rare_and_accuracy_of_flagging_nothing(figures):
    assert 0 < figures["dev_fraud_rate"] < 0.05
    assert 0 < figures["prod_fraud_rate"] < 0.05
    assert figures["never_flag_accuracy"] == pytest.approx(1 - figures["dev_fraud_rate"])
    assert figures["never_flag_accuracy"] > 0.95  # "a high accuracy says nothing here"


def test_missing_distance_decomposition(figures):
    rise = figures["prod_missing_distance"] - figures["dev_missing_distance"]
    assert figures["missing_rise_from_mix"] + figures["missing_rise_from_rates"] == pytest.approx(rise)
    # The takeaway says the larger online share raises the share of missing distances.
    assert figures["prod_online_share"] > figures["dev_online_share"]
    assert figures["missing_rise_from_mix"] > 0
    assert rise > 0


def test_fraud_rate_comparisons_are_valid_p_values(figures):
    for key in ("online_q1_q4", "online_q4_prod", "online_dev_prod", "contactless_dev_prod"):
        assert 0 <= figures[f"p_{key}"] <= 1
    assert 0 < figures["online_quarter_ci_half_width"] < 0.05
    # Contactless fraud rises in production, as the takeaway says.
    assert figures["contactless_fraud_rate_prod"] > figures["contactless_fraud_rate_dev"]
