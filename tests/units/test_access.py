"""Who may open which unit page: a table per page, as in pretix's test_permissions."""

import pytest
from django.urls import reverse

from tests.conftest import make_unit

LIST = "units:list"


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("anonymous", 302),
        ("outsider", 403),
        ("liaison_a", 200),
        ("organizer", 200),
        ("inspector", 200),
        ("leader", 200),
        ("admin", 200),
    ],
)
def test_unit_list_access(client_for, persona, expected):
    assert client_for(persona).get(reverse(LIST)).status_code == expected


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("anonymous", 302),
        ("outsider", 403),
        ("liaison_a", 200),
        ("liaison_b", 404),
        ("organizer", 200),
        ("inspector", 200),
        ("leader", 200),
        ("admin", 200),
    ],
)
def test_unit_detail_access(client_for, unit_a, persona, expected):
    response = client_for(persona).get(reverse("units:detail", args=[unit_a.pk]))
    assert response.status_code == expected


@pytest.mark.parametrize("url_name", ["units:create", "units:import", "units:import_template"])
@pytest.mark.parametrize(
    "persona, expected",
    [
        ("anonymous", 302),
        ("liaison_a", 403),
        ("organizer", 403),
        ("inspector", 403),
        ("leader", 403),
        ("admin", 200),
    ],
)
def test_unit_management_pages_are_for_admins_only(client_for, url_name, persona, expected):
    assert client_for(persona).get(reverse(url_name)).status_code == expected


@pytest.mark.parametrize("persona, expected", [("liaison_a", 403), ("leader", 403), ("admin", 200)])
def test_unit_edit_access(client_for, unit_a, persona, expected):
    response = client_for(persona).get(reverse("units:update", args=[unit_a.pk]))
    assert response.status_code == expected


def test_anonymous_is_sent_to_login_with_next(client, db):
    response = client.get(reverse(LIST))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse(LIST)}"


def test_liaison_sees_only_its_own_unit_in_the_list(client_for, unit_a, unit_b):
    make_unit("市财政局")
    response = client_for("liaison_a").get(reverse(LIST))
    names = [row.record.name for row in response.context["table"].page.object_list]
    assert names == ["甲街道"]


def test_liaison_export_contains_only_its_own_unit(client_for, unit_a, unit_b):
    response = client_for("liaison_a").get(reverse(LIST), {"_export": "csv"})
    text = response.content.decode("utf-8-sig")
    assert "甲街道" in text
    assert "乙局" not in text


def test_liaison_cannot_edit_its_own_unit(client_for, unit_a):
    response = client_for("liaison_a").post(
        reverse("units:update", args=[unit_a.pk]), {"name": "改名"}
    )
    assert response.status_code == 403
    unit_a.refresh_from_db()
    assert unit_a.name == "甲街道"


def test_city_wide_roles_see_every_unit(client_for, unit_a, unit_b):
    response = client_for("inspector").get(reverse(LIST))
    assert response.context["table"].paginator.count == 2


def test_a_user_cannot_be_deleted_in_the_admin_only_made_inactive(client, personas):
    """Trial 6: deleting a departed inspector in the admin took him off the confirmed spot
    checks he had signed, without a trace."""
    from django.contrib.auth.models import User
    from django.urls import reverse

    superuser = User.objects.create_superuser("root", password="x")
    client.force_login(superuser)
    inspector = personas["inspector"]
    delete = reverse("admin:auth_user_delete", args=[inspector.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    listing = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "_selected_action": [inspector.pk], "post": "yes"},
    )
    assert listing.status_code in (200, 302)
    assert User.objects.filter(pk=inspector.pk).exists()


def test_a_weak_new_password_is_refused_under_the_new_password(client, personas):
    """Trial 7: what was wrong with the new password showed under its confirmation."""
    from django.urls import reverse

    client.force_login(personas["leader"])
    data = {"old_password": "x", "new_password1": "12345678", "new_password2": "12345678"}
    personas["leader"].set_password("x")
    personas["leader"].save()
    client.force_login(personas["leader"])
    form = client.post(reverse("password_change"), data).context["form"]
    assert form.errors["new_password1"] and "new_password2" not in form.errors
    data["new_password2"] = "12345679"
    form = client.post(reverse("password_change"), data).context["form"]
    assert "new_password2" in form.errors and "new_password1" not in form.errors


def test_a_new_account_is_made_with_its_role_and_a_liaison_with_its_unit(client, unit_a):
    """Trial 6: the admin's add-user form had no role, and a liaison could be saved without a
    unit (seeing nothing, answering for nobody)."""
    from django.contrib.auth.models import User
    from django.urls import reverse

    from units.roles import Role, roles_of

    client.force_login(User.objects.create_superuser("root", password="x"))
    url = reverse("admin:auth_user_add")
    data = {
        "username": "liaison_new",
        "usable_password": "true",
        "password1": "Zz-9qW!x7LmP",
        "password2": "Zz-9qW!x7LmP",
        "role": Role.LIAISON,
        "unit": "",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "unit" in refused.context["adminform"].form.errors
    assert not User.objects.filter(username="liaison_new").exists()
    assert client.post(url, data | {"unit": unit_a.pk}).status_code == 302
    user = User.objects.get(username="liaison_new")
    assert roles_of(user) == {Role.LIAISON} and user.profile.unit == unit_a
