"""The desks' queries do not grow with the number of units (manage.py generate_scale_data)."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.training.conftest import make_training
from units.models import Unit
from units.roles import Role
from units.services import assign_role


def generate(units):
    call_command("flush", interactive=False, verbosity=0)
    call_command("generate_scale_data", units=units, years=2, stdout=io.StringIO())
    liaison = User.objects.create_user("scale_liaison")
    assign_role(liaison, Role.LIAISON, unit=Unit.objects.order_by("pk").first())
    # an open training next week that every unit must attend: on the liaison's and the
    # organizer's desks, with one requirement per unit
    make_training(
        created_by=User.objects.get(username="scale_organizer"),
        start=timezone.localdate() + timedelta(days=7),
    )


def desk_queries(client):
    counts = {}
    for username in ["scale_liaison", "scale_inspector0", "scale_organizer", "scale_leader"]:
        client.force_login(User.objects.get(username=username))
        client.get(reverse("home"))  # the first request of a session may add a query or two
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        counts[username] = len(captured.captured_queries)
    assert len(response_desks(client, "scale_organizer")["organizer"]["upcoming"]) == 1
    assert len(response_desks(client, "scale_liaison")["liaison"]["trainings"]) == 1
    return counts


def response_desks(client, username):
    client.force_login(User.objects.get(username=username))
    return client.get(reverse("home")).context["desks"]


@pytest.mark.django_db(transaction=True)
def test_desk_query_counts_do_not_depend_on_the_number_of_units(client):
    generate(3)
    small = desk_queries(client)
    generate(9)
    large = desk_queries(client)
    assert large == small
