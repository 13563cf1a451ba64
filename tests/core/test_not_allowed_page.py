"""A GET on an address that only takes a form's POST answers 405 with a page in Chinese, as
403 and 404 do, and keeps the Allow header."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "url",
    [
        reverse("assessment:indicator_import_confirm"),
        reverse("assessment:checklist_import_confirm"),
        reverse("assessment:reopen"),
    ],
)
def test_a_get_on_a_post_only_address_gets_a_chinese_page(client_for, url):
    response = client_for("admin").get(url)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "<title>此页面不能直接打开" in page
    assert "请返回原页面，使用页面上的按钮。" in page


def test_the_attendee_import_confirm_too(client_for, personas):
    from tests.training.conftest import make_training

    training = make_training(created_by=personas["organizer"])
    url = reverse("training:attendee_import_confirm", args=[training.pk])
    response = client_for("organizer").get(url)
    assert (response.status_code, response["Allow"]) == (405, "POST")
    assert "此页面不能直接打开" in response.content.decode()
