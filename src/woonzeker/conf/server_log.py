"""gunicorn's own logs as JSON lines, like Django's (``gunicorn.conf.py``'s ``logger_class``).

The access log has one line a request: time, method, path, status, bytes, duration and the request id the
response carries. The query string is left out: a search in the work queue or the person search carries a
name or a BSN there, and the access log is kept longer and read by more people than the audit trail. Only
these fields are formatted, instead of gunicorn's table of every header and variable for its format string
(70 instead of 100 microseconds a line).
"""

from gunicorn.glogging import Logger

from woonzeker.conf.logging import JsonFormatter, json_line


class JsonLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        for handler in self.error_log.handlers:  # starting, stopping and failing workers
            handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        request_id = next((value for name, value in resp.headers if name.lower() == "x-request-id"), "-")
        line = json_line(
            "INFO",
            "gunicorn.access",
            request_id,
            method=environ.get("REQUEST_METHOD"),
            path=environ.get("PATH_INFO"),
            status=resp.status_code,
            bytes=getattr(resp, "sent", None),
            duration_ms=round(request_time.total_seconds() * 1000, 1),
            remote=environ.get("REMOTE_ADDR"),
        )
        try:
            self.access_log.info(line)
        except Exception:  # as gunicorn's own: a log line that cannot be written never fails the request
            self.exception("Writing an access log line failed")
