"""An uploaded ledger of any content (random bytes, a header with garbage rows, a broken spreadsheet)
is refused or reported, never answered with a server error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.ledgers.test_importing import HEADER
from woonzeker.cases.models import Case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

CELL = st.one_of(
    st.text(alphabet=st.characters(blacklist_characters=";\n\r"), max_size=30),
    st.sampled_from(["", "2026-02-30", "9999-12-31", "1e999", "-700", "NaN", "9" * 30, "\x00", "ja", "nee"]),
)
ROW = st.lists(CELL, min_size=0, max_size=12).map(";".join)
CSV = st.lists(ROW, max_size=6).map(lambda rows: "\n".join([HEADER, *rows]).encode("utf-8", "surrogatepass"))
CONTENT = st.one_of(st.binary(max_size=2000), CSV, st.just(b"PK\x03\x04" + b"\x00" * 100))
NAME = st.sampled_from(
    ["huur.csv", "huur\x00.csv", "huur.xlsx", "huur.txt", "huur", "../../etc/passwd.csv", "h\u00fcur\u202e.csv"]
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=CONTENT, name=NAME)
def test_any_upload_is_answered_without_a_server_error(client, world, content, name):
    client.force_login(world.corporation_worker)
    cases = Case.objects.count()
    response = client.post("/aanleveringen/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code < 500
    if b"peildatum" not in content:
        assert Case.objects.count() == cases


@pytest.mark.parametrize("value", ["9" * 30, "1" + "0" * 40 + ",00", 1e30, 10**40])
def test_an_absurdly_large_amount_is_a_row_error_not_a_crash(value):
    from woonzeker.ledgers.parsing import InvalidValue, parse_amount

    with pytest.raises(InvalidValue):
        parse_amount(value)


def test_a_utf16_ledger_is_refused_as_not_utf8(client, world):
    """Excel's "Unicode text" without a byte order mark decodes as UTF-8 with NULs, which no database
    column can hold: it is refused with the advice to save as CSV UTF-8, never a server error."""
    content = (HEADER + "\n").encode("utf-16-le")
    client.force_login(world.corporation_worker)
    response = client.post("/aanleveringen/", {"file": SimpleUploadedFile("huur.csv", content)}, follow=True)
    assert response.status_code < 500
    assert "Sla het bestand op als CSV UTF-8" in response.content.decode()
