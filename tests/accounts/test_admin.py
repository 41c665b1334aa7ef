"""The admin (/beheer/): functional administrators administer accounts and configuration; they read no case
file and cannot become anyone else (issue #15).

Reproduced on main: an administrator put itself into a corporation and opened its cases; set another user's
password, deleted their authenticator and signed in as them; deleted users outright.
"""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory
from woonzeker.accounts.models import Role, SecondFactorResetRequest, User
from woonzeker.audit.models import AuditEntry
from woonzeker.audit.services import first_broken_link
from woonzeker.cases.constants import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(world, client):
    client.force_login(world.functional_admin)  # password and second factor passed (tests/conftest.py)
    return world.functional_admin


@pytest.fixture
def colleague(world):
    """A second functional administrator, who approves what the first asked for."""
    return UserFactory(organisation=world.municipality, role=Role.FUNCTIONAL_ADMIN)


@pytest.fixture
def person(world):
    """A social team's case worker with an e-mail address and an authenticator app and backup codes."""
    user = world.team_worker
    user.email = "j.devries@wijkteam-noord.example"
    user.save()
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    StaticDevice.objects.create(user=user, name="backup").token_set.create(token="a1b2c3d4")
    return user


def user_url(user, suffix="change/"):
    return f"/beheer/accounts/user/{user.pk}/{suffix}"


