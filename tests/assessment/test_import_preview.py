"""Indicator and checklist imports go through a preview: nothing is written until the preview
the user looked at is confirmed, and confirm checks the file again against the data as it is
then (a year published in between, another upload in another tab, a forged token)."""

from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessment.models import Checklist, Indicator, IndicatorValue, Scheme
from assessment.services.checklists import build_checklist
from core.models import Year
from core.years import YearLocked
from tests.assessment.conftest import SMALL_CHECKLIST
from tests.conftest import import_token, office_file

THIS_YEAR = timezone.localdate().year
INDICATOR_IMPORT = reverse("assessment:indicator_import")
INDICATOR_PREVIEW = reverse("assessment:indicator_import_preview")
INDICATOR_CONFIRM = reverse("assessment:indicator_import_confirm")
CHECKLIST_IMPORT = reverse("assessment:checklist_import")
CHECKLIST_PREVIEW = reverse("assessment:checklist_import_preview")
CHECKLIST_CONFIRM = reverse("assessment:checklist_import_confirm")
STALE = "此预览已失效"
LOCKED = f"{THIS_YEAR} 年度考核结果已发布，数据为只读。"


@pytest.fixture
def scheme(db):
    year, _created = Year.objects.get_or_create(year=THIS_YEAR)
    scheme = Scheme.objects.create(year=year)
    Indicator.objects.create(scheme=scheme, name="及时率", weight=D(10))
    Indicator.objects.create(scheme=scheme, name="办结率", weight=D(10))
    return scheme


@pytest.fixture
def inspector(client_for):
    return client_for("inspector")


def csv(text, encoding="gbk"):
    return SimpleUploadedFile("i.csv", text.encode(encoding))


def publish(year):
    Year.objects.filter(year=year).update(locked_at=timezone.now())


def test_the_indicator_preview_explains_each_row_and_writes_nothing(
    inspector, personas, scheme, unit_a, unit_b
):
    indicator = scheme.indicators.get(name="及时率")
    IndicatorValue.objects.create(
        indicator=indicator, unit=unit_b, value=D("80.00"), entered_by=personas["leader"]
    )
    text = "2026年指标\n序号,单位,及时率,备注\n1,甲街道,95.5,\n2,乙局,,\n合计,,,\n"
    response = inspector.post(INDICATOR_IMPORT, {"file": csv(text)})
    assert response["Location"] == INDICATOR_PREVIEW

    page = inspector.get(INDICATOR_PREVIEW)
    text = page.content.decode()
    assert "第 1 行位于表头（第 2 行）之上，为标题，已跳过。" in text
    assert "未使用的列：序号、备注。" in text
    assert "第 5 行为合计或平均行，已跳过。" in text
    assert "文件中没有办结率的列：这些数值保持不变。" in text
    assert "及时率：95.50（新增）" in text
    assert "及时率：删除原值 80.00（单元格为空）" in text  # 乙局's blank cell
    assert "2 行可以导入。" in text
    assert IndicatorValue.objects.get().value == D("80.00")  # nothing written yet

    confirm = inspector.post(INDICATOR_CONFIRM, {"token": import_token(inspector)})
    assert confirm["Location"] == reverse("assessment:indicators")
    assert list(IndicatorValue.objects.values_list("unit__name", "value")) == [
        ("甲街道", D("95.50"))
    ]


def test_the_indicator_preview_shows_each_error_at_its_row(inspector, scheme, unit_a):
    text = "单位,及时率\n甲街道,101\n丙局,90\n甲街道,90\n"
    inspector.post(INDICATOR_IMPORT, {"file": csv(text)})
    preview = inspector.get(INDICATOR_PREVIEW).context["preview"]
    assert {row.row_number: row.errors for row in preview.rows} == {
        2: ["及时率：“101”不是 0 到 100 之间、最多两位小数的数字。"],
        3: [preview.rows[1].errors[0]],
        4: ["该单位与第 2 行重复。"],
    }
    assert "丙局" in preview.rows[1].errors[0]
    assert not preview.is_clean
    # posting the confirm form anyway writes nothing
    confirm = inspector.post(INDICATOR_CONFIRM, {"token": import_token(inspector)}, follow=True)
    assert "未导入任何数据：请改正下面列出的错误。" in confirm.content.decode()
    assert not IndicatorValue.objects.exists()


