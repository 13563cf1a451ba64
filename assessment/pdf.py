"""The assessment module's documents. Each renderer returns (filename, content type, bytes).

The 通报 is laid out as GB/T 9704-2012 lays out an official document; the others carry the
issuing office, dates as Chinese documents write them and the signature lines of their paper
versions."""

from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer, Table, TableStyle

from assessment.models import Scheme, SpotCheck
from assessment.scoring import EXCELLENT, FAIL, GOOD, PASS
from core.decimals import round_score
from core.pdf import (
    ImprintBlock,
    Masthead,
    build_pdf,
    grid_style,
    long_date,
    official_styles,
    para,
    signature_block,
    styles,
)
from workdays.counting import WorkdayCalendarError, add_working_days

PDF = "application/pdf"


def _names(users):
    return "、".join(u.get_full_name() or u.username for u in users)


def score_text(value):
    """A score as people read it: always 2 places."""
    return "-" if value is None else str(round_score(value))


def year_settings(year):
    """The year's scheme (issuing office, addressees, 公示期, …), or one with the defaults."""
    scheme = Scheme.objects.filter(year__year=year).select_related("year").first()
    return scheme or Scheme()


def _plain_signature(office, date_text):
    """落款 of a working document: the office and the date, right-aligned, room for a seal."""
    style = styles()["body"].clone("signature", alignment=2, fontSize=12, leading=20)
    return signature_block(office, date_text, style, seal_lines=2)


def _signature_lines(labels):
    """Blank lines to sign on paper: "<label>：________  日期：____年__月__日" per label."""
    style = styles()["body"].clone("sign", fontSize=11, leading=16)
    date_blank = _("Date: ______")
    rows = [
        [para(f"{label}____________________", style), para(date_blank, style)] for label in labels
    ]
    table = Table(rows, colWidths=[120 * mm, 60 * mm])
    table.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 8 * mm)]))
    return table


def round_notice(sampling_round, rows):
    """双随机 public notice: who checks whom, the 公示期 and where to object. The seed and the
    redraw stay on the round page, for inspectors."""
    style = styles()
    settings = year_settings(sampling_round.year)
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
    drawn_on = timezone.localdate(sampling_round.drawn_at)
    try:
        period_end = add_working_days(drawn_on, settings.publicity_days)
    except WorkdayCalendarError:
        period_end = None
    if period_end is None:
        period = _("%(days)d working days from %(start)s") % {
            "days": settings.publicity_days,
            "start": long_date(drawn_on),
        }
    else:
        period = _("%(start)s to %(end)s (%(days)d working days)") % {
            "start": long_date(drawn_on),
            "end": long_date(period_end.date)
            if not period_end.provisional
            else _("%(date)s (provisional)") % {"date": long_date(period_end.date)},
            "days": settings.publicity_days,
        }
    objection = _(
        "Publicity period: %(period)s. Anyone who finds the draw or an assignment improper "
        "during the period may report it to %(office)s."
    ) % {"period": period, "office": settings.issuing_office}
    if settings.supervision_phone:
        objection += _("Supervision telephone: %(phone)s.") % {"phone": settings.supervision_phone}
    flowables = [
        para(_("Public notice of the random spot-check draw"), style["title"]),
        para(sampling_round.name, style["subtitle"]),
        Spacer(1, 4 * mm),
        para(
            _(
                "On %(when)s, %(count)d of %(population)d units were drawn at random to be "
                "checked, and %(per)d inspectors were drawn at random for each of them. The "
                "result is published as follows."
            )
            % {
                "when": long_date(drawn_on),
                "count": len(rows),
                "population": len(sampling_round.population),
                "per": sampling_round.inspectors_per_check,
            },
            style["body"].clone("notice-body", firstLineIndent=21),
        ),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 4 * mm),
        KeepTogether(
            [
                para(objection, style["body"].clone("notice-objection", firstLineIndent=21)),
                *_plain_signature(settings.issuing_office, long_date(drawn_on)),
            ]
        ),
    ]
    title = _("%(name)s public notice of the draw") % {"name": sampling_round.name}
    return f"{title}.pdf", PDF, build_pdf(title, flowables)


