from django.utils.functional import SimpleLazyObject

from renda.core.models import Congress
from renda.core.navigation import entries_for


def navigation(request):
    user = getattr(request, "user", None)
    entries = entries_for(user) if user is not None and user.is_authenticated else []
    return {"nav_entries": entries, "congress": SimpleLazyObject(Congress.current)}
