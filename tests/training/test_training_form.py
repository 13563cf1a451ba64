import pytest
from django.urls import reverse

from training.models import Training


@pytest.mark.parametrize(
    "starts, ends",
    [("0001-01-01T00:00", "0001-01-01T08:00"), ("9999-12-31T23:00", "9999-12-31T23:59")],
)
def test_a_training_outside_1900_to_2100_is_refused_at_its_field(client_for, starts, ends):
    response = client_for("organizer").post(
        reverse("training:create"),
        {
            "title": "培训",
            "starts_at": starts,
            "ends_at": ends,
            "venue": "会议室",
            "status": Training.Status.OPEN,
            "scope": Training.Scope.ALL,
            "seats_per_unit": 1,
        },
    )
    assert response.status_code == 200
    assert "请输入 1900 至 2100 年之间的日期。" in response.context["form"].errors["starts_at"]
    assert not Training.objects.exists()


def test_a_lecturer_id_no_database_holds_is_a_bad_request(client_for):
    response = client_for("organizer").post(
        reverse("training:create"),
        {
            "title": "培训",
            "starts_at": "2026-03-02T09:00",
            "ends_at": "2026-03-02T17:00",
            "venue": "会议室",
            "status": Training.Status.OPEN,
            "scope": Training.Scope.ALL,
            "seats_per_unit": 1,
            "lecturers-TOTAL_FORMS": "1",
            "lecturers-INITIAL_FORMS": "0",
            "lecturers-0-id": str(10**20),
            "lecturers-0-name": "张律师",
        },
    )
    assert response.status_code in (200, 400)
    assert not Training.objects.exists()


@pytest.mark.parametrize("field", ["batch", "capacity", "seats_per_unit"])
def test_a_number_no_database_column_holds_is_refused_at_its_field(client_for, field):
    data = {
        "title": "培训",
        "starts_at": "2026-03-02T09:00",
        "ends_at": "2026-03-02T17:00",
        "venue": "会议室",
        "status": Training.Status.OPEN,
        "scope": Training.Scope.ALL,
        "seats_per_unit": 1,
        field: str(10**20),
    }
    response = client_for("organizer").post(reverse("training:create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Training.objects.exists()
