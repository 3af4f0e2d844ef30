"""Every action the builder, the results and the closed loop log reads as a sentence on the
timeline, in both languages, with its blanks filled."""

import pytest
from django.utils import translation

from core.activity import _SENTENCES, describe
from core.models import ActivityLog

CODES = {
    "surveys.survey.created": {"name": "س"},
    "surveys.survey.updated": {"name": "س"},
    "surveys.version.drafted": {"name": "س", "number": 2},
    "surveys.version.updated": {"name": "س", "number": 2},
    "surveys.version.discarded": {"name": "س", "number": 2},
    "surveys.version.published": {"name": "س", "number": 2},
    "surveys.question.added": {"name": "س", "number": 2, "text": "ق"},
    "surveys.question.updated": {"name": "س", "number": 2, "text": "ق"},
    "surveys.question.removed": {"name": "س", "number": 2, "text": "ق"},
    "surveys.question.moved": {"name": "س", "number": 2, "text": "ق"},
    "surveys.comments.exported": {"format": "csv", "rows": 3},
    "surveys.staff_results.exported": {"person": "م", "period": "ف", "format": "csv"},
    "surveys.follow_up.assigned": {"owner": "م"},
    "surveys.follow_up.contacted": {"note": "ن"},
    "surveys.follow_up.closed": {"outcome": "ن"},
    "surveys.follow_up.linked": {"title": "ع"},
    "surveys.follow_up.unlinked": {},
    "surveys.action.created": {"title": "ع", "owner": "م"},
    "surveys.action.updated": {"title": "ع"},
    "surveys.action.started": {"title": "ع", "result": ""},
    "surveys.action.done": {"title": "ع", "result": "ن"},
    "surveys.action.cancelled": {"title": "ع", "result": "ن"},
}


@pytest.mark.parametrize("code", sorted(CODES))
def test_the_action_has_a_sentence(code, quality):
    assert code in _SENTENCES
    entry = ActivityLog(action=code, actor=quality, data=CODES[code])
    for language in ("ar", "en"):
        with translation.override(language):
            sentence = describe(entry)
        assert "…" not in sentence and code not in sentence
        assert quality.display_name in sentence