def _info_table(info, style):
    """The two-row grid of facts at the top of a feedback sheet."""
    table = Table(
        [[para(cell, style["cell"]) for cell in row] for row in info],
        colWidths=[24 * mm, 66 * mm, 22 * mm, 68 * mm],
    )
    table.setStyle(grid_style())
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.white)]))
    return table


def _items_table(rows, header, note_of, style):
    """One line per checklist item: text, max points, points and `note_of(row)`."""
    data = [[para(text, style["head"]) for text in header]]
    for row in rows:
        data.append(
            [
                para(row["item"].text, style["cell"]),
                para(row["max_text"], style["cell"]),
                para(row["points_text"], style["cell"]),
                para(note_of(row), style["cell"]),
            ]
        )
    # splitInRow: a finding longer than a page flows on to the next page
    table = Table(data, colWidths=[62 * mm, 20 * mm, 24 * mm, 74 * mm], repeatRows=1, splitInRow=1)
    table.setStyle(grid_style())
    return table


def _feedback_body(settings, title, info_table, items_table, score, summary, style):
    """The part a spot check's and a self-assessment's feedback sheets share: office, title,
    facts, the items, the total and the overall note."""
    flowables = [
        para(settings.issuing_office, style["subtitle"]),
        para(title, style["title"]),
        Spacer(1, 4 * mm),
        info_table,
        Spacer(1, 4 * mm),
        items_table,
        Spacer(1, 3 * mm),
        para(_total_text(score), style["body"]),
    ]
    if summary:
        flowables += [Spacer(1, 2 * mm), para(summary, style["body"])]
    return flowables


def _total_text(score):
    if score.vetoed:
        return _("Total: a veto item failed, so the check scores 0.")
    if score.unscored:  # a total over part of the items would read as the unit's score
        return ngettext(
            "Total: %(count)d item has not been scored yet; the total follows when every "
            "item is scored.",
            "Total: %(count)d items have not been scored yet; the total follows when every "
            "item is scored.",
            score.unscored,
        ) % {"count": score.unscored}
    return _("Total: %(earned)s of %(possible)s points, %(percentage)s%%") % {
        "earned": score_text(score.earned),
        "possible": score_text(score.possible),
        "percentage": score_text(score.percentage),
    }


def _finding_and_faults(row):
    """The inspector's finding, then the faults counted on the item (缺少审查记录 ×6)."""
    return "\n".join(filter(None, [row["entry"]["finding"], *row["faults"]]))


def feedback_report(spot_check, rows, score):
    """检查反馈单: each item's points and finding, the total, the rectifications, and lines
    for the inspection team and the unit to sign."""
    style = styles()
    settings = year_settings(spot_check.date.year)
    info = [
        [_("Unit inspected"), spot_check.unit.name, _("Date"), long_date(spot_check.date)],
        [
            _("Checklist"),
            str(spot_check.checklist),
            _("Inspectors"),
            _names(spot_check.inspectors.all()),
        ],
        [_("Status"), spot_check.get_status_display(), "", ""],
    ]
    info_table = _info_table(info, style)
    header = [_("Item"), _("Max points"), _("Points"), _("Finding")]
    items_table = _items_table(rows, header, _finding_and_faults, style)
    flowables = _feedback_body(
        settings,
        _("Spot check feedback report"),
        info_table,
        items_table,
        score,
        spot_check.summary,
        style,
    )
    rectifications = list(spot_check.rectifications.select_related("item"))
    if rectifications:
        flowables += [Spacer(1, 4 * mm), para(_("Rectification requirements"), style["heading"])]
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
    flowables += [
        Spacer(1, 6 * mm),
        KeepTogether(
            _signature_lines(
                [
                    _("Inspection team (signatures): "),
                    _("Person in charge of the unit (signature): "),
                ]
            )
        ),
    ]
    title = _("Spot check feedback report %(unit)s %(date)s") % {
        "unit": spot_check.unit.name,
        "date": long_date(spot_check.date),
    }
    # not the check's result until it is submitted (then confirmed)
    finished = spot_check.status in (SpotCheck.Status.SUBMITTED, SpotCheck.Status.CONFIRMED)
    watermark = "" if finished else _("Draft")
    return f"{title}.pdf", PDF, build_pdf(title, flowables, watermark=watermark)


