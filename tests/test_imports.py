"""Imports from CSV and XLSX: preview (dry run) first, Swedish row errors, all-or-nothing."""

import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from calendar_app.models import Event
from portal.imports import services
from portal.imports.base import ImportFileError, read_rows, to_dataset
from portal.imports.registry import BY_KIND
from portal.models import ImportBatch, IndicatorDefinition, Invitation, Organisation, StatisticValue
from tests.factories import organisation
from tests.factories_calendar import EventFactory

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
INDICATOR = "Fysiska besök per invånare"


def csv_bytes(text: str, encoding="utf-8-sig") -> bytes:
    return text.encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, kind: str, content: bytes, name="data.csv"):
    return client.post(
        reverse("imports:upload", args=[kind]), {"file": SimpleUploadedFile(name, content)}, follow=False
    )


# --- reading files ----------------------------------------------------------------------


def test_csv_with_semicolons_bom_and_windows_encoding_are_read():
    columns = BY_KIND["statistik"].columns
    utf8 = csv_bytes(f"Organisationskod;År;Nyckeltal;Värde\n0880;2025;{INDICATOR};4,2\n")
    cp1252 = f'Kommunkod,År,Nyckeltal,Värde\n880,2025,{INDICATOR},"4,2"\n'.encode("cp1252")
    for content in (utf8, cp1252):
        data = to_dataset(read_rows(content), columns)
        assert data.headers == ["_line", "code", "year", "indicator", "value", "_extra"]
        assert list(data[0]) == [2, "0880" if content is utf8 else "880", "2025", INDICATOR, "4,2", ""]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Filen är tom."),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "gammal Excel-fil"),
        (b"\x00\x01\x02garbage" * 1000, "varken en CSV-fil eller en Excel-fil"),
        (b"PK\x03\x04" + b"garbage" * 1000, "kunde inte läsas som en Excel-fil"),
        (b"Kommunkod;Antal\n0880;3\n", "Kolumner som saknas: År, Nyckeltal, Värde. Okända kolumner: Antal."),
        (b"Organisationskod;\xc3\x85r;Nyckeltal;V\xc3\xa4rde\n", "har en rubrikrad men inga rader"),
        (b"Kod;Kod;\xc3\x85r;Nyckeltal;V\xc3\xa4rde\n1;2;3;4;5\n", "finns två gånger"),
    ],
)
def test_unreadable_files_get_a_clear_swedish_message(content, message):
    with pytest.raises(ImportFileError) as error:
        to_dataset(read_rows(content), BY_KIND["statistik"].columns)
    assert message in error.value.message


def test_a_ten_megabyte_file_of_garbage_is_refused_before_reading(client, kb):
    client.force_login(kb)
    response = upload(client, "statistik", b"\x8f garbage;" * (1024 * 1024))
    assert response.status_code == 422
    assert "Filen är för stor (10,0 MB). En importfil får vara högst 5 MB." in response.text
    assert not ImportBatch.objects.exists()


def test_garbage_under_the_size_limit_is_refused_with_the_column_message(client, kb):
    client.force_login(kb)
    response = upload(client, "statistik", b"\x8f;garbage" * 300_000)
    assert response.status_code == 422
    assert "Kolumner som saknas" in response.text
    assert not ImportBatch.objects.exists()


def test_a_csv_header_of_200000_columns_is_capped_and_summarised(client, kb):
    """Only the first 100 columns are read, as for XLSX, and the message names ten unknown
    headings and counts the rest (it used to list all 200,000: a 4 MB error page)."""
    width = 200_000
    content = (";".join(f"kolumn{i}" for i in range(width)) + "\n" + "1;" * width + "\n").encode()
    rows = read_rows(content)
    assert {len(row) for row in rows} == {100}
    client.force_login(kb)
    response = upload(client, "statistik", content)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Okända kolumner: kolumn0, kolumn1, kolumn2" in page
    assert "kolumn9 och 90 till." in page and "kolumn10," not in page
    assert len(page) < 50_000
    assert not ImportBatch.objects.exists()


def test_a_very_long_unknown_heading_is_cut_short_in_the_message():
    content = ("Organisationskod;År;Nyckeltal;Värde;" + "x" * 100_000 + "\n0880;2024;a;1;b\n").encode()
    with pytest.raises(ImportFileError) as error:
        to_dataset(read_rows(content), BY_KIND["statistik"].columns)
    assert "Okända kolumner: " + "x" * 59 + "…." in error.value.message


