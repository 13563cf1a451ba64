"""Attendee import: rows are parsed and checked against the training before anything is
written; the preview shows every row with its errors, and only a clean file can be confirmed.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.forms import control_character_error
from core.tabular import clean_name, clean_phone, shortened_by_excel
from training.models import Attendee
from training.services import is_organizer, too_many_attendees
from units.matching import UnitResolver
from units.models import Unit, phone_validator
from units.roles import bound_unit_id

COLUMNS = {
    "unit": ("单位", "单位名称", "工作单位", "所在单位", "unit"),
    "name": ("姓名", "学员姓名", "name"),
    "position": ("职务", "职位", "position"),
    "phone": (
        "手机",
        "电话",
        "手机号",
        "手机号码",
        "联系电话",
        "联系方式",
        "移动电话",
        "phone",
        "mobile",
    ),
    "duty": ("角色", "人员类别", "身份", "role"),
    "note": ("备注", "说明", "note", "remarks"),
}
REQUIRED = ("unit", "name", "phone")
# a liaison's list of its own people (填报单位 stamped above the table) needs no 单位 column
REQUIRED_OF_OWN_UNIT = ("name", "phone")
# what clerks write for "the unit of the row above": 同上, 同上单位, 〃, 〃〃, ″ …
DITTO_WORDS = frozenset({"同上", "同上单位"})
DITTO_MARKS = frozenset("〃″\"'")
TEMPLATE_HEADERS = ["单位", "姓名", "职务", "手机", "角色", "备注"]
# The template's example row; a row with its name and phone is refused, not imported (a clerk
# who left it in registered a 张三 for 华阳街道)
TEMPLATE_EXAMPLE = ["华阳街道", "张三", "信息员", "13800001111", "信息员", ""]
NOTE_LENGTH = Attendee._meta.get_field("note").max_length

DUTY_WORDS = {
    "": Attendee.Duty.OFFICER,
    "信息员": Attendee.Duty.OFFICER,
    "officer": Attendee.Duty.OFFICER,
    "information officer": Attendee.Duty.OFFICER,
    "分管领导": Attendee.Duty.LEADER,
    "leader": Attendee.Duty.LEADER,
    "leader in charge": Attendee.Duty.LEADER,
    "其他": Attendee.Duty.OTHER,
    "其它": Attendee.Duty.OTHER,
    "other": Attendee.Duty.OTHER,
}


def is_ditto(text):
    compact = "".join(text.split()).rstrip("。.，,")
    return compact in DITTO_WORDS or (bool(compact) and set(compact) <= DITTO_MARKS)


@dataclass
class AttendeeRow:
    row_number: int
    unit_text: str
    name: str
    position: str
    phone: str
    duty: str
    note: str = ""
    unit_id: int | None = None
    unit_name: str = ""
    skip: bool = False  # registered already, as this row says: a list sent again
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # how a cell was read: neither error nor warning

    @property
    def duty_label(self):
        return Attendee.Duty(self.duty).label if self.duty else ""


@dataclass
class ImportPreview:
    rows: list
    file_errors: list
    notes: list = field(default_factory=list)

    @property
    def error_count(self):
        return len(self.file_errors) + sum(bool(row.errors) for row in self.rows)

    @property
    def new_rows(self):
        """The rows to register: all but those registered already."""
        return [row for row in self.rows if not row.skip]

    @property
    def skipped(self):
        return sum(row.skip for row in self.rows)

    @property
    def is_clean(self):
        return self.error_count == 0 and bool(self.new_rows)

    def to_session(self):
        return {
            # vars, not asdict: asdict deep-copies every list of every row (0.2 s at 10,000)
            "rows": [dict(vars(row)) for row in self.rows],
            "file_errors": self.file_errors,
            "notes": self.notes,
        }

    @classmethod
    def from_session(cls, data):
        return cls(
            rows=[AttendeeRow(**row) for row in data["rows"]],
            file_errors=data["file_errors"],
            notes=data.get("notes", []),
        )


def parse_attendees(table, training, actor):
    """Check every row of a `core.tabular.Table` read with `COLUMNS` against the training."""
    if not table.rows:
        return ImportPreview(
            rows=[], file_errors=[_("The file has a header but no rows.")], notes=table.notes
        )

    resolver = UnitResolver(list(Unit.objects.all()))  # finds active units, names disabled ones
    registered, phone_of_name = {}, {}
    for name, phone, unit_id in training.attendees.values_list("name", "phone", "unit_id"):
        registered[(name, phone)] = unit_id
        phone_of_name[(unit_id, name)] = phone
    seats = dict(training.requirements.values_list("unit_id", "seats"))
    taken = dict(training.attendees.values_list("unit_id").annotate(count=Count("id")).order_by())
    organizer = is_organizer(actor)
    own_unit = bound_unit_id(actor)
    # the messages most rows may carry, translated once: gettext per row was a third of the check
    read_as = _("“%(text)s” was read as %(unit)s.")
    same_unit = _("The unit is empty: taken from the row above (%(unit)s).")
    ditto = _("“%(text)s”: the unit of the row above (%(unit)s).")
    no_duty = _("No role given: registered as 信息员.")
    notes = list(table.notes)
    if "unit" not in table.columns and own_unit is not None:
        own_name = Unit.objects.get(pk=own_unit).name
        table_rows = [(number, {**values, "unit": own_name}) for number, values in table.rows]
        notes.append(
            _("The file has no 单位 column: everyone is registered for %(unit)s.")
            % {"unit": own_name}
        )
    else:
        table_rows = table.rows

    rows, first_row_of_person, new_per_unit, new_people = [], {}, {}, 0
    unit_above = ""
    for row_number, values in table_rows:
        written = values.get("unit", "")
        # a sheet whose 单位 was merged over its people, saved as CSV or text, keeps the unit
        # in the block's first row only (spreadsheets' merges are filled when read)
        from_above = unit_above and values.get("name") and (not written or is_ditto(written))
        if from_above:
            values = {**values, "unit": unit_above}
        row = _convert(row_number, values, resolver, read_as)
        if from_above:
            row.notes.append(
                (ditto if written else same_unit) % {"text": written, "unit": unit_above}
            )
        unit_above = values.get("unit", "")
        if "duty" in table.columns and not values.get("duty"):
            row.notes.append(no_duty)
        if row.unit_id and not organizer and row.unit_id != own_unit:
            row.errors.append(_("You may only register people of your own unit."))
            # nothing more is worked out for it: its seats, registrations and phones are
            # another unit's (trial 9 read other units' registration counts off the seats)
            rows.append(row)
            continue
        person = (row.name, row.phone)
        # someone registered already, or on an earlier row, takes no second seat or place
        new_person = True
        if row.name and row.phone:
            if person in registered:
                if registered[person] == row.unit_id and not row.errors:
                    # a unit sends its whole list again with one more person
                    row.skip = True
                    row.notes.append(_("Already registered: skipped."))
                else:
                    row.errors.append(_("Already registered for this training."))
                new_person = False
            elif person in first_row_of_person:
                row.errors.append(
                    _("The same person is also on row %(row)d.")
                    % {"row": first_row_of_person[person]}
                )
                new_person = False
            else:
                first_row_of_person[person] = row_number
        if new_person and (row.unit_id, row.name) in phone_of_name:
            # a list sent again with a corrected phone would register the person twice
            row.warnings.append(
                _(
                    "%(unit)s already has %(name)s registered, with the phone %(phone)s: if this "
                    "is the same person, correct that registration instead."
                )
                % {
                    "unit": row.unit_name,
                    "name": row.name,
                    "phone": phone_of_name[(row.unit_id, row.name)],
                }
            )
        if row.unit_id and new_person:
            new_per_unit[row.unit_id] = new_per_unit.get(row.unit_id, 0) + 1
            _check_seats(row, seats, taken, new_per_unit, organizer)
        new_people += new_person
        rows.append(row)

    file_errors = []
    too_many = too_many_attendees(sum(taken.values()), new_people)
    if too_many:
        file_errors.append(too_many)
    if training.capacity is not None:
        places_left = training.capacity - sum(taken.values())
        if new_people > places_left:
            file_errors.append(
                _("The file has %(rows)d people but only %(left)d places are left.")
                % {"rows": new_people, "left": max(places_left, 0)}
            )
    if rows and not any(row.errors for row in rows) and all(row.skip for row in rows):
        file_errors.append(_("Everyone in the file is registered already: nothing to import."))
    return ImportPreview(rows=rows, file_errors=file_errors, notes=notes)


def _convert(row_number, values, resolver, read_as):
    get = values.get
    row = AttendeeRow(
        row_number=row_number,
        unit_text=get("unit", ""),
        name=clean_name(get("name", "")),
        position=get("position", ""),
        phone=clean_phone(get("phone", "")),
        duty=DUTY_WORDS.get(" ".join(get("duty", "").split()).lower(), ""),
        note=get("note", ""),
    )
    if (row.name, row.phone) == (TEMPLATE_EXAMPLE[1], TEMPLATE_EXAMPLE[3]):
        row.errors.append(_("This is the template's example row; delete it before importing."))
    unit = resolver.find(row.unit_text)
    if unit:
        row.unit_id, row.unit_name = unit.pk, unit.name
        if row.unit_text != unit.name:
            row.notes.append(read_as % {"text": row.unit_text, "unit": unit.name})
    else:
        row.errors.append(resolver.error(row.unit_text))
    for text in (row.name, row.position, row.note):
        problem = control_character_error(text)
        if problem:
            row.errors.append(problem)
    if not row.name:
        row.errors.append(_("The full name is empty."))
    elif len(row.name) > 50:
        row.errors.append(_("The full name is longer than 50 characters."))
    if len(row.position) > 100:
        row.errors.append(_("The position is longer than 100 characters."))
    if len(row.note) > NOTE_LENGTH:
        row.errors.append(
            _("The note is longer than %(limit)d characters.") % {"limit": NOTE_LENGTH}
        )
    if not row.phone:
        row.errors.append(_("The phone number is empty."))
    elif shortened_by_excel(row.phone):
        row.errors.append(
            _(
                "The phone “%(phone)s” was shortened by Excel; format the column as text and "
                "type the number again."
            )
            % {"phone": row.phone}
        )
    else:
        try:
            phone_validator(row.phone)
        except ValidationError as error:
            row.errors.extend(error.messages)
    if not row.duty:
        row.errors.append(
            _("Unknown role “%(role)s”; use 信息员, 分管领导 or 其他.") % {"role": get("duty", "")}
        )
    return row


def _check_seats(row, seats, taken, new_per_unit, organizer):
    allowed = seats.get(row.unit_id, 0)
    if organizer and not allowed:
        return  # the unit is not required to attend: it has no seats to exceed
    total = taken.get(row.unit_id, 0) + new_per_unit[row.unit_id]
    if total <= allowed:
        return
    message = ngettext(
        "%(unit)s would have %(total)d people for %(seats)d seat.",
        "%(unit)s would have %(total)d people for %(seats)d seats.",
        allowed,
    ) % {
        "unit": row.unit_name,
        "total": total,
        "seats": allowed,
    }
    (row.warnings if organizer else row.errors).append(message)
