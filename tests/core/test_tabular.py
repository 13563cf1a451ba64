import contextlib
import io
import time
import tracemalloc
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from core import tabular
from core.tabular import (
    MAX_COLUMNS,
    XLS_MAGIC,
    XLSX_MAGIC,
    TabularFileError,
    clean_name,
    clean_phone,
    fold,
    read_table_bytes,
    shortened_by_excel,
)
from tests.conftest import OFFICE

ALIASES = {
    "unit": ("单位", "unit"),
    "name": ("姓名", "name"),
    "phone": ("手机", "phone"),
    "position": ("职务",),
}
REQUIRED = ("unit", "name", "phone")


def read(data, aliases=ALIASES, required=REQUIRED):
    return read_table_bytes(data, aliases, required)


def xlsx(*sheets):
    """A workbook with one sheet per (title, rows)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_csv_rows_keep_spreadsheet_row_numbers_and_skip_blank_lines():
    table = read("单位,姓名,手机\n甲,张三,13800001111\n\n乙, 李四 ,13800002222\n".encode())
    assert table.header_row == 1
    assert table.rows == [
        (2, {"unit": "甲", "name": "张三", "phone": "13800001111"}),
        (4, {"unit": "乙", "name": "李四", "phone": "13800002222"}),
    ]
    assert table.notes == []


def test_short_rows_are_padded_with_blanks():
    table = read("单位,姓名,手机\n甲\n".encode())
    assert table.rows == [(2, {"unit": "甲", "name": "", "phone": ""})]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_the_encodings_offices_write(encoding):
    table = read("单位,姓名,手机\n市教育局,张三,13800001111\n".encode(encoding))
    assert table.rows[0][1]["unit"] == "市教育局"


def test_utf16_tab_separated_text_is_read():
    # Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated
    data = "单位\t姓名\t手机\r\n市教育局\t张三\t13800001111\r\n".encode("utf-16")
    assert read(data).rows == [(2, {"unit": "市教育局", "name": "张三", "phone": "13800001111"})]


def test_xlsx_numbers_become_plain_text():
    data = xlsx(("名单", [["单位", "姓名", "手机", "职务"], ["甲", "张三", 13812345678.0, 0.1]]))
    assert read(data).rows == [
        (2, {"unit": "甲", "name": "张三", "phone": "13812345678", "position": "0.1"})
    ]


@pytest.mark.parametrize(
    "data",
    [b"", b"  \n", b"PK\x03\x04" + b"\x00" * 40, b"\xff\xfe\x00\xd8garbage\x00"],
)
def test_unreadable_input_raises_a_user_error(data):
    with pytest.raises(TabularFileError):
        read(data)


def test_truncated_xlsx_raises_a_user_error():
    data = xlsx(("名单", [["单位", "姓名", "手机"]]))
    with pytest.raises(TabularFileError):
        read(data[:300])


def test_garbage_xls_raises_a_user_error():
    with pytest.raises(TabularFileError, match="xls"):
        read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)


def test_header_is_found_below_titles_and_the_preview_says_so():
    data = xlsx(
        (
            "名单",
            [
                ["2026年度全市政务公开业务培训班参训人员名单"],
                ["填报单位（盖章）：市教育局", None, "填报日期：2026年10月8日"],
                ["序号", "单位", "姓名", "职务", "手机", "备注"],
                [1, "市教育局", "张三", "科员", 13800001111, "住宿"],
            ],
        )
    )
    table = read(data)
    assert table.header_row == 3
    assert table.rows == [
        (4, {"unit": "市教育局", "name": "张三", "position": "科员", "phone": "13800001111"})
    ]
    assert table.notes == [
        "第 1–2 行位于表头（第 3 行）之上，为标题，已跳过。",
        "未使用的列：序号、备注。",
    ]


def test_headers_in_chinese_or_english_ignoring_case_spaces_asterisks_and_remarks():
    table = read("Unit, 姓 名* ,手机（必填）\n甲,张三,13800001111\n".encode())
    assert table.columns == {"unit": 0, "name": 1, "phone": 2}


def test_a_missing_required_column_is_named_with_the_header_row_found():
    with pytest.raises(TabularFileError) as error:
        read("标题\n序号,单位,姓名,备注\n1,甲,张三,\n".encode())
    assert str(error.value) == "缺少必填列“手机”。找到的表头（第 2 行）为：序号、单位、姓名、备注。"


def test_two_columns_for_one_field_are_refused():
    with pytest.raises(TabularFileError, match="都表示"):
        read("单位,姓名,手机,phone\n甲,张三,1,2\n".encode())


def test_footer_rows_are_skipped_with_a_note_not_reported_as_rows():
    text = (
        "单位,姓名,手机\n"
        "甲,张三,13800001111\n"
        "合计,1人,\n"
        "\n"
        "填表人：李四    联系电话：0511-87654321\n"
        "以上人员请于报到当天携带身份证。\n"
    )
    table = read(text.encode())
    assert [number for number, _values in table.rows] == [2]
    assert table.notes == [
        "第 3 行为合计或平均行，已跳过。",
        "第 5–6 行为表尾（签字、合计、备注等），已跳过。",
    ]


@pytest.mark.parametrize(
    "start", [b"<!DOCTYPE html>\n<html>", b"\xef\xbb\xbf <html><body>", b"<table border=1>"]
)
def test_a_web_page_named_as_a_spreadsheet_says_what_to_do(start):
    """What OA systems export as .xls: the message said the first row read <!DOCTYPE html>."""
    data = start + "<tr><td>单位</td><td>姓名</td><td>手机</td></tr></table>".encode()
    with pytest.raises(TabularFileError, match=r"网页（HTML）.*另存为 \.xlsx"):
        read(data)


def test_totals_and_averages_are_skipped_wherever_they_stand():
    """小计 between two categories' rows, 全市平均 and 均值 under the values (a tester's files)."""
    text = (
        "单位,姓名,手机\n甲,张三,13800001111\n小计,1,\n乙,李四,13800002222\n全市平均,,\n均值：,,\n"
    )
    table = read(text.encode())
    assert [number for number, _values in table.rows] == [2, 4]
    assert table.notes == ["第 3、5–6 行为合计或平均行，已跳过。"]


def test_an_excel_2003_xml_spreadsheet_says_what_to_do():
    data = (
        b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>'
    )
    with pytest.raises(TabularFileError, match=r"Excel 2003 XML.*另存为 \.xlsx"):
        read(data)


def test_a_rate_shown_as_a_percentage_is_read_to_the_hundredth():
    workbook = Workbook()
    workbook.active.append(["单位", "姓名", "手机"])
    workbook.active.append(["甲", 0.95456, 0.9])
    for cell in workbook.active[2][1:]:
        cell.number_format = "0.00%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table_bytes(buffer.getvalue(), ALIASES, percents=True)
    assert table.rows == [(2, {"unit": "甲", "name": "95.46%", "phone": "90%"})]
    plain = read_table_bytes(buffer.getvalue(), ALIASES)
    assert plain.rows == [(2, {"unit": "甲", "name": "0.95456", "phone": "0.9"})]


def test_averages_and_a_checklists_signature_row_are_footer_rows():
    """As paper forms end: 平均 under the values, 检查人：/复核人： signature cells."""
    text = "单位,姓名,手机\n甲,张三,13800001111\n平均值,,\n检查人：,被检查单位负责人：,复核人：\n"
    table = read(text.encode())
    assert [number for number, _values in table.rows] == [2]
    assert table.notes == [
        "第 3 行为合计或平均行，已跳过。",
        "第 4 行为表尾（签字、合计、备注等），已跳过。",
    ]


def test_rows_with_only_a_serial_number_are_skipped_with_a_note():
    text = "序号,单位,姓名,手机\n1,甲,张三,13800001111\n2,,,\n3,,,\n"
    table = read(text.encode())
    assert [number for number, _values in table.rows] == [2]
    assert table.notes == ["未使用的列：序号。", "第 3–4 行在所用各列中没有内容，已跳过。"]


def test_an_instructions_sheet_in_front_is_skipped():
    data = xlsx(
        ("填表说明", [["请按模板填写，不要修改表头。"], ["手机号请填写 11 位数字。"]]),
        ("空白", []),
        ("名单", [["单位", "姓名", "手机"], ["甲", "张三", "13800001111"]]),
    )
    table = read(data)
    assert table.sheet_name == "名单"
    assert table.notes == [
        "已读取工作表“名单”；以下工作表没有所需表头，已跳过：“填表说明”、“空白”。"
    ]


def test_full_width_digits_letters_and_spaces_are_folded_but_chinese_punctuation_stays():
    assert fold("１３５００００３３３３") == "13500003333"
    assert fold("ＢＭ０３\u3000") == "BM03"
    assert fold("镇（街道）及板块：好，") == "镇（街道）及板块：好，"


@pytest.mark.parametrize(
    "text, name", [("李  娜", "李娜"), ("欧阳 修", "欧阳修"), ("John  Smith", "John Smith")]
)
def test_names_lose_padding_spaces(text, name):
    assert clean_name(text) == name


@pytest.mark.parametrize(
    "text, phone",
    [
        ("13812345678.0", "13812345678"),
        ("'13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0511-87654321", "0511-87654321"),
        ("（0511）87654321", "0511-87654321"),  # the area code in brackets
        ("(0511) 8765-4321", "0511-87654321"),
    ],
)
def test_phones_as_offices_write_them(text, phone):
    assert clean_phone(text) == phone


def test_a_phone_excel_wrote_in_scientific_notation_is_recognised():
    assert shortened_by_excel("1.38123E+10")
    assert not shortened_by_excel("13812345678")


# Bounded reading (issue 11, item 1): each bomb is refused in under a second, using little memory.


def xlsx_with_sheet_xml(sheet_xml, extra=()):
    """A real workbook whose first sheet's XML is replaced by `sheet_xml`."""
    source = zipfile.ZipFile(io.BytesIO(xlsx(("Sheet1", [["x"]]))))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode()
            target.writestr(item.filename, data)
        for name, data in extra:
            target.writestr(name, data)
    return buffer.getvalue()


SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "{dimension}<sheetData>{rows}</sheetData></worksheet>"
)


def cell_row(number, column, text):
    return (
        f'<row r="{number}"><c r="{column}{number}" t="inlineStr"><is><t>{text}</t></is></c></row>'
    )


def refused_quickly(data, match):
    """Refused with a message in under a second; then again, measuring the memory it takes."""
    started = time.monotonic()
    with pytest.raises(TabularFileError, match=match):
        read(data)
    assert time.monotonic() - started < 1
    tracemalloc.start()  # slows Python down tenfold: the message may be the time limit's
    try:
        with pytest.raises(TabularFileError):
            read(data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 200 * 2**20


def test_a_dimension_bomb_is_read_as_the_cells_it_has_in_under_a_second():
    # declares A1:XFD1048576 with cells only in A1:C2. openpyxl's read-only mode pads every
    # row to the declared width: 17 billion cells (90 s and 6.5 GB before)
    header = '<c r="A1" t="inlineStr"><is><t>单位</t></is></c>'
    header += '<c r="B1" t="inlineStr"><is><t>姓名</t></is></c>'
    header += '<c r="C1" t="inlineStr"><is><t>手机</t></is></c>'
    person = '<c r="A2" t="inlineStr"><is><t>甲街道</t></is></c>'
    person += '<c r="B2" t="inlineStr"><is><t>张三</t></is></c>'
    person += '<c r="C2" t="inlineStr"><is><t>13800000001</t></is></c>'
    data = xlsx_with_sheet_xml(
        SHEET.format(
            dimension='<dimension ref="A1:XFD1048576"/>',
            rows=f'<row r="1">{header}</row><row r="2">{person}</row>',
        )
    )
    started = time.monotonic()
    table = read(data)
    assert time.monotonic() - started < 1
    assert table.rows == [(2, {"unit": "甲街道", "name": "张三", "phone": "13800000001"})]


def five_people_and(draw):
    """A workbook of a header and five people, with `draw(sheet)` done to it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["单位", "姓名", "手机"])
    for n in range(1, 6):
        sheet.append(["甲街道", f"人{n}", f"1380000000{n}"])
    draw(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_empty_rows_with_borders_down_the_sheet_count_for_no_limit(monkeypatch):
    from openpyxl.styles import Border, Side

    monkeypatch.setattr(tabular, "MAX_ROWS", 100)  # borders to row 200 stand for row 60000
    thin = Side(style="thin")

    def borders(sheet):
        for row in range(7, 201):
            for column in (1, 2, 3):
                sheet.cell(row, column).border = Border(left=thin, bottom=thin)

    assert [number for number, _cells in read(five_people_and(borders)).rows] == [2, 3, 4, 5, 6]


def test_one_styled_empty_cell_in_the_last_row_and_column_counts_for_nothing():
    from openpyxl.styles import PatternFill

    def corner(sheet):
        sheet["XFD1048576"].fill = PatternFill("solid", fgColor="FFFF00")

    data = five_people_and(corner)
    assert len(data) < 10_000
    assert len(read(data).rows) == 5


def test_more_filled_rows_than_the_limit_are_still_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 3)
    monkeypatch.setattr(tabular, "HEADER_SCAN_ROWS", 1)
    # header + 3 people pass; a 4th person is the 5th filled row
    text = "单位,姓名,手机\n\n" + "".join(f"甲,人{n},1380000000{n}\n\n" for n in range(4))
    with pytest.raises(TabularFileError, match="工作表超过 3 行"):
        read(text.encode())


def test_an_over_long_csv_cell_is_named_by_its_row_in_chinese():
    text = "单位,姓名,手机\n甲街道,张三,13800000001\n甲街道," + "长" * 200_000 + ",1\n"
    with pytest.raises(TabularFileError) as refused:
        read(text.encode())
    assert str(refused.value) == "第 3 行有单元格过长（超过 131072 个字符）。"


def test_a_nul_byte_in_a_text_file_is_an_invalid_character_at_its_row():
    text = "单位,姓名,手机\n甲街道,张三,13800000001\n甲街道,李\x00四,13800000002\n"
    with pytest.raises(TabularFileError) as refused:
        read(text.encode())
    assert str(refused.value) == "第 3 行含有无效字符（空字符），请删除后重新上传。"


def test_a_binary_file_is_still_neither_csv_nor_excel():
    with pytest.raises(TabularFileError, match="文件既不是 CSV"):
        read(b"%PDF-1.4\n\x00\xff\xfe\x00\x93")


def test_a_row_reaching_the_last_column_is_refused():
    data = xlsx_with_sheet_xml(
        SHEET.format(dimension='<dimension ref="A1:XFD1"/>', rows=cell_row(1, "XFD", "单位"))
    )
    refused_quickly(data, str(MAX_COLUMNS))


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    # 100 MB of spaces inside the sheet: a few hundred KB compressed
    padding = " " * (100 * 2**20)
    data = xlsx_with_sheet_xml(SHEET.format(dimension="", rows=cell_row(1, "A", "单位") + padding))
    assert len(data) < 2 * 2**20
    refused_quickly(data, "MB")


def test_billion_laughs_xml_is_refused():
    lol = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    sheet_xml = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol0 "lol">' + lol + "]>"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    refused_quickly(xlsx_with_sheet_xml(sheet_xml), "DTD")


@settings(deadline=None, max_examples=200)
@given(body=st.binary(max_size=4096), cut=st.integers(min_value=0, max_value=20_000))
def test_damaged_xls_and_xlsx_files_get_a_user_error(body, cut):
    """Random bytes behind each magic number, and real workbooks cut short or overwritten."""
    real_xls = (OFFICE / "units.xls").read_bytes()
    real_xlsx = (OFFICE / "units.xlsx").read_bytes()
    for data in (
        XLS_MAGIC + body,
        XLSX_MAGIC + body,
        real_xls[:cut],
        real_xls[:cut] + body + real_xls[cut + len(body) :],
        real_xlsx[:cut] + body + real_xlsx[cut + len(body) :],
    ):
        with contextlib.suppress(TabularFileError):
            read(data, {"name": ("名称",)}, ())


def merged_sheet(rows, merges):
    cells = "".join(
        f'<row r="{number}">'
        + "".join(
            f'<c r="{column}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
            for column, text in zip("ABC", values, strict=False)
            if text
        )
        + "</row>"
        for number, values in enumerate(rows, start=1)
    )
    merge_xml = "".join(f'<mergeCell ref="{ref}"/>' for ref in merges)
    return xlsx_with_sheet_xml(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData>{cells}</sheetData><mergeCells count="{len(merges)}">{merge_xml}'
        "</mergeCells></worksheet>"
    )


PEOPLE = [
    ["单位", "姓名", "手机"],
    ["甲街道", "张三", "13800000001"],
    ["", "李四", "13800000002"],
    ["乙局", "王五", "13800000003"],
]


def test_a_vertically_merged_cell_gives_its_value_to_every_row_it_spans():
    table = read(merged_sheet(PEOPLE, ["A2:A3"]))
    assert [(number, row["unit"], row["name"]) for number, row in table.rows] == [
        (2, "甲街道", "张三"),
        (3, "甲街道", "李四"),
        (4, "乙局", "王五"),
    ]


def test_a_column_merged_to_the_sheets_end_fills_only_the_rows_with_content():
    """A unit cell merged down to row 1,048,576 (a slip of the mouse) is not a million rows."""
    table = read(merged_sheet(PEOPLE, ["A4:A1048576"]))
    assert [(number, row["unit"]) for number, row in table.rows] == [
        (2, "甲街道"),
        (3, ""),
        (4, "乙局"),
    ]


def test_overlapping_merges_no_office_program_writes_are_ignored_after_the_first():
    merges = ["A2:A3"] + ["A2:C4"] * 5000  # all overlapping the first
    table = read(merged_sheet(PEOPLE, merges))
    assert [row["unit"] for _number, row in table.rows] == ["甲街道", "甲街道", "乙局"]


def test_a_merge_across_columns_gives_its_value_to_its_first_column_only():
    """单位 and 姓名 merged together over two rows: the unit is not everyone's name."""
    rows = [["单位", "姓名", "手机"], ["甲街道", "", "13800000001"], ["", "李四", "13800000002"]]
    table = read(merged_sheet(rows, ["A2:B3"]))
    assert [(row["unit"], row["name"]) for _number, row in table.rows] == [
        ("甲街道", ""),
        ("甲街道", "李四"),
    ]
