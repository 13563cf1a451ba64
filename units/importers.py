"""Unit list import: parse a sheet into plain rows and find every error before anything is written.

A row updates the existing unit with the same code (or, without a code, the same name) and
creates a new unit otherwise. Parents may name units of the same file.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.tabular import map_headers
from units.models import Unit, UnitCategory, phone_validator

COLUMNS = {
    "name": ("名称", "单位名称", "单位", "name"),
    "short_name": ("简称", "short_name", "short name"),
    "code": ("编码", "代码", "单位编码", "code"),
    "category": ("类别", "分类", "单位类别", "category"),
    "sort_order": ("排序", "序号", "sort_order", "sort order"),
    "parent": ("上级单位", "parent"),
    "is_active": ("启用", "是否启用", "active", "is_active"),
    "contact_name": ("联系人", "contact_name", "contact"),
    "contact_phone": ("联系电话", "contact_phone", "phone"),
}
REQUIRED = ("name", "category")
TEMPLATE_HEADERS = [
    "编码",
    "名称",
    "简称",
    "类别",
    "排序",
    "上级单位",
    "启用",
    "联系人",
    "联系电话",
]

_YES = {"", "1", "是", "启用", "true", "yes", "y"}
_NO = {"0", "否", "停用", "false", "no", "n"}


@dataclass
class UnitRow:
    row_number: int
    name: str
    short_name: str
    code: str
    category_id: int
    sort_order: int
    parent: str
    is_active: bool
    contact_name: str
    contact_phone: str
    existing_id: int | None = None


@dataclass
class RowError:
    row_number: int
    messages: list


def parse_units(sheet):
    """Return `(rows, errors)`; `rows` is only usable when `errors` is empty."""
    columns, header_errors = map_headers(sheet.headers, COLUMNS, REQUIRED)
    if header_errors:
        return [], [RowError(1, header_errors)]
    if not sheet.rows:
        return [], [RowError(1, [_("The file has a header but no rows.")])]

    categories = {category.name: category.id for category in UnitCategory.objects.all()}
    existing = list(Unit.objects.values("id", "name", "code"))
    existing_by_name = {unit["name"]: unit for unit in existing}
    existing_by_code = {unit["code"]: unit for unit in existing if unit["code"]}

    rows, errors = [], []
    first_row_of_name, first_row_of_code = {}, {}
    for row_number, cells in sheet.rows:
        values = {field: cells[index] for field, index in columns.items()}
        messages = []
        row = _convert(row_number, values, categories, messages)
        _check_uniqueness(row, first_row_of_name, first_row_of_code, messages)
        _match_existing(row, existing_by_name, existing_by_code, messages)
        if messages:
            errors.append(RowError(row_number, messages))
        rows.append(row)

    _check_parents(rows, existing, errors)
    errors.sort(key=lambda error: error.row_number)
    return rows, errors


def _convert(row_number, values, categories, messages):
    get = values.get
    name = get("name", "")
    if not name:
        messages.append(_("The name is empty."))
    elif len(name) > 100:
        messages.append(_("The name is longer than 100 characters."))

    category_name = get("category", "")
    category_id = categories.get(category_name)
    if category_id is None:
        if category_name:
            messages.append(
                _("Unknown category “%(category)s”; known categories: %(known)s.")
                % {"category": category_name, "known": "、".join(categories) or "-"}
            )
        else:
            messages.append(_("The category is empty."))

    sort_text = get("sort_order", "")
    sort_order = 0
    if sort_text:
        if sort_text.isdigit() and len(sort_text) <= 9:
            sort_order = int(sort_text)
        else:
            messages.append(
                _("The sort order “%(value)s” is not a whole number.") % {"value": sort_text}
            )

    active_text = get("is_active", "").lower()
    if active_text not in _YES | _NO:
        messages.append(
            _("“%(value)s” is not a yes/no value (use 是 or 否).") % {"value": active_text}
        )

    phone = get("contact_phone", "")
    if phone:
        try:
            phone_validator(phone)
        except ValidationError as error:
            messages.extend(error.messages)

    for field, limit in (("short_name", 50), ("code", 30), ("contact_name", 50)):
        if len(get(field, "")) > limit:
            messages.append(
                _("“%(value)s” is longer than %(limit)d characters.")
                % {"value": get(field), "limit": limit}
            )

    return UnitRow(
        row_number=row_number,
        name=name,
        short_name=get("short_name", ""),
        code=get("code", ""),
        category_id=category_id,
        sort_order=sort_order,
        parent=get("parent", ""),
        is_active=active_text not in _NO,
        contact_name=get("contact_name", ""),
        contact_phone=phone,
    )


def _check_uniqueness(row, first_row_of_name, first_row_of_code, messages):
    for key, seen, message in (
        (row.name, first_row_of_name, _("The name “%(value)s” is also on row %(row)d.")),
        (row.code, first_row_of_code, _("The code “%(value)s” is also on row %(row)d.")),
    ):
        if not key:
            continue
        if key in seen:
            messages.append(message % {"value": key, "row": seen[key]})
        else:
            seen[key] = row.row_number


def _match_existing(row, existing_by_name, existing_by_code, messages):
    match = existing_by_code.get(row.code) if row.code else None
    match = match or existing_by_name.get(row.name)
    named = existing_by_name.get(row.name)
    if match and named and named["id"] != match["id"]:
        messages.append(
            _("The name “%(name)s” already belongs to another unit (code %(code)s).")
            % {"name": row.name, "code": named["code"] or "-"}
        )
    elif match and row.code and match["code"] and match["code"] != row.code:
        messages.append(
            _("The unit “%(name)s” already exists with code %(code)s.")
            % {"name": row.name, "code": match["code"]}
        )
    row.existing_id = match["id"] if match else None


def _check_parents(rows, existing, errors):
    """Parents must name a known unit (by name or code) and must not form a loop."""
    known = {unit["name"]: unit["name"] for unit in existing}
    known.update({unit["code"]: unit["name"] for unit in existing if unit["code"]})
    known.update({row.name: row.name for row in rows if row.name})
    known.update({row.code: row.name for row in rows if row.code})
    parent_of = dict(Unit.objects.filter(parent__isnull=False).values_list("name", "parent__name"))
    for row in rows:
        if row.parent:
            parent_of[row.name] = known.get(row.parent)
    for row in rows:
        if not row.parent:
            continue
        message = None
        if known.get(row.parent) is None:
            message = _("Unknown parent unit “%(parent)s”.") % {"parent": row.parent}
        elif _has_loop(row.name, parent_of):
            message = _("The parent unit “%(parent)s” would make a loop.") % {"parent": row.parent}
        if message:
            _add_error(errors, row.row_number, message)


def _has_loop(name, parent_of):
    seen = {name}
    current = parent_of.get(name)
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        current = parent_of.get(current)
    return False


def _add_error(errors, row_number, message):
    for error in errors:
        if error.row_number == row_number:
            error.messages.append(message)
            return
    errors.append(RowError(row_number, [message]))
