from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self):
        """The writers of the kept training components (training/components.py): every save
        or delete of an attendee, a requirement or a training's dates marks the units it
        changes stale, inside its own transaction."""
        from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

        from training import components
        from training.models import Attendee, Requirement, Training

        receivers = [
            (pre_save, Attendee, components.attendee_pre_save),
            (post_save, Attendee, components.attendee_post_save),
            (post_delete, Attendee, components.attendee_post_delete),
            (pre_save, Requirement, components.requirement_pre_save),
            (post_save, Requirement, components.requirement_post_save),
            (post_delete, Requirement, components.attendee_post_delete),
            (pre_save, Training, components.training_pre_save),
            (post_save, Training, components.training_post_save),
            (pre_delete, Training, components.training_pre_delete),
        ]
        for signal, model, receiver in receivers:
            signal.connect(
                receiver, sender=model, dispatch_uid=f"training-component-{receiver.__name__}"
            )