def self_assessment_report(self_assessment, rows, score):
    """自查自评反馈单: the unit's own points, notes and evidence per item and its total, for the
    unit's records, with lines for the unit to sign; laid out as the 检查反馈单."""
    style = styles()
    campaign = self_assessment.campaign
    settings = year_settings(campaign.year)
    # a returned one keeps the date it was last submitted: the status says it was returned
    submitted = (
        long_date(timezone.localtime(self_assessment.submitted_at))
        if self_assessment.submitted_at
        else _("not submitted")
    )
    info = [
        [_("Unit"), self_assessment.unit.name, _("Status"), self_assessment.get_status_display()],
        [_("Checklist"), str(campaign.checklist), _("Campaign"), campaign.name],
        [
            _("Submission time"),
            submitted,
            _("Reason for returning"),
            self_assessment.return_reason or "—",
        ],
    ]
    info_table = _info_table(info, style)
    evidence = {}
    for file in self_assessment.evidence.all():
        evidence.setdefault(file.item_id, []).append(file.original_name)

    def note_and_evidence(row):
        note, files = _finding_and_faults(row), evidence.get(row["item"].pk)
        if not files:
            return note
        listed = _("Evidence: ") + "、".join(files)
        return f"{note}；{listed}" if note else listed

    header = [_("Item"), _("Max points"), _("Self-assessed"), _("Note and evidence")]
    items_table = _items_table(rows, header, note_and_evidence, style)
    flowables = _feedback_body(
        settings,
        _("Self-assessment feedback sheet"),
        info_table,
        items_table,
        score,
        self_assessment.summary,
        style,
    )
    flowables += [
        Spacer(1, 6 * mm),
        KeepTogether(
            _signature_lines(
                [
                    _("Filled in by (signature): "),
                    _("Head of the unit (signature): "),
                ]
            )
        ),
    ]
    title = _("Self-assessment feedback sheet %(unit)s %(campaign)s") % {
        "unit": self_assessment.unit.name,
        "campaign": campaign.name,
    }
    watermark = "" if self_assessment.status == "submitted" else _("Draft")
    return f"{title}.pdf", PDF, build_pdf(title, flowables, watermark=watermark)


def rectification_notice(rectification):
    """整改通知书: the requirement, the checklist item it concerns, the deadline in working days
    and as a date, and how to answer."""
    style = styles()
    check = rectification.spot_check
    settings = year_settings(check.date.year)
    body = style["body"].clone("rectification-body", fontSize=12, leading=22, firstLineIndent=24)
    flush = body.clone("rectification-flush", firstLineIndent=0)
    item = rectification.item
    rows = [
        [_("Checklist item"), item.text if item else _("The check as a whole")],
        [_("Requirement"), rectification.requirement],
        [
            _("Deadline"),
            _("Within %(days)d working days, by %(deadline)s")
            % {
                "days": rectification.working_days,
                # marked 暂定 while the year's holidays are not known yet, as on the pages
                "deadline": _("%(date)s (provisional)")
                % {"date": long_date(rectification.deadline)}
                if rectification.deadline_provisional
                else long_date(rectification.deadline),
            },
        ],
    ]
    if item and item.guidance:
        rows.insert(1, [_("Basis"), item.guidance])
    table = Table(
        [[para(label, style["head"]), para(value, style["cell"])] for label, value in rows],
        colWidths=[30 * mm, 150 * mm],
        splitInRow=1,
    )
    table.setStyle(grid_style(header_rows=0))
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#e9ecef"))]))
    raised_on = rectification.raised_on
    flowables = [
        para(settings.issuing_office, style["subtitle"]),
        para(_("Rectification notice"), style["title"]),
        Spacer(1, 6 * mm),
        para(_("%(unit)s:") % {"unit": check.unit.name}, flush),
        para(
            _(
                "On %(date)s the inspection team checked your unit's government information "
                "disclosure work against %(checklist)s and found the following to be rectified."
            )
            % {"date": long_date(check.date), "checklist": check.checklist},
            body,
        ),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 3 * mm),
        # the last paragraph and the 落款 on one page: the 落款 never stands alone (trial 8)
        KeepTogether(
            [
                para(
                    _(
                        "Before the deadline, sign in to the system and answer this "
                        "rectification with what was done and the supporting files; the "
                        "inspectors then verify it. A rectification not completed by the "
                        "deadline is proposed as a deduction in the year-end assessment."
                    ),
                    body,
                ),
                *_plain_signature(settings.issuing_office, long_date(raised_on)),
            ]
        ),
        Spacer(1, 6 * mm),
        _signature_lines([_("Received by (signature): ")]),
    ]
    title = _("Rectification notice %(unit)s %(date)s") % {
        "unit": check.unit.name,
        "date": long_date(raised_on),
    }
    return f"{title}.pdf", PDF, build_pdf(title, flowables)


