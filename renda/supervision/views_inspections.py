"""The inspection pages (执法检查): the list with its filters, creating an inspection, the
inspection page (方案、检查组、检查条款、检查活动、问题、报告、审议意见、整改, and the timeline)
with only the moves the user may make now, one page per move (GET shows its form, POST makes
it), the report download, a deputy's invitations, and the published inspections.

Thin: parse, fetch through queries_inspections.get_inspection_for_user, call one action or
read, render. Every rule is in actions/inspections.py (and inspection_actions, the same rules)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods

from renda.core import action_pages as ap
from renda.core.access import PUBLIC, allow
from renda.core.downloads import download
from renda.core.errors import DomainError
from renda.core.exports import build_table_xlsx
from renda.core.models import Office, Unit
from renda.supervision import forms_inspections as f
from renda.supervision import queries_inspections as q
from renda.supervision.actions import common
from renda.supervision.actions import inspections as actions
from renda.supervision.exports_inspections import (
    SECTIONS,
    build_inspection_report_docx,
    report_name,
)
from renda.supervision.models import (
    ChecklistClause,
    InspectionStatus,
    Law,
    Rectification,
    ReviewOpinion,
    TeamRole,
    Visit,
)

READERS = ("admin", "leader", "staff", "deputy", "unit")  # deputies and units are narrowed
ORGAN = ("admin", "leader", "staff")
OFFICE = ("admin", "staff")  # the office running the inspection; the action narrows staff
LEADERS = ("admin", "leader")
DEPUTY = ("deputy",)
PAGE_SIZE = 30
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _url(name: str, pk: int) -> str:
    """A link to a sibling area's page; empty while that page does not exist."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


# ---------------------------------------------------------------------------------------------
# The list and creating an inspection


