"""Benchmarks, run on purpose (never in the test suite), on whichever database is configured.

    manage.py bench [--sizes 50,500,2000] [--years 3]

For each size it wipes the database, generates scale data and measures: the year-end
computation against hand-written SQL that computes the same component values (the floor);
pages against a minimal logged-in page (median of 20, the pages requested in turn) with their
query counts; the ranking right after each kind of single write; a 10,000-row attendee import
against a bare openpyxl read; the 通报 PDF and a 2,000-unit sign-in sheet; and the peak Python
memory of each step (tracemalloc, in a separate untimed run). Prints a readable table and a JSON
report. WIPES THE DATABASE: point it at a scratch one.
"""

import io
import json
import statistics
import time
import tracemalloc
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.models import Scheme
from assessment.pdf import assessment_notice
from assessment.ranking import grade_labels
from assessment.stats import year_figures
from assessment.year_end import _compute, year_results
from core.tabular import TabularFileError, read_table_bytes
from training.importers import COLUMNS, REQUIRED, parse_attendees
from training.models import Attendee, Training, TrainingKind, UnitTrainingComponent
from training.pdf import sign_in_sheet
from training.services import register_attendees
from units.models import Unit

REPEAT = 20


def interleaved_medians(*functions, repeat):
    """The median seconds of each function, the functions called in turn `repeat` times."""
    times = [[] for _function in functions]
    for _ in range(repeat):
        for function, spent in zip(functions, times, strict=True):
            started = time.perf_counter()
            function()
            spent.append(time.perf_counter() - started)
    return [statistics.median(spent) for spent in times]


def peak_mib(function):
    """Peak memory Python allocated while running `function` once (tracemalloc slows Python
    down, so this is a separate run from the timed ones)."""
    tracemalloc.start()
    try:
        function()
        return round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    finally:
        tracemalloc.stop()


def query_count(function):
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def sql_floor(year, scheme_id):
    """The component values straight from SQL: spot-check means, training rates, indicator
    values and adjustment sums per unit."""
    now = timezone.now()
    statements = [
        (
            "SELECT unit_id, AVG(percentage) FROM assessment_spotcheck WHERE status = 'confirmed' "
            "AND date >= %s AND date <= %s GROUP BY unit_id",
            [f"{year}-01-01", f"{year}-12-31"],
        ),
        (
            "SELECT r.unit_id, AVG(CASE WHEN COALESCE(a.n, 0) >= r.seats THEN 100.0 "
            "ELSE COALESCE(a.n, 0) * 100.0 / r.seats END) FROM training_requirement r "
            "JOIN training_training t ON t.id = r.training_id "
            "LEFT JOIN (SELECT training_id, unit_id, COUNT(*) AS n FROM training_attendee "
            "WHERE status = 'attended' GROUP BY training_id, unit_id) a "
            "ON a.training_id = r.training_id AND a.unit_id = r.unit_id "
            "WHERE t.year = %s AND t.status <> 'cancelled' AND t.starts_at <= %s "
            "GROUP BY r.unit_id",
            [year, now],
        ),
        (
            "SELECT v.unit_id, v.indicator_id, v.value FROM assessment_indicatorvalue v "
            "JOIN assessment_indicator i ON i.id = v.indicator_id WHERE i.scheme_id = %s",
            [scheme_id],
        ),
        (
            "SELECT unit_id, kind, SUM(points) FROM assessment_adjustment WHERE scheme_id = %s "
            "GROUP BY unit_id, kind",
            [scheme_id],
        ),
    ]
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()


def scratch_training(title, organizer, **fields):
    """A training that requires no unit, for the import and sign-in sheet measurements (made
    inside a transaction that is rolled back)."""
    start = timezone.now() + timedelta(days=5)
    return Training.objects.create(
        title=title,
        kind=TrainingKind.objects.first(),
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        scope="none",
        created_by=organizer,
        **fields,
    )


def pdf_pages(content):
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


