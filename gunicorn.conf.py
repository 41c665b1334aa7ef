"""gunicorn settings, from the environment (``make serve`` and production)."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# One process more than the cores, two threads each: a request waiting on the database leaves its core to
# another (measured best of 2x4, 3x2 and 4x2 on 2 cores, docs/deploy.md).
workers = int(os.environ.get("WEB_WORKERS", (os.cpu_count() or 1) + 1))
threads = int(os.environ.get("WEB_THREADS", "2"))
worker_class = "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT", "120"))  # a large ledger upload takes a while
accesslog = os.environ.get("ACCESS_LOG", "-") or None
errorlog = "-"
logger_class = "woonzeker.conf.server_log.JsonLogger"  # JSON lines with the request id, no query strings
wsgi_app = "woonzeker.conf.wsgi:application"
pythonpath = "src"
