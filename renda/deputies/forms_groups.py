"""Forms of the deputy group pages: they parse input; the rules stay in actions_groups.py."""

from __future__ import annotations

from django import forms

from renda.core.models import Street, User
from renda.core.numbers import TERM
from renda.deputies.actions_groups import NAME_LIMIT, SORT_LIMIT, GroupFields
from renda.deputies.forms import _style
from renda.deputies.models import Group
from renda.deputies.permissions import keeps_roster
from renda.deputies.queries_groups import current_term


def _streets_for(user: User, keep: int | None = None):
    """Active streets the user may put a group in, plus the group's own (kept as it is)."""
    streets = Street.objects.active()
    if not keeps_roster(user):
        streets = streets.filter(pk__in=user.roles.street_ids)
    if keep is not None:
        streets = (streets | Street.objects.filter(pk=keep)).distinct()
    return streets


class GroupFieldsMixin(forms.Form):
    name = forms.CharField(label="名称", max_length=NAME_LIMIT)
    street = forms.ModelChoiceField(
        label="所在街道", queryset=Street.objects.none(), required=False, empty_label="（不设街道）"
    )
    sort_order = forms.IntegerField(
        label="排序",
        min_value=0,
        max_value=SORT_LIMIT,
        initial=100,
        help_text="同一街道内数字小的排在前面",
    )

    def values(self) -> GroupFields:
        data = self.cleaned_data
        return GroupFields(name=data["name"], street=data["street"], sort_order=data["sort_order"])

    def _street_choices(self, user: User, keep: int | None = None) -> None:
        field = self.fields["street"]
        field.queryset = _streets_for(user, keep)
        if not keeps_roster(user):  # a street committee's groups are of its street
            field.required = True
            field.empty_label = None


class GroupCreateForm(GroupFieldsMixin):
    term_number = TERM.form_field(label="届次")

    def __init__(self, data=None, *, user: User, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        self._street_choices(user)
        self.initial.setdefault("term_number", current_term())
        _style(self)


class GroupUpdateForm(GroupFieldsMixin):
    def __init__(self, data=None, files=None, *, group: Group, user: User, **kwargs):
        super().__init__(data, files, **kwargs)
        self.group = group
        self.user = user
        self._street_choices(user, keep=group.street_id)
        self.initial.setdefault("name", group.name)
        self.initial.setdefault("street", group.street_id)
        self.initial.setdefault("sort_order", group.sort_order)
        _style(self)


class GroupDeleteForm(forms.Form):
    """Nothing to fill in: the page asks to confirm."""

    def __init__(self, data=None, files=None, *, group: Group, user: User, **kwargs):
        super().__init__(data, files, **kwargs)
        self.group = group
        self.user = user
