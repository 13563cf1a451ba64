from django.http import HttpResponse
from django.utils.http import content_disposition_header

from units.roles import Role

INSPECTORS = (Role.INSPECTOR, Role.ADMIN)
READERS = (Role.INSPECTOR, Role.LEADER, Role.ADMIN)


def file_response(rendered):
    filename, content_type, content = rendered
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
