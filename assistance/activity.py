"""Timeline sentences for support requests (translated when shown).

`{actor}` is the staff member, or «the beneficiary, on the portal» for what the applicant did
there themself (core.activity.describe); the sentences of acts that are the applicant's own
whoever records them (withdrawing, answering, appealing) read right either way."""

from django.utils.translation import gettext_lazy as _

from core.activity import register

register("assistance.request.created", _("{actor} opened a draft support request."))
register("assistance.request.updated", _("{actor} changed the draft support request."))
register(
    "assistance.request.submitted",
    _("{actor} submitted support request {reference}; decision expected by {decision_date}."),
)
register(
    "assistance.request.withdrawn", _("The applicant withdrew {reference} (recorded by {actor}).")
)
register("assistance.request.cancelled", _("{actor} cancelled the request: {reason}."))
register("assistance.checklist.attached", _("{actor} attached {type} to the request."))
register("assistance.checklist.verified", _("{actor} verified {type}."))
register("assistance.checklist.rejected", _("{actor} rejected {type}: {reason}."))
register("assistance.attestation.signed", _("The applicant signed the declaration ({method})."))
register("assistance.request.form_printed", _("{actor} printed the request form."))
register("assistance.attestation.viewed", _("{actor} viewed the signed declaration."))
register("assistance.request.verifying", _("{actor} started verifying {reference}."))
register(
    "assistance.info.requested", _("{actor} asked the applicant for information, due {due_date}.")
)
register(
    "assistance.info.answered",
    _("The applicant answered the request for information (recorded by {actor})."),
)
register(
    "assistance.research.referred",
    _("{actor} referred {reference} to the researcher {researcher}."),
)
register("assistance.visit.booked", _("{actor} booked a home visit for {when}."))
register("assistance.research.photo_added", _("{actor} added a home-visit photo."))
register("assistance.research.photo_viewed", _("{actor} viewed a home-visit photo."))
register("assistance.research.completed", _("{actor} completed the social research report."))
register("assistance.meeting.created", _("{actor} scheduled committee meeting {number}."))
register("assistance.meeting.closed", _("{actor} closed committee meeting {number}."))
register(
    "assistance.request.in_committee",
    _("{actor} put {reference} on the agenda of meeting {meeting}."),
)
register("assistance.vote.cast", _("{actor} voted on {reference}."))
register(
    "assistance.vote.recused", _("{actor} stood aside from {reference} (conflict of interest).")
)
register(
    "assistance.request.approved", _("The committee approved {reference} (meeting {meeting}).")
)
register(
    "assistance.request.rejected", _("The committee rejected {reference} (meeting {meeting}).")
)
register(
    "assistance.request.deferred", _("The committee deferred {reference} (meeting {meeting}).")
)
register(
    "assistance.request.appealed",
    _("The applicant appealed the decision on {reference} (recorded by {actor})."),
)
register(
    "assistance.decision.letter_downloaded",
    _("{actor} downloaded the decision letter of {reference}."),
)
register("assistance.request.closed", _("{actor} closed {reference}."))
register("assistance.request.enrolled", _("{actor} enrolled {reference} for service."))
register("assistance.delivery.recorded", _("{actor} recorded delivery {number} of {of}."))
