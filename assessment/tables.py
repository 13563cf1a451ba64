import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from assessment.models import Checklist, Rectification, SamplingRound, SpotCheck
from assessment.ranking import display_score, score
from assessment.year_end import indicator_key
from core.tables import Table


class ChecklistTable(Table):
    name = tables.Column(linkify=True)
    total = tables.Column(verbose_name=_("Total points"), orderable=False)
    used = tables.BooleanColumn(
        verbose_name=_("In use"), yesno=(_("Yes"), _("No")), orderable=False
    )

    class Meta:
        model = Checklist
        fields = ["name", "version", "year", "total", "used", "created_at"]


class RoundTable(Table):
    name = tables.Column(linkify=True)
    checks = tables.Column(verbose_name=_("Units drawn"))

    class Meta:
        model = SamplingRound
        fields = ["name", "year", "planned_start", "planned_end", "status", "checks", "drawn_at"]


class DrawTable(Table):
    """A drawn round as exported: the public notice of who checks whom."""

    unit = tables.Column(verbose_name=_("Unit"))
    category = tables.Column(verbose_name=_("Category"))
    checklist = tables.Column(verbose_name=_("Checklist"))
    inspectors = tables.Column(verbose_name=_("Inspectors"))


class SpotCheckTable(Table):
    unit = tables.Column(linkify=lambda record: record.get_absolute_url())
    # no such attribute: empty_values=() so that render_ runs instead of the "—" default
    inspector_names = tables.Column(verbose_name=_("Inspectors"), orderable=False, empty_values=())
    percentage = tables.Column()
    # exports only: the page marks a vetoed check in its percentage's cell (trial 8: the
    # export showed a plain 0.00)
    veto = tables.Column(verbose_name=_("veto"), accessor="vetoed", visible=False, orderable=False)

    class Meta:
        model = SpotCheck
        fields = ["date", "unit", "round", "checklist", "inspector_names", "status", "percentage"]
        order_by = ("-date",)

    def render_inspector_names(self, record):
        return "、".join(u.get_full_name() or u.username for u in record.inspectors.all()) or "—"

    def value_inspector_names(self, record):
        return self.render_inspector_names(record)

    def render_percentage(self, record):
        if record.percentage is None:
            return "—"
        if record.vetoed:
            return format_html(
                '<span class="badge text-bg-danger">{} {}</span>', record.percentage, _("veto")
            )
        return record.percentage

    def value_percentage(self, record):
        return record.percentage

    def value_veto(self, value):
        return gettext("Yes") if value else ""


class RectificationTable(Table):
    requirement = tables.Column(linkify=True)
    unit = tables.Column(accessor="spot_check__unit", verbose_name=_("Unit"))

    class Meta:
        model = Rectification
        fields = ["unit", "requirement", "deadline", "status", "responded_at"]
        row_attrs = {"class": lambda record: "table-danger" if record.is_overdue else ""}
        order_by = ("deadline",)

    # exports only: the page shows these as badges beside the deadline (trial 8)
    overdue = tables.Column(
        verbose_name=_("overdue"), accessor="is_overdue", visible=False, orderable=False
    )
    provisional = tables.Column(
        verbose_name=_("provisional deadline"),
        accessor="deadline_provisional",
        visible=False,
        orderable=False,
    )

    def render_requirement(self, value):
        return value if len(value) <= 40 else value[:40] + "…"

    def value_requirement(self, value):
        return value  # a file keeps the whole requirement (trial 8: cut at 40 characters)

    def value_overdue(self, value):
        return gettext("Yes") if value else ""

    def value_provisional(self, value):
        return gettext("Yes") if value else ""

    def render_deadline(self, record):
        deadline = render_to_string("includes/deadline.html", {"rectification": record})
        if record.is_overdue:
            return format_html(
                '{} <span class="badge text-bg-danger">{}</span>', deadline, _("overdue")
            )
        return deadline

    def value_deadline(self, record):
        return record.deadline  # a date a spreadsheet sorts (10月 sorted before 3月 as text)


class ScoreColumn(tables.Column):
    """A component or score column over hundredths (assessment.ranking.hundredths): shown and
    exported as the Decimal score, sorted by the int."""

    def render(self, value):
        return display_score(value)

    def value(self, value):
        return score(value)


