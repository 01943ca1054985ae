"""Forms of the roster pages: they parse input; the rules stay in actions.py (every action
checks again, and names the field at fault)."""

from __future__ import annotations

from django import forms

from renda.core import forms as core_forms
from renda.core.models import Street, User
from renda.core.numbers import SEEN_VERSION
from renda.deputies.actions import PersonFields, SeatFields
from renda.deputies.imports import SHEET
from renda.deputies.models import (
    Deputy,
    Gender,
    Group,
    Level,
    Mandate,
    OccupationCategory,
    Party,
)


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _choices(choices) -> list[tuple[str, str]]:
    return [("", "请选择"), *choices]


class RosterForm(forms.Form):
    """A form of one roster page. It knows the person (and the seat, for a seat's page) and the
    user; `uses_version` adds the hidden version so a form read before someone else's change is
    refused."""

    uses_version = False
    version_of = "deputy"

    def __init__(
        self,
        data=None,
        files=None,
        *,
        deputy: Deputy | None = None,
        mandate: Mandate | None = None,
        user: User,
        **kwargs,
    ):
        super().__init__(data, files, **kwargs)
        self.deputy = deputy
        self.mandate = mandate
        self.user = user
        if self.uses_version:
            row = mandate if self.version_of == "mandate" else deputy
            self.fields["version"] = SEEN_VERSION.form_field(
                required=False, widget=forms.HiddenInput, initial=row.version
            )
        self.setup()
        _style(self)

    def setup(self) -> None:
        """Fields that depend on the records or the user."""

    @property
    def version(self) -> int | None:
        return self.cleaned_data.get("version") if self.uses_version else None


# ---------------------------------------------------------------------------------------------
# A person and a seat


PERSON_FIELDS = (
    "full_name",
    "gender",
    "ethnicity",
    "birth_date",
    "party",
    "occupation_category",
    "work_position",
    "id_number",
    "phone",
)
SEAT_FIELDS = ("level", "term_number", "electoral_unit", "street", "group", "started_on")


def _person_fields() -> dict[str, forms.Field]:
    return {
        "full_name": forms.CharField(label="姓名", max_length=50),
        "gender": forms.ChoiceField(label="性别", choices=_choices(Gender.choices)),
        "ethnicity": forms.CharField(label="民族", max_length=20, initial="汉族"),
        "birth_date": forms.DateField(label="出生日期", widget=DateInput()),
        "party": forms.ChoiceField(label="政治面貌", choices=_choices(Party.choices)),
        "occupation_category": forms.ChoiceField(
            label="构成类别", choices=_choices(OccupationCategory.choices)
        ),
        "work_position": forms.CharField(label="工作单位及职务", max_length=200, required=False),
        "id_number": forms.CharField(
            label="身份证号",
            max_length=18,
            required=False,
            help_text="18 位；性别和出生日期须与身份证号一致",
        ),
        "phone": forms.CharField(label="手机号", max_length=20, required=False),
    }


def _seat_fields() -> dict[str, forms.Field]:
    return {
        "level": forms.ChoiceField(label="层级", choices=_choices(Level.choices)),
        "term_number": forms.IntegerField(label="届次", min_value=1, max_value=99),
        "electoral_unit": forms.CharField(label="选区", max_length=100, required=False),
        "street": forms.ModelChoiceField(
            label="街道", queryset=Street.objects.active(), required=False, empty_label="（无）"
        ),
        "group": forms.ModelChoiceField(
            label="代表小组",
            queryset=Group.objects.select_related("street"),
            required=False,
            empty_label="（无）",
            help_text="须属于所填街道和届次",
        ),
        "started_on": forms.DateField(label="当选日期", widget=DateInput()),
    }


def person_of(cleaned: dict) -> PersonFields:
    values = {name: cleaned.get(name) or "" for name in PERSON_FIELDS}
    return PersonFields(**{**values, "birth_date": cleaned.get("birth_date")})


def seat_of(cleaned: dict) -> SeatFields:
    return SeatFields(
        level=cleaned.get("level") or "",
        term_number=cleaned.get("term_number"),
        started_on=cleaned.get("started_on"),
        electoral_unit=cleaned.get("electoral_unit") or "",
        street=cleaned.get("street"),
        group=cleaned.get("group"),
    )


def _current_term() -> int | None:
    from renda.core.models import Congress

    congress = Congress.current()
    return congress.term_number if congress else None


class AddDeputyForm(RosterForm):
    """A new person and their first seat."""

    def setup(self) -> None:
        self.fields.update(_person_fields())
        self.fields.update(_seat_fields())
        self.fields["level"].initial = Level.DISTRICT
        self.fields["term_number"].initial = _current_term()

    def person(self) -> PersonFields:
        return person_of(self.cleaned_data)

    def seat(self) -> SeatFields:
        return seat_of(self.cleaned_data)


class DeputyForm(RosterForm):
    uses_version = True

    def setup(self) -> None:
        self.fields.update(_person_fields())
        for name in PERSON_FIELDS:
            self.fields[name].initial = getattr(self.deputy, name)

    def person(self) -> PersonFields:
        return person_of(self.cleaned_data)


class MandateForm(RosterForm):
    """A seat: a new one on the person's page, the current one on a seat's page."""

    version_of = "mandate"

    def __init__(self, *args, mandate: Mandate | None = None, **kwargs):
        self.uses_version = mandate is not None
        super().__init__(*args, mandate=mandate, **kwargs)

    def setup(self) -> None:
        self.fields.update(_seat_fields())
        if self.mandate is not None:
            for name in SEAT_FIELDS:
                self.fields[name].initial = getattr(self.mandate, name)
        else:
            self.fields["level"].initial = Level.DISTRICT
            self.fields["term_number"].initial = _current_term()

    def seat(self) -> SeatFields:
        return seat_of(self.cleaned_data)


class EndMandateForm(RosterForm):
    uses_version = True
    version_of = "mandate"
    reason = forms.ChoiceField(label="终止原因", choices=_choices(Mandate.EndReason.choices))
    ended_on = forms.DateField(label="终止日期", widget=DateInput())
    note = forms.CharField(
        label="说明",
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如：第十八届人大常委会第十次会议接受辞职；原因为“其他”时必填",
    )


class ImportForm(core_forms.ImportForm):
    sheet = SHEET
