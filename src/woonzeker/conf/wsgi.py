import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "woonzeker.conf.settings")
application = get_wsgi_application()

# A server without the BSN keys does not start (manage.py commands stop on the same system check).
from woonzeker.crypto import check_bsn_keys  # noqa: E402  (needs Django set up)

if problems := check_bsn_keys():
    raise ImproperlyConfigured("; ".join(problem.msg for problem in problems))
