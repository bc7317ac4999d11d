"""Networks: create, join, request and approve, leave, manage members, documents, lists."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from network import services
from network.models import Network, NetworkDocument, NetworkMember
from portal.models import FocusArea
from tests.factories import UserFactory, organisation
from tests.factories_calendar import PDF_BYTES, EventFactory, NetworkFactory, add_member

pytestmark = pytest.mark.django_db


def test_consultant_creates_a_network_shared_with_other_regions(client, consultant, editor):
    client.force_login(consultant)
    response = client.post(
        reverse("network:create"),
        {
            "name": "Sydöstra samverkan",
            "purpose": "Kalmar, Blekinge och Kronoberg arbetar tillsammans med fortbildning.",
            "regions": [organisation("08").pk, organisation("10").pk, organisation("07").pk],
            "focus_areas": [FocusArea.objects.get(slug="fordjupad-samverkan-mellan-bibliotek").pk],
            "open_to_join": "on",
            "visibility": "public",
            "status": "active",
            "coordinators": editor.email.upper(),
        },
    )
    network = Network.objects.get()
    assert response["Location"] == network.get_absolute_url() == "/natverk/sydostra-samverkan/"
    assert {r.code for r in network.regions.all()} == {"07", "08", "10"}
    roles = {m.user: m.role for m in network.members.all()}
    assert roles == {consultant: "coordinator", editor: "coordinator"}
    page = client.get(network.get_absolute_url()).content.decode()
    assert "Kalmar, Blekinge och Kronoberg" in page and "Maria Holm" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"regions": ["R17"]}, "Välj minst en av dina egna regioner."),
        ({"coordinators": "okand@example.se"}, "Inget konto har adressen okand@example.se."),
        ({"name": ""}, "Detta fält måste fyllas i."),
    ],
    ids=["not_own_region", "unknown_coordinator", "no_name"],
)
def test_bad_network_input(client, consultant, overrides, message):
    client.force_login(consultant)
    data = {
        "name": "Nytt nätverk",
        "purpose": "Syfte",
        "regions": [organisation("08").pk],
        "visibility": "public",
        "status": "active",
        **overrides,
    }
    if data["regions"] == ["R17"]:
        data["regions"] = [organisation("17").pk]
    response = client.post(reverse("network:create"), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Network.objects.exists()


def test_open_network_join_and_leave(client, chef):
    network = NetworkFactory()
    add_member(network, UserFactory(), role="coordinator")
    client.force_login(chef)
    client.post(reverse("network:join", args=[network.slug]))
    member = NetworkMember.objects.get(network=network, user=chef)
    assert member.status == "approved" and member.organisation.code == "0880"
    response = client.post(reverse("network:join", args=[network.slug]), follow=True)
    assert "Du är redan med i nätverket" in response.content.decode()
    client.post(reverse("network:leave", args=[network.slug]))
    assert not NetworkMember.objects.filter(user=chef).exists()


def test_request_to_join_is_approved_by_a_coordinator(client, chef):
    network = NetworkFactory(open_to_join=False)
    coordinator = UserFactory(first_name="Sara", last_name="Samordnare")
    add_member(network, coordinator, role="coordinator")
    client.force_login(chef)
    client.post(reverse("network:join", args=[network.slug]))
    member = NetworkMember.objects.get(user=chef)
    assert member.status == "pending"
    page = client.get(network.get_absolute_url()).content.decode()
    assert "Du har ansökt om att gå med." in page and "Medlemmar ser vilka fler" in page
    client.force_login(coordinator)
    page = client.get(reverse("network:members", args=[network.slug])).content.decode()
    assert "Har ansökt" in page and chef.get_full_name() in page
    client.post(reverse("network:member_change", args=[network.slug, member.pk]), {"action": "approve"})
    member.refresh_from_db()
    assert member.status == "approved"
    client.force_login(chef)
    assert chef.get_full_name() in client.get(network.get_absolute_url()).content.decode()


def test_last_coordinator_cannot_leave_or_be_demoted(client):
    network = NetworkFactory()
    coordinator = UserFactory()
    member = add_member(network, coordinator, role="coordinator")
    client.force_login(coordinator)
    response = client.post(reverse("network:leave", args=[network.slug]), follow=True)
    assert "Du är nätverkets enda samordnare." in response.content.decode()
    response = client.post(
        reverse("network:member_change", args=[network.slug, member.pk]),
        {"action": "make_member"},
        follow=True,
    )
    assert "Ett nätverk behöver minst en samordnare." in response.content.decode()
    assert NetworkMember.objects.get(pk=member.pk).role == "coordinator"


def test_of_two_coordinators_leaving_the_second_is_refused(client):
    network = NetworkFactory()
    first, second = UserFactory(), UserFactory()
    add_member(network, first, role="coordinator")
    add_member(network, second, role="coordinator")
    client.force_login(first)
    client.post(reverse("network:leave", args=[network.slug]))
    client.force_login(second)
    response = client.post(reverse("network:leave", args=[network.slug]), follow=True)
    assert (
        "Du är nätverkets enda samordnare. Gör någon annan till samordnare först."
        in response.content.decode()
    )
    assert list(network.members.values_list("user", "role")) == [(second.pk, "coordinator")]


def test_a_member_made_coordinator_since_the_page_was_shown_is_not_removed_as_the_last_one():
    """The members page showed Bo as a plain member; since then he became the only coordinator."""
    network = NetworkFactory()
    anna = add_member(network, UserFactory(), role="coordinator")
    bo = add_member(network, UserFactory())
    bo_as_shown = NetworkMember.objects.select_related("user").get(pk=bo.pk)
    services.change_member(network, bo, "make_coordinator")
    services.change_member(network, anna, "make_member")
    with pytest.raises(services.NetworkError, match="Ett nätverk behöver minst en samordnare."):
        services.change_member(network, bo_as_shown, "remove")
    assert NetworkMember.objects.get(pk=bo.pk).role == "coordinator"
    NetworkMember.objects.filter(pk=anna.pk).delete()
    with pytest.raises(services.NetworkError, match="är inte längre med i nätverket"):
        services.change_member(network, anna, "make_coordinator")


def _change(client, network, member, action):
    url = reverse("network:member_change", args=[network.slug, member.pk])
    return client.post(url, {"action": action}, follow=True).content.decode()


@pytest.mark.parametrize("action", ["remove", "decline"])
def test_the_last_coordinator_cannot_be_removed(client, action):
    network = NetworkFactory()
    coordinator = UserFactory()
    member = add_member(network, coordinator, role=NetworkMember.Role.COORDINATOR)
    client.force_login(coordinator)
    assert "Ett nätverk behöver minst en samordnare." in _change(client, network, member, action)
    assert NetworkMember.objects.filter(pk=member.pk).exists()
    second = add_member(network, UserFactory(), role=NetworkMember.Role.COORDINATOR)
    _change(client, network, second, action)
    assert not NetworkMember.objects.filter(pk=second.pk).exists()


def test_a_coordinator_who_only_asked_to_join_does_not_count(client):
    network = NetworkFactory()
    coordinator = UserFactory()
    member = add_member(network, coordinator, role=NetworkMember.Role.COORDINATOR)
    add_member(
        network, UserFactory(), role=NetworkMember.Role.COORDINATOR, status=NetworkMember.Status.PENDING
    )
    client.force_login(coordinator)
    assert "Ett nätverk behöver minst en samordnare." in _change(client, network, member, "make_member")
    assert NetworkMember.objects.get(pk=member.pk).role == NetworkMember.Role.COORDINATOR


def test_making_a_pending_member_coordinator_approves_them(client):
    network = NetworkFactory(open_to_join=False)
    coordinator = UserFactory()
    add_member(network, coordinator, role=NetworkMember.Role.COORDINATOR)
    asking = add_member(network, UserFactory(), status=NetworkMember.Status.PENDING)
    client.force_login(coordinator)
    _change(client, network, asking, "make_coordinator")
    asking.refresh_from_db()
    assert (asking.role, asking.status) == (NetworkMember.Role.COORDINATOR, NetworkMember.Status.APPROVED)


def test_an_unknown_member_action_changes_nothing(client):
    network = NetworkFactory()
    coordinator = UserFactory()
    add_member(network, coordinator, role=NetworkMember.Role.COORDINATOR)
    member = add_member(network, UserFactory())
    client.force_login(coordinator)
    assert "Okänd åtgärd." in _change(client, network, member, "make_owner")
    member.refresh_from_db()
    assert (member.role, member.status) == (NetworkMember.Role.MEMBER, NetworkMember.Status.APPROVED)


def test_the_join_service_refuses_a_closed_network(chef):
    network = NetworkFactory(status=Network.Status.CLOSED)
    with pytest.raises(services.NetworkError):
        services.join(network, chef)
    assert not NetworkMember.objects.exists()


def test_closed_network_takes_no_new_members(client, chef):
    network = NetworkFactory(status="closed")
    client.force_login(chef)
    response = client.post(reverse("network:join", args=[network.slug]), follow=True)
    assert "Nätverket är avslutat" in response.content.decode()
    assert not NetworkMember.objects.exists()


def test_members_list_is_shown_to_members_only(client, chef, editor):
    network = NetworkFactory()
    add_member(network, editor)
    page = client.get(network.get_absolute_url()).content.decode()
    assert editor.get_full_name() not in page
    client.force_login(chef)
    assert editor.get_full_name() not in client.get(network.get_absolute_url()).content.decode()
    client.force_login(editor)
    assert editor.get_full_name() in client.get(network.get_absolute_url()).content.decode()


def test_coordinator_uploads_checked_documents(client):
    network = NetworkFactory()
    coordinator = UserFactory()
    add_member(network, coordinator, role="coordinator")
    client.force_login(coordinator)
    url = reverse("network:document_upload", args=[network.slug])
    fake = SimpleUploadedFile("protokoll.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {"title": "Protokoll", "file": fake})
    assert response.status_code == 422
    assert "Filen är inte ett PDF" in response.content.decode()
    assert not NetworkDocument.objects.exists()
    good = SimpleUploadedFile("x.bin", PDF_BYTES, content_type="application/octet-stream")
    response = client.post(url, {"title": "Protokoll 12 mars", "file": good})
    assert response.status_code == 302
    document = NetworkDocument.objects.get()
    assert document.file_kind == "pdf" and document.uploaded_by == coordinator
    download = client.get(reverse("network:document_download", args=[network.slug, document.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF_BYTES
    client.post(reverse("network:document_delete", args=[network.slug, document.pk]))
    assert not NetworkDocument.objects.exists()


def test_network_page_shows_upcoming_and_past_meetings(client):
    from datetime import timedelta

    from django.utils import timezone

    network = NetworkFactory()
    EventFactory(title="Vårträff", network=network, kind="network_meeting")
    EventFactory(
        title="Höstträff",
        network=network,
        starts_at=timezone.now() - timedelta(days=60),
        ends_at=timezone.now() - timedelta(days=60) + timedelta(hours=3),
    )
    EventFactory(title="Utkastträff", network=network, status="draft")
    page = client.get(network.get_absolute_url()).content.decode()
    upcoming, past = page.split("Tidigare träffar")
    assert "Vårträff" in upcoming and "Höstträff" in past
    assert "Utkastträff" not in page


def test_network_list_filters(client):
    kalmar = NetworkFactory(name="Barnbibliotekarier i Kalmar län", open_to_join=True)
    kalmar.focus_areas.set(FocusArea.objects.filter(slug="barn-och-unga"))
    NetworkFactory(name="Värmlands läsfrämjare", regions=["17"], open_to_join=False)
    NetworkFactory(name="Gammalt nätverk", status="closed")
    NetworkFactory(name="Hemligt nätverk", visibility="members")
    url = reverse("network:list")

    def names(query):
        body = client.get(url + query).content.decode()
        return {
            n
            for n in (
                "Barnbibliotekarier i Kalmar län",
                "Värmlands läsfrämjare",
                "Gammalt nätverk",
                "Hemligt nätverk",
            )
            if n in body
        }

    assert names("") == {"Barnbibliotekarier i Kalmar län", "Värmlands läsfrämjare", "Gammalt nätverk"}
    assert names("?region=17") == {"Värmlands läsfrämjare"}
    assert names("?focus_area=barn-och-unga") == {"Barnbibliotekarier i Kalmar län"}
    assert names("?join=request") == {"Värmlands läsfrämjare"}
    assert names("?status=closed") == {"Gammalt nätverk"}
    fragment = client.get(url + "?region=08", headers={"HX-Request": "true"})
    assert b"<html" not in fragment.content and b'id="results"' in fragment.content


@pytest.mark.parametrize("bad", [str(10**23), "²"])
def test_an_id_the_database_cannot_hold_is_refused_with_a_message(client, consultant, bad):
    """Django checks each chosen id alone, then looks them up together (an IN query): 10**23
    used to reach the database driver, which cannot send it (a 500)."""
    client.force_login(consultant)
    data = {"name": "Nytt nätverk", "purpose": "Syfte", "visibility": "public", "status": "active"}
    response = client.post(reverse("network:create"), {**data, "regions": [bad], "focus_areas": [bad]})
    assert response.status_code == 422
    assert "är inte ett giltigt värde" in response.content.decode()
    assert not Network.objects.exists()
