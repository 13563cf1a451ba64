"""The training module's documents. Each renderer returns (filename, content type, bytes)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Spacer, Table, TableStyle

from core.pdf import build_pdf, cjk_font, grid_style, para, styles

PDF = "application/pdf"


def _time_range(training):
    start = timezone.localtime(training.starts_at)
    end = timezone.localtime(training.ends_at)
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M} – {end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}"


def _heading(training, document_name):
    style = styles()
    return [
        para(training.title, style["title"]),
        para(document_name, style["subtitle"]),
        Spacer(1, 3 * mm),
        para(
            _("Time: %(time)s    Venue: %(venue)s")
            % {"time": _time_range(training), "venue": training.venue or "-"},
            style["body"],
        ),
        Spacer(1, 4 * mm),
    ]


def sign_in_sheet(training):
    """签到表: attendees grouped by unit, a blank signature column for each day."""
    style = styles()
    days = training.days()
    attendees = training.attendees.select_related("unit", "unit__category")
    sign_headers = (
        [_("Signature %(day)s") % {"day": f"{day:%m-%d}"} for day in days]
        if len(days) > 1
        else [_("Signature")]
    )
    header = [_("No."), _("Unit"), _("Name"), _("Position"), *sign_headers]
    rows = [[para(text, style["head"]) for text in header]]
    for number, attendee in enumerate(attendees, start=1):
        rows.append(
            [
                str(number),
                para(attendee.unit.name, style["cell"]),
                para(attendee.name, style["cell"]),
                para(attendee.position, style["cell"]),
                *[""] * len(sign_headers),
            ]
        )
    fixed = [12 * mm, 50 * mm, 25 * mm, 35 * mm]
    sign_width = (A4[0] - 30 * mm - sum(fixed)) / len(sign_headers)
    table = Table(rows, colWidths=fixed + [sign_width] * len(sign_headers), repeatRows=1)
    table.setStyle(grid_style())
    table.setStyle(TableStyle([("ROWHEIGHT", (0, 1), (-1, -1), 9 * mm)]))
    for index in range(1, len(rows)):
        if index % 2 == 0:
            table.setStyle(TableStyle([("BACKGROUND", (0, index), (-1, index), "#f8f9fa")]))
    content = build_pdf(
        f"{training.title} {_('Sign-in sheet')}", [*_heading(training, _("Sign-in sheet")), table]
    )
    return f"sign-in-{training.pk}.pdf", PDF, content


def attendance_summary(training, rows, totals):
    """Per unit: seats required, registered, attended, partly, absent, excused."""
    style = styles()
    header = [
        _("Unit"),
        _("Seats required"),
        _("Registered"),
        _("Attended"),
        _("Partly"),
        _("Absent"),
        _("Excused"),
    ]
    data = [[para(text, style["head"]) for text in header]]
    for row in rows:
        data.append(
            [
                para(row["unit_name"], style["cell"]),
                row["seats"] or "-",
                row["registered"],
                row["attended"],
                row["partial"],
                row["absent"],
                row["excused"],
            ]
        )
    data.append(
        [
            para(_("Total"), style["cell"]),
            totals["seats"],
            totals["registered"],
            totals["attended"],
            totals["partial"],
            totals["absent"],
            totals["excused"],
        ]
    )
    table = Table(data, colWidths=[60 * mm] + [20 * mm] * 6, repeatRows=1)
    table.setStyle(grid_style())
    table.setStyle(TableStyle([("ALIGN", (1, 1), (-1, -1), "CENTER")]))
    content = build_pdf(
        f"{training.title} {_('Attendance summary')}",
        [*_heading(training, _("Attendance summary")), table],
    )
    return f"attendance-{training.pk}.pdf", PDF, content


def certificates(training, attendees):
    """培训证书: one A4 landscape page per attendee."""
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"{training.title} {_('Certificate')}")
    font = cjk_font()
    date = timezone.localtime(training.ends_at)
    organizer = training.organizing_unit.name if training.organizing_unit else ""
    style = styles()["body"]
    body_style = style.clone("certificate", fontSize=18, leading=32, firstLineIndent=36)
    for attendee in attendees:
        pdf.setStrokeColor(colors.HexColor("#b8860b"))
        pdf.setLineWidth(3)
        pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        pdf.setLineWidth(1)
        pdf.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)
        pdf.setFillColor(colors.HexColor("#8b0000"))
        pdf.setFont(font, 40)
        pdf.drawCentredString(width / 2, height - 50 * mm, _("Training Certificate"))
        pdf.setFillColor(colors.black)
        text = _(
            "%(name)s (%(unit)s) attended %(title)s from %(start)s to %(end)s and completed all "
            "of its courses. This certificate is awarded in recognition."
        ) % {
            "name": attendee.name,
            "unit": attendee.unit.name,
            "title": training.title,
            "start": f"{timezone.localtime(training.starts_at):%Y-%m-%d}",
            "end": f"{date:%Y-%m-%d}",
        }
        paragraph = para(text, body_style)
        used = paragraph.wrap(width - 80 * mm, height)[1]
        paragraph.drawOn(pdf, 40 * mm, height - 75 * mm - used)
        pdf.setFont(font, 14)
        pdf.drawRightString(width - 40 * mm, 50 * mm, organizer)
        pdf.drawRightString(width - 40 * mm, 40 * mm, f"{date:%Y-%m-%d}")
        pdf.setFont(font, 10)
        number = f"{training.year}-{training.pk:03d}-{attendee.pk:05d}"
        pdf.drawString(30 * mm, 25 * mm, _("Certificate no. %(number)s") % {"number": number})
        pdf.showPage()
    pdf.save()
    return f"certificates-{training.pk}.pdf", PDF, buffer.getvalue()
