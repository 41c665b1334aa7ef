"""Usernames are made of a safe alphabet: nothing that looks like another username but is not."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from woonzeker.accounts.models import Role, User

pytestmark = pytest.mark.django_db

LOOK_ALIKE = "c\u03bfrporatie"  # a Greek omicron where the "o" should be


@pytest.mark.parametrize("username", [LOOK_ALIKE, "Corporatie", "corporatie beheer", "wijkteam\u200b", "ｃorporatie"])
def test_a_look_alike_username_is_refused_in_dutch(world, username):
    user = User(username=username, organisation=world.corporation, role=Role.CASE_WORKER)
    user.set_password("correct-horse-battery")
    with translation.override("nl"):
        with pytest.raises(ValidationError) as refused:
            user.full_clean()
        assert refused.value.message_dict["username"] == [
            "Een gebruikersnaam bestaat alleen uit kleine letters (a tot en met z), cijfers en de tekens . - _ @."
        ]


@pytest.mark.parametrize("username", ["corporatie", "j.de-vries_2@wijkteam-noord.example", "sdd"])
def test_a_username_of_the_safe_alphabet_is_accepted(world, username):
    user = User(username=username, organisation=world.corporation, role=Role.CASE_WORKER)
    user.set_password("correct-horse-battery")
    user.full_clean()


def test_the_admin_refuses_a_look_alike_username(client, world):
    """Reproduced on main: a username with a Greek omicron beside the real "corporatie" was accepted."""
    User.objects.create_user("corporatie", password="correct-horse-battery", organisation=world.corporation)
    client.force_login(world.functional_admin)
    response = client.post(
        "/beheer/accounts/user/add/",
        {
            "username": LOOK_ALIKE,
            "password1": "paars-nijlpaard-op-de-fiets",
            "password2": "paars-nijlpaard-op-de-fiets",
            "usable_password": "true",
            "organisation": world.corporation.pk,
            "role": Role.CASE_WORKER,
        },
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 200
    assert "Een gebruikersnaam bestaat alleen uit kleine letters" in response.content.decode()
    assert not User.objects.filter(username=LOOK_ALIKE).exists()
