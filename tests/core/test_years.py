import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Year


@pytest.fixture
def years(db):
    this_year = timezone.localdate().year
    Year.objects.create(year=this_year - 1)
    Year.objects.create(year=this_year)
    return this_year


def test_selector_defaults_to_the_current_year_and_lists_all_years(client_for, years):
    response = client_for("leader").get(reverse("home"))
    assert response.context["selected_year"] == years
    assert response.context["year_choices"] == [years, years - 1]


def test_chosen_year_is_shared_by_later_pages(client_for, years):
    client = client_for("leader")
    response = client.post(reverse("set_year"), {"year": years - 1, "next": reverse("units:list")})
    assert response["Location"] == reverse("units:list")
    assert client.get(reverse("units:list")).context["selected_year"] == years - 1
    assert client.get(reverse("home")).context["selected_year"] == years - 1


def test_unknown_year_is_refused_with_a_message(client_for, years):
    client = client_for("leader")
    response = client.post(reverse("set_year"), {"year": "1999"}, follow=True)
    assert "没有该年度。" in response.content.decode()
    assert response.context["selected_year"] == years


def test_year_selector_never_redirects_off_site(client_for, years):
    response = client_for("leader").post(
        reverse("set_year"), {"year": years, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_year_selector_only_takes_post(client_for, years):
    assert client_for("leader").get(reverse("set_year")).status_code == 405


@pytest.mark.parametrize("target", ["foo", "home", "units:list", "//evil.example/", "javascript:x"])
def test_year_selector_sends_anything_but_a_local_path_home(client_for, years, target):
    response = client_for("leader").post(reverse("set_year"), {"year": years, "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
