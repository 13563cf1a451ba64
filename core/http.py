from django.http import HttpResponse
from django.utils.http import content_disposition_header


def file_response(rendered):
    """A download from a renderer's (filename, content type, bytes); names per RFC 5987."""
    filename, content_type, content = rendered
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
