"""The assessment module's documents. Each renderer returns (filename, content type, bytes)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from core.pdf import build_pdf, grid_style, para, styles

PDF = "application/pdf"


def _names(users):
    return "、".join(u.get_full_name() or u.username for u in users)


def round_notice(sampling_round, rows):
    """The public notice of a 双随机 draw: who checks whom, and how to verify the draw."""
    style = styles()
    header = [_("No."), _("Unit"), _("Category"), _("Inspectors")]
    data = [[para(text, style["head"]) for text in header]]
    for number, row in enumerate(rows, start=1):
        data.append(
            [
                str(number),
                para(row["unit"].name, style["cell"]),
                para(row["category"].name, style["cell"]),
                para(row["inspectors"], style["cell"]),
            ]
        )
    table = Table(data, colWidths=[12 * mm, 70 * mm, 40 * mm, 58 * mm], repeatRows=1)
    table.setStyle(grid_style())
    drawn_at = timezone.localtime(sampling_round.drawn_at)
    flowables = [
        para(sampling_round.name, style["title"]),
        para(_("Notice of the random draw (双随机)"), style["subtitle"]),
        Spacer(1, 4 * mm),
        para(
            _(
                "Drawn on %(when)s: %(count)d of %(population)d units, %(per)d inspectors each. "
                "Random seed %(seed)s, algorithm version %(version)s; anyone can redraw with "
                "them and obtain the same result."
            )
            % {
                "when": f"{drawn_at:%Y-%m-%d %H:%M}",
                "count": len(rows),
                "population": len(sampling_round.population),
                "per": sampling_round.inspectors_per_check,
                "seed": sampling_round.seed,
                "version": sampling_round.algorithm_version,
            },
            style["body"],
        ),
        Spacer(1, 4 * mm),
        table,
    ]
    content = build_pdf(sampling_round.name, flowables)
    return f"round-{sampling_round.pk}.pdf", PDF, content


def feedback_report(spot_check, rows, score):
    """检查反馈单: each item's points and finding, the total, and the rectifications."""
    style = styles()
    info = [
        [_("Unit"), spot_check.unit.name, _("Date"), f"{spot_check.date:%Y-%m-%d}"],
        [
            _("Checklist"),
            str(spot_check.checklist),
            _("Inspectors"),
            _names(spot_check.inspectors.all()),
        ],
    ]
    info_table = Table(
        [[para(cell, style["cell"]) for cell in row] for row in info],
        colWidths=[22 * mm, 68 * mm, 22 * mm, 68 * mm],
    )
    info_table.setStyle(grid_style())
    info_table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.white)]))
    header = [_("Item"), _("Max points"), _("Points"), _("Finding")]
    data = [[para(text, style["head"]) for text in header]]
    for row in rows:
        entry = row["entry"]
        if entry["not_applicable"]:
            points = _("N/A")
        elif row["item"].is_veto and entry["veto_failed"]:
            points = _("Veto failed")
        else:
            points = "-" if row["points"] is None else str(row["points"])
        data.append(
            [
                para(row["item"].text, style["cell"]),
                str(row["item"].max_points),
                para(points, style["cell"]),
                para(entry["finding"], style["cell"]),
            ]
        )
    items_table = Table(data, colWidths=[70 * mm, 18 * mm, 18 * mm, 74 * mm], repeatRows=1)
    items_table.setStyle(grid_style())
    total = _("Total: %(earned)s of %(possible)s points, %(percentage)s%%") % {
        "earned": score.earned,
        "possible": score.possible,
        "percentage": score.percentage if score.percentage is not None else "-",
    }
    flowables = [
        para(_("Spot check feedback report"), style["title"]),
        Spacer(1, 4 * mm),
        info_table,
        Spacer(1, 4 * mm),
        items_table,
        Spacer(1, 3 * mm),
        para(total, style["body"]),
    ]
    if score.vetoed:
        flowables.append(para(_("A veto item failed: the check scores 0."), style["body"]))
    if spot_check.summary:
        flowables += [Spacer(1, 2 * mm), para(spot_check.summary, style["body"])]
    rectifications = list(spot_check.rectifications.select_related("item"))
    if rectifications:
        flowables += [Spacer(1, 4 * mm), para(_("Rectification requirements"), style["subtitle"])]
        for number, rectification in enumerate(rectifications, start=1):
            flowables.append(
                para(
                    _("%(number)d. %(requirement)s (deadline %(deadline)s)")
                    % {
                        "number": number,
                        "requirement": rectification.requirement,
                        "deadline": rectification.deadline_text,
                    },
                    style["body"],
                )
            )
    content = build_pdf(_("Spot check feedback report"), flowables)
    return f"feedback-{spot_check.pk}.pdf", PDF, content


def assessment_notice(year, grades, figures):
    """通报: the year's assessment results, per category with grades, and a short summary."""
    style = styles()
    scheme = year.scheme
    issued = (
        timezone.localtime(scheme.year.locked_at) if scheme.year.locked_at else timezone.localtime()
    )
    title = _("Notice of the %(year)d assessment of government information disclosure work") % {
        "year": scheme.year.year
    }
    training = figures["training"]
    summary = _(
        "In %(year)d the city held %(trainings)d trainings in %(batches)d batches with "
        "%(person_times)d person-times attended, covering %(covered)d of %(required)d units "
        "required; %(checks)d spot checks were confirmed, averaging %(average)s%%, and "
        "%(rectifications)d rectifications were raised. %(assessed)d units were assessed."
    ) % {
        "year": scheme.year.year,
        "trainings": training["trainings"],
        "batches": training["batches"],
        "person_times": training["person_times"],
        "covered": training["covered_units"],
        "required": training["required_units"],
        "checks": figures["checks"],
        "average": figures["average"] if figures["average"] is not None else "-",
        "rectifications": figures["rectifications"],
        "assessed": sum(1 for result in year.results.values() if result.assessed),
    }
    flowables = [
        para(title, style["title"]),
        para(scheme.issuing_office, style["subtitle"]),
        para(f"{issued:%Y-%m-%d}", style["subtitle"]),
        Spacer(1, 5 * mm),
        para(summary, style["body"]),
    ]
    if not year.published:
        flowables.append(para(_("Draft: computed live, not yet published."), style["body"]))
    header = [_("Rank"), _("Unit"), _("Final"), _("Grade")]
    for outcome in year.categories.values():
        if not outcome.results:
            continue
        name = year.units[outcome.results[0].unit_id].category.name
        data = [[para(text, style["head"]) for text in header]]
        for result in outcome.results:
            grade = grades.get(result.grade, "")
            if result.vetoed:
                grade = f"{grade}（{_('veto')}）"
            data.append(
                [
                    str(result.category_rank),
                    para(year.units[result.unit_id].name, style["cell"]),
                    str(result.final),
                    para(grade, style["cell"]),
                ]
            )
        table = Table(data, colWidths=[18 * mm, 92 * mm, 30 * mm, 40 * mm], repeatRows=1)
        table.setStyle(grid_style())
        flowables += [Spacer(1, 5 * mm), para(name, style["subtitle"]), Spacer(1, 2 * mm), table]
        if outcome.quota_exceeded:
            flowables.append(
                para(
                    _(
                        "Units tied at rank %(rank)d straddle the 优秀 quota of %(quota)d, so all "
                        "of them keep 优秀."
                    )
                    % {"rank": outcome.boundary_rank, "quota": outcome.quota},
                    style["body"],
                )
            )
    content = build_pdf(title, flowables)
    return f"assessment-{scheme.year.year}.pdf", PDF, content