def notice_filename(year, published):
    name = _("%(year)d government information disclosure assessment results notice") % {
        "year": year
    }
    if not published:
        name = _("%(name)s (draft)") % {"name": name}
    return f"{name}.pdf"


def _grade_counts(year):
    counts = {EXCELLENT: 0, GOOD: 0, PASS: 0, FAIL: 0}
    for result in year.results.values():
        if result.assessed and result.grade in counts:
            counts[result.grade] += 1
    return counts


def _ranking_tables(year, grades, style):
    """The 附件: per category, rank, unit, final score (一票否决 for a vetoed unit), grade."""
    flowables = []
    header = [_("Rank"), _("Unit"), _("Final"), _("Grade")]

    def category(outcome):
        return year.units[outcome.results[0].unit_id].category

    # in the categories' order, as the ranking's tabs (a published record kept another order)
    ranked = [outcome for outcome in year.categories.values() if outcome.results]
    for outcome in sorted(ranked, key=lambda o: (category(o).sort_order, category(o).name)):
        name = category(outcome).name
        data = [[para(text, style["head"]) for text in header]]
        for result in outcome.results:
            final = _("Veto") if result.vetoed else score_text(result.final)
            data.append(
                [
                    para(result.category_rank or "", style["cell"]),
                    para(year.units[result.unit_id].name, style["cell"]),
                    para(final, style["cell"]),
                    para(grades.get(result.grade, ""), style["cell"]),
                ]
            )
        table = Table(data, colWidths=[18 * mm, 82 * mm, 28 * mm, 28 * mm], repeatRows=1)
        table.setStyle(grid_style())
        flowables += [Spacer(1, 4 * mm), para(name, style["heading"]), Spacer(1, 2 * mm), table]
        if outcome.quota_exceeded:
            flowables.append(
                para(
                    _(
                        "Units tied at rank %(rank)d straddle the 优秀 quota of %(quota)d, so all "
                        "of them keep 优秀."
                    )
                    % {"rank": outcome.boundary_rank, "quota": outcome.quota},
                    style["cell"],
                )
            )
    return flowables


def _year_summary(number, figures, assessed):
    """The notice's account of the year, a sentence per activity; a year without trainings or
    checks says so rather than printing 0个中的0个 or 平均得分率-%."""
    training = figures["training"]
    facts = {
        "year": number,
        "trainings": training["trainings"],
        "batches": training["batches"],
        "person_times": training["person_times"],
        "covered": training["covered_units"],
        "required": training["required_units"],
        "checks": figures["checks"],
        "average": score_text(figures["average"]),
        "rectifications": figures["rectifications"],
        "assessed": assessed,
    }
    if not training["trainings"]:
        held = _("In %(year)d the city held no training on government information disclosure.")
    elif not training["required_units"]:
        held = ngettext(
            "In %(year)d the city held %(trainings)d training in %(batches)d batches with "
            "%(person_times)d person-times attended.",
            "In %(year)d the city held %(trainings)d trainings in %(batches)d batches with "
            "%(person_times)d person-times attended.",
            training["trainings"],
        )
    else:
        held = ngettext(
            "In %(year)d the city held %(trainings)d training in %(batches)d batches with "
            "%(person_times)d person-times attended, covering %(covered)d of %(required)d "
            "units required.",
            "In %(year)d the city held %(trainings)d trainings in %(batches)d batches with "
            "%(person_times)d person-times attended, covering %(covered)d of %(required)d "
            "units required.",
            training["trainings"],
        )
    if figures["checks"] and figures["average"] is not None:
        checked = ngettext(
            "%(checks)d spot check was confirmed, scoring %(average)s%%.",
            "%(checks)d spot checks were confirmed, averaging %(average)s%%.",
            figures["checks"],
        )
    else:
        checked = _("No spot check was confirmed.")
    if figures["rectifications"]:
        raised = ngettext(
            "%(rectifications)d rectification was raised.",
            "%(rectifications)d rectifications were raised.",
            figures["rectifications"],
        )
    else:
        raised = _("No rectification was raised.")
    assessed_text = ngettext(
        "%(assessed)d unit was assessed; the result is announced as follows.",
        "%(assessed)d units were assessed; the results are announced as follows.",
        assessed,
    )
    # Chinese sentences follow each other without a space
    separator = "" if get_language().startswith("zh") else " "
    return separator.join(text % facts for text in (held, checked, raised, assessed_text))


