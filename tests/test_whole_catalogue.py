"""The whole national catalogue answered with the same care as the curated one (needs the national sample)."""

import random
from pathlib import Path

import pytest
import yaml

from benchmarks.search import STATUSES, calibration
from bot.catalogue.answers import Aspect, answer, render_duration, render_fee
from bot.catalogue.importer import import_portal
from bot.catalogue.search import ProcedureIndex
from bot.catalogue.store import Catalogue, load_procedures
from bot.checklist.flow import new_state
from bot.checklist.render import summary
from bot.messages import CHAT_MESSAGE_LIMIT
from bot.settings import CURATED_DIR

ROOT = Path(__file__).resolve().parent.parent
NATIONAL = ROOT.parent / "shared" / "catalogue" / "national"
pytestmark = pytest.mark.skipif(not NATIONAL.is_dir(), reason="the national sample is not beside the project")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue(load_procedures([CURATED_DIR]), import_portal(NATIONAL).procedures)


def _text(replies) -> str:
    """The replies as one text, whitespace collapsed (a long answer is split between messages at a space)."""
    return _words("\n".join(r.text for r in replies))


def _words(text: str) -> str:
    return " ".join(text.split())


def test_every_aspect_of_200_random_imported_procedures(catalogue):
    imported = [p for p in catalogue if not catalogue.is_curated(p.code)]
    assert len(imported) >= 2500
    for procedure in random.Random(15).sample(imported, 200):
        for aspect in Aspect:
            replies = answer(procedure, aspect)
            text = _text(replies)
            assert procedure.official_link in text, (procedure.code, aspect)
            assert all(len(r.text) <= CHAT_MESSAGE_LIMIT for r in replies)
        fees, times = _text(answer(procedure, Aspect.FEE)), _text(answer(procedure, Aspect.TIME))
        for row in procedure.channels:
            assert row.fee is None or _words(render_fee(row.fee)) in fees, procedure.code
            assert row.time is None or _words(render_duration(row.time)) in times, procedure.code
        papers = _text(answer(procedure, Aspect.DOCUMENTS))
        assert all(_words(paper.name) in papers for group in procedure.documents for paper in group.papers)
        assert procedure.code in _text(summary(procedure, new_state(procedure)))


def test_a_procedure_only_in_the_national_catalogue_is_found_not_a_neighbour(catalogue):
    index = ProcedureIndex(catalogue)
    for question, code in [
        ("thủ tục đăng ký việc nuôi con nuôi trong nước", "2.001263"),
        ("tach thua dat can gi", "1.012784"),
    ]:
        result = index.search(question)
        assert code in [hit.procedure.code for hit in result.hits[:4]], question
        assert result.best is None or result.best.code == code, question


def test_clear_stays_calibrated_with_the_whole_catalogue(catalogue):
    """Thousands of official names fold like chat words ("thi hành án", "vay vốn", "bắt buộc"): messages that name
    no procedure must still get no match, on the development sets (benchmarks/search_calibration.py prints all)."""
    negatives = yaml.safe_load((ROOT / "benchmarks" / "no_procedure.yml").read_text(encoding="utf-8"))
    queries = yaml.safe_load((ROOT / "benchmarks" / "search_queries.yml").read_text(encoding="utf-8"))["queries"]
    figures = calibration(ProcedureIndex(catalogue), STATUSES["ours"], negatives["development"], queries)
    assert figures["false clear"] <= 0.01 and figures["false match"] <= 0.04
    assert figures["clear-but-wrong"] <= 0.05 and figures["clear-right"] >= 0.72
