import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_login_with_email_in_any_case(client, chef):
    response = _login(client, chef.email.upper(), PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_wrong_password_gives_swedish_message(client, chef):
    response = _login(client, chef.email, "fel-lösenord")
    assert response.status_code == 200
    assert "E-postadressen eller lösenordet är fel" in response.content.decode()


def test_repeated_wrong_passwords_are_throttled(client, chef):
    for _ in range(5):
        _login(client, chef.email, "fel-lösenord")
    response = _login(client, chef.email, PASSWORD)  # even the right password is refused now
    assert response.status_code == 429
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_throttling_is_per_account_not_for_everyone(client, chef, editor):
    for _ in range(5):
        _login(client, chef.email, "fel-lösenord")
    assert _login(client, editor.email, PASSWORD).status_code == 302


def test_logout_is_post_only(client, chef):
    client.force_login(chef)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_password_reset_for_known_address_sends_working_link(
    client, chef, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": chef.email.upper()})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Nytt lösenord till Biblioteksportalen"
    path = re.search(r"https?://[^/]+(/konto/losenord/nytt/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(path)["Location"]  # Django redirects to a token-less URL
    response = client.post(
        form_url, {"new_password1": "Ny-Sommar-Lasning-42", "new_password2": "Ny-Sommar-Lasning-42"}
    )
    assert response.status_code == 302
    chef.refresh_from_db()
    assert chef.check_password("Ny-Sommar-Lasning-42")


def test_password_reset_for_unknown_address_looks_the_same(client, chef, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("password_reset"), {"email": chef.email})
        unknown = client.post(reverse("password_reset"), {"email": "finns.inte@example.se"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1


def test_password_reset_link_used_twice_is_refused(client, chef, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": chef.email})
    path = re.search(r"https?://[^/]+(/konto/losenord/nytt/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(path)["Location"]
    client.post(form_url, {"new_password1": "Ny-Sommar-Lasning-42", "new_password2": "Ny-Sommar-Lasning-42"})
    response = client.get(path)
    assert "Länken är inte giltig" in response.content.decode()


def test_change_password(client, chef):
    client.force_login(chef)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Bokhylla-Vinter-31",
            "new_password2": "Bokhylla-Vinter-31",
        },
    )
    assert response.status_code == 302
    chef.refresh_from_db()
    assert chef.check_password("Bokhylla-Vinter-31")


def test_change_password_with_wrong_old_password(client, chef):
    client.force_login(chef)
    response = client.post(
        reverse("password_change"),
        {"old_password": "fel", "new_password1": "Bokhylla-Vinter-31", "new_password2": "Bokhylla-Vinter-31"},
    )
    assert response.status_code == 200
    assert "felaktigt" in response.content.decode()


def test_htmx_request_with_expired_session_gets_hx_redirect(client):
    response = client.get(reverse("dashboard"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("login"))
