from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from woonzeker.accounts.authorization import visible_cases
from woonzeker.forms import StyledForm
from woonzeker.notifications.models import CANNOT_SWITCH_OFF, Delivery, Kind, Preference


class PreferencesForm(StyledForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
        for kind in Kind:
            choices = Delivery.choices if kind not in CANNOT_SWITCH_OFF else Delivery.choices[:2]
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=choices, initial=chosen.get(kind.value, Delivery.IMMEDIATELY)
            )
        self._describe_fields()


@login_required
def notifications(request):
    user = request.user
    form = PreferencesForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        for kind, delivery in form.cleaned_data.items():
            Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})
        messages.success(request, _("Your choices were saved."))
        return redirect("notifications:list")
    listed = list(user.notifications.all()[:100])
    # A notification links to its case only while the reader may open it (a consent withdrawn, say).
    named = {notification.case_id for notification in listed if notification.case_id}
    open_to_them = set(visible_cases(user).filter(pk__in=named).values_list("pk", flat=True))
    for notification in listed:
        notification.opens_case = notification.case_id in open_to_them
    user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "notifications/notifications.html", {"notifications": listed, "form": form})