def assessment_notice(year, grades, figures):
    """通报 (GB/T 9704-2012): red masthead with the 发文字号, title, 主送机关, body, 特此通报,
    落款 and 成文日期 with room for the seal, the ranking as 附件 and the 版记. A draft carries
    a 草稿 watermark and no number."""
    style = official_styles()
    scheme = year.scheme
    number = scheme.year.year
    issued = timezone.localdate(scheme.year.locked_at) if year.published else timezone.localdate()
    title = _(
        "Notice on the results of the %(year)d assessment of government information disclosure work"
    ) % {"year": number}
    counts = _grade_counts(year)
    summary = _year_summary(number, figures, sum(counts.values()))
    outcome = _(
        "%(excellent)d units were graded Excellent, %(good)d Good, %(pass)d Pass and %(fail)d Fail."
    ) % {
        "excellent": counts[EXCELLENT],
        "good": counts[GOOD],
        "pass": counts[PASS],
        "fail": counts[FAIL],
    }
    vetoed = [year.units[r.unit_id].name for r in year.overall if r.vetoed]
    if vetoed:
        outcome += _("%(units)s were graded Fail by a veto.") % {"units": "、".join(vetoed)}
    attachment = _("%(year)d assessment results of government information disclosure work") % {
        "year": number
    }
    flowables = [
        Masthead(scheme.issuing_office, scheme.notice_document_number if year.published else ""),
        Spacer(1, 6 * mm),
        para(title, style["title"]),
        Spacer(1, 4 * mm),
        para(_("%(addressees)s:") % {"addressees": scheme.addressees}, style["flush"]),
        para(
            _(
                "Under the %(year)d assessment scheme, the assessment of every unit's government "
                "information disclosure work for %(year)d has been completed. The results are "
                "announced as follows."
            )
            % {"year": number},
            style["body"],
        ),
        para(_("1. Overview"), style["heading"]),
        para(summary, style["body"]),
        para(_("2. Results"), style["heading"]),
        para(outcome + _(" The ranking is attached."), style["body"]),
        para(_("3. Requirements"), style["heading"]),
        para(
            _(
                "Every unit shall study the problems found in the assessment, rectify them "
                "within the time set and keep improving its disclosure work."
            ),
            style["body"],
        ),
        # the 落款 never stands alone on a page (GB/T 9704 7.3.5.1; trial 8 found it so)
        KeepTogether(
            [
                para(_("This notice is hereby given."), style["body"]),
                Spacer(1, style["body"].leading),
                para(_("Attachment: %(title)s") % {"title": attachment}, style["body"]),
                *signature_block(scheme.issuing_office, long_date(issued), style["signature"]),
            ]
        ),
        PageBreak(),
        para(_("Attachment"), style["heading"].clone("attachment", firstLineIndent=0)),
        para(attachment, style["title"].clone("attachment-title", fontSize=18, leading=28)),
        *_ranking_tables(year, grades, style),
        Spacer(1, 6 * mm),
        ImprintBlock(scheme.copy_to, scheme.issuing_office, long_date(issued)),
    ]
    content = build_pdf(
        title, flowables, official=True, watermark="" if year.published else _("Draft")
    )
    return notice_filename(number, year.published), PDF, content
