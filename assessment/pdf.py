"""The assessment module's documents. Each renderer returns (filename, content type, bytes)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from core.pdf import NumberedCanvas, cjk_font, para, styles

PDF = "application/pdf"


def _grid():
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), cjk_font()),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
    )


def _build(title, flowables):
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
    )
    document.build(flowables, canvasmaker=NumberedCanvas)
    return buffer.getvalue()


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
    table.setStyle(_grid())
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
    content = _build(sampling_round.name, flowables)
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
    info_table.setStyle(_grid())
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
    items_table.setStyle(_grid())
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
                        "deadline": f"{rectification.deadline:%Y-%m-%d}",
                    },
                    style["body"],
                )
            )
    content = _build(_("Spot check feedback report"), flowables)
    return f"feedback-{spot_check.pk}.pdf", PDF, content
