"""Demo units (from the bundled list of a county-level city's 49 units) and one user per role."""

import csv
from pathlib import Path

from django.contrib.auth.models import User

from units.models import Unit, UnitCategory
from units.roles import Role
from units.services import assign_role

UNITS_CSV = Path(__file__).parent / "demo_data" / "units.csv"
DEMO_PASSWORD = "Demo@2026"

# (username, display name, role, unit code)
DEMO_USERS = [
    ("admin", "系统管理员", Role.ADMIN, None),
    ("organizer", "培训组织者", Role.ORGANIZER, None),
    ("inspector", "检查员甲", Role.INSPECTOR, None),
    ("inspector2", "检查员乙", Role.INSPECTOR, "BM01"),
    ("inspector3", "检查员丙", Role.INSPECTOR, None),
    ("inspector4", "检查员丁", Role.INSPECTOR, "ZJ02"),
    ("leader", "分管领导", Role.LEADER, None),
    ("liaison_zj01", "华阳街道联络员", Role.LIAISON, "ZJ01"),
    ("liaison_zj04", "宝华镇联络员", Role.LIAISON, "ZJ04"),
    ("liaison_bm03", "教育局联络员", Role.LIAISON, "BM03"),
]


def seed(stdout):
    with UNITS_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    categories = {}
    for row in rows:
        name = row["category"]
        if name not in categories:
            categories[name], _ = UnitCategory.objects.get_or_create(
                name=name, defaults={"sort_order": len(categories) + 1}
            )
    for row in rows:
        Unit.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "short_name": row["short_name"],
                "category": categories[row["category"]],
                "sort_order": int(row["sort_order"]),
            },
        )
    stdout.write(f"units: {len(rows)} in {len(categories)} categories")

    units = {unit.code: unit for unit in Unit.objects.all()}
    stdout.write(f"demo users (password {DEMO_PASSWORD}):")
    for username, display_name, role, unit_code in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name = display_name
        user.set_password(DEMO_PASSWORD)
        user.is_superuser = role == Role.ADMIN
        user.save()
        unit = units.get(unit_code)
        assign_role(user, role, unit=unit)
        where = f" — {unit.name}" if unit else ""
        stdout.write(f"  {username:<14} {role.label}{where}")
