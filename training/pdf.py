"""The training module's documents. Each renderer returns (filename, content type, bytes)."""

import io
from datetime import time

import segno
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import KeepTogether, PageBreak, Spacer, Table, TableStyle

from core.pdf import build_pdf, font, grid_style, long_date, para, styles
from training.checkin import day_hours

PDF = "application/pdf"


def _clock(training, day=None):
    """The hours of `day` (`day_hours`), or of the whole training."""
    if day is None:
        start = timezone.localtime(training.starts_at).time()
        end = timezone.localtime(training.ends_at).time()
    else:
        start, end = day_hours(training, day)
    if start == time.min and end == time.max:
        return _("all day")
    if end == time.max:
        return _("from %(start)s") % {"start": f"{start:%H:%M}"}
    if start == time.min:
        return _("until %(end)s") % {"end": f"{end:%H:%M}"}
    return f"{start:%H:%M}–{end:%H:%M}"


def _period(training):
    """2026年11月27日, or 2026年11月27日至2026年11月29日 for a training of several days."""
    first, *rest = training.days()
    if not rest:
        return long_date(first)
    return _("%(start)s to %(end)s") % {"start": long_date(first), "end": long_date(rest[-1])}


def _heading(training, document_name, when, day=None):
    style = styles()
    return [
        para(training.title, style["title"]),
        para(document_name, style["subtitle"]),
        Spacer(1, 3 * mm),
        para(_("Date: %(date)s") % {"date": when}, style["body"]),
        para(_("Time: %(time)s") % {"time": _clock(training, day)}, style["body"]),
        para(_("Venue: %(venue)s") % {"venue": training.venue or "-"}, style["body"]),
        Spacer(1, 3 * mm),
    ]


def sign_in_sheet(training):
    """签到表: one sheet per day of the training, attendees grouped by unit, with 序号, 单位,
    姓名, 职务, a masked phone and room to sign."""
    style = styles()
    days = training.days()
    attendees = list(training.attendees.select_related("unit", "unit__category"))
    header = [_("No."), _("Unit"), _("Name"), _("Position"), _("Phone"), _("Signature")]
    widths = [12 * mm, 52 * mm, 24 * mm, 32 * mm, 28 * mm, 32 * mm]
    flowables = []
    for index, day in enumerate(days, start=1):
        rows = [[para(text, style["head"]) for text in header]]
        for number, attendee in enumerate(attendees, start=1):
            rows.append(
                [
                    str(number),
                    para(attendee.unit.name, style["cell"]),
                    para(attendee.name, style["cell"]),
                    para(attendee.position, style["cell"]),
                    attendee.masked_phone,
                    "",
                ]
            )
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(grid_style())
        table.setStyle(TableStyle([("ROWHEIGHT", (0, 1), (-1, -1), 9 * mm)]))
        when = long_date(day)
        if len(days) > 1:
            when = _("%(date)s (day %(day)d of %(days)d)") % {
                "date": when,
                "day": index,
                "days": len(days),
            }
        if flowables:
            flowables.append(PageBreak())
        heading = _heading(training, _("Sign-in sheet"), when, day)
        if training.organizing_unit:
            heading.insert(
                -1,
                para(
                    _("Organized by: %(unit)s") % {"unit": training.organizing_unit.name},
                    style["body"],
                ),
            )
        # the lines the paper sheet ends with: the count, and who kept it
        footer = [
            Spacer(1, 4 * mm),
            para(
                _("Expected: %(expected)d; present: ______") % {"expected": len(attendees)},
                style["body"],
            ),
            Spacer(1, 4 * mm),
            para(_("Kept by: ______________    Checked by: ______________"), style["body"]),
        ]
        flowables += [*heading, table, KeepTogether(footer)]
    title = _("%(title)s sign-in sheet") % {"title": training.title}
    return f"{title}.pdf", PDF, build_pdf(title, flowables)


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
    title = _("%(title)s attendance summary") % {"title": training.title}
    content = build_pdf(
        title, [*_heading(training, _("Attendance summary"), _period(training)), table]
    )
    return f"{title}.pdf", PDF, content


def certificate_number(training, attendee):
    """证书编号: the year, the training and the attendee, e.g. 2026-009-00042."""
    return f"{training.year}-{training.pk:03d}-{attendee.pk:05d}"


