"""Reads of law-enforcement inspections (执法检查): who sees which inspections, the list filters the
page and the API share, the one way to fetch an inspection for a user, the moves a user may make
now (`inspection_actions`, the same rules the actions check), a deputy's own invitations, the
citations of a law version's provisions, and the published inspections.

- The organ (admin, leaders, staff) reads every inspection; the office that runs one (and the
  admin) writes it; leaders approve or return its plan.
- A deputy reads the inspections they are invited to, and replies to the invitation.
- A unit reads, without acting, the inspections whose checklist or problems name it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from renda.core.models import Role, TimelineEvent
from renda.supervision import permissions as perms
from renda.supervision.models import (
    INVITATION_TRANSITIONS,
    ChecklistClause,
    Inspection,
    InspectionStatus,
    InvitationStatus,
    LawProvision,
    LawVersion,
    OpinionPoint,
    Problem,
    ProvisionKind,
    TeamMember,
    TeamRole,
)
from renda.supervision.queries_laws import citations

S = InspectionStatus

# When the office may change the team and the checklist: not while the director meeting has the
# plan before it, and not once the report is formed.
PREPARING_STATES = (S.DRAFT, S.APPROVED, S.INSPECTING)
# Deputies are invited once the plan (which says how many) is approved, and reply until the
# inspection's work is over.
INVITING_STATES = (S.APPROVED, S.INSPECTING)
# The report can be published (and downloaded for the public) once it is formed.
REPORTED_STATES = (S.REPORTED, S.REVIEWED, S.CLOSED)
# A checklist entry is an article, a clause or an item; never a part, chapter or section.
CHECKABLE_KINDS = (ProvisionKind.ARTICLE, ProvisionKind.CLAUSE, ProvisionKind.ITEM)
APPOINTED_ROLES = (TeamRole.LEADER, TeamRole.DEPUTY_LEADER, TeamRole.MEMBER, TeamRole.STAFF)


# ---------------------------------------------------------------------------------------------
# Citations (第二十一条第（一）项), as the law library writes them


def provision_citations(version: LawVersion) -> dict[int, str]:
    """Provision id -> citation, for every provision of one law version: one query."""
    return citations(version)


def citation_of(provision: LawProvision) -> str:
    """The citation of one provision of any version."""
    return citations(provision.version)[provision.pk]


def provision_choices(version: LawVersion, *, search: str = "") -> list[tuple[LawProvision, str]]:
    """The checkable provisions of a version (articles, clauses, items) in the order of the
    text, each with its citation; `search` keeps those whose citation or text contains it, so
    "第二十一条" finds the article and each of its items. Two queries."""
    texts = provision_citations(version)
    rows = LawProvision.objects.filter(version=version, kind__in=CHECKABLE_KINDS).order_by(
        "position"
    )
    search = (search or "").strip()
    out = [(row, texts[row.pk]) for row in rows]
    if search:
        out = [(row, c) for row, c in out if search in c or search in row.text]
    return out


# ---------------------------------------------------------------------------------------------
# Who sees what


def _is_deputy(user) -> bool:
    return user.is_authenticated and Role.DEPUTY in user.roles.names


def _is_unit(user) -> bool:
    return user.is_authenticated and Role.UNIT in user.roles.names and bool(user.roles.unit_ids)


def visible_inspections(user) -> QuerySet[Inspection]:
    """The organ reads all; a deputy those they are invited to; a unit those whose checklist or
    problems name it. A user with several roles sees the union."""
    if perms.is_organ(user):
        return Inspection.objects.all()
    conditions: list[Q] = []
    if _is_deputy(user):
        invited = TeamMember.objects.filter(inspection=OuterRef("pk"), deputy__user=user)
        conditions.append(Q(Exists(invited)))
    if _is_unit(user):
        units = sorted(user.roles.unit_ids)
        named_in_checklist = ChecklistClause.objects.filter(
            inspection=OuterRef("pk"), bodies__in=units
        )
        named_in_problems = Problem.objects.filter(inspection=OuterRef("pk"), unit_id__in=units)
        conditions += [Q(Exists(named_in_checklist)), Q(Exists(named_in_problems))]
    if not conditions:
        return Inspection.objects.none()
    condition = conditions[0]
    for more in conditions[1:]:
        condition |= more
    return Inspection.objects.filter(condition)


def get_inspection_for_user(user, pk: int) -> Inspection:
    """The inspection if the user may see it, else 404 (an invisible one does not exist)."""
    inspection = (
        visible_inspections(user)
        .select_related(
            "office",
            "plan_item",
            "plan_item__plan",
            "law_version",
            "law_version__law",
            "leader",
            "approved_meeting",
            "review_meeting",
            "created_by",
        )
        .filter(pk=pk)
        .first()
    )
    if inspection is None:
        raise perms.not_found("执法检查")
    return inspection


# ---------------------------------------------------------------------------------------------
# The list


@dataclass(frozen=True)
class InspectionFilters:
    year: int | None = None
    office: int | None = None
    status: str = ""
    law: int | None = None


def _positive_int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def filters_from_params(params) -> InspectionFilters:
    """Unknown or malformed values are ignored rather than refused: a list link never breaks."""
    status = params.get("status", "")
    return InspectionFilters(
        year=_positive_int(params.get("year")),
        office=_positive_int(params.get("office")),
        status=status if status in S.values else "",
        law=_positive_int(params.get("law")),
    )


def inspection_list(user, filters: InspectionFilters) -> QuerySet[Inspection]:
    rows = visible_inspections(user)
    if filters.year:
        rows = rows.filter(year=filters.year)
    if filters.office:
        rows = rows.filter(office_id=filters.office)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.law:
        rows = rows.filter(law_version__law_id=filters.law)
    return rows.select_related("office", "law_version", "law_version__law", "leader").order_by(
        "-year", "-id"
    )


def inspection_years() -> list[int]:
    return list(Inspection.objects.values_list("year", flat=True).distinct().order_by("-year"))


# ---------------------------------------------------------------------------------------------
# What a user may do now (the actions check the same rules)


def may_run(user, inspection: Inspection) -> bool:
    return perms.runs(user, inspection.office_id)


def may_reply(user, member: TeamMember) -> bool:
    """Only the invited deputy themself answers their invitation."""
    return (
        user.is_authenticated
        and member.role == TeamRole.DEPUTY
        and member.deputy is not None
        and member.deputy.user_id is not None
        and member.deputy.user_id == user.pk
    )


def reply_moves(member: TeamMember) -> set[str]:
    """ "accept" / "decline", as the invitation's transition table allows now."""
    allowed = INVITATION_TRANSITIONS.get(member.invitation, set())
    moves = set()
    if InvitationStatus.ACCEPTED in allowed:
        moves.add("accept")
    if InvitationStatus.DECLINED in allowed:
        moves.add("decline")
    return moves