def test_a_year_published_between_preview_and_confirm_is_refused(inspector, scheme, unit_a):
    inspector.post(INDICATOR_IMPORT, {"file": csv("单位,及时率\n甲街道,95\n")})
    assert inspector.get(INDICATOR_PREVIEW).context["preview"].is_clean
    publish(THIS_YEAR)

    confirm = inspector.post(INDICATOR_CONFIRM, {"token": import_token(inspector)}, follow=True)
    assert LOCKED in confirm.content.decode()
    assert not confirm.context["preview"].is_clean
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize("token", ["", "forged", "令牌", "\x00" * 5000, None])
def test_a_forged_or_missing_token_imports_nothing_and_says_why(inspector, scheme, unit_a, token):
    inspector.post(INDICATOR_IMPORT, {"file": csv("单位,及时率\n甲街道,95\n")})
    data = {} if token is None else {"token": token}
    confirm = inspector.post(INDICATOR_CONFIRM, data, follow=True)
    assert STALE in confirm.content.decode()
    assert not IndicatorValue.objects.exists()


def test_a_newer_upload_in_another_tab_makes_the_first_preview_stale(inspector, scheme, unit_a):
    inspector.post(INDICATOR_IMPORT, {"file": csv("单位,及时率\n甲街道,95\n")})
    first_token = import_token(inspector)
    inspector.post(INDICATOR_IMPORT, {"file": csv("单位,及时率\n甲街道,60\n")})

    confirm = inspector.post(INDICATOR_CONFIRM, {"token": first_token}, follow=True)
    assert STALE in confirm.content.decode()
    assert not IndicatorValue.objects.exists()
    # the preview on screen in the second tab still imports what it shows
    inspector.post(INDICATOR_CONFIRM, {"token": import_token(inspector)})
    assert IndicatorValue.objects.get().value == D("60.00")
    # and the same confirm posted twice does not import twice
    again = inspector.post(INDICATOR_CONFIRM, {"token": import_token(inspector)}, follow=True)
    assert STALE in again.content.decode()


def test_the_indicator_preview_of_an_office_file_then_confirm(client, office_units):
    from tests.conftest import make_user
    from units.roles import Role

    year, _created = Year.objects.get_or_create(year=THIS_YEAR)
    scheme = Scheme.objects.create(year=year)
    Indicator.objects.create(scheme=scheme, name="信息公开及时率", weight=D(10))
    Indicator.objects.create(scheme=scheme, name="依申请公开按时办结率", weight=D(10))
    client.force_login(make_user(role=Role.INSPECTOR))
    client.post(INDICATOR_IMPORT, {"file": office_file("indicators.xls")})
    preview = client.get(INDICATOR_PREVIEW)
    rows = preview.context["preview"].rows
    assert [row.unit_name for row in rows] == ["市发展和改革委员会", "市教育局", "市民政局"]
    assert rows[0].notes == ["“市发改委”识别为市发展和改革委员会。"]
    assert not IndicatorValue.objects.exists()
    client.post(INDICATOR_CONFIRM, {"token": import_token(client)})
    assert IndicatorValue.objects.count() == 6  # 3 units × 2 indicators


# Checklists ------------------------------------------------------------------------------------

CHECKLIST_CSV = "部分,检查项,分值,单项否决,扣分规则\n一,甲,10,否,迟报:2；漏报:3\n二,乙,0,是,\n"


def test_the_checklist_preview_lists_the_rows_and_writes_nothing(inspector):
    response = inspector.post(
        CHECKLIST_IMPORT, {"name": "新表", "year": THIS_YEAR, "file": csv(CHECKLIST_CSV)}
    )
    assert response["Location"] == CHECKLIST_PREVIEW
    page = inspector.get(CHECKLIST_PREVIEW).content.decode()
    assert f"将按下列各行新建 {THIS_YEAR} 年度检查表“新表”。" in page
    assert "迟报：每次扣 2.00 分" in page
    assert not Checklist.objects.exists()

    confirm = inspector.post(CHECKLIST_CONFIRM, {"token": import_token(inspector)})
    checklist = Checklist.objects.get(name="新表")
    assert confirm["Location"] == checklist.get_absolute_url()
    assert checklist.total_points() == D(10)  # 10 + 0


