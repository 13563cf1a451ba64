from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Assessment")

    def ready(self):
        """Every model the year-end computation reads raises the data version when it changes
        (bulk writes, which send no signals, call bump_version themselves)."""
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from assessment.models import (
            Adjustment,
            Indicator,
            IndicatorValue,
            PublishedResult,
            Scheme,
            SpotCheck,
        )
        from core.models import Year
        from core.versioning import bump_version, topics_of
        from training.models import Attendee, Requirement, Training
        from units.models import Unit, UnitCategory

        inputs = [
            Year,
            Unit,
            UnitCategory,
            Training,
            Requirement,
            Attendee,
            SpotCheck,
            Scheme,
            Indicator,
            IndicatorValue,
            Adjustment,
            PublishedResult,
        ]
        # which cached components a model's writes can change (undeclared: all of them)
        for model in (Training, Requirement, Attendee):
            topics_of(model, ["training"])
        topics_of(SpotCheck, ["spot_checks"])
        topics_of(SpotCheck.inspectors.through, [])
        for model in (Scheme, Indicator, PublishedResult):
            topics_of(model, ["published"])
        for model in (IndicatorValue, Adjustment):
            topics_of(model, [])
        for model in inputs:
            post_save.connect(bump_version, sender=model, dispatch_uid=f"version-{model.__name__}")
            post_delete.connect(
                bump_version, sender=model, dispatch_uid=f"version-d-{model.__name__}"
            )
        m2m_changed.connect(
            bump_version, sender=SpotCheck.inspectors.through, dispatch_uid="version-inspectors"
        )

        from assessment.services.deadlines import on_schedule_changed
        from workdays.signals import schedule_changed

        schedule_changed.connect(on_schedule_changed, dispatch_uid="rectification-deadlines")
