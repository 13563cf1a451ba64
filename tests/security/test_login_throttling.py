from django.urls import reverse

from tests.conftest import PASSWORD, make_user


def test_five_wrong_passwords_lock_the_account_with_a_chinese_message(client, db):
    make_user("leader")
    for _attempt in range(5):
        client.post(reverse("login"), {"username": "leader", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "leader", "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录失败次数过多" in page
    assert "15 分钟" in page
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_resets_the_count(client, db):
    make_user("leader")
    for _attempt in range(4):
        client.post(reverse("login"), {"username": "leader", "password": "wrong"})
    assert (
        client.post(reverse("login"), {"username": "leader", "password": PASSWORD}).status_code
        == 302
    )
    client.post(reverse("logout"))
    for _attempt in range(4):
        client.post(reverse("login"), {"username": "leader", "password": "wrong"})
    assert (
        client.post(reverse("login"), {"username": "leader", "password": PASSWORD}).status_code
        == 302
    )
