"""The data version keys cached results: it must never come back to a value whose cached
results belong to other data."""

from core.models import DataVersion
from core.versioning import bump_version, current_version, move_version_past, versioned


def test_after_a_wholesale_replacement_no_result_of_the_old_data_is_served(db):
    bump_version()
    bump_version()
    before = current_version()
    assert versioned("figure", lambda: "old data") == "old data"

    DataVersion.objects.all().delete()  # what flush does; the new data's writes count again
    bump_version()
    bump_version()
    assert current_version() == before
    assert versioned("figure", lambda: "new data") == "old data"  # the hazard

    move_version_past(before)
    assert current_version() == before + 1
    assert versioned("figure", lambda: "new data") == "new data"


def test_moving_past_keeps_a_higher_version_brought_by_the_new_data(db):
    for _ in range(5):
        bump_version()
    move_version_past(2)
    assert current_version() == 6
