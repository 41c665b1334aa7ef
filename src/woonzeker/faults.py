"""Fault points: named places where a fault test kills this very process, for real (SIGKILL).

The fault tests (tests/faults/) start an import in a process of its own with ``WOONZEKER_KILL_AT`` set
to one of these names and show that the database afterwards holds all of the work or none of it.
Unset (always, outside those tests) a fault point does nothing.
"""

import os
import signal

POINTS = {
    "staging": "halfway through streaming the rows into the staging table",
    "applying": "after the tenancies are written, before the snapshots and the rules",
    "committing": "after everything is written, just before the commit",
}


def armed(name):
    """Whether the process is to die at ``name`` (checked once, outside a hot loop)."""
    return os.environ.get("WOONZEKER_KILL_AT") == name


def fault_point(name):
    if armed(name):
        os.kill(os.getpid(), signal.SIGKILL)
