"""Every download is named in Chinese in the Chinese UI (RFC 5987 ``filename*``): the URLs come
from the permission matrix, which the resolver keeps complete, and list pages are asked for
their CSV and XLSX exports too."""

import re
from urllib.parse import unquote

from tests.security.test_permission_matrix import MATRIX, world  # noqa: F401 - a fixture

READERS_FIRST = ["admin", "leader", "inspector", "organizer", "liaison_a"]
# files people uploaded keep the names they gave them
UPLOADED = {
    "assessment:evidence_download",
    "assessment:rectification_file",
    "assessment:self_evidence_download",
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def filename_of(response):
    header = response.get("Content-Disposition", "")
    match = re.search(r"filename\*=utf-8''([^;]+)", header)
    assert match, f"not an RFC 5987 name: {header}"
    return unquote(match.group(1))


def downloads(client_for, world):  # noqa: F811 - the fixture's value
    from django.urls import reverse

    for name, (key, expected_get, _post) in MATRIX.items():
        if name in UPLOADED:
            continue
        persona = next((p for p in READERS_FIRST if expected_get.get(p) == 200), None)
        if persona is None:
            continue
        url = reverse(name, kwargs=world[key] if key else None)
        client = client_for(persona)
        for query in ("", "?_export=csv", "?_export=xlsx"):
            response = client.get(url + query, HTTP_ACCEPT_LANGUAGE="zh-hans")
            if response.has_header("Content-Disposition"):
                yield name + query, filename_of(response)


def test_every_download_is_named_in_chinese(client_for, world):  # noqa: F811
    names = dict(downloads(client_for, world))
    for expected in [
        "assessment:notice",
        "assessment:round_notice",
        "assessment:feedback",
        "assessment:rectification_notice",
        "assessment:ranking?_export=xlsx",
        "assessment:indicator_export",
        "assessment:checklist_export",
        "training:sign_in_sheet",
        "training:attendance_summary",
        "training:certificates",
        "training:certificate",
        "training:attendee_import_template",
        "units:import_template",
        "units:list?_export=csv",
    ]:
        assert expected in names, expected
    for url, filename in names.items():
        stem = filename.rsplit(".", 1)[0]
        assert CJK.search(stem), (url, filename)
        assert not re.search(r"[A-Za-z]", stem), (url, filename)


def test_the_draft_notice_says_so_in_its_name(client_for, world):  # noqa: F811
    from django.urls import reverse
    from django.utils import timezone

    response = client_for("leader").get(reverse("assessment:notice"))
    year = timezone.localdate().year
    assert filename_of(response) == f"{year}年度政务公开工作考核结果通报（草稿）.pdf"


def test_a_stored_type_that_is_not_a_media_type_is_served_as_bytes(tmp_path, db):
    """Uploads store the type they sniffed from a fixed list; whatever else a row holds (a
    newline would break the header: a 500) is served as application/octet-stream."""
    from types import SimpleNamespace

    from django.core.files import File

    from core.http import stored_file_response

    path = tmp_path / "证据.pdf"
    path.write_bytes(b"%PDF-1.4")
    for stored_type, served in [
        ("application/pdf", "application/pdf"),
        ("\rcmd", "application/octet-stream"),
        ("text/plain\r\nX-Evil: 1", "application/octet-stream"),
        ("图片/png", "application/octet-stream"),
        ("", "application/octet-stream"),
    ]:
        stored = SimpleNamespace(
            file=File(path.open("rb"), name=path.name),
            original_name="证据.pdf",
            content_type=stored_type,
        )
        response = stored_file_response(stored)
        assert response["Content-Type"] == served
        response.close()


def test_a_download_name_has_no_character_windows_forbids():
    """Windows refuses <>:"|?* in a file name, and / and \\ are path separators: each
    becomes _ (the Chinese and the rest of the name stay)."""
    from core.http import file_response

    response = file_response(('a/b\\c"d<>|:*?培训签到表.pdf', "application/pdf", b"%PDF-1.4"))
    assert filename_of(response) == "a_b_c_d______培训签到表.pdf"
