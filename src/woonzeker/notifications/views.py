from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

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
    listed = list(user.notifications.select_related("case")[:100])
    user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "notifications/notifications.html", {"notifications": listed, "form": form})