# --- key figures --------------------------------------------------------------------------


def test_statistics_preview_then_confirm(client, kb):
    indicator = IndicatorDefinition.objects.get(name=INDICATOR)
    StatisticValue.objects.create(
        organisation=organisation("0880"), indicator=indicator, year=2024, value=Decimal("3.9")
    )
    content = xlsx_bytes(
        [
            ["Organisationskod", "År", "Nyckeltal", "Värde", "Källa"],
            [880, 2024, INDICATOR.upper(), 4.2, "KB"],  # Excel dropped the leading zero
            ["0881", 2024, INDICATOR, "1 234,5", ""],
            [None, None, None, None, None],  # blank rows are ignored
            ["08", 2024, INDICATOR, "3", ""],
        ]
    )
    client.force_login(kb)
    response = upload(client, "statistik", content, "statistik.xlsx")
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("imports:preview", args=[batch.pk])
    # Nothing written by the preview.
    assert StatisticValue.objects.count() == 1
    assert batch.totals == {"new": 2, "update": 1, "skip": 0}
    page = client.get(response.url)
    assert "3,9 → 4,2" in page.text
    assert "Nybro, Fysiska besök per invånare 2024: 1\xa0234,5" in page.text
    assert "Importera 3 rader" in page.text

    response = client.post(reverse("imports:confirm", args=[batch.pk]))
    assert response.status_code == 302
    values = {
        (v.organisation.code, v.year): v.value for v in StatisticValue.objects.select_related("organisation")
    }
    assert values == {
        ("0880", 2024): Decimal("4.20"),
        ("0881", 2024): Decimal("1234.50"),
        ("08", 2024): Decimal("3"),
    }
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED and batch.content == b""
    assert StatisticValue.objects.get(organisation__code="0880").updated_by == kb

    # A second confirmation (a double click) imports nothing more.
    response = client.post(reverse("imports:confirm", args=[batch.pk]), follow=True)
    assert "redan importerats" in response.text


def test_statistics_row_errors_are_listed_with_row_numbers_and_nothing_is_written(client, consultant):
    content = csv_bytes(
        "Organisationskod;År;Nyckeltal;Värde\n"
        f"0880;2025;{INDICATOR};4,2\n"  # fine: Kalmar is in the consultant's region
        f"9999;2025;{INDICATOR};1\n"  # unknown code
        f"1780;2025;{INDICATOR};1\n"  # Karlstad: another region
        "0880;2025;Antal drakar;1\n"  # unknown indicator
        f"0880;2025;{INDICATOR};många\n"  # not a number
        f"0880;2025;{INDICATOR};4,3\n"  # repeats row 2
        f"0880;3025;{INDICATOR};1\n"  # a year in the future
    )
    client.force_login(consultant)
    response = upload(client, "statistik", content)
    page = client.get(response.url)
    errors = ImportBatch.objects.get().preview["errors"]
    assert [e["line"] for e in errors] == [3, 4, 5, 6, 7, 8]
    assert "Organisationskod: Okänd organisationskod ”9999”." in page.text
    assert "Du får inte registrera nyckeltal för Karlstad." in page.text
    assert "Okänt nyckeltal ”Antal drakar”" in page.text
    assert "Värde: Fyll i ett tal." in page.text
    assert "Raden upprepar rad 2 i filen." in page.text
    assert "Rad 8" in page.text
    assert "6 rader har fel" in page.text
    assert "Importera" not in page.text.split("Ladda upp en rättad fil")[0].split("rader har fel")[-1]
    # Confirming anyway (a forged request) writes nothing.
    response = client.post(reverse("imports:confirm", args=[ImportBatch.objects.get().pk]))
    assert response.status_code == 422
    assert not StatisticValue.objects.exists()


def test_the_confirmed_import_rechecks_rows_and_writes_nothing_if_one_fails_now(kb):
    importer = BY_KIND["statistik"]
    content = csv_bytes(
        f"Organisationskod;År;Nyckeltal;Värde\n0880;2025;{INDICATOR};4\n0881;2025;{INDICATOR};5\n"
    )
    batch = services.preview(importer, kb, "a.csv", content)
    assert batch.preview["errors"] == []
    # Between preview and confirmation the indicator is retired from the catalogue.
    IndicatorDefinition.objects.filter(name=INDICATOR).update(is_active=False)
    assert services.confirm(importer, batch, kb) == services.HAS_ERRORS
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert [e["line"] for e in batch.preview["errors"]] == [2, 3]
    assert not StatisticValue.objects.exists()


