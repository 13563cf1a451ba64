"""Unit list import: parse a table into plain rows and find every error before anything is written.

A row updates the existing unit with the same code (in any case: zj02 is ZJ02) or, without a
code, the same name, and creates a new unit otherwise. A blank cell keeps what an existing unit
has (it never erases a code, short name or sort order); two rows that come to the same unit are
an error. Parents may name units of the same file, in any order, by name or code, or existing
units as people write them (short name, alias, with or without the city prefix).

The preview lists every field a row changes, old → new; a rename and a unit being disabled are
warnings, since a clerk who meant a new unit, or did not mean to take a unit out of rankings,
sampling and registration, must see it before confirming.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.forms import control_character_error
from core.tabular import clean_name, clean_phone, match_key
from units.matching import (
    UnitResolver,
    clash_message,
    name_clashes,
    names_in_use,
    unit_texts,
)
from units.models import Unit, UnitCategory, canonical_code, phone_validator, split_aliases

COLUMNS = {
    "name": ("名称", "单位名称", "单位", "name"),
    "short_name": ("简称", "short_name", "short name"),
    "aliases": ("别名", "其他名称", "aliases"),
    "code": ("编码", "代码", "单位编码", "code"),
    "category": ("类别", "分类", "单位类别", "category"),
    "sort_order": ("排序", "排序号", "显示顺序", "sort_order", "sort order"),
    "parent": ("上级单位", "parent"),
    "is_active": ("启用", "是否启用", "active", "is_active"),
    "contact_name": ("联系人", "联络人", "contact_name", "contact"),
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
    warnings: list = field(default_factory=list)  # changes to look at twice: rename, disable
    renames: bool = False
    disables: bool = False


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
    by_code = {match_key(unit.code): unit for unit in existing if unit.code}

    examples = _example_names()
    # a new unit without 排序 goes after its category's units (0 put it first)
    last_in_category = {}
    for unit in existing:
        last_in_category[unit.category_id] = max(
            last_in_category.get(unit.category_id, 0), unit.sort_order
        )
    rows, errors = [], {}
    seen_name, seen_code, seen_unit = {}, {}, {}
    for row_number, values in table.rows:
        messages = []
        row = _convert(row_number, values, categories, examples, messages)
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
        elif not values.get("category"):
            messages.append(_("The category is empty."))
        else:
            row.notes.append(_("A new unit."))
            if row.category_id is not None:
                last = last_in_category.get(row.category_id, 0)
                if row.sort_order is None:
                    row.sort_order = last + 1
                    row.notes.append(
                        _("Sort order %(order)d: after the units of its category.")
                        % {"order": row.sort_order}
                    )
                last_in_category[row.category_id] = max(last, row.sort_order)
        if messages:
            errors[row_number] = messages
        rows.append(row)

    _resolve_parents(rows, existing, errors)
    _check_names(rows, existing, errors)
    _explain_updates(rows, existing)
    return rows, [RowError(number, messages) for number, messages in sorted(errors.items())]


EXAMPLE_NAME = gettext_noop("Example subdistrict (delete this row)")


def _example_names():
    """The import template's example unit, as either language writes it."""
    names = {EXAMPLE_NAME}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            names.add(_(EXAMPLE_NAME))
    return names


def _convert(row_number, values, categories, examples, messages):
    get = values.get
    name = get("name", "")
    if not name:
        messages.append(_("The name is empty."))
    elif name in examples:
        messages.append(_("This is the template's example row; delete it before importing."))
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
    if get("short_name", ""):
        row.short_name = get("short_name")
    if get("contact_name", ""):
        row.contact_name = clean_name(get("contact_name"))  # 赵  刚, padded to line up: 赵刚
    if get("code", ""):
        row.code = canonical_code(get("code"))
    if get("aliases", ""):
        row.aliases = "、".join(split_aliases(get("aliases")))
    return row


def _check_repeats(row, seen_name, seen_code, messages):
    for key, seen, message in (
        (match_key(row.name), seen_name, _("The name “%(value)s” is also on row %(row)d.")),
        (match_key(row.code or ""), seen_code, _("The code “%(value)s” is also on row %(row)d.")),
    ):
        if not key:
            continue
        if key in seen:
            messages.append(
                message % {"value": row.name if seen is seen_name else row.code, "row": seen[key]}
            )
        else:
            seen[key] = row.row_number


def _match_existing(row, by_name, by_code, messages):
    """The existing unit the row updates: by code, else by name; None for a new unit."""
    named = by_name.get(match_key(row.name)) if row.name else None
    coded = by_code.get(match_key(row.code)) if row.code else None
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
    if coded:
        row.code = coded.code  # as the unit has it, however the file writes it
    match = coded or named
    row.existing_id = match.pk if match else None
    return match