class Command(BaseCommand):
    help = "Measure the year-end computation, pages, import and PDFs at several sizes."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="50,500,2000")
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--yes", action="store_true", help="Do not ask before wiping.")

    def handle(self, *args, sizes, years, yes, **options):
        if not yes and input("This WIPES the configured database. Continue? [yes/no] ") != "yes":
            raise CommandError("Cancelled.")
        report = {"database": connection.vendor, "sizes": []}
        for size in [int(s) for s in sizes.split(",")]:
            call_command("flush", interactive=False, verbosity=0)
            started = time.perf_counter()
            tracemalloc.start()
            call_command("generate_scale_data", units=size, years=years, stdout=io.StringIO())
            generate_mib = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
            tracemalloc.stop()
            generated = time.perf_counter() - started
            cache.clear()  # results cached for the previous size are not these
            entry = {
                "units": size,
                "years": years,
                "generate_s": round(generated, 1),
                "peak_mib": {"generate (traced, so slower)": generate_mib},
            }
            self.peaks = entry["peak_mib"]
            entry.update(self._computation())
            entry["pages"] = self._pages()
            entry.update(self._import(size))
            entry.update(self._documents())
            report["sizes"].append(entry)
            self.stdout.write(self._table(entry))
        self.stdout.write(json.dumps(report, ensure_ascii=False))

    def _computation(self):
        scheme = Scheme.objects.select_related("year").get(year__year=timezone.localdate().year)

        def uncached_computation():
            cache.clear()
            return _compute(scheme)

        def from_scratch():
            # nothing cached and no kept training component (training/components.py): every
            # row is recomputed and stored again, as after a migration or a restore
            cache.clear()
            UnitTrainingComponent.objects.all().delete()
            started = time.perf_counter()
            _compute(scheme)
            return time.perf_counter() - started

        # the computation itself, none of it cached, alternating with the floor, so that both
        # meet the same moments of a shared machine: from scratch (the deletion of the kept
        # rows untimed), and with the kept rows as the writers leave them
        scratch_times, kept_times, floor_times = [], [], []
        for _ in range(9):
            scratch_times.append(from_scratch())
            for function, times in (
                (uncached_computation, kept_times),
                (lambda: sql_floor(scheme.year.year, scheme.pk), floor_times),
            ):
                started = time.perf_counter()
                function()
                times.append(time.perf_counter() - started)
        scratch, ours, floor = (
            statistics.median(times) for times in (scratch_times, kept_times, floor_times)
        )
        self.peaks["computation"] = peak_mib(uncached_computation)
        return {
            "computation_s": round(ours, 4),
            "computation_queries": query_count(uncached_computation),
            "scratch_s": round(scratch, 4),
            "sql_floor_s": round(floor, 4),
            "computation_vs_floor": round(ours / floor, 2),
            "scratch_vs_floor": round(scratch / floor, 2),
        }

    def _pages(self):
        client = Client()
        client.force_login(User.objects.get(username="scale_leader"))
        unit = Unit.objects.order_by("pk").first()
        largest = Training.objects.filter(year=timezone.localdate().year).order_by("-pk").first()
        pages = {
            "minimal": reverse("password_change_done"),
            "ranking": reverse("assessment:ranking"),
            "breakdown": reverse("assessment:breakdown", args=[unit.pk]),
            "spot check list": reverse("assessment:spot_check_list"),
            "attendee list": reverse("training:detail", args=[largest.pk]),
            "leader home": reverse("home"),
        }
        for url in pages.values():
            client.get(url)  # warm up
        # in turn, so that a slower spell of a shared machine weighs on every page alike
        medians = interleaved_medians(
            *(lambda url=url: client.get(url) for url in pages.values()), repeat=REPEAT
        )
        results = {
            name: {
                "ms": round(seconds * 1000, 1),
                "queries": query_count(lambda url=url: client.get(url)),
            }
            for (name, url), seconds in zip(pages.items(), medians, strict=True)
        }
        for name, url in pages.items():
            self.peaks[f"page: {name}"] = peak_mib(lambda url=url: client.get(url))
        # the ranking right after one write of each kind, through the service or the model
        # save a page would use: only the request after the write is timed
        for name, write in self._single_writes().items():
            times = []
            for attempt in range(5):
                write(attempt)
                started = time.perf_counter()
                client.get(pages["ranking"])
                times.append(time.perf_counter() - started)
            results[f"ranking after {name}"] = {
                "ms": round(statistics.median(times) * 1000, 1),
                "queries": 0,
            }
        base = results["minimal"]["ms"]
        for values in results.values():
            values["vs_minimal"] = round(values["ms"] / base, 1)
        return results

    def _single_writes(self):
        """One write of each kind the ranking depends on, each call a different value."""
        from assessment.models import Adjustment, SpotCheck
        from assessment.services.year_end import add_adjustment, save_indicator_values
        from training.services import mark_attendance

        leader = User.objects.get(username="scale_leader")
        organizer = User.objects.get(username="scale_organizer")
        scheme = Scheme.objects.select_related("year").get(year__year=timezone.localdate().year)
        unit = Unit.objects.order_by("pk").first()
        indicator = scheme.indicators.first()
        attendee = (
            Attendee.objects.filter(
                unit=unit, training__year=scheme.year.year, training__starts_at__lte=timezone.now()
            )
            .select_related("training")
            .first()
        )
        training = attendee.training
        check = SpotCheck.objects.confirmed_in_year(scheme.year.year).filter(unit=unit).first()

        def indicator_value(n):
            value = Decimal(80 + n)
            save_indicator_values(scheme, [(indicator, unit, value, "")], actor=leader)

        def attendance_mark(n):
            status = "absent" if n % 2 == 0 else "present"
            mark_attendance(training, training.days()[0], {attendee.pk: status}, actor=organizer)

        def confirmed_check(n):
            check.percentage = Decimal(70 + n)
            check.save(update_fields=["percentage"])

        def adjustment(n):
            add_adjustment(
                scheme,
                unit=unit,
                kind=Adjustment.Kind.BONUS,
                points=Decimal("0.5"),
                reason=f"基准测试{n}",
                actor=leader,
            )

        return {
            "an indicator value": indicator_value,
            "an attendance mark": attendance_mark,
            "a confirmed check": confirmed_check,
            "an adjustment": adjustment,
        }

    def _import(self, size):
        from openpyxl import Workbook, load_workbook

        units = list(Unit.objects.order_by("pk")[:size])
        workbook = Workbook()
        workbook.active.append(["单位", "姓名", "职务", "手机", "角色"])
        for n in range(10_000):
            workbook.active.append(
                [units[n % len(units)].name, f"导入学员{n}", "信息员", f"15{n:09d}", "信息员"]
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
        data = buffer.getvalue()

        def bare():
            sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
            return sum(1 for _row in sheet.iter_rows(values_only=True))

        organizer = User.objects.get(username="scale_organizer")

        def full():
            with transaction.atomic():
                training = scratch_training("导入测试", organizer, status="open")
                preview = parse_attendees(
                    read_table_bytes(data, COLUMNS, REQUIRED), training, organizer
                )
                if not preview.is_clean:
                    raise CommandError(f"the benchmark file does not import: {preview.rows[0]}")
                register_attendees(training, preview.new_rows, actor=organizer)
                transaction.set_rollback(True)

        bare_s, full_s = interleaved_medians(bare, full, repeat=3)
        try:
            self.peaks["import 10,000 rows"] = peak_mib(full)
        except TabularFileError:  # tracing can slow the read past its time limit when busy
            self.peaks["import 10,000 rows"] = None
        return {
            "import_10000_s": round(full_s, 2),
            "openpyxl_read_s": round(bare_s, 2),
            "import_vs_openpyxl": round(full_s / bare_s, 2),
        }

    def _documents(self):
        scheme = Scheme.objects.select_related("year").get(year__year=timezone.localdate().year)

        def notice_pdf():
            return assessment_notice(year_results(scheme), grade_labels(), year_figures(scheme))

        started = time.perf_counter()
        _name, _type, notice = notice_pdf()
        notice_s = time.perf_counter() - started
        self.peaks["通报 PDF"] = peak_mib(notice_pdf)
        with transaction.atomic():
            organizer = User.objects.get(username="scale_organizer")
            training = scratch_training("全员签到表测试", organizer)
            Attendee.objects.bulk_create(
                Attendee(
                    training=training,
                    unit=unit,
                    name=f"签到{unit.pk}",
                    phone=f"18{unit.pk:09d}",
                    registered_by=organizer,
                )
                for unit in Unit.objects.all()
            )
            started = time.perf_counter()
            _name, _type, sheet = sign_in_sheet(training)
            sheet_s = time.perf_counter() - started
            self.peaks["sign-in sheet"] = peak_mib(lambda: sign_in_sheet(training))
            transaction.set_rollback(True)
        return {
            "notice_pdf_s": round(notice_s, 2),
            "notice_pages": pdf_pages(notice),
            "sign_in_sheet_s": round(sheet_s, 2),
            "sign_in_pages": pdf_pages(sheet),
        }

    def _table(self, entry):
        lines = [
            f"\n== {entry['units']} units × {entry['years']} years on {connection.vendor} "
            f"(generated in {entry['generate_s']} s)",
            f"year-end computation from scratch: {entry['scratch_s'] * 1000:.1f} ms; "
            f"SQL floor {entry['sql_floor_s'] * 1000:.1f} ms; "
            f"ratio {entry['scratch_vs_floor']}",
            f"year-end computation, nothing cached, kept training components: "
            f"{entry['computation_s'] * 1000:.1f} ms, {entry['computation_queries']} queries; "
            f"ratio {entry['computation_vs_floor']}",
            f"{'page':<34}{'ms':>10}{'queries':>9}{'× minimal':>11}",
        ]
        for name, values in entry["pages"].items():
            row = f"{name:<34}{values['ms']:>10}{values['queries']:>9}"
            lines.append(f"{row}{values['vs_minimal']:>11}")
        lines.append(
            f"import 10,000 rows: {entry['import_10000_s']} s "
            f"vs openpyxl {entry['openpyxl_read_s']} s (× {entry['import_vs_openpyxl']})"
        )
        lines.append(
            f"通报 PDF: {entry['notice_pdf_s']} s, {entry['notice_pages']} pages; sign-in sheet "
            f"for all units: {entry['sign_in_sheet_s']} s, {entry['sign_in_pages']} pages"
        )
        lines.append(
            "peak Python memory (MiB): "
            + ", ".join(
                f"{name} {'n/a' if mib is None else mib}" for name, mib in entry["peak_mib"].items()
            )
        )
        return "\n".join(lines)
