"""Forms of the station and voters' opinion pages: they parse input; the rules stay in
actions_stations.py."""

from __future__ import annotations

from datetime import timedelta

from django import forms

from renda.core import clock
from renda.core.models import Street, Unit, User
from renda.core.numbers import SEEN_VERSION
from renda.core.privacy import free_text_warnings
from renda.deputies.actions_stations import OpinionFields, StationFields
from renda.deputies.forms import DateInput, _choices, _style
from renda.deputies.forms_activities import TimeInput
from renda.deputies.models import Activity, Deputy, Station, VoterOpinion
from renda.deputies.permissions import keeps_roster
from renda.deputies.queries import visible_deputies
from renda.deputies.queries_stations import (
    FEEDBACK_METHODS,
    latest_answer_text,
    reception_choices_for_station,
    receptions_of_deputy,
)
from renda.suggestions.models import Category, Suggestion

DEFAULT_UNIT_DAYS = 21  # about fifteen working days: the date offered, which staff may change


class ReceptionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Activity) -> str:
        return f"{obj.date:%Y-%m-%d} {obj.starts_at:%H:%M} {obj.title}"


PRIVATE_HINT = "请勿写入身份证号、电话和住址（联系方式请填在对应栏目）。"


class FreeTextWarnings:
    """Free text about a voter is checked for personal data at entry: the page shows a warning
    after saving (it does not refuse), since those who may not see the voter's contact read the
    text masked."""

    free_text: dict[str, str] = {}  # field name -> label

    def warnings(self) -> list[str]:
        data = self.cleaned_data
        opinion = getattr(self, "opinion", None)
        phone = data.get("voter_phone") or (opinion.voter_phone if opinion else "")
        address = data.get("voter_address") or (opinion.voter_address if opinion else "")
        texts = {label: data.get(name) or "" for name, label in self.free_text.items()}
        return free_text_warnings(texts, phone=phone, address=address)


class StationActionForm(FreeTextWarnings, forms.Form):
    """A form behind one station or opinion action. It knows its record and the user."""

    uses_version = False

    def __init__(
        self,
        data=None,
        files=None,
        *,
        station: Station | None = None,
        opinion: VoterOpinion | None = None,
        user: User,
        **kwargs,
    ):
        super().__init__(data, files, **kwargs)
        self.station = station if station is not None else getattr(opinion, "station", None)
        self.opinion = opinion
        self.user = user
        if self.uses_version:
            record = opinion if opinion is not None else station
            self.fields["version"] = SEEN_VERSION.form_field(
                required=False, widget=forms.HiddenInput, initial=record.version
            )
        self.setup()
        _style(self)

    def setup(self) -> None:
        """Add the fields that depend on the records or the user."""

    @property
    def version(self) -> int | None:
        return self.cleaned_data.get("version") if self.uses_version else None


class VersionedConfirmForm(StationActionForm):
    uses_version = True


# ---------------------------------------------------------------------------------------------
# Stations


def _streets_for(user: User):
    streets = Street.objects.active()
    if not keeps_roster(user):
        streets = streets.filter(pk__in=user.roles.street_ids)
    return streets


class StationFieldsMixin(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=_choices(Station.Kind.choices))
    name = forms.CharField(label="名称", max_length=100)
    street = forms.ModelChoiceField(
        label="所在街道（代表之家可不选）",
        queryset=Street.objects.none(),
        required=False,
        empty_label="（无）",
    )
    address = forms.CharField(label="地址", max_length=200)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    opening_hours = forms.CharField(
        label="接待时间说明",
        max_length=200,
        required=False,
        help_text="如：每月第一个周四上午 9:00—11:30",
    )

    def values(self) -> StationFields:
        data = self.cleaned_data
        return StationFields(**{name: data[name] for name in StationFields.__dataclass_fields__})


