"""Pages of the law library: the list of laws and their versions, one version's full structure
(chapters folded, every article with its clauses and items, an anchor per article), and the
import page (paste the text or upload .txt/.md/.docx; problems are listed by line and the text
stays in the form to be corrected).

Thin: every rule is in actions/laws.py (who may import, what a valid text is) and
queries_laws.py (who may read)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from renda.core.access import allow
from renda.core.errors import DomainError
from renda.core.models import TimelineEvent
from renda.supervision import queries_laws as queries
from renda.supervision.actions import laws as actions
from renda.supervision.laws import FILE_TYPES, MAX_BYTES, parse_law, read_law_upload, split_lines

READERS = ("admin", "leader", "staff")
IMPORTERS = ("admin", "staff")  # actions.can_import_laws: leaders only read the library
PAGE_SIZE = 30


# ---------------------------------------------------------------------------------------------
# The list


@allow(*READERS)
@require_GET
def law_list(request):
    q = request.GET.get("q", "").strip()
    page = Paginator(queries.law_list(q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "filter_query": urlencode({"q": q}) if q else "",
        "can_import": actions.can_import_laws(request.user),
    }
    return render(request, "supervision/laws/list.html", context)


# ---------------------------------------------------------------------------------------------
# One version


@allow(*READERS)
@require_GET
def law_version(request, pk: int):
    version = queries.get_law_version_for_user(request.user, pk)
    q = request.GET.get("q", "").strip()
    context = {
        "version": version,
        "law": version.law,
        # The note (题注) is not stored apart: it is read again from the stored text.
        "note": parse_law(version.source_text).note,
        "outline": queries.outline(version),
        "others": queries.other_versions(version),
        "q": q,
        "found": queries.search_provisions(version, q) if q else None,
        "events": TimelineEvent.objects.for_object(version),
        "can_import": actions.can_import_laws(request.user),
    }
    return render(request, "supervision/laws/version.html", context)


# ---------------------------------------------------------------------------------------------
# Import


class LawImportForm(forms.Form):
    label = forms.CharField(
        label="版本",
        max_length=actions.MAX_LABEL,
        help_text="如“2021年修正”“2017年修订”；同一法律法规的版本名称不能重复。",
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    effective_on = forms.DateField(
        label="施行日期",
        required=False,
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}),
    )
    title = forms.CharField(
        label="名称",
        required=False,
        max_length=actions.MAX_TITLE,
        help_text="不填则取全文第一行，如“中华人民共和国安全生产法”。",
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    file = forms.FileField(
        label="上传文件",
        required=False,
        help_text="支持 .txt、.md（UTF-8 编码）和 .docx；上传文件时不必粘贴全文。",
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ",".join(f".{t}" for t in FILE_TYPES)}
        ),
    )
    text = forms.CharField(
        label="或粘贴全文",
        required=False,
        strip=False,
        help_text="第一行为名称，其后可有题注（通过、修正的时间）和目录；每条以“第一条”这样的编号开头。",
        widget=forms.Textarea(attrs={"class": "form-control font-monospace", "rows": 18}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            self.add_error("text", "请粘贴全文，或上传文件。")
        return data


def _problem_rows(text: str, problems) -> list[dict]:
    """Each problem with the line it is about, so the user finds it without line numbers."""
    lines = split_lines(text)
    return [
        {
            "line": p.line,
            "message": p.message,
            "source": lines[p.line - 1].strip() if 0 < p.line <= len(lines) else "",
        }
        for p in problems
    ]


def _show(form: LawImportForm, error: DomainError) -> None:
    for name, text in error.field_errors.items():
        if name in form.fields:
            form.add_error(name, text)
    form.add_error(None, error.message)


def _render_import(request, form, *, problems=None, status: int = 200):
    context = {"form": form, "problems": problems or [], "max_mb": MAX_BYTES // 1024 // 1024}
    return render(request, "supervision/laws/import.html", context, status=status)


@allow(*IMPORTERS)
@require_http_methods(["GET", "POST"])
def law_import(request):
    if request.method == "GET":
        return _render_import(request, LawImportForm())
    form = LawImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_import(request, form, status=400)
    data = form.cleaned_data
    upload, source_name = data.get("file"), ""
    try:
        text, source_name = read_law_upload(upload) if upload else (data["text"], "")
    except DomainError as error:
        _show(form, error)
        return _render_import(request, form, status=error.status)
    try:
        version = actions.import_law(
            acting_user=request.user,
            text=text,
            label=data["label"],
            effective_on=data.get("effective_on"),
            source_name=source_name,
            title=data.get("title") or "",
        )
    except actions.LawParseError as error:
        # The text stays in the form (an uploaded file's too), to be corrected and sent again.
        form = LawImportForm({**request.POST.dict(), "text": text})
        form.is_valid()
        return _render_import(
            request, form, problems=_problem_rows(text, error.problems), status=400
        )
    except DomainError as error:
        _show(form, error)
        return _render_import(request, form, status=error.status)
    messages.success(
        request,
        f"已导入《{version.law.title}》（{version.label}），共 {version.article_count} 条。",
    )
    return redirect("supervision:law_version", pk=version.pk)
