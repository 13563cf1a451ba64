"""No N+1: every page the benchmark measures, and the year-end computation, issue the same
number of queries at two sizes of the same synthetic data (manage.py generate_scale_data)."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.models import Scheme
from assessment.year_end import year_results
from training.models import Training
from units.models import Unit


def measure(client):
    leader = User.objects.get(username="scale_leader")
    client.force_login(leader)
    unit = Unit.objects.order_by("pk").first()
    training = Training.objects.filter(year=timezone.localdate().year).order_by("-pk").first()
    pages = {
        "ranking": reverse("assessment:ranking"),
        "breakdown": reverse("assessment:breakdown", args=[unit.pk]),
        "spot check list": reverse("assessment:spot_check_list"),
        "attendee list": reverse("training:detail", args=[training.pk]),
        "leader home": reverse("home"),
        "training statistics": reverse("training:statistics"),
        "rectifications": reverse("assessment:rectification_list"),
    }
    counts = {}
    for name, url in pages.items():
        client.get(url)  # the first request of a session may add a query or two
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts[name] = len(captured.captured_queries)
    scheme = Scheme.objects.select_related("year").get(year__year=timezone.localdate().year)
    cache.clear()  # the pages above cached the results: count the computation itself
    with CaptureQueriesContext(connection) as captured:
        year_results(scheme)
    counts["computation"] = len(captured.captured_queries)
    return counts


def generate(units):
    call_command("flush", interactive=False, verbosity=0)
    call_command("generate_scale_data", units=units, years=2, stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_query_counts_do_not_depend_on_the_number_of_units(client):
    generate(3)
    small = measure(client)
    generate(9)
    large = measure(client)
    assert large == small
    # 4 version and held-training reads, indicators, categories, units, 2 components, the
    # submitted self-assessments, values, adjustments
    assert small["computation"] <= 13
