"""Small numbers are not shown: a count below the covenant's threshold could point to a household."""

from django.utils.translation import gettext as _


def shown(count, covenant):
    """``count`` as monitoring shows it: "<5" for 1 to 4 (with the default threshold), else the number."""
    if count is None:
        return "—"
    threshold = covenant.small_count_threshold
    if 0 < count < threshold:
        return f"<{threshold}"
    return count


def shown_share(part, total, covenant):
    """A percentage, hidden when the total it is taken of is itself too small to show."""
    if not total:
        return "—"
    if total < covenant.small_count_threshold:
        return _("hidden")
    return f"{round(100 * part / total)}%"
