"""Floors `make test` keeps on the conversation benchmark (benchmarks/conversations.py): its development
conversations through the gateway's REST channel, and the search calibration over both catalogues. The
held-out conversations are never run here. Raise the floors when the figures improve."""

import pytest

from benchmarks.conversation_runner import DossierCodes, figures_by_group, load_conversations, open_office, run_all
from benchmarks.search import NATIONAL
from benchmarks.search_calibration import figures
from bot.gateway.app import create_app
from tests.conftest import gateway_settings
from tests.servers import serving

# Development part, measured with benchmarks/conversations.py: task success 0.733, wrong answers 0.037 of turns.
SUCCESS_FLOOR = 0.74
WRONG_CEILING = 0.05
# Search calibration, development part (measured: false clear, false match, top-1, clear-but-wrong: curated
# 0.000 / 0.023 / 0.947 / 0.027; with national 0.012 / 0.047 / 0.929 / 0.046).
CALIBRATION_FLOORS = {
    "curated": {"false clear": 0.01, "false match": 0.03, "top-1": 0.93, "clear-but-wrong": 0.035},
    "curated + national": {"false clear": 0.025, "false match": 0.06, "top-1": 0.91, "clear-but-wrong": 0.06},
}


@pytest.mark.e2e
def test_development_conversations_through_the_gateway(
    assistant, services, sample_dossiers, clean_gateway_redis, tmp_path
):
    handoff_database = f"sqlite:///{tmp_path / 'handoff.db'}"
    open_office(handoff_database)  # handoffs read the same at any hour
    settings = gateway_settings(
        assistant, DATABASE_URL=handoff_database, MESSAGES_PER_MINUTE="100000", RASA_TIMEOUT="60"
    )
    development = [c for c in load_conversations(services.catalogue) if not c.holdout]
    with serving(create_app(settings, services)) as url:
        results = run_all(url, development, DossierCodes(sample_dossiers[1]))
    overall = figures_by_group(results)["all"]
    assert overall.gateway_errors == 0
    measured = f"success {overall.rate('success'):.3f}, wrong {overall.rate('wrong'):.3f}: see the failing turns with "
    measured += "benchmarks/conversations.py --show-failures"
    assert overall.rate("success") >= SUCCESS_FLOOR, measured
    assert overall.rate("wrong") <= WRONG_CEILING, measured


def test_search_calibration_over_both_catalogues():
    measured = figures(NATIONAL if NATIONAL.is_dir() else None)
    assert set(measured) == set(CALIBRATION_FLOORS), f"the national sample is expected at {NATIONAL}"
    for catalogue, floors in CALIBRATION_FLOORS.items():
        development = measured[catalogue]["development"]
        assert development["false clear"] <= floors["false clear"], (catalogue, development)
        assert development["false match"] <= floors["false match"], (catalogue, development)
        assert development["top-1"] >= floors["top-1"], (catalogue, development)
        assert development["clear-but-wrong"] <= floors["clear-but-wrong"], (catalogue, development)
