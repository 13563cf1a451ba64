from django.http import HttpResponse
from django.utils.http import content_disposition_header

from assessment.models.spot_checks import ASSESSORS
from units.roles import Role

INSPECTORS = (Role.INSPECTOR, Role.ADMIN)
READERS = ASSESSORS


def file_response(rendered):
    filename, content_type, content = rendered
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