def certificates(training, attendees):
    """培训证书: one A4 landscape page per attendee, with its number and room for the seal."""
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    title = _("%(title)s certificates") % {"title": training.title}
    pdf.setTitle(title)
    issued = long_date(timezone.localdate(training.ends_at))
    organizer = training.organizing_unit.name if training.organizing_unit else ""
    body_style = styles()["body"].clone("certificate", fontSize=18, leading=34, firstLineIndent=36)
    for attendee in attendees:
        pdf.setStrokeColor(colors.HexColor("#b8860b"))
        pdf.setLineWidth(3)
        pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        pdf.setLineWidth(1)
        pdf.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)
        pdf.setFillColor(colors.HexColor("#8b0000"))
        pdf.setFont(font("title"), 40)
        pdf.drawCentredString(width / 2, height - 50 * mm, _("Training Certificate"))
        pdf.setFillColor(colors.black)
        text = _(
            "%(name)s (%(unit)s) attended %(title)s on %(period)s and completed all of its "
            "courses. This certificate is awarded in recognition."
        ) % {
            "name": attendee.name,
            "unit": attendee.unit.name,
            "title": training.title,
            "period": _period(training),
        }
        paragraph = para(text, body_style)
        used = paragraph.wrap(width - 80 * mm, height)[1]
        paragraph.drawOn(pdf, 40 * mm, height - 75 * mm - used)
        # 落款 at the lower right, where the seal is stamped over the name and date
        pdf.setFont(font("body"), 16)
        centre = width - 80 * mm
        if organizer:
            pdf.drawCentredString(centre, 52 * mm, organizer)
        pdf.drawCentredString(centre, 42 * mm, issued)
        pdf.setFont(font("body"), 11)
        pdf.drawString(
            30 * mm,
            25 * mm,
            _("Certificate no. %(number)s") % {"number": certificate_number(training, attendee)},
        )
        pdf.showPage()
    pdf.save()
    return f"{title}.pdf", PDF, buffer.getvalue()


def _draw_qr(pdf, text, x, y, size):
    """A QR code of `text` as vector squares, `size` wide with its lower left corner at x, y
    (segno builds the matrix; no image in between, so it prints sharp at any size)."""
    qr = segno.make(text, error="m")
    rows = list(qr.matrix)
    quiet = 4  # the quiet zone the standard asks for, in modules
    module = size / (len(rows) + 2 * quiet)
    pdf.setFillColor(colors.black)
    for row_number, row in enumerate(rows):
        top = y + size - (quiet + row_number + 1) * module
        column = 0
        while column < len(row):  # one rectangle per run of dark modules
            if not row[column]:
                column += 1
                continue
            run = column
            while run < len(row) and row[run]:
                run += 1
            left = x + (quiet + column) * module
            # a hair taller than a module: rows overlap, so no seam shows between them
            pdf.rect(left, top - module * 0.02, (run - column) * module, module * 1.02, 0, 1)
            column = run


def check_in_poster(training, day, url, window):
    """扫码签到 poster: one A4 page for the venue's door, its code good for the whole of `day`'s
    sign-in window (`window` is (opens, closes)), which it says in print."""
    buffer = io.BytesIO()
    width, height = A4
    pdf = canvas.Canvas(buffer, pagesize=A4)
    title = _("%(title)s check-in poster") % {"title": training.title}
    pdf.setTitle(title)
    opens, closes = (timezone.localtime(moment) for moment in window)
    centre = width / 2
    heading = styles()["title"].clone("poster-title", fontSize=24, leading=34)
    paragraph = para(training.title, heading)
    used = paragraph.wrap(width - 40 * mm, height)[1]
    paragraph.drawOn(pdf, 20 * mm, height - 25 * mm - used)
    pdf.setFillColor(colors.HexColor("#8b0000"))
    pdf.setFont(font("title"), 40)
    pdf.drawCentredString(centre, height - 50 * mm - used, _("Scan to check in"))
    pdf.setFillColor(colors.black)
    pdf.setFont(font("body"), 15)
    lines = [
        _("Date: %(date)s") % {"date": long_date(day)},
        _("Check-in open: %(opens)s to %(closes)s")
        % {"opens": f"{opens:%H:%M}", "closes": f"{closes:%H:%M}"},
        _("Venue: %(venue)s") % {"venue": training.venue or "-"},
    ]
    for number, line in enumerate(lines):
        pdf.drawCentredString(centre, height - (64 + 9 * number) * mm - used, line)
    size = 120 * mm
    bottom = height - 98 * mm - used - size
    _draw_qr(pdf, url, centre - size / 2, bottom, size)
    body = styles()["body"].clone("poster-body", fontSize=13, leading=20, alignment=1)
    notes = [
        _(
            "Scan the code with your phone's camera or WeChat, then enter your name and the last "
            "4 digits of the phone you registered with."
        ),
        _("This code works only on %(date)s, from %(opens)s to %(closes)s.")
        % {"date": long_date(day), "opens": f"{opens:%H:%M}", "closes": f"{closes:%H:%M}"},
        _("No phone, or a problem? The staff at the sign-in desk will sign you in."),
    ]
    top = bottom - 8 * mm
    for note in notes:
        paragraph = para(note, body)
        used_note = paragraph.wrap(width - 50 * mm, height)[1]
        top -= used_note
        paragraph.drawOn(pdf, 25 * mm, top)
        top -= 3 * mm
    pdf.setFont("Helvetica", 7)
    pdf.drawCentredString(centre, 12 * mm, url)
    pdf.showPage()
    pdf.save()
    name = _("%(title)s check-in poster %(date)s") % {"title": training.title, "date": day}
    return f"{name}.pdf", PDF, buffer.getvalue()
