"""Structured logs carry the request id the response also returns."""

import json
import logging
from datetime import timedelta

import pytest

from woonzeker.conf.logging import JsonFormatter, request_id


@pytest.mark.django_db
def test_every_response_has_a_request_id_and_keeps_the_proxys(client):
    generated = client.get("/healthz")["X-Request-ID"]
    assert len(generated) == 32
    assert client.get("/healthz", headers={"X-Request-ID": "proxy-42"})["X-Request-ID"] == "proxy-42"
    assert len(client.get("/healthz", headers={"X-Request-ID": "x" * 500})["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_a_failed_request_is_logged_as_json_with_its_id(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/bestaat-niet", headers={"X-Request-ID": "req-7"})
    record = next(r for r in caplog.records if "Not Found" in r.getMessage())
    entry = json.loads(JsonFormatter().format(record))
    assert (entry["level"], entry["request_id"], entry["logger"]) == ("WARNING", "req-7", "django.request")
    request_id.set("-")


def server_logger(accesslog="-"):
    from gunicorn.config import Config

    from woonzeker.conf.server_log import JsonLogger

    config = Config()
    config.set("accesslog", accesslog)
    return JsonLogger(config)


class Answer:
    status_code = 200
    sent = 1234
    headers = [("Content-Type", "application/json"), ("X-Request-ID", "req-9")]


def test_the_servers_access_log_is_json_with_the_request_id_and_without_the_query(capsys):
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/zaken/",
        "QUERY_STRING": "q=123456782",
        "RAW_URI": "/zaken/?q=123456782",
        "REMOTE_ADDR": "10.0.0.7",
    }
    server_logger().access(Answer(), None, environ, timedelta(milliseconds=12, microseconds=340))
    (line,) = capsys.readouterr().out.splitlines()
    assert "123456782" not in line
    entry = json.loads(line)
    assert entry["time"].endswith("+00:00")
    del entry["time"]
    assert entry == {
        "level": "INFO",
        "logger": "gunicorn.access",
        "request_id": "req-9",
        "method": "GET",
        "path": "/zaken/",
        "status": 200,
        "bytes": 1234,
        "duration_ms": 12.3,
        "remote": "10.0.0.7",
    }


def test_without_an_access_log_nothing_is_written(capsys):
    server_logger(accesslog=None).access(Answer(), None, {}, timedelta(0))
    assert capsys.readouterr().out == ""


def test_the_servers_own_messages_are_json_too(capsys):
    server_logger().info("Booting worker with pid: %s", 7)
    (line,) = capsys.readouterr().err.splitlines()
    assert json.loads(line)["message"] == "Booting worker with pid: 7"
