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
