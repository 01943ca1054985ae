"""The handling pages of deputies' suggestions: the list and its export, the suggestion page with
the actions this user may take now, one page per action, the 交办会 batch, the answer letters.

Thin: parse, fetch through permissions, call one action, render. Every rule is in actions.py and
permissions.py; a refused action re-renders its form with the action's Chinese message."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from renda.core import action_pages as ap
from renda.core.access import allow
from renda.core.downloads import download as _download
from renda.core.errors import ConflictError, DomainError
from renda.core.exports import build_table_xlsx
from renda.core.jobs import start_job
from renda.core.models import Congress, Role, Street, Unit
from renda.suggestions import actions, queries, tasks
from renda.suggestions import forms as f
from renda.suggestions.exports import (
    build_answer_letter_docx,
    build_answer_letter_pdf,
    letter_title,
)
from renda.suggestions.models import Answer, Category, Extension, Status, Suggestion
from renda.suggestions.permissions import (
    available_actions,
    get_attachment_for_user,
    get_suggestion_for_user,
    handles_suggestions,
    is_lead_deputy,
)
from renda.suggestions.presenters import (
    LIST_HEADERS,
    LIST_WIDTHS,
    answer_letter,
    live_units,
    provisional_note,
    status_badge,
)
from renda.suggestions.queries import (
    SORTS,
    awaiting_assignment,
    sessions,
    suggestion_record,
    visible_suggestions,
)

ALL_ROLES = ("admin", "leader", "staff", "street", "deputy", "unit")
OFFICE = ("admin", "staff")  # the assigning office; the actions narrow staff to its own office
DRAFTERS = ("deputy", "staff")
PAGE_SIZE = 30
# Up to this many rows the export is written in the request; more go to the worker.
EXPORT_IN_REQUEST = 1000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SORT_LABELS = {"due": "答复期限", "-due": "答复期限（倒序）", "number": "编号", "-created": "最新"}


# ---------------------------------------------------------------------------------------------
# The list and its export


def _filter_choices(user) -> dict:
    roles = user.roles
    wide = roles.sees_whole_congress or bool(roles.street_ids)
    return {
        "statuses": Status.choices,
        "categories": Category.objects.all(),
        "session_choices": [(f"{t}-{s}", f"第{t}届{s}次会议") for t, s in sessions()],
        "units": Unit.objects.active() if wide else [],
        "streets": Street.objects.active() if wide else [],
        # (pk, name) pairs: several hundred model instances cost more than the query
        "deputies": list(f.mandate_holders().values_list("id", "full_name")) if wide else [],
        "sorts": {key: SORT_LABELS[key] for key in SORTS},
    }


@allow(*ALL_ROLES)
@require_GET
def suggestion_list(request):
    today = timezone.localdate()
    office = handles_suggestions(request.user)
    filters = f.filters_from_params(request.GET)
    page = Paginator(
        queries.suggestion_list(request.user, filters, today=today), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": [
            (s, status_badge(s), s.is_overdue(today), live_units(s)) for s in page.object_list
        ],
        "filters": filters,
        "session_value": (
            f"{filters.term_number}-{filters.session_number}"
            if filters.term_number and filters.session_number
            else ""
        ),
        "filter_query": ap.without_page(request.GET),
        "can_create": request.user.roles.has(Role.DEPUTY) or office,
        "can_batch": office,
        **_filter_choices(request.user),
    }
    return render(request, "suggestions/list.html", context)


@allow(*ALL_ROLES)
@require_GET
def suggestion_export(request):
    """Exactly the rows the list shows for the same filters, every page of them. A big export
    goes to the worker, and the user follows its progress on the job page."""
    filters = f.filters_from_params(request.GET)
    count = queries.suggestion_list(request.user, filters, today=timezone.localdate()).count()
    if count > EXPORT_IN_REQUEST:
        job = start_job(
            user=request.user,
            kind="suggestions.export",
            title=f"导出代表建议（{min(count, tasks.EXPORT_LIMIT)} 件）",
            params={"query": request.GET.urlencode()},
            back_url=reverse("suggestions:list") + "?" + request.GET.urlencode(),
        )
        return redirect("job", pk=job.pk)
    rows = tasks.export_rows(request.user, request.GET.urlencode())
    content = build_table_xlsx(
        title="代表建议", headers=LIST_HEADERS, rows=rows, widths=LIST_WIDTHS
    )
    response = HttpResponse(content, content_type=XLSX)
    today = timezone.localdate()
    response["Content-Disposition"] = f'attachment; filename="suggestions-{today:%Y%m%d}.xlsx"'
    return response


# ---------------------------------------------------------------------------------------------
# The actions: one page per action, the same forms embedded in the suggestion page


@dataclass(frozen=True)
class ActionPage(ap.ActionPage):
    after: str = "detail"  # "list" when the suggestion is gone


def _kw(form: f.ActionForm) -> dict:
    return {"acting_user": form.user, "suggestion": form.suggestion}


def _data(form: f.ActionForm, name: str):
    return form.cleaned_data[name]


def _submit(form) -> str:
    actions.submit(**_kw(form), version=form.version)
    return "建议已提交，等待代表工作机构审查。"


def _delete_draft(form) -> str:
    actions.delete_draft(**_kw(form))
    return "草稿已删除。"


def _withdraw(form) -> str:
    actions.withdraw(**_kw(form), version=form.version)
    return "建议已撤回为草稿。"


def _reply_cosign(form) -> str:
    confirm = _data(form, "decision") == "confirm"
    actions.reply_cosign(**_kw(form), confirm=confirm)
    return "已确认联名。" if confirm else "已拒绝联名。"


def _accept(form) -> str:
    s = actions.accept(**_kw(form), version=form.version)
    return f"已立案，编为第{s.number}号。"


def _decline(form) -> str:
    actions.decline(**_kw(form), reason=_data(form, "reason"), version=form.version)
    return "已决定不予立案，理由已告知代表。"


def _convert_motion(form) -> str:
    actions.convert_motion(**_kw(form), note=_data(form, "note"), version=form.version)
    return "已将议案转为建议。"


def _merge(form) -> str:
    main = _data(form, "into_number")
    s = actions.merge(**_kw(form), into=main, version=form.version)
    return f"已编为第{s.number}号，并入第{main.number}号建议办理。"


def _assign(form) -> str:
    s = actions.assign(**_kw(form), plan=form.plan(), version=form.version)
    return f"已交办，答复期限 {s.due_at}。"


def _sign_for(form) -> str:
    a = actions.sign_for(acting_user=form.user, assignment=_data(form, "assignment"))
    return f"{a.unit.name}已签收。"


def _request_adjustment(form) -> str:
    actions.request_adjustment(
        acting_user=form.user, assignment=_data(form, "assignment"), reason=_data(form, "reason")
    )
    return "调整申请已提交代表工作机构。"


def _decide_adjustment(form) -> str:
    reassign = _data(form, "decision") == "reassign"
    actions.decide_adjustment(
        acting_user=form.user,
        assignment=_data(form, "assignment"),
        reassign_to=_data(form, "reassign_to") if reassign else None,
        note=_data(form, "note"),
    )
    return "已改交其他单位办理。" if reassign else "已决定仍由原单位办理。"


def _record_contact(form) -> str:
    data = form.cleaned_data
    actions.record_contact(
        **_kw(form),
        stage=data["stage"],
        method=data["method"],
        contacted_on=data["contacted_on"],
        summary=data["summary"],
    )
    return "已记录沟通情况。"


def _submit_opinion(form) -> str:
    actions.submit_opinion(
        acting_user=form.user, assignment=_data(form, "assignment"), opinion=_data(form, "opinion")
    )
    return "会办意见已提交主办单位。"


def _answer(form) -> str:
    record = actions.answer(**_kw(form), draft=form.draft())
    return f"已答复（{record.category.code}类）。"


def _return_answer(form) -> str:
    actions.return_answer(**_kw(form), reason=_data(form, "reason"), version=form.version)
    return "答复已退回承办单位重新办理。"


def _correct_category(form) -> str:
    a = actions.correct_category(
        acting_user=form.user,
        answer=_data(form, "answer"),
        category=_data(form, "category"),
        note=_data(form, "note"),
    )
    return f"答复类别已更正为 {a.category.code} 类。"


def _rate(form) -> str:
    rating = actions.rate(**_kw(form), **form.action_kwargs())
    return f"已评价：{rating}。"


def _confirm_face_to_face(form) -> str:
    actions.confirm_face_to_face(acting_user=form.user, answer=_data(form, "answer"))
    return "已确认当面答复。"


def _close(form) -> str:
    actions.close(**_kw(form), note=_data(form, "note"), version=form.version)
    return "建议已办结。"


def _request_extension(form) -> str:
    actions.request_extension(
        **_kw(form), new_due=_data(form, "new_due"), reason=_data(form, "reason")
    )
    return "延期申请已提交代表工作机构审批。"


def _pending_extension(form) -> Extension:
    extension = form.suggestion.extensions.filter(status=Extension.Status.REQUESTED).first()
    if extension is None:
        raise DomainError("invalid_transition", "该建议没有待审批的延期申请。")
    return extension


def _decide_extension(form) -> str:
    approve = _data(form, "decision") == "approve"
    actions.decide_extension(
        acting_user=form.user,
        extension=_pending_extension(form),
        approve=approve,
        note=_data(form, "note"),
    )
    return "已同意延期。" if approve else "已不同意延期。"


def _extend_deadline(form) -> str:
    actions.extend_deadline(
        **_kw(form), new_due=_data(form, "new_due"), reason=_data(form, "reason")
    )
    return f"答复期限已延至 {_data(form, 'new_due')}。"


def _flag_key(form) -> str:
    actions.flag_key(
        **_kw(form),
        leader=_data(form, "leader"),
        office=_data(form, "office"),
        note=_data(form, "note"),
    )
    return "已列为重点督办建议。"


def _unflag_key(form) -> str:
    actions.unflag_key(**_kw(form), note=_data(form, "note"))
    return "已取消重点督办。"


def _publish(form) -> str:
    actions.publish(**_kw(form))
    return "已向社会公开。"


def _unpublish(form) -> str:
    actions.unpublish(**_kw(form), reason=_data(form, "reason"))
    return "已撤回公开。"


def _set_confidential(form) -> str:
    confidential = _data(form, "confidential") == "1"
    actions.set_confidential(**_kw(form), confidential=confidential, reason=_data(form, "reason"))
    return "已设为不予公开。" if confidential else "已取消不予公开。"


def _add_attachment(form) -> str:
    attachment = actions.add_attachment(**_kw(form), upload=_data(form, "file"))
    return f"已上传附件：{attachment.name}。"


ACTION_PAGES: list[ActionPage] = [
    ActionPage("submit", "提交", DRAFTERS, f.VersionedConfirmForm, _submit),
    ActionPage(
        "delete_draft",
        "删除草稿",
        DRAFTERS,
        f.ConfirmForm,
        _delete_draft,
        button="btn-outline-danger",
        confirm="确定删除这份草稿吗？",
        after="list",
    ),
    ActionPage(
        "withdraw", "撤回", DRAFTERS, f.VersionedConfirmForm, _withdraw, "btn-outline-secondary"
    ),
    ActionPage("reply_cosign", "答复联名邀请", ("deputy",), f.CosignReplyForm, _reply_cosign),
    ActionPage("accept", "立案", OFFICE, f.VersionedConfirmForm, _accept, "btn-success"),
    ActionPage("decline", "不予立案", OFFICE, f.ReasonForm, _decline, "btn-outline-danger"),
    ActionPage("convert_motion", "议案转为建议", OFFICE, f.NoteForm, _convert_motion),
    ActionPage("merge", "并案办理", OFFICE, f.MergeForm, _merge, "btn-outline-primary"),
    ActionPage("assign", "交办", OFFICE, f.AssignForm, _assign),
    ActionPage("sign_for", "签收", ("unit",), f.SignForForm, _sign_for, "btn-success"),
    ActionPage(
        "request_adjustment",
        "申请调整承办单位",
        ("unit",),
        f.RequestAdjustmentForm,
        _request_adjustment,
        "btn-outline-warning",
    ),
    ActionPage(
        "decide_adjustment", "决定调整申请", OFFICE, f.DecideAdjustmentForm, _decide_adjustment
    ),
    ActionPage("record_contact", "记录沟通情况", ("unit",), f.ContactForm, _record_contact),
    ActionPage("submit_opinion", "提交会办意见", ("unit",), f.OpinionForm, _submit_opinion),
    ActionPage("answer", "答复代表", ("unit",), f.AnswerForm, _answer, "btn-success"),
    ActionPage(
        "return_answer", "退回答复", OFFICE, f.ReasonForm, _return_answer, "btn-outline-danger"
    ),
    ActionPage(
        "correct_category", "更正答复类别", OFFICE, f.CorrectCategoryForm, _correct_category
    ),
    ActionPage("rate", "评价办理情况", ("deputy",), f.RateForm, _rate, "btn-success"),
    ActionPage(
        "confirm_face_to_face", "确认当面答复", ("deputy",), f.FaceToFaceForm, _confirm_face_to_face
    ),
    ActionPage(
        "close", "办结", OFFICE, f.NoteForm, _close, "btn-dark", confirm="确定办结这件建议吗？"
    ),
    ActionPage("request_extension", "申请延期", ("unit",), f.ExtensionForm, _request_extension),
    ActionPage(
        "decide_extension", "审批延期申请", OFFICE, f.DecideExtensionForm, _decide_extension
    ),
    ActionPage("extend_deadline", "延长答复期限", OFFICE, f.ExtensionForm, _extend_deadline),
    ActionPage("flag_key", "列为重点督办", ("admin", "leader"), f.FlagKeyForm, _flag_key),
    ActionPage(
        "unflag_key",
        "取消重点督办",
        ("admin", "leader"),
        f.PlainNoteForm,
        _unflag_key,
        "btn-outline-secondary",
    ),
    ActionPage("publish", "向社会公开", OFFICE, f.ConfirmForm, _publish, "btn-outline-primary"),
    ActionPage(
        "unpublish", "撤回公开", OFFICE, f.PlainReasonForm, _unpublish, "btn-outline-secondary"
    ),
    ActionPage("set_confidential", "设置是否公开", OFFICE, f.ConfidentialForm, _set_confidential),
    ActionPage(
        "add_attachment",
        "上传附件",
        ("admin", "staff", "deputy", "unit"),
        f.AttachmentForm,
        _add_attachment,
        "btn-outline-primary",
    ),
]


def _today():
    return timezone.localdate()


def _after(request, page: ActionPage, form):
    suggestion, user = form.suggestion, request.user
    if page.after == "list" or not visible_suggestions(user).filter(pk=suggestion.pk).exists():
        return redirect("suggestions:list")
    return redirect("suggestions:detail", pk=suggestion.pk)


def _conflict(request, suggestion: Suggestion, error: DomainError):
    context = {"message": error.message, "suggestion": suggestion}
    return render(request, "suggestions/conflict.html", context, status=409)


SUGGESTION = ap.RecordKind(
    namespace="suggestions",
    template_dir="suggestions",
    fetch=lambda user, pk: {"suggestion": get_suggestion_for_user(user, pk)},
    key="suggestion",
    allowed=lambda user, suggestion: available_actions(user, suggestion, today=_today()),
    done=_after,
    ids="id_%s",  # Django's own: the action's page holds one form
    refused_message="您当前不能对这件建议进行“{label}”。",
)
ACTION_VIEWS = ap.action_views(SUGGESTION, ACTION_PAGES)


# ---------------------------------------------------------------------------------------------
# The suggestion page


def _answer_rows(record, suggestion: Suggestion) -> list[tuple[Answer, str]]:
    # A merged suggestion's deputy gets the main suggestion's answer under their own number.
    query = f"?suggestion={suggestion.pk}" if suggestion.merged_into_id else ""
    return [(answer, query) for answer in record.answers]


@allow(*ALL_ROLES)
@require_GET
def suggestion_detail(request, pk: int):
    user = request.user
    suggestion = get_suggestion_for_user(user, pk)
    today = _today()
    names = available_actions(user, suggestion, today=today)
    record = suggestion_record(suggestion)
    main = suggestion.merged_into
    context = {
        "suggestion": suggestion,
        "badge": status_badge(suggestion),
        "overdue": suggestion.is_overdue(today),
        "provisional_note": provisional_note(suggestion),
        "record": record,
        "events": record.events,
        "answers": _answer_rows(record, suggestion),
        "main_visible": main is not None and visible_suggestions(user).filter(pk=main.pk).exists(),
        "actions": ap.shown_actions(
            SUGGESTION, user, ACTION_PAGES, names, {"suggestion": suggestion}
        ),
        "can_edit": "save_draft" in names and user.roles.has(*DRAFTERS),
        "can_remove_attachments": "remove_attachment" in names and user.roles.has(*DRAFTERS),
    }
    return render(request, "suggestions/detail.html", context)


# ---------------------------------------------------------------------------------------------
# Drafting


def _draft_page(request, form, suggestion=None, *, status: int = 200):
    context = {"form": form, "suggestion": suggestion}
    return render(request, "suggestions/draft_form.html", context, status=status)


def _save_draft(request, form, suggestion=None):
    try:
        saved = actions.save_draft(
            acting_user=request.user,
            suggestion=suggestion,
            version=form.cleaned_data.get("version") if suggestion else None,
            **form.action_kwargs(),
        )
    except ConflictError as error:
        return _conflict(request, suggestion, error)
    except DomainError as error:
        ap.show_domain_error(form, error)
        return _draft_page(request, form, suggestion, status=error.status)
    messages.success(request, "草稿已保存。核对无误后请点击“提交”。")
    return redirect("suggestions:detail", pk=saved.pk)


@allow(*DRAFTERS)
@require_http_methods(["GET", "POST"])
def suggestion_create(request):
    """A deputy drafts their own suggestion; the assigning office enters one on a deputy's
    behalf (picking the deputy)."""
    user = request.user
    on_behalf = handles_suggestions(user)
    if not on_behalf and not user.roles.has(Role.DEPUTY):
        return ap.refused(request, "suggestions", "代为录入建议须由代表工作机构办理。")
    initial = {}
    if on_behalf and user.roles.has(Role.DEPUTY):
        initial["deputy"] = getattr(user, "deputy", None)
    form = f.DraftForm(request.POST or None, user=user, on_behalf=on_behalf, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            return _save_draft(request, form)
        return _draft_page(request, form, status=400)
    return _draft_page(request, form)


@allow(*DRAFTERS)
@require_http_methods(["GET", "POST"])
def suggestion_edit(request, pk: int):
    user = request.user
    suggestion = get_suggestion_for_user(user, pk)
    on_behalf = handles_suggestions(user) and not is_lead_deputy(user, suggestion)
    form = f.DraftForm(request.POST or None, user=user, on_behalf=on_behalf, suggestion=suggestion)
    if request.method == "POST":
        if form.is_valid():
            return _save_draft(request, form, suggestion)
        return _draft_page(request, form, suggestion, status=400)
    if "save_draft" not in available_actions(user, suggestion, today=_today()):
        return ap.refused(request, "suggestions", "只有草稿可以修改，且只有起草人可以修改。")
    return _draft_page(request, form, suggestion)


# ---------------------------------------------------------------------------------------------
# The 交办会: a session's accepted suggestions assigned at once


def _batch_session(params) -> tuple[int, int]:
    term, session = f.parse_session(params.get("session", ""))
    if term and session:
        return term, session
    congress = Congress.current()
    return (congress.term_number, congress.session_number) if congress else (1, 1)


def _batch_forms(data, rows, units):
    unit_list = list(units)
    return [f.BatchRowForm(data, suggestion=s, units=unit_list) for s in rows]


@allow(*OFFICE)
@require_http_methods(["GET", "POST"])
def assign_batch(request):
    """All the included rows are assigned, or none: a refused row names itself."""
    if not handles_suggestions(request.user):
        return ap.refused(request, "suggestions", "只有代表工作机构可以交办建议。")
    term, session = _batch_session(request.POST if request.method == "POST" else request.GET)
    rows = list(awaiting_assignment(term, session))
    forms_ = _batch_forms(request.POST or None, rows, Unit.objects.active())
    context = {
        "forms": forms_,
        "term": term,
        "session": session,
        "session_value": f"{term}-{session}",
        "session_choices": [(f"{t}-{s}", f"第{t}届{s}次会议") for t, s in sessions()],
        "errors": [],
    }
    if request.method != "POST":
        return render(request, "suggestions/assign_batch.html", context)
    plans = [
        (form.suggestion, f.plan_from(form.cleaned_data))
        for form in forms_
        if form.is_valid() and form.included
    ]
    if any(not form.is_valid() for form in forms_) or not plans:
        if all(form.is_valid() for form in forms_):
            context["errors"] = ["请至少为一件建议选择办理方式。"]
        else:
            context["errors"] = ["以下标红的建议填写有误，本批均未交办。"]
        return render(request, "suggestions/assign_batch.html", context, status=400)
    try:
        done = actions.assign_many(acting_user=request.user, plans=plans)
    except DomainError as error:
        context["errors"] = [error.message]
        return render(request, "suggestions/assign_batch.html", context, status=error.status)
    messages.success(request, f"已交办 {len(done)} 件建议。")
    return redirect(f"{reverse('suggestions:list')}?status=assigned&session={term}-{session}")


# ---------------------------------------------------------------------------------------------
# Answer letters


def _letter_for(request, answer_pk: int):
    """The answer and the suggestion the letter is addressed to: the answered one, or (with
    ?suggestion=) one merged into it, which keeps its own number and deputy."""
    answer = (
        Answer.objects.select_related("unit", "category", "suggestion__deputy")
        .filter(pk=answer_pk)
        .first()
    )
    if answer is None:
        raise Http404("未找到该答复。")
    wanted = f.positive_int(request.GET.get("suggestion"))
    if wanted and wanted != answer.suggestion_id:
        suggestion = get_suggestion_for_user(request.user, wanted)
        if suggestion.merged_into_id != answer.suggestion_id:
            raise Http404("该答复不属于这件建议。")
    else:
        suggestion = get_suggestion_for_user(request.user, answer.suggestion_id)
    return answer_letter(answer, suggestion=suggestion, congress=Congress.current())


@allow(*ALL_ROLES)
@require_GET
def letter_docx(request, answer_pk: int):
    letter = _letter_for(request, answer_pk)
    return _download(
        build_answer_letter_docx(letter),
        filename=f"{letter_title(letter)}.docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@allow(*ALL_ROLES)
@require_GET
def letter_pdf(request, answer_pk: int):
    letter = _letter_for(request, answer_pk)
    return _download(
        build_answer_letter_pdf(letter),
        filename=f"{letter_title(letter)}.pdf",
        content_type="application/pdf",
    )


# ---------------------------------------------------------------------------------------------
# Attachments: served only after the permission check


@allow(*ALL_ROLES)
@require_GET
def attachment_download(request, attachment_pk: int):
    attachment = get_attachment_for_user(request.user, attachment_pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type or "application/octet-stream",
    )


@allow(*DRAFTERS)
@require_http_methods(["GET", "POST"])
def attachment_remove(request, attachment_pk: int):
    """GET asks for confirmation (when the user may remove it now); POST removes it."""
    attachment = get_attachment_for_user(request.user, attachment_pk)
    suggestion = get_suggestion_for_user(request.user, attachment.suggestion_id)
    if request.method == "POST":
        try:
            actions.remove_attachment(acting_user=request.user, attachment=attachment)
        except DomainError as error:
            return ap.refused(request, "suggestions", error.message, status=error.status)
        messages.success(request, f"已删除附件：{attachment.name}。")
        return redirect("suggestions:detail", pk=suggestion.pk)
    if "remove_attachment" not in available_actions(request.user, suggestion, today=_today()):
        return ap.refused(request, "suggestions", "您当前不能删除这件建议的附件。")
    context = {"attachment": attachment, "suggestion": suggestion}
    return render(request, "suggestions/remove_attachment.html", context)
