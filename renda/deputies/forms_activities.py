"""Forms of the activity pages: they parse input; the rules stay in actions_activities.py."""

from __future__ import annotations

from django import forms

from renda.core.models import Office, Role, Street, User
from renda.core.numbers import CAPACITY, SEEN_VERSION
from renda.deputies.actions_activities import ActivityFields
from renda.deputies.forms import DateInput, _choices, _style
from renda.deputies.models import (
    Activity,
    ActivityKind,
    Deputy,
    Group,
    Invitation,
    Level,
    Station,
)
from renda.deputies.queries import visible_deputies
from renda.deputies.queries_activities import LINK_LABELS, LINKS, link_choices
from renda.meetings.models import Meeting
from renda.plans.models import PlanItem
from renda.supervision.models import Inquiry, Inspection


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class ActivityActionForm(forms.Form):
    """A form behind one activity or invitation action. It knows its records and the user."""

    uses_version = False

    def __init__(
        self,
        data=None,
        files=None,
        *,
        activity: Activity,
        invitation: Invitation | None = None,
        user: User,
        **kwargs,
    ):
        super().__init__(data, files, **kwargs)
        self.activity = activity
        self.invitation = invitation
        self.user = user
        if self.uses_version:
            self.fields["version"] = SEEN_VERSION.form_field(
                required=False, widget=forms.HiddenInput, initial=activity.version
            )
        self.setup()
        _style(self)

    def setup(self) -> None:
        """Add the fields that depend on the records or the user."""

    @property
    def version(self) -> int | None:
        return self.cleaned_data.get("version") if self.uses_version else None


class ConfirmForm(ActivityActionForm):
    """An action without input: the button is the whole form."""


class VersionedConfirmForm(ActivityActionForm):
    uses_version = True


class ReasonForm(ActivityActionForm):
    reason = forms.CharField(label="理由", max_length=200)


class VersionedReasonForm(ReasonForm):
    uses_version = True


class LeaveForm(ActivityActionForm):
    reason = forms.CharField(label="请假事由", max_length=200)


class DeclineForm(ActivityActionForm):
    reason = forms.CharField(label="原因（可不填）", max_length=200, required=False)


class GrantForm(ActivityActionForm):
    answer = forms.CharField(label="意见（可不填）", max_length=200, required=False)


def _organiser_fields(form: forms.Form, user: User) -> None:
    roles = user.roles
    offices = Office.objects.filter(is_active=True)
    if not roles.is_admin:
        offices = offices.filter(pk__in=roles.office_ids)
    streets = Street.objects.active()
    if not (roles.is_admin or roles.has(Role.STAFF)):
        streets = streets.filter(pk__in=roles.street_ids)
    form.fields["organiser_office"].queryset = offices
    form.fields["organiser_street"].queryset = streets


