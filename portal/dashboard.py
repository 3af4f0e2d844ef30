"""What the signed-in home page shows first: what needs the beneficiary's attention — a
question we asked, a decision they may appeal, a draft to finish, documents to renew, an
answer waiting — then the tiles of every service. Read through each app's own selectors."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from assistance.selectors import applicant_requests
from beneficiaries.models import Beneficiary, DocumentState
from contact.models import TicketStatus
from contact.selectors import person_tickets
from surveys.selectors import open_invitations


def summary(beneficiary: Beneficiary) -> dict:
    requests = applicant_requests(beneficiary)
    today = timezone.localdate()
    warning = settings.MUSTAFID["DOCUMENT_EXPIRY_WARNING_DAYS"]
    documents = list(
        beneficiary.documents.select_related("doc_type", "member").filter(
            expires_on__lte=today + timedelta(days=warning)
        )
    )
    return {
        "beneficiary": beneficiary,
        "questions": [r for r in requests if r.open_info],
        "appealable": [r for r in requests if r.appeal_until],
        "drafts": [r for r in requests if r.resumable],
        "waiting": [r for r in requests if r.awaiting_decision],
        "renew": [
            d for d in documents if d.state in (DocumentState.EXPIRED, DocumentState.EXPIRING)
        ],
        "answered": person_tickets(beneficiary).filter(status=TicketStatus.AWAITING_PERSON)[:5],
        "surveys": open_invitations(beneficiary)[:3],
    }
