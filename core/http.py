import re

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

# Control characters would break the header; path separators mean nothing in a download name;
# Windows refuses <>:"|?* in a file name (the browser would rename or fail the download).
UNSAFE_IN_FILENAME = re.compile(r'[\x00-\x1f\x7f/\\<>:"|?*]')
# A media type as uploads store it (core/uploads.py sniffs it from a fixed list): anything else
# in the column is served as plain bytes rather than breaking the header.
MEDIA_TYPE = re.compile(r"[A-Za-z0-9][\w.+-]*/[A-Za-z0-9][\w.+-]*", re.ASCII)


def file_response(rendered):
    """A download from a renderer's (filename, content type, bytes); names per RFC 5987."""
    filename, content_type, content = rendered
    response = HttpResponse(content, content_type=content_type)
    filename = UNSAFE_IN_FILENAME.sub("_", filename)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def stored_file_response(stored):
    """A download of an uploaded file (a core.models.StoredFile) under its original name."""
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=(
            stored.content_type
            if MEDIA_TYPE.fullmatch(stored.content_type)
            else "application/octet-stream"
        ),
    )
