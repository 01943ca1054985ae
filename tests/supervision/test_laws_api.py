"""The law library API under /api/v1/supervision/laws: the list, a version with its provisions
and citations, importing pasted text and files, the one error shape for a text with problems
(400 parse_errors, one error per line), and query counts independent of size."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renda.supervision.actions.laws import import_law
from renda.supervision.models import Law, LawProvision, LawVersion
from tests.suggestions.matrix_api import field_messages, refused, send
from tests.supervision.matrix_laws import BASE, TEXT
from tests.supervision.test_laws_parser import SAFETY, docx_bytes, text_of

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return Law.objects.count(), LawVersion.objects.count(), LawProvision.objects.count()


def safety(user, label: str = "2021年修正") -> LawVersion:
    return import_law(
        acting_user=user, text=text_of(SAFETY), label=label, effective_on=date(2021, 9, 1)
    )


def upload(client, user, data: dict):
    client.force_login(user)
    return client.post(f"{BASE}/import-file", data=data)


# ---------------------------------------------------------------------------------------------
# Reads


def test_list_laws_with_versions(client, supervision):
    p = supervision.p
    safety(p.admin, "2014年修正")
    safety(p.admin)
    import_law(acting_user=p.admin, text=TEXT, label="2019年")
    response = send(client, p.leader, "GET", BASE)
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["offset"], body["limit"]) == (2, 0, 50)
    first = body["items"][0]
    assert (first["title"], first["short_title"]) == ("中华人民共和国安全生产法", "安全生产法")
    assert [v["label"] for v in first["versions"]] == ["2021年修正", "2014年修正"]
    assert first["versions"][0]["article_count"] == 119
    assert first["versions"][0]["imported_by"] == "管理员"
    assert first["versions"][0]["effective_on"] == "2021-09-01"
    found = send(client, p.staff, "GET", f"{BASE}?q=示例&limit=1").json()
    assert [law["title"] for law in found["items"]] == ["示例条例"] and found["limit"] == 1


def test_list_query_count_does_not_grow(client, supervision, django_assert_num_queries):
    p = supervision.p
    import_law(acting_user=p.admin, text=TEXT, label="2019年")
    client.force_login(p.leader)
    with django_assert_num_queries(6):
        client.get(BASE)
    for n in range(3):
        title = f"示例{n}条例"
        import_law(acting_user=p.admin, text=TEXT.replace("示例条例", title, 1), label="一")
        import_law(acting_user=p.admin, text=TEXT.replace("示例条例", title, 1), label="二")
    with django_assert_num_queries(6):
        assert client.get(BASE).json()["count"] == 4


def test_version_with_provisions_and_citations(client, supervision):
    version = safety(supervision.staff)
    response = send(client, supervision.p.leader, "GET", f"{BASE}/versions/{version.pk}")
    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["label"], body["article_count"]) == (
        "中华人民共和国安全生产法",
        "2021年修正",
        119,
    )
    assert body["note"].startswith("2002年6月29日") and body["law_id"] == version.law_id
    provisions = body["provisions"]
    assert len(provisions) == 321 and [p["position"] for p in provisions] == list(range(1, 322))
    a21 = next(p for p in provisions if p["label"] == "第二十一条")
    items = [p for p in provisions if p["parent_id"] == a21["id"]]
    assert [p["citation"] for p in items][2] == "第二十一条第（三）项"
    assert (items[2]["kind"], items[2]["kind_name"], items[2]["label"], items[2]["line"]) == (
        "item",
        "项",
        "（三）",
        85,
    )
    a4 = next(p for p in provisions if p["label"] == "第四条")
    assert [p["citation"] for p in provisions if p["parent_id"] == a4["id"]] == [
        "第四条第一款",
        "第四条第二款",
    ]
    chapter = provisions[0]
    assert (chapter["kind"], chapter["label"], chapter["heading"], chapter["parent_id"]) == (
        "chapter",
        "第一章",
        "总则",
        None,
    )
    assert [e["summary"] for e in body["timeline"]] == [
        "导入《中华人民共和国安全生产法》（2021年修正），共 119 条"
    ]


def test_version_query_count_does_not_grow(client, supervision, django_assert_num_queries):
    p = supervision.p
    small = import_law(acting_user=p.admin, text=TEXT, label="2019年")
    big = safety(p.admin)
    client.force_login(p.leader)
    client.get(f"{BASE}/versions/{small.pk}")
    with django_assert_num_queries(6):
        client.get(f"{BASE}/versions/{small.pk}")
    with django_assert_num_queries(6):
        client.get(f"{BASE}/versions/{big.pk}")


def test_unknown_or_hidden_version(client, supervision):
    version = import_law(acting_user=supervision.staff, text=TEXT, label="2019年")
    refused(send(client, supervision.p.admin, "GET", f"{BASE}/versions/999"), 404, "not_found")
    refused(
        send(client, supervision.p.deputy, "GET", f"{BASE}/versions/{version.pk}"), 403, "forbidden"
    )


# ---------------------------------------------------------------------------------------------
# Import


def test_import_pasted_text(client, supervision):
    body = {
        "text": text_of(SAFETY),
        "label": "2021年修正",
        "effective_on": "2021-09-01",
        "source_name": "全国人大网",
    }
    response = send(client, supervision.staff, "POST", f"{BASE}/import", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["article_count"], created["effective_on"], created["source_name"]) == (
        119,
        "2021-09-01",
        "全国人大网",
    )
    assert created["imported_by"] == "社建室干部" and len(created["provisions"]) == 321
    assert LawVersion.objects.get().pk == created["id"]


def test_import_with_problems_is_400_with_one_error_per_line(client, supervision):
    lines = text_of(SAFETY).split("\n")
    lines[24] = lines[24].removeprefix("第四条 ")
    lines[84] = lines[84].replace("（三）", "（四）", 1)
    body = {"text": "\n".join(lines), "label": "2021年修正"}
    response = send(client, supervision.staff, "POST", f"{BASE}/import", body)
    error = refused(response, 400, "parse_errors")
    assert error["message"] == (
        "文本有 2 处问题，未导入：第 29 行：条文序号不连续：第三条之后是第五条（缺少第四条）；"
        "第 85 行：项的序号不连续：（二）之后是（四）"
    )
    assert field_messages(error) == {
        "line 29": "条文序号不连续：第三条之后是第五条（缺少第四条）",
        "line 85": "项的序号不连续：（二）之后是（四）",  # the next （四） is then in order
    }
    assert counts() == (0, 0, 0)


def test_import_refusals(client, supervision):
    p = supervision.p
    import_law(acting_user=p.staff, text=TEXT, label="2019年")
    before = counts()
    duplicate = refused(
        send(client, p.staff, "POST", f"{BASE}/import", {"text": TEXT, "label": "2019年"}),
        400,
        "duplicate",
    )
    assert field_messages(duplicate) == {"label": "该版本已存在"}
    refused(
        send(client, p.leader, "POST", f"{BASE}/import", {"text": TEXT, "label": "2020年"}),
        403,
        "forbidden",
    )
    missing = refused(
        send(client, p.staff, "POST", f"{BASE}/import", {"text": TEXT}), 422, "invalid"
    )
    assert field_messages(missing) == {"label": "必填项不能为空"}
    blank = refused(
        send(client, p.staff, "POST", f"{BASE}/import", {"text": " ", "label": "2020年"}),
        400,
        "required",
    )
    assert field_messages(blank) == {"text": "请填写全文"}
    assert counts() == before


def test_import_file_docx_and_txt(client, supervision):
    data = docx_bytes(
        ["中华人民共和国示例法", "第一条 为了示例，制定本法。", "第二条 本法自公布之日起施行。"]
    )
    response = upload(
        client,
        supervision.p.admin,
        {
            "file": SimpleUploadedFile("示例法.docx", data),
            "label": "2020年",
            "effective_on": "2020-05-01",
            "title": "",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["title"], body["source_name"], body["effective_on"]) == (
        "中华人民共和国示例法",
        "示例法.docx",
        "2020-05-01",
    )
    text = SimpleUploadedFile("安全生产法.txt", b"\xef\xbb\xbf" + text_of(SAFETY).encode())
    response = upload(client, supervision.staff, {"file": text, "label": "2021年修正"})
    assert response.status_code == 201 and response.json()["article_count"] == 119


def test_import_file_refusals(client, supervision):
    pdf = SimpleUploadedFile("示例法.pdf", b"%PDF-1.4")
    wrong = refused(
        upload(client, supervision.staff, {"file": pdf, "label": "2020年"}), 400, "invalid_upload"
    )
    assert field_messages(wrong) == {
        "file": "不支持.pdf，请上传 .txt、.md 或 .docx 文件，或直接粘贴文本。"
    }
    gap = SimpleUploadedFile("示例.md", "示例条例\n第一条 一。\n第三条 三。".encode())
    error = refused(
        upload(client, supervision.staff, {"file": gap, "label": "2020年"}), 400, "parse_errors"
    )
    assert field_messages(error) == {"line 3": "条文序号不连续：第一条之后是第三条（缺少第二条）"}
    ok = SimpleUploadedFile("示例.md", TEXT.encode())
    refused(upload(client, supervision.p.leader, {"file": ok, "label": "2020年"}), 403, "forbidden")
    assert counts() == (0, 0, 0)
