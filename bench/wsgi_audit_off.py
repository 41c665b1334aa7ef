"""The production WSGI application with the audit trail's ``record`` turned into a no-op.

For ``bench/audit_overhead.py`` only: the same request with and without its audit entry, in the same run.
This is not a setting: production serves ``woonzeker.conf.wsgi`` and nothing there can switch the trail
off; this module lives outside the application's package and is named on gunicorn's command line.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "woonzeker.conf.settings")
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402 (after setup, as the patch must be)

from woonzeker.audit import services  # noqa: E402


def _not_recorded(*args, **kwargs):
    return None


services.record = _not_recorded  # views call ``audit.record`` through the module, so this reaches all of them
application = get_wsgi_application()
