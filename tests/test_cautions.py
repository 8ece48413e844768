"""Cautions reach the citizen: every unverified fact in every view that shows it; abolished bodies get a note."""

import pytest

from bot.catalogue.answers import ASPECT_SHOWS, Aspect, answer
from bot.catalogue.cautions import FACT_NAMES, agency_texts
from bot.catalogue.model import Procedure, fact_of
from bot.catalogue.reform import reform_notes
from bot.checklist.flow import new_state
from bot.checklist.render import SUMMARY_SHOWS, summary

CAUTION = "chưa được đối chiếu"
NOT_SHOWN = {"legal_basis", "results"}  # no answer shows these facts, so none needs a caution for them


def _text(replies) -> str:
    return "\n".join(r.text for r in replies)


def test_every_unverified_path_of_every_curated_record_is_cautioned_where_shown(services):
    marked = [p for p in services.catalogue if p.unverified]
    assert len(marked) >= 40
    paths = 0
    for procedure in marked:
        for path in procedure.unverified:
            fact = fact_of(path)
            views = [aspect for aspect, shows in ASPECT_SHOWS.items() if fact in shows]
            assert views or fact in NOT_SHOWN, path
            for aspect in views:
                text = _text(answer(procedure, aspect))
                assert CAUTION in text and FACT_NAMES[fact] in text, (procedure.code, path, aspect)
                assert str(procedure.official_link) in text
            if fact in SUMMARY_SHOWS:
                text = _text(summary(procedure, new_state(procedure)))
                assert CAUTION in text and procedure.official_link in text, (procedure.code, path)
            paths += 1
    assert paths >= 60


def test_channel_paths_count_and_unmarked_facts_carry_no_caution(services):
    land = next(p for p in services.catalogue if "channels.time" in p.unverified)
    assert "thời hạn giải quyết" in _text(answer(land, Aspect.TIME))
    clean = next(p for p in services.catalogue if not p.unverified)
    for aspect in Aspect:
        assert CAUTION not in _text(answer(clean, aspect))
    assert CAUTION not in _text(summary(clean, new_state(clean)))


def test_an_unknown_unverified_path_is_a_catalogue_error():
    record = {"code": "1.000001", "name": "Thủ tục mẫu", "field": "Hộ tịch", "levels": ["xa"], "decision": "1/QĐ"}
    assert Procedure.parse_obj(record | {"unverified": ["channels.truc_tuyen.fee", "documents.0.papers.1"]})
    with pytest.raises(ValueError, match="names none of the facts"):
        Procedure.parse_obj(record | {"unverified": ["feee"]})


def test_channel_notes_and_conditions_reach_the_answers_they_change(services):
    with_online_note = next(p for p in services.catalogue if (row := p.channel("truc_tuyen")) and row.note)
    assert with_online_note.channel("truc_tuyen").note in _text(answer(with_online_note, Aspect.ONLINE))
    abroad = services.catalogue.get("2.000815")  # the fee at an embassy is in the in-person channel's note
    assert "10 USD/bản" in _text(answer(abroad, Aspect.FEE))
    conditional = next(p for p in services.catalogue if p.conditions and len(p.conditions) < 300)
    assert conditional.conditions in _text(answer(conditional, Aspect.OVERVIEW))


def _imported(**agencies) -> Procedure:
    return Procedure.parse_obj(
        {
            "code": "2.000001",
            "name": "Thủ tục nhập từ Cổng",
            "field": "Cư trú",
            "levels": ["xa"],
            "decision": "1/QĐ-BCA",
            "agencies": agencies,
            "steps": ["Nộp hồ sơ tại Ủy ban nhân dân xã, phường, thị trấn."],
        }
    )


def test_bodies_abolished_in_2025_get_a_note_by_rule():
    assert reform_notes(["Công an huyện"]) and reform_notes(["CONG AN QUAN"])
    assert reform_notes(["Bảo hiểm xã hội cấp huyện"])[0].startswith("Bảo hiểm xã hội cấp huyện nay là")
    assert reform_notes(["Phòng Tư pháp"]) and reform_notes(["UBND quận"])
    assert not reform_notes(["Công an cấp xã", "Sở Tư pháp", "Ủy ban nhân dân cấp xã", "Bảo hiểm xã hội cơ sở"])
    procedure = _imported(executing=["Bảo hiểm xã hội cấp huyện"])
    text = _text(answer(procedure, Aspect.AGENCY))
    assert "Sau sắp xếp đơn vị hành chính" in text and "Bảo hiểm xã hội cơ sở" in text
    assert "thị trấn" in _text(answer(procedure, Aspect.STEPS)).split("Sau sắp xếp")[1]
    assert "Sau sắp xếp" not in _text(answer(procedure, Aspect.FEE))


def test_curated_records_keeping_the_portal_s_old_body_names_say_what_it_is_now(services):
    """1.001613 says 'Bảo hiểm xã hội cấp huyện' as the portal does; the citizen also reads what it is now."""
    named = [p for p in services.catalogue if reform_notes(agency_texts(p))]
    assert "1.001613" in {p.code for p in named}
    for procedure in named:
        for aspect in (Aspect.AGENCY, Aspect.OVERVIEW):
            assert "Sau sắp xếp đơn vị hành chính" in _text(answer(procedure, aspect)), (procedure.code, aspect)
        assert "Sau sắp xếp đơn vị hành chính" in _text(summary(procedure, new_state(procedure)))
