"""Pages measured in process, through the whole view: a client signed in with its second factor passed.

The floor of every page benchmark (issue 17) is ``FLOOR_PATH``, the notifications page of the same signed-in
user with no notification: the same test client, session, second factor, middleware and base template as
the pages measured, with no case data (two small reads of the user's own rows and an update of none). Its
median is measured with the same number of renderings right before and right after the pages measured
(``between_floors``), and each page's median is reported as a multiple of the mean of the two
(``page_ratio``), judged against its target in ``bench/targets.py`` (``verdict``).
"""

import statistics
import time
from contextlib import contextmanager

#: The minimal page: the base layout, the user's (empty) notifications and their preferences form.
FLOOR_PATH = "/meldingen/"


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


def floor_ms(client, runs):
    """The minimal page's median over ``runs`` renderings, after one not counted (as each page measured)."""
    get_page(client, FLOOR_PATH)
    return median_ms(lambda: get_page(client, FLOOR_PATH), runs)


def between_floors(client, runs, measure):
    """``measure()`` with the floor measured right before and right after it, through the same client.

    Returns ``(what measure returned, {"before": ms, "after": ms, "floor": their mean})``: a machine that got
    slower or faster while the pages were measured moves the floor with it (as ``bench.load.both_ends``).
    """
    before = floor_ms(client, runs)
    measured = measure()
    after = floor_ms(client, runs)
    return measured, {"before": before, "after": after, "floor": (before + after) / 2}


def page_ratio(page_ms, floor):
    """A page's median as a multiple of the floor's, to two decimals; None without a floor to divide by."""
    if page_ms is None or not floor:
        return None
    return round(page_ms / floor, 2)


def verdict(key, ratio):
    """PASS or MISS of ``ratio`` against the target ``key`` of ``bench/targets.py`` (MISS when there is none)."""
    from bench.targets import TARGETS

    return "PASS" if TARGETS[key].met(ratio) else "MISS"
