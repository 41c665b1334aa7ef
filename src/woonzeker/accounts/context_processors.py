def door(request):
    """``door_passed``: signed in with every step this account needs, so the menu may be shown."""
    from woonzeker.accounts.second_factor import needs_second_factor

    user = getattr(request, "user", None)
    return {"door_passed": bool(user and user.is_authenticated and not needs_second_factor(request))}