class ActivityFieldsMixin(forms.Form):
    kind = forms.ChoiceField(label="活动类型", choices=_choices(ActivityKind.choices))
    title = forms.CharField(label="活动名称", max_length=100)
    organiser_office = forms.ModelChoiceField(
        label="组织处室", queryset=Office.objects.none(), required=False, empty_label="（无）"
    )
    organiser_street = forms.ModelChoiceField(
        label="组织街道", queryset=Street.objects.none(), required=False, empty_label="（无）"
    )
    date = forms.DateField(label="日期", widget=DateInput())
    starts_at = forms.TimeField(label="开始时间", widget=TimeInput())
    ends_at = forms.TimeField(label="结束时间", required=False, widget=TimeInput())
    place = forms.CharField(label="地点", max_length=100)
    capacity = CAPACITY.form_field(label="人数上限（不限请留空）", required=False)
    half_days = forms.IntegerField(
        label="时长（半天，不填为 1）",
        required=False,
        min_value=1,
        max_value=40,
        help_text="人代会请假按半天扣分：会期两天半填 5。",
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    station = forms.ModelChoiceField(
        label="落实：联络站接待", queryset=Station.objects.none(), required=False
    )
    meeting = forms.ModelChoiceField(
        label="落实：会议（人代会、列席常委会）", queryset=Meeting.objects.none(), required=False
    )
    inspection = forms.ModelChoiceField(
        label="落实：执法检查", queryset=Inspection.objects.none(), required=False
    )
    inquiry = forms.ModelChoiceField(
        label="落实：专题询问", queryset=Inquiry.objects.none(), required=False
    )
    plan_item = forms.ModelChoiceField(
        label="落实：计划事项", queryset=PlanItem.objects.none(), required=False
    )

    def values(self) -> ActivityFields:
        data = dict(self.cleaned_data)
        data["half_days"] = data.get("half_days") or 1
        return ActivityFields(
            **{name: data[name] for name in ActivityFields.__dataclass_fields__ if name in data}
        )


def _link_fields(form: forms.Form, user: User, activity: Activity | None = None) -> None:
    """Each link offers what the user may see; an activity keeps its current link selectable."""
    choices = link_choices(user)
    for name in LINKS:
        queryset = choices[name]
        current = getattr(activity, f"{name}_id", None) if activity else None
        if current:
            queryset = (queryset | queryset.model.objects.filter(pk=current)).distinct()
        field = form.fields[name]
        field.queryset = queryset
        field.empty_label = "（无）"
        if name == "plan_item":
            field.label_from_instance = lambda item: f"{item.plan.year}年 {item.title}"


def prefill(user, params) -> tuple[dict, str]:
    """Initial values of a new activity from the work it carries out (?meeting=<id>, ?station=,
    ?inspection=, ?inquiry=, ?plan_item=): the link, the kind that fits, its name, day and
    place; and the work's name for the page. Work the user may not see, or a bad id, gives
    nothing."""
    choices = link_choices(user)
    for name in LINKS:
        raw = str(params.get(name) or "").strip()
        if not raw.isdigit():
            continue
        target = choices[name].filter(pk=int(raw)).first()
        if target is not None:
            return {name: target.pk, **_from_target(name, target)}, f"{LINK_LABELS[name]}：{target}"
    return {}, ""


def _from_target(name: str, target) -> dict:
    if name == "station":
        initial = {"kind": ActivityKind.RECEPTION, "title": f"{target.name}代表接待选民"}
        initial["place"] = target.address
        if target.street_id:
            initial["organiser_street"] = target.street_id
        return initial
    if name == "meeting":
        congress = target.kind == Meeting.Kind.CONGRESS
        kind = ActivityKind.SESSION if congress else ActivityKind.STANDING_COMMITTEE
        title = str(target) if congress else f"列席{target}"
        initial = {"kind": kind, "title": title, "date": target.date}
        if target.place:
            initial["place"] = target.place
        return initial
    if name == "inspection":
        return {"kind": ActivityKind.INSPECTION, "title": target.title[:100]}
    if name == "inquiry":
        return {"kind": ActivityKind.INQUIRY, "title": str(target)[:100]}
    return {"title": target.title[:100]}  # a plan item fits any kind: the organiser chooses


class ActivityCreateForm(ActivityFieldsMixin):
    def __init__(self, data=None, *, user: User, params=None, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        _organiser_fields(self, user)
        _link_fields(self, user)
        self.carries_out = ""  # the work the page was opened from, said above the form
        if data is None:
            initial, self.carries_out = prefill(user, params or {})
            self.initial.update(initial)
            offices = list(self.fields["organiser_office"].queryset[:2])
            if len(offices) == 1 and "organiser_street" not in self.initial:
                self.initial["organiser_office"] = offices[0].pk
        _style(self)


class ActivityUpdateForm(ActivityActionForm, ActivityFieldsMixin):
    uses_version = True

    def setup(self) -> None:
        _organiser_fields(self, self.user)
        _link_fields(self, self.user, self.activity)
        # The current organiser stays selectable even if the user is not of it.
        activity = self.activity
        if activity.organiser_office_id:
            self.fields["organiser_office"].queryset = (
                self.fields["organiser_office"].queryset
                | Office.objects.filter(pk=activity.organiser_office_id)
            ).distinct()
        for name in ActivityFields.__dataclass_fields__:
            self.initial.setdefault(
                name, getattr(activity, f"{name}_id", None) or getattr(activity, name)
            )


class InviteForm(ActivityActionForm):
    deputies = forms.ModelMultipleChoiceField(
        label="代表", queryset=Deputy.objects.none(), required=False
    )
    groups = forms.ModelMultipleChoiceField(
        label="代表小组（邀请其全部现任代表）", queryset=Group.objects.none(), required=False
    )
    levels = forms.MultipleChoiceField(
        label="层级（邀请该层级全部现任代表）", choices=Level.choices, required=False
    )

    def setup(self) -> None:
        reachable = visible_deputies(self.user).with_active_mandate().in_stroke_order()
        self.fields["deputies"].queryset = reachable
        self.fields["deputies"].widget.attrs["size"] = 8
        groups = Group.objects.select_related("street")
        if not self.user.roles.sees_whole_congress:
            groups = groups.filter(street_id__in=self.user.roles.street_ids)
        self.fields["groups"].queryset = groups


class CheckInForm(forms.Form):
    code = forms.CharField(label="签到码", max_length=12)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "class": "form-control form-control-lg",
            }
        )