def test_the_checklist_preview_says_a_new_version_is_made_and_shows_the_guidance(inspector):
    text = "部分,检查项,评分标准,分值,单项否决,扣分规则\n一,甲,有制度文件得满分,10,否,\n"
    inspector.post(CHECKLIST_IMPORT, {"name": "新表", "year": THIS_YEAR, "file": csv(text)})
    first = inspector.get(CHECKLIST_PREVIEW).content.decode()
    assert "有制度文件得满分" in first and 'data-testid="new-version"' not in first
    inspector.post(CHECKLIST_CONFIRM, {"token": import_token(inspector)})
    inspector.post(CHECKLIST_IMPORT, {"name": "新表", "year": THIS_YEAR, "file": csv(text)})
    second = inspector.get(CHECKLIST_PREVIEW).content.decode()
    assert "已有名为“新表”的检查表：本次导入将生成第 2 版" in second
    inspector.post(CHECKLIST_CONFIRM, {"token": import_token(inspector)})
    assert sorted(Checklist.objects.values_list("version", flat=True)) == [1, 2]


def test_a_checklist_is_not_imported_into_a_published_year(inspector, scheme):
    publish(THIS_YEAR)
    inspector.post(
        CHECKLIST_IMPORT, {"name": "新表", "year": THIS_YEAR, "file": csv(CHECKLIST_CSV)}
    )
    preview = inspector.get(CHECKLIST_PREVIEW)
    assert LOCKED in preview.content.decode()
    assert not preview.context["preview"].is_clean
    confirm = inspector.post(CHECKLIST_CONFIRM, {"token": import_token(inspector)}, follow=True)
    assert LOCKED in confirm.content.decode()
    assert not Checklist.objects.exists()


def test_the_service_refuses_a_checklist_for_a_published_year(personas, scheme):
    publish(THIS_YEAR)
    with pytest.raises(YearLocked) as refused:
        build_checklist(
            name="新表", year=THIS_YEAR, sections=SMALL_CHECKLIST, actor=personas["inspector"]
        )
    assert refused.value.code == "year_locked"
    # another year is open
    build_checklist(
        name="新表", year=THIS_YEAR + 1, sections=SMALL_CHECKLIST, actor=personas["inspector"]
    )


def test_a_deduction_rule_written_twice_is_an_error_at_its_row(inspector):
    text = "部分,检查项,分值,扣分规则\n一,甲,10,迟报:2；迟报:3\n"
    inspector.post(CHECKLIST_IMPORT, {"name": "新表", "year": THIS_YEAR, "file": csv(text)})
    (row,) = inspector.get(CHECKLIST_PREVIEW).context["preview"].rows
    assert row.errors == ["扣分规则“迟报”重复填写。"]


def test_a_control_character_in_a_checklist_file_is_an_error_at_its_row(inspector):
    text = "部分,检查项,分值\n一,甲\u202e乙,10\n"
    inspector.post(
        CHECKLIST_IMPORT, {"name": "新表", "year": THIS_YEAR, "file": csv(text, "utf-8")}
    )
    (row,) = inspector.get(CHECKLIST_PREVIEW).context["preview"].rows
    assert row.errors == ["文本含有不可见的控制字符（U+202E），请删除。"]


def test_a_double_click_on_confirm_imports_once(inspector):
    inspector.post(
        CHECKLIST_IMPORT, {"name": "新表", "year": THIS_YEAR, "file": csv(CHECKLIST_CSV)}
    )
    token = import_token(inspector)
    kept = inspector.session["import:checklist"]
    inspector.post(CHECKLIST_CONFIRM, {"token": token})
    # the second request of a double click was read before the first one dropped the preview
    session = inspector.session
    session["import:checklist"] = kept
    session.save()
    again = inspector.post(CHECKLIST_CONFIRM, {"token": token}, follow=True)
    assert STALE in again.content.decode()
    assert Checklist.objects.filter(name="新表").count() == 1
