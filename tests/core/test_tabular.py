import io

import pytest
from openpyxl import Workbook

from core.tabular import TabularFileError, map_headers, read_table_bytes


def test_csv_rows_keep_spreadsheet_row_numbers_and_skip_blank_lines():
    sheet = read_table_bytes("名称,类别\n甲,市级部门\n\n乙, 市级部门 \n".encode())
    assert sheet.headers == ["名称", "类别"]
    assert sheet.rows == [(2, ["甲", "市级部门"]), (4, ["乙", "市级部门"])]


def test_short_rows_are_padded_and_long_rows_cut_to_the_header():
    sheet = read_table_bytes(b"a,b\n1\n1,2,3\n")
    assert sheet.rows == [(2, ["1", ""]), (3, ["1", "2"])]


def test_gbk_csv_is_decoded():
    sheet = read_table_bytes("名称\n市教育局\n".encode("gbk"))
    assert sheet.rows == [(2, ["市教育局"])]


def test_xlsx_numbers_become_plain_text():
    workbook = Workbook()
    workbook.active.append(["名称", "排序", "比例"])
    workbook.active.append(["甲", 3, 0.1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = read_table_bytes(buffer.getvalue())
    assert sheet.rows == [(2, ["甲", "3", "0.1"])]


@pytest.mark.parametrize(
    "data",
    [b"", b"  \n", b"PK\x03\x04" + b"\x00" * 40, b"\xff\xfe\x00\x00garbage\x00"],
)
def test_unreadable_input_raises_a_user_error(data):
    with pytest.raises(TabularFileError):
        read_table_bytes(data)


def test_truncated_xlsx_raises_a_user_error():
    workbook = Workbook()
    workbook.active.append(["名称"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(TabularFileError):
        read_table_bytes(buffer.getvalue()[:300])


def test_headers_map_in_chinese_or_english_ignoring_case_spaces_and_asterisks():
    aliases = {"name": ("名称", "name"), "category": ("类别", "category")}
    columns, errors = map_headers(["Category", " 名 称* "], aliases, required=["name"])
    assert columns == {"category": 0, "name": 1}
    assert errors == []


def test_unknown_duplicate_and_missing_headers_are_all_reported():
    aliases = {"name": ("名称", "name"), "category": ("类别", "category")}
    _, errors = map_headers(["类别", "category", "备注"], aliases, required=["name"])
    assert len(errors) == 3
