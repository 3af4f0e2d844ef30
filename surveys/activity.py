"""Timeline sentences of the surveys' action codes. What a person answered is never in the
log: only that they answered, and whether anonymously."""

from django.utils.translation import gettext_lazy as _

from core.activity import register

register("surveys.invitation.sent", _("{actor} sent a satisfaction survey."))
register("surveys.invitation.reminded", _("{actor} sent a reminder of the satisfaction survey."))
register("surveys.invitation.answered", _("{actor} answered a satisfaction survey."))
register("surveys.follow_up.opened", _("{actor} opened a follow-up after a low rating."))

# --- The builder (surveys.builder) --------------------------------------------------------
register("surveys.survey.created", _("{actor} created the survey «{name}»."))
register("surveys.survey.updated", _("{actor} changed the settings of the survey «{name}»."))
register("surveys.version.drafted", _("{actor} started version {number} of the survey «{name}»."))
register(
    "surveys.version.updated",
    _("{actor} edited the introduction of version {number} of the survey «{name}»."),
)
register(
    "surveys.version.discarded",
    _("{actor} discarded the draft version {number} of the survey «{name}»."),
)
register(
    "surveys.version.published",
    _("{actor} published version {number} of the survey «{name}»; it is the one now sent."),
)
register(
    "surveys.question.added",
    _("{actor} added the question «{text}» to version {number} of «{name}»."),
)
register(
    "surveys.question.updated",
    _("{actor} edited the question «{text}» in version {number} of «{name}»."),
)
register(
    "surveys.question.removed",
    _("{actor} removed the question «{text}» from version {number} of «{name}»."),
)
register(
    "surveys.question.moved",
    _("{actor} moved the question «{text}» in version {number} of «{name}»."),
)

# --- Results (surveys.views.staff) --------------------------------------------------------
register("surveys.comments.exported", _("{actor} exported the survey comments."))
register(
    "surveys.staff_results.exported",
    _("{actor} exported the survey results of {person} ({period})."),
)

# --- The closed loop and improvement actions (surveys.quality) ----------------------------
register("surveys.follow_up.assigned", _("{actor} gave the follow-up to {owner}."))
register("surveys.follow_up.contacted", _("{actor} contacted the person: {note}"))
register("surveys.follow_up.closed", _("{actor} closed the follow-up: {outcome}"))
register("surveys.follow_up.linked", _("{actor} linked the follow-up to the action «{title}»."))
register("surveys.follow_up.unlinked", _("{actor} unlinked the follow-up from its action."))
register("surveys.action.created", _("{actor} planned the improvement action «{title}»."))
register("surveys.action.updated", _("{actor} edited the improvement action «{title}»."))
register("surveys.action.started", _("{actor} started work on «{title}»."))
register("surveys.action.done", _("{actor} completed «{title}»: {result}"))
register("surveys.action.cancelled", _("{actor} cancelled «{title}»: {result}"))
