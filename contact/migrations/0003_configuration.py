"""Configuration every install needs: ticket categories with their deadlines (business
hours), the default escalation ladder, and the notices the contact centre sends.

Staff edit all of it in the admin afterwards; re-running the seed (tests_support.seed) leaves
existing rows as they are. Notices to the person carry the reference and, for a reply, the
officer's own words — never a name or an identity number; notices to staff carry references
and links only.
"""

from django.db import migrations

SIGNATURE_AR = "وقف مفاتيح الخير"
SIGNATURE_EN = "Waqf Mafatih Al-Khair"

# code, Arabic, English, kind ("" = any), first response hours, resolution hours, about staff
CATEGORIES = [
    ("inquiry_procedures", "الاستفسار عن إجراءات التسجيل والطلبات", "Registration and request procedures", "inquiry", 8, 24, False),
    ("inquiry_request_status", "الاستفسار عن حالة طلب", "Status of a request", "inquiry", 4, 16, False),
    ("inquiry_services", "الاستفسار عن الخدمات والبرامج", "Services and programmes", "inquiry", 8, 24, False),
    ("complaint_delay", "شكوى من التأخر في الخدمة أو الرد", "Delay in service or answer", "complaint", 4, 40, False),
    ("complaint_decision", "اعتراض على قرار أو شكوى منه", "Objection to a decision", "complaint", 8, 80, False),
    ("complaint_service", "شكوى من جودة الخدمة أو المساعدة المقدمة", "Quality of the service or aid", "complaint", 8, 40, False),
    ("complaint_staff", "شكوى على موظف أو على أسلوب التعامل", "About a staff member's conduct", "complaint", 4, 40, True),
    ("complaint_premises", "شكوى من مقر الخدمة أو صعوبة الوصول إليه", "Premises and access", "complaint", 8, 40, False),
    ("suggestion_services", "مقترح لتحسين الخدمات", "Improving the services", "suggestion", 16, 80, False),
    ("suggestion_channels", "مقترح لتحسين قنوات التواصل والبوابة", "Improving the channels and the portal", "suggestion", 16, 80, False),
    ("praise", "شكر وثناء", "Thanks and praise", "praise", 8, 24, False),
    ("other", "أخرى", "Other", "", 8, 40, False),
]

# The default ladder (no category): trigger, level, business hours after the deadline, roles,
# tell the owner. Level 1 tells the owner and the branch's managers at the deadline; level 2,
# a working day later, the quality officer; a resolution still late three days after its
# deadline reaches every manager and the quality officer (level 3).
LADDER = [
    ("first_response", 1, 0, ["manager"], True),
    ("first_response", 2, 8, ["quality"], True),
    ("resolution", 1, 0, ["manager"], True),
    ("resolution", 2, 8, ["quality"], True),
    ("resolution", 3, 24, ["manager", "quality"], True),
]

