"""schemathesis against the API's own schema: no 5xx, and every response conforms to the schema.

Two checks are left out on purpose:
- "schema-valid data is accepted": the schema says a postcode is a string; the
  covenant says it must be a Dutch postcode in an area a team serves. Such
  business rules answer 400 with a problem, which the other checks verify
  conforms to the schema.
- "schema-violating data is rejected": some of schemathesis's invalid requests
  are invalid only in the Authorization header, which this test always sends,
  so they arrive valid and are rightly answered 200; that check then fails at
  random. Invalid filters and pages are tested by name in
  ``test_api.py`` (a field error each).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from woonzeker.api.models import ApiToken, Scope

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?lang=en", get_wsgi_application())


@pytest.fixture
def keep_database_connection():
    """The WSGI app closes the database connection after each request, as in production; the test's
    transaction lives on that connection, so keep it open (as Django's own test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def authorization(keep_database_connection, world, make_case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ALLOWED_HOSTS = ["*"]
    make_case()
    _token, key = ApiToken.issue(user=world.corporation_worker, name="schemathesis", scopes=list(Scope.values))
    return {"Authorization": f"Token {key}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, authorization):
    case.call_and_validate(headers=authorization, excluded_checks=[positive_data_acceptance, negative_data_rejection])
