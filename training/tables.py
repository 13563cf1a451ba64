import django_tables2 as tables
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.tables import Table
from training.models import Attendee, Training


class TrainingTable(Table):
    title = tables.Column(linkify=True)
    starts_at = tables.Column(verbose_name=_("Time"))
    required_count = tables.Column(verbose_name=_("Units required"))
    attendee_count = tables.Column(verbose_name=_("Registered"))
    attended_count = tables.Column(verbose_name=_("Attended"))

    class Meta:
        model = Training
        fields = ["batch", "title", "kind", "starts_at", "venue", "status", "capacity"]
        sequence = [
            "batch",
            "title",
            "kind",
            "starts_at",
            "venue",
            "status",
            "capacity",
            "required_count",
            "attendee_count",
            "attended_count",
        ]
        order_by = ("-starts_at",)

    def render_starts_at(self, record):
        start = timezone.localtime(record.starts_at)
        end = timezone.localtime(record.ends_at)
        if start.date() == end.date():
            return f"{date_format(start, 'DATETIME_FORMAT')}–{end:%H:%M}"
        return f"{date_format(start, 'DATE_FORMAT')} – {date_format(end, 'MONTH_DAY_FORMAT')}"

    def value_starts_at(self, record):
        return self.render_starts_at(record)


class AttendeeTable(Table):
    unit = tables.Column(
        order_by=("unit__category__sort_order", "unit__sort_order"),
        attrs={"td": {"class": "cell-min-8"}},
    )
    # a long position or note wraps inside its own column instead of squeezing the others
    position = tables.Column(attrs={"td": {"class": "text-anywhere"}})
    note = tables.Column(attrs={"td": {"class": "text-anywhere"}})
    phone = tables.Column()
    actions = tables.Column(
        verbose_name="", orderable=False, exclude_from_export=True, empty_values=()
    )

    class Meta:
        model = Attendee
        fields = ["unit", "name", "position", "phone", "duty", "status", "checked_in_at", "note"]
        order_by = ("unit",)
        row_attrs = {"data-status": lambda record: record.status}

    def __init__(
        self, *args, show_full_phone=False, can_remove=False, can_see_history=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.show_full_phone = show_full_phone
        self.can_remove = can_remove
        self.can_see_history = can_see_history
        if not (can_remove or can_see_history):
            self.exclude = ("actions",)

    def render_actions(self, record):
        # built here rather than in a TemplateColumn: that renders a template per cell
        links = []
        if self.can_see_history:
            links.append(
                format_html(
                    '<a class="btn btn-link btn-sm p-0 me-2" href="{}">{}</a>',
                    reverse("history", args=["attendee", record.pk]),
                    _("history"),
                )
            )
        if self.can_remove:
            links.append(
                format_html(
                    '<a class="btn btn-link btn-sm p-0 me-2" href="{}">{}</a>',
                    reverse("training:attendee_edit", args=[record.training_id, record.pk]),
                    _("Edit"),
                )
            )
            links.append(
                format_html(
                    '<form method="post" action="{}" class="d-inline">'
                    '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                    '<button type="submit" class="btn btn-link btn-sm text-danger p-0" '
                    'data-confirm="{}">{}</button></form>',
                    reverse("training:attendee_remove", args=[record.training_id, record.pk]),
                    get_token(self.request),
                    _("Remove this registration?"),
                    _("Remove"),
                )
            )
        return format_html_join(" ", "{}", ((link,) for link in links))

    def render_phone(self, record):
        return record.phone if self.show_full_phone else record.masked_phone

    def value_phone(self, record):
        return self.render_phone(record)

    def render_status(self, record):
        css = {
            Attendee.Status.ATTENDED: "success",
            Attendee.Status.PARTIAL: "warning",
            Attendee.Status.ABSENT: "danger",
            Attendee.Status.EXCUSED: "secondary",
        }.get(record.status, "light text-dark")
        return format_html(
            '<span class="badge text-bg-{}">{}</span>', css, record.get_status_display()
        )

    def value_status(self, record):
        return record.get_status_display()


class UnitTrainingTable(Table):
    """The statistics page's per-unit rows (plain dicts built by training.stats)."""

    unit = tables.Column(verbose_name=_("Unit"), order_by=("sort_key",))
    category = tables.Column(verbose_name=_("Category"))
    required = tables.Column(verbose_name=_("Trainings required"))
    full = tables.Column(verbose_name=_("Attended in full"))
    partly = tables.Column(verbose_name=_("Partly"))
    missed = tables.Column(verbose_name=_("Missed"))
    component = tables.Column(verbose_name=_("Training score"))

    class Meta:
        row_attrs = {"class": lambda record: "table-warning" if record["missed"] else ""}
        order_by = ("unit",)

    def render_component(self, value):
        return value if value is not None else "—"
