"""Demo trainings of the current year, after the source document (§1 item 8): seven batches,
the seventh being the October city-wide class that 98 people from 49 units attended, taught by
the prefecture's disclosure office and a lawyer. Deterministic and idempotent."""

import random
from datetime import datetime, time, timedelta
from types import SimpleNamespace

from django.contrib.auth.models import User
from django.utils import timezone

from core.models import current_calendar_year
from training.models import Attendee, Lecturer, Training, TrainingKind
from training.services import mark_attendance, register_attendees, sync_requirements
from units.models import Unit, UnitCategory

KINDS = ["培训班", "业务操作培训", "专题讲座", "视频会议"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬辉鹏飞宇浩然晨曦"

# (batch, month, day, days long, kind, title, scope, seats, lecturers)
BATCHES = [
    (
        1,
        3,
        12,
        1,
        "业务操作培训",
        "政府网站信息发布操作培训",
        "categories:镇（街道）及板块",
        1,
        [("市政府办公室信息科", "市政府办公室", "网站群信息发布规范")],
    ),
    (
        2,
        4,
        16,
        1,
        "业务操作培训",
        "政务新媒体管理操作培训",
        "all",
        1,
        [("市政府办公室信息科", "市政府办公室", "政务新媒体监督检查指标解读")],
    ),
    (
        3,
        5,
        21,
        1,
        "业务操作培训",
        "依申请公开办理实务培训",
        "categories:市级部门",
        1,
        [("市司法局法律顾问", "市司法局", "依申请公开办理程序")],
    ),
    (
        4,
        6,
        18,
        1,
        "业务操作培训",
        "保密审查与信息发布流程培训",
        "all",
        1,
        [("市保密办", "市委保密办", "先审查、后公开")],
    ),
    (
        5,
        8,
        20,
        1,
        "业务操作培训",
        "政府信息公开工作年度报告编制培训",
        "all",
        1,
        [("市政府办公室信息科", "市政府办公室", "年报新格式与勾稽关系")],
    ),
    (
        6,
        9,
        17,
        1,
        "业务操作培训",
        "重点领域信息公开操作培训",
        "categories:市级部门",
        1,
        [("市政府办公室信息科", "市政府办公室", "公共资源配置、重大建设项目领域公开")],
    ),
    (
        7,
        10,
        22,
        2,
        "培训班",
        "全市政府信息公开培训班",
        "all",
        2,
        [
            ("镇江市政务公开处领导", "镇江市政务公开处", "政府信息公开条例解读"),
            ("知名律师", "律师事务所", "依申请公开实务与行政复议、诉讼风险"),
        ],
    ),
]


def _person(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _aware(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed(stdout):
    year = current_calendar_year()
    kinds = {
        name: TrainingKind.objects.get_or_create(name=name, defaults={"sort_order": i})[0]
        for i, name in enumerate(KINDS)
    }
    organizer = User.objects.get(username="organizer")
    office = Unit.objects.filter(code="BM01").first()
    units = list(Unit.objects.active())
    rng = random.Random(2019)
    created = 0
    for batch, month, day, length, kind, title, scope, seats, lecturers in BATCHES:
        start = datetime(year, month, day).date()
        training, is_new = Training.objects.get_or_create(
            year=year,
            batch=batch,
            defaults={
                "title": f"{year}年{title}",
                "kind": kinds[kind],
                "starts_at": _aware(start, 9),
                "ends_at": _aware(start + timedelta(days=length - 1), 17),
                "venue": "市行政中心三楼会议室" if batch != 7 else "市行政中心一楼报告厅",
                "organizing_unit": office,
                "status": Training.Status.OPEN,
                "seats_per_unit": seats,
                "scope": scope.split(":")[0],
                "created_by": organizer,
                "description": "全市政务公开业务培训。",
            },
        )
        if not is_new:
            continue
        created += 1
        if scope.startswith("categories:"):
            training.required_categories.set(UnitCategory.objects.filter(name=scope.split(":")[1]))
        for order, (name, affiliation, topic) in enumerate(lecturers):
            Lecturer.objects.create(
                training=training, name=name, affiliation=affiliation, topic=topic, sort_order=order
            )
        sync_requirements(training)
        _register_and_mark(training, units, rng, organizer)
        training.status = Training.Status.FINISHED
        training.save(update_fields=["status"])

    _upcoming_lecture(year, kinds, organizer, office)
    stdout.write(f"trainings: {created} new demo batches of {year}")


def _register_and_mark(training, units, rng, organizer):
    required = dict(training.requirements.values_list("unit_id", "seats"))
    rows = []
    for unit in units:
        for seat in range(required.get(unit.pk, 0)):
            rows.append(
                SimpleNamespace(
                    unit_id=unit.pk,
                    name=_person(rng),
                    phone=f"139{rng.randrange(10**8):08d}",
                    position="分管领导" if seat else "信息员",
                    duty=Attendee.Duty.LEADER if seat else Attendee.Duty.OFFICER,
                    note="",
                )
            )
    attendees = register_attendees(training, rows, actor=organizer)
    # Most attend throughout; a few are absent or excused all along, a few miss the last day.
    patterns = {attendee.pk: rng.random() for attendee in attendees}
    days = training.days()
    for day in days:
        statuses = {}
        for attendee_id, draw in patterns.items():
            if draw < 0.03:
                statuses[attendee_id] = "absent"
            elif draw < 0.05:
                statuses[attendee_id] = "excused"
            elif draw < 0.08 and day == days[-1] and len(days) > 1:
                statuses[attendee_id] = "absent"
            else:
                statuses[attendee_id] = "present"
        mark_attendance(
            training, day, statuses, actor=organizer, at=_aware(day, 8) + timedelta(minutes=45)
        )


def _upcoming_lecture(year, kinds, organizer, office):
    start = timezone.localdate() + timedelta(days=14)
    training, is_new = Training.objects.get_or_create(
        title=f"{year}年政务新媒体规范运营专题讲座",
        defaults={
            "kind": kinds["专题讲座"],
            "starts_at": _aware(start, 14),
            "ends_at": _aware(start, 17),
            "venue": "市行政中心三楼会议室",
            "organizing_unit": office,
            "status": Training.Status.OPEN,
            "scope": Training.Scope.ALL,
            "seats_per_unit": 1,
            "capacity": 60,
            "created_by": organizer,
        },
    )
    if is_new:
        sync_requirements(training)
