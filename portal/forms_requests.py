"""Parsing of the portal's apply and request pages. Rules stay in assistance.services and
beneficiaries.services; a document's dates are checked by the same form the staff use
(beneficiaries.forms.DocumentForm), here with the type fixed by what is asked for."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assistance.models import AidType, ChecklistItem
from beneficiaries.forms import DocumentForm
from beneficiaries.models import DocumentType
from core.formfields import LocalizedDecimalField
from core.forms import StyledFormMixin


def _no_script(form: forms.Form) -> None:
    """The portal loads no script: drop the live date preview the staff forms ask htmx for."""
    for field in form.fields.values():
        for attr in [a for a in field.widget.attrs if a.startswith("hx-")]:
            del field.widget.attrs[attr]
        if getattr(field, "dual_calendar", False):
            field.widget.attrs["placeholder"] = _("DD/MM/YYYY — Hijri or Gregorian")
            # A plain field: templates/includes/field.html then shows no empty preview box.
            field.dual_calendar = False
            field.help_text = field.help_text or _(
                "For example 15/03/1447 (Hijri) or 08/09/2025 (Gregorian)."
            )


class ApplyForm(StyledFormMixin, forms.Form):
    """Step 1: what the applicant asks for, in their words."""

    aid_types = forms.ModelMultipleChoiceField(
        label=_("What kind of support do you need?"),
        queryset=AidType.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one kind of support.")},
    )
    need = forms.CharField(
        label=_("Tell us about your need, in your own words"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write a few words about your need.")},
    )
    requested_amount = LocalizedDecimalField(
        label=_("Amount you ask for, in riyals (optional)"),
        max_digits=10,
        decimal_places=2,
        min_value=1,
        required=False,
    )
    declares_no_income = forms.BooleanField(
        label=_("My household has no income at all"),
        required=False,
        help_text=_("Tick only if nobody in your household receives any income."),
    )

    def fields_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("aid_types")
        return data


class _PortalDocumentForm(DocumentForm):
    """The staff document form without the fields the portal fixes itself."""

    def __init__(self, *args, beneficiary, **kwargs):
        super().__init__(*args, beneficiary=beneficiary, **kwargs)
        del self.fields["member"]
        del self.fields["note"]
        self.fields["upload"].label = _("The document (PDF or a photo)")
        self.fields["upload"].help_text = _("A clear scan or photo, up to 5 MB.")
        self.fields["issued_on"].label = _("Issue date")
        self.fields["expires_on"].label = _("Expiry date")
        _no_script(self)


class ChecklistUploadForm(_PortalDocumentForm):
    """Step 2: a required document uploaded for its checklist item."""

    def __init__(self, *args, item: ChecklistItem, **kwargs):
        # One form per missing document on the page: the prefix keeps their ids apart.
        kwargs["prefix"] = f"doc-{item_key(item)}"
        super().__init__(*args, beneficiary=item.request.beneficiary, **kwargs)
        del self.fields["doc_type"]
        self.item = item

    def clean(self):
        self.cleaned_data["doc_type"] = self.item.doc_type
        data = super().clean()
        # The requirement may ask for a recent document even when the type has no maximum age.
        if self.item.max_age_days and not data.get("issued_on"):
            self.add_error("issued_on", _("Enter the issue date: this document has a maximum age."))
        return data


class AnswerForm(_PortalDocumentForm):
    """The applicant's answer to a request for information: text, a document, or both."""

    answer = forms.CharField(
        label=_("Your answer"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    field_order = ["answer", "doc_type", "upload", "issued_on", "expires_on"]

    def __init__(self, *args, beneficiary, **kwargs):
        super().__init__(*args, beneficiary=beneficiary, **kwargs)
        self.fields["doc_type"].required = False
        self.fields["doc_type"].label = _("Kind of document (if you attach one)")
        self.fields["doc_type"].queryset = DocumentType.objects.filter(is_active=True)
        self.fields["upload"].required = False
        self.order_fields(self.field_order)

    def clean(self):
        data = forms.Form.clean(self)
        if not data.get("upload"):
            if not (data.get("answer") or "").strip():
                self.add_error("answer", _("Write your answer or attach a document."))
            return data
        if not data.get("doc_type"):
            self.add_error("doc_type", _("Choose the kind of document you attach."))
            return data
        return super().clean()


class SignForm(StyledFormMixin, forms.Form):
    """Step 3: the applicant confirms the declaration, then a code is sent to sign it."""

    rights_acknowledged = forms.BooleanField(
        label=_(
            "I have read the declaration and my rights and duties. I confirm that what I have "
            "given is correct and complete."
        ),
        error_messages={"required": _("Tick the box to confirm before we send the code.")},
    )


class AppealForm(StyledFormMixin, forms.Form):
    grounds = forms.CharField(
        label=_("Why do you disagree with the decision?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Tell us what the committee should know: a change in your situation, a fact "
            "it did not have."
        ),
        error_messages={"required": _("Write the grounds of your appeal.")},
    )


def item_key(item: ChecklistItem) -> str:
    """How the page names a checklist item: its document type and, for a household member,
    the member's public id — never a sequential id."""
    if item.member_id:
        return f"{item.doc_type.code}-{item.member.public_id.hex}"
    return item.doc_type.code
