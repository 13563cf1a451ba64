import pytest
from django.urls import reverse

from tests.conftest import PASSWORD, make_user

WRONG_LOGIN = "用户名或密码不正确，请重新输入（区分大小写）。"


@pytest.mark.django_db
def test_every_page_needs_a_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("username, password", [("leader", "wrong"), ("nobody", PASSWORD)])
def test_wrong_password_and_unknown_user_get_the_same_chinese_message(client, username, password):
    make_user("leader")
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [WRONG_LOGIN]
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_then_logout(client):
    make_user("leader")
    response = client.post(reverse("login"), {"username": "leader", "password": PASSWORD})
    assert response["Location"] == reverse("home")
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_change_password(client_for, personas):
    client = client_for("leader")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Another-Horse-77",
            "new_password2": "Another-Horse-77",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    personas["leader"].refresh_from_db()
    assert personas["leader"].check_password("Another-Horse-77")


def test_change_password_refuses_a_wrong_old_password_in_chinese(client_for):
    response = client_for("leader").post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": "Abc-12345x", "new_password2": "Abc-12345x"},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    assert "旧密码" in response.content.decode()


@pytest.mark.django_db
def test_favicon_is_served_without_login(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
