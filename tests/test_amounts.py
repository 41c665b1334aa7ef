"""One rule for amounts: the forms, the API and the rent ledgers read the same text as the same amount."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import client_for, signal_body
from woonzeker.amounts import AmountError, format_euro, parse_amount
from woonzeker.api.models import Scope
from woonzeker.api.views import _form_data
from woonzeker.cases.forms import NewSignalForm
from woonzeker.ledgers import parsing

amounts = st.decimals(min_value=0, max_value=parsing.MAX_AMOUNT - 1, places=2)  # within every edge's limit


def grouped(amount, separator):
    whole, cents = f"{amount:.2f}".split(".")
    groups = []
    while len(whole) > 3:
        whole, group = whole[:-3], whole[-3:]
        groups.insert(0, group)
    return separator.join([whole, *groups]) + "," + cents


def written(amount):
    """The ways a person or a system writes an amount, good ones and ones the rule refuses."""
    return st.sampled_from(
        [
            f"{amount:.2f}",
            f"{amount:.2f}".replace(".", ","),
            f"{amount:.1f}",
            f"{amount:.0f}",
            grouped(amount, "."),
            grouped(amount, " "),
            "€ " + grouped(amount, "."),
            "EUR " + f"{amount:.2f}",
            format_euro(amount),
            f"{amount:,.2f}",  # 1,234.56: English grouping, refused
            f"{amount:.3f}",
            f"{int(amount) % 1000}.{int(amount * 1000) % 1000:03d}",  # 1.234: ambiguous
        ]
    )


def by_form(text):
    """What the page and the API make of a value (the API hands the form its JSON values as text)."""
    field = NewSignalForm.base_fields["arrears"]
    data = _form_data({"arrears": text})
    try:
        return field.clean(data["arrears"])
    except Exception:
        return "refused"


def by_ledger(text):
    try:
        return parsing.parse_amount(text)
    except parsing.InvalidValue:
        return "refused"


@given(amounts.flatmap(written))
def test_forms_the_api_and_ledgers_read_an_amount_alike(text):
    for language in ("nl", "en"):  # the language of the page does not change what an amount means
        with translation.override(language):
            assert by_form(text) == by_ledger(text), text


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1234", "1234.00"),
        ("1234,5", "1234.50"),
        ("1234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1 234 567,89", "1234567.89"),
        ("€ 1.234,00", "1234.00"),
    ],
)
def test_the_rule_reads(text, amount):
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["1.234", "1,234", "1,234.56", "12.34.56", "1.23,45", "1234,567"])
def test_the_rule_refuses(text):
    with pytest.raises(AmountError):
        parse_amount(text)


def test_an_amount_is_shown_in_dutch():
    with translation.override("nl"):
        assert format_euro(Decimal("1234")) == "€\u00a01.234,00"
        assert format_euro(Decimal("-5.5")) == "-€\u00a05,50"


@pytest.mark.django_db
def test_the_api_refuses_an_ambiguous_amount_as_the_ledger_does(world, today):
    api = client_for(world.corporation_worker, [Scope.CASES_WRITE])
    signal = signal_body(world, today, contract_number="API-1", monthly_rent="650,00")
    refused = api.post("/api/v1/cases/signals/", {**signal, "arrears": "1.234"}, format="json")
    assert refused.status_code == 400
    assert [error["field"] for error in refused.json()["errors"]] == ["arrears"]
    accepted = api.post("/api/v1/cases/signals/", {**signal, "arrears": "1.234,00"}, format="json")
    assert accepted.status_code == 201, accepted.json()