def inspection_actions(user, inspection: Inspection, *, counts: dict | None = None) -> set[str]:
    """The action names the user may take on the inspection now. `counts` (from
    `detail_counts`) spares the queries when the caller already has them."""
    counts = counts if counts is not None else detail_counts(inspection)
    status = inspection.status
    names: set[str] = set()
    office = may_run(user, inspection)
    if office:
        if status == S.DRAFT:
            names |= {"update_inspection_plan", "add_step", "submit_inspection_plan"}
            if counts["steps"]:
                names.add("remove_step")
        if status in PREPARING_STATES:
            names |= {"appoint_team_member", "choose_clauses"}
            if counts["team"]:
                names.add("remove_team_member")
            if counts["clauses"]:
                names |= {"update_clause", "remove_clause"}
        if status in INVITING_STATES:
            names.add("invite_deputies")
            if counts["deputies"]:
                names.add("record_reply_for_deputy")
            if counts["open_steps"]:
                names.add("complete_step")
        if status == S.APPROVED:
            names.add("start_inspection")
        if status == S.INSPECTING:
            names |= {"record_visit", "record_questionnaire", "write_report", "form_report"}
            if counts["clauses"]:
                names |= {"record_finding", "add_problem"}
            if counts["problems"]:
                names |= {"update_problem", "remove_problem"}
        if status == S.REPORTED:
            names.add("reopen_inspection")
        if status in (S.REPORTED, S.REVIEWED) and counts["problems"]:
            names.add("draft_opinions_from_problems")
        if status == S.REVIEWED:
            names.add("close_inspection")
        if status in REPORTED_STATES and not inspection.is_published:
            names.add("publish_inspection")
    if status == S.SUBMITTED and perms.is_leader(user):
        names |= {"approve_inspection_plan", "return_inspection_plan"}
    return names


