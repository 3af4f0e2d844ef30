"""The message templates of survey invitations, and one survey per event, active, so a new
installation asks after every service from the first day (the quality officer edits them)."""

from django.db import migrations
from django.utils import timezone

TEMPLATES = [
    {
        "code": "survey.invite",
        "channel": "sms",
        "description": "A satisfaction survey after a service (link valid for some days).",
        "body_ar": "{name}، نرجو تقييم خدمتنا: {about}. تقييمك حق لك ويُستخدم لتحسين الخدمة "
        "فقط: {link} (صالح {days} أيام). وقف مفاتيح الخير",
        "body_en": "{name}, please rate our service: {about}. Rating us is your right and is "
        "used only to improve: {link} (valid {days} days). Waqf Mafatih Al-Khair",
        "quiet_hours": True,
    },
    {
        "code": "survey.reminder",
        "channel": "sms",
        "description": "The one reminder of an unanswered satisfaction survey.",
        "body_ar": "تذكير: رأيك يهمنا في ({about}). يستغرق دقيقة: {link} وقف مفاتيح الخير",
        "body_en": "A reminder: your opinion of ({about}) matters to us. It takes a minute: "
        "{link} Waqf Mafatih Al-Khair",
        "quiet_hours": True,
    },
]

CSAT = {
    "decision": ("ما مدى رضاك عن طريقة إبلاغك بقرار طلبك؟", "How satisfied are you with how "
                 "you were told the decision on your request?"),
    "delivery": ("ما مدى رضاك عن استلام المساعدة؟", "How satisfied are you with receiving the aid?"),
    "ticket": ("ما مدى رضاك عن معالجة استفسارك أو شكواك؟", "How satisfied are you with how "
               "your inquiry or complaint was handled?"),
    "home_visit": ("ما مدى رضاك عن الزيارة المنزلية؟", "How satisfied are you with the home visit?"),
    "reception": ("ما مدى رضاك عن استقبالك في الفرع؟", "How satisfied are you with your welcome at "
                  "the branch?"),
}
NAMES = {
    "decision": ("رضا المستفيد بعد إبلاغ القرار", "Satisfaction after the decision"),
    "delivery": ("رضا المستفيد بعد تسليم المساعدة", "Satisfaction after an aid delivery"),
    "ticket": ("رضا المستفيد بعد معالجة الاستفسار أو الشكوى", "Satisfaction after a ticket"),
    "home_visit": ("رضا المستفيد بعد الزيارة المنزلية", "Satisfaction after a home visit"),
    "reception": ("رضا المستفيد بعد زيارة الفرع", "Satisfaction after a reception visit"),
}
INTRO = (
    "تقييمك للخدمة حق لك. نستخدمه لتحسين خدماتنا فقط، ولا يؤثر على طلباتك أو مساعداتك، "
    "ولا يُستخدم لمعاقبة أحد أو التشهير به.",
    "Rating our service is your right. We use it only to improve; it never affects your "
    "requests or aid, and it is never used to punish or shame anyone.",
)
COMMON = [
    ("effort", "كم كان سهلاً عليك إنجاز ذلك؟", "How easy was it for you?", True),
    ("nps", "ما مدى احتمال أن توصي بخدمات الوقف لمن يحتاجها؟",
     "How likely are you to recommend the waqf's services to someone in need?", True),
    ("text", "هل لديك ما تود إضافته ليساعدنا على التحسين؟",
     "Anything you would like to add to help us improve?", False),
]


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for t in TEMPLATES:
        MessageTemplate.objects.get_or_create(
            code=t["code"], defaults={k: v for k, v in t.items() if k != "code"}
        )
    Survey = apps.get_model("surveys", "Survey")
    Version = apps.get_model("surveys", "SurveyVersion")
    Question = apps.get_model("surveys", "Question")
    for event, (name_ar, name_en) in NAMES.items():
        if Survey.objects.filter(event=event).exists():
            continue
        survey = Survey.objects.create(
            name_ar=name_ar, name_en=name_en, event=event, is_active=True
        )
        version = Version.objects.create(
            survey=survey,
            number=1,
            intro_ar=INTRO[0],
            intro_en=INTRO[1],
            published_at=timezone.now(),
        )
        questions = [("csat", *CSAT[event], True), *COMMON]
        for position, (kind, text_ar, text_en, required) in enumerate(questions):
            Question.objects.create(
                version=version,
                position=position,
                kind=kind,
                text_ar=text_ar,
                text_en=text_en,
                required=required,
            )


def unseed(apps, schema_editor):
    apps.get_model("notify", "MessageTemplate").objects.filter(
        code__in=[t["code"] for t in TEMPLATES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("notify", "0006_whatsapp_quiet_hours"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
