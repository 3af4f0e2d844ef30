"""Demo inbound messages for `make run`: a few of each source, as the website, a social-media
relay and the SMS and WhatsApp gateways would deliver them.

Written through inbox.services.inbound_receive, so matching by phone and the activity log
are exactly what the API produces. Idempotent: each message has a fixed sender's id, and a
second run finds them already stored.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from beneficiaries.models import Beneficiary
from inbox import services
from inbox.models import Source

# (source, sender name, handle, platform, subject, text); a None name on SMS/WhatsApp means
# "from the mobile of a registered beneficiary", so the demo shows automatic identification.
MESSAGES = [
    (
        Source.WEB_FORM,
        "نورة سعد القحطاني",
        "",
        "",
        "استفسار عن السلة الغذائية",
        "السلام عليكم، متى يبدأ توزيع السلال الغذائية في رمضان؟ وهل أحتاج إلى تحديث بياناتي؟",
    ),
    (
        Source.WEB_FORM,
        "عبدالرحمن محمد الشهري",
        "",
        "",
        "شكر وتقدير",
        "أشكر الموظف الذي استقبلني في فرع جدة على حسن تعامله وسرعة إنجاز طلبي.",
    ),
    (
        Source.WEB_FORM,
        "أم فيصل",
        "",
        "",
        "تأخر الرد على طلبي",
        "قدمت طلب ترميم منذ أكثر من شهر ولم يصلني أي رد حتى الآن، أرجو إفادتي بحالة الطلب.",
    ),
    (
        Source.SOCIAL,
        "خالد العتيبي",
        "@khaled_otb",
        "x",
        "",
        "هل يمكن التسجيل في الوقف عن طريق الموقع الإلكتروني أم يجب الحضور إلى المكتب؟",
    ),
    (
        Source.SOCIAL,
        "",
        "@um.sara.1990",
        "instagram",
        "",
        "أرملة ولدي أربعة أيتام، كيف أتقدم بطلب كفالة؟",
    ),
    (
        Source.SOCIAL,
        "",
        "@offers_best_price",
        "x",
        "",
        "عروض حصرية على أجهزة الجوال، تواصل معنا الآن!",
    ),
    (
        Source.SMS,
        None,
        "",
        "",
        "",
        "تم استلام رسالتكم، متى موعد الزيارة المنزلية؟",
    ),
    (
        Source.SMS,
        "",
        "",
        "",
        "",
        "أرجو تغيير رقم الجوال المسجل لدي إلى هذا الرقم.",
    ),
    (
        Source.WHATSAPP,
        None,
        "",
        "",
        "",
        "السلام عليكم، أرسلت صورة صك الإعالة، هل وصلتكم؟",
    ),
    (
        Source.WHATSAPP,
        "Fatimah",
        "",
        "",
        "",
        "أحتاج مساعدة في سداد إيجار المنزل، الإيجار متأخر شهرين.",
    ),
]
# One message closed the way an officer would close advertising, so the demo shows both.
SPAM_INDEX = 5


def _unregistered_mobile(rng: random.Random) -> str:
    # 0599 prefix numbers, unlikely to collide with the registry's demo files.
    return f"+966599{rng.randrange(10**6):06d}"


def seed_demo(*, rng: random.Random, actor) -> str:
    now = timezone.now()
    registered = list(
        Beneficiary.objects.order_by("created_at", "pk").values_list("mobile", flat=True)[:50]
    )
    created = identified = 0
    for index, (source, name, handle, platform, subject, text) in enumerate(MESSAGES):
        phone = ""
        if source in (Source.SMS, Source.WHATSAPP):
            phone = rng.choice(registered) if name is None and registered else ""
            phone = phone or _unregistered_mobile(rng)
        elif source == Source.WEB_FORM:
            phone = _unregistered_mobile(rng)
        item, is_new = services.inbound_receive(
            source=source,
            channel_code=services.DEFAULT_CHANNEL[source],
            external_id=f"demo-{source}-{index}",
            body=text,
            sender_name=name or "",
            sender_phone=phone,
            sender_handle=handle,
            platform=platform,
            subject=subject,
            payload={"demo": True},
            received_at=now - timedelta(minutes=rng.randrange(10, 60 * 72)),
        )
        created += is_new
        identified += bool(item.beneficiary_id)
        if is_new and index == SPAM_INDEX and actor is not None:
            services.inbound_close(actor=actor, item=item, reason="إعلان تجاري")
    return (
        f"{created} inbound messages added ({len(MESSAGES)} in the demo set, "
        f"{identified} matched to a file by phone)"
    )
