from datetime import date

from ninja import Query, Router, Schema
from ninja.responses import Status

from renda.core.access import api_allow
from renda.core.api_types import Id, MeetingNumber, Term, Year
from renda.meetings.actions import register_meeting
from renda.meetings.queries import meetings

router = Router(tags=["meetings"])


class MeetingIn(Schema):
    kind: str
    term_number: Term
    number: MeetingNumber
    date: date
    place: str = ""
    note: str = ""


class MeetingOut(Schema):
    id: Id
    kind: str
    term_number: Term
    number: MeetingNumber
    date: date
    place: str
    title: str


class MeetingQuery(Schema):
    kind: str = ""
    year: Year | None = None


@router.get("/", response=list[MeetingOut], summary="会议登记列表")
@api_allow("admin", "leader", "staff")
def list_meetings(request, params: Query[MeetingQuery]):
    return list(meetings(kind=params.kind, year=params.year)[:500])


@router.post("/", response={201: MeetingOut}, summary="登记会议")
@api_allow("admin", "staff")
def create_meeting(request, payload: MeetingIn):
    return Status(201, register_meeting(acting_user=request.user, **payload.dict()))
