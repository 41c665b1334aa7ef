"""How a case ends, and the rule that the corporation's eviction steps count in it."""

from woonzeker.cases.constants import MilestoneKind, Outcome


def outcome_matches_milestones(outcome, milestone_kinds):
    """The corporation's steps towards eviction "are recorded as milestones and count in the outcome".

    A case in which the eviction was executed closes as evicted, and a case
    closes as evicted only when the eviction was executed.
    """
    evicted = MilestoneKind.EVICTION_EXECUTED in set(milestone_kinds)
    return evicted == (outcome == Outcome.EVICTED)
