"""The survey as a form: one field per question of the version sent, in its order."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import QuestionKind, SurveyVersion

CSAT_LABELS = {
    1: _("Very dissatisfied"),
    2: _("Dissatisfied"),
    3: _("Neutral"),
    4: _("Satisfied"),
    5: _("Very satisfied"),
}
EFFORT_LABELS = {
    1: _("Very hard"),
    2: _("Hard"),
    3: _("Neither"),
    4: _("Easy"),
    5: _("Very easy"),
}


def _scale(question) -> list[tuple[str, str]]:
    if question.kind == QuestionKind.CSAT:
        return [(str(n), f"{n} · {CSAT_LABELS[n]}") for n in range(5, 0, -1)]
    if question.kind == QuestionKind.EFFORT:
        return [(str(n), f"{n} · {EFFORT_LABELS[n]}") for n in range(5, 0, -1)]
    if question.kind == QuestionKind.NPS:
        return [(str(n), str(n)) for n in range(10, -1, -1)]
    if question.kind == QuestionKind.YES_NO:
        return [("1", _("Yes")), ("0", _("No"))]
    return question.option_list()


class SurveyAnswerForm(forms.Form):
    """Fields named `q<id>`. `answers()` gives the mapping `surveys.services.response_submit`
    takes. `anonymous` is offered only when the survey allows it and the person answers
    themselves (not through staff on a call)."""

    def __init__(self, *args, version: SurveyVersion, offer_anonymous: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.questions = list(version.questions.all())
        for question in self.questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.TEXT:
                self.fields[name] = forms.CharField(
                    label=question.text,
                    required=question.required,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            else:
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    required=question.required,
                    choices=_scale(question),
                    widget=forms.RadioSelect(attrs={"class": f"scale scale-{question.kind}"}),
                    error_messages={"required": _("Please choose an answer.")},
                )
            self.fields[name].kind = question.kind
        if offer_anonymous:
            self.fields["anonymous"] = forms.BooleanField(
                label=_("Answer anonymously: do not link my answer to my name"),
                required=False,
            )

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

    @property
    def anonymous_chosen(self) -> bool:
        return bool(self.cleaned_data.get("anonymous"))
