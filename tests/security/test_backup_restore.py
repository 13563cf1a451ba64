"""Back up, wipe, restore: the ranking, the history and the uploaded files are identical."""

import io
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from assessment.models import Evidence, Indicator, Scheme, SpotCheck
from assessment.services.year_end import save_indicator_values
from assessment.year_end import year_results
from core.models import Year
from training.models import Attendee
from training.services import mark_attendance, register_attendee


def ranking(scheme):
    results = year_results(Scheme.objects.get(pk=scheme.pk))
    return [(r.unit_id, r.overall_rank, r.final, r.grade) for r in results.overall]


@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_gives_the_same_ranking(
    personas, unit_a, unit_b, checklist, settings, tmp_path
):
    from tests.training.conftest import make_training

    settings.MEDIA_ROOT = tmp_path / "media"
    organizer, inspector = personas["organizer"], personas["inspector"]
    training = make_training(created_by=organizer, start=timezone.localdate() - timedelta(days=9))
    person = register_attendee(
        training, unit=unit_a, name="甲一", phone="13800000001", actor=organizer
    )
    mark_attendance(training, training.days()[0], {person.pk: "present"}, actor=organizer)
    check = SpotCheck.objects.create(
        unit=unit_b,
        checklist=checklist,
        date=timezone.localdate() - timedelta(days=5),
        status=SpotCheck.Status.CONFIRMED,
        percentage=D("77.50"),
        confirmed_at=timezone.now(),
    )
    Evidence.objects.create(
        spot_check=check,
        file=ContentFile(b"%PDF-1.4 evidence", name="e.pdf"),
        original_name="台账.pdf",
        content_type="application/pdf",
        size=17,
        uploaded_by=inspector,
    )
    year, _created = Year.objects.get_or_create(year=timezone.localdate().year)
    scheme = Scheme.objects.create(year=year)
    indicator = Indicator.objects.create(scheme=scheme, name="及时率", weight=D(30))
    save_indicator_values(
        scheme,
        [(indicator, unit_a, D("88.80"), ""), (indicator, unit_b, D("91.10"), "")],
        actor=inspector,
    )
    before = ranking(scheme)
    history_before = Attendee.history.count()

    folder = tmp_path / "backup"
    call_command("backup", str(folder), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    (tmp_path / "media").rename(tmp_path / "media-gone")
    assert not Scheme.objects.exists()

    call_command("restore", str(folder), "--yes", stdout=io.StringIO())
    assert ranking(scheme) == before
    assert Attendee.history.count() == history_before
    evidence = Evidence.objects.get()
    assert evidence.file.read() == b"%PDF-1.4 evidence"