@allow(*READERS)
@require_GET
def inspection_list(request):
    filters = q.filters_from_params(request.GET)
    rows = q.inspection_list(request.user, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = ap.without_page(request.GET)
    context = {
        "page": page,
        "filters": filters,
        "filter_query": query,
        "export_url": reverse("supervision:inspections_export") + (f"?{query}" if query else ""),
        "years": q.inspection_years(),
        "offices": Office.objects.filter(is_active=True),
        "statuses": InspectionStatus.choices,
        "laws": Law.objects.order_by("title"),
        "can_create": request.user.roles.has(*OFFICE),
        "is_deputy": "deputy" in request.user.roles.names,
    }
    return render(request, "supervision/inspections/list.html", context)


EXPORT_HEADERS = [
    "年度",
    "名称",
    "检查的法律法规",
    "承办机构",
    "开始日期",
    "结束日期",
    "组长",
    "状态",
]


@allow(*READERS)
@require_GET
def inspection_list_export(request):
    """The list as it is filtered, as an Excel workbook."""
    rows = q.inspection_list(request.user, q.filters_from_params(request.GET))
    data = build_table_xlsx(
        title="执法检查",
        headers=EXPORT_HEADERS,
        rows=[
            [
                row.year,
                row.title,
                f"{row.law_version.law.title}（{row.law_version.label}）"
                if row.law_version
                else "",
                row.office.name,
                row.starts_on,
                row.ends_on,
                row.leader.get_full_name() if row.leader_id else "",
                row.get_status_display(),
            ]
            for row in rows
        ],
        widths=[8, 36, 40, 18, 12, 12, 10, 14],
    )
    return download(data, content_type=XLSX, filename="执法检查.xlsx")


@allow(*OFFICE)
@require_http_methods(["GET", "POST"])
def inspection_create(request):
    form = f.InspectionCreateForm(
        request.POST or None, user=request.user, initial={"year": common.today().year}
    )
    template = "supervision/inspections/create.html"
    if request.method == "GET":
        return render(request, template, {"form": form})
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    try:
        inspection = actions.create_inspection(acting_user=request.user, **form.cleaned_data)
    except DomainError as error:
        ap.show_domain_error(form, error)
        return render(request, template, {"form": form}, status=error.status)
    messages.success(request, "执法检查已立项，请制定检查方案。")
    return redirect("supervision:inspection", pk=inspection.pk)


# ---------------------------------------------------------------------------------------------
# The actions: one page per action, the same forms embedded in the inspection page


@dataclass(frozen=True)
class ActionPage(ap.ActionPage):
    section: str = "plan"  # where the inspection page shows the result


def _kw(form: f.ActionForm, *, versioned: bool = True) -> dict:
    kw = {"acting_user": form.user, "inspection": form.inspection}
    if versioned and form.uses_version:
        kw["version"] = form.version
    return kw


def _data(form: f.ActionForm, name: str):
    return form.cleaned_data[name]


def _update_plan(form) -> str:
    actions.update_inspection_plan(**_kw(form), **form.values())
    return "检查方案已保存。"


def _add_step(form) -> str:
    step = actions.add_step(
        **_kw(form),
        title=_data(form, "title"),
        starts_on=_data(form, "starts_on"),
        ends_on=_data(form, "ends_on"),
    )
    return f"已增加检查步骤：{step.title}。"


def _remove_step(form) -> str:
    step = _data(form, "step")
    actions.remove_step(acting_user=form.user, step=step)
    return f"已删除检查步骤：{step.title}。"


def _complete_step(form) -> str:
    step = actions.complete_step(
        acting_user=form.user,
        step=_data(form, "step"),
        done_on=_data(form, "done_on"),
        note=_data(form, "note"),
    )
    return f"检查步骤已完成：{step.title}。"


def _submit(form) -> str:
    actions.submit_inspection_plan(**_kw(form))
    return "检查方案已提交主任会议审定。"


def _return(form) -> str:
    actions.return_inspection_plan(**_kw(form), reason=_data(form, "reason"))
    return "检查方案已退回修改。"


def _approve(form) -> str:
    inspection = actions.approve_inspection_plan(**_kw(form), meeting=_data(form, "meeting"))
    return f"检查方案已经{inspection.approved_meeting.title}审定。"


def _start(form) -> str:
    actions.start_inspection(**_kw(form))
    return "执法检查已开始。"


def _appoint(form) -> str:
    member = actions.appoint_team_member(
        **_kw(form),
        role=_data(form, "role"),
        user=_data(form, "user"),
        name=_data(form, "name"),
        title=_data(form, "title"),
    )
    return f"已任命{member.name}为检查组{member.get_role_display()}。"


def _remove_member(form) -> str:
    member = _data(form, "member")
    actions.remove_team_member(acting_user=form.user, member=member)
    return f"{member.name}已移出检查组。"


def _invite(form) -> str:
    members = actions.invite_deputies(**_kw(form), deputies=list(_data(form, "deputies")))
    return f"已邀请代表 {len(members)} 名。"


def _reply_for_deputy(form) -> str:
    member = actions.record_reply_for_deputy(
        acting_user=form.user,
        member=_data(form, "member"),
        accept=form.accept,
        note=_data(form, "note"),
    )
    return f"已登记{member.name}代表的答复：{member.get_invitation_display()}。"


def _choose_clauses(form) -> str:
    rows = actions.choose_clauses(**_kw(form), entries=form.entries())
    return f"已选定检查条款 {len(rows)} 条。"


def _update_clause(form) -> str:
    clause = actions.update_clause(
        acting_user=form.user,
        clause=_data(form, "clause"),
        duty_kind=_data(form, "duty_kind"),
        duty=_data(form, "duty"),
        bodies=list(_data(form, "bodies")),
    )
    return f"检查条款已修改：{clause.citation}。"


def _remove_clause(form) -> str:
    clause = _data(form, "clause")
    actions.remove_clause(acting_user=form.user, clause=clause)
    return f"已移除检查条款：{clause.citation}。"


def _record_finding(form) -> str:
    clause = actions.record_finding(
        acting_user=form.user,
        clause=_data(form, "clause"),
        conclusion=_data(form, "conclusion"),
        finding=_data(form, "finding"),
    )
    return f"已记录{clause.citation}的检查结论：{clause.get_conclusion_display()}。"


def _record_visit(form) -> str:
    visit = actions.record_visit(
        **_kw(form),
        method=_data(form, "method"),
        held_on=_data(form, "held_on"),
        place=_data(form, "place"),
        bodies=list(_data(form, "bodies")),
        participants=list(_data(form, "participants")),
        other_participants=_data(form, "other_participants"),
        notes=_data(form, "notes"),
    )
    return f"已登记检查活动：{visit.get_method_display()}（{visit.place}）。"


def _record_questionnaire(form) -> str:
    row = actions.record_questionnaire(
        **_kw(form),
        **{
            name: _data(form, name)
            for name in (
                "title",
                "audience",
                "distributed",
                "returned",
                "results",
                "held_from",
                "held_to",
            )
        },
    )
    return f"已登记问卷调查：{row.title}。"


def _add_problem(form) -> str:
    problem = actions.add_problem(**_kw(form), **form.values())
    return f"已登记问题{problem.position}。"


def _update_problem(form) -> str:
    problem = actions.update_problem(
        acting_user=form.user, problem=_data(form, "problem"), **form.values()
    )
    return f"问题{problem.position}已修改。"


def _remove_problem(form) -> str:
    problem = _data(form, "problem")
    actions.remove_problem(acting_user=form.user, problem=problem)
    return f"已删除问题{problem.position}。"


def _write_report(form) -> str:
    actions.write_report(
        **_kw(form),
        implementation=_data(form, "implementation"),
        suggestions=_data(form, "suggestions"),
        amendments=_data(form, "amendments"),
    )
    return "检查报告已保存。"


def _form_report(form) -> str:
    actions.form_report(**_kw(form))
    return "执法检查报告已形成，已报告常委会领导。"


def _reopen(form) -> str:
    actions.reopen_inspection(**_kw(form), reason=_data(form, "reason"))
    return "已退回检查组补充检查。"


def _draft_opinions(form) -> str:
    opinions = actions.draft_opinions_from_problems(**_kw(form), meeting=_data(form, "meeting"))
    units = "、".join(o.unit.name for o in opinions)
    return f"已起草审议意见 {len(opinions)} 份（{units}），请逐份修改后交办。"


def _close(form) -> str:
    actions.close_inspection(**_kw(form), result_statement=_data(form, "result_statement"))
    return "执法检查已办结。"


def _publish(form) -> str:
    actions.publish_inspection(**_kw(form))
    return "执法检查报告已向社会公开。"


ACTION_PAGES: list[ActionPage] = [
    ActionPage("update_inspection_plan", "修改检查方案", OFFICE, f.PlanForm, _update_plan),
    ActionPage("add_step", "增加检查步骤", OFFICE, f.StepForm, _add_step),
    ActionPage(
        "remove_step",
        "删除检查步骤",
        OFFICE,
        f.StepChoiceForm,
        _remove_step,
        button="btn-outline-danger",
        confirm="确定删除该检查步骤吗？",
    ),
    ActionPage(
        "submit_inspection_plan",
        "提交主任会议审定",
        OFFICE,
        f.ConfirmForm,
        _submit,
        button="btn-success",
    ),
    ActionPage(
        "approve_inspection_plan",
        "审定方案",
        LEADERS,
        f.ApproveForm,
        _approve,
        button="btn-success",
    ),
    ActionPage(
        "return_inspection_plan",
        "退回修改",
        LEADERS,
        f.ReasonForm,
        _return,
        button="btn-outline-danger",
    ),
    ActionPage("start_inspection", "开始检查", OFFICE, f.ConfirmForm, _start, button="btn-success"),
    ActionPage("complete_step", "完成检查步骤", OFFICE, f.CompleteStepForm, _complete_step),
    ActionPage(
        "appoint_team_member", "任命检查组成员", OFFICE, f.AppointForm, _appoint, section="team"
    ),
    ActionPage(
        "invite_deputies", "邀请代表", OFFICE, f.InviteForm, _invite, section="team", embed=False
    ),
    ActionPage(
        "record_reply_for_deputy",
        "代为登记代表答复",
        OFFICE,
        f.ReplyForDeputyForm,
        _reply_for_deputy,
        section="team",
    ),
    ActionPage(
        "remove_team_member",
        "移出检查组",
        OFFICE,
        f.MemberChoiceForm,
        _remove_member,
        section="team",
        button="btn-outline-danger",
        confirm="确定将该成员移出检查组（撤回邀请）吗？",
    ),
    ActionPage(
        "choose_clauses",
        "选定检查条款",
        OFFICE,
        f.ChooseClausesForm,
        _choose_clauses,
        section="checklist",
        embed=False,
    ),
    ActionPage(
        "update_clause",
        "修改检查条款",
        OFFICE,
        f.UpdateClauseForm,
        _update_clause,
        section="checklist",
    ),
    ActionPage(
        "remove_clause",
        "移除检查条款",
        OFFICE,
        f.ClauseChoiceForm,
        _remove_clause,
        section="checklist",
        button="btn-outline-danger",
        confirm="确定移除该检查条款吗？",
    ),
    ActionPage(
        "record_finding",
        "记录检查发现",
        OFFICE,
        f.FindingForm,
        _record_finding,
        section="checklist",
    ),
    ActionPage(
        "record_visit", "登记检查活动", OFFICE, f.VisitForm, _record_visit, section="activities"
    ),
    ActionPage(
        "record_questionnaire",
        "登记问卷调查",
        OFFICE,
        f.QuestionnaireForm,
        _record_questionnaire,
        section="activities",
    ),
    ActionPage(
        "add_problem", "登记发现的问题", OFFICE, f.ProblemFields, _add_problem, section="problems"
    ),
    ActionPage(
        "update_problem",
        "修改问题",
        OFFICE,
        f.UpdateProblemForm,
        _update_problem,
        section="problems",
    ),
    ActionPage(
        "remove_problem",
        "删除问题",
        OFFICE,
        f.ProblemChoiceForm,
        _remove_problem,
        section="problems",
        button="btn-outline-danger",
        confirm="确定删除该问题吗？",
    ),
    ActionPage(
        "write_report", "撰写检查报告", OFFICE, f.ReportForm, _write_report, section="report"
    ),
    ActionPage(
        "form_report",
        "形成检查报告",
        OFFICE,
        f.ConfirmForm,
        _form_report,
        section="report",
        button="btn-success",
    ),
    ActionPage(
        "reopen_inspection",
        "退回补充检查",
        OFFICE,
        f.ReasonForm,
        _reopen,
        section="report",
        button="btn-outline-warning",
    ),
    ActionPage(
        "draft_opinions_from_problems",
        "据问题起草审议意见",
        OFFICE,
        f.OpinionsForm,
        _draft_opinions,
        section="opinions",
    ),
    ActionPage(
        "close_inspection",
        "办结",
        OFFICE,
        f.CloseForm,
        _close,
        section="rectification",
        button="btn-success",
    ),
    ActionPage(
        "publish_inspection",
        "向社会公开",
        OFFICE,
        f.ConfirmForm,
        _publish,
        section="report",
        button="btn-dark",
        confirm="公开后，检查报告的内容任何人均可查看。确定公开吗？",
    ),
]
PAGES = {page.name: page for page in ACTION_PAGES}


def _done(request, page: ActionPage, form):
    url = reverse("supervision:inspection", args=[form.inspection.pk])
    return redirect(f"{url}#{page.section}")


INSPECTION = ap.RecordKind(
    namespace="supervision",
    template_dir="supervision/inspections",
    fetch=lambda user, pk: {"inspection": q.get_inspection_for_user(user, pk)},
    key="inspection",
    allowed=q.inspection_actions,
    done=_done,
    # ?clause=… preselects a row, ?q=… searches the pickers
    get_kwargs=lambda request: {"initial": request.GET.dict()},
)
ACTION_VIEWS = ap.action_views(INSPECTION, ACTION_PAGES)


# ---------------------------------------------------------------------------------------------
# The inspection page


def _detail_rows(inspection) -> dict:
    """Every part of the page, each in one query (two with its many-to-many)."""
    units = Unit.objects.order_by("sort_order", "id")
    steps = list(inspection.steps.all())
    team = list(inspection.team.select_related("deputy").order_by("role", "id"))
    clauses = list(
        inspection.checklist.prefetch_related(Prefetch("bodies", queryset=units)).order_by(
            "position", "id"
        )
    )
    visits = list(
        Visit.objects.filter(inspection=inspection)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("bodies", queryset=units), "participants")
        .order_by("held_on", "id")
    )
    problems = list(
        inspection.problems.select_related("unit", "clause").order_by(
            "clause__position", "unit__sort_order", "position", "id"
        )
    )
    opinions = list(
        ReviewOpinion.objects.filter(inspection=inspection)
        .select_related("unit", "meeting")
        .order_by("id")
    )
    rectifications = list(
        Rectification.objects.filter(inspection=inspection)
        .select_related("unit")
        .order_by("due_on", "id")
    )
    return {
        "steps": steps,
        "team": team,
        "clauses": clauses,
        "visits": visits,
        "questionnaires": list(inspection.questionnaires.all()),
        "problems": problems,
        "opinions": [(o, _url("supervision:opinion", o.pk)) for o in opinions],
        "rectifications": [(r, _url("supervision:rectification", r.pk)) for r in rectifications],
        "open_rectifications": sum(1 for r in rectifications if r.is_open),
    }


