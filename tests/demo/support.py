"""Taking the committed demo away again, for the package fixture (tests/demo/conftest.py)."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q

from renda.core.migrations import _timeline_triggers as triggers
from renda.core.models import (
    Congress,
    Notification,
    Office,
    RoleMembership,
    Street,
    TimelineEvent,
    Unit,
    User,
)
from renda.demo.accounts import DEMO_ACCOUNTS
from renda.demo.plans import OFFICE_USER_PREFIX
from renda.demo.suggestions import DEPUTY_USER_PREFIX, UNIT_USER_PREFIX
from renda.deputies.models import (
    Activity,
    Deputy,
    Group,
    PointBulletin,
    PointRule,
    PointScheme,
    Station,
    VoterOpinion,
)
from renda.meetings.models import Meeting
from renda.plans.models import Plan, PlanRules
from renda.suggestions.models import HandlingRules, Suggestion
from renda.supervision.models import (
    Inquiry,
    InquiryQuestion,
    Inspection,
    Law,
    LawVersion,
    Problem,
    Rectification,
    ReviewOpinion,
    SupervisionRules,
    WorkReport,
)

# The demo hashes its one password once; a fast hasher keeps the tests' log-ins quick too.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def empty_timeline() -> None:
    """The timeline is append-only (database triggers); a test that committed the demo lifts the
    triggers to take it away again, as `renda flush` does, and puts them back."""
    table = TimelineEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for statement in triggers.SQLITE_BACKWARD:
                cursor.execute(statement)
        else:
            cursor.execute(triggers.POSTGRES_BACKWARD)
        try:
            cursor.execute(f"DELETE FROM {table}")
        finally:
            if connection.vendor == "sqlite":
                for statement in triggers.SQLITE_FORWARD:
                    cursor.execute(statement)
            else:
                cursor.execute(triggers.POSTGRES_FORWARD)


def delete_demo() -> None:
    """Remove what the demo built (the package fixture commits it outside the test transactions)."""
    # Deputies' work first: it protects deputies, stations, meetings, inspections, inquiries,
    # plan items, suggestions and units.
    PointBulletin.objects.all().delete()  # frozen rows cascade
    PointRule.objects.all().delete()
    PointScheme.objects.all().delete()
    VoterOpinion.objects.all().delete()
    Activity.objects.all().delete()  # invitations cascade
    Station.objects.all().delete()
    # Supervision next: it protects plan items, units, offices, meetings and users.
    Rectification.objects.all().delete()  # reports and evidence cascade
    ReviewOpinion.objects.all().delete()  # points cascade
    Problem.objects.all().delete()  # they protect the checklist clauses they cite
    Inspection.objects.all().delete()  # steps, team, checklist, visits cascade
    InquiryQuestion.objects.all().delete()  # they protect the attendees they ask
    Inquiry.objects.all().delete()
    WorkReport.objects.all().delete()
    LawVersion.objects.all().delete()  # provisions cascade
    Law.objects.all().delete()
    SupervisionRules.objects.all().delete()
    # Plans next: they protect their offices, meetings and users (items, reports… cascade).
    Plan.objects.all().delete()
    PlanRules.objects.all().delete()
    # Suggestions first: they protect their deputies, units, users and each other (并案).
    Notification.objects.all().delete()
    Suggestion.objects.update(merged_into=None)
    Suggestion.objects.all().delete()  # co-signers, assignments, answers, ratings… cascade
    HandlingRules.objects.all().delete()
    empty_timeline()
    Congress.objects.all().delete()
    RoleMembership.objects.all().delete()
    Deputy.objects.all().delete()  # mandates cascade
    User.objects.filter(
        Q(username__in=[a.username for a in DEMO_ACCOUNTS])
        | Q(username__startswith=DEPUTY_USER_PREFIX)
        | Q(username__startswith=UNIT_USER_PREFIX)
        | Q(username__startswith=OFFICE_USER_PREFIX)
    ).delete()
    Group.objects.all().delete()
    Meeting.objects.all().delete()
    Unit.objects.all().delete()
    Street.objects.all().delete()
    Office.objects.all().delete()


def planned_suggestions():
    """The suggestions the suggestions demo planned — not those that voters' opinions at the
    stations became (the stations demo forwards a few as deputies' suggestions)."""
    return Suggestion.objects.filter(voter_opinions__isnull=True)