def _resolve_parents(rows, existing, errors):
    """Each parent names a row of the file (by name or code) or an existing unit; no loops."""
    row_of_key = {}
    row_of_unit = {row.existing_id: row.row_number for row in rows if row.existing_id}
    for row in rows:
        for key in (match_key(row.name), match_key(row.code or "")):
            if key:
                row_of_key.setdefault(key, row.row_number)
    resolver = UnitResolver(existing, active_only=False)
    for row in rows:
        if not row.parent:
            continue
        target = row_of_key.get(match_key(row.parent))
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


def _check_names(rows, existing, errors):
    """A name, short name or alias may not be what another unit is called once the file is
    imported: every file that writes it would become ambiguous."""
    unit_of = {unit.pk: unit for unit in existing}
    owner_of_row = {row.row_number: row.existing_id or f"row {row.row_number}" for row in rows}
    in_file = {row.existing_id for row in rows}
    named = [(unit.pk, unit.name, unit_texts(unit)) for unit in existing if unit.pk not in in_file]
    for row in rows:
        unit = unit_of.get(row.existing_id) or Unit()  # a new unit has no names yet
        short_name = unit.short_name if row.short_name is None else row.short_name
        aliases = unit.aliases if row.aliases is None else row.aliases
        texts = [row.code or unit.code, row.name, short_name, *split_aliases(aliases)]
        named.append((owner_of_row[row.row_number], row.name, texts))
    taken = names_in_use(named)
    for row in rows:
        texts = [row.name, row.short_name or "", *split_aliases(row.aliases)]
        for text, other in name_clashes(texts, taken, own=owner_of_row[row.row_number]):
            if text == row.name and match_key(text) == match_key(other):
                continue  # two rows or units of one name: the duplicate check says so
            _add_error(errors, row.row_number, clash_message(text, other))


def _explain_updates(rows, existing):
    """What each row does to an existing unit: each field it changes, old → new."""
    unit_of = {unit.pk: unit for unit in existing}
    categories = dict(UnitCategory.objects.values_list("pk", "name"))
    new_parent_of_row = _new_parents(rows, unit_of)
    for row in rows:
        unit = unit_of.get(row.existing_id)
        if unit is None:
            continue
        if row.code and match_key(row.code) == match_key(unit.code):
            note = _("Updates the unit “%(unit)s” (found by code %(code)s).")
        else:
            note = _("Updates the unit “%(unit)s” (found by name).")
        row.notes.insert(0, note % {"unit": unit.name, "code": unit.code})
        if row.name != unit.name:
            row.renames = True
            row.warnings.append(
                _("Renames “%(old)s” to “%(new)s”.") % {"old": unit.name, "new": row.name}
            )
            if row.short_name is None and unit.short_name and unit.short_name not in row.name:
                # files written with the old short name would find the unit under its new name
                row.notes.append(
                    _(
                        "Its short name “%(short)s” stays, so files that say “%(short)s” will "
                        "mean “%(name)s”: fill in the 简称 column if that is no longer right."
                    )
                    % {"short": unit.short_name, "name": row.name}
                )
        changes = _changed_fields(row, unit, categories, new_parent_of_row.get(row.row_number))
        for name, old, new in changes:
            change = _("%(field)s: %(old)s → %(new)s") % {
                "field": Unit._meta.get_field(name).verbose_name,
                "old": _shown(old),
                "new": _shown(new),
            }
            if name == "is_active" and not new:
                row.disables = True
                row.warnings.append(change)
                row.warnings.append(
                    _("A disabled unit leaves the rankings, spot-check sampling and registration.")
                )
            else:
                row.notes.append(change)
        if not changes and not row.renames:
            row.notes.append(_("Nothing changes."))


def _new_parents(rows, unit_of):
    """{row number: (parent unit id or None, parent's name after the import)} of each row
    that names a parent."""
    row_by_number = {row.row_number: row for row in rows}
    parents = {}
    for row in rows:
        if row.parent_row is not None:
            parent = row_by_number[row.parent_row]
            parents[row.row_number] = (parent.existing_id, parent.name)
        elif row.parent_id is not None:
            parents[row.row_number] = (row.parent_id, unit_of[row.parent_id].name)
    return parents


def _changed_fields(row, unit, categories, new_parent):
    """(field name, old value, new value) of each field the row changes; a blank cell (None)
    changes nothing."""
    pairs = [
        ("short_name", unit.short_name, row.short_name),
        ("aliases", "、".join(unit.alias_list), row.aliases),
        ("code", unit.code, row.code),
        ("category", categories[unit.category_id], categories.get(row.category_id)),
        ("sort_order", unit.sort_order, row.sort_order),
        ("is_active", unit.is_active, row.is_active),
        ("contact_name", unit.contact_name, row.contact_name),
        ("contact_phone", unit.contact_phone, row.contact_phone),
    ]
    if new_parent is not None and (new_parent[0] is None or new_parent[0] != unit.parent_id):
        pairs.append(("parent", unit.parent.name if unit.parent else "", new_parent[1]))
    return [(name, old, new) for name, old, new in pairs if new is not None and new != old]


def _shown(value):
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if value == "":
        return _("(blank)")
    return str(value)


def _add_error(errors, row_number, message):
    errors.setdefault(row_number, []).append(message)