def test_unchanged_values_are_reported_as_unchanged(kb):
    indicator = IndicatorDefinition.objects.get(name=INDICATOR)
    StatisticValue.objects.create(
        organisation=organisation("0880"), indicator=indicator, year=2024, value=Decimal("4.2")
    )
    batch = services.preview(
        BY_KIND["statistik"], kb, "a.csv", csv_bytes(f"Kod;År;Nyckeltal;Värde\n0880;2024;{INDICATOR};4,20\n")
    )
    assert batch.totals == {"new": 0, "update": 0, "skip": 1}


# --- people -------------------------------------------------------------------------------


def test_people_import_invites_after_confirmation_only(
    client, consultant, django_capture_on_commit_callbacks
):
    content = csv_bytes(
        "E-postadress;Förnamn;Efternamn;Organisationskod;Roll\n"
        "karin.ek@kalmar.example.se;Karin;Ek;0880;Bibliotekschef\n"
        "ola.berg@nybro.example.se;Ola;Berg;881;redaktör\n"
    )
    client.force_login(consultant)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "personer", content)
    batch = ImportBatch.objects.get()
    assert batch.preview["errors"] == [], batch.preview
    assert not Invitation.objects.exists() and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[batch.pk]))
    invitations = {
        (i.email, i.organisation.code, i.role) for i in Invitation.objects.select_related("organisation")
    }
    assert invitations == {
        ("karin.ek@kalmar.example.se", "0880", "chef"),
        ("ola.berg@nybro.example.se", "0881", "editor"),
    }
    assert sorted(m.to[0] for m in mail.outbox) == ["karin.ek@kalmar.example.se", "ola.berg@nybro.example.se"]
    assert response.status_code == 302


def test_people_import_checks_who_may_invite_whom(chef, editor):
    content = csv_bytes(
        "E-postadress;Organisationskod;Roll\n"
        "ny@kalmar.example.se;0880;Redaktör\n"  # a chef may invite editors to their own municipality
        "chef2@kalmar.example.se;0880;Bibliotekschef\n"  # ... but not chefs
        "ny@karlstad.example.se;1780;Redaktör\n"  # ... nor anyone elsewhere
        f"{editor.email};0880;Redaktör\n"  # already a member
        "NY@kalmar.example.se;0880;Redaktör\n"  # the same person twice
        "inte-en-adress;0880;Redaktör\n"
        "x@kalmar.example.se;0880;Drake\n"
    )
    batch = services.preview(BY_KIND["personer"], chef, "p.csv", content)
    messages = {e["line"]: " ".join(e["messages"]) for e in batch.preview["errors"]}
    assert set(messages) == {3, 4, 5, 6, 7, 8}
    assert "Du får inte bjuda in någon som bibliotekschef till Kalmar." in messages[3]
    assert "Du får inte bjuda in någon som redaktör till Karlstad." in messages[4]
    assert "redan en roll i Kalmar" in messages[5]
    assert "upprepar rad 2" in messages[6]
    assert "E-postadress:" in messages[7]
    assert "”Drake” är inte något av:" in messages[8]


def test_people_import_refuses_addresses_without_a_real_domain(chef):
    content = csv_bytes(
        "E-postadress;Organisationskod;Roll\n"
        "ny@kalmar.example.se;0880;Redaktör\n"
        "ny@localhost;0880;Redaktör\n"
        "ny@[127.0.0.1];0880;Redaktör\n"
    )
    batch = services.preview(BY_KIND["personer"], chef, "p.csv", content)
    messages = {e["line"]: " ".join(e["messages"]) for e in batch.preview["errors"]}
    assert set(messages) == {3, 4}
    assert all("Ange en e-postadress med en riktig domän" in m for m in messages.values())


# --- events -------------------------------------------------------------------------------


EVENT_HEADER = "Titel;Typ;Arrangörskod;Start;Slut;Plats;Antal platser;Fokusområden\n"


