"""The {% options %} tag writes a select's options as the template loop did: escaped, the
chosen one selected, nothing selected when no value is chosen."""

from types import SimpleNamespace

from django.template import Context, Template

TEMPLATE = Template("{% load choices %}{% options items chosen label=label %}")


def render(items, chosen, label="name") -> str:
    return TEMPLATE.render(Context({"items": items, "chosen": chosen, "label": label}))


def test_instances_are_escaped_and_the_chosen_one_is_selected():
    items = [SimpleNamespace(pk=1, name="甲<b>"), SimpleNamespace(pk=2, name='乙"&')]
    assert render(items, 2) == (
        '<option value="1">甲&lt;b&gt;</option><option value="2" selected>乙&quot;&amp;</option>'
    )


def test_pairs_and_another_label_attribute():
    assert render([("18-5", "第18届5次会议")], "18-5") == (
        '<option value="18-5" selected>第18届5次会议</option>'
    )
    person = SimpleNamespace(pk=7, full_name="王伟", name="unused")
    assert render([person], None, label="full_name") == '<option value="7">王伟</option>'


def test_no_choice_selects_nothing():
    items = [("", "空"), ("1", "一")]
    assert "selected" not in render(items, None)
    assert "selected" not in render(items, "")
