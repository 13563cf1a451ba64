"""The four properties of derived results (docs/ARCHITECTURE.md, core/derived.py): never
stale, never poisoned by a rollback, safe under threads and several processes, and two writes
to unrelated inputs never wait on each other. The tests commit, as requests do."""

import threading
from decimal import Decimal as D

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, connections, transaction
from django.utils import timezone

from assessment.models import Indicator, Scheme
from assessment.ranking import ranking_rows
from assessment.services.year_end import save_indicator_values
from assessment.year_end import year_results
from core import derived
from core.models import Year

pytestmark = pytest.mark.django_db(transaction=True)


class Rollback(Exception):
    pass


@pytest.fixture
def scheme(db):
    year, _created = Year.objects.get_or_create(year=timezone.localdate().year)
    scheme = Scheme.objects.create(year=year)
    # the indicator is the only component: a unit's final is its value
    Indicator.objects.create(scheme=scheme, name="及时率", weight=D(10))
    return scheme


def save(scheme, unit, value, actor):
    indicator = scheme.indicators.get()
    save_indicator_values(scheme, [(indicator, unit, D(value), "")], actor=actor)


def final(scheme, unit):
    return year_results(Scheme.objects.get(pk=scheme.pk)).results[unit.pk].final


def test_a_committed_write_is_read_at_once(scheme, personas, unit_a):
    save(scheme, unit_a, "80", personas["leader"])
    assert final(scheme, unit_a) == D("80.00")
    assert final(scheme, unit_a) == D("80.00")  # now from the cache
    save(scheme, unit_a, "60", personas["leader"])
    assert final(scheme, unit_a) == D("60.00")


def test_a_rolled_back_write_never_reaches_a_later_reader(scheme, personas, unit_a):
    save(scheme, unit_a, "80", personas["leader"])
    assert final(scheme, unit_a) == D("80.00")
    with pytest.raises(Rollback), transaction.atomic():
        save(scheme, unit_a, "10", personas["leader"])
        assert final(scheme, unit_a) == D("10.00")  # the transaction sees its own write
        raise Rollback
    assert final(scheme, unit_a) == D("80.00")  # what is committed
    save(scheme, unit_a, "50", personas["leader"])
    assert final(scheme, unit_a) == D("50.00")


def test_four_threads_read_the_committed_results(scheme, personas, unit_a, unit_b, settings):
    # a cache of 3 entries: the threads' readings evict each other's all the time
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "threads",
            "OPTIONS": {"MAX_ENTRIES": 3, "CULL_FREQUENCY": 2},
        }
    }
    errors, seen = [], []

    def read(scheme_pk, unit_pk):
        try:
            for _ in range(15):
                scheme = Scheme.objects.select_related("year").get(pk=scheme_pk)
                results = year_results(scheme)
                seen.append(results.results[unit_pk].final)
                ranking_rows(scheme)
                ranking_rows(scheme, str(results.units[unit_pk].category_id))
        except Exception as error:  # any error in a thread fails the test
            errors.append(error)
        finally:
            connections.close_all()

    for value in ("70", "90"):
        save(scheme, unit_a, value, personas["leader"])
        seen.clear()
        threads = [threading.Thread(target=read, args=(scheme.pk, unit_a.pk)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert set(seen) == {D(value)}
        assert len(seen) == 4 * 15


def test_a_process_sees_the_writes_of_another_process(scheme, personas, unit_a, monkeypatch):
    # each process has its own LocMemCache; the generations they key it by are in the database
    first, second = LocMemCache("first", {}), LocMemCache("second", {})
    monkeypatch.setattr(derived, "cache", first)
    save(scheme, unit_a, "80", personas["leader"])
    assert final(scheme, unit_a) == D("80.00")  # cached in the first process

    monkeypatch.setattr(derived, "cache", second)
    save(scheme, unit_a, "50", personas["leader"])
    assert final(scheme, unit_a) == D("50.00")

    monkeypatch.setattr(derived, "cache", first)
    assert final(scheme, unit_a) == D("50.00")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer at a time by design"
)
def test_writes_to_unrelated_inputs_do_not_wait_on_each_other(scheme, personas, unit_a, unit_b):
    first_wrote, second_done = threading.Event(), threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                save(scheme, unit_a, "70", personas["leader"])
                first_wrote.set()
                # hold the transaction open until the other write has committed (or 10 s)
                outcome["second_finished_meanwhile"] = second_done.wait(10)
        finally:
            connections.close_all()

    def second():
        try:
            first_wrote.wait(10)
            save(scheme, unit_b, "60", personas["leader"])
            second_done.set()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcome["second_finished_meanwhile"]
    assert final(scheme, unit_a) == D("70.00")
    assert final(scheme, unit_b) == D("60.00")
