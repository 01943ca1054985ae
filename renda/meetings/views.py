from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from renda.core.access import allow
from renda.core.errors import DomainError
from renda.core.models import TimelineEvent
from renda.meetings.actions import register_meeting
from renda.meetings.forms import MeetingForm
from renda.meetings.models import Meeting
from renda.meetings.queries import meetings

READ_ROLES = ("admin", "leader", "staff")
WRITE_ROLES = ("admin", "staff")


@allow(*READ_ROLES)
def meeting_list(request):
    kind = request.GET.get("kind", "")
    page = Paginator(meetings(kind=kind), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/list.html",
        {
            "page": page,
            "kind": kind,
            "kinds": Meeting.Kind.choices,
            "can_register": request.user.roles.has(*WRITE_ROLES),
        },
    )


@allow(*WRITE_ROLES)
def meeting_create(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = register_meeting(acting_user=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"已登记{meeting.title}。")
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form})


@allow(*READ_ROLES)
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    return render(
        request,
        "meetings/detail.html",
        {"meeting": meeting, "events": TimelineEvent.objects.for_object(meeting)},
    )
