from django.db.models import Avg, Count, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessment.models import Rectification, Scheme, SpotCheck
from assessment.ranking import ranking_rows, score
from config.desks import desks_for, leader_progress
from core.charts import bar_chart
from core.decimals import round_score
from core.derived import TOPICS
from core.years import selected_year
from training.stats import kept_while_unchanged, year_summary
from units.roles import Role, bound_unit_id, has_role, roles_of


def home(request):
    """Each role's desk: the work waiting for this user, each item linking to where it is done."""
    user = request.user
    year = selected_year(request)
    scheme = Scheme.objects.select_related("year").filter(year__year=year).first()
    is_leader = has_role(user, Role.LEADER, Role.ADMIN)
    return render(
        request,
        "home.html",
        {
            "is_unbound_liaison": Role.LIAISON in roles_of(user) and bound_unit_id(user) is None,
            "desks": desks_for(user, year),
            "scheme": scheme,
            "progress": leader_progress(year) if is_leader else None,
            "glance": _year_at_a_glance(year, scheme) if is_leader else None,
            "overdue": list(
                Rectification.objects.overdue()
                .select_related("spot_check__unit")
                .order_by("deadline")[:10]
            )
            if is_leader
            else [],
        },
    )


def _year_at_a_glance(year, scheme):
    from assessment.year_end import cached_for_year

    checks = SpotCheck.objects.confirmed_in_year(year).aggregate(
        count=Count("id"), average=Avg("percentage")
    )
    rectifications = Rectification.objects.filter(spot_check__date__year=year)
    glance = {
        # the trainings held so far: the count of held trainings is in the name, as time
        # alone changes it
        "training": kept_while_unchanged(
            "training-summary", year, lambda: year_summary(year, held_by=timezone.now())
        ),
        "checks": checks["count"],
        "average": None if checks["average"] is None else round_score(checks["average"]),
        "open_rectifications": rectifications.exclude(status=Rectification.Status.VERIFIED).count(),
        "overdue_rectifications": rectifications.overdue().count(),
        "planned_checks": SpotCheck.objects.filter(date__year=year)
        .filter(~Q(status=SpotCheck.Status.CONFIRMED))
        .count(),
    }
    if scheme is not None:
        glance.update(
            cached_for_year(
                scheme, f"glance-ranking:{get_language()}", lambda: _ranking_glance(scheme), TOPICS
            )
        )
    return glance


def _ranking_glance(scheme):
    rows = [
        {**row, "final": score(row["final"])}  # the ranking rows keep scores in hundredths
        for row in ranking_rows(scheme)
        if row["final"] is not None
    ]
    return {"top": rows[:5], "bottom": rows[-5:][::-1], "chart": _distribution_chart(rows)}


BANDS = [
    (90, 101, "90–100"),
    (80, 90, "80–89"),
    (70, 80, "70–79"),
    (60, 70, "60–69"),
    (0, 60, "< 60"),
]


def _distribution_chart(rows):
    """How many units scored in each band, and how many were vetoed (一票否决: counted in no
    band, whatever their computed score): readable at 40 units and at 4,000."""
    scored = [row for row in rows if not row["vetoed"]]
    counts = [sum(1 for row in scored if low <= row["final"] < high) for low, high, _label in BANDS]
    bands = [
        (label, count, False) for (_low, _high, label), count in zip(BANDS, counts, strict=True)
    ]
    vetoed = len(rows) - len(scored)
    if vetoed:
        bands.append((_("Veto"), vetoed, True))
    return bar_chart(
        bands, scale=max([*counts, vetoed]) or 1, width=560, bar=16, gap=6, label_width=80
    )
