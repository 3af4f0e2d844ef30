"""Timeline sentences for the correspondence register (translated when shown). A letter
linked to a beneficiary logs about the beneficiary, so these appear on their timeline."""

from django.utils.translation import gettext_lazy as _

from core.activity import register

register(
    "correspondence.letter.registered",
    _("{actor} registered incoming letter {reference}: {subject}."),
)
register("correspondence.letter.drafted", _("{actor} drafted an outgoing letter: {subject}."))
register("correspondence.letter.updated", _("{actor} changed the draft letter: {subject}."))
register("correspondence.letter.discarded", _("{actor} discarded the draft letter: {subject}."))
register("correspondence.letter.issued", _("{actor} issued letter {reference}: {subject}."))
register(
    "correspondence.letter.sent", _("{actor} recorded how letter {reference} was sent: {method}.")
)
register("correspondence.letter.referred", _("{actor} referred letter {reference} to {referee}."))
register("correspondence.letter.answered", _("Letter {reference} was answered by {answer}."))
register("correspondence.letter.filed", _("{actor} filed letter {reference}."))
register(
    "correspondence.letter.pdf_downloaded", _("{actor} downloaded letter {reference} as a PDF.")
)
register("correspondence.attachment.added", _("{actor} added an attachment to letter {label}."))
register("correspondence.attachment.viewed", _("{actor} viewed an attachment of letter {label}."))