def _own_invitation(user, inspection, team) -> tuple:
    """A deputy looking at an inspection they are invited to: their invitation, and the replies
    they may still give."""
    for member in team:
        if q.may_reply(user, member):
            open_ = inspection.status in q.INVITING_STATES
            return member, sorted(q.reply_moves(member)) if open_ else []
    return None, []


@allow(*READERS)
@require_GET
def inspection_detail(request, pk: int):
    user = request.user
    inspection = q.get_inspection_for_user(user, pk)
    rows = _detail_rows(inspection)
    counts = q.counts_from(rows["steps"], rows["team"], rows["clauses"], rows["problems"])
    names = q.inspection_actions(user, inspection, counts=counts)
    invitation, moves = _own_invitation(user, inspection, rows["team"])
    appointed = [m for m in rows["team"] if m.role != TeamRole.DEPUTY]
    deputies = [m for m in rows["team"] if m.role == TeamRole.DEPUTY]
    context = {
        "inspection": inspection,
        **rows,
        "appointed": appointed,
        "deputies": deputies,
        "invitations": q.invitation_counts(rows["team"]),
        "unchecked": sum(
            1 for c in rows["clauses"] if c.conclusion == ChecklistClause.Conclusion.UNCHECKED
        ),
        "sections": SECTIONS,
        "events": q.inspection_timeline(inspection, [m.pk for m in rows["team"]]),
        "actions": ap.shown_actions(
            INSPECTION, user, ACTION_PAGES, names, {"inspection": inspection}
        ),
        "is_organ": user.roles.has(*ORGAN),
        "invitation": invitation,
        "reply_moves": moves,
        "reply_form": f.ReplyForm(member=invitation, auto_id="id_reply-%s") if invitation else None,
    }
    return render(request, "supervision/inspections/detail.html", context)


