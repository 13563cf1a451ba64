"""Notification texts read as sentences in both languages."""

import pytest
from django.utils import translation

from notifications.messages import render
from notifications.models import Kind


@pytest.mark.parametrize("reason", ["缺少制度文件。", "缺少制度文件", "缺少制度文件。 "])
def test_a_return_reason_ending_in_a_full_stop_gets_no_second_one(reason):
    params = {"campaign": "2026年自查", "reason": reason, "closes": "2026-12-10"}
    with translation.override("zh-hans"):
        _title, body = render(Kind.SELF_ASSESSMENT_RETURNED, params)
    assert body.startswith("退回原因：缺少制度文件。请修改后于")
    with translation.override("en"):
        _title, body = render(Kind.SELF_ASSESSMENT_RETURNED, params)
    assert body.startswith("Reason: 缺少制度文件. Correct it")