def test_events_are_imported_as_drafts(client, consultant):
    content = csv_bytes(
        EVENT_HEADER
        + "Språkstart – utbildningsdag;Utbildning;08;2027-03-04 09:00;2027-03-04 15:30;Kalmar;40;\n"
        + "Digitalt lärande;webbinarium;08;2027-04-01 10:00;2027-04-01 11:00;Online;100;\n"
    )
    client.force_login(consultant)
    upload(client, "evenemang", content)
    batch = ImportBatch.objects.get()
    assert batch.preview["errors"] == [], batch.preview
    assert not Event.objects.exists()
    client.post(reverse("imports:confirm", args=[batch.pk]))
    events = list(Event.objects.order_by("starts_at"))
    assert [(e.title, e.kind, e.status, e.capacity, e.created_by) for e in events] == [
        ("Språkstart – utbildningsdag", "training", "draft", 40, consultant),
        ("Digitalt lärande", "webinar", "draft", 100, consultant),
    ]


def test_event_rows_are_checked_like_the_event_form(consultant):
    EventFactory(
        title="Finns redan", organiser=organisation("08"), starts_at=datetime(2027, 5, 1, 9, tzinfo=STOCKHOLM)
    )
    content = csv_bytes(
        EVENT_HEADER
        + "Kalmardag;Utbildning;08;2027-03-04 09:00;2027-03-04 08:00;Kalmar;40;\n"  # ends before start
        + "Värmlandsdag;Utbildning;17;2027-03-04 09:00;2027-03-04 15:00;Karlstad;40;\n"  # not their region
        + "Noll platser;Utbildning;08;2027-03-04 09:00;2027-03-04 15:00;Kalmar;0;\n"
        + "Finns redan;Utbildning;08;2027-05-01 09:00;2027-05-01 15:00;Kalmar;10;\n"
        + "Fel datum;Utbildning;08;4 mars;2027-03-04 15:00;Kalmar;10;\n"
        + "Okänt område;Utbildning;08;2027-03-04 09:00;2027-03-04 15:00;Kalmar;10;Drakar\n"
    )
    batch = services.preview(BY_KIND["evenemang"], consultant, "e.csv", content)
    messages = {e["line"]: " ".join(e["messages"]) for e in batch.preview["errors"]}
    assert set(messages) == {2, 3, 4, 5, 6, 7}
    assert "Evenemanget måste sluta efter att det börjar." in messages[2]
    assert "inte en organisation som du får arrangera evenemang för" in messages[3]
    assert "Antalet platser måste vara minst 1." in messages[4]
    assert "finns redan i kalendariet" in messages[5]
    assert "Start:" in messages[6]
    assert "Okänt fokusområde ”Drakar”" in messages[7]


# --- organisations ------------------------------------------------------------------------


def test_contact_details_update_only_given_cells(client, kb):
    Organisation.objects.filter(code="0880").update(phone="0480-000 00", email="gammal@kalmar.se")
    content = csv_bytes(
        "Kod;Namn;Biblioteksorganisation;E-postadress;Telefon\n"
        "0880;Kalmar;Kalmar stadsbibliotek;bibliotek@kalmar.se;\n"
        "0881;Kalmar;;;\n"  # the name does not match the code: a typo in the code?
    )
    batch = services.preview(BY_KIND["organisationer"], kb, "o.csv", content)
    assert [e["line"] for e in batch.preview["errors"]] == [3]
    assert "Kod 0881 är Nybro, inte ”Kalmar”. Kontrollera koden." in batch.preview["errors"][0]["messages"][0]
    content = content.split(b"0881")[0]
    batch = services.preview(BY_KIND["organisationer"], kb, "o.csv", content)
    assert services.confirm(BY_KIND["organisationer"], batch, kb) == services.IMPORTED
    kalmar = Organisation.objects.get(code="0880")
    assert (kalmar.library_name, kalmar.email, kalmar.phone) == (
        "Kalmar stadsbibliotek",
        "bibliotek@kalmar.se",
        "0480-000 00",  # the blank cell kept the phone number
    )


def test_contact_details_only_for_own_organisations(chef):
    content = csv_bytes("Kod;Webbplats\n0880;kalmar.se/bibliotek\n1780;karlstad.se\n")
    batch = services.preview(BY_KIND["organisationer"], chef, "o.csv", content)
    assert [e["line"] for e in batch.preview["errors"]] == [3]
    assert batch.preview["rows"][0]["text"] == "Kalmar (0880): webbplats"


# --- pages --------------------------------------------------------------------------------


