"""Channels, parts of day and outcomes map one to one onto DDAS Vroegsignalering v1.2 codes."""

import json
from pathlib import Path

import pytest

from woonzeker.cases.constants import (
    DDAS_CONTACT_KIND,
    DDAS_DAY_PART,
    DDAS_RESULT,
    ApproachChannel,
    DayPart,
    Outcome,
    Resolution,
)

SCHEMA = json.loads(
    (
        Path(__file__).parents[2] / "src/woonzeker/monitoring/standards/ddas-vroegsignalering-v1.2.schema.json"
    ).read_text()
)
ENUMS = SCHEMA["$defs"]


@pytest.mark.parametrize("channel", ApproachChannel.values)
def test_every_channel_has_a_ddas_contact_kind(channel):
    assert DDAS_CONTACT_KIND[channel] in ENUMS["EnumContactsoort"]["enum"]


@pytest.mark.parametrize("part", DayPart.values)
def test_every_part_of_day_has_a_ddas_code(part):
    assert DDAS_DAY_PART[part] in ENUMS["EnumDagdeel"]["enum"]


@pytest.mark.parametrize("result", Outcome.values + Resolution.values)
def test_every_outcome_and_resolution_has_a_ddas_result(result):
    assert DDAS_RESULT[result] in ENUMS["EnumEindresultaat"]["enum"]
