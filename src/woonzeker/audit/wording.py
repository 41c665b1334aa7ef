"""What an audit entry's ``what`` says, in the reader's words.

The trail stores ``what`` as written when it happened (it is hashed, so never rewritten), in the code's terms:
``case 12: close_care_trajectory``, ``API case list``, ``ledger import 3 report``. A privacy officer reads it
through ``describe``: the known shapes in Dutch, a move by its label, anything else as stored.
"""

import re

from django.utils.translation import gettext as _

from woonzeker.accounts.models import Role

_CASE_MOVE = re.compile(r"(?P<api>API )?case (?P<case>\d+): (?P<move>[a-z_]+)")
_CASE = re.compile(r"(?P<api>API )?case (?P<case>\d+)(?P<replayed> \(replayed answer\))?")
_IMPORT = re.compile(r"(?P<api>API )?ledger import (?P<id>\d+)(?: \((?P<status>[^,)]*)(?P<cli>, command line)?\))?")
_IMPORT_REPORT = re.compile(r"ledger import (?P<id>\d+) report")
_ACCESS = re.compile(r"access request for household (?P<id>\d+) \((?P<form>JSON|page)\)")
_RETENTION = re.compile(r"retention: (?P<n>\d+) cases anonymised")


def _fixed():
    return {
        "work queue": _("Work queue"),
        "API case list": _("Case list (API)"),
        "audit trail search": _("Audit trail search"),
        "audit trail export": _("Audit trail export"),
        "password set through a reset link": _("Password set through a reset link"),
        "second factor: authenticator app set up": _("Second factor: authenticator app set up"),
        "second factor: new backup codes": _("Second factor: new backup codes"),
    }


def move_label(name):
    from woonzeker.cases.workflow import MOVES

    move = MOVES.get(name)
    return str(move.label) if move else name


def describe(what):
    """``what`` as a person reads it."""
    fixed = _fixed()
    if what in fixed:
        return fixed[what]
    via_api = " " + _("(API)")
    if match := _CASE_MOVE.fullmatch(what):
        text = _("Case %(case)s: %(move)s") % {"case": match["case"], "move": move_label(match["move"])}
        return text + (via_api if match["api"] else "")
    if match := _CASE.fullmatch(what):
        text = _("Case %(case)s") % {"case": match["case"]}
        if match["replayed"]:
            text += " " + _("(answer repeated)")
        return text + (via_api if match["api"] else "")
    if match := _IMPORT_REPORT.fullmatch(what):
        return _("Rent ledger %(id)s: report") % {"id": match["id"]}
    if match := _IMPORT.fullmatch(what):
        text = _("Rent ledger %(id)s") % {"id": match["id"]}
        if match["status"]:
            text += f" ({match['status']})"
        if match["cli"]:
            text += " " + _("(command line)")
        return text + (via_api if match["api"] else "")
    if match := _ACCESS.fullmatch(what):
        form = _("as JSON") if match["form"] == "JSON" else _("as a page")
        return _("Access request for household %(id)s, %(form)s") % {"id": match["id"], "form": form}
    if match := _RETENTION.fullmatch(what):
        return _("Retention: %(n)s cases anonymised") % {"n": match["n"]}
    return what


def role_label(role):
    return str(Role(role).label) if role in Role.values else role
