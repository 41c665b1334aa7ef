"""Structured logs carry the request id the response also returns."""

import json
import logging

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
