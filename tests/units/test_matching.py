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


def city_units():
    """Units as seed_demo makes them: 开发区 has no alias 开发区管委会, 政府办 is disabled."""
    rows = [
        (1, "华阳街道", "华阳街道", "ZJ01", True),
        (2, "经济开发区管委会", "开发区", "ZJ12", True),
        (3, "市政府办公室", "政府办", "BM01", False),
        (4, "市政务服务管理办公室", "政务办", "BM32", True),
        (5, "市城市管理局", "城管局", "BM26", True),
        (6, "市市场监督管理局", "市场监管局", "BM23", True),
        (7, "市数据局", "数据局", "BM40", True),
        (8, "市大数据管理局", "数据局", "BM41", False),  # the old unit, disabled
    ]
    return [
        Unit(pk=pk, name=name, short_name=short, code=code, is_active=active)
        for pk, name, short, code, active in rows
    ]


@pytest.mark.parametrize(
    "text, name",
    [
        ("句容市华阳街道", "华阳街道"),  # a city's name, though none is set
        ("句容市城市管理局", "市城市管理局"),
        ("句容市市场监督管理局", "市市场监督管理局"),
        ("句容市政务办", "市政务服务管理办公室"),
        ("开发区管委会", "经济开发区管委会"),  # short name + 管委会
        ("开发区管理委员会", "经济开发区管委会"),
        ("经济开发区管理委员会", "经济开发区管委会"),
        ("数据局", "市数据局"),  # the disabled unit of the same short name is not a second fit
    ],
)
def test_city_names_and_the_management_committee_suffix_without_a_city_name_set(
    settings, text, name
):
    settings.CITY_NAME = ""
    assert UnitResolver(city_units()).find(text).name == name


def test_a_set_city_name_does_not_take_another_citys_units(settings):
    settings.CITY_NAME = "句容市"
    resolver = UnitResolver(city_units())
    assert resolver.find("句容市华阳街道").name == "华阳街道"
    assert resolver.find("丹阳市华阳街道") is None
    assert resolver.error("丹阳市华阳街道") == "未知单位“丹阳市华阳街道”，您是否要找“华阳街道”？"


def test_a_disabled_unit_is_named_not_replaced_by_a_suggestion(settings):
    settings.CITY_NAME = ""
    resolver = UnitResolver(city_units())
    assert resolver.find("政府办") is None
    assert resolver.error("政府办") == "“政府办”是已停用的单位“市政府办公室”。"
    assert resolver.error("句容市政府办公室") == "“句容市政府办公室”是已停用的单位“市政府办公室”。"
    assert UnitResolver(city_units(), active_only=False).find("政府办").name == "市政府办公室"


def towns():
    rows = [
        (1, "华阳街道", "华阳街道", "ZJ01"),
        (2, "茅山镇", "茅山镇", "ZJ08"),
        (3, "天王镇", "", "ZJ09"),
        (4, "天王街道", "", "ZJ10"),  # the same stem as 天王镇
        (5, "市城管局", "", "BM26"),
    ]
    return [Unit(pk=pk, name=name, short_name=short, code=code) for pk, name, short, code in rows]


@pytest.mark.parametrize(
    "text, name",
    [
        ("华阳", "华阳街道"),  # as clerks write it: without 街道
        ("华阳街道办事处", "华阳街道"),  # or with the office's full title
        ("句容市华阳", "华阳街道"),
        ("茅山", "茅山镇"),  # without 镇
        ("茅山镇", "茅山镇"),
        ("天王镇", "天王镇"),  # written in full, each of the two finds its own
        ("天王街道", "天王街道"),
        ("茅山镇人民政府", "茅山镇"),  # its official name
        ("句容市茅山镇人民政府", "茅山镇"),
        ("天王街道办事处", "天王街道"),
    ],
)
def test_a_town_or_subdistrict_is_found_without_its_zhen_or_jiedao(settings, text, name):
    settings.CITY_NAME = "句容市"
    assert UnitResolver(towns()).find(text).name == name


def test_a_stem_two_places_share_is_reported_not_guessed(settings):
    settings.CITY_NAME = "句容市"
    resolver = UnitResolver(towns())
    assert resolver.find("天王") is None
    assert resolver.error("天王") == "“天王”可能指多个单位：天王街道、天王镇；请填写全称。"
    assert resolver.find("城管") is None  # a department's 局 is not a place's suffix