@allow(*READERS)
@require_GET
def inspection_report_docx(request, pk: int):
    inspection = q.get_inspection_for_user(request.user, pk)
    return download(
        build_inspection_report_docx(inspection),
        content_type=DOCX,
        filename=f"{report_name(inspection)}.docx",
    )


# ---------------------------------------------------------------------------------------------
# A deputy's invitations and their reply


@allow(*DEPUTY)
@require_GET
def my_invitations(request):
    rows = q.my_invitations(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [(m, sorted(q.reply_moves(m))) for m in page.object_list]
    context = {
        "page": page,
        "items": items,
        "replying": set(q.INVITING_STATES),
        "filter_query": "",
    }
    return render(request, "supervision/inspections/invitations.html", context)


@allow(*DEPUTY)
@require_http_methods(["GET", "POST"])
def reply_invitation(request, pk: int):
    member = q.get_invitation_for_user(request.user, pk)
    if not q.may_reply(request.user, member):
        raise Http404("未找到该邀请，或您无权查看。")
    template = "supervision/inspections/reply.html"
    if request.method == "GET":
        form = f.ReplyForm(member=member, initial=request.GET.dict())
        return render(request, template, {"form": form, "member": member})
    form = f.ReplyForm(request.POST, member=member)
    if not form.is_valid():
        return render(request, template, {"form": form, "member": member}, status=400)
    try:
        actions.reply_invitation(
            acting_user=request.user,
            member=member,
            accept=form.accept,
            note=form.cleaned_data["note"],
        )
    except DomainError as error:
        ap.show_domain_error(form, error)
        return render(request, template, {"form": form, "member": member}, status=error.status)
    word = "接受" if form.accept else "谢绝"
    messages.success(request, f"您已{word}参加“{member.inspection.title}”的邀请。")
    return redirect("supervision:my_invitations")


# ---------------------------------------------------------------------------------------------
# Published inspections: the reports' text, no personal data


@allow(PUBLIC)
@require_GET
def public_inspections(request):
    page = Paginator(q.public_inspections(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "supervision/inspections/public_list.html", {"page": page, "filter_query": ""}
    )


@allow(PUBLIC)
@require_GET
def public_inspection(request, pk: int):
    inspection = q.public_inspections().filter(pk=pk).first()
    if inspection is None:
        raise Http404("该执法检查不存在或未公开。")
    problems = inspection.problems.select_related("unit", "clause").order_by("position", "id")
    context = {"inspection": inspection, "problems": problems, "sections": SECTIONS}
    return render(request, "supervision/inspections/public_detail.html", context)
