"""gunicorn settings, from the environment (``make serve`` and production)."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT", "120"))  # a large ledger upload takes a while
accesslog = os.environ.get("ACCESS_LOG", "-") or None
errorlog = "-"
wsgi_app = "woonzeker.conf.wsgi:application"
pythonpath = "src"
