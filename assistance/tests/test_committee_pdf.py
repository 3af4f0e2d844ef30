"""The committee's minutes and decision letter as PDFs (DESIGN.md §3 "Documents", §4).

Text is read back with pypdf and NFKC-normalised (extracted Arabic may come out in
presentation forms or in visual order), as in test_documents_pdf.
"""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from assistance import committee
from assistance.documents import decision_letter_pdf, minutes_pdf
from assistance.models import AssistancePolicy, RejectionReason
from core.hijri import format_gregorian, format_hijri

pytestmark = pytest.mark.django_db

pypdf = pytest.importorskip("pypdf")


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    text = unicodedata.normalize("NFKC", text)
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def page_count(content: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(content)).pages)


def has_word(text: str, word: str) -> bool:
    """In logical or visual (reversed) order, or a token with the same letters."""
    word = unicodedata.normalize("NFKC", word)
    if word in text or word[::-1] in text:
        return True
    return any(sorted(token) == sorted(word) for token in text.split())


@pytest.fixture
def item(manager, meeting, researched):
    return committee.agenda_add(actor=manager, meeting=meeting, request=researched)


def decide(item, members, choice, **kwargs):
    for member in members:
        committee.vote_cast(actor=member, item=item, choice=choice, **kwargs)
    item.refresh_from_db()
    return item


def test_minutes_of_a_closed_meeting_with_an_approved_item(manager, meeting, item, members):
    committee.recuse(actor=members[2], item=item, reason="قريب مقدم الطلب")
    meeting.quorum = 2
    meeting.save(update_fields=["quorum"])
    decide(item, members[:2], "approve")
    assert item.outcome == "approved"
    committee.meeting_close(actor=manager, meeting=meeting)
    meeting.refresh_from_db()

    with translation.override("en"):  # Arabic whatever the active language
        content = minutes_pdf(meeting)

    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "12/1448" in text  # the meeting number
    assert item.request.reference in text
    assert format_hijri(meeting.date)[:10] in text
    assert format_gregorian(meeting.date)[:10] in text
    assert "800.00" in text  # the proposed amount
    assert has_word(text, "عبدالله")  # the applicant
    assert has_word(text, "قريب")  # the recusal's reason
    assert not has_word(text, "مسودة")  # closed: final minutes


def test_minutes_of_an_open_meeting_are_a_draft(meeting, item, members):
    committee.vote_cast(actor=members[0], item=item, choice="approve")

    text = pdf_text(minutes_pdf(meeting))

    assert has_word(text, "مسودة")
    assert item.request.reference in text


def test_decision_letter_approved(item, members):
    decide(item, members, "approve")

    content = decision_letter_pdf(item)

    text = pdf_text(content)
    reference = item.request.reference
    assert f"{reference}/12/1448" in text  # the letter's reference
    assert "800.00" in text
    decided_on = timezone.localtime(item.decided_at).date()
    assert format_hijri(decided_on)[:10] in text and format_gregorian(decided_on)[:10] in text
    beneficiary = item.request.beneficiary
    assert beneficiary.id_number not in text and beneficiary.masked_id in text
    with translation.override("ar"):
        male, female = gettext("The honourable (masculine)"), gettext("The honourable (feminine)")
    assert male in text and female not in text
    assert page_count(content) == 1


def test_decision_letter_rejected_gives_reasons_and_appeal_window(item, members):
    policy = AssistancePolicy.current()
    policy.appeal_window_days = 21
    policy.save()
    reason = RejectionReason.objects.get(code="income_above_line")
    decide(item, members, "reject", reasons=[reason], note="دخل ثابت يكفي الأسرة")

    content = decision_letter_pdf(item)

    text = pdf_text(content)
    assert item.request.reference in text
    assert has_word(text, reason.name_ar.split()[0])
    assert has_word(text, "يكفي")  # the members' text
    assert "21" in text  # the appeal window
    assert "800.00" not in text
    assert page_count(content) == 1


def test_decision_letter_deferred_says_what_is_needed(item, members):
    decide(item, members, "defer", note="تقرير طبي حديث")

    content = decision_letter_pdf(item)

    text = pdf_text(content)
    assert item.request.reference in text
    assert has_word(text, "طبي")
    assert text.count("حديث") == 1  # the same note from three members, said once
    assert page_count(content) == 1


def test_decision_letter_for_a_female_applicant(item, members):
    beneficiary = item.request.beneficiary
    beneficiary.gender = "female"
    beneficiary.save(update_fields=["gender"])
    decide(item, members, "approve")

    with translation.override("ar"):
        female = gettext("The honourable (feminine)")
    assert female in pdf_text(decision_letter_pdf(item))


def test_no_letter_before_a_decision(item):
    with pytest.raises(ValueError):
        decision_letter_pdf(item)
