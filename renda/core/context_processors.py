from django.utils.functional import SimpleLazyObject

from renda.core.models import Congress, Notification
from renda.core.navigation import entries_for


def _unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at=None).count()


def navigation(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    entries = entries_for(user) if signed_in else []
    # Lazy: one COUNT query, only on pages that draw the navbar.
    unread = SimpleLazyObject(lambda: _unread_count(user)) if signed_in else 0
    return {
        "nav_entries": entries,
        "congress": SimpleLazyObject(Congress.current),
        "unread_notifications": unread,
    }
