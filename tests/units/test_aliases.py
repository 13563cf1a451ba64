"""An alias may not be what another unit is called (its code, name, short name or alias): found
by trying to break the system, an alias 宝华镇 on another unit made the real 宝华镇 ambiguous in
every import, and an alias 华阳 sent 华阳街道's indicator values to the wrong unit."""

from tests.conftest import log_in, make_category, make_unit
from tests.units.test_import import csv_upload, error_rows, post
from units.forms import UnitForm
from units.models import Unit
from units.roles import Role


def form_data(unit, **changes):
    data = {
        "name": unit.name,
        "short_name": unit.short_name,
        "aliases": unit.aliases,
        "code": unit.code,
        "category": unit.category_id,
        "sort_order": unit.sort_order,
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_the_unit_form_refuses_an_alias_that_names_another_unit(db):
    towns = make_category("镇（街道）")
    make_unit("宝华镇", category=towns, short_name="宝华")
    mine = make_unit("测试单位", category=towns, aliases="老名称")
    for alias, owner in (("宝华镇", "宝华镇"), ("宝华", "宝华镇"), ("ＴＥＳＴ", None)):
        form = UnitForm(data=form_data(mine, aliases=f"测单位、{alias}"), instance=mine)
        if owner is None:
            assert form.is_valid(), form.errors
        else:
            assert not form.is_valid()
            assert form.errors["aliases"] == [
                f"“{alias}”已被单位“{owner}”用作名称、简称、别名或编码。"
            ]
    # its own names and aliases stay allowed
    form = UnitForm(data=form_data(mine, aliases="老名称、测试单位"), instance=mine)
    assert form.is_valid(), form.errors


def test_the_unit_import_refuses_an_alias_that_names_another_unit(client, db):
    towns = make_category("镇（街道）及板块")
    make_unit("宝华镇", category=towns, code="ZJ04")
    log_in(client, Role.ADMIN)
    response = post(
        client,
        csv_upload("编码,名称,别名,类别\nZZ09,别名冲突,宝华镇、冲突,镇（街道）及板块\n"),
    )
    assert error_rows(response) == {2: ["“宝华镇”已被单位“宝华镇”用作名称、简称、别名或编码。"]}
    assert not Unit.objects.filter(code="ZZ09").exists()
