"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import datetime
import itertools

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Branch, Role, User
from beneficiaries import services
from beneficiaries.models import Category, DocumentType, Gender, MaritalStatus
from core.models import City
from core.validators import luhn_ok

_serial = itertools.count(1)


def national_id(prefix: str = "1") -> str:
    """A fresh, checksum-valid national ID (prefix 1) or Iqama (prefix 2) number."""
    body = f"{prefix}{next(_serial):08d}"
    return next(body + str(d) for d in range(10) if luhn_ok(body + str(d)))


def mobile() -> str:
    return f"+96650{next(_serial) % 10**7:07d}"


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch

    code = factory.Sequence(lambda n: f"branch-{n}")
    name_ar = factory.Sequence(lambda n: f"فرع {n}")
    name_en = factory.Sequence(lambda n: f"Branch {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"موظف {n}")
    role = Role.RELATIONS_OFFICER
    password = factory.PostGenerationMethodCall("set_password", "pass-12345-word")

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()


def make_beneficiary(actor, **overrides):
    """A beneficiary created through the service, as the app does."""
    data = {
        "first_name": "محمد",
        "father_name": "عبدالله",
        "grandfather_name": "سعد",
        "family_name": "العتيبي",
        "id_type": "national_id",
        "id_number": national_id(),
        "gender": Gender.MALE,
        "birth_date": datetime.date(1980, 5, 17),
        "marital_status": MaritalStatus.MARRIED,
        "mobile": mobile(),
        "city": City.objects.get(code="riyadh"),
        "branch": actor.branch or Branch.objects.get(code="head-office"),
    }
    categories = overrides.pop("categories", [Category.objects.get(code="families_in_need")])
    data.update(overrides)
    return services.beneficiary_create(actor=actor, data=data, categories=categories)


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_upload(name: str = "هوية.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def make_document(actor, beneficiary, *, code="national_id", **kwargs):
    defaults = {"expires_on": datetime.date(2030, 1, 1)}
    defaults.update(kwargs)
    return services.document_upload(
        actor=actor,
        beneficiary=beneficiary,
        doc_type=DocumentType.objects.get(code=code),
        upload=pdf_upload(),
        **defaults,
    )