def change_form_data(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "organisation": user.organisation_id or "",
        "role": user.role,
        "is_active": "on" if user.is_active else "",
        "language": user.language,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def devices_of(user):
    return TOTPDevice.objects.filter(user=user).count() + StaticDevice.objects.filter(user=user).count()


# --- Administrators administer; they do not read files -------------------------------------------------------


def test_an_administrator_cannot_put_itself_into_a_corporation_and_open_its_cases(
    client, administrator, world, make_case
):
    case = make_case(State.SIGNAL)
    response = client.post(user_url(administrator), change_form_data(administrator, organisation=world.corporation.pk))
    assert response.status_code == 302
    administrator.refresh_from_db()
    assert administrator.organisation == world.municipality
    # Even placed there by someone else, it reads no case file.
    User.objects.filter(pk=administrator.pk).update(organisation=world.corporation)
    assert client.get(f"/dossiers/{case.pk}/").status_code == 404


def test_nobody_changes_their_own_organisation_role_or_permissions(client, administrator, world):
    page = client.get(user_url(administrator)).content.decode()
    for field in ("organisation", "role", "is_active"):
        assert f'name="{field}"' not in page  # shown, not editable
    client.post(user_url(administrator), change_form_data(administrator, role=Role.COORDINATOR, is_active=""))
    administrator.refresh_from_db()
    assert administrator.role == Role.FUNCTIONAL_ADMIN and administrator.is_active
    # And the kind of its own organisation stays what it is.
    page = client.get(f"/beheer/organisations/organisation/{world.municipality.pk}/change/").content.decode()
    assert 'name="kind"' not in page


def test_the_save_itself_refuses_a_change_of_ones_own_role(rf, administrator):
    from woonzeker.accounts.admin import UserAdmin

    request = rf.post("/")
    request.user = administrator
    administrator.role = Role.CASE_WORKER
    with pytest.raises(PermissionDenied):
        UserAdmin(User, admin.site).save_model(request, administrator, None, change=True)
    assert User.objects.get(pk=administrator.pk).role == Role.FUNCTIONAL_ADMIN


def test_an_administrator_changes_someone_elses_role(client, administrator, world):
    user = world.team_worker
    assert client.post(user_url(user), change_form_data(user, role=Role.COORDINATOR)).status_code == 302
    user.refresh_from_db()
    assert user.role == Role.COORDINATOR


# --- No password is set in the admin: the user is sent the link ------------------------------------------------


def test_the_admin_cannot_set_a_password(client, administrator, person):
    page = client.get(user_url(person)).content.decode()
    assert "password/" not in page and person.password not in page
    # The address of Django's own form leads nowhere: no form to set one.
    assert 'name="password1"' not in client.get(user_url(person, "password/"), follow=True).content.decode()
    client.post(
        user_url(person, "password/"),
        {"password1": "paars-nijlpaard-op-de-fiets", "password2": "paars-nijlpaard-op-de-fiets"},
        follow=True,
    )
    person.refresh_from_db()
    assert person.check_password("correct-horse-battery")


def test_the_administrator_sends_the_forgotten_password_link(client, administrator, person):
    response = client.post(
        "/beheer/accounts/user/", {"action": "send_password_link", "_selected_action": [person.pk]}, follow=True
    )
    assert f"Een link om een nieuw wachtwoord in te stellen is gemaild naar: {person.username}." in messages_of(
        response
    )
    [message] = mail.outbox
    assert message.to == [person.email]
    link = re.search(re.escape(settings.SITE_URL) + r"(/inloggen/nieuw-wachtwoord/\S+/)", message.body).group(1)
    # The person sets the password; the administrator never knew it.
    stranger = Client()
    form_page = stranger.get(link)
    new = "paars-nijlpaard-op-de-fiets"
    stranger.post(form_page["Location"], {"new_password1": new, "new_password2": new})
    person.refresh_from_db()
    assert person.check_password(new)
    entry = AuditEntry.objects.get(what__startswith="password reset: link e-mailed")
    assert entry.username == administrator.username


def test_no_link_for_an_account_without_its_second_factor_or_address(client, administrator, world):
    without_device = world.safe_home_worker
    without_device.email = "vt@example.org"
    without_device.save()
    response = client.post(
        "/beheer/accounts/user/",
        {"action": "send_password_link", "_selected_action": [without_device.pk, world.health_service_worker.pk]},
        follow=True,
    )
    assert not mail.outbox
    assert any(text.startswith("Er is geen link verstuurd naar") for text in messages_of(response))


# --- Removing a second factor takes two administrators -------------------------------------------------------


def request_removal(client, user, reason="Telefoon gestolen, aangifte gedaan."):
    return client.post("/beheer/accounts/secondfactorresetrequest/add/", {"user": user.pk, "reason": reason})


def approve(client, reset):
    return client.post(
        "/beheer/accounts/secondfactorresetrequest/",
        {"action": "approve", "_selected_action": [reset.pk]},
        follow=True,
    )


def test_a_second_factor_is_removed_only_when_a_second_administrator_approves(client, administrator, colleague, person):
    assert request_removal(client, person).status_code == 302
    reset = SecondFactorResetRequest.objects.get(user=person)
    assert reset.requested_by == administrator and reset.approved_at is None
    assert devices_of(person) == 2  # asked, not removed

    response = approve(client, reset)  # the one who asked cannot approve
    assert "Een andere functioneel beheerder keurt goed wat u hebt aangevraagd." in " ".join(messages_of(response))
    assert devices_of(person) == 2

    second = Client()
    second.force_login(colleague)
    approve(second, reset)
    assert devices_of(person) == 0
    reset.refresh_from_db()
    assert reset.approved_by == colleague and reset.approved_at is not None
    # The person sets up a new app on the next sign-in.
    person_client = Client()
    person_client.post("/inloggen/", {"username": person.username, "password": "correct-horse-battery"})
    assert person_client.get("/")["Location"].startswith("/inloggen/tweede-stap/")

    asked, approved = AuditEntry.objects.filter(what__startswith="second factor: removal").order_by("pk")
    assert asked.username == administrator.username and "requested" in asked.what
    assert approved.username == colleague.username and "approved" in approved.what
    assert asked.reason == approved.reason == "Telefoon gestolen, aangifte gedaan."


def test_nobody_asks_for_or_approves_the_removal_of_their_own_second_factor(client, administrator, colleague):
    TOTPDevice.objects.create(user=colleague, name="app", confirmed=True)
    response = request_removal(client, administrator)
    assert response.status_code == 200 and not SecondFactorResetRequest.objects.exists()
    request_removal(client, colleague)
    colleague_client = Client()
    colleague_client.force_login(colleague)
    approve(colleague_client, SecondFactorResetRequest.objects.get())
    assert TOTPDevice.objects.filter(user=colleague).exists()


def test_the_devices_themselves_are_not_in_the_admin(client, administrator, person):
    """Reproduced on main: deleting a user's authenticator here, after setting their password, let the
    administrator sign in as them and set up an app of its own."""
    device = TOTPDevice.objects.get(user=person)
    for path in (
        "/beheer/otp_totp/totpdevice/",
        f"/beheer/otp_totp/totpdevice/{device.pk}/delete/",
        "/beheer/otp_static/staticdevice/",
    ):
        assert client.get(path).status_code == 404
    client.post(f"/beheer/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_an_approved_removal_is_not_edited_or_deleted(client, administrator, colleague, person):
    request_removal(client, person)
    reset = SecondFactorResetRequest.objects.get()
    page = client.get(f"/beheer/accounts/secondfactorresetrequest/{reset.pk}/change/").content.decode()
    assert 'name="reason"' not in page
    client.post(f"/beheer/accounts/secondfactorresetrequest/{reset.pk}/delete/", {"post": "yes"})
    assert SecondFactorResetRequest.objects.filter(pk=reset.pk).exists()


# --- Users are deactivated, never deleted ---------------------------------------------------------------------


def test_a_user_is_deactivated_not_deleted(client, administrator, world):
    user = world.corporation_worker
    response = client.post(user_url(user, "delete/"), {"post": "yes"}, follow=True)
    assert "Een gebruiker wordt nooit verwijderd: zet het account op niet-actief (vink 'Actief' uit)." in messages_of(
        response
    )
    client.post("/beheer/accounts/user/", {"action": "delete_selected", "_selected_action": [user.pk], "post": "yes"})
    assert User.objects.filter(pk=user.pk).exists()
    with pytest.raises(PermissionDenied):
        user.delete()

    response = client.post(
        "/beheer/accounts/user/",
        {"action": "deactivate", "_selected_action": [user.pk, administrator.pk]},
        follow=True,
    )
    user.refresh_from_db()
    administrator.refresh_from_db()
    assert not user.is_active and administrator.is_active
    assert "1 gebruiker op niet-actief gezet." in messages_of(response)
    assert AuditEntry.objects.filter(what=f"admin: deactivated user {user.username}").exists()
    # Deactivated: the sign-in is refused.
    refused = Client().post("/inloggen/", {"username": user.username, "password": "correct-horse-battery"})
    assert refused.status_code == 200 and "_auth_user_id" not in refused.client.session


# --- Every admin page and action, then the audit trail still holds -------------------------------------------


def test_every_admin_page_and_action_leaves_the_audit_chain_intact(client, administrator, colleague, person, world):
    as_administrator = type("Request", (), {"user": administrator})()
    walked = 0
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_module_permission(as_administrator):
            continue  # not the functional administrator's (django-axes' own logs)
        walked += 1
        changelist = f"/beheer/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(changelist).status_code == 200, changelist
        if model_admin.has_add_permission(as_administrator):
            assert client.get(f"{changelist}add/").status_code == 200, changelist
        for pk in model._default_manager.values_list("pk", flat=True)[:3]:
            assert client.get(f"{changelist}{pk}/change/").status_code == 200, f"{changelist}{pk}"
    assert walked >= 7
    client.post(user_url(world.team_coordinator), change_form_data(world.team_coordinator, first_name="Anna"))
    client.post("/beheer/accounts/user/", {"action": "send_password_link", "_selected_action": [person.pk]})
    request_removal(client, person)
    second = Client()
    second.force_login(colleague)
    approve(second, SecondFactorResetRequest.objects.get())
    client.post("/beheer/accounts/user/", {"action": "deactivate", "_selected_action": [world.safe_home_worker.pk]})
    client.post(user_url(world.corporation_worker, "delete/"), {"post": "yes"})
    for _ in range(5):
        Client().post("/inloggen/", {"username": world.health_service_worker.username, "password": "fout"})
    blocked = AccessAttempt.objects.get(username=world.health_service_worker.username)
    assert client.post(f"/beheer/axes/accessattempt/{blocked.pk}/delete/", {"post": "yes"}).status_code == 302
    client.post(
        f"/beheer/organisations/municipality/{world.dordrecht.pk}/change/", {"name": "Dordrecht", "cbs_code": "0505"}
    )

    assert AuditEntry.objects.filter(what__startswith="admin: changed user").exists()
    assert AuditEntry.objects.filter(what__startswith="admin: deleted accessattempt").exists()
    assert AuditEntry.objects.filter(what__startswith="second factor: removal").count() == 2
    assert first_broken_link() is None
    call_command("verify_audit")


def test_users_are_not_deleted_in_bulk_either(world):
    from django.core.exceptions import PermissionDenied
    from django.db import transaction

    from woonzeker.accounts.models import User

    with pytest.raises(PermissionDenied), transaction.atomic():
        User.objects.filter(pk=world.team_worker.pk).delete()
    assert User.objects.filter(pk=world.team_worker.pk).exists()


def test_a_functional_administrator_sees_no_monitoring(client, world):
    client.force_login(world.functional_admin)
    assert client.get("/monitoring/").status_code == 403


# --- Four eyes on who may read case files -------------------------------------------------------------


def test_an_account_one_administrator_creates_waits_for_another_to_activate_it(client, administrator, colleague, world):
    response = client.post(
        "/beheer/accounts/user/add/",
        {
            "username": "eigen.account",
            "password1": "paars-nijlpaard-op-de-fiets",
            "password2": "paars-nijlpaard-op-de-fiets",
            "organisation": world.corporation.pk,
            "role": Role.CASE_WORKER,
        },
    )
    assert response.status_code == 302
    made = User.objects.get(username="eigen.account")
    assert not made.is_active  # its first password is the administrator's: it reads nothing yet
    client.post("/beheer/accounts/user/", {"action": "activate", "_selected_action": [made.pk]})
    made.refresh_from_db()
    assert not made.is_active
    second = Client()
    second.force_login(colleague)
    second.post("/beheer/accounts/user/", {"action": "activate", "_selected_action": [made.pk]})
    made.refresh_from_db()
    assert made.is_active
    assert AuditEntry.objects.filter(what="admin: activated user eigen.account", username=colleague.username).exists()


def test_moving_an_account_to_another_organisation_waits_for_another_administrator(client, administrator, world):
    worker = world.health_service_worker
    client.post(user_url(worker), change_form_data(worker, organisation=world.corporation.pk))
    worker.refresh_from_db()
    assert worker.organisation_id == world.corporation.pk and not worker.is_active
    # Ticking "active" in the form again does not get round it.
    client.post(user_url(worker), change_form_data(worker, is_active="on"))
    worker.refresh_from_db()
    assert not worker.is_active


def test_a_new_e_mail_address_or_a_re_activation_waits_for_another_administrator(client, administrator, world):
    worker = world.team_worker
    client.post(user_url(worker), change_form_data(worker, email="elders@example.org"))
    worker.refresh_from_db()
    assert worker.email == "elders@example.org" and not worker.is_active
    left = world.safe_home_worker
    left.is_active = False
    left.save()
    client.post(user_url(left), change_form_data(left, is_active="on"))
    left.refresh_from_db()
    assert not left.is_active and left.awaiting_activation_by_other_than_id == administrator.pk


def test_an_organisation_with_users_keeps_its_kind(client, administrator, world):
    url = f"/beheer/organisations/organisation/{world.municipality.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="kind"' not in page  # shown, not editable: its users' access rests on it
    empty = world.municipality.__class__.objects.create(name="Opleiding", kind="municipality")
    assert 'name="kind"' in client.get(f"/beheer/organisations/organisation/{empty.pk}/change/").content.decode()


def test_a_password_typed_as_the_username_is_not_shown_in_the_lockout_list(client, administrator):
    for _ in range(2):
        Client().post("/inloggen/", {"username": "Geheim-Wachtwoord-2026!", "password": "x"})
    attempt = AccessAttempt.objects.get()
    listing = client.get("/beheer/axes/accessattempt/").content.decode()
    detail = client.get(f"/beheer/axes/accessattempt/{attempt.pk}/change/").content.decode()
    for page in (listing, detail):
        assert "Geheim-Wachtwoord" not in page
        assert "Gehe" not in page and "Geh… (23)" in page
