"""The meetings register: standing-committee meetings, director meetings and congress sessions, so
that other records can say where they were approved. Agendas and votes come later."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from renda.core.numbers import MEETING_NUMBER, TERM, chinese_numeral, range_checks

DUPLICATE_MESSAGE = "该届次已有同类会议使用这个次数。"


class Meeting(models.Model):
    class Kind(models.TextChoices):
        STANDING = "standing", "常委会会议"
        DIRECTOR = "director", "主任会议"
        CONGRESS = "congress", "人民代表大会会议"

    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    term_number = models.PositiveSmallIntegerField("届次", validators=TERM.validators)
    number = models.PositiveSmallIntegerField("次数", validators=MEETING_NUMBER.validators)
    date = models.DateField("日期")
    place = models.CharField("地点", max_length=100, blank=True)
    note = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "会议"
        ordering = ["-date", "-id"]
        constraints = [
            *range_checks("meetings_meeting", term_number=TERM, number=MEETING_NUMBER),
            models.UniqueConstraint(
                fields=["kind", "term_number", "number"],
                name="meeting_unique_number",
                violation_error_message=DUPLICATE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(term_number__gte=1), name="meeting_numbers_positive"
            ),
        ]
        indexes = [models.Index(fields=["kind", "date"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        term = chinese_numeral(self.term_number)
        if self.kind == self.Kind.STANDING:
            return f"第{term}届人大常委会第{self.number}次会议"
        if self.kind == self.Kind.DIRECTOR:
            return f"第{term}届人大常委会第{self.number}次主任会议"
        return f"第{term}届人民代表大会第{chinese_numeral(self.number)}次会议"
