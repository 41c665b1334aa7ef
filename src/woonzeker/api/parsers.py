"""Request bodies: DRF's JSON parser, with a body nested beyond Python's stack refused as a 400."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's, except that a body nested too deeply to read (``[[[[…]]]]`` a hundred thousand deep, a few
    hundred kB) is a parse error like any other malformed JSON, not a ``RecursionError`` and a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON body is nested too deeply.")) from None