class RankingTable(Table):
    """The ranking. Its rows are written by `rows_html` in one pass, not cell by cell through
    django-tables2's row template: at 50 rows × 13 columns that was two thirds of the page
    (a signature inspection and several template nodes per cell). Headers, sorting,
    pagination and exports are django-tables2's; every cell is its column's own render."""

    rank = tables.Column(verbose_name=_("Rank"), order_by=("position",))
    change = tables.Column(
        verbose_name=pgettext_lazy("ranking", "Change"), orderable=False, empty_values=()
    )
    unit = tables.Column(
        verbose_name=_("Unit"),
        # kept in view while the table scrolls sideways in its box on a phone
        attrs={"th": {"class": "sticky-start"}, "td": {"class": "sticky-start"}},
    )
    spot_checks = ScoreColumn(verbose_name=_("Spot checks"), empty_values=())
    training = ScoreColumn(verbose_name=_("Training"), empty_values=())
    bonus = ScoreColumn(verbose_name=_("Bonus"))
    deduction = ScoreColumn(verbose_name=_("Deduction"))
    final = ScoreColumn(
        verbose_name=_("Final"),
        order_by=("final_order",),
        attrs={"th": {"class": "sticky-end"}, "td": {"class": "sticky-end"}},
    )
    grade = tables.Column(verbose_name=_("Grade"), order_by=("grade_order",))
    # exports only: a vetoed unit's final reads 一票否决, its computed score is kept here
    computed_final = ScoreColumn(
        verbose_name=_("Computed final"), accessor="final", visible=False, orderable=False
    )

    class Meta:
        orderable = True
        template_name = "assessment/ranking_table.html"

    def render_unit(self, value, record):
        url = reverse("assessment:breakdown", args=[record["unit_id"]])
        if record["lacking"] and record["final"] is not None:
            lacking = ngettext(
                "%(count)d indicator value missing",
                "%(count)d indicator values missing",
                record["lacking"],
            ) % {"count": record["lacking"]}
            return format_html(
                '<a href="{}">{}</a> <span class="badge text-bg-warning">{}</span>',
                url,
                value,
                lacking,
            )
        return format_html('<a href="{}">{}</a>', url, value)

    def value_unit(self, value, record):
        return value

    def render_change(self, value, record):
        if value == "new":
            return gettext("new")
        if not value:
            return "—"
        return f"↑{value}" if value > 0 else f"↓{-value}"

    def value_change(self, value, record):
        return self.render_change(value, record)

    def render_spot_checks(self, value, record):
        return display_score(value) if value is not None else gettext("not sampled")

    def value_spot_checks(self, value, record):
        return score(value)

    def render_training(self, value, record):
        return display_score(value) if value is not None else gettext("no training required")

    def value_training(self, value, record):
        return score(value)

    def render_final(self, value, record):
        if record["vetoed"]:
            return format_html('<span class="badge text-bg-danger">{}</span>', gettext("Veto"))
        return display_score(value)

    def value_final(self, value, record):
        return str(_("Veto")) if record["vetoed"] else score(value)

    def rows_html(self):
        """The rows of the page as HTML (see the class docstring). Each cell is what
        django-tables2 would show: the column's default for an empty value, else the table's
        render_<name> or the column's render."""
        columns = [
            (
                str(column.accessor),
                column.column.empty_values,
                str(column.default),
                getattr(self, f"render_{column.name}", None),
                column.column.render,
                column.attrs["td"].as_html(),
            )
            for column in self.columns
        ]
        lines = []
        for row in self.paginated_rows:
            record = row.record
            cells = []
            for accessor, empty_values, default, table_render, column_render, attrs in columns:
                value = record.get(accessor)
                if value in empty_values:
                    content = default
                elif table_render is not None:
                    content = table_render(value=value, record=record)
                else:
                    content = column_render(value=value)
                cells.append(f"<td {attrs}>{conditional_escape(content)}</td>")
            cells = "".join(cells)
            lines.append(
                f'<tr class="table-danger">{cells}</tr>'
                if record["vetoed"]
                else f"<tr>{cells}</tr>"
            )
        # every cell's content is escaped above (conditional_escape keeps what render methods
        # built with format_html), and as_html escapes the attributes
        return mark_safe("\n".join(lines))  # noqa: S308


def ranking_table_class(indicators, *, overall, self_assessment=False):
    """A RankingTable with one column per indicator (and the category on the overall tab, and
    the self-assessment when the scheme weighs it)."""
    attrs = {
        indicator_key(indicator): ScoreColumn(verbose_name=indicator.name)
        for indicator in indicators
    }
    if self_assessment:
        attrs["self_assessment"] = ScoreColumn(verbose_name=_("Self-assessment"))
    sequence = ["rank", "change", "unit"]
    if overall:
        attrs["category"] = tables.Column(verbose_name=_("Category"))
        sequence.append("category")
    sequence += [
        "spot_checks",
        "training",
        *(indicator_key(indicator) for indicator in indicators),
        *(["self_assessment"] if self_assessment else []),
        "bonus",
        "deduction",
        "final",
        "grade",
        "computed_final",
    ]
    attrs["Meta"] = type("Meta", (RankingTable.Meta,), {"sequence": sequence})
    return type("YearRankingTable", (RankingTable,), attrs)
