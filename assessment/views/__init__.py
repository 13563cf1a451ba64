from assessment.models.spot_checks import ASSESSORS
from units.roles import Role

INSPECTORS = (Role.INSPECTOR, Role.ADMIN)
READERS = ASSESSORS
