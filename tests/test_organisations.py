import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.urls import reverse

from portal.models import Organisation, Role
from portal.organisations import load_organisations
from portal.rules import can
from tests.factories import member, organisation

pytestmark = pytest.mark.django_db


def test_register_has_kb_21_regions_and_290_municipalities():
    assert Organisation.objects.filter(kind="national").count() == 1
    assert Organisation.objects.filter(kind="region").count() == 21
    assert Organisation.objects.filter(kind="municipality").count() == 290


def test_every_municipality_belongs_to_the_region_of_its_code():
    for municipality in Organisation.objects.filter(kind="municipality").select_related("parent"):
        assert municipality.parent.code == municipality.code[:2]


def test_gotland_is_both_region_and_municipality():
    assert organisation("09").kind == "region"
    gotland = organisation("0980")
    assert gotland.kind == "municipality" and gotland.name == "Gotland" and gotland.parent.code == "09"


def test_known_codes_and_names():
    assert organisation("0880").name == "Kalmar"
    assert organisation("08").name == "Region Kalmar län"
    assert organisation("08").county_name == "Kalmar län"
    assert organisation("1480").name == "Göteborg"
    assert organisation("2584").name == "Kiruna"


def test_loading_twice_changes_nothing():
    before = list(Organisation.objects.values_list("pk", "code", "name", "parent_id").order_by("pk"))
    assert load_organisations() == {"created": 0, "updated": 0}
    call_command("load_organisations", stdout=open("/dev/null", "w"))
    after = list(Organisation.objects.values_list("pk", "code", "name", "parent_id").order_by("pk"))
    assert before == after


def test_loading_repairs_a_changed_name():
    Organisation.objects.filter(code="0880").update(name="Fel namn")
    assert load_organisations() == {"created": 0, "updated": 1}
    assert organisation("0880").name == "Kalmar"


def test_region_page_lists_its_municipalities_with_codes(client, chef):
    client.force_login(chef)
    response = client.get(reverse("organisation_detail", args=["08"]))
    html = response.content.decode()
    assert response.status_code == 200
    for code, name in [("0880", "Kalmar"), ("0881", "Nybro"), ("0883", "Västervik"), ("0861", "Mönsterås")]:
        assert f"<td>{code}</td>" in html and name in html
    assert "12 kommuner" in html


def test_municipality_page_lists_people_and_roles(client, chef, editor, consultant):
    client.force_login(consultant)
    html = client.get(reverse("organisation_detail", args=["0880"])).content.decode()
    assert "Anna Lindqvist" in html and "Erik Sandberg" in html
    assert "Bibliotekschef" in html and "Redaktör" in html


def test_region_page_hides_people_columns_from_municipal_staff(client, chef, consultant):
    client.force_login(chef)
    html = client.get(reverse("organisation_detail", args=["08"])).content.decode()
    assert "Personer i portalen" not in html
    # but they see who their region's consultants are
    assert "Maria Holm" in html


# persona -> the organisations whose people they see (of Kalmar, Nybro and Region Kalmar län in
# region 08, Karlstad and Region Värmland in 17, and KB). A region's people are seen by everyone
# in its municipalities; a municipality's only by its own people and the region's consultants.
SEES_PEOPLE_OF = {
    "anonymous": set(),
    "chef": {"0880", "08"},
    "editor": {"0880", "08"},
    "consultant": {"0880", "0881", "08"},
    "other_chef": {"1780", "17"},
    "other_consultant": {"1780", "17"},
    "kb": {"0880", "0881", "08", "1780", "17", "KB"},
    "admin": {"0880", "0881", "08", "1780", "17", "KB"},
    "no_role": set(),
}


@pytest.mark.parametrize("name", SEES_PEOPLE_OF)
def test_who_sees_the_people_of_which_organisation(persona, name):
    user = persona(name) or AnonymousUser()
    seen = {
        code
        for code in ("0880", "0881", "08", "1780", "17", "KB")
        if can(user, "portal.view_people", organisation(code))
    }
    assert seen == SEES_PEOPLE_OF[name]


def test_a_region_page_shows_its_people_to_the_region_only(client, chef, consultant, other_chef):
    """Kalmar's chef sees Region Kalmar län's consultant; Karlstad's chef, in Värmland, does not."""
    url = reverse("organisation_detail", args=["08"])
    client.force_login(chef)
    assert "maria@region08.example.se" in client.get(url).content.decode()
    client.force_login(other_chef)
    page = client.get(url)
    assert page.status_code == 200  # the directory of regions is open to everyone logged in
    assert (
        "Maria Holm" not in page.content.decode() and "maria@region08.example.se" not in page.content.decode()
    )


