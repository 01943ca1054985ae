"""Forms of the review-opinion pages: they parse input; the rules stay in actions/opinions.py
(every action checks again)."""

from __future__ import annotations

from django import forms

from renda.core.models import Unit
from renda.core.numbers import ID, SEEN_VERSION
from renda.meetings.models import Meeting
from renda.supervision.models import (
    Inspection,
    OpinionPoint,
    OpinionStatus,
    Problem,
    ReviewOpinion,
    WorkReport,
)
from renda.supervision.queries_opinions import SOURCE_KINDS, OpinionFilters, unit_problems

EXTRA_POINT_ROWS = 3


def positive_int(value) -> int | None:
    return ID.parse(value)


def filters_from_params(params) -> OpinionFilters:
    """Unknown or malformed values are ignored rather than refused: a list link never breaks."""
    status = params.get("status", "")
    source = params.get("source", "")
    year = positive_int(params.get("year"))
    return OpinionFilters(
        status=status if status in OpinionStatus.values else "",
        unit=positive_int(params.get("unit")),
        source=source if source in SOURCE_KINDS else "",
        overdue=params.get("overdue") in ("1", "true", "on"),
        year=year if year and 2000 <= year <= 2100 else None,
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


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def standing_meetings():
    return Meeting.objects.filter(kind=Meeting.Kind.STANDING).order_by("-date", "-id")


class ProblemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Problem) -> str:
        return f"{obj.position}. {obj.description[:60]}"


# ---------------------------------------------------------------------------------------------
# Drafting an opinion


def default_title(inspection: Inspection | None, work_report: WorkReport | None) -> str:
    if inspection is not None:
        return f"关于{inspection.title}报告的审议意见"
    title = work_report.title.strip()
    return f"关于{title if title.startswith('《') else f'《{title}》'}的审议意见"


def problem_text(problem: Problem) -> str:
    """What a point on a problem says to begin with; the office edits it."""
    if problem.suggestion:
        return f"{problem.description.rstrip('。')}。{problem.suggestion}"
    return problem.description


class OpinionCreateForm(forms.Form):
    unit = forms.ModelChoiceField(label="交办机关", queryset=Unit.objects.none())
    meeting = forms.ModelChoiceField(label="审议会议", queryset=Meeting.objects.none())
    title = forms.CharField(label="标题", max_length=200, help_text="如“关于……的审议意见”")
    preamble = forms.CharField(label="总体意见", required=False, widget=_textarea(4))

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["unit"].queryset = Unit.objects.active()
        self.fields["meeting"].queryset = standing_meetings()
        _style(self)


class PointRowForm(forms.Form):
    """One point of a new opinion; a row left empty is ignored."""

    problem = ProblemChoice(
        label="针对的问题",
        queryset=Problem.objects.none(),
        required=False,
        empty_label="（不针对具体问题）",
    )
    text = forms.CharField(label="意见", required=False, widget=_textarea(3))

    def __init__(self, *args, problems=None, **kwargs):
        super().__init__(*args, **kwargs)
        if problems is None:
            del self.fields["problem"]
        else:
            self.fields["problem"].queryset = problems
        _style(self)


PointRows = forms.formset_factory(PointRowForm, extra=EXTRA_POINT_ROWS, max_num=100)


def point_rows(data=None, *, inspection: Inspection | None, unit_id: int | None):
    """The point rows: one per problem the inspection found at the body, then blank rows."""
    problems = (
        Problem.objects.filter(inspection=inspection).order_by("position", "id")
        if inspection is not None
        else None
    )
    initial = [
        {"problem": p.pk, "text": problem_text(p)}
        for p in unit_problems(inspection.pk if inspection else None, unit_id)
    ]
    return PointRows(
        data, initial=initial or None, prefix="points", form_kwargs={"problems": problems}
    )


def cleaned_points(rows) -> list[tuple[str, Problem | None]]:
    return [
        (row.cleaned_data["text"], row.cleaned_data.get("problem"))
        for row in rows
        if (row.cleaned_data.get("text") or "").strip()
    ]


# ---------------------------------------------------------------------------------------------
# The forms behind the action buttons


class ActionForm(forms.Form):
    """A form behind one action. It knows its opinion (and point, for a point action) and the
    user; `uses_version` adds the opinion's version so a form read before someone else's change
    is refused."""

    uses_version = True

    def __init__(
        self,
        data=None,
        *,
        opinion: ReviewOpinion,
        point: OpinionPoint | None = None,
        user,
        **kwargs,
    ):
        super().__init__(data, **kwargs)
        self.opinion = opinion
        self.point = point
        self.user = user
        if self.uses_version:
            self.fields["version"] = SEEN_VERSION.form_field(
                required=False, widget=forms.HiddenInput, initial=opinion.version
            )
        self.setup()
        _style(self)

    def setup(self) -> None:
        """Add the fields that depend on the opinion, the point or the user."""

    @property
    def version(self) -> int | None:
        return self.cleaned_data.get("version") if self.uses_version else None


class ConfirmForm(ActionForm):
    """An action without input: the button is the whole form."""


class OpinionEditForm(ActionForm):
    title = forms.CharField(label="标题", max_length=200)
    preamble = forms.CharField(label="总体意见", required=False, widget=_textarea(4))

    def setup(self) -> None:
        self.fields["title"].initial = self.opinion.title
        self.fields["preamble"].initial = self.opinion.preamble


class PointForm(ActionForm):
    text = forms.CharField(label="意见", widget=_textarea(4))
    problem = ProblemChoice(
        label="针对的问题",
        queryset=Problem.objects.none(),
        required=False,
        empty_label="（不针对具体问题）",
    )

    def setup(self) -> None:
        if not self.opinion.inspection_id:
            del self.fields["problem"]
        else:
            # Every problem of the inspection: citing another body's is refused by the action
            # with its own message rather than hidden.
            self.fields["problem"].queryset = Problem.objects.filter(
                inspection_id=self.opinion.inspection_id
            ).order_by("position", "id")
        if self.point is not None:
            self.fields["text"].initial = self.point.text
            if "problem" in self.fields:
                self.fields["problem"].initial = self.point.problem_id

    @property
    def chosen_problem(self) -> Problem | None:
        return self.cleaned_data.get("problem")


class HandlingReportForm(ActionForm):
    text = forms.CharField(
        label="研究处理情况",
        widget=_textarea(8),
        help_text="逐条说明对审议意见的研究处理情况和整改措施",
    )

    def setup(self) -> None:
        self.fields["text"].initial = self.opinion.handling_report


class VoteForm(ActionForm):
    meeting = forms.ModelChoiceField(label="测评会议", queryset=Meeting.objects.none())
    votes_satisfied = forms.IntegerField(label="满意票", min_value=0, max_value=1000)
    votes_basic = forms.IntegerField(label="基本满意票", min_value=0, max_value=1000)
    votes_unsatisfied = forms.IntegerField(label="不满意票", min_value=0, max_value=1000)

    def setup(self) -> None:
        self.fields["meeting"].queryset = standing_meetings()
