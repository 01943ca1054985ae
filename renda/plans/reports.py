"""Reads behind the year-end evaluation report and the plan workbook: they assemble the frozen
dataclasses that exports.py turns into .docx and .xlsx, each with a fixed number of queries
whatever the number of items.

Evaluation covers the items of binding plans of one year (optionally of one owner office);
health uses the one definition in queries.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from renda.core.models import Office
from renda.plans.actions import GRADES
from renda.plans.models import (
    ChangeRequest,
    Evidence,
    ItemStatus,
    Plan,
    PlanItem,
    PlanStatus,
    ProgressReport,
)
from renda.plans.queries import BINDING, HEALTH_LABELS, health

ORGAN_NAME = "机关"
GRADE_KEYS = tuple(GRADES)  # excellent, good, fair, poor: the order reports print them in


# ---------------------------------------------------------------------------------------------
# Hierarchical numbers (1, 1.1, 1.2 …) from positions


def item_numbers(items) -> dict[int, str]:
    """Item id -> "1.2": the positions along the path from the root. `items` must hold every
    item of the plan (parents are looked up among them)."""
    by_id = {item.pk: item for item in items}
    numbers: dict[int, str] = {}

    def number(item) -> str:
        if item.pk not in numbers:
            parent = by_id.get(item.parent_id)
            prefix = f"{number(parent)}." if parent is not None else ""
            numbers[item.pk] = f"{prefix}{item.position}"
        return numbers[item.pk]

    for item in items:
        number(item)
    return numbers


def number_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


# ---------------------------------------------------------------------------------------------
# Year-end evaluation


@dataclass(frozen=True)
class EvaluationRow:
    item_id: int
    plan_title: str
    number: str
    title: str
    owner_office: str
    leader: str
    expected_result: str
    result_statement: str
    evidence_count: int
    self_assessment: str
    grade: str  # "excellent"… or ""
    status: str
    status_label: str
    progress: int
    health: str  # a key of queries.HEALTH_LABELS, or "" for a parent item
    is_stale: bool
    is_busy: bool
    ends_on: date | None
    cancel_reason: str = ""

    @property
    def grade_label(self) -> str:
        return GRADES.get(self.grade, "")

    @property
    def health_label(self) -> str:
        return HEALTH_LABELS.get(self.health, "")


@dataclass(frozen=True)
class EvaluationReport:
    year: int
    office_name: str  # "" for the whole organ
    generated_on: date
    rows: tuple[EvaluationRow, ...]
    by_state: tuple[tuple[str, int], ...]  # (label, count), every state
    by_grade: tuple[tuple[str, int], ...]  # (优/良/一般/差 or 未评定, count)

    @property
    def subject(self) -> str:
        return self.office_name or ORGAN_NAME

    @property
    def title(self) -> str:
        return f"{self.subject}{self.year}年度工作计划落实情况评估报告"

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def overdue(self) -> tuple[EvaluationRow, ...]:
        return tuple(r for r in self.rows if r.health == "overdue")

    @property
    def cancelled(self) -> tuple[EvaluationRow, ...]:
        return tuple(r for r in self.rows if r.status == ItemStatus.CANCELLED)

    @property
    def stale(self) -> tuple[EvaluationRow, ...]:
        return tuple(r for r in self.rows if r.is_stale and r.health != "overdue")

    @property
    def busy(self) -> tuple[EvaluationRow, ...]:
        return tuple(r for r in self.rows if r.is_busy and r.health != "overdue")


def _flag(condition: Q) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def _evaluation_items(*, year: int, office_id: int | None) -> QuerySet[PlanItem]:
    rows = PlanItem.objects.filter(plan__year=year, plan__status__in=BINDING)
    if office_id:
        rows = rows.filter(owner_office_id=office_id)
    return rows


def _annotated(rows: QuerySet[PlanItem], *, today: date) -> QuerySet[PlanItem]:
    h = health(today=today)
    has_children = Exists(PlanItem.objects.filter(parent=OuterRef("pk")))
    evidence = (
        Evidence.objects.filter(item=OuterRef("pk"))
        .order_by()
        .values("item")
        .annotate(n=Count("pk"))
        .values("n")
    )
    cancel_reason = ChangeRequest.objects.filter(
        item=OuterRef("pk"),
        kind=ChangeRequest.Kind.CANCEL,
        status=ChangeRequest.Status.APPROVED,
    ).values("reason")[:1]
    leaf = ~Q(has_children=True)
    return rows.select_related(
        "plan", "owner_office", "leader", "parent", "parent__parent"
    ).annotate(
        has_children=has_children,
        evidence_count=Subquery(evidence),
        cancel_reason=Subquery(cancel_reason),
        is_overdue=_flag(leaf & h.overdue),
        is_stale=_flag(leaf & h.stale),
        is_busy=_flag(leaf & h.busy),
        is_at_risk=_flag(leaf & h.at_risk),
    )


def _number(item: PlanItem) -> str:
    # Parents are select_related: items nest at most three levels.
    parts = [item.position]
    parent = item.parent
    while parent is not None:
        parts.insert(0, parent.position)
        parent = parent.parent
    return ".".join(str(p) for p in parts)


def _health_key(item: PlanItem) -> str:
    if item.status == ItemStatus.COMPLETED:
        return "completed"
    if item.status == ItemStatus.CANCELLED:
        return "cancelled"
    if item.has_children:
        return ""
    if item.is_overdue:
        return "overdue"
    return "at_risk" if item.is_at_risk else "on_track"


def _row(item: PlanItem) -> EvaluationRow:
    return EvaluationRow(
        item_id=item.pk,
        plan_title=item.plan.title,
        number=_number(item),
        title=item.title,
        owner_office=item.owner_office.name,
        leader=item.leader.full_name if item.leader else "",
        expected_result=item.expected_result,
        result_statement=item.result_statement,
        evidence_count=item.evidence_count or 0,
        self_assessment=item.self_assessment,
        grade=item.grade,
        status=item.status,
        status_label=item.get_status_display(),
        progress=item.progress,
        health=_health_key(item),
        is_stale=item.is_stale,
        is_busy=item.is_busy,
        ends_on=item.ends_on,
        cancel_reason=item.cancel_reason or "",
    )


def _counts(rows: QuerySet[PlanItem]) -> tuple[tuple, tuple]:
    """Items by state and by grade in one aggregate query."""
    states = {f"s_{v}": Count("pk", filter=Q(status=v)) for v in ItemStatus.values}
    grades = {f"g_{k}": Count("pk", filter=Q(grade=k)) for k in GRADE_KEYS}
    ungraded = Count("pk", filter=Q(grade="") & ~Q(status=ItemStatus.CANCELLED))
    counts = rows.order_by().aggregate(**states, **grades, g_none=ungraded)
    by_state = tuple((label, counts[f"s_{v}"]) for v, label in ItemStatus.choices)
    by_grade = tuple((GRADES[k], counts[f"g_{k}"]) for k in GRADE_KEYS) + (
        ("未评定", counts["g_none"]),
    )
    return by_state, by_grade


def evaluation_report(*, year: int, today: date, office: Office | None = None) -> EvaluationReport:
    """The year's evaluation of one office's items (or all the organ's): two queries."""
    base = _evaluation_items(year=year, office_id=office.pk if office else None)
    items = list(_annotated(base, today=today))
    rows = sorted(
        (_row(item) for item in items),
        key=lambda r: (r.plan_title, number_key(r.number), r.item_id),
    )
    by_state, by_grade = _counts(base)
    return EvaluationReport(
        year=year,
        office_name=office.name if office else "",
        generated_on=today,
        rows=tuple(rows),
        by_state=by_state,
        by_grade=by_grade,
    )


def evaluation_years() -> list[int]:
    """Years with a binding plan, newest first (one query)."""
    return list(
        Plan.objects.filter(status__in=BINDING)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


# ---------------------------------------------------------------------------------------------
# A plan as a workbook (the Excel round-trip)


@dataclass(frozen=True)
class PlanSheetRow:
    number: str
    title: str
    owner_office: str
    leader: str
    objective: str
    expected_result: str
    measure: str
    starts_on: date | None
    ends_on: date | None
    invited_deputies: int
    weight: int
    progress: int
    status_label: str
    latest_report: str


@dataclass(frozen=True)
class PlanSheet:
    title: str
    status_label: str
    is_binding: bool
    rows: tuple[PlanSheetRow, ...]


def plan_items(plan: Plan) -> list[PlanItem]:
    """Every item of the plan with what the workbook shows, in one query."""
    latest = ProgressReport.objects.filter(item=OuterRef("pk")).order_by("-reported_on", "-id")
    return list(
        PlanItem.objects.filter(plan=plan)
        .select_related("owner_office", "leader")
        .annotate(
            latest_text=Subquery(latest.values("text")[:1]),
            latest_on=Subquery(latest.values("reported_on")[:1]),
        )
    )


def _latest(item: PlanItem) -> str:
    if not item.latest_text:
        return ""
    return f"{item.latest_on:%Y-%m-%d} {item.latest_text}"


def plan_sheet(plan: Plan) -> PlanSheet:
    items = plan_items(plan)
    numbers = item_numbers(items)
    items.sort(key=lambda item: number_key(numbers[item.pk]))
    rows = tuple(
        PlanSheetRow(
            number=numbers[item.pk],
            title=item.title,
            owner_office=item.owner_office.name,
            leader=item.leader.full_name if item.leader else "",
            objective=item.objective,
            expected_result=item.expected_result,
            measure=item.measure,
            starts_on=item.starts_on,
            ends_on=item.ends_on,
            invited_deputies=item.invited_deputies,
            weight=item.weight,
            progress=item.progress,
            status_label=item.get_status_display(),
            latest_report=_latest(item),
        )
        for item in items
    )
    return PlanSheet(
        title=plan.title,
        status_label=plan.get_status_display(),
        is_binding=plan.status in (PlanStatus.APPROVED, PlanStatus.PUBLISHED),
        rows=rows,
    )
