"""Write the spreadsheets of tests/data/office/ the way offices make them, through LibreOffice.

The source sheets (titles, 填报单位 rows, merged cells, extra columns, footers, padded names,
full-width digits, phones as numbers, an instructions sheet in front) are written with openpyxl
into a scratch folder; LibreOffice headless converts each into the files the tests read
(.xlsx, .xls, and CSV in UTF-8, GBK and UTF-16). The outputs are committed, so the tests need
no office suite; run this again only to change the corpus:

    .venv/bin/python scripts/make_office_corpus.py        # needs soffice (libreoffice-calc-nogui)
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "office"

INSTRUCTIONS = [
    ["填表说明"],
    ["1. 请勿修改表头；2. 手机号填写 11 位数字；3. 单位填写全称或简称。"],
]

ATTENDEES = {
    "title": "2026年度全市政务公开业务培训班参训人员名单",
    "stamp": ["填报单位（盖章）：市教育局", None, None, "填报日期：2026年10月8日"],
    "header": ["序号", "单位", "姓名", "职务", "手机", "备注"],
    "rows": [
        [1, "市教育局", "李  娜", "科员", 13812345678, None],
        [2, "市发改委", "王强", "科长", "１３５００００３３３３", "住宿"],
        [3, "BM07", "欧阳  修", "副主任", "138-0000-1111", None],
        [4, "句容市华阳街道", "张  伟", "信息员", "'13900002222", None],
        [5, "开发区管委会", "赵敏", "科员", 13700003333, None],
    ],
    "footer": [["填表人：张三        联系电话：0511-87654321"], ["审核人：李四"]],
}

UNITS = {
    "title": "2026年全市政务公开考核单位名单",
    "stamp": None,
    "header": ["编码", "名称", "简称", "别名", "类别", "排序", "上级单位", "备注"],
    "rows": [
        ["BM22", "市数据局政务服务中心", None, None, "市级部门", 122, "BM21", "新设"],
        ["BM21", "市数据局", "数据局", "市大数据局、大数据局", "市级部门", 121, None, None],
        [None, "市教育局信息中心", "信息中心", None, "市级部门", None, "教育局", None],
        ["BM03", "市教育局", None, None, "市级部门", None, None, "只改联系人"],
        ["ZJ13", "新区街道", None, None, "镇（街道）及板块", 13, None, None],
    ],
    "footer": [["合计：5 个单位"], ["填表人：王五"]],
}

# 单位 merged down over each unit's people, as sign-up sheets are drawn by hand
ATTENDEES_MERGED = {
    "title": "2026年度全市政务公开业务培训班参训人员名单",
    "stamp": None,
    "header": ["序号", "单位", "姓名", "职务", "手机号码"],
    "rows": [
        [1, "市教育局", "李娜", "科员", 13812345678],
        [2, None, "王强", "科长", 13500003333],
        [3, "华阳", "张伟", "信息员", 13900002222],
        [4, None, "赵敏", "科员", 13700003333],
        [5, None, "钱多", "副主任", 13600004444],
        [6, "市民政局", "孙立", "科员", 13300005555],
    ],
    "merged": [("B", 1, 2), ("B", 3, 5)],  # data rows, 1-based
    "footer": [["填表人：张三"]],
}

# 类别 merged down over the units of each category
UNITS_MERGED = {
    "title": "2026年全市政务公开考核单位名单",
    "stamp": None,
    "header": ["序号", "编码", "名称", "类别"],
    "rows": [
        [1, "ZJ13", "新区街道", "镇（街道）及板块"],
        [2, "ZJ14", "东城街道", None],
        [3, "BM41", "市档案馆", "市级部门"],
        [4, "BM42", "市地方志办公室", None],
    ],
    "merged": [("D", 1, 2), ("D", 3, 4)],
    "footer": [],
}

INDICATORS = {
    "title": "2026年度政务公开考核指标得分",
    "stamp": ["填报单位：市政务公开办　　填报日期：2026年12月20日"],
    "header": ["序号", "单位", "信息公开及时率", "依申请公开按时办结率", "来源", "备注"],
    "rows": [
        [1, "市发改委", 98.5, 100, "平台统计", None],
        [2, "BM03", 95, 90.25, "平台统计", None],
        [3, "民政局", "１００", 88, "抽查", None],
    ],
    "footer": [["制表人：赵六"]],
}

CHECKLIST = {
    "title": "2026年度政务公开抽查评分表",
    "stamp": None,
    "header": ["序号", "部分", "检查项", "评分标准", "分值", "可不适用", "单项否决", "扣分规则"],
    "rows": [
        [1, "制度建设", "保密审查制度健全", "有制度文件得满分", 10, "否", "否", None],
        [2, "发布流程", "信息发布及时", None, 20, "否", "否", "逾期发布:2；未经审核发布:5"],
        [3, "保密审查", "未发生泄密事件", None, 10, "否", "是", None],
    ],
    "footer": [["备注：本表由市政务公开办制定，解释权归市政务公开办。"]],
}


# rates kept as fractions shown as percentages (0.985 shown 98.50%), as monitoring platforms
# export them, with a row of averages under the values
INDICATORS_PERCENT = {
    "title": "2026年度政务公开考核指标得分",
    "stamp": None,
    "header": ["序号", "单位", "信息公开及时率", "依申请公开按时办结率", "来源"],
    "rows": [
        [1, "市发改委", 0.985, 1, "平台统计"],
        [2, "BM03", 0.95, 0.9025, "平台统计"],
        [3, "民政局", 1, 0.88, "抽查"],
        ["平均", None, 0.9783, 0.9275, None],
    ],
    "formats": {"C": "0.00%", "D": "0%"},
    "footer": [["制表人：赵六"]],
}

# 联系方式 over 手机 and 办公电话, the other names merged down over both header rows; units
# written by their official names; a landline with its area code in brackets
ATTENDEES_TWO_ROW_HEADER = {
    "title": "2026年部门政务公开专题培训报名表",
    "stamp": None,
    "header": ["序号", "单位", "姓名", "职务", "联系方式", None, "备注"],
    "header2": [None, None, None, None, "手机", "办公电话", None],
    "rows": [
        [1, "宝华镇人民政府", "周  琳", "副镇长", 13912340001, "0511-87250001", "只参加第一天"],
        [2, "句容市宝华镇人民政府", "吴芳", "科员", 13912340002, "（0511）87250002", None],
        [3, "市教育局", "李娜", "科员", "（0511）87251234", None, "替换原报名人员"],
    ],
    "footer": [["填表人：周琳"]],
}


def add_table(sheet, spec):
    width = len(spec["header"])
    sheet.append([spec["title"]])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    if spec["stamp"]:
        sheet.append(spec["stamp"])
    sheet.append(spec["header"])
    if spec.get("header2"):
        add_second_header_row(sheet, spec["header"], spec["header2"])
    for row in spec["rows"]:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, int) and cell.value > 10**9:
                cell.number_format = "0"  # a phone typed as a number, shown in full
    first_data_row = sheet.max_row - len(spec["rows"]) + 1
    for letter, number_format in spec.get("formats", {}).items():
        for row in range(first_data_row, sheet.max_row + 1):
            sheet[f"{letter}{row}"].number_format = number_format
    for letter, first, last in spec.get("merged", ()):
        sheet.merge_cells(
            f"{letter}{first_data_row + first - 1}:{letter}{first_data_row + last - 1}"
        )
        sheet[f"{letter}{first_data_row + first - 1}"].alignment = Alignment(vertical="center")
    sheet.append([])
    for footer in spec["footer"]:
        sheet.append(footer)
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width
        )
    for letter in "ABCDEFGH":
        sheet.column_dimensions[letter].width = 16


def add_second_header_row(sheet, header, second):
    """A header on two rows: a name over several columns (联系方式 over 手机 and 办公电话) is
    merged across them, every other name is merged down over both rows."""
    top = sheet.max_row
    sheet.append(second)
    column = 1
    while column <= len(header):
        span = 1
        while column + span <= len(header) and header[column + span - 1] is None:
            span += 1
        if span > 1:
            sheet.merge_cells(
                start_row=top, start_column=column, end_row=top, end_column=column + span - 1
            )
        elif second[column - 1] is None:
            sheet.merge_cells(
                start_row=top, start_column=column, end_row=top + 1, end_column=column
            )
        column += span


def source(path, spec, *, instructions=False):
    workbook = Workbook()
    sheet = workbook.active
    if instructions:
        sheet.title = "填表说明"
        for row in INSTRUCTIONS:
            sheet.append(row)
        workbook.create_sheet("空白")
        sheet = workbook.create_sheet("名单")
    else:
        sheet.title = "名单"
    add_table(sheet, spec)
    workbook.save(path)


CSV = "csv:Text - txt - csv (StarCalc):{separator},34,{charset},1"
TARGETS = {
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
    "xls": "xls:MS Excel 97",
    "utf8.csv": CSV.format(separator=44, charset=76),
    "gbk.csv": CSV.format(separator=44, charset=61),  # rtl_TextEncoding: 61 MS_936 (GBK)
    "utf16.txt": CSV.format(separator=9, charset=65535),  # 65535 UCS2, Excel's Unicode text
}


def convert(sources, kind, scratch):
    """One soffice run per target format, for every source that wants it."""
    outdir = scratch / kind
    outdir.mkdir()
    command = ["soffice", "--headless", "--convert-to", TARGETS[kind], "--outdir", outdir]
    subprocess.run(  # noqa: S603 (our own arguments; soffice as apt installs it on PATH)
        [*command, *sources],
        check=True,
        capture_output=True,
    )
    for src in sources:
        made = next(outdir.glob(f"{src.stem}.*"))
        shutil.move(made, OUT / f"{src.stem}.{kind}")


def main():
    """Every file of the corpus, or only those whose stems are given as arguments."""
    if shutil.which("soffice") is None:
        sys.exit("soffice is needed: apt-get install -y libreoffice-calc-nogui")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        jobs = [
            ("attendees", ATTENDEES, False, ["xlsx", "utf8.csv", "gbk.csv", "utf16.txt"]),
            ("attendees_instructions", ATTENDEES, True, ["xls", "xlsx"]),
            ("units", UNITS, False, ["xlsx", "xls", "gbk.csv"]),
            ("indicators", INDICATORS, False, ["xlsx", "xls", "gbk.csv"]),
            ("checklist_instructions", CHECKLIST, True, ["xlsx", "xls"]),
            ("attendees_merged", ATTENDEES_MERGED, False, ["xlsx", "xls", "gbk.csv", "utf16.txt"]),
            ("attendees_two_row_header", ATTENDEES_TWO_ROW_HEADER, False, ["xlsx", "xls"]),
            ("indicators_percent", INDICATORS_PERCENT, False, ["xlsx", "xls"]),
            ("units_merged", UNITS_MERGED, False, ["xlsx", "xls"]),
        ]
        only = set(sys.argv[1:])
        wanted = {}
        for stem, spec, instructions, kinds in jobs:
            if only and stem not in only:
                continue
            src = scratch / f"{stem}.xlsx"
            source(src, spec, instructions=instructions)
            for kind in kinds:
                wanted.setdefault(kind, []).append(src)
        for kind, sources in wanted.items():
            convert(sources, kind, scratch)
    for path in sorted(OUT.iterdir()):
        if not only or path.name.split(".")[0] in only:
            print(path.relative_to(OUT.parent.parent.parent), path.stat().st_size)


if __name__ == "__main__":
    main()
