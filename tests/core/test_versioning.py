"""The data version keys cached results: it must never come back to a value whose cached
results belong to other data."""

from core.models import DataVersion
from core.versioning import (
    TOPICS,
    bump_version,
    current_version,
    move_version_past,
    versioned,
)


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


def test_a_write_raises_the_version_and_only_its_own_topics(db):
    before = {topic: current_version(topic) for topic in ("value", *TOPICS)}
    bump_version(topics=["training"])
    assert current_version() == before["value"] + 1
    assert current_version("training") == before["training"] + 1
    assert current_version("spot_checks") == before["spot_checks"]
    bump_version()  # no topics named: every topic, to be safe
    assert current_version("spot_checks") == before["spot_checks"] + 1


def test_a_part_cached_under_a_topic_survives_writes_to_other_inputs(db):
    computed = []

    def component():
        computed.append(1)
        return len(computed)

    assert versioned("component", component, topic="training") == 1
    bump_version(topics=[])  # e.g. an indicator value
    bump_version(topics=["spot_checks"])
    assert versioned("component", component, topic="training") == 1
    bump_version(topics=["training"])
    assert versioned("component", component, topic="training") == 2
