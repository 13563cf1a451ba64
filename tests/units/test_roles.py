import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from config.navigation import menu_for, navigation_for
from tests.conftest import make_user
from units.models import Unit
from units.roles import Role


@pytest.mark.django_db
def test_migration_creates_one_group_per_role():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "organizer",
        "inspector",
        "leader",
        "liaison",
        "admin",
    }


def test_roles_have_the_chinese_names_of_the_design():
    with translation.override("zh-hans"):
        assert [str(role.label) for role in Role] == [
            "培训组织者",
            "检查员",
            "领导",
            "单位联络员",
            "系统管理员",
        ]


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("outsider", {}),
        (
            "liaison_a",
            {
                "Training": ["training:list"],
                "Spot checks": [
                    "assessment:spot_check_list",
                    "assessment:rectification_list",
                    "assessment:campaign_list",
                ],
                "Units": ["units:list"],
            },
        ),
        (
            "organizer",
            {
                "Training": ["training:list", "training:create", "training:statistics"],
                "Assessment": ["assessment:ranking"],
                "Units": ["units:list"],
            },
        ),
        (
            "leader",
            {
                "Training": ["training:list", "training:statistics"],
                "Spot checks": [
                    "assessment:spot_check_list",
                    "assessment:round_list",
                    "assessment:checklist_list",
                    "assessment:rectification_list",
                    "assessment:campaign_list",
                ],
                "Assessment": [
                    "assessment:ranking",
                    "assessment:scheme",
                    "assessment:indicators",
                    "assessment:adjustments",
                ],
                "Units": ["units:list"],
            },
        ),
        (
            "admin",
            {
                "Training": ["training:list", "training:create", "training:statistics"],
                "Spot checks": [
                    "assessment:spot_check_list",
                    "assessment:round_list",
                    "assessment:checklist_list",
                    "assessment:rectification_list",
                    "assessment:campaign_list",
                ],
                "Assessment": [
                    "assessment:ranking",
                    "assessment:scheme",
                    "assessment:indicators",
                    "assessment:adjustments",
                ],
                "Units": ["units:list", "units:import", "workdays:index", "admin:index"],
            },
        ),
    ],
)
def test_menu_groups_show_each_role_only_what_it_may_use(personas, persona, expected):
    with translation.override("en"):
        groups = {
            str(group.label): [entry.url_name for entry in entries]
            for group, entries in navigation_for(personas[persona])
        }
    assert groups == expected


@pytest.mark.parametrize("persona", ["liaison_a", "organizer", "inspector", "leader", "admin"])
def test_every_menu_entry_opens_for_the_role_it_is_shown_to(client_for, personas, persona):
    client = client_for(persona)
    for entry in menu_for(personas[persona]):
        # the ranking sends to the scheme page while the year has no scheme
        assert client.get(entry.url).status_code in (200, 302), entry.url_name


def test_user_menu_names_the_user_its_roles_and_unit(client_for):
    page = client_for("liaison_a").get(reverse("home")).content.decode()
    assert "单位联络员" in page
    assert "甲街道" in page
    assert reverse("units:list") in page
    assert reverse("units:import") not in page


def test_liaison_without_a_unit_sees_nothing_and_is_told_why(client, db, unit_a):
    user = make_user("lost")
    user.groups.add(Group.objects.get(name=Role.LIAISON))
    client.force_login(user)
    assert "尚未绑定单位" in client.get(reverse("home")).content.decode()
    assert Unit.objects.visible_to(user).count() == 0


def test_assigning_the_liaison_role_needs_a_unit(db):
    from units.services import assign_role

    with pytest.raises(ValueError):
        assign_role(make_user(), Role.LIAISON)


def test_admin_role_opens_the_django_admin(client_for):
    assert client_for("admin").get(reverse("admin:units_unit_changelist")).status_code == 200
