"""Check an uploaded evidence file by its content and its name: PDF, images, Office files,
whose extension says what the content is (a "report.pdf.exe" or a PNG called ".pdf" would be
opened by the wrong program on the reader's computer)."""

import os
import zipfile

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

OFFICE_ZIP_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


# The extensions a file of each detected content type may carry.
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    # the legacy Office container, also WPS Office's own formats
    "application/msword": (".doc", ".xls", ".ppt", ".wps", ".et", ".dps"),
    OFFICE_ZIP_TYPES["word/"]: (".docx",),
    OFFICE_ZIP_TYPES["xl/"]: (".xlsx",),
    OFFICE_ZIP_TYPES["ppt/"]: (".pptx",),
}
# original_name's column
MAX_NAME_LENGTH = 200


def sniff_content_type(head, upload):
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/msword"  # legacy .doc/.xls/.ppt container
    if head.startswith(b"PK\x03\x04"):
        try:
            upload.seek(0)
            names = zipfile.ZipFile(upload).namelist()
        except zipfile.BadZipFile:
            return None
        for prefix, content_type in OFFICE_ZIP_TYPES.items():
            if any(name.startswith(prefix) for name in names):
                return content_type
    return None


def validate_evidence_file(upload):
    """Return the content type of an acceptable file, or raise ValidationError."""
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)d MB.") % {"limit": MAX_EVIDENCE_BYTES // 2**20}
        )
    upload.seek(0)
    head = upload.read(16)
    content_type = sniff_content_type(head, upload)
    upload.seek(0)
    if content_type is None:
        raise ValidationError(
            _("Only PDF, image (PNG, JPEG, GIF) and Office files can be uploaded.")
        )
    allowed = EXTENSIONS[content_type]
    if os.path.splitext(upload.name or "")[1].lower() not in allowed:
        raise ValidationError(
            _(
                "The file name's extension does not match its content: %(name)s should end "
                "in %(extensions)s."
            )
            % {"name": shortened_name(upload.name or "", 60), "extensions": " / ".join(allowed)}
        )
    return content_type


def shortened_name(name, limit=MAX_NAME_LENGTH):
    """`name` cut to `limit` characters in its stem, so that it keeps its extension."""
    if len(name) <= limit:
        return name
    stem, extension = os.path.splitext(name)
    if len(extension) >= limit // 2:  # not an extension anybody uses
        return name[:limit]
    return stem[: limit - len(extension) - 1] + "…" + extension


def store_upload(model, upload, *, actor, content_type=None, **fields):
    """Keep an upload as a row of `model` (a StoredFile) with `fields`; ValidationError when
    its content is not an accepted document (unless `content_type` was already found)."""
    return model.objects.create(
        file=upload,
        original_name=shortened_name(upload.name),
        content_type=content_type or validate_evidence_file(upload),
        size=upload.size,
        uploaded_by=actor,
        **fields,
    )


def delete_stored_file(stored):
    """Delete an uploaded file's row now and the file in storage once the transaction commits
    (a rollback keeps both). For files nothing else refers to, such as a wrong upload."""
    storage, name = stored.file.storage, stored.file.name
    stored.delete()
    transaction.on_commit(lambda: storage.delete(name))