TEMPLATES = [
    {
        "code": "ticket.received",
        "channel": "sms",
        "description": "When an inquiry, complaint, suggestion or praise is received: its reference.",
        "body_ar": f"تم استلام {{kind}} برقم {{reference}}، وسنوافيكم بالرد قبل {{due}}. {SIGNATURE_AR}",
        "body_en": f"We have received {{kind}}, reference {{reference}}. We will answer by {{due}}. {SIGNATURE_EN}",
    },
    {
        "code": "ticket.received_email",
        "channel": "email",
        "description": "The same acknowledgement, by e-mail.",
        "subject_ar": "استلمنا رسالتكم رقم {reference}",
        "subject_en": "We have received your message {reference}",
        "body_ar": (
            "السلام عليكم ورحمة الله وبركاته،\n\n"
            "تم استلام {kind} برقم {reference}، وسنوافيكم بالرد قبل {due}.\n"
            "يرجى ذكر هذا الرقم عند التواصل معنا.\n\n" + SIGNATURE_AR
        ),
        "body_en": (
            "Hello,\n\nWe have received {kind}, reference {reference}. We will answer by {due}.\n"
            "Please quote this reference when you contact us.\n\n" + SIGNATURE_EN
        ),
    },
    {
        "code": "ticket.reply",
        "channel": "sms",
        "description": "An officer's answer to the person, by SMS (the text is the officer's).",
        "body_ar": f"بخصوص رسالتكم رقم {{reference}}: {{reply}} {SIGNATURE_AR}",
        "body_en": f"About your message {{reference}}: {{reply}} {SIGNATURE_EN}",
    },
    {
        "code": "ticket.reply_email",
        "channel": "email",
        "description": "An officer's answer to the person, by e-mail.",
        "subject_ar": "ردنا على رسالتكم رقم {reference}",
        "subject_en": "Our answer to your message {reference}",
        "body_ar": "السلام عليكم ورحمة الله وبركاته،\n\n{reply}\n\n" + SIGNATURE_AR,
        "body_en": "Hello,\n\n{reply}\n\n" + SIGNATURE_EN,
    },
    {
        "code": "ticket.resolved",
        "channel": "sms",
        "description": "When a ticket is resolved: what was done.",
        "body_ar": f"تمت معالجة {{kind}} رقم {{reference}}: {{resolution}} {SIGNATURE_AR}",
        "body_en": f"We have dealt with {{kind}} {{reference}}: {{resolution}} {SIGNATURE_EN}",
    },
    {
        "code": "ticket.resolved_email",
        "channel": "email",
        "description": "When a ticket is resolved, by e-mail.",
        "subject_ar": "تمت معالجة رسالتكم رقم {reference}",
        "subject_en": "Your message {reference} has been dealt with",
        "body_ar": (
            "السلام عليكم ورحمة الله وبركاته،\n\nتمت معالجة {kind} رقم {reference}:\n\n"
            "{resolution}\n\nإن لم تكن المعالجة مرضية فبإمكانكم الرد على هذه الرسالة أو "
            "التواصل معنا بذكر الرقم.\n\n" + SIGNATURE_AR
        ),
        "body_en": (
            "Hello,\n\nWe have dealt with {kind} {reference}:\n\n{resolution}\n\n"
            "If this does not settle it, reply or contact us quoting the reference.\n\n"
            + SIGNATURE_EN
        ),
    },
    {
        "code": "ticket.outcome",
        "channel": "sms",
        "description": "The outcome of a suggestion (accepted, implemented, declined with reason).",
        "body_ar": f"نتيجة {{kind}} رقم {{reference}}: {{outcome}}. {{reason}} شكرًا لمشاركتكم. {SIGNATURE_AR}",
        "body_en": f"The outcome of {{kind}} {{reference}}: {{outcome}}. {{reason}} Thank you. {SIGNATURE_EN}",
    },
    {
        "code": "ticket.outcome_email",
        "channel": "email",
        "description": "The outcome of a suggestion, by e-mail.",
        "subject_ar": "نتيجة مقترحكم رقم {reference}",
        "subject_en": "The outcome of your suggestion {reference}",
        "body_ar": (
            "السلام عليكم ورحمة الله وبركاته،\n\nنتيجة {kind} رقم {reference}: {outcome}.\n\n"
            "{reason}\n\nشكرًا لمشاركتكم في تحسين خدماتنا.\n\n" + SIGNATURE_AR
        ),
        "body_en": (
            "Hello,\n\nThe outcome of {kind} {reference}: {outcome}.\n\n{reason}\n\n"
            "Thank you for helping us improve.\n\n" + SIGNATURE_EN
        ),
    },
    {
        "code": "ticket.assigned",
        "channel": "email",
        "description": "To a staff member when a ticket is assigned to them (reference and link only).",
        "subject_ar": "أُسندت إليك التذكرة {reference}",
        "subject_en": "Ticket {reference} is now yours",
        "body_ar": (
            "السلام عليكم،\n\nأُسندت إليك التذكرة {reference} ({kind})، وموعد معالجتها {due}.\n\n"
            "للاطلاع: {url}\n\nمستفيد — " + SIGNATURE_AR
        ),
        "body_en": (
            "Hello,\n\nTicket {reference} ({kind}) has been assigned to you; resolve it by "
            "{due}.\n\nOpen it: {url}\n\nMustafid — " + SIGNATURE_EN
        ),
    },
    {
        "code": "ticket.escalated",
        "channel": "email",
        "description": (
            "To the owner and the roles of an escalation level when tickets pass a deadline. "
            "References and links only, never names."
        ),
        "subject_ar": "تصعيد: {count} من التذاكر تجاوزت موعدها",
        "subject_en": "Escalation: {count} ticket(s) past their deadline",
        "body_ar": (
            "السلام عليكم،\n\nالتذاكر التالية تجاوزت موعدها حتى {date}، وصُعّدت إليكم:\n\n"
            "{items}\n\nمستفيد — " + SIGNATURE_AR
        ),
        "body_en": (
            "Hello,\n\nThese tickets are past their deadline as of {date} and have been "
            "escalated to you:\n\n{items}\n\nMustafid — " + SIGNATURE_EN
        ),
    },
]


def seed(apps, schema_editor):
    TicketCategory = apps.get_model("contact", "TicketCategory")
    EscalationLevel = apps.get_model("contact", "EscalationLevel")
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for order, (code, ar, en, kind, first, resolution, staff) in enumerate(CATEGORIES, start=1):
        TicketCategory.objects.get_or_create(
            code=code,
            defaults={
                "name_ar": ar,
                "name_en": en,
                "kind": kind,
                "first_response_hours": first,
                "resolution_hours": resolution,
                "about_staff": staff,
                "sort_order": order,
            },
        )
    for trigger, level, hours, roles, owner in LADDER:
        EscalationLevel.objects.get_or_create(
            category=None,
            trigger=trigger,
            level=level,
            defaults={"hours_after": hours, "notify_roles": roles, "notify_owner": owner},
        )
    for row in TEMPLATES:
        fields = {k: v for k, v in row.items() if k != "code"}
        MessageTemplate.objects.get_or_create(code=row["code"], defaults=fields)


def unseed(apps, schema_editor):
    apps.get_model("notify", "MessageTemplate").objects.filter(
        code__in=[row["code"] for row in TEMPLATES]
    ).delete()
    apps.get_model("contact", "EscalationLevel").objects.filter(category=None).delete()
    apps.get_model("contact", "TicketCategory").objects.filter(
        code__in=[row[0] for row in CATEGORIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contact", "0002_escalation_schedule"),
        ("notify", "0003_info_reminder"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