def _populate(region_code: str) -> None:
    for municipality in Organisation.objects.filter(parent__code=region_code):
        member(Role.CHEF, municipality.code)
        member(Role.EDITOR, municipality.code)


def test_region_page_queries_do_not_grow_with_municipalities(client, kb, count_queries):
    """Gotland has 1 municipality, Västra Götaland 49: the same number of queries."""
    client.force_login(kb)
    _populate("09")
    _populate("14")
    small = count_queries(client, reverse("organisation_detail", args=["09"]))
    large = count_queries(client, reverse("organisation_detail", args=["14"]))
    assert small == large
    assert large <= 9  # session, user, grants, region, municipalities, people, invitations, key figures


def test_organisation_list_queries_are_constant(client, kb, count_queries):
    client.force_login(kb)
    first = count_queries(client, reverse("organisation_list"))
    _populate("14")
    assert count_queries(client, reverse("organisation_list")) == first <= 6


@pytest.mark.parametrize("role_code", ["09", "14"])
def test_consultant_dashboard_queries_do_not_grow(client, count_queries, role_code):
    _populate("09")
    _populate("14")
    small_consultant = member(Role.CONSULTANT, "09")
    large_consultant = member(Role.CONSULTANT, "14")
    client.force_login(small_consultant)
    small = count_queries(client, reverse("dashboard"))
    client.force_login(large_consultant)
    large = count_queries(client, reverse("dashboard"))
    assert small == large
    assert large <= 14


def test_dashboard_queries_do_not_grow_with_memberships(client, count_queries):
    """A chef of one municipality, and a person who is chef of three, editor in a fourth and
    consultant of two regions (joint library boards, people with two jobs): the same number of
    queries for the sections, whatever the number of organisations."""
    from portal.services import invite
    from tests.factories import MembershipFactory

    _populate("08")
    _populate("14")
    single = member(Role.CHEF, "0880")
    many = member(Role.CHEF, "0881")
    for code, role in [
        ("0882", Role.CHEF),
        ("1480", Role.CHEF),
        ("0980", Role.EDITOR),
        ("08", Role.CONSULTANT),
        ("14", Role.CONSULTANT),
    ]:
        MembershipFactory(user=many, organisation=organisation(code), role=role)
    for code in ("08", "14"):
        invite(inviter=many, organisation=organisation(code), email="ny@example.se", role=Role.CONSULTANT)
    invite(inviter=many, organisation=organisation("0882"), email="redaktor@example.se", role=Role.EDITOR)
    client.force_login(single)
    one = count_queries(client, reverse("dashboard"))
    client.force_login(many)
    response = client.get(reverse("dashboard"))
    html = response.content.decode()
    assert "Mönsterås" in html and "Västra Götalandsregionen" in html and "Borgholm" in html
    # Pending invitations: Oskarshamn (0882) 1; Kalmar län 2 (its own and Oskarshamn's); VG 1.
    assert html.count("1 inbjudan väntar på svar.") == 2 and html.count("2 inbjudningar väntar på svar.") == 1
    several = count_queries(client, reverse("dashboard"))
    # The person with six organisations also gets the region sections (a fixed 4 queries more).
    assert several <= one + 4, (one, several)
    assert one <= 10


def test_kb_dashboard_queries_do_not_grow(client, kb, count_queries):
    client.force_login(kb)
    before = count_queries(client, reverse("dashboard"))
    _populate("08")
    _populate("14")
    assert count_queries(client, reverse("dashboard")) == before <= 8


def test_chef_dashboard_shows_municipality_people_and_consultants(client, chef, editor, consultant):
    client.force_login(chef)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Kalmar" in html and "Erik Sandberg" in html and "Maria Holm" in html
    assert "Sveriges regioner" not in html


def test_kb_dashboard_shows_the_whole_country(client, kb):
    client.force_login(kb)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Sveriges regioner" in html
    assert "Region Norrbotten" in html and "Region Gotland" in html
    assert "290" in html


def test_consultant_dashboard_shows_region_municipalities(client, consultant, chef):
    client.force_login(consultant)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Region Kalmar län" in html and "Mönsterås" in html and "Anna Lindqvist" in html
    assert "Ingen chef ännu" in html


def test_malformed_organisation_code_is_404(client, kb):
    client.force_login(kb)
    for code in ["9999", "99", "abc", "kb", "08%00", "0880%00", "x" * 300, "0880'--", "%F0%9F%93%9A"]:
        assert client.get(f"/organisationer/{code}/").status_code == 404
