"""The law library pages: the list, a version's structure, the import page (paste and upload),
what each role sees, and query counts that do not grow with the number of laws or articles."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renda.supervision.actions.laws import import_law
from renda.supervision.models import Law, LawProvision, LawVersion
from tests.supervision.test_laws_parser import SAFETY, docx_bytes, text_of

pytestmark = pytest.mark.django_db

LIST = reverse("supervision:laws")
IMPORT = reverse("supervision:law_import")
SMALL = "示例条例\n第一章 总则\n第一条 为了示例，制定本条例。\n第二条 本条例自公布之日起施行。"


def version_url(version: LawVersion) -> str:
    return reverse("supervision:law_version", args=[version.pk])


def safety(user, label: str = "2021年修正") -> LawVersion:
    return import_law(
        acting_user=user, text=text_of(SAFETY), label=label, effective_on=date(2021, 9, 1)
    )


def html_of(response) -> str:
    return response.content.decode()


def counts() -> tuple[int, int, int]:
    return Law.objects.count(), LawVersion.objects.count(), LawProvision.objects.count()


# ---------------------------------------------------------------------------------------------
# The list


def test_list_shows_laws_with_their_versions(client, supervision):
    p = supervision.p
    safety(p.admin, "2014年修正")
    safety(p.admin)
    import_law(acting_user=p.admin, text=SMALL, label="2019年")
    client.force_login(p.leader)
    response = client.get(LIST)
    assert response.status_code == 200
    html = html_of(response)
    assert 'id="law-count">2<' in html
    assert "《中华人民共和国安全生产法》" in html and "《示例条例》" in html
    assert html.index("2021年修正") < html.index("2014年修正")  # newest first
    assert 'id="import-law"' not in html  # leaders only read
    client.force_login(p.staff)
    assert 'id="import-law"' in html_of(client.get(LIST))
    found = html_of(client.get(LIST, {"q": "安全"}))
    assert "安全生产法" in found and "《示例条例》" not in found
    assert "没有名称含“刑法”的法律法规" in html_of(client.get(LIST, {"q": "刑法"}))


def test_empty_list_invites_importers_to_import(client, supervision):
    client.force_login(supervision.staff)
    assert "法律法规库还是空的" in html_of(client.get(LIST))


def test_list_query_count_does_not_grow(client, supervision, django_assert_num_queries):
    p = supervision.p
    import_law(acting_user=p.admin, text=SMALL, label="2019年")
    client.force_login(p.leader)
    client.get(LIST)
    with django_assert_num_queries(8):
        client.get(LIST)
    for n in range(4):
        import_law(
            acting_user=p.admin, text=SMALL.replace("示例条例", f"示例{n}条例", 1), label="2020年"
        )
        import_law(
            acting_user=p.admin, text=SMALL.replace("示例条例", f"示例{n}条例", 1), label="2021年"
        )
    with django_assert_num_queries(8):
        assert len(client.get(LIST).context["page"].object_list) == 5


# ---------------------------------------------------------------------------------------------
# One version


def test_version_page_shows_the_whole_structure(client, supervision):
    p = supervision.p
    old = safety(p.social_staff, "2014年修正")
    version = safety(p.social_staff)
    client.force_login(p.leader)
    html = html_of(client.get(version_url(version)))
    assert "《中华人民共和国安全生产法》" in html and 'id="version-label">2021年修正<' in html
    assert 'id="article-count">119 条<' in html
    # Seven chapters, folded with <details>, each with its title; an anchor per article.
    assert len(re.findall(r'<details class="law-chapter', html)) == 7
    assert "生产经营单位的安全生产保障" in html
    assert len(re.findall(r'<article class="law-article', html)) == 119
    assert 'id="第二十一条"' in html and 'id="第一百一十九条"' in html
    article21 = html[html.index('id="第二十一条"') : html.index('id="第二十二条"')]
    assert article21.count('class="law-item') == 7
    assert "建立健全并落实本单位全员安全生产责任制" in article21
    article4 = html[html.index('id="第四条"') : html.index('id="第五条"')]
    assert article4.count('class="law-clause') == 2 and "第二款" in article4
    assert "2002年6月29日" in html  # the note (题注)
    assert "导入《中华人民共和国安全生产法》（2021年修正），共 119 条" in html  # the timeline
    assert version_url(old) in html  # the other version
    assert 'href="#p' in html and 'id="law-contents"' in html  # the contents


def test_version_page_searches_provisions(client, supervision):
    version = safety(supervision.staff)
    client.force_login(supervision.staff)
    html = html_of(client.get(version_url(version), {"q": "双重预防"}))
    results = html[html.index('id="search-results"') : html.index('id="law-text"')]
    assert "第四条第一款" in results and "第二十一条第（五）项" in results
    html = html_of(client.get(version_url(version), {"q": "不会出现的词"}))
    assert "没有找到。" in html


def test_version_page_query_count_does_not_grow(client, supervision, django_assert_num_queries):
    p = supervision.p
    small = import_law(acting_user=p.admin, text=SMALL, label="2019年")
    big = safety(p.admin)
    client.force_login(p.leader)
    client.get(version_url(small))
    with django_assert_num_queries(9):
        client.get(version_url(small))
    with django_assert_num_queries(9):
        client.get(version_url(big))


def test_unknown_version_is_404(client, supervision):
    client.force_login(supervision.p.leader)
    assert client.get(reverse("supervision:law_version", args=[999])).status_code == 404


# ---------------------------------------------------------------------------------------------
# Import


def test_import_pasted_text(client, supervision):
    client.force_login(supervision.staff)
    assert client.get(IMPORT).status_code == 200
    response = client.post(
        IMPORT, {"label": "2021年修正", "effective_on": "2021-09-01", "text": text_of(SAFETY)}
    )
    version = LawVersion.objects.get()
    assert response.status_code == 302 and response["Location"] == version_url(version)
    assert (version.article_count, version.effective_on, version.source_name) == (
        119,
        date(2021, 9, 1),
        "",
    )
    html = html_of(client.get(response["Location"]))
    assert "已导入《中华人民共和国安全生产法》（2021年修正），共 119 条。" in html


def test_import_with_problems_lists_them_and_keeps_the_text(client, supervision):
    lines = text_of(SAFETY).split("\n")
    lines[24] = lines[24].removeprefix("第四条 ")
    broken = "\n".join(lines)
    client.force_login(supervision.staff)
    before = counts()
    response = client.post(IMPORT, {"label": "2021年修正", "text": broken, "title": "安全生产法"})
    assert response.status_code == 400 and counts() == before
    html = html_of(response)
    assert "文本中有 1 处问题，<strong>本次未导入任何内容</strong>" in html
    row = html[html.index('data-line="29"') :]
    assert "第 29 行" in row and "第五条 生产经营单位的主要负责人" in row
    assert "条文序号不连续：第三条之后是第五条（缺少第四条）" in row
    form = response.context["form"]
    assert form["text"].value() == broken and form["title"].value() == "安全生产法"
    assert form["label"].value() == "2021年修正"


def test_import_uploaded_docx_and_md(client, supervision):
    client.force_login(supervision.p.admin)
    data = docx_bytes(
        ["中华人民共和国示例法", "第一条 为了示例，制定本法。", "第二条 本法自公布之日起施行。"]
    )
    upload = SimpleUploadedFile("示例法.docx", data)
    response = client.post(IMPORT, {"label": "2020年", "file": upload})
    version = LawVersion.objects.get()
    assert response.status_code == 302
    assert (version.law.title, version.article_count, version.source_name) == (
        "中华人民共和国示例法",
        2,
        "示例法.docx",
    )
    upload = SimpleUploadedFile("安全生产法-2021.md", text_of(SAFETY).encode("utf-8"))
    assert client.post(IMPORT, {"label": "2021年修正", "file": upload}).status_code == 302
    assert LawVersion.objects.get(label="2021年修正").article_count == 119


def test_uploaded_file_with_problems_comes_back_as_text(client, supervision):
    client.force_login(supervision.staff)
    upload = SimpleUploadedFile("示例.txt", "示例条例\n第一条 一。\n第三条 三。".encode())
    response = client.post(IMPORT, {"label": "2020年", "file": upload})
    assert response.status_code == 400 and counts() == (0, 0, 0)
    assert response.context["form"]["text"].value() == "示例条例\n第一条 一。\n第三条 三。"
    assert response.context["problems"] == [
        {
            "line": 3,
            "message": "条文序号不连续：第一条之后是第三条（缺少第二条）",
            "source": "第三条 三。",
        }
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"label": "2020年"}, "text", "请粘贴全文，或上传文件。"),
        ({"label": "", "text": SMALL}, "label", "这个字段是必填项。"),
        (
            {"label": "2020年", "file": SimpleUploadedFile("示例.pdf", b"%PDF-1.4")},
            "file",
            "不支持.pdf，请上传 .txt、.md 或 .docx 文件，或直接粘贴文本。",
        ),
        (
            {"label": "2020年", "text": "第一条 一。"},
            "title",
            "请填写名称",
        ),
    ],
)
def test_import_form_errors(client, supervision, data, field, message):
    client.force_login(supervision.staff)
    response = client.post(IMPORT, data)
    assert response.status_code == 400 and counts() == (0, 0, 0)
    assert message in response.context["form"].errors[field]


def test_duplicate_version_is_refused_on_the_form(client, supervision):
    import_law(acting_user=supervision.staff, text=SMALL, label="2020年")
    client.force_login(supervision.staff)
    before = counts()
    response = client.post(IMPORT, {"label": "2020年", "text": SMALL})
    assert response.status_code == 400 and counts() == before
    form = response.context["form"]
    assert form.errors["label"] == ["该版本已存在"]
    assert "《示例条例》已有“2020年”版本" in form.non_field_errors()[0]


def test_leaders_may_not_import(client, supervision):
    client.force_login(supervision.p.leader)
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {"label": "2020年", "text": SMALL}).status_code == 403
    assert counts() == (0, 0, 0)