def detail_counts(inspection: Inspection) -> dict[str, int]:
    """What the allowed actions depend on besides the status: one aggregate query per table."""
    team = inspection.team.all()
    return {
        "steps": inspection.steps.count(),
        "open_steps": inspection.steps.filter(done_on=None).count(),
        "team": team.count(),
        "deputies": team.filter(role=TeamRole.DEPUTY).count(),
        "clauses": inspection.checklist.count(),
        "problems": inspection.problems.count(),
    }


def counts_from(steps, team, clauses, problems) -> dict[str, int]:
    """The same counts from rows a page has already read (no query)."""
    return {
        "steps": len(steps),
        "open_steps": sum(1 for s in steps if s.done_on is None),
        "team": len(team),
        "deputies": sum(1 for m in team if m.role == TeamRole.DEPUTY),
        "clauses": len(clauses),
        "problems": len(problems),
    }


def problems_in_opinions(inspection: Inspection) -> set[int]:
    """Ids of the inspection's problems an opinion point refers to (they can no longer change)."""
    return set(
        OpinionPoint.objects.filter(problem__inspection=inspection).values_list(
            "problem_id", flat=True
        )
    )


def invitation_counts(team) -> dict[str, int]:
    """Invited / accepted / declined / waiting among the deputies of a team (rows in hand)."""
    deputies = [m for m in team if m.role == TeamRole.DEPUTY]
    return {
        "invited": len(deputies),
        "accepted": sum(1 for m in deputies if m.invitation == InvitationStatus.ACCEPTED),
        "declined": sum(1 for m in deputies if m.invitation == InvitationStatus.DECLINED),
        "waiting": sum(1 for m in deputies if m.invitation == InvitationStatus.INVITED),
    }


def inspection_timeline(inspection: Inspection, member_ids) -> QuerySet[TimelineEvent]:
    """The inspection's own events and its team members' replies, in one list."""
    from django.contrib.contenttypes.models import ContentType

    return (
        TimelineEvent.objects.filter(
            Q(content_type=ContentType.objects.get_for_model(Inspection), object_id=inspection.pk)
            | Q(
                content_type=ContentType.objects.get_for_model(TeamMember),
                object_id__in=list(member_ids),
            )
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )


# ---------------------------------------------------------------------------------------------
# A deputy's own invitations


def my_invitations(user) -> QuerySet[TeamMember]:
    if not _is_deputy(user):
        return TeamMember.objects.none()
    return (
        TeamMember.objects.filter(role=TeamRole.DEPUTY, deputy__user=user)
        .select_related("inspection", "inspection__office", "deputy")
        .order_by("-inspection__year", "-invited_at", "-id")
    )


def get_invitation_for_user(user, pk: int) -> TeamMember:
    """An invitation the user may see: their own, or any of an inspection they see (organ)."""
    member = (
        TeamMember.objects.filter(pk=pk, role=TeamRole.DEPUTY)
        .select_related("inspection", "inspection__office", "deputy")
        .first()
    )
    if member is None:
        raise perms.not_found("邀请")
    if not (may_reply(user, member) or perms.is_organ(user)):
        raise perms.not_found("邀请")
    return member


# ---------------------------------------------------------------------------------------------
# Published inspections (anonymous readers)


def public_inspections() -> QuerySet[Inspection]:
    return (
        Inspection.objects.filter(is_published=True, status__in=REPORTED_STATES)
        .select_related("office", "law_version", "law_version__law")
        .order_by("-year", "-id")
    )
