"""The answer letter downloads (.docx and PDF): filled from the answer, addressed to the right
signers, and only for whoever may see the suggestion."""

from io import BytesIO
from urllib.parse import quote

import pytest
from django.urls import reverse
from docx import Document

from renda.core.models import Unit
from renda.suggestions import actions
from renda.suggestions.models import Suggestion
from renda.suggestions.presenters import answer_letter
from tests.core.factories import UserFactory, grant
from tests.suggestions.factories import (
    answer_draft,
    category,
    frozen,  # noqa: F401  (fixture)
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TITLE = "关于区十八届人大五次会议第1号建议的答复"


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(BytesIO(content)).paragraphs)


def letter_url(kind: str, answer, suggestion=None) -> str:
    path = reverse(f"suggestions:letter_{kind}", args=[answer.pk])
    return f"{path}?suggestion={suggestion.pk}" if suggestion else path


def test_the_unit_downloads_the_docx_of_its_answer(client, world):
    s = world.answered("B", cosign=True)
    answer = s.answers.get()
    client.force_login(world.p.unit)
    response = client.get(letter_url("docx", answer))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert quote(f"{TITLE}.docx") in response["Content-Disposition"]
    text = docx_text(response.content)
    assert TITLE in text
    assert "张代表、李联名代表：" in text  # the lead deputy and the confirmed co-signer
    assert "泉住建函〔2026〕12号" in text and "区住房和城乡建设局" in text
    assert "经实地调查，已完成小区停车位施划 120 个。" in text
    assert "签发人：王局长" in text and "联系人：赵联络员" in text
    assert "会办单位：区城市管理局" in text
    # Copied to the deputy-affairs office, and to the government office for a government unit.
    assert "抄送：人事代表工作室，区政府办公室。" in text
    assert " B " in text  # the category, top right


def test_the_pdf_is_a_pdf_named_after_the_letter(client, world):
    answer = world.answered().answers.get()
    client.force_login(world.p.deputy)
    response = client.get(letter_url("pdf", answer))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert quote(f"{TITLE}.pdf") in response["Content-Disposition"]


def test_a_second_round_answer_says_so(client, world):
    s = world.rated(result="not_satisfied")
    actions.answer(acting_user=world.p.unit, suggestion=s, draft=answer_draft("A"))
    again = s.answers.get(round=2)
    client.force_login(world.p.staff)
    text = docx_text(client.get(letter_url("docx", again)).content)
    assert f"{TITLE}（再次答复）" in text


def test_only_those_who_see_the_suggestion_get_the_letter(client, world):
    answer = world.answered().answers.get()
    for user in (world.p.admin, world.p.leader, world.p.staff, world.p.street, world.p.unit):
        client.force_login(user)
        assert client.get(letter_url("docx", answer)).status_code == 200
    client.force_login(world.p.social_staff)
    assert client.get(letter_url("docx", answer)).status_code == 200  # staff read everything
    other_unit = Unit.objects.create(name="区教育和体育局")
    stranger = UserFactory(username="u_edu", full_name="教体局联络员")
    grant(stranger, "unit", unit=other_unit)
    client.force_login(stranger)
    assert client.get(letter_url("docx", answer)).status_code == 404
    assert client.get(letter_url("pdf", answer)).status_code == 404
    client.force_login(world.cosigner)  # a deputy who did not sign it
    assert client.get(letter_url("docx", answer)).status_code == 404
    assert client.get(reverse("suggestions:letter_docx", args=[999999])).status_code == 404


def merged_of_cosigner(world, main: Suggestion) -> Suggestion:
    other = actions.save_draft(
        acting_user=world.cosigner,
        deputy=world.cosigner.deputy,
        title="关于增设停车泊位的建议",
        content="建议增设停车泊位。",
        category=category(),
        timing=Suggestion.Timing.DURING_SESSION,
    )
    actions.submit(acting_user=world.cosigner, suggestion=other)
    return actions.merge(acting_user=world.p.staff, suggestion=other, into=main)


def test_a_merged_suggestions_deputy_gets_the_letter_under_their_own_number(client, world):
    main = world.opinion_given()
    merged = merged_of_cosigner(world, main)
    actions.answer(acting_user=world.p.unit, suggestion=main, draft=answer_draft())
    answer = main.answers.get()
    client.force_login(world.cosigner)
    # They follow the main suggestion, whose own letter is addressed to its own deputy…
    main_letter = docx_text(client.get(letter_url("docx", answer)).content)
    assert "张代表代表：" in main_letter and "李联名代表：" not in main_letter
    # …and their letter carries their own number and name.
    response = client.get(letter_url("docx", answer, merged))
    assert response.status_code == 200
    text = docx_text(response.content)
    assert f"关于区十八届人大五次会议第{merged.number}号建议的答复" in text
    assert "李联名代表：" in text and "张代表" not in text
    assert "《关于增设停车泊位的建议》" in text
    # A suggestion that is not merged into the answered one cannot borrow its answer.
    unrelated = world.accepted()
    client.force_login(world.p.deputy)
    assert client.get(letter_url("docx", answer, unrelated)).status_code == 404


def test_letter_input_for_a_court_is_not_copied_to_the_government(world):
    s = world.answered()
    answer = s.answers.select_related("unit", "category").get()
    Unit.objects.filter(pk=answer.unit_id).update(kind=Unit.Kind.COURT)
    answer.unit.refresh_from_db()
    letter = answer_letter(answer, suggestion=s, congress=world.org.congress)
    assert letter.copy_to == ("人事代表工作室",)
    assert (letter.region, letter.term_number, letter.session_number) == ("泉城区", 18, 5)
    assert (letter.suggestion_number, letter.category_code) == (1, "A")
    assert letter.deputy_names == ("张代表",) and letter.round_label == ""
