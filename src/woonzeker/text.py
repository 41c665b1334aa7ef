"""Text typed by people or sent by systems: what we refuse, because nobody can see it.

Control characters (NUL, escape codes, …) and the invisible Unicode formatting characters that reorder or
hide text (right-to-left overrides, zero-width spaces) have no place in a name, an address or a note: they
make a name look like another, break exports and logs, or are refused by the database (NUL). Tabs and line
breaks are allowed in multi-line notes only. Look-alike letters from other scripts are accepted: real names
mix scripts, and we store what was typed (NFC-normalised) rather than guess.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_INVISIBLE = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_REFUSED_IN_NOTES = re.compile(f"[{_INVISIBLE}]")
_REFUSED_ON_ONE_LINE = re.compile(f"[{_INVISIBLE}\t\n\r]")


def refused_character(value, multiline=False):
    """The first character of ``value`` we refuse, or None. Fast for ordinary text (no regex needed)."""
    if value.isprintable():
        return None
    found = (_REFUSED_IN_NOTES if multiline else _REFUSED_ON_ONE_LINE).search(value)
    return found.group() if found else None


def visible(value):
    """``value`` with every non-printable character written out as ``<U+202E>``, to show what was refused."""
    return "".join(c if c.isprintable() or c == " " else f"<U+{ord(c):04X}>" for c in value)


def describe(character):
    return f"U+{ord(character):04X} {unicodedata.name(character, '')}".strip()


def refused_character_message(character):
    return _("This text contains an invisible or control character (%(character)s); remove it and try again.") % {
        "character": describe(character)
    }


class PlainTextValidator:
    """Refuses control and invisible formatting characters (and line breaks, unless ``multiline``)."""

    def __init__(self, multiline=False):
        self.multiline = multiline

    def __call__(self, value):
        character = refused_character(value, self.multiline)
        if character is not None:
            raise ValidationError(refused_character_message(character), code="control_character")


def normalise(value):
    """One form for one text: composed (NFC), so "é" typed two ways is stored, searched and shown alike."""
    return unicodedata.normalize("NFC", value)
