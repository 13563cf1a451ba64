"""The bell, the list and the settings page: each user sees and changes only their own
notifications (another user's id is a 404)."""

import pytest
from django.urls import reverse

from notifications.models import Kind, Notification, Preference


def make_notification(user, number=1, *, read=False, unit="甲街道"):
    from django.utils import timezone

    return Notification.objects.create(
        recipient=user,
        kind=Kind.RECTIFICATION_RAISED,
        params={"unit": unit, "requirement": f"整改要求{number}", "deadline": "2026-10-15"},
        link="/assessment/rectifications/1/",
        dedupe_key=f"test:{number}",
        read_at=timezone.now() if read else None,
    )


@pytest.fixture
def mine(personas):
    liaison = personas["liaison_a"]
    return [
        make_notification(liaison, 1),
        make_notification(liaison, 2),
        make_notification(liaison, 3, read=True),
    ]


def test_the_bell_counts_the_users_unread_notifications(client_for, mine, personas):
    make_notification(personas["liaison_b"], 9, unit="乙局")
    page = client_for("liaison_a").get(reverse("home")).content.decode()
    assert 'data-testid="unread-count">2</span>' in page
    assert "通知，2 条未读" in page


def test_no_unread_no_badge(client_for, personas):
    page = client_for("leader").get(reverse("home")).content.decode()
    assert 'data-testid="notification-bell"' in page
    assert "unread-count" not in page


def test_the_list_shows_only_the_users_own_notifications(client_for, mine, personas):
    make_notification(personas["liaison_b"], 9, unit="乙局")
    page = client_for("liaison_a").get(reverse("notifications:list")).content.decode()
    assert page.count('data-testid="notification"') == 3
    assert "甲街道：整改要求1 整改期限：2026年10月15日。" in page
    assert "乙局" not in page
    unread = client_for("liaison_a").get(reverse("notifications:list") + "?unread=1")
    assert unread.content.decode().count('data-testid="notification"') == 2


def test_the_list_reads_in_the_users_language(client_for, mine):
    client = client_for("liaison_a")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("notifications:list")).content.decode()
    assert "A rectification was raised for 甲街道" in page


def test_opening_marks_read_and_goes_to_the_link(client_for, mine):
    response = client_for("liaison_a").post(
        reverse("notifications:open", args=[mine[0].pk]), {"go": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/assessment/rectifications/1/"
    mine[0].refresh_from_db()
    assert mine[0].read_at is not None


def test_mark_read_without_going_stays_on_the_list(client_for, mine):
    response = client_for("liaison_a").post(reverse("notifications:open", args=[mine[1].pk]))
    assert response["Location"] == reverse("notifications:list")


def test_a_link_elsewhere_is_not_followed(client_for, mine):
    Notification.objects.filter(pk=mine[0].pk).update(link="https://evil.example/")
    response = client_for("liaison_a").post(
        reverse("notifications:open", args=[mine[0].pk]), {"go": "1"}
    )
    assert response["Location"] == reverse("notifications:list")


@pytest.mark.parametrize("persona", ["liaison_b", "inspector", "leader", "admin"])
def test_another_users_notification_is_a_404_and_stays_unread(client_for, mine, persona):
    response = client_for(persona).post(reverse("notifications:open", args=[mine[0].pk]))
    assert response.status_code == 404
    mine[0].refresh_from_db()
    assert mine[0].read_at is None


def test_mark_all_read_touches_only_the_users_own(client_for, mine, personas):
    theirs = make_notification(personas["liaison_b"], 9, unit="乙局")
    client_for("liaison_a").post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=personas["liaison_a"]).unread().exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_is_paged(client_for, personas):
    for number in range(25):
        make_notification(personas["leader"], number)
    client = client_for("leader")
    first = client.get(reverse("notifications:list")).content.decode()
    assert first.count('data-testid="notification"') == 20
    assert "第 1 页，共 2 页" in first
    second = client.get(reverse("notifications:list") + "?page=2").content.decode()
    assert second.count('data-testid="notification"') == 5
    assert client.get(reverse("notifications:list") + "?page=x").status_code == 200


def test_settings_turn_email_off_and_on(client_for, personas):
    client = client_for("liaison_a")
    response = client.post(
        reverse("notifications:settings"), {"email": "a@example.gov.cn", "email_enabled": "on"}
    )
    assert response.status_code == 302
    user = personas["liaison_a"]
    user.refresh_from_db()
    assert user.email == "a@example.gov.cn"
    assert Preference.objects.get(user=user).email_enabled is True
    client.post(reverse("notifications:settings"), {"email": "a@example.gov.cn"})
    assert Preference.objects.get(user=user).email_enabled is False


def test_email_on_without_an_address_is_refused_at_the_field(client_for, personas):
    response = client_for("liaison_a").post(
        reverse("notifications:settings"), {"email": "", "email_enabled": "on"}
    )
    assert response.status_code == 200
    assert "请填写接收邮件的邮箱地址。" in response.content.decode()
    assert not Preference.objects.exists()


def test_a_bad_address_is_refused(client_for, personas):
    response = client_for("liaison_a").post(
        reverse("notifications:settings"), {"email": "not an address\x00", "email_enabled": "on"}
    )
    assert response.status_code == 200
    personas["liaison_a"].refresh_from_db()
    assert personas["liaison_a"].email == ""
