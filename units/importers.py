"""Unit list import: parse a table into plain rows and find every error before anything is written.

A row updates the existing unit with the same code (or, without a code, the same name) and
creates a new unit otherwise. A blank cell keeps what an existing unit has (it never erases a
code, short name or sort order); two rows that come to the same unit are an error. Parents may
name units of the same file, in any order, by name or code, or existing units as people write
them (short name, alias, with or without the city prefix).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.forms import control_character_error
from core.tabular import clean_phone, match_key
from units.matching import UnitResolver, alias_clashes, names_in_use
from units.models import Unit, UnitCategory, phone_validator, split_aliases

COLUMNS = {
    "name": ("名称", "单位名称", "单位", "name"),
    "short_name": ("简称", "short_name", "short name"),
    "aliases": ("别名", "其他名称", "aliases"),
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
    "别名",
    "类别",
    "排序",
    "上级单位",
    "启用",
    "联系人",
    "联系电话",
]
# Fields a row sets when its cell is not blank; a blank cell keeps an existing unit's value.
OPTIONAL_FIELDS = (
    "short_name",
    "aliases",
    "code",
    "category_id",
    "sort_order",
    "is_active",
    "contact_name",
    "contact_phone",
)
_YES = {"1", "是", "启用", "true", "yes", "y"}
_NO = {"0", "否", "停用", "false", "no", "n"}
_LIMITS = (("short_name", 50), ("aliases", 200), ("code", 30), ("contact_name", 50))


@dataclass
class UnitRow:
    row_number: int
    name: str
    short_name: str | None = None
    aliases: str | None = None
    code: str | None = None
    category_id: int | None = None
    sort_order: int | None = None
    parent: str = ""
    is_active: bool | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    existing_id: int | None = None
    parent_row: int | None = None  # the parent is the unit of this row of the file
    parent_id: int | None = None  # the parent is this existing unit, not in the file
    notes: list = field(default_factory=list)


@dataclass
class RowError:
    row_number: int
    messages: list


def parse_units(table):
    """Return `(rows, errors)`; `rows` is only usable when `errors` is empty."""
    if not table.rows:
        return [], [RowError(table.header_row, [_("The file has a header but no rows.")])]

    categories = {match_key(c.name): c for c in UnitCategory.objects.all()}
    existing = list(Unit.objects.select_related("parent"))
    by_name = {match_key(unit.name): unit for unit in existing}
    by_code = {unit.code: unit for unit in existing if unit.code}

    rows, errors = [], {}
    seen_name, seen_code, seen_unit = {}, {}, {}
    for row_number, values in table.rows:
        messages = []
        row = _convert(row_number, values, categories, messages)
        _check_repeats(row, seen_name, seen_code, messages)
        unit = _match_existing(row, by_name, by_code, messages)
        if unit is not None:
            if unit.pk in seen_unit:
                messages.append(
                    _("This row and row %(row)d are both the unit “%(unit)s”.")
                    % {"row": seen_unit[unit.pk], "unit": unit.name}
                )
            else:
                seen_unit[unit.pk] = row_number
            _explain_update(row, unit)
        elif not values.get("category"):
            messages.append(_("The category is empty."))
        else:
            row.notes.append(_("A new unit."))
        if messages:
            errors[row_number] = messages
        rows.append(row)

    _resolve_parents(rows, existing, errors)
    _check_aliases(rows, existing, errors)
    return rows, [RowError(number, messages) for number, messages in sorted(errors.items())]


def _convert(row_number, values, categories, messages):
    get = values.get
    name = get("name", "")
    if not name:
        messages.append(_("The name is empty."))
    elif len(name) > 100:
        messages.append(_("The name is longer than 100 characters."))

    row = UnitRow(row_number=row_number, name=name, parent=get("parent", ""))
    category_name = get("category", "")
    if category_name:
        category = categories.get(match_key(category_name))
        if category is None:
            messages.append(
                _("Unknown category “%(category)s”; known categories: %(known)s.")
                % {
                    "category": category_name,
                    "known": "、".join(c.name for c in categories.values()) or "-",
                }
            )
        else:
            row.category_id = category.pk

    sort_text = get("sort_order", "")
    if sort_text:
        if sort_text.isdigit() and len(sort_text) <= 9:
            row.sort_order = int(sort_text)
        else:
            messages.append(
                _("The sort order “%(value)s” must be a whole number from 0 to 999999999.")
                % {"value": sort_text}
            )

    active_text = get("is_active", "").lower()
    if active_text in _YES | _NO:
        row.is_active = active_text in _YES
    elif active_text:
        messages.append(
            _("“%(value)s” is not a yes/no value (use 是 or 否).") % {"value": active_text}
        )

    phone = clean_phone(get("contact_phone", ""))
    if phone:
        try:
            phone_validator(phone)
        except ValidationError as error:
            messages.extend(error.messages)
        row.contact_phone = phone

    for name_ in ("name", "short_name", "aliases", "contact_name"):
        problem = control_character_error(get(name_, ""))
        if problem:
            messages.append(problem)
    for name_, limit in _LIMITS:
        text = get(name_, "")
        if len(text) > limit:
            messages.append(
                _("“%(value)s” is longer than %(limit)d characters.")
                % {"value": text, "limit": limit}
            )
    for name_ in ("short_name", "code", "contact_name"):
        if get(name_, ""):
            setattr(row, name_, get(name_))
    if get("aliases", ""):
        row.aliases = "、".join(split_aliases(get("aliases")))
    return row


def _check_repeats(row, seen_name, seen_code, messages):
    for key, seen, message in (
        (match_key(row.name), seen_name, _("The name “%(value)s” is also on row %(row)d.")),
        (row.code, seen_code, _("The code “%(value)s” is also on row %(row)d.")),
    ):
        if not key:
            continue
        if key in seen:
            messages.append(
                message % {"value": row.name if seen is seen_name else key, "row": seen[key]}
            )
        else:
            seen[key] = row.row_number


def _match_existing(row, by_name, by_code, messages):
    """The existing unit the row updates: by code, else by name; None for a new unit."""
    named = by_name.get(match_key(row.name)) if row.name else None
    coded = by_code.get(row.code) if row.code else None
    if coded and named and named.pk != coded.pk:
        messages.append(
            _("The name “%(name)s” already belongs to another unit (code %(code)s).")
            % {"name": row.name, "code": named.code or "-"}
        )
    elif named and not coded and row.code and named.code:
        messages.append(
            _("The unit “%(name)s” already exists with code %(code)s.")
            % {"name": row.name, "code": named.code}
        )
    match = coded or named
    row.existing_id = match.pk if match else None
    return match


def _explain_update(row, unit):
    if row.code and row.code == unit.code:
        note = _("Updates the unit “%(unit)s” (found by code %(code)s).")
    else:
        note = _("Updates the unit “%(unit)s” (found by name).")
    row.notes.append(note % {"unit": unit.name, "code": row.code})
    if row.name != unit.name:
        row.notes.append(_("Its name becomes “%(name)s”.") % {"name": row.name})
        if row.short_name is None and unit.short_name and unit.short_name not in row.name:
            # files written with the old short name would still find this unit under its new name
            row.notes.append(
                _(
                    "Its short name “%(short)s” stays, so files that say “%(short)s” will mean "
                    "“%(name)s”: fill in the 简称 column if that is no longer right."
                )
                % {"short": unit.short_name, "name": row.name}
            )
    kept = [
        label
        for label, value in (
            (_("short name"), row.short_name),
            (_("code"), row.code),
            (_("sort order"), row.sort_order),
            (_("category"), row.category_id),
        )
        if value is None
    ]
    if kept:
        row.notes.append(
            _("Blank cells keep the unit's %(fields)s.") % {"fields": "、".join(map(str, kept))}
        )


def _resolve_parents(rows, existing, errors):
    """Each parent names a row of the file (by name or code) or an existing unit; no loops."""
    row_of_key = {}
    row_of_unit = {row.existing_id: row.row_number for row in rows if row.existing_id}
    for row in rows:
        for key in (match_key(row.name), row.code):
            if key:
                row_of_key.setdefault(key, row.row_number)
    resolver = UnitResolver(existing)
    for row in rows:
        if not row.parent:
            continue
        target = row_of_key.get(match_key(row.parent)) or row_of_key.get(row.parent)
        if target is None:
            unit = resolver.find(row.parent)
            if unit is None:
                _add_error(errors, row.row_number, _parent_error(resolver, row.parent))
                continue
            target = row_of_unit.get(unit.pk)
            if target is None:
                row.parent_id = unit.pk
        if target is not None:
            row.parent_row = target
    _check_loops(rows, existing, errors)


def _parent_error(resolver, text):
    return _("Parent unit: %(error)s") % {"error": resolver.error(text)}


def _check_loops(rows, existing, errors):
    """Walk each row's chain of parents (the file's, else the database's) looking for itself."""
    db_parent = {unit.pk: unit.parent_id for unit in existing}
    row_by_number = {row.row_number: row for row in rows}
    row_of_unit = {row.existing_id: row.row_number for row in rows if row.existing_id}

    def parent_of(node):
        kind, key = node
        if kind == "row":
            row = row_by_number[key]
            if row.parent_row is not None:
                return ("row", row.parent_row)
            if row.parent_id is not None:
                return _node(row.parent_id, row_of_unit)
            if row.existing_id is None:
                return None
            key = row.existing_id
        parent_id = db_parent.get(key)
        return None if parent_id is None else _node(parent_id, row_of_unit)

    for row in rows:
        if not row.parent:
            continue
        start = ("row", row.row_number)
        seen, node = {start}, parent_of(start)
        while node is not None:
            if node in seen:
                _add_error(
                    errors,
                    row.row_number,
                    _("The parent unit “%(parent)s” would make a loop.") % {"parent": row.parent},
                )
                break
            seen.add(node)
            node = parent_of(node)


def _node(unit_id, row_of_unit):
    row_number = row_of_unit.get(unit_id)
    return ("row", row_number) if row_number is not None else ("db", unit_id)


def _check_aliases(rows, existing, errors):
    """An alias may not be what another unit is called: that unit's own name would become
    ambiguous in every import."""
    taken = names_in_use(existing)
    for row in rows:
        for alias, unit in alias_clashes(split_aliases(row.aliases), taken, own_pk=row.existing_id):
            _add_error(
                errors,
                row.row_number,
                _("“%(alias)s” already names the unit “%(unit)s”.")
                % {"alias": alias, "unit": unit},
            )


def _add_error(errors, row_number, message):
    errors.setdefault(row_number, []).append(message)
