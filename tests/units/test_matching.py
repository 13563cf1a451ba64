"""Finding a unit from what people write for it (units/matching.py), without a database."""

import pytest

from units.matching import UnitResolver, city_prefixes
from units.models import Unit


def units():
    rows = [
        (1, "市发展和改革委员会", "发改委", "BM02", "发改局"),
        (2, "市民政局", "民政局", "BM07", ""),
        (3, "华阳街道", "华阳街道", "ZJ01", ""),
        (4, "经济开发区管委会", "开发区", "ZJ12", "开发区管委会、经开区"),
        (5, "市市场监督管理局", "市场监管局", "BM30", ""),
        (6, "市公安局", "", "BM06", "交警大队"),
        (7, "市交通运输局", "", "BM14", "交警大队"),
    ]
    return [
        Unit(pk=pk, name=name, short_name=short, code=code, aliases=aliases)
        for pk, name, short, code, aliases in rows
    ]


@pytest.fixture
def resolver(settings):
    settings.CITY_NAME = "句容市"
    return UnitResolver(units())


def test_city_prefixes_come_from_the_setting(settings):
    settings.CITY_NAME = "句容市"
    assert city_prefixes() == ["句容市", "句容", "市"]
    settings.CITY_NAME = ""
    assert city_prefixes() == ["市"]


@pytest.mark.parametrize(
    "text, name",
    [
        ("市发展和改革委员会", "市发展和改革委员会"),  # full name
        ("发改委", "市发展和改革委员会"),  # short name
        ("市发改委", "市发展和改革委员会"),  # short name with the city's 市
        ("句容市发改委", "市发展和改革委员会"),  # with the city's name
        ("句容发展和改革委员会", "市发展和改革委员会"),
        ("发改局", "市发展和改革委员会"),  # an alias
        ("bm02", "市发展和改革委员会"),  # code, any case
        ("ＢＭ０７", "市民政局"),  # full-width code
        ("民 政 局", "市民政局"),  # spaces
        ("句容市华阳街道", "华阳街道"),
        ("经开区", "经济开发区管委会"),
        ("市场监管局", "市市场监督管理局"),
        ("市场监督管理局", "市市场监督管理局"),
    ],
)
def test_a_unit_is_found_however_people_write_it(resolver, text, name):
    assert resolver.find(text).name == name


def test_a_text_that_fits_two_units_is_reported_not_guessed(resolver):
    assert resolver.find("交警大队") is None
    assert resolver.error("交警大队") == (
        "“交警大队”可能指多个单位：市交通运输局、市公安局；请填写全称。"
    )


def test_an_unknown_unit_gets_the_closest_name(resolver):
    assert resolver.find("市民政部门") is None
    assert resolver.error("市民政部门") == "未知单位“市民政部门”，您是否要找“市民政局”？"
    assert resolver.error("") == "单位为空。"
