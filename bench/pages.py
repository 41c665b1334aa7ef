"""Pages measured in process, through the whole view: a client signed in with its second factor passed."""

import statistics
import time
from contextlib import contextmanager


@contextmanager
def signed_in(user):
    """A test client signed in as ``user``, its second factor passed (a device of the run's own, removed after)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    client = Client()
    client.force_login(user)
    device = StaticDevice.objects.create(user=user, name="benchmark", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # as after a code
    session.save()
    try:
        yield client
    finally:
        device.delete()


def median_ms(function, runs):
    """The median of ``runs`` calls of ``function``, in milliseconds."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def get_page(client, path):
    """GET ``path``; a page that does not answer 200 stops the benchmark."""
    response = client.get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return response
