"""Forms of the rectification pages: they parse input, then a view hands the cleaned values to
one action (which checks every rule again)."""

from __future__ import annotations

from django import forms

from renda.core.numbers import SEEN_VERSION
from renda.supervision.models import Rectification


def _style(form: forms.Form) -> None:
    """Bootstrap classes on every widget, so templates render fields plainly."""
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


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files at once; the action checks each one's type and size by content."""

    def __init__(self, *, required: bool = False, **kwargs):
        kwargs.setdefault("label", "整改佐证材料")
        kwargs.setdefault("help_text", "可选多个文件：PDF、Word、Excel、图片，单个不超过 20 MB")
        super().__init__(required=required, widget=MultipleFileInput(), **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if self.required and not files:
            raise forms.ValidationError("请选择要上传的文件")
        return [super(FilesField, self).clean(one, initial) for one in files]


class ActionForm(forms.Form):
    """The form behind one action button: it knows its item and user; `uses_version` adds the
    hidden version, so a form read before someone else's change is refused (409)."""

    uses_version = True

    def __init__(self, data=None, files=None, *, item: Rectification, user, **kwargs):
        super().__init__(data, files, **kwargs)
        self.item = item
        self.user = user
        if self.uses_version:
            self.fields["version"] = SEEN_VERSION.form_field(
                required=False, widget=forms.HiddenInput, initial=item.version
            )
        self.setup()
        _style(self)

    def setup(self) -> None:
        """Fields that depend on the item."""

    @property
    def version(self) -> int | None:
        return self.cleaned_data.get("version") if self.uses_version else None


class ReportForm(ActionForm):
    text = forms.CharField(label="整改进展", widget=_textarea(4))
    percent = forms.IntegerField(
        label="进度（%）", min_value=0, max_value=99, help_text="整改完成请“申请销号”"
    )
    measures = forms.CharField(
        label="整改措施", required=False, widget=_textarea(3), help_text="不填则保持原有措施"
    )
    evidence = FilesField()

    def setup(self) -> None:
        self.fields["percent"].initial = min(self.item.progress, 99)
        self.fields["measures"].initial = self.item.measures


class SubmitForm(ActionForm):
    result = forms.CharField(label="整改结果", widget=_textarea(4))
    evidence = FilesField(help_text="申请销号须有佐证材料（已上传的也算），可选多个")


class VerifyForm(ActionForm):
    note = forms.CharField(label="审核意见", required=False, widget=_textarea(2))


class RejectForm(ActionForm):
    reason = forms.CharField(label="退回理由", widget=_textarea(3))


class DeadlineForm(ActionForm):
    due_on = forms.DateField(label="新的整改期限", widget=DateInput())
    reason = forms.CharField(label="调整理由", widget=_textarea(2))

    def setup(self) -> None:
        self.fields["due_on"].initial = self.item.due_on


class EvidenceForm(ActionForm):
    uses_version = False
    files = FilesField(required=True)
