import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from units.models import Unit, UnitCategory
from units.roles import Role, roles_of


def seed():
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


@pytest.mark.django_db
def test_seed_demo_loads_the_49_units_and_one_user_per_role_and_is_idempotent():
    first_output = seed()
    counts = (Unit.objects.count(), UnitCategory.objects.count(), User.objects.count())
    seed()
    assert (Unit.objects.count(), UnitCategory.objects.count(), User.objects.count()) == counts
    assert counts[0] == 49
    assert Unit.objects.filter(category__name="镇（街道）及板块").count() == 12
    assert Unit.objects.filter(category__name="市级部门").count() == 37
    held = set().union(*(roles_of(user) for user in User.objects.all()))
    assert held == set(Role)
    assert "Demo@2026" in first_output


@pytest.mark.django_db
def test_demo_liaisons_are_bound_to_their_units():
    seed()
    liaison = User.objects.get(username="liaison_zj01")
    assert liaison.profile.unit.name == "华阳街道"
    assert list(Unit.objects.visible_to(liaison)) == [liaison.profile.unit]
    assert User.objects.get(username="admin").check_password("Demo@2026")
