"""The vocabulary of a case: states, outcomes, channels, problem areas.

Channels and outcomes carry their code in the national early-signalling
exchange model (DDAS Vroegsignalering v1.2, ``docs/standards/``), so an export
maps one to one. Where the covenant needs more than the standard (evictions,
the corporation's milestones), our value maps to the nearest standard code,
documented in ``docs/architecture.md``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    SIGNAL = "signal", _("Signal")
    RESOLVED_BEFORE_REFERRAL = "resolved_before_referral", _("Resolved before referral")
    REFERRED = "referred", _("Referred")
    FEEDBACK_SENT = "feedback_sent", _("Analysis fed back")
    CARE_TRAJECTORY = "care_trajectory", _("Care trajectory")
    CLOSED = "closed", _("Closed")


OPEN_STATES = (State.SIGNAL, State.REFERRED, State.FEEDBACK_SENT, State.CARE_TRAJECTORY)
FINAL_STATES = (State.RESOLVED_BEFORE_REFERRAL, State.CLOSED)


class ReferralSource(models.TextChoices):
    HOUSING_CORPORATION = "housing_corporation", _("Housing corporation")
    SAFE_HOME = "safe_home", _("Veilig Thuis")


class ApproachChannel(models.TextChoices):
    """How a tenant was approached; values map to DDAS ``EnumContactsoort``."""

    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone call")
    HOME_VISIT = "home_visit", _("Home visit")
    EMAIL = "email", _("E-mail")
    TEXT_MESSAGE = "text_message", _("Text message or WhatsApp")
    CARD = "card", _("Card through the letterbox")
    APPOINTMENT = "appointment", _("Appointment at a location")
    ADMINISTRATIVE = "administrative", _("Administrative")
    OTHER = "other", _("Other")


DDAS_CONTACT_KIND = {
    ApproachChannel.LETTER: "Brief",
    ApproachChannel.PHONE: "Telefoon",
    ApproachChannel.HOME_VISIT: "Huisbezoek",
    ApproachChannel.EMAIL: "Mail",
    ApproachChannel.TEXT_MESSAGE: "SMS/Whatsapp",
    ApproachChannel.CARD: "Kaartje",
    ApproachChannel.APPOINTMENT: "Afspraak op locatie",
    ApproachChannel.ADMINISTRATIVE: "Administratief",
    ApproachChannel.OTHER: "Overige",
}


class DayPart(models.TextChoices):
    """DDAS ``EnumDagdeel``."""

    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    EVENING = "evening", _("Evening")


DDAS_DAY_PART = {DayPart.MORNING: "Ochtend", DayPart.AFTERNOON: "Middag", DayPart.EVENING: "Avond"}


class Resolution(models.TextChoices):
    """Why a signal ended before referral (covenant, step 3)."""

    ARREARS_PAID = "arrears_paid", _("Arrears paid off")
    PAYMENT_ARRANGEMENT = "payment_arrangement", _("Payment arrangement agreed")


class Outcome(models.TextChoices):
    """How a case ended; values map to DDAS ``EnumEindresultaat``."""

    ARREARS_CLEARED = "arrears_cleared", _("Arrears cleared")
    ARRANGEMENT_RUNNING = "arrangement_running", _("Payment arrangement running")
    EVICTION_AVERTED = "eviction_averted", _("Eviction averted")
    HELP_REFUSED = "help_refused", _("Tenant refused help")
    NOT_REACHED = "not_reached", _("Tenant not reached")
    ALREADY_IN_DEBT_ASSISTANCE = "already_in_debt_assistance", _("Already in debt assistance")
    OTHER_TRAJECTORY = "other_trajectory", _("Already in another trajectory")
    MOVED = "moved", _("Tenant moved")
    DECEASED = "deceased", _("Tenant deceased")
    UNFOUNDED_SIGNAL = "unfounded_signal", _("Unfounded signal")
    EVICTED = "evicted", _("Evicted")


DDAS_RESULT = {
    Resolution.ARREARS_PAID: "Inwoner heeft zelf al betaald/betalingsregeling getroffen",
    Resolution.PAYMENT_ARRANGEMENT: "Inwoner heeft zelf al betaald/betalingsregeling getroffen",
    Outcome.ARREARS_CLEARED: "Vervolghulp en/of verwijzing financieel",
    Outcome.ARRANGEMENT_RUNNING: "Vervolghulp en/of verwijzing financieel",
    Outcome.EVICTION_AVERTED: "Vervolghulp en/of verwijzing",
    Outcome.HELP_REFUSED: "Inwoner regelt het zelf/hoeft geen hulp vanuit vroegsignalering",
    Outcome.NOT_REACHED: "Definitief geen contact kunnen krijgen",
    Outcome.ALREADY_IN_DEBT_ASSISTANCE: "Inwoner al bekend bij schuldhulpverlening",
    Outcome.OTHER_TRAJECTORY: "Inwoner heeft al een ander lopend traject",
    Outcome.MOVED: "Persoon is geen inwoner (meer) in de gemeente",
    Outcome.DECEASED: "Inwoner is overleden",
    Outcome.UNFOUNDED_SIGNAL: "Niet opgepakt: onterecht signaal",
    # The standard has no eviction result; the covenant counts it through the
    # corporation's milestones. The nearest code: help was offered and followed.
    Outcome.EVICTED: "Vervolghulp en/of verwijzing",
}

#: Outcomes with which a corporation may withdraw a signal that was never referred.
SIGNAL_WITHDRAWAL_OUTCOMES = (Outcome.MOVED, Outcome.DECEASED, Outcome.UNFOUNDED_SIGNAL, Outcome.EVICTED)


class ProblemArea(models.TextChoices):
    FINANCES = "finances", _("Finances and debts")
    INCOME = "income", _("Income")
    HOUSING = "housing", _("Housing")
    FAMILY = "family", _("Family and relations")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    PHYSICAL_HEALTH = "physical_health", _("Physical health")
    ADDICTION = "addiction", _("Addiction")
    DAILY_FUNCTIONING = "daily_functioning", _("Daily functioning")
    SOCIAL_NETWORK = "social_network", _("Social network")
    JUSTICE = "justice", _("Justice")


class Severity(models.TextChoices):
    NONE = "none", _("No problem")
    MILD = "mild", _("Mild")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")


class InvolvementStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    FINISHED = "finished", _("Finished")
    DECLINED = "declined", _("Declined")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Ended: consent withdrawn")
    CASE_CLOSED = "case_closed", _("Ended: case closed")


#: An involvement still under way: the service works on the case.
RUNNING_INVOLVEMENT = (InvolvementStatus.REQUESTED, InvolvementStatus.ACCEPTED)


#: Who may move an involvement from one status to the next.
INVOLVEMENT_STATUS_CHANGES = {
    InvolvementStatus.REQUESTED: (InvolvementStatus.ACCEPTED, InvolvementStatus.DECLINED),
    InvolvementStatus.ACCEPTED: (InvolvementStatus.FINISHED,),
    InvolvementStatus.FINISHED: (),
    InvolvementStatus.DECLINED: (),
    InvolvementStatus.CONSENT_WITHDRAWN: (),  # by the withdrawal itself (``withdraw_consent``), never by a service
    InvolvementStatus.CASE_CLOSED: (),  # by the move that closes the case (``_performing``), never by a service
}


class CorporationDecision(models.TextChoices):
    AGREED = "agreed", _("Agrees to a care trajectory")
    DECLINED = "declined", _("Declines a care trajectory")


class MilestoneKind(models.TextChoices):
    """The corporation's own steps towards eviction."""

    SUMMONS = "summons", _("Summons issued")
    JUDGMENT = "judgment", _("Judgment given")
    EVICTION_SCHEDULED = "eviction_scheduled", _("Eviction scheduled")
    EVICTION_CANCELLED = "eviction_cancelled", _("Eviction cancelled")
    EVICTION_EXECUTED = "eviction_executed", _("Eviction executed")
