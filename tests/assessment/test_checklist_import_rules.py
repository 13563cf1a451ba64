"""Checklist rule cells as clerks write them, and a warning for a deduction larger than its
item."""

from decimal import Decimal as D

from assessment.importers import COLUMNS, REQUIRED, parse_checklist
from core.tabular import read_table_bytes


def parsed(rows):
    text = "部分,检查项,分值,扣分规则\n" + "".join(",".join(row) + "\n" for row in rows)
    return parse_checklist(read_table_bytes(text.encode(), COLUMNS, REQUIRED))


def test_rules_separated_by_a_chinese_enumeration_comma_are_two_rules():
    (row,) = parsed([("发布流程", "信息发布及时", "20", "逾期发布：2、未经审核：3")]).rows
    assert (row.errors, row.item["rules"]) == ([], [("逾期发布", D("2")), ("未经审核", D("3"))])


def test_rules_separated_by_a_comma_after_their_points_are_two_rules():
    """A tester's cell: one rule "栏目空白：2，链接错误" worth 1 was saved from it."""
    cell = '"栏目空白：2，链接错误：1,错别字：0.5"'
    (row,) = parsed([("网站维护", "栏目维护", "10", cell)]).rows
    assert row.errors == []
    assert row.item["rules"] == [("栏目空白", D("2")), ("链接错误", D("1")), ("错别字", D("0.5"))]


def test_a_comma_inside_a_fault_stays():
    (row,) = parsed([("网站维护", "栏目维护", "10", "栏目空白，未及时更新：2")]).rows
    assert row.item["rules"] == [("栏目空白，未及时更新", D("2"))]


def test_every_separator_between_rules_and_a_comma_inside_a_fault_stays():
    cell = '"逾期发布:2；未经审核、审批发布：3;错别字：0.5\n链接失效:1"'
    (row,) = parsed([("发布流程", "信息发布及时", "20", cell)]).rows
    assert row.errors == []
    assert row.item["rules"] == [
        ("逾期发布", D("2")),
        ("未经审核、审批发布", D("3")),
        ("错别字", D("0.5")),
        ("链接失效", D("1")),
    ]


def test_a_deduction_above_the_items_max_points_is_warned_not_refused():
    result = parsed([("保密审查", "未发生泄密", "10", "泄密：20、未审核：10")])
    (row,) = result.rows
    assert row.errors == [] and result.is_clean
    # 20 > 10 is warned; 10 = 10 is not
    assert row.warnings == ["每次扣分超过该项满分：“泄密”每次扣 20.00 分，该项满分 10.00 分。"]


def test_max_points_with_more_than_two_decimals_says_so():
    (row,) = parsed([("制度建设", "制度健全", "10.125", "")]).rows
    assert row.errors == ["分值“10.125”超过两位小数，最多两位小数。"]


def test_a_section_merged_over_its_items_and_saved_as_csv_is_the_section_above():
    result = parsed(
        [
            ("制度建设", "保密审查制度健全", "10", ""),
            ("", "发布审批制度", "5", ""),
            ("发布流程", "及时", "20", ""),
        ]
    )
    assert [(row.section, row.errors, row.notes) for row in result.rows] == [
        ("制度建设", [], []),
        ("制度建设", [], ["部分为空，沿用上一行（制度建设）。"]),
        ("发布流程", [], []),
    ]
