"""Two administrators save the same year's schedule at the same moment (PostgreSQL, two
threads): one schedule wins whole, never a mix, and the other gets a message, never a 500."""

import threading

import pytest
from django.db import connection, connections

from tests.conftest import make_user
from units.roles import Role
from workdays.models import CalendarDay
from workdays.schedule import entries_of, parse_schedule
from workdays.services import CalendarError, save_year_schedule

pytestmark = pytest.mark.django_db(transaction=True)

FIRST = "2027-02-05 至 2027-02-11 春节放假\n2027-02-14 调休上班"
SECOND = "2027-02-06 至 2027-02-12 春节放假\n2027-02-20 调休上班"


def test_two_admins_saving_one_year_at_once_leave_one_whole_schedule():
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL's row locks")
    admins = [make_user(role=Role.ADMIN), make_user(role=Role.ADMIN)]
    barrier = threading.Barrier(2)
    outcomes = []

    def save(text, admin, source):
        lines, _errors = parse_schedule(text, 2027)
        barrier.wait()
        try:
            save_year_schedule(2027, lines, source=source, actor=admin)
            outcomes.append(source)
        except CalendarError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(FIRST, admins[0], "一")),
        threading.Thread(target=save, args=(SECOND, admins[1], "二")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    saved = list(CalendarDay.objects.in_year(2027).values_list("date", "kind", "name", "source"))
    sources = {row[3] for row in saved}
    assert len(sources) == 1
    winner = FIRST if sources == {"一"} else SECOND
    assert [row[:3] for row in saved] == entries_of(parse_schedule(winner, 2027)[0])
    assert sorted(outcomes) in (["conflict", "一"], ["conflict", "二"], ["一", "二"])