class StationCreateForm(StationFieldsMixin):
    def __init__(self, data=None, *, user: User, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        self.fields["street"].queryset = _streets_for(user)
        if not keeps_roster(user):
            self.fields["kind"].choices = _choices([Station.Kind.choices[0]])
            self.initial.setdefault("kind", Station.Kind.STATION)
        _style(self)


class StationUpdateForm(StationActionForm, StationFieldsMixin):
    uses_version = True

    def setup(self) -> None:
        station = self.station
        streets = _streets_for(self.user)
        if station.street_id:
            streets = (streets | Street.objects.filter(pk=station.street_id)).distinct()
        self.fields["street"].queryset = streets
        for name in StationFields.__dataclass_fields__:
            self.initial.setdefault(
                name, getattr(station, f"{name}_id", None) or getattr(station, name)
            )


class ScheduleForm(StationActionForm):
    date = forms.DateField(label="日期", widget=DateInput())
    starts_at = forms.TimeField(label="开始时间", widget=TimeInput())
    ends_at = forms.TimeField(label="结束时间", required=False, widget=TimeInput())
    deputies = forms.ModelMultipleChoiceField(label="接待代表", queryset=Deputy.objects.none())
    topic = forms.CharField(label="主题（可不填）", max_length=60, required=False)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def setup(self) -> None:
        deputies = visible_deputies(self.user).with_active_mandate().in_stroke_order()
        self.fields["deputies"].queryset = deputies
        self.fields["deputies"].widget.attrs["size"] = 8


# ---------------------------------------------------------------------------------------------
# Voters' opinions


class VoterFieldsMixin(FreeTextWarnings, forms.Form):
    free_text = {"subject": "事项", "content": "意见内容"}
    voter_name = forms.CharField(label="选民姓名", max_length=50)
    voter_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    voter_address = forms.CharField(label="住址", max_length=200, required=False)
    subject = forms.CharField(label="事项", max_length=100, help_text="如：老旧小区加装电梯")
    content = forms.CharField(
        label="意见内容", widget=forms.Textarea(attrs={"rows": 4}), help_text=PRIVATE_HINT
    )

    def _phone_friendly(self) -> None:
        self.fields["voter_phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})


class OpinionForm(StationActionForm, VoterFieldsMixin):
    """Entered by the station's keepers: any reception of the station, or none."""

    reception = ReceptionChoice(
        label="接待活动（可不选）", queryset=Activity.objects.none(), required=False
    )
    received_on = forms.DateField(
        label="接待日期（选了接待活动可不填）", required=False, widget=DateInput()
    )
    received_by = forms.ModelChoiceField(
        label="接待代表（可不选）", queryset=Deputy.objects.none(), required=False
    )
    field_order = ["reception", "received_on", "received_by"]

    def setup(self) -> None:
        self.fields["reception"].queryset = reception_choices_for_station(self.station)
        self.fields["received_by"].queryset = (
            visible_deputies(self.user).with_active_mandate().in_stroke_order()
        )
        self._phone_friendly()

    def values(self) -> OpinionFields:
        data = self.cleaned_data
        return OpinionFields(
            **{name: data.get(name) for name in OpinionFields.__dataclass_fields__}
        )


class DeputyOpinionForm(VoterFieldsMixin):
    """A deputy's phone page: the receptions they were invited to, and what the voter said."""

    reception = ReceptionChoice(label="接待活动", queryset=Activity.objects.none())
    field_order = ["reception"]

    def __init__(self, data=None, *, user: User, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        self.fields["reception"].queryset = receptions_of_deputy(user)
        self._phone_friendly()
        _style(self)
        for field in self.fields.values():  # large fields: typed on a phone at the station
            large = (
                "form-select-lg" if isinstance(field.widget, forms.Select) else "form-control-lg"
            )
            field.widget.attrs["class"] += f" {large}"

    def values(self) -> OpinionFields:
        data = self.cleaned_data
        return OpinionFields(
            **{
                name: data.get(name)
                for name in OpinionFields.__dataclass_fields__
                if name not in ("received_on", "received_by")
            }
        )


class ForwardSuggestionForm(StationActionForm):
    uses_version = True
    free_text = {"title": "建议标题", "content": "建议内容"}
    title = forms.CharField(label="建议标题", max_length=200)
    content = forms.CharField(label="建议内容", widget=forms.Textarea(attrs={"rows": 5}))
    category = forms.ModelChoiceField(label="类别", queryset=Category.objects.none())
    timing = forms.ChoiceField(
        label="提出时间",
        choices=Suggestion.Timing.choices,
        initial=Suggestion.Timing.BETWEEN_SESSIONS,
    )

    def setup(self) -> None:
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        self.initial.setdefault("title", f"关于{self.opinion.subject}的建议")
        self.initial.setdefault("content", self.opinion.content)


class ForwardUnitForm(StationActionForm):
    uses_version = True
    free_text = {"note": "转办说明"}
    unit = forms.ModelChoiceField(label="转交单位", queryset=Unit.objects.none())
    due_on = forms.DateField(label="答复期限", widget=DateInput())
    note = forms.CharField(
        label="转办说明（可不填）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def setup(self) -> None:
        self.fields["unit"].queryset = Unit.objects.active()
        self.initial.setdefault("due_on", clock.today() + timedelta(days=DEFAULT_UNIT_DAYS))


class AnswerForm(StationActionForm):
    uses_version = True
    free_text = {"result": "办理结果"}
    result = forms.CharField(
        label="办理结果", widget=forms.Textarea(attrs={"rows": 4}), help_text=PRIVATE_HINT
    )

    def setup(self) -> None:
        if self.opinion.suggestion_id and "result" not in self.initial:
            self.initial["result"] = latest_answer_text(self.opinion)


class ReportBackForm(StationActionForm):
    uses_version = True
    free_text = {"note": "反馈情况"}
    method = forms.ChoiceField(
        label="反馈方式", choices=_choices([(m, m) for m in FEEDBACK_METHODS])
    )
    note = forms.CharField(label="反馈情况", widget=forms.Textarea(attrs={"rows": 3}))
