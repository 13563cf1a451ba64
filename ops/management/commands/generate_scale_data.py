"""Synthetic data at province scale, written in bulk: for benchmarks, not for demos.

    manage.py generate_scale_data --units 2000 --years 3 --seed 1

Per year: about 100 trainings that every unit must attend, about 20 attendees per unit, 3
confirmed spot checks per unit on a 25-item checklist, every indicator for every unit, and
adjustments for 1 % of units. Earlier years are published, the current one is a draft. Run it
on an empty database (after migrate). Bulk writes skip the history tables.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assessment.models import (
    Adjustment,
    ChecklistItem,
    Indicator,
    IndicatorValue,
    ItemResult,
    Scheme,
    SpotCheck,
)
from assessment.scoring import ItemInput, score_check
from assessment.services.checklists import build_checklist
from assessment.services.year_end import publish_year, unfinished_work
from core.derived import changed
from core.models import Year
from training.models import Attendee, Requirement, Training, TrainingKind
from units.models import Unit, UnitCategory
from units.roles import Role
from units.services import assign_role

BATCH = 5000
SCALE_PASSWORD = "Scale-2026"  # noqa: S105 - synthetic benchmark accounts
TRAININGS_PER_YEAR = 100
ATTENDEES_PER_UNIT = 20
CHECKS_PER_UNIT = 3


def _checklist_sections():
    sections = []
    for s in range(5):
        items = []
        for i in range(5):
            item = {
                "text": f"检查项 {s + 1}.{i + 1}",
                "max_points": Decimal(4),
                "allows_na": i == 4,
            }
            if i % 2:
                item["rules"] = [("发布不及时", Decimal(1))]
            items.append(item)
        sections.append((f"第 {s + 1} 部分", items))
    return sections


class Command(BaseCommand):
    help = "Generate synthetic units, trainings, attendees, spot checks and indicators in bulk."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=2000)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, units, years, seed, **options):
        if Unit.objects.exists():
            raise CommandError("The database already has units: run this on an empty database.")
        started = timezone.now()
        rng = random.Random(seed)
        with transaction.atomic():
            people = self._people()
            unit_list = self._units(units)
            this_year = timezone.localdate().year
            for year in range(this_year - years + 1, this_year + 1):
                self._year(year, unit_list, people, rng)
        changed()  # bulk writes send no signals
        for year in range(this_year - years + 1, this_year):
            scheme = Scheme.objects.get(year__year=year)
            # synthetic years always leave work open; they are published knowingly
            publish_year(
                scheme, actor=people["leader"], acknowledged=unfinished_work(scheme).signature
            )
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(f"generated {units} units × {years} years in {seconds:.1f} s")

    def _people(self):
        people = {}
        for name, role in [("scale_organizer", Role.ORGANIZER), ("scale_leader", Role.LEADER)]:
            user = User.objects.create_user(name, password=SCALE_PASSWORD)
            assign_role(user, role)
            people[role.value] = user
        people["inspectors"] = []
        for index in range(10):
            user = User.objects.create_user(f"scale_inspector{index}", password=SCALE_PASSWORD)
            assign_role(user, Role.INSPECTOR)
            people["inspectors"].append(user)
        return people

    def _units(self, count):
        towns = UnitCategory.objects.create(name="镇（街道）", sort_order=1)
        departments = UnitCategory.objects.create(name="市级部门", sort_order=2)
        Unit.objects.bulk_create(
            (
                Unit(
                    code=f"S{n:05d}",
                    name=f"合成单位{n:05d}",
                    short_name=f"单位{n:05d}",
                    category=towns if n % 4 == 0 else departments,
                    sort_order=n,
                )
                for n in range(count)
            ),
            batch_size=BATCH,
        )
        return list(Unit.objects.order_by("pk"))

    def _year(self, year, units, people, rng):
        Year.objects.get_or_create(year=year)
        kind, _created = TrainingKind.objects.get_or_create(name="业务操作培训")
        last_day = min(date(year, 12, 20), timezone.localdate() - timedelta(days=1))
        # the year's trainings spread evenly from 5 January to last_day, 9:00–17:00
        spacing = last_day.timetuple().tm_yday - 6
        days = [
            date(year, 1, 5) + timedelta(days=n * spacing // TRAININGS_PER_YEAR)
            for n in range(TRAININGS_PER_YEAR)
        ]
        trainings = Training.objects.bulk_create(
            Training(
                title=f"{year}年第{n + 1}期业务培训",
                kind=kind,
                year=year,
                starts_at=timezone.make_aware(datetime.combine(day, time(9))),
                ends_at=timezone.make_aware(datetime.combine(day, time(17))),
                status=Training.Status.FINISHED,
                scope=Training.Scope.ALL,
                seats_per_unit=1 + n % 2,
                created_by=people["organizer"],
            )
            for n, day in enumerate(days)
        )
        Requirement.objects.bulk_create(
            (
                Requirement(training=t, unit=u, seats=t.seats_per_unit)
                for t in trainings
                for u in units
            ),
            batch_size=BATCH,
        )
        statuses = [Attendee.Status.ATTENDED] * 18 + [
            Attendee.Status.ABSENT,
            Attendee.Status.EXCUSED,
        ]
        Attendee.objects.bulk_create(
            (
                Attendee(
                    training=training,
                    unit=unit,
                    name=f"学员{unit.pk}-{index}",
                    phone=f"13{(unit.pk * 100 + index) % 10**9:09d}",
                    status=rng.choice(statuses),
                    registered_by=people["organizer"],
                )
                for unit in units
                for index, training in enumerate(rng.sample(trainings, ATTENDEES_PER_UNIT))
            ),
            batch_size=BATCH,
        )
        self._spot_checks(year, units, people, rng)
        self._scheme(year, units, people, rng)

    def _spot_checks(self, year, units, people, rng):
        checklist = build_checklist(
            name=f"规模测试检查表{year}",
            year=year,
            sections=_checklist_sections(),
            actor=people["inspectors"][0],
        )
        items = list(
            ChecklistItem.objects.filter(section__checklist=checklist).prefetch_related("rules")
        )
        checks, results = [], []
        for unit in units:
            for n in range(CHECKS_PER_UNIT):
                points = {item.pk: Decimal(rng.choice((2, 3, 4, 4))) for item in items}
                score = score_check(
                    [
                        ItemInput(max_points=item.max_points, points=points[item.pk])
                        for item in items
                    ]
                )
                check = SpotCheck(
                    unit=unit,
                    checklist=checklist,
                    date=date(year, 3 + 3 * n, 10),
                    status=SpotCheck.Status.CONFIRMED,
                    earned=score.earned,
                    possible=score.possible,
                    percentage=score.percentage,
                    confirmed_at=timezone.make_aware(datetime(year, 3 + 3 * n, 12, 10)),
                )
                checks.append((check, points))
        SpotCheck.objects.bulk_create((check for check, _points in checks), batch_size=BATCH)
        inspector_links = []
        for index, (check, points) in enumerate(checks):
            inspector_links.append(
                SpotCheck.inspectors.through(
                    spotcheck_id=check.pk, user_id=people["inspectors"][index % 10].pk
                )
            )
            results.extend(
                ItemResult(spot_check_id=check.pk, item_id=item_id, points=value)
                for item_id, value in points.items()
            )
        SpotCheck.inspectors.through.objects.bulk_create(inspector_links, batch_size=BATCH)
        ItemResult.objects.bulk_create(results, batch_size=BATCH)

    def _scheme(self, year, units, people, rng):
        scheme = Scheme.objects.create(year=Year.objects.get(year=year))
        indicators = [
            Indicator.objects.create(scheme=scheme, name=name, weight=Decimal(weight), sort_order=n)
            for n, (name, weight) in enumerate(
                [("信息公开及时率", 15), ("依申请公开按时办结率", 10), ("互动回复按时率", 5)]
            )
        ]
        IndicatorValue.objects.bulk_create(
            (
                IndicatorValue(
                    indicator=i,
                    unit=u,
                    value=Decimal(rng.randrange(6000, 10001)) / 100,
                    entered_by=people["leader"],
                )
                for i in indicators
                for u in units
            ),
            batch_size=BATCH,
        )
        Adjustment.objects.bulk_create(
            Adjustment(
                scheme=scheme,
                unit=u,
                kind=rng.choice(["bonus", "deduction"]),
                points=Decimal(rng.randrange(1, 4)),
                reason="规模测试",
                entered_by=people["leader"],
            )
            for u in rng.sample(units, max(1, len(units) // 100))
        )