def test_sample_files_have_the_columns(client, consultant):
    client.force_login(consultant)
    response = client.get(reverse("imports:template", args=["evenemang", "csv"]))
    assert response.content.startswith("\ufeffTitel;Typ;Arrangörskod".encode())
    response = client.get(reverse("imports:template", args=["evenemang", "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:3] == ["Titel", "Typ", "Arrangörskod"]
    assert client.get(reverse("imports:template", args=["evenemang", "exe"])).status_code == 404


def test_cancel_keeps_nothing(client, kb):
    client.force_login(kb)
    upload(client, "statistik", csv_bytes(f"Kod;År;Nyckeltal;Värde\n0880;2024;{INDICATOR};1\n"))
    batch = ImportBatch.objects.get()
    client.post(reverse("imports:cancel", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED and batch.content == b""
    assert client.post(reverse("imports:confirm", args=[batch.pk])).status_code == 302
    assert not StatisticValue.objects.exists()


def test_someone_elses_import_is_not_found(client, kb, consultant):
    batch = services.preview(
        BY_KIND["statistik"], kb, "a.csv", csv_bytes(f"Kod;År;Nyckeltal;Värde\n0880;2024;{INDICATOR};1\n")
    )
    client.force_login(consultant)
    assert client.get(reverse("imports:preview", args=[batch.pk])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[batch.pk])).status_code == 404


# --- where imported data shows ------------------------------------------------------------


def _figures(org, values_by_year, name=INDICATOR):
    indicator = IndicatorDefinition.objects.get(name=name)
    for year, value in values_by_year.items():
        StatisticValue.objects.create(
            organisation=org, indicator=indicator, year=year, value=Decimal(value), source="KB"
        )


def test_organisation_page_shows_contact_details_and_key_figures(client, chef):
    kalmar = organisation("0880")
    Organisation.objects.filter(pk=kalmar.pk).update(
        library_name="Kalmar stadsbibliotek", phone="0480-45 06 30"
    )
    _figures(kalmar, {2023: "4.00", 2024: "4.50", 2025: "5.40"})
    _figures(kalmar, {2025: "7.25"}, name="Utlån per invånare")
    client.force_login(chef)
    page = client.get(kalmar.get_absolute_url()).text
    assert "Kalmar stadsbibliotek" in page and "0480-45 06 30" in page
    assert "Nyckeltal 2023–2025" in page
    # 4.5 → 5.4 is +20 %: flagged as KB's statistics do.
    assert '+20,0 <span class="visually-hidden">(mer än 10 %)</span>' in page
    assert "7,25" in page


def test_organisation_page_queries_do_not_grow_with_key_figures(client, chef, django_assert_max_num_queries):
    kalmar = organisation("0880")
    client.force_login(chef)
    _figures(kalmar, {2024: "1", 2025: "2"})
    with django_assert_max_num_queries(30) as small:
        client.get(kalmar.get_absolute_url())
    for name in IndicatorDefinition.objects.exclude(name=INDICATOR).values_list("name", flat=True):
        _figures(kalmar, {2023: "1", 2024: "2", 2025: "3"}, name=name)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(kalmar.get_absolute_url())


def test_unconfirmed_previews_are_dropped_after_a_day(kb):
    from datetime import timedelta

    from django.utils import timezone

    content = csv_bytes(f"Kod;År;Nyckeltal;Värde\n0880;2024;{INDICATOR};1\n")
    old = services.preview(BY_KIND["statistik"], kb, "old.csv", content)
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    fresh = services.preview(BY_KIND["statistik"], kb, "new.csv", content)
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == ImportBatch.Status.CANCELLED and bytes(old.content) == b""
    assert fresh.status == ImportBatch.Status.PREVIEWED and bytes(fresh.content) == content
    with pytest.raises(services.AlreadyImported):
        services.confirm(BY_KIND["statistik"], old, kb)


def test_the_operator_sees_imports_and_key_figures_in_the_admin(client, admin, kb):
    services.preview(
        BY_KIND["statistik"], kb, "a.csv", csv_bytes(f"Kod;År;Nyckeltal;Värde\n0880;2024;{INDICATOR};1\n")
    )
    StatisticValue.objects.create(
        organisation=organisation("0880"),
        indicator=IndicatorDefinition.objects.get(name=INDICATOR),
        year=2024,
        value=Decimal("4.2"),
    )
    client.force_login(admin)
    for name in ("admin:portal_importbatch_changelist", "admin:portal_statisticvalue_changelist"):
        assert client.get(reverse(name)).status_code == 200
    batch = ImportBatch.objects.get()
    assert client.get(reverse("admin:portal_importbatch_change", args=[batch.pk])).status_code == 200
    assert client.get(reverse("admin:portal_importbatch_add")).status_code == 403


# --- hostile and awkward files (review findings) ------------------------------------------


def test_a_decimal_comma_in_a_comma_separated_file_is_an_error_not_a_wrong_value(kb):
    content = f"Kommunkod,År,Nyckeltal,Värde\n0880,2025,{INDICATOR},4,2\n".encode()
    batch = services.preview(BY_KIND["statistik"], kb, "a.csv", content)
    assert batch.preview["errors"][0]["line"] == 2
    assert "fler celler än rubrikraden" in batch.preview["errors"][0]["messages"][0]


def test_formulas_are_refused_in_csv_and_xlsx(kb):
    csv_content = csv_bytes(
        f'Kod;År;Nyckeltal;Värde\n0880;2024;{INDICATOR};"=HYPERLINK(""http://x"";""4"")"\n'
    )
    xlsx_content = xlsx_bytes([["Kod", "År", "Nyckeltal", "Värde"], ["0880", 2024, INDICATOR, "=2+2"]])
    for content in (csv_content, xlsx_content):
        batch = services.preview(BY_KIND["statistik"], kb, "f", content)
        assert "Värde: Cellen innehåller en formel" in batch.preview["errors"][0]["messages"][0]


def test_too_many_rows_counts_only_filled_rows_and_is_refused_whole():
    rows = ["Kod;År;Nyckeltal;Värde", ";;;"] + [f"0880;2024;{INDICATOR};{i}" for i in range(5001)]
    with pytest.raises(ImportFileError) as error:
        read_rows("\n".join(rows).encode())
    assert "fler än 5000 rader" in error.value.message


def test_the_sheet_with_the_headings_is_read_in_a_workbook_with_instructions_first(kb):
    book = openpyxl.Workbook()
    book.active.title = "Instruktioner"
    book.active.append(["Fyll i bladet Data."])
    data = book.create_sheet("Data")
    data.append(["Kod", "År", "Nyckeltal", "Värde"])
    data.append(["0880", 2024, INDICATOR, 4.166666666])  # Excel shows 4,17
    buffer = io.BytesIO()
    book.save(buffer)
    batch = services.preview(BY_KIND["statistik"], kb, "b.xlsx", buffer.getvalue())
    assert batch.preview["errors"] == []
    assert services.confirm(BY_KIND["statistik"], batch, kb) == services.IMPORTED
    assert StatisticValue.objects.get().value == Decimal("4.17")


def test_an_xlsx_that_unpacks_to_a_huge_file_is_refused_before_reading():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<si><t>a</t></si>" * (4 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(ImportFileError) as error:
        read_rows(buffer.getvalue())
    assert "packas upp till mer än 50 MB" in error.value.message


def test_a_repeated_event_row_is_reported_as_a_repeat(consultant):
    row = "Dag;Utbildning;08;2027-03-04 09:00;2027-03-04 15:00;Kalmar;10;\n"
    batch = services.preview(BY_KIND["evenemang"], consultant, "e.csv", csv_bytes(EVENT_HEADER + row + row))
    assert batch.preview["errors"] == [{"line": 3, "messages": ["Raden upprepar rad 2 i filen."]}]


def test_a_confirmation_that_would_do_something_else_than_the_preview_writes_nothing(client, kb):
    indicator = IndicatorDefinition.objects.get(name=INDICATOR)
    content = csv_bytes(f"Kod;År;Nyckeltal;Värde\n0880;2024;{INDICATOR};5\n")
    client.force_login(kb)
    upload(client, "statistik", content)
    batch = ImportBatch.objects.get()
    assert batch.totals == {"new": 1, "update": 0, "skip": 0}
    # Someone else records the value before the confirmation: the row would now change it.
    StatisticValue.objects.create(organisation=organisation("0880"), indicator=indicator, year=2024, value=3)
    response = client.post(reverse("imports:confirm", args=[batch.pk]), follow=True)
    assert "uppgifterna har ändrats sedan förhandsgranskningen" in response.text
    assert StatisticValue.objects.get().value == 3
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED and batch.totals == {"new": 0, "update": 1, "skip": 0}
    assert "3 → 5" in response.text
    client.post(reverse("imports:confirm", args=[batch.pk]))
    assert StatisticValue.objects.get().value == 5
