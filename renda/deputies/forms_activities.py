"""Forms of the activity pages: they parse input; the rules stay in actions_activities.py."""

from __future__ import annotations

from django import forms

from renda.core.models import Office, Role, Street, User
from renda.deputies.actions_activities import ActivityFields
from renda.deputies.forms import DateInput, _choices, _style
from renda.deputies.models import Activity, ActivityKind, Deputy, Group, Invitation, Level
from renda.deputies.queries import visible_deputies


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
            self.fields["version"] = forms.IntegerField(
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
    capacity = forms.IntegerField(label="人数上限（不限请留空）", required=False, min_value=1)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def values(self) -> ActivityFields:
        data = self.cleaned_data
        return ActivityFields(
            **{name: data[name] for name in ActivityFields.__dataclass_fields__ if name in data}
        )


class ActivityCreateForm(ActivityFieldsMixin):
    def __init__(self, data=None, *, user: User, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        _organiser_fields(self, user)
        offices = list(self.fields["organiser_office"].queryset[:2])
        if data is None and len(offices) == 1:
            self.initial["organiser_office"] = offices[0].pk
        _style(self)


class ActivityUpdateForm(ActivityActionForm, ActivityFieldsMixin):
    uses_version = True

    def setup(self) -> None:
        _organiser_fields(self, self.user)
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
