"""Demo assessment data: a 100-point checklist after the source document's focus areas (§1
items 3, 5, 6, 7; next-year plan item 6), a drawn round, scored and confirmed checks, and
rectifications, one of them overdue. Deterministic and idempotent."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from assessment.models import Adjustment, Checklist, Indicator, SamplingRound, Scheme, SpotCheck
from assessment.services.checklists import build_checklist
from assessment.services.rectifications import answer_rectification, raise_rectification
from assessment.services.rounds import draw_round
from assessment.services.self_assessment import (
    create_campaign,
    save_self_assessment,
    self_assessment_entries,
    submit_self_assessment,
)
from assessment.services.spot_checks import (
    checklist_items,
    confirm_spot_check,
    current_entries,
    save_scores,
    submit_spot_check,
)
from assessment.services.year_end import (
    add_adjustment,
    publish_year,
    save_indicator_values,
    unfinished_work,
)
from core.models import Year, current_calendar_year
from units.models import Unit, UnitCategory

CHECKLIST_NAME = "政务公开工作检查表"
D = Decimal

SECTIONS = [
    (
        "一、保密审查",
        [
            {
                "text": "建立保密审查制度，明确“谁公开、谁审查、谁负责”",
                "max_points": D(8),
                "guidance": "查制度文件；无制度不得分，制度不完整酌情扣分。",
            },
            {
                "text": "执行“先审查、后公开”“一事一审”，审查记录完整",
                "max_points": D(10),
                "guidance": "抽查 10 条已公开信息的审查记录。",
                "rules": [("缺少审查记录", D(2))],
            },
            {
                "text": "发生泄密事件",
                "max_points": D(0),
                "is_veto": True,
                "guidance": "经查实发生泄密事件的，实行单项否决。",
            },
        ],
    ),
    (
        "二、信息发布流程与平台管理",
        [
            {
                "text": "信息发布审核流程规范，“谁制作、谁发布、谁负责”落实到人",
                "max_points": D(8),
                "guidance": "查审核发布台账。",
            },
            {
                "text": "主动公开信息及时、准确",
                "max_points": D(12),
                "guidance": "对照上级要求的栏目和时限逐条核对。",
                "rules": [("发布不及时", D(2)), ("内容错误或链接失效", D(1))],
            },
            {
                "text": "重点领域（公共资源配置、重大建设项目、社会公益事业）信息公开",
                "max_points": D(10),
                "guidance": "抽查统一栏目下本单位负责的内容。",
                "allows_na": True,
                "rules": [("应公开未公开", D(2))],
            },
            {
                "text": "公开平台账号与权限管理",
                "max_points": D(6),
                "guidance": "技术检测平台账号、弱口令和离职人员权限。",
            },
        ],
    ),
    (
        "三、依申请公开",
        [
            {
                "text": "依申请公开办理程序规范，按期答复",
                "max_points": D(12),
                "guidance": "查办理台账和答复文书；超期答复每件扣 3 分。",
                "allows_na": True,
                "rules": [("超期答复", D(3)), ("答复文书不规范", D(1))],
            },
            {
                "text": "依申请公开台账资料完整",
                "max_points": D(6),
                "guidance": "收件、登记、答复、送达材料齐全。",
                "allows_na": True,
            },
        ],
    ),
    (
        "四、互动交流",
        [
            {
                "text": "网站咨询按时回复（一般 3 个工作日，最迟 30 个工作日）",
                "max_points": D(10),
                "guidance": "抽查最近 3 个月的留言。",
                "rules": [("超期回复", D(1)), ("回复敷衍、未解决实际问题", D(1))],
            },
            {
                "text": "群众留言超过 3 个月未回复",
                "max_points": D(0),
                "is_veto": True,
                "guidance": "存在超过 3 个月未回复留言的，实行单项否决。",
            },
        ],
    ),
    (
        "五、政务新媒体",
        [
            {
                "text": "政务新媒体备案、开设整合符合要求",
                "max_points": D(8),
                "guidance": "对照监督检查指标核查。",
                "allows_na": True,
            },
            {
                "text": "政务新媒体内容更新及时、互动回应规范",
                "max_points": D(10),
                "guidance": "两周内无更新的，每个账号扣 2 分。",
                "allows_na": True,
                "rules": [("长期不更新", D(2)), ("错别字或不当内容", D(1))],
            },
        ],
    ),
]


def seed(stdout):
    year = current_calendar_year()
    inspector = User.objects.get(username="inspector")
    leader = User.objects.get(username="leader")
    checklist = Checklist.objects.filter(name=CHECKLIST_NAME).order_by("version").first()
    if checklist is None:
        checklist = build_checklist(
            name=CHECKLIST_NAME,
            year=year,
            sections=SECTIONS,
            actor=inspector,
            description="依据本市政府信息公开工作年度报告确定的检查重点编制，满分 100 分。",
        )
    if SamplingRound.objects.filter(year=year, name__startswith=f"{year}年第一轮").exists():
        stdout.write("assessment: demo data already present")
        return
    _previous_year_published(year - 1, inspector)
    round_ = SamplingRound.objects.create(
        name=f"{year}年第一轮政务公开不定期抽查",
        year=year,
        planned_start=date(year, 9, 14),
        planned_end=date(year, 9, 25),
        checklist=checklist,
        sample_size=12,
        inspectors_per_check=2,
        created_by=inspector,
    )
    round_.categories.set(UnitCategory.objects.all())
    round_.inspector_pool.set(User.objects.filter(groups__name="inspector"))
    draw_round(round_, actor=inspector, seed="2019-annual-report")

    rng = random.Random(2019)
    checks = list(round_.spot_checks.select_related("unit").order_by("pk"))
    for index, check in enumerate(checks[:9]):
        actor = check.inspectors.first()
        _score(check, actor, rng, veto=index == 4)
        submit_spot_check(check, actor=actor)
        confirm_spot_check(check, actor=leader)  # 复核 by someone who did not score it
        SpotCheck.objects.filter(pk=check.pk).update(
            confirmed_at=timezone.make_aware(timezone.datetime(year, 9, 28, 10, 0))
            + timedelta(days=index)
        )
        check.refresh_from_db()
    _rectifications(checks[:3], inspector)
    _recent_check_of_a_demo_liaisons_unit(checklist, inspector, rng)
    _scheme_with_inputs(year, inspector, rng)
    _self_assessment_campaign(checklist, inspector, year)
    stdout.write(f"assessment: checklist {checklist}, round with {len(checks)} checks, 9 confirmed")


def _recent_check_of_a_demo_liaisons_unit(checklist, inspector, rng):
    """A stand-alone check of 华阳街道, confirmed today, whose rectification liaison_zj01 can
    answer in the demo."""
    unit = Unit.objects.get(code="ZJ01")
    check = SpotCheck.objects.create(
        unit=unit, checklist=checklist, date=timezone.localdate() - timedelta(days=7)
    )
    check.inspectors.set(User.objects.filter(username__in=["inspector", "inspector2"]))
    _score(check, inspector, rng)
    submit_spot_check(check, actor=inspector)
    confirm_spot_check(check, actor=User.objects.get(username="leader"))
    raise_rectification(
        check,
        requirement="政务新媒体账号两周未更新，请恢复日常更新并建立值班制度。",
        working_days=15,
        actor=inspector,
        item=check.checklist.sections.get(title="五、政务新媒体").items.last(),
    )


def _self_assessment_campaign(checklist, inspector, year):
    """An open 自查自评 for every unit: liaison_zj04's unit has submitted full marks; 华阳街道
    (liaison_zj01's, whose unit was inspected) is left for the demo to fill in."""
    today = timezone.localdate()
    campaign = create_campaign(
        name=f"{year}年度政务公开自查自评",
        year=year,
        checklist=checklist,
        opens_on=today - timedelta(days=5),
        closes_on=today + timedelta(days=10),
        categories=UnitCategory.objects.all(),
        actor=inspector,
    )
    liaison = User.objects.filter(username="liaison_zj04").first()
    if liaison is None:
        return
    sa = campaign.assessments.filter(unit_id=liaison.profile.unit_id).first()
    if sa is None:
        return
    entries = self_assessment_entries(sa)
    for item in checklist_items(checklist):
        rules = list(item.rules.all())
        entries[item.pk]["counts"] = {rule.pk: 0 for rule in rules}
        if not rules:
            entries[item.pk]["points"] = item.max_points
    entries[checklist_items(checklist)[0].pk]["finding"] = "已制定保密审查制度并印发。"
    save_self_assessment(
        sa, version=sa.version, entries=entries, summary="对照检查表逐项自查。", actor=liaison
    )
    submit_self_assessment(sa, actor=liaison)


def _score(check, actor, rng, veto=False):
    items = checklist_items(check.checklist)
    entries = current_entries(check, items)
    for item in items:
        entry = entries[item.pk]
        rules = list(item.rules.all())
        if item.allows_na and rng.random() < 0.15:
            entry["not_applicable"] = True
            continue
        if item.is_veto:
            entry["veto_failed"] = veto and "泄密" not in item.text
            if entry["veto_failed"]:
                entry["finding"] = "发现 2 条群众留言超过 3 个月未回复。"
        elif rules:
            entry["counts"] = {rule.pk: rng.choice((0, 0, 1, 2)) for rule in rules}
            if any(entry["counts"].values()):
                entry["finding"] = "；".join(
                    f"{rule.fault}{n}处" for rule in rules if (n := entry["counts"][rule.pk])
                )
        else:
            entry["points"] = item.max_points - rng.choice((0, 0, 1, 2))
    save_scores(check, version=check.version, entries=entries, summary="", actor=actor)


def _rectifications(checks, inspector):
    for number, check in enumerate(checks):
        rectification = raise_rectification(
            check,
            requirement="补齐保密审查记录，完善“先审查、后公开”流程，并报送整改情况。",
            working_days=10 if number else 5,
            actor=inspector,
            raised_on=timezone.localdate(check.confirmed_at),  # raised as the check was confirmed
        )
        liaison = User.objects.filter(groups__name="liaison", profile__unit=check.unit).first()
        if number == 2 and liaison:
            answer_rectification(
                rectification,
                response="已补齐 2026 年 1-9 月审查记录，修订审查流程。",
                actor=liaison,
            )


INDICATORS = [("信息公开及时率", D(15)), ("依申请公开按时办结率", D(10)), ("互动回复按时率", D(5))]


def _scheme(year):
    year_row, _created = Year.objects.get_or_create(year=year)
    scheme, created = Scheme.objects.get_or_create(
        year=year_row,
        defaults={
            "copy_to": "市委办公室、市人大常委会办公室、市政协办公室",
            "supervision_phone": "0832-5201234",
        },
    )
    if created:
        for order, (name, weight) in enumerate(INDICATORS):
            Indicator.objects.create(scheme=scheme, name=name, weight=weight, sort_order=order)
    return scheme


def _indicator_values(scheme, actor, rng, low=80):
    units = list(Unit.objects.active())
    values = [
        (indicator, unit, D(rng.randrange(low * 100, 10001)) / 100, "市政府网站监测平台")
        for indicator in scheme.indicators.all()
        for unit in units
    ]
    save_indicator_values(scheme, values, actor=actor)


def _scheme_with_inputs(year, inspector, rng):
    """The current year: a draft scheme with indicators for every unit and a few adjustments,
    one of them a veto, so that ranking and breakdowns show everything."""
    scheme = _scheme(year)
    _indicator_values(scheme, inspector, rng)
    leader = User.objects.get(username="leader")
    units = {unit.code: unit for unit in Unit.objects.all()}
    for code, kind, points, reason in [
        ("ZJ01", Adjustment.Kind.BONUS, D(3), "政务公开工作经验在省级刊物推广"),
        ("BM03", Adjustment.Kind.BONUS, D(2), "依申请公开案例入选全省优秀案例"),
        ("ZJ05", Adjustment.Kind.DEDUCTION, D(2), "政务新媒体长期未更新被上级通报"),
        ("BM20", Adjustment.Kind.VETO, D(0), "发生涉密信息公开事件，经查属实"),
    ]:
        if code in units:
            add_adjustment(
                scheme, unit=units[code], kind=kind, points=points, reason=reason, actor=leader
            )


def _previous_year_published(year, inspector):
    """Last year, published: only its indicators are in the demo, but it gives a 通报 to read
    and the rank changes of this year."""
    scheme = _scheme(year)
    if scheme.is_published:
        return
    _indicator_values(scheme, inspector, random.Random(2018), low=70)
    # published knowingly, whatever is still open in that year (as a leader would, after the list)
    publish_year(
        scheme,
        actor=User.objects.get(username="leader"),
        acknowledged=unfinished_work(scheme).signature,
    )
