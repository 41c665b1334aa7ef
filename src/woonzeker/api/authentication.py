"""API tokens: ``Authorization: Token wz_<prefix>_<secret>``."""

# ruff: noqa: S608 -- only the models' own table and column names are formatted into the SQL; the prefix is a parameter.

import functools
import hmac
from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from woonzeker.accounts.models import User
from woonzeker.api.models import ApiToken, hash_key
from woonzeker.organisations.models import Organisation

#: How precisely "last used" is kept.
LAST_USE_RESOLUTION = timedelta(minutes=1)


MODELS = (ApiToken, User, Organisation)


@functools.cache
def _token_statement():
    """The token, its user and the user's organisation in one statement, composed once per process,
    with each column's converters (as the ORM applies them: e.g. aware datetimes on SQLite)."""
    quote = connection.ops.quote_name
    columns = [
        (f"t{i}", field.get_col(f"t{i}")) for i, model in enumerate(MODELS) for field in model._meta.concrete_fields
    ]
    converters = [
        (position, col, connection.ops.get_db_converters(col) + col.get_db_converters(connection))
        for position, (_alias, col) in enumerate(columns)
    ]
    sql = (
        f"SELECT {', '.join(f'{alias}.{quote(col.target.column)}' for alias, col in columns)} "
        f"FROM {quote(ApiToken._meta.db_table)} t0 "
        f"JOIN {quote(User._meta.db_table)} t1 ON t1.id = t0.user_id "
        f"LEFT JOIN {quote(Organisation._meta.db_table)} t2 ON t2.id = t1.organisation_id "
        "WHERE t0.prefix = %s"
    )
    return sql, [(position, col, functions) for position, col, functions in converters if functions]


def token_with_user(prefix):
    """The token with this prefix, its ``user`` and the user's ``organisation`` loaded; None if unknown.

    Written out rather than ``select_related``: composing that query through the ORM cost three
    times as long as running it, on every API request (docs/decisions.md)."""
    sql, converters = _token_statement()
    with connection.cursor() as cursor:
        cursor.execute(sql, [prefix])
        row = cursor.fetchone()
    if row is None:
        return None
    row = list(row)
    for position, col, functions in converters:
        for convert in functions:
            row[position] = convert(row[position], col, connection)
    loaded, start = [], 0
    for model in MODELS:
        names = [field.attname for field in model._meta.concrete_fields]
        values = row[start : start + len(names)]
        start += len(names)
        loaded.append(None if values[0] is None else model.from_db(connection.alias, names, values))
    token, user, organisation = loaded
    user.organisation = organisation
    token.user = user
    return token


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token wz_<prefix>_<secret>``: the token is found by its prefix, checked by its hash."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after 'Token ', without spaces."))
        key = header[1]
        parts = key.split("_")
        token = None
        if len(parts) >= 3 and parts[0] == "wz":
            token = token_with_user(parts[1])
        if token is None or not hmac.compare_digest(token.key_hash, hash_key(key)) or not token.is_active:
            raise exceptions.AuthenticationFailed(_("This API token is unknown or revoked."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USE_RESOLUTION:
            # Once a minute at most: a write (and a lock on the token's row) per request would
            # serialise every concurrent request of one system on that row.
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "woonzeker.api.authentication.TokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization", "description": "Token wz_…"}
