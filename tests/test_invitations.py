import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from portal import services
from portal.models import Invitation, Membership, Role, User
from tests.factories import PASSWORD, InvitationFactory, UserFactory, member, organisation

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Lanekort-Bokbuss-77"


def _link_from_mail() -> str:
    body = mail.outbox[-1].body
    return re.search(r"https?://\S+/inbjudan/(\S+)/", body).group(0)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_chef_invites_editor_who_creates_account_and_lands_with_membership(
    client, chef, django_capture_on_commit_callbacks
):
    client.force_login(chef)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invite", args=["0880"]),
            {
                "email": "Ny.Redaktor@Kalmar.example.se",
                "first_name": "Nora",
                "last_name": "Ek",
                "role": "editor",
            },
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ny.redaktor@kalmar.example.se"]
    assert "Inbjudan till Biblioteksportalen – Kalmar" == message.subject
    assert "Anna Lindqvist har bjudit in dig" in message.body
    link = _link_from_mail()

    client.logout()
    page = client.get(_path(link))
    assert page.status_code == 200 and "Skapa ditt konto" in page.content.decode()
    response = client.post(
        _path(link),
        {"first_name": "Nora", "last_name": "Ek", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    user = User.objects.get(email="ny.redaktor@kalmar.example.se")
    assert user.check_password(NEW_PASSWORD)
    assert Membership.objects.get(user=user).role == Role.EDITOR
    assert client.get(reverse("dashboard")).context["user"] == user

    # the link works once
    client.logout()
    again = client.get(_path(link))
    assert again.status_code == 404 and "Inbjudan är inte giltig" in again.content.decode()


def test_only_the_hash_of_the_token_is_stored():
    invitation = InvitationFactory()
    assert invitation.token not in invitation.token_hash
    assert Invitation.objects.filter(token_hash=Invitation.hash_token(invitation.token)).exists()


def test_expired_invitation_is_refused(client):
    invitation = InvitationFactory(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(reverse("invitation_accept", args=[invitation.token]))
    assert response.status_code == 404
    assert "har slutat gälla" in response.content.decode()


def test_revoked_invitation_is_refused(client, chef):
    invitation = InvitationFactory()
    client.force_login(chef)
    client.post(reverse("invitation_revoke", args=["0880", invitation.pk]))
    client.logout()
    assert client.get(reverse("invitation_accept", args=[invitation.token])).status_code == 404


def test_resend_replaces_the_old_link(client, chef, django_capture_on_commit_callbacks):
    invitation = InvitationFactory()
    client.force_login(chef)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("invitation_resend", args=["0880", invitation.pk]))
    new_link = _link_from_mail()
    client.logout()
    assert client.get(reverse("invitation_accept", args=[invitation.token])).status_code == 404
    assert client.get(_path(new_link)).status_code == 200


def test_chef_cannot_invite_a_chef(client, chef):
    client.force_login(chef)
    response = client.post(reverse("invite", args=["0880"]), {"email": "x@example.se", "role": "chef"})
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not Invitation.objects.exists()


def test_consultant_may_invite_a_chef_in_the_region_but_not_elsewhere(client, consultant):
    client.force_login(consultant)
    ok = client.post(reverse("invite", args=["0881"]), {"email": "chef@nybro.example.se", "role": "chef"})
    assert ok.status_code == 302
    assert Invitation.objects.get().organisation.code == "0881"
    outside = client.post(
        reverse("invite", args=["1780"]), {"email": "chef@karlstad.example.se", "role": "chef"}
    )
    assert outside.status_code == 404
    assert Invitation.objects.count() == 1


def test_kb_may_invite_anyone_but_not_give_admin(client, kb):
    client.force_login(kb)
    assert (
        client.post(
            reverse("invite", args=["2584"]), {"email": "a@kiruna.example.se", "role": "chef"}
        ).status_code
        == 302
    )
    response = client.post(reverse("invite", args=["KB"]), {"email": "b@kb.example.se", "role": "admin"})
    assert response.status_code == 200 and Invitation.objects.count() == 1


def test_inviting_an_existing_member_gives_a_clear_error(client, chef, editor):
    client.force_login(chef)
    response = client.post(
        reverse("invite", args=["0880"]), {"email": editor.email.upper(), "role": "editor"}
    )
    assert response.status_code == 200
    assert "Personen har redan en roll i Kalmar" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("email", ["", "inte-en-adress", "a@b", "x" * 300 + "@example.se"])
def test_bad_invitation_email_is_refused(client, chef, email):
    client.force_login(chef)
    response = client.post(reverse("invite", args=["0880"]), {"email": email, "role": "editor"})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("email", ["ny@localhost", "ny@[127.0.0.1]"])
def test_invitations_to_localhost_or_an_ip_address_are_refused(client, chef, email):
    client.force_login(chef)
    response = client.post(reverse("invite", args=["0880"]), {"email": email, "role": "editor"})
    assert response.status_code == 200
    assert "Ange en e-postadress med en riktig domän" in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


def test_password_mismatch_creates_nothing(client):
    invitation = InvitationFactory()
    response = client.post(
        reverse("invitation_accept", args=[invitation.token]),
        {"first_name": "A", "last_name": "B", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
    )
    assert response.status_code == 200
    assert "De två lösenorden är inte likadana" in response.content.decode()
    assert not User.objects.filter(email=invitation.email).exists()
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_weak_password_is_refused_in_swedish(client):
    invitation = InvitationFactory()
    response = client.post(
        reverse("invitation_accept", args=[invitation.token]),
        {"first_name": "A", "last_name": "B", "password1": "12345", "password2": "12345"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "lösenord" in html.lower() and "för kort" in html
    assert not User.objects.filter(email=invitation.email).exists()


def test_existing_account_logs_in_then_accepts(client, other_chef):
    invitation = InvitationFactory(
        email=other_chef.email, organisation=organisation("0880"), role=Role.EDITOR
    )
    url = reverse("invitation_accept", args=[invitation.token])
    page = client.get(url)
    assert "Logga in och tacka ja" in page.content.decode()
    client.post(reverse("login") + f"?next={url}", {"username": other_chef.email, "password": PASSWORD})
    assert client.post(url).status_code == 302
    assert set(Membership.objects.filter(user=other_chef).values_list("organisation__code", flat=True)) == {
        "1780",
        "0880",
    }


def test_logged_in_as_someone_else_is_told_and_nothing_changes(client, chef):
    invitation = InvitationFactory()
    client.force_login(chef)
    response = client.post(reverse("invitation_accept", args=[invitation.token]))
    assert response.status_code == 403
    assert "inloggad med ett annat konto" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_accept_is_single_use_even_when_called_twice(client):
    from portal import services

    invitation = InvitationFactory()
    first = UserFactory(email=invitation.email)
    services.accept(invitation=invitation, user=first)
    with pytest.raises(services.InvitationUnavailable):
        services.accept(invitation=invitation, user=first)
    assert Membership.objects.filter(user=first).count() == 1


def test_chef_removes_an_editor_but_not_themselves(client, chef, editor):
    client.force_login(chef)
    own = Membership.objects.get(user=chef)
    assert client.post(reverse("membership_remove", args=["0880", own.pk])).status_code == 404
    theirs = Membership.objects.get(user=editor)
    assert client.post(reverse("membership_remove", args=["0880", theirs.pk])).status_code == 302
    assert not Membership.objects.filter(user=editor).exists()
    assert User.objects.filter(pk=editor.pk).exists()


def test_chef_cannot_remove_another_chef(client, chef):
    second_chef = member(Role.CHEF, "0880")
    client.force_login(chef)
    membership = Membership.objects.get(user=second_chef)
    assert client.post(reverse("membership_remove", args=["0880", membership.pk])).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_membership_of_other_organisation_via_url_is_404(client, chef, other_chef):
    client.force_login(chef)
    membership = Membership.objects.get(user=other_chef)
    assert client.post(reverse("membership_remove", args=["0880", membership.pk])).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_get_on_post_only_views_is_405(client, chef):
    invitation = InvitationFactory()
    client.force_login(chef)
    assert client.get(reverse("invitation_revoke", args=["0880", invitation.pk])).status_code == 405


# --- the services refuse on their own (views and imports both call them) ------------------


def test_invite_refuses_a_role_the_inviter_may_not_give(chef, other_chef):
    kalmar = organisation("0880")
    with pytest.raises(PermissionDenied):
        services.invite(inviter=chef, organisation=kalmar, email="ny.chef@kalmar.example.se", role=Role.CHEF)
    with pytest.raises(PermissionDenied):
        services.invite(
            inviter=other_chef, organisation=kalmar, email="ny@kalmar.example.se", role=Role.EDITOR
        )
    assert not Invitation.objects.exists() and not mail.outbox


def test_resend_and_revoke_refuse_an_invitation_the_person_may_not_give(chef, consultant):
    invitation = InvitationFactory(role=Role.CHEF, invited_by=consultant)  # to Kalmar municipality
    with pytest.raises(PermissionDenied):
        services.resend(inviter=chef, invitation=invitation)
    with pytest.raises(PermissionDenied):
        services.revoke(by=chef, invitation=invitation)
    assert list(Invitation.objects.all()) == [invitation]
    invitation.refresh_from_db()
    assert invitation.is_pending and not mail.outbox


def test_accepting_without_an_account_is_refused_when_the_address_has_one(db):
    invitation = InvitationFactory()
    UserFactory(email=invitation.email.upper())  # created meanwhile, say in another tab
    with pytest.raises(services.InvitationUnavailable):
        services.accept(invitation=invitation, first_name="Ny", last_name="Person", password=NEW_PASSWORD)
    assert User.objects.filter(email__iexact=invitation.email).count() == 1
    invitation.refresh_from_db()
    assert (
        invitation.is_pending and not Membership.objects.filter(organisation=invitation.organisation).exists()
    )


def test_accepting_for_an_account_with_another_address_is_refused(other_chef):
    invitation = InvitationFactory()
    with pytest.raises(services.InvitationUnavailable):
        services.accept(invitation=invitation, user=other_chef)
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert list(Membership.objects.filter(user=other_chef).values_list("organisation__code", flat=True)) == [
        "1780"
    ]


def test_a_consultant_cannot_remove_their_own_role(client, consultant):
    """Consultants give the consultant role in their region, but not take their own."""
    own = Membership.objects.get(user=consultant)
    with pytest.raises(PermissionDenied):
        services.remove_membership(by=consultant, membership=own)
    client.force_login(consultant)
    assert client.post(reverse("membership_remove", args=["08", own.pk])).status_code == 404
    assert Membership.objects.filter(pk=own.pk).exists()
