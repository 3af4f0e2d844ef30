"""Timeline sentences for contacts and tickets (translated when shown).

Contacts are logged against the beneficiary, so they show on the file's timeline. Ticket
actions too — except complaints about staff, which are logged against the ticket itself and
so appear on no beneficiary's timeline (contact.services._log).
"""

from django.utils.translation import gettext_lazy as _

from core.activity import register

register(
    "contact.interaction.logged",
    _("{actor} logged a contact ({direction}, {channel}): {subject}."),
)
register(
    "contact.interaction.identified",
    _("{actor} linked a contact to this file: {subject}."),
)
register("contact.visit.arrived", _("{actor} checked in a visitor at reception: {purpose}."))
register("contact.visit.served", _("{actor} started serving the visitor."))
register(
    "contact.visit.ended",
    _("{actor} ended the visit (waited {wait} min, served {service} min)."),
)
register("contact.ticket.opened", _("{actor} opened the ticket {reference} ({kind})."))
register("contact.ticket.assigned", _("{actor} assigned the ticket {reference} to {owner}."))
register("contact.ticket.replied", _("{actor} answered the ticket {reference} ({channel})."))
register("contact.ticket.noted", _("{actor} added an internal note to the ticket {reference}."))
register(
    "contact.ticket.waiting",
    _("{actor} is waiting for the person's answer on the ticket {reference}."),
)
register(
    "contact.ticket.resumed", _("{actor} recorded the person's answer on the ticket {reference}.")
)
register("contact.ticket.resolved", _("{actor} resolved the ticket {reference}."))
register("contact.ticket.closed", _("{actor} closed the ticket {reference}."))
register("contact.ticket.reopened", _("{actor} reopened the ticket {reference}: {reason}"))
register(
    "contact.ticket.outcome",
    _("{actor} recorded the outcome of the suggestion {reference}: {outcome}."),
)
register(
    "contact.ticket.escalated",
    _("The ticket {reference} passed its deadline: escalated to level {level}."),
)
register("contact.ticket.person_wrote", _("{actor} wrote a follow-up on the ticket {reference}."))
