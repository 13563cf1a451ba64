from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Assessment")

    def ready(self):
        """Every model the derived results are computed from says, when it is saved or
        deleted, which topics of core/derived.py changed (bulk writes, which send no signals,
        call `changed` themselves)."""
        from functools import partial

        from django.db.models.signals import post_delete, post_save

        from assessment.models import (
            Adjustment,
            Campaign,
            Indicator,
            IndicatorValue,
            PublishedResult,
            Scheme,
            SelfAssessment,
            SpotCheck,
        )
        from core.derived import ASSESSMENT, PUBLISHED, SPOT_CHECKS, TOPICS, TRAINING
        from core.models import Year
        from training.models import Attendee, Requirement, Training
        from units.models import Unit, UnitCategory

        topics_of = {
            Training: [TRAINING],
            Requirement: [TRAINING],
            Attendee: [TRAINING],
            SpotCheck: [SPOT_CHECKS],
            IndicatorValue: [ASSESSMENT],
            Adjustment: [ASSESSMENT],
            # submitted self-assessments make the year's self-assessment component
            SelfAssessment: [ASSESSMENT],
            Campaign: [ASSESSMENT],
            Scheme: [ASSESSMENT, PUBLISHED],
            Indicator: [ASSESSMENT, PUBLISHED],
            PublishedResult: [ASSESSMENT, PUBLISHED],
            Year: TOPICS,
            Unit: TOPICS,
            UnitCategory: TOPICS,
        }
        for model, topics in topics_of.items():
            receiver = partial(_changed, topics=topics)
            post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"derived-{model}")
            post_delete.connect(
                receiver, sender=model, weak=False, dispatch_uid=f"derived-d-{model}"
            )

        from assessment.services.deadlines import on_schedule_changed
        from workdays.signals import schedule_changed

        schedule_changed.connect(on_schedule_changed, dispatch_uid="rectification-deadlines")


def _changed(*args, topics, using, **kwargs):
    from core.derived import changed

    changed(*topics, using=using)
