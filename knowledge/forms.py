"""Parsing and validation of knowledge-base and registry input; writes happen in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.formfields import DualCalendarDateField
from core.forms import StyledFormMixin
from knowledge.models import Article, ArticleCategory, PolicyDocument


class ArticleForm(StyledFormMixin, forms.ModelForm):
    publish = forms.BooleanField(
        label=_("Publish now (otherwise it is saved as a draft)"), required=False
    )

    class Meta:
        model = Article
        fields = ["title", "kind", "category", "audience", "summary", "body"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 12}),
        }

    def __init__(self, *args, can_publish: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ArticleCategory.objects.filter(is_active=True)
        # Publishing at once is for those who may publish, and only when creating.
        if not can_publish or self.instance.pk:
            del self.fields["publish"]

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_body(self):
        return self.cleaned_data["body"].strip()

    def clean_summary(self):
        return self.cleaned_data["summary"].strip()

    def article_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class VoteForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("1", _("Helpful")), ("0", _("Not helpful"))],
        coerce=lambda value: value == "1",
    )


class PolicyDocumentForm(StyledFormMixin, forms.ModelForm):
    next_review_date = DualCalendarDateField(label=_("next review date"), required=False)

    class Meta:
        model = PolicyDocument
        fields = ["title", "kind", "audience", "description", "next_review_date"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def document_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PolicyVersionForm(StyledFormMixin, forms.Form):
    label = forms.CharField(
        label=_("version label"),
        max_length=40,
        required=False,
        help_text=_("As the document names itself, e.g. 2.1 or «الإصدار الثاني». Optional."),
    )
    text = forms.CharField(
        label=_("text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("The full text, so staff can read and search it without opening a file."),
    )
    file = forms.FileField(
        label=_("file (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        help_text=_("The signed or printed copy, if there is one."),
    )
    changes_summary = forms.CharField(
        label=_("summary of changes"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("file"):
            self.add_error("text", _("Write the text of this version or attach its PDF."))
        return data


class PolicyApprovalForm(StyledFormMixin, forms.Form):
    approving_body = forms.CharField(
        label=_("approving body"),
        max_length=150,
        initial=_("Board of directors"),
    )
    meeting_number = forms.CharField(label=_("meeting number"), max_length=30, required=False)
    approval_date = DualCalendarDateField(label=_("approval date"), allow_future=False)
    effective_date = DualCalendarDateField(label=_("effective date"))
    next_review_date = DualCalendarDateField(
        label=_("next review date"),
        required=False,
        help_text=_("Empty: one year after the effective date."),
    )

    def clean(self):
        data = super().clean()
        approved, effective = data.get("approval_date"), data.get("effective_date")
        if approved and effective and effective < approved:
            self.add_error("effective_date", _("A version cannot apply before it was approved."))
        review = data.get("next_review_date")
        if review and effective and review <= effective:
            self.add_error(
                "next_review_date", _("The next review must come after the effective date.")
            )
        return data
